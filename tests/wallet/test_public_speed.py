"""Fast public pages: stored results at once, parallel re-checks under one deadline, a shared cache."""
from __future__ import annotations

import time
from datetime import timedelta

import pytest
from support.issuer_server import IssuerServer
from support.wallet_badges import NOW, hosted_badge, revoke

from wallet import Wallet


@pytest.fixture
def issuer(no_network):
    no_network.add_passthru("http://127.0.0.1")  # this test's own issuer on 127.0.0.1 is really reached
    server = IssuerServer().start()
    yield server
    server.stop()


def test_a_hanging_issuer_never_delays_the_other_badges(issuer, tmp_path):
    w = Wallet(tmp_path / "w.json", now=NOW, allow_hosts=[issuer.host])
    ids = [w.import_file(f"{s}.png", issuer.badge(s)).entry_id for s in ("quick", "stuck", "fast")]
    assert [w.get(i).verdict for i in ids] == ["valid"] * 3
    _, link = w.create_portfolio(ids, "Jobs")
    issuer.hang("stuck")
    w.now = NOW + timedelta(minutes=10)
    finished: dict[int, float] = {}
    start = time.monotonic()
    view = w.open_portfolio(link, deadline=1.5, on_done=lambda i, b: finished.setdefault(i, time.monotonic() - start))
    elapsed = time.monotonic() - start
    assert elapsed < 3.0  # one deadline for the page, not a timeout per badge
    quick, stuck, fast = view.badges
    assert quick.freshness == fast.freshness == "now" and quick.verdict == fast.verdict == "valid"
    assert finished[0] < 1.0 and finished[2] < 1.0  # filled in long before the deadline
    assert stuck.freshness == "late" and stuck.verdict == "valid" and stuck.checked_at == NOW
    note = stuck.checked_note(w.now, 1.5)
    assert "10 minutes ago" in note and "could not be checked again just now" in note
    # only what was checked is cached, and the owner's wallet itself is never written by a public page
    from wallet.check_cache import cache_key

    assert w.check_cache.get(cache_key(ids[0], w.get(ids[0]).sha256))[0] == w.now
    assert w.check_cache.get(cache_key(ids[1], w.get(ids[1]).sha256)) is None
    assert w.get(ids[0]).verified_at == NOW


def test_stored_view_answers_at_once_without_any_fetch(issuer, tmp_path):
    w = Wallet(tmp_path / "w.json", now=NOW, allow_hosts=[issuer.host])
    eid = w.import_file("a.png", issuer.badge("a")).entry_id
    _, link = w.create_portfolio([eid], "Jobs")
    issuer.hang("a")
    w.now = NOW + timedelta(hours=3)
    before = issuer.requests
    start = time.monotonic()
    view = w.open_portfolio(link, refresh=False)
    assert time.monotonic() - start < 0.5 and issuer.requests == before
    [badge] = view.badges
    assert badge.freshness == "stale" and "3 hours ago" in badge.checked_note(w.now)


def test_cache_is_shared_between_views_and_processes(http, tmp_path):
    path = tmp_path / "w.json"
    w = Wallet(path, now=NOW)
    eid = w.import_file("c.png", hosted_badge(http, "c")).entry_id
    _, link = w.create_portfolio([eid], "Jobs")
    w.now = NOW + timedelta(minutes=5)
    calls = len(http.calls)
    assert w.open_portfolio(link).badges[0].freshness == "now" and len(http.calls) > calls
    calls = len(http.calls)
    other = Wallet(path, now=NOW + timedelta(minutes=6))  # another app process on the same store
    assert other.open_portfolio(link).badges[0].freshness == "cached" and len(http.calls) == calls
    revoke(http, "c")
    later = Wallet(path, now=NOW + timedelta(minutes=8))  # past the cache time: the revocation shows
    badge = later.open_portfolio(link).badges[0]
    assert badge.verdict == "revoked" and len(http.calls) > calls
    assert Wallet(path).get(eid).verdict == "valid"  # the owner's wallet is not written by a visitor's view
    assert Wallet(path, now=NOW + timedelta(minutes=9)).open_portfolio(link, refresh=False).badges[0].verdict \
        == "revoked"  # the next view starts from the newest result


def test_a_damaged_cache_file_is_only_a_cache(http, tmp_path):
    w = Wallet(tmp_path / "w.json", now=NOW)
    eid = w.import_file("d.png", hosted_badge(http, "d")).entry_id
    _, link = w.create_portfolio([eid], "Jobs")
    w.check_cache.path.write_text("{not json")
    w.now = NOW + timedelta(minutes=5)
    assert w.open_portfolio(link).badges[0].verdict == "valid"
    assert w.open_portfolio(link).badges[0].freshness == "cached"  # rewritten whole
