"""The HTTP cache of issuer documents (verifier/fetch_cache.py) against a loopback server counting requests.

Every rule is checked twice, in the two places the entries can be kept: the embedded wallet's folder
(``file_cache``) and hosted mode's PostgreSQL table (``wallet.http_cache.DatabaseCache``; those runs need
``BADGE_WALLET_TEST_DB`` and skip without it).
"""
from __future__ import annotations

import time
from collections.abc import Callable
from email.utils import formatdate

import pytest
from cachecontrol.cache import BaseCache
from support.caching_server import CachingServer

from verifier.fetch import SafeFetcher
from verifier.fetch_cache import MAX_FRESH_SECONDS, file_cache, fresh_seconds


@pytest.fixture(params=["disk", "database"])
def store(request, caching_server, tmp_path) -> Callable[[], BaseCache]:
    """store(): a new handle on one place where entries are kept (a folder, or the database's table,
    as another process would open it)."""
    if request.param == "disk":
        return lambda: file_cache(tmp_path)
    from sqlalchemy import text

    from wallet.http_cache import DatabaseCache
    from wallet.sql_store import transaction

    url = request.getfixturevalue("pg_url")
    with transaction(url) as conn:  # a port can be reused: nothing kept by an earlier test's server
        conn.execute(text("DELETE FROM http_cache_entries WHERE key LIKE :base"), {"base": caching_server.base + "/%"})
    return lambda: DatabaseCache(url)


def fetch(caching_server: CachingServer, store: Callable[[], BaseCache], url: str, **kw):
    """One verification's worth: a new fetcher (fresh memory), the same kept entries."""
    fetcher = SafeFetcher(allow_hosts=[caching_server.host], http_cache=store(), **kw)
    try:
        return fetcher.get(url)
    finally:
        fetcher.close()


def test_within_max_age_the_document_is_not_fetched_again(caching_server, store):
    url = caching_server.put("/issuer", {"name": "A"}, headers={"Cache-Control": "max-age=60"})
    first, second = fetch(caching_server, store, url), fetch(caching_server, store, url)
    assert first.ok and not first.from_cache
    assert second.ok and second.from_cache and second.content == first.content
    assert caching_server.requests("/issuer") == 1


def test_after_max_age_it_is_fetched_again(caching_server, store, cache_clock):
    url = caching_server.put("/issuer", {"name": "A"}, headers={"Cache-Control": "max-age=60"})
    fetch(caching_server, store, url)
    caching_server.put("/issuer", {"name": "B"}, headers={"Cache-Control": "max-age=60"})
    cache_clock(61)
    again = fetch(caching_server, store, url)
    assert not again.from_cache and b'"B"' in again.content and caching_server.requests("/issuer") == 2


def test_freshness_is_capped_whatever_the_issuer_says(caching_server, store, cache_clock):
    url = caching_server.put("/list", {"v": 1}, headers={"Cache-Control": "max-age=31536000"})
    fetch(caching_server, store, url)
    cache_clock(MAX_FRESH_SECONDS - 5)
    assert fetch(caching_server, store, url).from_cache
    cache_clock(MAX_FRESH_SECONDS + 1)
    assert not fetch(caching_server, store, url).from_cache and caching_server.requests("/list") == 2


def test_a_wrong_issuer_clock_does_not_stretch_freshness(caching_server, store, cache_clock):
    future = formatdate(time.time() + 86400, usegmt=True)  # the issuer's Date is a day ahead
    url = caching_server.put("/list", {"v": 1}, headers={"Cache-Control": "max-age=60", "Date": future})
    fetch(caching_server, store, url)
    cache_clock(61)
    assert not fetch(caching_server, store, url).from_cache and caching_server.requests("/list") == 2


def test_stale_copy_with_etag_is_revalidated_by_304(caching_server, store, cache_clock):
    url = caching_server.put("/key", {"k": 1}, headers={"Cache-Control": "max-age=60"}, etag=True)
    fetch(caching_server, store, url)
    cache_clock(61)
    again = fetch(caching_server, store, url)
    assert again.ok and again.from_cache and again.content == b'{"k": 1}'
    assert caching_server.hits["/key"] == 1 and caching_server.not_modified["/key"] == 1


