"""Resource limits in the verifier: JSON that is not JSON (NaN/Infinity), lone surrogates, huge and deep
documents, fetch deadlines (the wallet and app sides: test_wallet_resource_limits, test_app_resource_limits)."""
from __future__ import annotations

import json
import subprocess
import sys
import time
from datetime import UTC, datetime

import pytest
import requests
from support.files import fixture_path
from support.ob2_badges import tiny_png
from support.paths import ROOT

from verifier import safejson, verify
from verifier.bake import bake_png

pytestmark = pytest.mark.attack

NOW = datetime(2026, 3, 1, tzinfo=UTC)
DCC = fixture_path("digitalcredentials-vc-test-fixtures", "vc", "v2", "dataIntegrityProof", "didKey",
                   "legacyRegistry-noStatus-noExpiry-credName.json")


def _messages(report) -> str:
    return " ".join(c.message for c in report.checks)


# --- NaN / Infinity ------------------------------------------------------------------------------

@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_json_with_nan_or_infinity_is_refused(constant):
    text = DCC.read_text().replace('"type": "Image",', f'"type": "Image", "width": {constant},', 1)
    report = verify(text.encode(), now=NOW, offline=True)
    assert report.verdict == "invalid"
    assert f"contains {constant}, which is not a JSON number" in _messages(report)
    with pytest.raises(safejson.UnsafeJson):
        safejson.loads(text)


def test_fetched_document_with_nan_is_refused(http):
    from verifier.fetch import SafeFetcher

    http.get("https://issuer.example/doc.json", body='{"a": NaN}', content_type="application/json")
    data, err = SafeFetcher().get("https://issuer.example/doc.json").json()
    assert data is None and "NaN" in err


# --- lone surrogates -----------------------------------------------------------------------------

@pytest.mark.parametrize("escape", ["\\ud800", "\\udfff", "x\\uDBFFy"])
def test_lone_surrogate_in_a_text_field_is_refused_not_a_crash(escape):
    text = DCC.read_text().replace('"name": "Parker Pearl"', f'"name": "Parker {escape}Pearl"')
    for data in (text.encode(), bake_png(tiny_png(), text, keyword="openbadgecredential")):
        report = verify(data, now=NOW, offline=True)
        assert report.verdict == "invalid"
        assert "lone UTF-16 surrogate" in _messages(report)
        json.dumps(report.to_dict(), ensure_ascii=False).encode("utf-8")  # the report itself is clean


def test_lone_surrogate_in_a_member_name_is_refused():
    with pytest.raises(safejson.UnsafeJson, match="surrogate"):
        safejson.loads('{"\\ud800": 1}')


def test_a_surrogate_pair_is_a_character_and_stays_accepted():
    assert safejson.loads('{"a": "\\ud83c\\udf93 graduate"}') == {"a": "\U0001F393 graduate"}
    assert safejson.loads('{"a": "\\\\ud800"}') == {"a": "\\ud800"}  # an escaped backslash, not an escape


def test_cli_json_output_never_crashes_on_a_surrogate(tmp_path):
    path = tmp_path / "badge.json"
    path.write_text(DCC.read_text().replace('"Parker Pearl"', '"Parker \\ud800"'))
    out = subprocess.run([sys.executable, "-m", "verifier", "--json", "--offline", str(path)], cwd=ROOT,
                         capture_output=True, text=True, timeout=120)
    assert out.returncode in (1, 2), out.stderr
    assert "Traceback" not in out.stderr
    assert "surrogate" in json.loads(out.stdout)["checks"][0]["message"]


# --- nesting and size --------------------------------------------------------------------------

def test_depth_limit_is_exact():
    assert safejson.loads("[" * 100 + "]" * 100) is not None
    with pytest.raises(safejson.UnsafeJson, match="nested more than 100 levels"):
        safejson.loads("[" * 101 + "]" * 101)
    with pytest.raises(safejson.UnsafeJson, match="nested more than"):
        safejson.loads('{"a":' * 101 + "1" + "}" * 101)
    assert safejson.too_deep(json.loads("[" * 101 + "]" * 101))
    assert not safejson.too_deep(json.loads("[" * 100 + "]" * 100))


def test_brackets_inside_strings_do_not_count():
    text = json.dumps({"a": "[" * 5000 + "{" * 5000, "b": ['\\"[[[', "]]]"]})
    assert safejson.loads(text)["a"].startswith("[[[")


def test_too_many_containers_are_refused_before_parsing():
    with pytest.raises(safejson.UnsafeJson, match="objects and arrays"):
        safejson.loads(json.dumps({"x": [[] for _ in range(safejson.MAX_NODES + 1)]}))


