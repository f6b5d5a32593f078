"""The HTTP cache of issuer documents (verifier/fetch_cache.py) against a loopback server counting requests."""
from __future__ import annotations

import time
from email.utils import formatdate
from pathlib import Path

import pytest
from support.caching_server import CachingServer

from verifier.fetch import SafeFetcher
from verifier.fetch_cache import MAX_FRESH_SECONDS, file_cache, fresh_seconds


@pytest.fixture
def server(no_network):
    s = CachingServer().start()
    no_network.add_passthru("http://127.0.0.1")  # this test's own server is really reached
    yield s
    s.stop()


@pytest.fixture
def later(monkeypatch):
    """later(seconds): the cache's clock runs ``seconds`` ahead from now on."""
    import cachecontrol.controller as controller

    class Clock:
        offset = 0.0

        @staticmethod
        def time() -> float:
            return time.time() + Clock.offset

    monkeypatch.setattr(controller, "time", Clock)

    def advance(seconds: float) -> None:
        Clock.offset = seconds
    return advance


def fetch(server: CachingServer, cache_dir: Path, url: str, **kw):
    """One verification's worth: a new fetcher (fresh memory), the same cache folder."""
    fetcher = SafeFetcher(allow_hosts=[server.host], http_cache=file_cache(cache_dir), **kw)
    try:
        return fetcher.get(url)
    finally:
        fetcher.close()


def test_within_max_age_the_document_is_not_fetched_again(server, tmp_path):
    url = server.put("/issuer", {"name": "A"}, headers={"Cache-Control": "max-age=60"})
    first, second = fetch(server, tmp_path, url), fetch(server, tmp_path, url)
    assert first.ok and not first.from_cache
    assert second.ok and second.from_cache and second.content == first.content
    assert server.requests("/issuer") == 1


def test_after_max_age_it_is_fetched_again(server, tmp_path, later):
    url = server.put("/issuer", {"name": "A"}, headers={"Cache-Control": "max-age=60"})
    fetch(server, tmp_path, url)
    server.put("/issuer", {"name": "B"}, headers={"Cache-Control": "max-age=60"})
    later(61)
    again = fetch(server, tmp_path, url)
    assert not again.from_cache and b'"B"' in again.content and server.requests("/issuer") == 2


def test_freshness_is_capped_whatever_the_issuer_says(server, tmp_path, later):
    url = server.put("/list", {"v": 1}, headers={"Cache-Control": "max-age=31536000"})
    fetch(server, tmp_path, url)
    later(MAX_FRESH_SECONDS - 5)
    assert fetch(server, tmp_path, url).from_cache
    later(MAX_FRESH_SECONDS + 1)
    assert not fetch(server, tmp_path, url).from_cache and server.requests("/list") == 2


def test_a_wrong_issuer_clock_does_not_stretch_freshness(server, tmp_path, later):
    future = formatdate(time.time() + 86400, usegmt=True)  # the issuer's Date is a day ahead
    url = server.put("/list", {"v": 1}, headers={"Cache-Control": "max-age=60", "Date": future})
    fetch(server, tmp_path, url)
    later(61)
    assert not fetch(server, tmp_path, url).from_cache and server.requests("/list") == 2


def test_stale_copy_with_etag_is_revalidated_by_304(server, tmp_path, later):
    url = server.put("/key", {"k": 1}, headers={"Cache-Control": "max-age=60"}, etag=True)
    fetch(server, tmp_path, url)
    later(61)
    again = fetch(server, tmp_path, url)
    assert again.ok and again.from_cache and again.content == b'{"k": 1}'
    assert server.hits["/key"] == 1 and server.not_modified["/key"] == 1


def test_no_cache_means_asking_every_time(server, tmp_path):
    url = server.put("/status", {"bits": "0"}, headers={"Cache-Control": "no-cache"}, etag=True)
    fetch(server, tmp_path, url)
    assert fetch(server, tmp_path, url).from_cache  # 304: same body, no download
    assert server.not_modified["/status"] == 1
    server.put("/status", {"bits": "1"}, headers={"Cache-Control": "no-cache"}, etag=True)  # revoked
    changed = fetch(server, tmp_path, url)
    assert not changed.from_cache and changed.content == b'{"bits": "1"}' and server.hits["/status"] == 2


def test_no_cache_without_validator_is_fetched_every_time(server, tmp_path):
    url = server.put("/status", {"bits": "0"}, headers={"Cache-Control": "no-cache, max-age=600"})
    fetch(server, tmp_path, url)
    assert not fetch(server, tmp_path, url).from_cache and server.hits["/status"] == 2


@pytest.mark.parametrize("cc", ["no-store", "private, max-age=600", "max-age=600, no-store"])
def test_no_store_and_private_are_never_kept(server, tmp_path, cc):
    url = server.put("/doc", {"a": 1}, headers={"Cache-Control": cc}, etag=True)
    fetch(server, tmp_path, url)
    assert not fetch(server, tmp_path, url).from_cache and server.hits["/doc"] == 2