def test_no_cache_means_asking_every_time(caching_server, store):
    url = caching_server.put("/status", {"bits": "0"}, headers={"Cache-Control": "no-cache"}, etag=True)
    fetch(caching_server, store, url)
    assert fetch(caching_server, store, url).from_cache  # 304: same body, no download
    assert caching_server.not_modified["/status"] == 1
    caching_server.put("/status", {"bits": "1"}, headers={"Cache-Control": "no-cache"}, etag=True)  # revoked
    changed = fetch(caching_server, store, url)
    assert not changed.from_cache and changed.content == b'{"bits": "1"}' and caching_server.hits["/status"] == 2


def test_no_cache_without_validator_is_fetched_every_time(caching_server, store):
    url = caching_server.put("/status", {"bits": "0"}, headers={"Cache-Control": "no-cache, max-age=600"})
    fetch(caching_server, store, url)
    assert not fetch(caching_server, store, url).from_cache and caching_server.hits["/status"] == 2


@pytest.mark.parametrize("cc", ["no-store", "private, max-age=600", "max-age=600, no-store"])
def test_no_store_and_private_are_never_kept(caching_server, store, cc):
    url = caching_server.put("/doc", {"a": 1}, headers={"Cache-Control": cc}, etag=True)
    fetch(caching_server, store, url)
    assert not fetch(caching_server, store, url).from_cache and caching_server.hits["/doc"] == 2


def test_an_answer_turning_no_store_drops_the_kept_copy(caching_server, store, cache_clock):
    url = caching_server.put("/doc", {"a": 1}, headers={"Cache-Control": "max-age=60"}, etag=True)
    fetch(caching_server, store, url)
    caching_server.put("/doc", {"a": 2}, headers={"Cache-Control": "no-store"})
    cache_clock(61)
    assert fetch(caching_server, store, url).content == b'{"a": 2}'
    cache_clock(0)
    assert not fetch(caching_server, store, url).from_cache and caching_server.hits["/doc"] == 3


def test_expires_is_honoured(caching_server, store):
    past = caching_server.put("/past", {"a": 1}, headers={"Expires": formatdate(time.time() - 10, usegmt=True)})
    ahead = caching_server.put("/ahead", {"a": 1}, headers={"Expires": formatdate(time.time() + 120, usegmt=True)})
    for url in (past, ahead, past, ahead):
        fetch(caching_server, store, url)
    assert caching_server.hits["/past"] == 2 and caching_server.hits["/ahead"] == 1


def test_without_caching_headers_nothing_is_reused(caching_server, store):
    url = caching_server.put("/plain", {"a": 1})
    fetch(caching_server, store, url)
    assert not fetch(caching_server, store, url).from_cache and caching_server.hits["/plain"] == 2


@pytest.mark.parametrize("status", [404, 410, 500, 503])
def test_failures_are_never_kept(caching_server, store, status):
    url = caching_server.put("/gone", {"error": True}, headers={"Cache-Control": "max-age=600"}, status=status)
    assert not fetch(caching_server, store, url).ok
    caching_server.put("/gone", {"ok": True}, headers={"Cache-Control": "max-age=600"})
    assert fetch(caching_server, store, url).ok and caching_server.hits["/gone"] == 2


def test_a_body_over_the_size_cap_is_not_kept(caching_server, store):
    url = caching_server.put("/big", b"x" * 5000, headers={"Cache-Control": "max-age=600"})
    assert "more than" in (fetch(caching_server, store, url, max_bytes=1000).error or "")
    assert not fetch(caching_server, store, url).from_cache and caching_server.hits["/big"] == 2


