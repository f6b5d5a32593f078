"""Reading the wallet's entries (lists, summaries, several at once) and the learner's edits to them.

A damaged record never stops a read: it is skipped and described by one sentence, numbered by its
place in the wallet, so the learner is told what could not be read instead of losing the rest.
Every read decodes records the same way (:func:`_decode`); summaries (no original file, report or
checklist) are what lists use, so a big wallet stays cheap to show.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from .model import CATEGORIES, DamagedRecord, Entry, EntrySummary, Portfolio
from .store import WalletError, WalletStore, entry_summaries, get_entries

if TYPE_CHECKING:  # a core is only passed in: listing needs no verifier or fetcher loaded
    from .core import WalletCore

E = TypeVar("E", Entry, EntrySummary)


@dataclass(frozen=True)
class Loaded:
    """Entries read, and a sentence per record among them that could not be read in full."""

    entries: list[Entry] = field(default_factory=list)
    damage: list[str] = field(default_factory=list)


def _decode(records: Iterable[Any], decode: Callable[[Any], E],
            place: Callable[[int, Any], int | None] | None = None) -> tuple[list[E], list[str]]:
    """Decode ``records``; a damaged one becomes a sentence numbered by its place in the wallet:
    ``place(n, record)`` for the n-th record read, by default ``n`` (the whole list was read)."""
    out: list[E] = []
    damaged: list[str] = []
    for n, rec in enumerate(records, start=1):
        try:
            out.append(decode(rec))
        except DamagedRecord as exc:
            position = place(n, rec) if place is not None else n
            damaged.append(exc.at(position).sentence() if position else exc.sentence())
    return out, damaged


def _filtered(items: list[E], category: str | None, verdict: str | None, issuer: str | None) -> list[E]:
    if category:
        items = [e for e in items if e.effective_category == category]
    if verdict:
        items = [e for e in items if e.verdict == verdict]
    if issuer:
        items = [e for e in items if e.issuer_name == issuer]
    return items


def all_entries(core: WalletCore) -> Loaded:
    """Every readable entry, fully read, and a sentence per damaged record (skipped, left in the file)."""
    out, damaged = _decode(core.store.entries(), Entry.from_record)
    return Loaded(out, damaged)


def all_summaries(core: WalletCore) -> tuple[list[EntrySummary], list[str]]:
    """Every readable summary and a sentence per damaged summary record."""
    return _decode(entry_summaries(core.store), EntrySummary.from_record)


def readable_summary_records(core: WalletCore) -> list[dict[str, Any]]:
    """Summary records that decode (the ones import compares new files against: identity, bytes,
    verdict and name are all in a summary, so no original file or report is read)."""
    out = []
    for rec in entry_summaries(core.store):
        try:
            EntrySummary.from_record(rec)
        except DamagedRecord:
            continue
        out.append(rec)
    return out


def read_many(core: WalletCore, entry_ids: Sequence[str]) -> Loaded:
    """The readable entries of ``entry_ids``, in that order, read in one go, and a sentence per record
    among them that cannot be read in full (its file or report damaged), numbered by its place in the
    wallet (the places are looked up only when something is damaged)."""
    places: dict[Any, int] = {}

    def place(_n: int, rec: Any) -> int | None:
        if not places:
            places.update({r.get("id"): n for n, r in enumerate(entry_summaries(core.store), start=1)
                           if isinstance(r, dict)})
        return places.get(rec.get("id")) if isinstance(rec, dict) else None

    out, damaged = _decode(get_entries(core.store, list(entry_ids)), Entry.from_record, place)
    return Loaded(out, damaged)


def listing(store: WalletStore) -> tuple[list[EntrySummary], list[str]]:
    """Every readable summary, and a sentence per damaged entry or portfolio record, from the store alone
    (``python -m wallet list``: no original file, report or checklist is read, nothing else is loaded)."""
    out, damage = _decode(entry_summaries(store), EntrySummary.from_record)
    return out, damage + _portfolio_damage(store)


def portfolio_damage(core: WalletCore) -> list[str]:
    return _portfolio_damage(core.store)


def _portfolio_damage(store: WalletStore) -> list[str]:
    out = []
    for rec in store.portfolios():
        try:
            Portfolio.from_record(rec)
        except DamagedRecord as exc:
            out.append(f"The wallet file is damaged: {exc.why} (skipped).")
    return out


def damaged(core: WalletCore) -> list[str]:
    """One sentence per damaged record of the wallet file (empty when all is well). Reads the
    summaries only: a damaged report or file of one badge shows when that badge is opened."""
    return all_summaries(core)[1] + portfolio_damage(core)


def entries(core: WalletCore, category: str | None = None, verdict: str | None = None,
            issuer: str | None = None) -> list[Entry]:
    """Readable entries, oldest first; damaged records are skipped (see :func:`damaged`)."""
    return _filtered(all_entries(core).entries, category, verdict, issuer)


def summaries(core: WalletCore, category: str | None = None, verdict: str | None = None,
              issuer: str | None = None) -> list[EntrySummary]:
    """Like :func:`entries` without the original files, reports and checklists (cheap for a big wallet)."""
    return _filtered(all_summaries(core)[0], category, verdict, issuer)


def issuers(core: WalletCore) -> list[str]:
    return sorted({e.issuer_name for e in summaries(core)})


# --- the learner's edits

def update(core: WalletCore, entry_id: str, fields: Mapping[str, Any]) -> Entry:
    if not core.save(lambda: core.store.update_entries({entry_id: dict(fields)})):
        raise WalletError(f"There is no badge with id {entry_id} in this wallet.")
    return core.require(entry_id)


def set_override(core: WalletCore, entry_id: str, category: str | None) -> Entry:
    """The learner's own category; ``None`` goes back to the rules. It persists and wins."""
    if category is not None and category not in CATEGORIES:
        raise WalletError(f"“{category}” is not a category; use one of: {', '.join(CATEGORIES)}.")
    return update(core, entry_id, {"override": category})


def set_tags(core: WalletCore, entry_id: str, tags: Iterable[str]) -> Entry:
    clean = list(dict.fromkeys(t.strip() for t in tags if t and t.strip()))
    return update(core, entry_id, {"tags": clean})


def delete(core: WalletCore, entry_id: str) -> bool:
    return core.save(lambda: core.store.delete_entry(entry_id))
