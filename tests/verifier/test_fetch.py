"""The safe fetcher: SSRF guard, redirects, size cap, errors as values."""
import pytest

from verifier.fetch import SafeFetcher


@pytest.mark.parametrize("url, words", [
    ("http://127.0.0.1/x", "loopback"),
    ("http://localhost:8501/x", "loopback"),
    ("http://10.0.0.8/x", "private"),
    ("http://192.168.1.1/x", "private"),
    ("http://169.254.169.254/latest/meta-data/", "link-local"),
    ("http://[::1]/x", "loopback"),
    ("http://[::ffff:127.0.0.1]/x", "loopback"),
    ("http://intranet.example/badge", "private"),
    ("http://metadata.example/", "link-local"),
    ("http://rebind.example/", "private"),
    ("file:///etc/passwd", "only http and https"),
    ("ftp://example.org/x", "only http and https"),
    ("http://user:pw@example.org/x", "credentials"),
    ("http://nowhere.invalid/x", "could not resolve"),
])
@pytest.mark.attack
def test_refuses_unsafe_urls(http, url, words):
    result = SafeFetcher().get(url)
    assert not result.ok
    assert words in result.error
    assert len(http.calls) == 0


def test_allow_host_lets_intranet_through(http):
    http.get("http://localhost:8000/a.json", json={"ok": 1})
    assert SafeFetcher().get("http://localhost:8000/a.json").ok is False
    fetched = SafeFetcher(allow_hosts=["localhost:8000"]).get("http://localhost:8000/a.json")
    assert fetched.ok and fetched.json() == ({"ok": 1}, None)


@pytest.mark.attack
def test_redirect_to_private_address_is_refused(http):
    http.get("https://example.org/a", status=302, headers={"Location": "http://169.254.169.254/latest"})
    result = SafeFetcher().get("https://example.org/a")
    assert not result.ok and "link-local" in result.error
    assert len(http.calls) == 1


def test_redirects_are_followed_and_capped(http):
    http.get("https://example.org/1", status=301, headers={"Location": "/2"})
    http.get("https://example.org/2", json={"done": True})
    assert SafeFetcher().get("https://example.org/1").json() == ({"done": True}, None)
    for i in range(10):
        http.get(f"https://loop.example/{i}", status=302, headers={"Location": f"/{i + 1}"})
    result = SafeFetcher().get("https://loop.example/0")
    assert "too many redirects" in result.error


@pytest.mark.attack
def test_size_cap(http):
    http.get("https://example.org/big", body=b"x" * 2048)
    result = SafeFetcher(max_bytes=1000).get("https://example.org/big")
    assert not result.ok and "more than 1000 bytes" in result.error


def test_http_error_and_offline(http):
    http.get("https://example.org/gone", status=410)
    gone = SafeFetcher().get("https://example.org/gone")
    assert gone.status == 410 and not gone.ok and "410" in gone.error
    off = SafeFetcher(offline=True).get("https://example.org/gone")
    assert "offline" in off.error


def test_connection_error_is_a_value(http):
    result = SafeFetcher().get("https://unregistered.example/x")
    assert not result.ok and "could not reach" in result.error


def test_mirror_serves_local_files_without_network(http, tmp_path):
    (tmp_path / "issuer.json").write_text('{"name": "Demo"}')
    (tmp_path / "old.json").write_text("{}")
    (tmp_path / "old.json.gone").write_text("")
    (tmp_path.parent / "secret.json").write_text('{"s": 1}')
    f = SafeFetcher(mirrors={"https://demo.example/": tmp_path})
    assert f.get("https://demo.example/issuer.json").json() == ({"name": "Demo"}, None)
    assert f.get("https://demo.example/old.json").status == 410
    assert f.get("https://demo.example/missing.json").status == 404
    assert f.get("https://demo.example/../secret.json").status == 404
    assert "https://demo.example/issuer.json" in f.mirrored
    assert len(http.calls) == 0


@pytest.mark.attack
def test_connection_is_pinned_to_the_vetted_address():
    """DNS rebinding: the socket goes to the address the guard approved, whatever DNS says later."""
    import http.server
    import threading

    from verifier.fetch import PinnedAdapter

    seen = {}

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            seen["host"] = self.headers["Host"]
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b"pinned")

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        adapter = PinnedAdapter("127.0.0.1")
        pool = adapter.poolmanager.connection_from_url(f"http://rebound.invalid:{server.server_port}/")
        response = pool.urlopen("GET", "/", retries=False)  # urllib3 directly: no HTTP mock involved
        assert response.data == b"pinned"
        assert seen["host"] == f"rebound.invalid:{server.server_port}"  # the name is kept for Host/SNI
    finally:
        server.shutdown()


def test_a_web_page_is_not_badge_data(http):
    http.get("https://example.org/a.json", body='{"id": 1}', content_type="text/html")
    data, err = SafeFetcher().get("https://example.org/a.json").json()
    assert data is None and "text/html" in err
    http.get("https://example.org/b.json", body='{"id": 2}', content_type="application/ld+json")
    assert SafeFetcher().get("https://example.org/b.json").json() == ({"id": 2}, None)
