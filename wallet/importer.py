"""Verifying and storing badge files: dedupe, batching, the record of a new entry.

Storage policy: a file with no readable badge (not a badge, unreadable, a URL that returned nothing)
is *not* stored — its result says why. A badge that verifies as invalid, unverifiable, expired or
revoked *is* stored with that verdict, so a learner sees it flagged rather than losing it.
Duplicates are found by identity (:mod:`wallet.identity`), then by bytes, and refused with
"Already in wallet"; an authenticated copy replaces a stored copy of the same badge that is not.

Files are verified :data:`BATCH` at a time in parallel (one shared fetcher) and written :data:`BATCH`
at a time; the decisions stay in the order of the files.
"""
from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from typing import Any

from verifier import MAX_FILE_BYTES, Report, SafeFetcher, sniff_media, verify, verify_many

from . import archive, trust
from . import entries as entries_mod
from .core import VERIFY_WORKERS, Progress, WalletCore
from .grouping import classify
from .identity import identity_key, is_authenticated, record_authenticated, record_identity
from .model import DamagedRecord, Entry
from .results import ImportResult, first_failure

BATCH = 20  # bulk imports are verified and written in batches of this many entries


def sniff_media_type(data: bytes, filename: str = "") -> str:
    """The media type the wallet stores a file under (:func:`verifier.sniff_media`)."""
    return sniff_media(data, filename).value


def _payload_url(report: Report) -> str | None:
    payload = (report.payload or "").strip()
    return payload if payload.startswith(("http://", "https://")) else None


def import_items(core: WalletCore, items: list[tuple[str, bytes]], progress: Progress | None = None,
                 presets: Sequence[Mapping[str, Any] | None] | None = None) -> list[ImportResult]:
    """Verify and store ``items`` (name, bytes), one result each in order; ``presets[i]`` are extra
    record fields for a new entry (restore).

    Duplicates are found by identity (:mod:`wallet.identity`), then by bytes; the message names
    the badge already stored. An authenticated copy replaces a stored copy of the same badge that
    is not, keeping the learner's id, notes, tags and category."""
    stored = entries_mod.readable_summary_records(core)
    by_sha = {r["sha256"]: r for r in stored if r.get("sha256")}
    by_identity = {k: r for r in stored if (k := record_identity(r))}
    options = trust.identity_options(core)
    fetcher = core.fetcher()
    results: list[ImportResult | None] = [None] * len(items)
    pending: list[tuple[int, dict[str, Any]]] = []
    pending_identities: set[str] = set()

    def flush() -> None:
        if not pending:
            return
        outcomes = core.save(lambda: core.store.add_entries([rec for _, rec in pending]))
        for (index, rec), outcome in zip(pending, outcomes, strict=False):
            label = items[index][0] or rec.get("filename", "")
            if outcome.added:
                kept = dict(rec, id=outcome.id)
                by_sha[kept["sha256"]] = kept
                if kept.get("badge_id"):
                    by_identity[kept["badge_id"]] = kept
                results[index] = _added_result(kept, label)
            else:  # stored meanwhile (another process, or the same id/bytes earlier)
                existing = core.store.get_entry(outcome.id) or rec
                results[index] = _duplicate_result(existing, label)
        pending.clear()
        pending_identities.clear()

    digests = [hashlib.sha256(data).hexdigest() for _, data in items]
    reports: dict[int, Report] = {}

    def verify_ahead(start: int) -> None:
        """Verify the next BATCH files in parallel (one shared fetcher); the decisions below stay in order."""
        todo = [i for i in range(start, min(start + BATCH, len(items)))
                if digests[i] not in by_sha and len(items[i][1]) <= MAX_FILE_BYTES]
        for i, report in zip(todo, verify_many([items[i][1] for i in todo], now=core.clock(), fetcher=fetcher,
                                               workers=VERIFY_WORKERS, **options), strict=True):
            reports[i] = report

    try:
        for index, (name, data) in enumerate(items):
            if progress:
                progress(index, len(items), name)
            if index % BATCH == 0:
                verify_ahead(index)
            digest = digests[index]
            if digest in by_sha:
                results[index] = _duplicate_result(by_sha[digest], name)
                continue
            record_or_error = _new_record(core, name, data, digest, fetcher, options, reports.pop(index, None))
            if isinstance(record_or_error, ImportResult):
                results[index] = record_or_error
                continue
            rec = record_or_error
            key = rec.get("badge_id")
            if key and key in pending_identities:
                flush()  # a second copy of a badge in the same batch: decide against the stored first one
            if key and key in by_identity:
                existing = by_identity[key]
                if rec["authenticated"] and not record_authenticated(existing):
                    replaced = _replace(core, existing, rec)
                    by_identity[key] = replaced
                    by_sha[replaced["sha256"]] = replaced
                    results[index] = _replaced_result(existing, replaced, name)
                else:
                    results[index] = _duplicate_result(existing, name, differs=True,
                                                       unconfirmed=not rec["authenticated"])
                continue
            preset = presets[index] if presets else None
            if preset:
                rec.update(preset)
            pending.append((index, rec))
            if key:
                pending_identities.add(key)
            if len(pending) >= BATCH:
                flush()
        flush()
    finally:
        fetcher.close()
    if progress:
        progress(len(items), len(items), "")
    return [r for r in results if r is not None]  # every slot is filled by now


