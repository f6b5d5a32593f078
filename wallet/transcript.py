"""The learner's transcript: every micro-credential and course in the wallet with credits, level and result,
totals per framework, and the stacks they build toward (CLR 2.0 associations, OB 3.0 ``related``).

A CLR 2.0 record (a ``ClrCredential`` entry) is opened up: each credential inside it becomes a row with its
*own* verdict (from the record's ``nested`` reports), and the achievements the record only describes
become rows that rest on the record's own verdict. Counts and totals include only verified rows
(verdict ``valid``); the others are listed apart, never added up. The same credential (by id) is listed
once, a verified copy winning.
"""
from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from verifier import Badge, Issuer, as_list, dicts

from .grouping import Workload, classify
from .model import Entry, badge_from_dict

LEARNING_KINDS = ("micro-credential", "course", "qualification", "extracurricular")
UNITS = ("ECTS", "hours", "credits")
# CLR 2.0 associationType: which side is the part of the other (the rest are links, not containment).
_CHILD_OF = {"isChildOf": "source", "isPartOf": "source", "isParentOf": "target"}


@dataclass(frozen=True)
class TranscriptRow:
    """One achievement: what it is, its verdict, credits, level, result and date, and where it came from."""

    name: str
    issuer: str
    kind: str
    verdict: str
    workload: Workload | None = None
    level: str | None = None
    result: str | None = None
    issued: datetime | None = None
    achievement_type: str | None = None
    record: str | None = None  # the CLR record it came from
    described_only: bool = False  # described by the record, not a credential of its own
    entry_id: str = ""
    credential_id: str | None = None
    achievement_id: str | None = None

    @property
    def verified(self) -> bool:
        return self.verdict == "valid"

    @property
    def credits(self) -> str:
        return self.workload.text if self.workload and not self.workload.from_text else ""


@dataclass(frozen=True)
class Stack:
    """A larger credential and the achievements that are part of it (with their association type)."""

    target: str
    members: list[tuple[str, str, bool]]  # (name, association type, verified)
    earned: dict[str, float]  # verified members' credits per unit
    needed: Workload | None = None  # the target's own stated workload, when known


@dataclass(frozen=True)
class Transcript:
    rows: list[TranscriptRow]  # verified, oldest first
    unverified: list[TranscriptRow]
    totals: dict[str, float]  # unit → sum over verified rows (structured workloads only)
    counts: dict[str, int]  # kind → number of verified rows
    stacks: list[Stack] = field(default_factory=list)
    links: list[str] = field(default_factory=list)  # other associations, as sentences


def _result(badge: Badge) -> str | None:
    for r in badge.result:
        value = r.get("value") or r.get("achievedLevel")
        if isinstance(value, (str, int, float)) and not isinstance(value, bool):
            return str(value)
    return None


def _row(badge: Badge, verdict: str, *, entry_id: str, record: str | None = None,
         override: str | None = None, described_only: bool = False) -> TranscriptRow:
    g = classify(badge)
    kind = g.kind
    if override == "micro-credential":
        kind = "micro-credential"
    elif override and kind == "micro-credential":
        kind = "badge"
    achievement = _achievement(badge)
    return TranscriptRow(name=badge.name or "(unnamed)", issuer=badge.issuer.name or badge.issuer.id or "unknown issuer",
                         kind=kind, verdict=verdict, workload=g.workload, level=g.level, result=_result(badge),
                         issued=badge.issued_on, achievement_type=badge.achievement_type, record=record,
                         described_only=described_only, entry_id=entry_id, credential_id=badge.id,
                         achievement_id=badge.badge_class_id or (achievement.get("id") if achievement else None))


def _achievement(badge: Badge) -> dict[str, Any]:
    credential = found if isinstance(found := badge.raw.get("credential"), dict) else {}
    subjects = dicts(credential.get("credentialSubject"))
    ach = subjects[0].get("achievement") if subjects else None
    return ach if isinstance(ach, dict) else {}


def _described(achievement: dict[str, Any], record: Badge) -> Badge:
    """A record's achievement description as a badge of its own (for the same grouping rules)."""
    name = stated if isinstance(stated := achievement.get("name"), str) else ""
    creator = found if isinstance(found := achievement.get("creator"), dict) else None
    credits = achievement.get("creditsAvailable")
    return Badge(spec_version="3.0", id=None, name=name, description=str(achievement.get("description") or ""),
                 issuer=record.issuer if not creator or not creator.get("name") else
                 Issuer(id=creator.get("id"), name=creator.get("name")),
                 issued_on=record.issued_on, badge_class_id=achievement.get("id") if isinstance(
                     achievement.get("id"), str) else None,
                 achievement_type=achievement.get("achievementType") if isinstance(
                     achievement.get("achievementType"), str) else None,
                 credits_available=float(credits) if isinstance(credits, (int, float)) and not isinstance(
                     credits, bool) else None,
                 raw={"credential": {"credentialSubject": {"achievement": achievement}}})


