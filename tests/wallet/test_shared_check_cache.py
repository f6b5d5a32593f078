"""Hosted mode: the public-page check cache is a table every app process shares (SQLCheckCache), keyed
like the file cache, with the same short lifetime. Two wallets/caches over one database stand for two
processes (the engine pool is dropped in between, so nothing is shared but the database)."""
from __future__ import annotations

from datetime import timedelta

import pytest
from support.issuer_server import IssuerServer
from support.postgres import fresh_owner
from support.wallet_badges import NOW

from wallet import Wallet
from wallet.check_cache import cache_key
from wallet.portfolio import CACHE_SECONDS
from wallet.sql_store import SQLCheckCache, dispose_engines

REPORT = {"verdict": "valid", "format": "ob2-hosted", "checks": []}


@pytest.fixture
def issuer(no_network):
    no_network.add_passthru("http://127.0.0.1")
    server = IssuerServer().start()
    yield server
    server.stop()


def test_a_result_written_by_one_process_is_served_to_another(pg_url):
    owner = fresh_owner()
    now = [NOW]
    one = SQLCheckCache(pg_url, owner, keep=600, clock=lambda: now[0])
    one.put({cache_key("e1", "a" * 64): (NOW, REPORT)})
    dispose_engines()
    two = SQLCheckCache(pg_url, owner, keep=600, clock=lambda: now[0])
    assert two.get(cache_key("e1", "a" * 64)) == (NOW, REPORT)
    assert two.get(cache_key("e1", "b" * 64)) is None  # a replaced file never reuses the old result
    assert SQLCheckCache(pg_url, fresh_owner("other")).get(cache_key("e1", "a" * 64)) is None  # per owner
    # an older result never overwrites a newer one (two processes finishing out of order)
    two.put({cache_key("e1", "a" * 64): (NOW + timedelta(seconds=30), {**REPORT, "verdict": "revoked"})})
    one.put({cache_key("e1", "a" * 64): (NOW + timedelta(seconds=10), REPORT)})
    assert one.get(cache_key("e1", "a" * 64))[1]["verdict"] == "revoked"
    # past its lifetime a result is not served, and the next write removes it
    now[0] = NOW + timedelta(seconds=631)
    assert two.get(cache_key("e1", "a" * 64)) is None
    two.put({cache_key("e2", "c" * 64): (now[0], REPORT)})
    now[0] = NOW
    assert one.get(cache_key("e1", "a" * 64)) is None  # deleted, not just hidden


def test_an_unmigrated_or_unreachable_database_reads_as_empty():
    broken = SQLCheckCache("postgresql://nobody@127.0.0.1:1/none", "o")
    assert broken.get_many(["k"]) == {}
    broken.put({"k": (NOW, REPORT)})  # dropped, never raised


def test_two_app_processes_share_the_public_page_results(pg_url, issuer):
    owner = fresh_owner()
    first = Wallet(pg_url, owner=owner, now=NOW, allow_hosts=[issuer.host])
    ids = [first.import_file(f"{s}.png", issuer.badge(s)).entry_id for s in ("a", "b")]
    _, link = first.create_portfolio(ids, "Jobs")
    first.now = NOW + timedelta(minutes=10)
    before = issuer.requests
    view = first.open_portfolio(link)
    assert [b.freshness for b in view.badges] == ["now", "now"] and issuer.requests > before
    dispose_engines()
    second = Wallet(pg_url, owner=owner, now=NOW + timedelta(minutes=11), allow_hosts=[issuer.host])
    before = issuer.requests
    view = second.open_portfolio(link)
    assert issuer.requests == before  # served what the other process checked a minute ago
    assert [b.freshness for b in view.badges] == ["cached", "cached"]
    assert all(b.checked_at == NOW + timedelta(minutes=10) for b in view.badges)
    # once the cached result is older than the page's lifetime it is checked again
    second.now = NOW + timedelta(minutes=10, seconds=CACHE_SECONDS + 1)
    view = second.open_portfolio(link)
    assert issuer.requests > before and [b.freshness for b in view.badges] == ["now", "now"]