def _padded_credential(shape: str) -> bytes:
    """The DCC credential padded to about 19 MB (the 20 MB file limit is just above)."""
    doc = json.loads(DCC.read_text())
    target = 19 * 1024 * 1024
    text = json.dumps(doc)
    room = target - len(text) - 32
    if shape == "arrays":  # 4.75 million empty arrays: 40 s and 1 GB with a nesting check that walks nodes
        return (text[:-1] + ', "padding": [' + "[]," * (room // 3) + "[]]}").encode()
    if shape == "deep":
        return (text[:-1] + ', "padding": ' + "[" * (room // 2) + "]" * (room // 2) + "}").encode()
    elif shape == "image":
        doc["credentialSubject"]["achievement"]["image"]["id"] = "data:image/png;base64," + "A" * (target - 4096)
    return json.dumps(doc).encode()


@pytest.mark.parametrize("shape", ["arrays", "deep", "image"])
def test_a_19_mb_badge_is_answered_in_under_3_seconds(shape):
    data = _padded_credential(shape)
    assert 18 * 1024 * 1024 < len(data) < 20 * 1024 * 1024
    start = time.perf_counter()
    report = verify(data, now=NOW, offline=True)
    elapsed = time.perf_counter() - start
    assert report.verdict in ("invalid", "unverifiable")
    assert elapsed < 3.0, f"{shape}: {elapsed:.2f} s"
    if shape != "image":
        assert "cannot be read safely" in _messages(report)
    else:
        assert "too complex to check" in _messages(report)


def test_a_19_mb_badge_stays_under_300_mb_of_memory(tmp_path):
    path = tmp_path / "big.json"
    path.write_bytes(_padded_credential("arrays"))
    script = ("import sys, pathlib; from datetime import datetime, timezone; from verifier import verify\n"
              "r = verify(pathlib.Path(sys.argv[1]).read_bytes(), now=datetime(2026, 3, 1, tzinfo=timezone.utc),"
              " offline=True)\n"
              "hwm = [l for l in open('/proc/self/status') if l.startswith('VmHWM')][0].split()[1]\n"
              "print(r.verdict, int(hwm) // 1024)")
    out = subprocess.run([sys.executable, "-c", script, str(path)], cwd=ROOT, capture_output=True, text=True,
                         timeout=120)
    verdict, peak_mb = out.stdout.split()
    assert verdict == "invalid" and int(peak_mb) < 300, out.stdout


# --- a failed fetch is not retried within one verification ---------------------------------------

def test_a_failed_fetch_is_remembered_by_the_fetcher(http):
    from verifier.fetch import SafeFetcher

    http.get("https://down.example/did.json", body=requests.exceptions.ConnectionError("connection refused"))
    http.get("https://gone.example/did.json", status=404)
    fetcher = SafeFetcher()
    for url in ("https://down.example/did.json", "https://gone.example/did.json"):
        first, second = fetcher.get(url), fetcher.get(url)
        assert not first.ok and second is first
    assert len(http.calls) == 2
    fresh = fetcher.sibling()  # the next verification of a batch tries again
    assert not fresh.get("https://down.example/did.json").ok and len(http.calls) == 3


def test_one_verification_asks_an_unreachable_issuer_once(http):
    """A hosted badge whose issuer is down: the verifier needs the assertion URL at two steps (what kind of
    badge it is, then its hosted copy); the second must not wait for the network again."""
    from verifier.fetch import SafeFetcher

    url = "https://badges.down.example/assertions/1.json"
    http.get(url, body=requests.exceptions.ConnectionError("connection timed out"))
    report = verify(url, now=NOW, fetcher=SafeFetcher())
    assert report.verdict == "unverifiable"
    assert [c.request.url for c in http.calls] == [url]


# --- the fetch deadline is a hard wall-clock limit -----------------------------------------------
# A real socket server on 127.0.0.1 (port 0) that answers as slowly as a hostile issuer would: one byte
# per second, which never trips a per-read socket timeout.

class TrickleServer:
    """Serves each connection from ``script(path) -> list[(bytes, seconds to wait after)]``."""

    def __init__(self, script):
        import socket
        import threading

        self.script = script
        self.stop = threading.Event()
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.base = f"http://127.0.0.1:{self.port}"
        self.requests: list[str] = []
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self):
        import threading

        while not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            threading.Thread(target=self._answer, args=(conn,), daemon=True).start()

    def _answer(self, conn):
        try:
            conn.settimeout(5)
            request = b""
            while b"\r\n\r\n" not in request:
                chunk = conn.recv(4096)
                if not chunk:
                    return
                request += chunk
            path = request.split(b" ", 2)[1].decode()
            self.requests.append(path)
            for data, pause in self.script(path):
                if self.stop.is_set():
                    return
                conn.sendall(data)
                if self.stop.wait(pause):
                    return
        except OSError:
            pass  # the client gave up (the watchdog shut its socket): exactly what is tested
        finally:
            conn.close()

    def close(self):
        self.stop.set()
        self.sock.close()


def _drip(data: bytes, every: float = 1.0):
    return [(data[i:i + 1], every) for i in range(len(data))]


HEADERS_OK = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
BODY = b'{"@context": "https://w3id.org/openbadges/v2", "type": "Assertion", "id": "x"}'


def _scripts():
    return {
        "/fast": [(HEADERS_OK + b"Content-Length: %d\r\n\r\n" % len(BODY) + BODY, 0)],
        "/slow-headers": [(b"HTTP/1.1 200 OK\r\n", 0)] + _drip(b"X-Padding: " + b"a" * 600 + b"\r\n\r\n"),
        "/slow-body": [(HEADERS_OK + b"Content-Length: %d\r\n\r\n" % len(BODY), 0)] + _drip(BODY),
        # No Content-Length: the body ends when the connection closes, so a body cut short by the
        # deadline would look complete (and here, parse) if the fetcher did not know it gave up.
        "/slow-body-until-close": [(HEADERS_OK + b"Connection: close\r\n\r\n" + BODY, 0)] + _drip(b" " * 600),
    }


@pytest.fixture
def trickle(http):
    server = TrickleServer(lambda path: _scripts().get(path) or _hop(path))
    http.add_passthru(server.base)
    yield server
    server.close()


def _hop(path: str):
    """/hop/N: a same-origin redirect to /hop/N+1 after 0.6 s (each hop fast, the chain slow)."""
    n = int(path.rsplit("/", 1)[1])
    return [(b"HTTP/1.1 302 Found\r\nLocation: /hop/%d\r\nContent-Length: 0\r\nConnection: close\r\n" % (n + 1), 0.6), (b"\r\n", 0)]


def _fetcher(server, seconds: float = 1.5):
    from verifier.fetch import SafeFetcher
    return SafeFetcher(allow_hosts=[f"127.0.0.1:{server.port}"], total_seconds=seconds)


def test_a_fast_local_answer_is_fetched(trickle):
    result = _fetcher(trickle).get(trickle.base + "/fast")
    assert result.ok and result.json()[0]["type"] == "Assertion"


@pytest.mark.parametrize("path", ["/slow-headers", "/slow-body", "/slow-body-until-close", "/hop/0"])
def test_a_server_that_trickles_is_cut_off_at_the_deadline(trickle, path):
    start = time.monotonic()
    result = _fetcher(trickle, 1.5).get(trickle.base + path)
    elapsed = time.monotonic() - start
    assert not result.ok
    assert "took longer than 1.5 s" in result.error
    assert elapsed < 1.5 + 1.0, f"{path}: {elapsed:.1f} s"


def test_verification_of_a_trickling_hosted_badge_is_bounded_and_asks_once(trickle):
    start = time.monotonic()
    report = verify(trickle.base + "/slow-headers", now=NOW, fetcher=_fetcher(trickle, 1.5))
    elapsed = time.monotonic() - start
    assert report.verdict == "unverifiable"
    assert "took longer than 1.5 s" in _messages(report)
    assert elapsed < 1.5 + 1.5, f"{elapsed:.1f} s"  # one deadline, not one per step
    assert trickle.requests == ["/slow-headers"]


@pytest.mark.parametrize("value, words", [("X\ud800", "lone UTF-16 surrogate"), (float("nan"), "NaN"),
                                          (float("inf"), "Infinity")])
def test_a_parsed_dict_given_to_the_library_is_held_to_the_same_rules(value, words):
    doc = json.loads(DCC.read_text())
    assert verify(doc, now=NOW, offline=True).verdict == "valid"
    doc["credentialSubject"]["achievement"]["name"] = value
    report = verify(doc, now=NOW, offline=True)
    assert report.verdict == "invalid" and words in report.checks[0].message
    json.dumps(report.to_dict(), ensure_ascii=False).encode("utf-8")  # nothing unencodable reaches the report


def test_a_parsed_dict_nested_too_deeply_is_refused():
    doc = json.loads(DCC.read_text())
    doc["x"] = json.loads("[" * 101 + "]" * 101)
    assert "nested more than 100 levels" in verify(doc, now=NOW, offline=True).checks[0].message


def test_a_slow_dns_answer_counts_against_the_deadline(http):
    from verifier.fetch import SafeFetcher

    def slow_resolver(host):
        time.sleep(4)
        return ["93.184.216.34"]

    http.get("https://slow-dns.example/did.json", json={"id": "x"})
    start = time.monotonic()
    result = SafeFetcher(resolver=slow_resolver, total_seconds=1.0).get("https://slow-dns.example/did.json")
    assert not result.ok and "took longer than 1 s" in result.error
    assert time.monotonic() - start < 2.0
