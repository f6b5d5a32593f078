"""Verifying many badges at once: the same reports as one by one, shared issuer documents, a deadline,
and a wallet re-check that runs in parallel over a few entries at a time."""
from __future__ import annotations

import sqlite3
import threading

from support.wallet_badges import ISSUER_URL, NOW, hosted_badge, revoke

import verifier.batch
import wallet.reverify
from verifier import SafeFetcher, verify
from verifier.batch import verify_many
from verifier.demo import DEMO_MIRRORS
from wallet import Wallet
from wallet.demo import demo_files


def comparable(report) -> tuple:
    return report.verdict, report.format, [c.to_dict() for c in report.checks], \
        report.badge.to_dict() if report.badge else None


def mixed_sources(http) -> list:
    demo = [f.path.read_bytes() for f in demo_files()]
    hosted = [hosted_badge(http, f"b{i}") for i in range(5)]
    return [*demo, *hosted, b"not a badge at all", b"\x89PNG\r\n\x1a\nbroken"]


def test_parallel_reports_equal_one_by_one_reports_in_order(http):
    sources = mixed_sources(http)
    alone = [comparable(verify(s, now=NOW, fetcher=SafeFetcher(mirrors=DEMO_MIRRORS))) for s in sources]
    together = verify_many(sources, now=NOW, fetcher=SafeFetcher(mirrors=DEMO_MIRRORS), workers=4)
    assert [comparable(r) for r in together] == alone
    assert {r.verdict for r in together} >= {"valid", "revoked", "invalid"}  # a real mix, not one verdict
    # demo badges sharing the demo issuer's cached documents each still say they were read from the
    # demo copy (the equality above holds per badge)
    assert sum(any(c.id == "mirror" for c in r.checks) for r in together) >= 2


def test_issuer_documents_are_fetched_once_per_batch(http):
    sources = [hosted_badge(http, f"s{i}") for i in range(8)]
    reports = verify_many(sources, now=NOW, fetcher=SafeFetcher(), workers=4)
    assert [r.verdict for r in reports] == ["valid"] * 8
    issuer_calls = [c for c in http.calls if c.request.url == ISSUER_URL]
    assert len(issuer_calls) == 1
    assert len([c for c in http.calls if "/assertions/" in c.request.url]) == 8


def test_a_badge_past_the_deadline_is_unverifiable_and_says_a_retry_may_help(http, monkeypatch):
    release = threading.Event()
    real = verifier.batch.verify_with

    def slow(source, ctx):
        if source == b"slow":
            release.wait(10)
        return real(source, ctx)

    monkeypatch.setattr(verifier.batch, "verify_with", slow)
    fast = hosted_badge(http, "fast")
    try:
        reports = verify_many([fast, b"slow"], now=NOW, fetcher=SafeFetcher(), deadline=0.5)
    finally:
        release.set()
    assert reports[0].verdict == "valid"
    assert reports[1].verdict == "unverifiable"
    assert [c.id for c in reports[1].checks] == ["deadline"]
    assert "Trying again may work" in reports[1].checks[0].message and reports[1].checks[0].retry is True


def test_a_crash_in_one_verification_is_that_badge_s_report(http, monkeypatch):
    real = verifier.batch.verify_with

    def buggy(source, ctx):
        if source == b"boom":
            raise KeyError("bug")
        return real(source, ctx)

    monkeypatch.setattr(verifier.batch, "verify_with", buggy)
    reports = verify_many([hosted_badge(http, "ok"), b"boom"], now=NOW)
    assert reports[0].verdict == "valid"
    assert reports[1].verdict == "unverifiable" and "KeyError" in reports[1].checks[0].message


def test_wallet_recheck_in_parallel_chunks_updates_every_entry(http, tmp_path, monkeypatch):
    monkeypatch.setattr(wallet.reverify, "REVERIFY_CHUNK", 3)
    monkeypatch.setattr(wallet.reverify, "REVERIFY_WRITE_EVERY", 4)
    w = Wallet(tmp_path / "wallet.json", now=NOW)
    results = w.import_files([(f"b{i}.png", hosted_badge(http, f"r{i}")) for i in range(10)])
    assert [r.status for r in results] == ["added"] * 10
    ids = [r.entry_id for r in results]
    for i in (2, 7):
        revoke(http, f"r{i}")
    writes = []
    real_update = w.store.update_entries
    monkeypatch.setattr(w.store, "update_entries", lambda changes: writes.append(len(changes)) or real_update(changes))
    progress = []
    rechecked = w.reverify(progress=lambda done, total, _: progress.append((done, total)))
    assert [r.entry_id for r in rechecked] == ids
    assert [r.verdict for r in rechecked] == ["revoked" if i in (2, 7) else "valid" for i in range(10)]
    assert sum(writes) == 10 and len(writes) >= 2  # progress was saved along the way
    assert progress[-1] == (10, 10)
    fresh = Wallet(w.path, now=NOW)
    assert [e.verdict for e in fresh.get_many(ids)] == [r.verdict for r in rechecked]
    assert fresh.get(ids[2]).name == "Badge r2"  # kept from when it was readable
    assert [s.verdict for s in fresh.summaries()] == [r.verdict for r in rechecked]


def test_export_carries_every_blob_and_restores_byte_for_byte(http, tmp_path):
    w = Wallet(tmp_path / "a.json", now=NOW)
    files = [(f"b{i}.png", hosted_badge(http, f"e{i}")) for i in range(3)]
    w.import_files(files)
    exported = w.export_zip()
    other = Wallet(tmp_path / "b.json", now=NOW)
    assert [r.status for r in other.import_archive(exported)] == ["added"] * 3
    assert sorted(e.content for e in other.entries()) == sorted(data for _, data in files)
    assert [e.report for e in other.entries()] == [e.report for e in w.entries()]
    with sqlite3.connect(tmp_path / "b.json") as index:  # the index holds no badge bytes (they are blobs)
        assert all(b"content_b64" not in s for (s,) in index.execute("SELECT summary FROM entries"))