def test_the_key_is_the_full_url(caching_server, store):
    one = caching_server.put("/doc?id=1", {"id": 1}, headers={"Cache-Control": "max-age=60"})
    two = caching_server.put("/doc?id=2", {"id": 2}, headers={"Cache-Control": "max-age=60"})
    fetch(caching_server, store, one)
    assert fetch(caching_server, store, two).content == b'{"id": 2}'
    assert fetch(caching_server, store, one).content == b'{"id": 1}'
    assert caching_server.hits["/doc?id=1"] == 1 and caching_server.hits["/doc?id=2"] == 1


def test_redirects_are_walked_again_and_judged_every_time(caching_server, store):
    target = caching_server.put("/new", {"a": 1}, headers={"Cache-Control": "max-age=60"})
    start = caching_server.redirect("/old", target, headers={"Cache-Control": "max-age=60"})
    first, second = fetch(caching_server, store, start), fetch(caching_server, store, start)
    assert first.redirects == second.redirects == (target,) and second.final_url == target
    assert second.from_cache and caching_server.hits["/old"] == 2 and caching_server.hits["/new"] == 1
    other = CachingServer().start()  # another origin
    try:
        elsewhere = other.put("/key", {"k": 1}, headers={"Cache-Control": "max-age=60"})
        caching_server.redirect("/key", elsewhere)
        for _ in range(2):
            fetcher = SafeFetcher(allow_hosts=[caching_server.host, other.host], http_cache=store())
            assert fetcher.get(elsewhere).ok  # now cached in its own right
            refused = fetcher.get(caching_server.base + "/key", same_origin=True)
            fetcher.close()
            assert refused.redirect_refused and not refused.ok
    finally:
        other.stop()


def test_a_corrupt_cache_file_is_ignored(caching_server, tmp_path):
    disk = lambda: file_cache(tmp_path)  # noqa: E731
    url = caching_server.put("/issuer", {"name": "A"}, headers={"Cache-Control": "max-age=60"}, etag=True)
    fetch(caching_server, disk, url)
    files = [p for p in tmp_path.rglob("*") if p.is_file() and not p.name.endswith((".lock", ".pruned"))]
    assert files
    for garbage in (b"cc=4,\xc1\xff\x00garbage", b"not a cache entry", b""):
        for path in files:
            path.write_bytes(garbage)
        again = fetch(caching_server, disk, url)
        assert again.ok and again.content == b'{"name": "A"}'
    assert caching_server.hits["/issuer"] >= 2


def test_offline_fetches_nothing_even_when_cached(caching_server, store):
    url = caching_server.put("/issuer", {"name": "A"}, headers={"Cache-Control": "max-age=60"})
    fetch(caching_server, store, url)
    assert "offline" in (fetch(caching_server, store, url, offline=True).error or "")


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


def test_a_corrupt_database_entry_is_ignored(caching_server, pg_url):
    from sqlalchemy import text

    from wallet.http_cache import DatabaseCache
    from wallet.sql_store import transaction

    db = lambda: DatabaseCache(pg_url)  # noqa: E731
    url = caching_server.put("/issuer", {"name": "A"}, headers={"Cache-Control": "max-age=60"}, etag=True)
    fetch(caching_server, db, url)
    for garbage in (b"cc=4,\xc1\xff\x00garbage", b"not a cache entry", b""):
        with transaction(pg_url) as conn:
            assert conn.execute(text("UPDATE http_cache_entries SET value = :v WHERE key = :k"),
                                {"v": garbage, "k": url}).rowcount == 1
        again = fetch(caching_server, db, url)
        assert again.ok and again.content == b'{"name": "A"}'
    assert caching_server.hits["/issuer"] == 4


def test_a_database_outage_never_breaks_a_fetch(caching_server):
    from wallet.http_cache import DatabaseCache

    down = lambda: DatabaseCache("postgresql://nobody@127.0.0.1:9/none?connect_timeout=2")  # noqa: E731
    url = caching_server.put("/issuer", {"name": "A"}, headers={"Cache-Control": "max-age=60"}, etag=True)
    for _ in range(2):
        result = fetch(caching_server, down, url)
        assert result.ok and result.content == b'{"name": "A"}' and not result.from_cache
    assert caching_server.hits["/issuer"] == 2