def test_an_answer_turning_no_store_drops_the_kept_copy(server, tmp_path, later):
    url = server.put("/doc", {"a": 1}, headers={"Cache-Control": "max-age=60"}, etag=True)
    fetch(server, tmp_path, url)
    server.put("/doc", {"a": 2}, headers={"Cache-Control": "no-store"})
    later(61)
    assert fetch(server, tmp_path, url).content == b'{"a": 2}'
    later(0)
    assert not fetch(server, tmp_path, url).from_cache and server.hits["/doc"] == 3


def test_expires_is_honoured(server, tmp_path):
    past = server.put("/past", {"a": 1}, headers={"Expires": formatdate(time.time() - 10, usegmt=True)})
    ahead = server.put("/ahead", {"a": 1}, headers={"Expires": formatdate(time.time() + 120, usegmt=True)})
    for url in (past, ahead, past, ahead):
        fetch(server, tmp_path, url)
    assert server.hits["/past"] == 2 and server.hits["/ahead"] == 1


def test_without_caching_headers_nothing_is_reused(server, tmp_path):
    url = server.put("/plain", {"a": 1})
    fetch(server, tmp_path, url)
    assert not fetch(server, tmp_path, url).from_cache and server.hits["/plain"] == 2


@pytest.mark.parametrize("status", [404, 410, 500, 503])
def test_failures_are_never_kept(server, tmp_path, status):
    url = server.put("/gone", {"error": True}, headers={"Cache-Control": "max-age=600"}, status=status)
    assert not fetch(server, tmp_path, url).ok
    server.put("/gone", {"ok": True}, headers={"Cache-Control": "max-age=600"})
    assert fetch(server, tmp_path, url).ok and server.hits["/gone"] == 2


def test_a_body_over_the_size_cap_is_not_kept(server, tmp_path):
    url = server.put("/big", b"x" * 5000, headers={"Cache-Control": "max-age=600"})
    assert "more than" in (fetch(server, tmp_path, url, max_bytes=1000).error or "")
    assert not fetch(server, tmp_path, url).from_cache and server.hits["/big"] == 2


def test_the_key_is_the_full_url(server, tmp_path):
    one = server.put("/doc?id=1", {"id": 1}, headers={"Cache-Control": "max-age=60"})
    two = server.put("/doc?id=2", {"id": 2}, headers={"Cache-Control": "max-age=60"})
    fetch(server, tmp_path, one)
    assert fetch(server, tmp_path, two).content == b'{"id": 2}'
    assert fetch(server, tmp_path, one).content == b'{"id": 1}'
    assert server.hits["/doc?id=1"] == 1 and server.hits["/doc?id=2"] == 1


def test_redirects_are_walked_again_and_judged_every_time(server, tmp_path):
    target = server.put("/new", {"a": 1}, headers={"Cache-Control": "max-age=60"})
    start = server.redirect("/old", target, headers={"Cache-Control": "max-age=60"})
    first, second = fetch(server, tmp_path, start), fetch(server, tmp_path, start)
    assert first.redirects == second.redirects == (target,) and second.final_url == target
    assert second.from_cache and server.hits["/old"] == 2 and server.hits["/new"] == 1
    other = CachingServer().start()  # another origin
    try:
        elsewhere = other.put("/key", {"k": 1}, headers={"Cache-Control": "max-age=60"})
        server.redirect("/key", elsewhere)
        for _ in range(2):
            fetcher = SafeFetcher(allow_hosts=[server.host, other.host], http_cache=file_cache(tmp_path))
            assert fetcher.get(elsewhere).ok  # now cached in its own right
            refused = fetcher.get(server.base + "/key", same_origin=True)
            fetcher.close()
            assert refused.redirect_refused and not refused.ok
    finally:
        other.stop()


def test_a_corrupt_cache_file_is_ignored(server, tmp_path):
    url = server.put("/issuer", {"name": "A"}, headers={"Cache-Control": "max-age=60"}, etag=True)
    fetch(server, tmp_path, url)
    files = [p for p in tmp_path.rglob("*") if p.is_file() and not p.name.endswith(".lock")]
    assert files
    for garbage in (b"cc=4,\xc1\xff\x00garbage", b"not a cache entry", b""):
        for path in files:
            path.write_bytes(garbage)
        again = fetch(server, tmp_path, url)
        assert again.ok and again.content == b'{"name": "A"}'
    assert server.hits["/issuer"] >= 2


def test_offline_fetches_nothing_even_when_cached(server, tmp_path):
    url = server.put("/issuer", {"name": "A"}, headers={"Cache-Control": "max-age=60"})
    fetch(server, tmp_path, url)
    assert "offline" in (fetch(server, tmp_path, url, offline=True).error or "")


@pytest.mark.parametrize("headers, seconds", [
    ({"Cache-Control": "max-age=60"}, 60),
    ({"Cache-Control": "max-age=60", "Age": "50"}, 10),
    ({"Cache-Control": "s-maxage=30, max-age=60"}, 30),
    ({"Cache-Control": "max-age=999999"}, MAX_FRESH_SECONDS),
    ({"Cache-Control": "no-cache, max-age=60"}, 0),
    ({"Cache-Control": "no-store"}, None),
    ({"Cache-Control": "private"}, None),
    ({}, 0),
])
def test_fresh_seconds(headers, seconds):
    assert fresh_seconds(headers) == seconds
