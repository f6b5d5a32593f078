"""Checking stored badges again (revocations, expiry and issuer changes show up here).

Up to :data:`wallet.core.VERIFY_WORKERS` at a time sharing one fetcher (connections and issuer
documents are reused across the batch; the fetcher is new for each call, so a revocation made since
the last check is seen once the kept copy's caching headers say it is stale, see
:meth:`wallet.core.WalletCore.fetcher`). Entries are loaded :data:`REVERIFY_CHUNK` at a time and saved every
:data:`REVERIFY_WRITE_EVERY`: memory does not grow with the wallet, and an interrupted re-check of a
big wallet keeps what it had finished. A record that cannot be read is named, never skipped silently.
"""
from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from verifier import Report, verify_many

from . import entries as entries_mod
from . import trust
from .core import VERIFY_WORKERS, Progress, WalletCore
from .grouping import classify
from .identity import identity_key, is_authenticated
from .model import Entry
from .results import ReverifyResult, first_failure
from .store import WalletError

REVERIFY_CHUNK = 64  # entries (files + reports) held in memory at once by a re-check
REVERIFY_WRITE_EVERY = 512  # a re-check of a big wallet saves its progress this often


def reverify(core: WalletCore, ids: Sequence[str] | None = None,
             progress: Progress | None = None) -> list[ReverifyResult]:
    """Verify entries again (all when ``ids`` is None) and store the new reports (see the module doc)."""
    known = [e.id for e in entries_mod.summaries(core)]
    if ids is None:
        todo = known
    else:
        present = set(known)
        for entry_id in ids:
            if entry_id not in present:
                raise WalletError(f"There is no badge with id {entry_id} in this wallet.")
        todo = list(dict.fromkeys(ids))
    options = trust.identity_options(core)
    fetcher = core.fetcher()
    now = core.clock()
    changes: dict[str, dict[str, Any]] = {}
    results: list[ReverifyResult] = []

    def save() -> None:
        pending = dict(changes)
        changes.clear()
        core.save(lambda: core.store.update_entries(pending))

    try:
        for start in range(0, len(todo), REVERIFY_CHUNK):
            if progress:
                progress(start, len(todo), "")
            wanted = todo[start:start + REVERIFY_CHUNK]
            loaded = entries_mod.read_many(core, wanted)
            read = {e.id for e in loaded.entries}
            for entry_id, sentence in zip([i for i in wanted if i not in read], loaded.damage, strict=False):
                results.append(ReverifyResult(entry_id, "", "", "", sentence, damaged=True))
            reports = verify_many([e.content for e in loaded.entries], now=now, fetcher=fetcher,
                                  workers=VERIFY_WORKERS, **options)
            for entry, report in zip(loaded.entries, reports, strict=True):
                changes[entry.id] = _reverified_fields(entry, report, now)
                results.append(_reverify_result(entry, report))
            if len(changes) >= REVERIFY_WRITE_EVERY:
                save()
    finally:
        fetcher.close()
        if changes:
            save()
    if progress:
        progress(len(todo), len(todo), "")
    return results


def _reverified_fields(entry: Entry, report: Report, now: datetime) -> dict[str, Any]:
    fields: dict[str, Any] = {"report": report.to_dict(), "verdict": report.verdict,
                              "format": report.format, "verified_at": now.isoformat(),
                              "authenticated": is_authenticated(report)}
    badge = report.badge
    if badge is not None and (badge.name or not entry.badge.get("name")):
        # A revoked hosted badge comes back nearly empty (the issuer's copy is gone): keep what we had.
        grouping = classify(badge)
        badge_dict = badge.to_dict()
        fields.update(badge=badge_dict, category=grouping.category,
                      badge_id=identity_key(report.format, badge_dict, entry.badge_id) or entry.badge_id,
                      reasons=[s.to_dict() for s in grouping.reasons],
                      checklist=[s.to_dict() for s in grouping.checklist])
    return fields


def _reverify_result(entry: Entry, report: Report) -> ReverifyResult:
    if report.verdict == entry.verdict:
        message = f"“{entry.name}” is still {report.verdict}."
    else:
        message = f"“{entry.name}” was {entry.verdict} and is now {report.verdict}: {first_failure(report)}" \
            if report.verdict != "valid" else f"“{entry.name}” was {entry.verdict} and is now valid."
    return ReverifyResult(entry.id, entry.name, entry.verdict, report.verdict, message)