def _new_record(core: WalletCore, name: str, data: bytes, digest: str, fetcher: SafeFetcher,
                options: Mapping[str, Any], report: Report | None = None) -> dict[str, Any] | ImportResult:
    """The record of a new file (``report``: its verification, when already done)."""
    label = name or "pasted text"
    if len(data) > MAX_FILE_BYTES:
        return ImportResult(label, "rejected", f"Not stored: the file is larger than "
                            f"{MAX_FILE_BYTES // (1024 * 1024)} MB.")
    if report is None:
        report = verify(data, now=core.clock(), fetcher=fetcher, **options)
    badge = report.badge  # as stated, even when it could not be confirmed: the verifier's job, not ours
    if badge is None:
        return ImportResult(label, "rejected", f"Not stored: {first_failure(report)}", verdict=report.verdict)
    media = sniff_media(data, name)
    filename = archive.safe_filename(name.rsplit("/", 1)[-1], "") if name else ""
    if not filename:
        filename = archive.safe_filename(badge.name or "badge") + media.extension
    grouping = classify(badge)
    now = core.clock()
    badge_dict = badge.to_dict()
    entry = Entry(id="", filename=filename, media_type=media.value, content=data, sha256=digest,
                  badge_id=identity_key(report.format, badge_dict, _payload_url(report)), badge=badge_dict,
                  report=report.to_dict(), verdict=report.verdict, format=report.format, verified_at=now,
                  category=grouping.category, reasons=grouping.reasons, checklist=grouping.checklist,
                  added_at=now, authenticated=is_authenticated(report))
    return entry.to_record()


def _replace(core: WalletCore, existing: dict[str, Any], rec: dict[str, Any]) -> dict[str, Any]:
    """Put the authenticated copy ``rec`` in place of ``existing`` (same id; the learner's
    additions and the date it was first added are kept)."""
    keep = ("id", "notes", "tags", "override", "added_at")
    fields = {k: v for k, v in rec.items() if k not in keep}
    core.save(lambda: core.store.update_entries({existing["id"]: fields}))
    return dict(existing, **fields)


def _stored_name(rec: Mapping[str, Any]) -> str:
    try:
        return Entry.from_record(dict(rec)).name
    except DamagedRecord:
        return str(rec.get("filename") or "a badge")


def _duplicate_result(existing: Mapping[str, Any], label: str, *, differs: bool = False,
                      unconfirmed: bool = False) -> ImportResult:
    message = f"Already in wallet: “{_stored_name(existing)}”."
    if differs and unconfirmed:
        message += (" This file claims to be the same badge but differs from the stored copy and could not "
                    "be confirmed with its issuer, so the stored copy was kept.")
    return ImportResult(label or str(existing.get("filename", "")), "duplicate", message, existing.get("id"),
                        existing.get("verdict"), existing.get("override") or existing.get("category"))


def _replaced_result(existing: Mapping[str, Any], rec: Mapping[str, Any], label: str) -> ImportResult:
    old = _stored_name(existing)
    message = (f"Replaced the copy of “{old}” already in the wallet, which could not be confirmed "
               f"({existing.get('verdict')}), with this authenticated one (now {rec.get('verdict')}); "
               "its notes, tags and category were kept.")
    return ImportResult(label, "replaced", message, existing.get("id"), rec.get("verdict"),
                        existing.get("override") or rec.get("category"))


def _added_result(rec: dict[str, Any], label: str = "") -> ImportResult:
    entry = Entry.from_record(rec)
    label = label or entry.filename
    report = rec.get("report") or {}
    if entry.verdict == "valid":
        message = f"Added “{entry.name}”: it is genuine."
    else:
        failing = next((c["message"] for c in report.get("checks", []) if c.get("status") == "fail"), "")
        message = f"Added “{entry.name}”, flagged {entry.verdict}" + (f": {failing}" if failing else ".")
    return ImportResult(label, "added", message, entry.id, entry.verdict, entry.effective_category)