def _record_rows(entry: Entry) -> tuple[list[TranscriptRow], list[dict[str, str]], dict[str, str]]:
    """The rows of a CLR record, its associations, and achievement id → name."""
    record = entry.badge_record()
    credential = found if isinstance(found := record.raw.get("credential"), dict) else {}
    subjects = dicts(credential.get("credentialSubject"))
    subject = subjects[0] if subjects else {}
    rows: list[TranscriptRow] = []
    names: dict[str, str] = {}
    for nested in entry.report.get("nested") or []:
        if not isinstance(nested, dict) or nested.get("role") != "achievement" or not isinstance(nested.get("badge"), dict):
            continue
        badge = badge_from_dict(nested["badge"])
        row = _row(badge, str(nested.get("verdict") or "unverifiable"), entry_id=entry.id, record=entry.name)
        rows.append(row)
        if row.achievement_id:
            names[row.achievement_id] = row.name
    for ach in dicts(subject.get("achievement")):
        ach_id = ach.get("id") if isinstance(ach.get("id"), str) else None
        if ach_id and ach_id in names:
            continue  # the record's own description of a credential listed above
        row = _row(_described(ach, record), entry.verdict, entry_id=entry.id, record=entry.name, described_only=True)
        rows.append(row)
        if ach_id:
            names[ach_id] = row.name
    links = []
    for a in dicts(subject.get("association")):
        kind, source, target = a.get("associationType"), a.get("sourceId"), a.get("targetId")
        if all(isinstance(v, str) for v in (kind, source, target)):
            links.append({"type": str(kind), "source": str(source), "target": str(target)})
    return rows, links, names


def is_record(entry: Entry) -> bool:
    """True for a CLR 2.0 record (a ClrCredential) in the wallet."""
    return "ClrCredential" in as_list(entry.badge.get("credential_types"))


def build_transcript(entries: Iterable[Entry]) -> Transcript:
    """The transcript of ``entries`` (full wallet entries, with their reports)."""
    rows: list[TranscriptRow] = []
    associations: list[tuple[dict[str, str], dict[str, str]]] = []
    related: list[tuple[TranscriptRow, str]] = []
    for entry in entries:
        if is_record(entry):
            record_rows, links, names = _record_rows(entry)
            rows += record_rows
            associations += [(link, names) for link in links]
            continue
        badge = entry.badge_record()
        row = _row(badge, entry.verdict, entry_id=entry.id, override=entry.override)
        if row.kind in LEARNING_KINDS or (row.workload and not row.workload.from_text):
            rows.append(row)
            for rel in dicts(_achievement(badge).get("related")):
                target = rel.get("name") or rel.get("id")
                if isinstance(target, str):
                    related.append((row, target))
    rows = _dedupe(rows)
    verified = sorted((r for r in rows if r.verified),
                      key=lambda r: (r.issued is None, r.issued.timestamp() if r.issued else 0.0))
    unverified = [r for r in rows if not r.verified]
    totals: dict[str, float] = defaultdict(float)
    counts: dict[str, int] = defaultdict(int)
    for r in verified:
        counts[r.kind] += 1
        if r.workload and not r.workload.from_text and not r.described_only:
            totals[r.workload.unit] += r.workload.amount
    stacks, link_sentences = _stacks(rows, associations, related)
    return Transcript(verified, unverified, {u: totals[u] for u in UNITS if u in totals},
                      dict(counts), stacks, link_sentences)


def _dedupe(rows: list[TranscriptRow]) -> list[TranscriptRow]:
    """One row per credential id (a verified copy first); rows without an id are all kept."""
    best: dict[str, TranscriptRow] = {}
    out: list[TranscriptRow] = []
    for r in rows:
        if not r.credential_id:
            out.append(r)
            continue
        kept = best.get(r.credential_id)
        if kept is None or (r.verified and not kept.verified):
            best[r.credential_id] = r
    return out + list(best.values())


def _stacks(rows: list[TranscriptRow], associations: list[tuple[dict[str, str], dict[str, str]]],
            related: list[tuple[TranscriptRow, str]]) -> tuple[list[Stack], list[str]]:
    by_id = {r.achievement_id: r for r in rows if r.achievement_id}
    members: dict[str, list[tuple[str, str, bool]]] = defaultdict(list)
    earned: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    target_rows: dict[str, TranscriptRow | None] = {}
    links: list[str] = []
    for link, names in associations:
        side = _CHILD_OF.get(link["type"])
        source_name = names.get(link["source"], link["source"])
        target_name = names.get(link["target"], link["target"])
        if side is None:
            links.append(f"{source_name} {link['type']} {target_name}.")
            continue
        child_id, parent_id = (link["source"], link["target"]) if side == "source" else (link["target"], link["source"])
        child = by_id.get(child_id)
        parent_name = names.get(parent_id, parent_id)
        verified = bool(child and child.verified and not child.described_only)
        members[parent_name].append((names.get(child_id, child_id), link["type"], verified))
        target_rows[parent_name] = by_id.get(parent_id)
        if verified and child and child.workload and not child.workload.from_text:
            earned[parent_name][child.workload.unit] += child.workload.amount
    for row, target in related:
        members[target].append((row.name, "related", row.verified))
        target_rows.setdefault(target, None)
        if row.verified and row.workload and not row.workload.from_text:
            earned[target][row.workload.unit] += row.workload.amount
    stacks = [Stack(target, members[target], dict(earned[target]),
                    found.workload if (found := target_rows.get(target)) else None) for target in members]
    return stacks, links


COLUMNS = ("name", "kind", "issuer", "status", "credits", "unit", "credit source", "level", "result", "issued",
           "record")


def to_csv(transcript: Transcript, *, include_unverified: bool = True) -> str:
    """The transcript as CSV (verified rows first; unverified rows say so in ``status``)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    rows = transcript.rows + (transcript.unverified if include_unverified else [])
    for r in rows:
        w = r.workload if r.workload and not r.workload.from_text else None
        status = "verified" if r.verified else f"not verified ({r.verdict})"
        if r.described_only:
            status += ", described by the record"
        writer.writerow([_cell(r.name), r.kind, _cell(r.issuer), status, f"{w.amount:g}" if w else "",
                         w.unit if w else "", _cell(w.source) if w else "", _cell(r.level or ""),
                         _cell(r.result or ""), r.issued.date().isoformat() if r.issued else "", _cell(r.record or "")])
    return out.getvalue()


def _cell(text: str) -> str:
    """Spreadsheet formula injection: a cell starting with = + - @ is read as text."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
