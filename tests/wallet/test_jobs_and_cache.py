"""The job worker (procrastinate on PostgreSQL) and the shared HTTP cache of issuer documents."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import responses
from sqlalchemy import text
from support.postgres import fresh_owner

from wallet import http_cache
from wallet.cli import main
from wallet.demo import demo_files
from wallet.hosted import HostedWallet
from wallet.sql_store import SQLStore, transaction

NOW = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize("headers,seconds", [
    ({"Cache-Control": "max-age=600"}, 600),
    ({"Cache-Control": "public, s-maxage=120, max-age=600"}, 120),
    ({"Cache-Control": "max-age=600", "Age": "100"}, 500),
    ({"Cache-Control": "max-age=999999"}, http_cache.MAX_FRESH_SECONDS),  # capped: revocations seen within the hour
    ({"Expires": "Thu, 01 Jan 2026 12:05:00 GMT", "Date": "Thu, 01 Jan 2026 12:00:00 GMT"}, 300),
    ({}, 0), ({"Cache-Control": "max-age=0"}, 0), ({"Expires": "garbage"}, 0),
])
def test_freshness_from_caching_headers(headers, seconds):
    assert http_cache.fresh_until(headers, NOW) == NOW + timedelta(seconds=seconds)


@pytest.mark.parametrize("cc", ["no-store", "no-cache", "private, max-age=600"])
def test_answers_that_forbid_a_shared_cache_are_not_stored(cc):
    assert http_cache.fresh_until({"Cache-Control": cc}, NOW) is None


def _fetcher(url: str, **kw) -> http_cache.CachingFetcher:
    return http_cache.CachingFetcher(database_url=url, **kw)


def test_documents_are_shared_between_processes_while_fresh(pg_url, no_network):
    doc = f"https://issuer.example.org/status/{fresh_owner().split('-')[-1]}"
    no_network.add(responses.GET, doc, json={"v": 1}, headers={"Cache-Control": "max-age=600", "ETag": '"a"'})
    first = _fetcher(pg_url).get(doc)
    assert first.ok and first.json()[0] == {"v": 1}
    second = _fetcher(pg_url).get(doc)  # a new fetcher, as in another process: served from the database
    assert second.ok and second.json()[0] == {"v": 1} and second.headers.get("ETag") == '"a"'
    assert len([c for c in no_network.calls if c.request.url == doc]) == 1
    cached = http_cache.load(pg_url, doc)
    assert cached and cached.headers["Cache-Control"] == "max-age=600"


def test_stale_uncacheable_and_failed_answers_go_to_the_network(pg_url, no_network):
    base = f"https://issuer.example.org/{fresh_owner().split('-')[-1]}"
    no_network.add(responses.GET, base + "/nostore", json={"v": 1}, headers={"Cache-Control": "no-store"})
    no_network.add(responses.GET, base + "/plain", json={"v": 2})
    no_network.add(responses.GET, base + "/gone", status=500)
    for name in ("nostore", "plain", "gone"):
        _fetcher(pg_url).get(f"{base}/{name}")
        _fetcher(pg_url).get(f"{base}/{name}")
        assert len([c for c in no_network.calls if c.request.url == f"{base}/{name}"]) == 2, name
    assert http_cache.load(pg_url, base + "/nostore") is None and http_cache.load(pg_url, base + "/gone") is None
    assert http_cache.load(pg_url, base + "/plain") is not None  # kept for the worker's refresh, never served
    assert base + "/plain" in http_cache.stale_urls(pg_url, datetime.now(UTC) + timedelta(seconds=1))


def test_a_database_outage_never_breaks_a_fetch(no_network):
    doc = "https://issuer.example.org/outage"
    no_network.add(responses.GET, doc, json={"ok": True}, headers={"Cache-Control": "max-age=600"})
    result = _fetcher("postgresql://nobody@127.0.0.1:9/none?connect_timeout=2").get(doc)
    assert result.ok and result.json()[0] == {"ok": True}


def test_worker_once_reverifies_every_wallet_and_refreshes_stale_documents(pg_url, no_network, capsys):
    owner = fresh_owner("worker")
    wallet = HostedWallet(pg_url, owner=owner, demo=True)  # the demo badge verifies through the demo mirror
    demo = demo_files()[0]
    entry_id = wallet.import_file(demo.filename, demo.path.read_bytes()).entry_id
    assert wallet.get(entry_id).verdict == "valid"
    SQLStore(pg_url, owner).update_entries({entry_id: {"verdict": "unverifiable", "verified_at": "2000-01-01T00:00:00+00:00"}})
    doc = f"https://issuer.example.org/list/{owner.split('-')[-1]}"
    no_network.add(responses.GET, doc, json={"v": "old"}, headers={"Cache-Control": "max-age=600"})
    _fetcher(pg_url).get(doc)
    with transaction(pg_url) as conn:  # the cached copy has gone stale
        conn.execute(text("UPDATE http_cache SET fresh_until = now() - interval '1 minute' WHERE url = :u"), {"u": doc})
    no_network.replace(responses.GET, doc, json={"v": "new"}, headers={"Cache-Control": "max-age=600"})

    assert main(["--db", pg_url, "worker", "--once"]) == 0
    assert "queue empty" in capsys.readouterr().out
    entry = wallet.get(entry_id)
    assert entry.verdict == "valid" and entry.verified_at.year > 2000  # verified again by the worker
    assert http_cache.load(pg_url, doc).body == b'{"v": "new"}'
    with transaction(pg_url) as conn:
        done = conn.execute(text("SELECT count(*) FROM procrastinate_jobs WHERE task_name = 'reverify_wallet' "
                                 "AND args->>'owner' = :o AND status = 'succeeded'"), {"o": owner}).scalar()
        queued_secret = conn.execute(text("SELECT count(*) FROM procrastinate_jobs WHERE args::text LIKE '%postgresql%'")).scalar()
    assert done >= 1 and queued_secret == 0  # jobs carry an owner id, never the database address


def test_worker_needs_a_database(capsys, tmp_path):
    assert main(["--db", str(tmp_path / "w.json"), "worker", "--once"]) == 2
    assert "PostgreSQL" in capsys.readouterr().err


def test_redirected_answers_are_not_shared(pg_url, no_network):
    base = f"https://issuer.example.org/{fresh_owner().split('-')[-1]}"
    no_network.add(responses.GET, base + "/moved", status=302, headers={"Location": base + "/here"})
    no_network.add(responses.GET, base + "/here", json={"v": 1}, headers={"Cache-Control": "max-age=600"})
    assert _fetcher(pg_url).get(base + "/moved").ok
    assert http_cache.load(pg_url, base + "/moved") is None  # its redirect must be judged on every fetch