def test_the_folder_is_pruned_by_age_and_count(caching_server, tmp_path, monkeypatch):
    import os

    import verifier.fetch_cache as fetch_cache

    monkeypatch.setattr(fetch_cache, "MAX_ENTRIES", 3)
    disk = lambda: file_cache(tmp_path)  # noqa: E731
    urls = [caching_server.put(f"/doc{i}", {"i": i}, headers={"Cache-Control": "max-age=60"}) for i in range(6)]

    def kept() -> list:
        return [p for p in tmp_path.rglob("*") if p.is_file() and not p.name.endswith((".lock", ".pruned"))]
    for url in urls[:5]:
        fetch(caching_server, disk, url)
    assert len(kept()) == 5  # swept at most once a minute: the first write swept an empty folder
    old = time.time() - fetch_cache.KEEP_SECONDS - 10
    os.utime(kept()[0], (old, old))
    assert file_cache(tmp_path).prune(force=True) == 2  # the one too old, then the oldest beyond 3
    assert len(kept()) == 3
    for url in urls[:5]:
        fetch(caching_server, disk, url)  # the two dropped are fetched again, the three kept are served
    assert sum(caching_server.hits[f"/doc{i}"] for i in range(5)) == 7
    (tmp_path / ".pruned").touch()
    os.utime(tmp_path / ".pruned", (old, old))  # the sweep is due: the next write prunes
    fetch(caching_server, disk, urls[5])
    assert len(kept()) == 3


def test_the_database_table_is_pruned_by_age_and_count(caching_server, pg_url, monkeypatch):
    from sqlalchemy import text

    import wallet.http_cache as http_cache
    from wallet.sql_store import transaction

    db = lambda: http_cache.DatabaseCache(pg_url)  # noqa: E731
    urls = [caching_server.put(f"/doc{i}", {"i": i}, headers={"Cache-Control": "max-age=60"}) for i in range(4)]
    fetch(caching_server, db, urls[0])
    with transaction(pg_url) as conn:  # stored long ago: the next write deletes it
        conn.execute(text("UPDATE http_cache_entries SET stored_at = now() - make_interval(secs => :s) "
                          "WHERE key = :k"), {"s": http_cache.KEEP_SECONDS + 10, "k": urls[0]})
    fetch(caching_server, db, urls[1])
    with transaction(pg_url) as conn:
        keys = set(conn.execute(text("SELECT key FROM http_cache_entries")).scalars())
    assert urls[0] not in keys and urls[1] in keys
    with transaction(pg_url) as conn:
        total = conn.execute(text("SELECT count(*) FROM http_cache_entries")).scalar_one()
    monkeypatch.setattr(http_cache, "MAX_ENTRIES", total + 1)  # room for one more row only
    fetch(caching_server, db, urls[2])
    fetch(caching_server, db, urls[3])
    with transaction(pg_url) as conn:
        keys = set(conn.execute(text("SELECT key FROM http_cache_entries")).scalars())
        assert conn.execute(text("SELECT count(*) FROM http_cache_entries")).scalar_one() == total + 1
    assert urls[3] in keys and urls[2] in keys  # the newest kept, the oldest rows went


def test_entry_parts_reads_freshness_and_body(caching_server, tmp_path):
    from verifier.fetch_cache import entry_parts

    url = caching_server.put("/issuer", {"name": "A"}, headers={"Cache-Control": "max-age=999999"})
    fetch(caching_server, lambda: file_cache(tmp_path), url)
    [path] = [p for p in tmp_path.rglob("*") if p.is_file() and not p.name.endswith((".lock", ".pruned"))]
    assert entry_parts(path.read_bytes()) == (MAX_FRESH_SECONDS, b'{"name": "A"}')
    assert entry_parts(b"cc=4,garbage") is None and entry_parts(b"") is None
