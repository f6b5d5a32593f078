"""The job worker (procrastinate on PostgreSQL) refreshing the shared HTTP cache of issuer documents.

The cache's rules themselves (freshness, revalidation, no-store, failures, redirects, pruning) are
checked against both of its stores, folder and database, in tests/verifier/test_fetch_cache.py.
"""
from __future__ import annotations

from sqlalchemy import text
from support.postgres import fresh_owner

from verifier import SafeFetcher
from wallet import http_cache
from wallet.cli import main
from wallet.demo import demo_files
from wallet.hosted import HostedWallet
from wallet.settings import ALLOW_HOSTS_ENV
from wallet.sql_store import SQLStore, transaction


def _fetch(pg_url: str, url: str, host: str):
    fetcher = SafeFetcher(allow_hosts=[host], http_cache=http_cache.DatabaseCache(pg_url))  # as an app process would
    try:
        return fetcher.get(url)
    finally:
        fetcher.close()


def test_worker_once_reverifies_every_wallet_and_refreshes_stale_documents(pg_url, caching_server, monkeypatch, capsys):
    owner = fresh_owner("worker")
    wallet = HostedWallet(pg_url, owner=owner, demo=True)  # the demo badge verifies through the demo mirror
    demo = demo_files()[0]
    entry_id = wallet.import_file(demo.filename, demo.path.read_bytes()).entry_id
    assert wallet.get(entry_id).verdict == "valid"
    SQLStore(pg_url, owner).update_entries({entry_id: {"verdict": "unverifiable", "verified_at": "2000-01-01T00:00:00+00:00"}})
    monkeypatch.setenv(ALLOW_HOSTS_ENV, caching_server.host)  # the worker may reach this loopback issuer
    # no-cache: kept (they have a validator) but stale at once, so both are on the worker's refresh list
    status = caching_server.put("/list", {"v": "old"}, headers={"Cache-Control": "no-cache"}, etag=True)
    same = caching_server.put("/issuer", {"name": "A"}, headers={"Cache-Control": "no-cache"}, etag=True)
    for url in (status, same):
        assert _fetch(pg_url, url, caching_server.host).ok
    assert http_cache.cached_body(pg_url, status) == b'{"v": "old"}'
    assert {status, same} <= set(http_cache.stale_urls(pg_url))
    caching_server.put("/list", {"v": "new"}, headers={"Cache-Control": "max-age=600"}, etag=True)  # revoked

    assert main(["--db", pg_url, "worker", "--once"]) == 0
    assert "queue empty" in capsys.readouterr().out
    entry = wallet.get(entry_id)
    assert entry.verdict == "valid" and entry.verified_at.year > 2000  # verified again by the worker
    assert http_cache.cached_body(pg_url, status) == b'{"v": "new"}'  # refreshed, and now fresh
    assert status not in http_cache.stale_urls(pg_url)
    assert caching_server.hits["/list"] == 2 and caching_server.not_modified["/list"] == 0  # changed: fetched whole
    assert caching_server.hits["/issuer"] == 1 and caching_server.not_modified["/issuer"] == 1  # unchanged: one 304
    with transaction(pg_url) as conn:
        done = conn.execute(text("SELECT count(*) FROM procrastinate_jobs WHERE task_name = 'reverify_wallet' "
                                 "AND args->>'owner' = :o AND status = 'succeeded'"), {"o": owner}).scalar()
        queued_secret = conn.execute(text("SELECT count(*) FROM procrastinate_jobs WHERE args::text LIKE '%postgresql%'")).scalar()
    assert done >= 1 and queued_secret == 0  # jobs carry an owner id, never the database address


def test_worker_needs_a_database(capsys, tmp_path):
    assert main(["--db", str(tmp_path / "w.json"), "worker", "--once"]) == 2
    assert "PostgreSQL" in capsys.readouterr().err


def test_migration_0006_swaps_the_old_cache_table_and_back(pg_url):
    from alembic import command
    from sqlalchemy import inspect

    from wallet.migrate import _config, head, migrate
    from wallet.sql_store import engine_for

    def tables() -> set[str]:
        with transaction(pg_url) as conn:
            return set(inspect(conn).get_table_names())
    assert head() == "0006" and "http_cache_entries" in tables() and "http_cache" not in tables()
    cfg = _config()
    try:
        with transaction(pg_url) as conn:
            cfg.attributes["connection"] = conn
            command.downgrade(cfg, "0005")
        engine_for(pg_url).dispose()
        assert "http_cache" in tables() and "http_cache_entries" not in tables()
    finally:
        upgraded = migrate(pg_url)  # the shared test database is left at the newest revision
    assert upgraded == ("0005", "0006")
    assert "http_cache_entries" in tables() and "http_cache" not in tables()
