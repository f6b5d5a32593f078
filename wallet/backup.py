"""Backing the wallet up (one zip, lossless) and restoring such a backup as an import.

The file format is :mod:`wallet.archive`; this module applies it to a wallet. A backup is untrusted
input (any zip with an index naming the format): each file is verified and grouped again exactly
like an import, and the index's verdicts, categories and badge data are ignored. Only the learner's
additions are taken — notes, tags and category override — and merged into a badge already in the
wallet. Portfolio links are restored *withdrawn*, with no token: a backup must never open a public
link (its token may be known to whoever made the zip); ``Wallet.recreate_portfolio`` makes a new
link for the same badges.
"""
from __future__ import annotations

import io
from collections.abc import Iterator, Mapping, Sequence
from typing import IO, Any

from verifier import parse_datetime

from . import archive
from . import entries as entries_mod
from .core import WalletCore
from .importer import import_items
from .model import Portfolio
from .results import ImportResult
from .store import entry_summaries, new_id

EXPORT_CHUNK = 32  # entries (files + reports) held in memory at once by an export


def export_zip(core: WalletCore, portfolios: Sequence[Portfolio]) -> bytes:
    """Every readable entry (its original file + index record) and ``portfolios``, as one zip."""
    buf = io.BytesIO()
    export_to(core, portfolios, buf)
    return buf.getvalue()


def export_to(core: WalletCore, portfolios: Sequence[Portfolio], handle: IO[bytes]) -> int:
    """:func:`export_zip` written to ``handle`` :data:`EXPORT_CHUNK` entries at a time (memory stays flat
    at any wallet size); returns the number of badges exported."""
    ids = [e.id for e in entries_mod.summaries(core)]

    def records() -> Iterator[list[dict[str, Any]]]:
        for start in range(0, len(ids), EXPORT_CHUNK):
            loaded = entries_mod.read_many(core, ids[start:start + EXPORT_CHUNK]).entries
            yield [{k: v for k, v in e.to_record().items() if k != "content_b64"} for e in loaded]

    def files(kept: list[str]) -> Iterator[list[bytes]]:
        for start in range(0, len(kept), EXPORT_CHUNK):
            part = kept[start:start + EXPORT_CHUNK]
            found = {e.id: e.content for e in entries_mod.read_many(core, part).entries}
            yield [found[i] for i in part if i in found]

    return archive.write_export_to(handle, records, files, [p.to_record() for p in portfolios])


def restore(core: WalletCore, data: bytes) -> list[ImportResult]:
    """Restore the wallet export ``data`` (see the module doc); one result per badge and per link."""
    parsed = archive.read_export(data)
    if isinstance(parsed, str):
        return [ImportResult("archive", "rejected", parsed)]
    results = [ImportResult(name, "rejected", f"Not restored: {why}.") for name, why in parsed.problems]
    taken = {r.get("id") for r in entry_summaries(core.store) if isinstance(r, dict)}
    items, presets = [], []
    for item in parsed.entries:
        preset: dict[str, Any] = {"notes": item.notes, "tags": item.tags, "override": item.override}
        if item.old_id and item.old_id not in taken:
            preset["id"] = item.old_id  # kept when free: an old link's badge list still reads right
            taken.add(item.old_id)
        added_at = parse_datetime(item.added_at)
        if added_at:
            preset["added_at"] = added_at.isoformat()
        items.append((item.filename, item.content))
        presets.append(preset)
    imported = import_items(core, items, None, presets)
    renamed: dict[str, str] = {}
    merges: dict[str, dict[str, Any]] = {}
    for item, result in zip(parsed.entries, imported, strict=False):
        if result.entry_id and item.old_id:
            renamed[item.old_id] = result.entry_id
        if result.status == "added" and result.message.startswith("Added "):
            result = ImportResult(result.filename, "added", "Restored " + result.message[len("Added "):],
                                  result.entry_id, result.verdict, result.category)
        if result.status in ("duplicate", "replaced") and result.entry_id:
            fields = _merged_additions(core, result.entry_id, item, merges.get(result.entry_id))
            if fields:
                merges[result.entry_id] = fields
                result = ImportResult(result.filename, result.status,
                                      result.message + " The notes, tags and category from the backup "
                                      "were merged into it.", result.entry_id, result.verdict, result.category)
        results.append(result)
    if merges:
        core.save(lambda: core.store.update_entries(merges))
    results.extend(_restore_portfolios(core, parsed.portfolios, renamed))
    return results


def _merged_additions(core: WalletCore, entry_id: str, item: archive.ArchivedEntry,
                      earlier: dict[str, Any] | None) -> dict[str, Any]:
    """The notes/tags/override of the stored entry with the backup's merged in (only what changes)."""
    entry = core.get(entry_id)
    if entry is None:
        return {}
    notes = (earlier or {}).get("notes", entry.notes)
    tags = list((earlier or {}).get("tags", entry.tags))
    override = (earlier or {}).get("override", entry.override)
    fields: dict[str, Any] = {}
    if item.notes and item.notes not in notes:
        fields["notes"] = f"{notes}\n\n{item.notes}" if notes else item.notes
    merged_tags = list(dict.fromkeys([*tags, *item.tags]))
    if merged_tags != tags:
        fields["tags"] = merged_tags
    if override is None and item.override:
        fields["override"] = item.override
    return dict(earlier or {}, **fields) if fields else {}


def _restore_portfolios(core: WalletCore, items: Sequence[archive.ArchivedPortfolio],
                        renamed: Mapping[str, str]) -> list[ImportResult]:
    results, records = [], []
    now = core.clock()
    for item in items:
        ids = [renamed[i] for i in item.entry_ids if i in renamed]
        if not ids:
            results.append(ImportResult(f"link “{item.title}”", "rejected",
                                        "Not restored: none of its badges came back from the backup."))
            continue
        portfolio = Portfolio(id=new_id(), title=item.title, entry_ids=list(dict.fromkeys(ids)), token_hash="",
                              created_at=now, revoked_at=now)
        records.append(portfolio.to_record())
        results.append(ImportResult(
            f"link “{item.title}”", "added",
            f"The portfolio link “{item.title}” ({len(portfolio.entry_ids)} badge(s)) was restored as withdrawn: "
            "a link is never reopened from a backup. Make it again on the Share page "
            f"(“Make a new link”) or with: wallet recreate {portfolio.id}.", portfolio.id))
    if records:
        core.save(lambda: core.store.add_portfolios(records))
    return results
