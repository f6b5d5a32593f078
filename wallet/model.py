"""Typed records of the wallet: entries, portfolios and the signals behind a category.

The store keeps plain JSON dicts (``to_record``/``from_record``); everything above the store works
with these dataclasses.
"""
from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass, field, fields
from datetime import UTC, datetime
from typing import Any, Literal
from urllib.parse import urlsplit

from verifier import Alignment, Badge, Issuer, IssuerIdentity, Recipient, parse_datetime

Category = Literal["micro-credential", "badge"]
CATEGORIES: tuple[str, ...] = ("micro-credential", "badge")
CATEGORY_LABEL = {"micro-credential": "micro-credential", "badge": "plain badge"}


@dataclass(frozen=True)
class Signal:
    """One rule looked at: its name, whether it holds, and a sentence saying what was (not) found."""

    name: str
    found: bool
    sentence: str

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "found": self.found, "sentence": self.sentence}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Signal:
        name, found, sentence = data.get("name", ""), data.get("found") is True, data.get("sentence", "")
        if type(name) is not str or type(sentence) is not str:
            return cls(str(name), found, str(sentence))
        key = (name, found, sentence)
        signal = _SIGNALS.get(key)
        if signal is None:
            # the same few rule sentences recur in every badge of a wallet: frozen, so one instance serves
            # them all (a list of thousands decodes several times faster); bounded, whatever a file holds
            if len(_SIGNALS) >= _SIGNALS_MAX:
                _SIGNALS.clear()
            signal = _SIGNALS[key] = cls(name, found, sentence)
        return signal


_SIGNALS: dict[tuple[str, bool, str], Signal] = {}
_SIGNALS_MAX = 4096


# Stands in for a missing date in an old or hand-made record; aware, so it sorts beside real dates.
EPOCH_MIN = datetime.min.replace(tzinfo=UTC)


def _iso(dt: datetime | None) -> str | None:
    return dt.isoformat() if dt else None


def _stored_datetime(value: Any) -> datetime | None:
    """A stored date: the aware ISO 8601 form the wallet writes is read directly, anything else by
    :func:`verifier.validity.parse_datetime` (same result, several times faster for a big list)."""
    if type(value) is str and "T" in value:
        try:
            dt = datetime.fromisoformat(value)
        except ValueError:
            return parse_datetime(value)
        if dt.tzinfo is not None:
            return dt
    return parse_datetime(value)


class _Shown:
    """What a list or a card shows of an entry (shared by :class:`Entry` and :class:`EntrySummary`)."""

    badge: dict[str, Any]
    filename: str
    category: str
    override: str | None
    reasons: list[Signal]

    @property
    def name(self) -> str:
        name = self.badge.get("name")
        return name if isinstance(name, str) and name else self.filename

    @property
    def issuer_name(self) -> str:
        issuer = self.badge.get("issuer") or {}
        for key in ("name", "id"):
            if isinstance(issuer.get(key), str) and issuer[key]:
                return issuer[key]
        return "unknown issuer"

    @property
    def issuer_origin(self) -> str | None:
        """The issuer's domain or DID, shown beside its self-asserted name."""
        return issuer_origin(self.badge.get("issuer") or {})

    @property
    def effective_category(self) -> str:
        return self.override or self.category

    @property
    def effective_reasons(self) -> list[Signal]:
        """The reasons shown to the learner: "set by you" first when an override is in force."""
        if not self.override:
            return list(self.reasons)
        rules = CATEGORY_LABEL[self.category]
        note = Signal("override", True, f"Set by you as a {CATEGORY_LABEL[self.override]} "
                      f"(the rules alone say: {rules}).")
        return [note, *self.reasons]

@dataclass
class Entry(_Shown):
    """One badge in the wallet: the original file, what verification said, and the learner's additions.

    ``badge_id`` is the credential's identity (wallet/identity.py: issuer id + credential id for
    OB 3.0, the assertion id for OB 1/2), what makes two files the same badge.
    ``category``/``reasons`` come from the rules (grouping.py); ``override`` is the learner's choice
    and wins (see :attr:`effective_category`). ``badge`` and ``report`` are the JSON forms of
    :class:`verifier.Badge` and :class:`verifier.Report` (``report["checks"]`` lists every check).
    """

    id: str
    filename: str
    media_type: str
    content: bytes
    sha256: str
    badge_id: str | None
    badge: dict[str, Any]
    report: dict[str, Any]
    verdict: str
    format: str
    verified_at: datetime
    category: str
    reasons: list[Signal]
    checklist: list[Signal]
    added_at: datetime
    override: str | None = None
    tags: list[str] = field(default_factory=list)
    notes: str = ""
    authenticated: bool = False  # a signature, proof or hosted-copy check passed when last verified

    @property
    def identity(self) -> IssuerIdentity | None:
        """Who vouches for the issuer, as of the last verification (None for records made before it existed)."""
        return IssuerIdentity.from_dict(self.report.get("issuer_identity") if isinstance(self.report, dict) else None)

    def badge_record(self) -> Badge:
        return badge_from_dict(self.badge)

    def to_record(self) -> dict[str, Any]:
        return {
            "id": self.id, "filename": self.filename, "media_type": self.media_type,
            "content_b64": base64.b64encode(self.content).decode("ascii"), "sha256": self.sha256,
            "badge_id": self.badge_id, "badge": self.badge, "report": self.report, "verdict": self.verdict,
            "format": self.format, "verified_at": _iso(self.verified_at), "category": self.category,
            "reasons": [s.to_dict() for s in self.reasons], "checklist": [s.to_dict() for s in self.checklist],
            "added_at": _iso(self.added_at), "override": self.override, "tags": list(self.tags),
            "notes": self.notes, "authenticated": self.authenticated,
        }

    @classmethod
    def from_record(cls, rec: Any) -> Entry:
        """Decode a stored record; :class:`DamagedRecord` (a sentence) when it is not a usable entry.

        Every field is type-checked: a wallet file edited by hand, written by another version or
        restored from an old backup must give a sentence naming the record, never a traceback."""
        return cls(**_decoded(rec, full=True))


def _decoded(rec: Any, *, full: bool) -> dict[str, Any]:
    """The checked fields of a record (:meth:`Entry.from_record`); without ``full`` only those of a
    summary (no original file, report or checklist are looked at)."""
    if not full and isinstance(rec, dict):
        fast = _summary_fields(rec)
        if fast is not None:
            return fast
    return _checked(rec, full=full)


def _summary_fields(rec: dict[str, Any]) -> dict[str, Any] | None:
    """:func:`_checked` of a summary whose every field has the right kind, in one pass (a list of
    thousands is decoded at each page view); None for anything else, which :func:`_checked` then
    describes. It accepts exactly what :func:`_checked` accepts and returns the same fields."""
    get = rec.get
    entry_id, category, override = get("id"), get("category", "badge"), get("override")
    tags, reasons, badge = get("tags", []), get("reasons", []), get("badge", {})
    filename, media_type, sha256 = get("filename", "badge"), get("media_type", ""), get("sha256", "")
    badge_id, verdict, fmt, notes = get("badge_id"), get("verdict", "unverifiable"), get("format", ""), get("notes", "")
    if not (isinstance(entry_id, str) and entry_id and isinstance(category, str) and category in CATEGORIES
            and (override is None or isinstance(override, str) and override in CATEGORIES)
            and isinstance(tags, list) and isinstance(reasons, list) and isinstance(badge, dict)
            and isinstance(filename, str) and isinstance(media_type, str) and isinstance(sha256, str)
            and (badge_id is None or isinstance(badge_id, str)) and isinstance(verdict, str)
            and isinstance(fmt, str) and isinstance(notes, str)
            and all(isinstance(t, str) for t in tags) and all(isinstance(r, dict) for r in reasons)):
        return None
    issuer, recipient = badge.get("issuer"), badge.get("recipient")
    if not (issuer is None or isinstance(issuer, dict)) or not (recipient is None or isinstance(recipient, dict)):
        return None
    return {"id": entry_id, "filename": filename, "media_type": media_type, "sha256": sha256, "badge_id": badge_id,
            "badge": badge, "verdict": verdict, "format": fmt,
            "verified_at": _stored_datetime(get("verified_at")) or EPOCH_MIN, "category": category,
            "reasons": [Signal.from_dict(r) for r in reasons],
            "added_at": _stored_datetime(get("added_at")) or EPOCH_MIN, "override": override, "tags": list(tags),
            "notes": notes, "authenticated": get("authenticated") is True}


def _checked(rec: Any, *, full: bool) -> dict[str, Any]:
    if not isinstance(rec, dict):
        raise DamagedRecord(None, f"it is {type(rec).__name__}, not a record")
    entry_id = rec.get("id")
    if not isinstance(entry_id, str) or not entry_id:
        raise DamagedRecord(None, "it has no id")

    def get(key: str, kinds: type | tuple[type, ...], default: Any) -> Any:
        value = rec.get(key, default)
        if value is None and default is None:
            return None
        if not isinstance(value, kinds) or isinstance(value, bool) and kinds is not bool:
            raise DamagedRecord(entry_id, f"its “{key}” is {type(value).__name__}, not the expected kind")
        return value

    out: dict[str, Any] = {}
    if full:
        raw = get("content_b64", str, "")
        try:
            out["content"] = base64.b64decode(raw, validate=True)
        except (binascii.Error, ValueError):
            raise DamagedRecord(entry_id, "its badge file is not valid base64") from None
    category = get("category", str, "badge")
    override = get("override", str, None)
    tags = get("tags", list, [])
    if category not in CATEGORIES or override not in (None, *CATEGORIES):
        raise DamagedRecord(entry_id, "its category is not one this wallet knows")
    if not all(isinstance(t, str) for t in tags):
        raise DamagedRecord(entry_id, "its tags are not all text")
    reasons = get("reasons", list, [])
    checklist = get("checklist", list, []) if full else []
    if not all(isinstance(s, dict) for s in (*reasons, *checklist)):
        raise DamagedRecord(entry_id, "its category reasons are damaged")
    if full:
        report = get("report", dict, {})
        if not isinstance(report.get("checks", []), list):
            raise DamagedRecord(entry_id, "its verification report is damaged")
        out["report"] = report
    badge = get("badge", dict, {})
    for key in ("issuer", "recipient"):
        if badge.get(key) is not None and not isinstance(badge.get(key), dict):
            raise DamagedRecord(entry_id, f"its badge data is damaged ({key})")
    out.update(
        id=entry_id, filename=get("filename", str, "badge"), media_type=get("media_type", str, ""),
        sha256=get("sha256", str, ""), badge_id=get("badge_id", str, None), badge=badge,
        verdict=get("verdict", str, "unverifiable"), format=get("format", str, ""),
        verified_at=_stored_datetime(rec.get("verified_at")) or EPOCH_MIN,
        category=category, reasons=[Signal.from_dict(s) for s in reasons],
        added_at=_stored_datetime(rec.get("added_at")) or EPOCH_MIN,
        override=override, tags=list(tags), notes=get("notes", str, ""),
        authenticated=rec.get("authenticated") is True,
    )
    if full:
        out["checklist"] = [Signal.from_dict(s) for s in checklist]
    return out


@dataclass
class EntrySummary(_Shown):
    """An entry without its original file, report and checklist: what a list needs (``badge`` holds only
    its name, id, dates and issuer id/name/url, see :func:`wallet.store.summary_record`). Cheap to read
    for every entry of a big wallet."""

    id: str
    filename: str
    media_type: str
    sha256: str
    badge_id: str | None
    badge: dict[str, Any]
    verdict: str
    format: str
    verified_at: datetime
    category: str
    reasons: list[Signal]
    added_at: datetime
    override: str | None = None
    tags: list[str] = field(default_factory=list)
    notes: str = ""
    authenticated: bool = False
    issuer_identity: dict[str, Any] | None = None

    @classmethod
    def from_record(cls, rec: Any) -> EntrySummary:
        """Decode a summary (or full) record with :meth:`Entry.from_record`'s checks (:class:`DamagedRecord`),
        leaving out its original file, report and checklist."""
        return cls(**_decoded(rec, full=False), issuer_identity=stored_identity(rec))

    @property
    def identity(self) -> IssuerIdentity | None:
        """Who vouches for the issuer, as of the last verification (None for records made before it existed)."""
        return IssuerIdentity.from_dict(self.issuer_identity)


def stored_identity(rec: Any) -> dict[str, Any] | None:
    """The ``issuer_identity`` of a record: its summary copy, else its report's."""
    if not isinstance(rec, dict):
        return None
    value = rec.get("issuer_identity")
    if value is None and isinstance(rec.get("report"), dict):
        value = rec["report"].get("issuer_identity")
    return dict(value) if isinstance(value, dict) else None


class DamagedRecord(ValueError):
    """A stored record that cannot be decoded; ``str()`` says which one and why (a sentence)."""

    def __init__(self, record_id: str | None, why: str, position: int | None = None) -> None:
        self.record_id, self.why, self.position = record_id, why, position
        super().__init__(self.sentence())

    def at(self, position: int) -> DamagedRecord:
        return DamagedRecord(self.record_id, self.why, position)

    def sentence(self) -> str:
        which = " ".join(x for x in (f"number {self.position}" if self.position else "",
                                     f"(id {self.record_id[:40]})" if self.record_id else "") if x)
        return (f"The wallet file is damaged: badge record {which or 'without id'} cannot be read ({self.why}). "
                "It was skipped and left as it is in the file; the rest of the wallet works.")


PortfolioStatus = Literal["active", "expired", "revoked"]


@dataclass
class Portfolio:
    """A shared selection of entries. Only the SHA-256 of the link's token is kept."""

    id: str
    title: str
    entry_ids: list[str]
    token_hash: str
    created_at: datetime
    expires_at: datetime | None = None
    revoked_at: datetime | None = None
    show_email: bool = False

    def status(self, now: datetime) -> PortfolioStatus:
        if self.revoked_at is not None:
            return "revoked"
        if self.expires_at is not None and self.expires_at <= now:
            return "expired"
        return "active"

    def to_record(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title, "entry_ids": list(self.entry_ids),
                "token_hash": self.token_hash, "created_at": _iso(self.created_at),
                "expires_at": _iso(self.expires_at), "revoked_at": _iso(self.revoked_at),
                "show_email": self.show_email}

    @classmethod
    def from_record(cls, rec: Any) -> Portfolio:
        """Decode a stored portfolio; :class:`DamagedRecord` when it is not one."""
        if not isinstance(rec, dict) or not isinstance(rec.get("id"), str) or not rec.get("id"):
            raise DamagedRecord(None, "a portfolio record has no id")
        title, ids, token = rec.get("title", ""), rec.get("entry_ids", []), rec.get("token_hash", "")
        if not isinstance(title, str) or not isinstance(token, str) or not isinstance(ids, list) \
                or not all(isinstance(i, str) for i in ids):
            raise DamagedRecord(rec["id"], "a portfolio record has fields of the wrong kind")
        return cls(id=rec["id"], title=title, entry_ids=list(ids), token_hash=token,
                   created_at=parse_datetime(rec.get("created_at")) or EPOCH_MIN,
                   expires_at=parse_datetime(rec.get("expires_at")),
                   revoked_at=parse_datetime(rec.get("revoked_at")), show_email=rec.get("show_email") is True)


def issuer_origin(issuer: dict[str, Any]) -> str | None:
    """The issuer's DID (``did:…``) or the host of its id/url, or None when it has neither."""
    for key in ("id", "url"):
        value = issuer.get(key)
        if not isinstance(value, str):
            continue
        if value.startswith("did:"):
            return value.split("#", 1)[0]
        if value.startswith(("http://", "https://")):
            host = urlsplit(value).hostname
            if host:
                return host
    return None


def badge_from_dict(data: dict[str, Any]) -> Badge:
    """Rebuild a :class:`verifier.Badge` from its ``to_dict()`` form (unknown keys are ignored)."""
    names = set(Badge.__dataclass_fields__)
    values = {k: v for k, v in data.items() if k in names}
    values["issuer"] = _build(Issuer, data.get("issuer"))
    values["recipient"] = _build(Recipient, data.get("recipient"))
    values["alignment"] = [_build(Alignment, a) for a in data.get("alignment") or [] if isinstance(a, dict)]
    values["issued_on"] = parse_datetime(data.get("issued_on"))
    values["expires"] = parse_datetime(data.get("expires"))
    return Badge(**values)


def _build(cls: type, data: Any) -> Any:
    if not isinstance(data, dict):
        return cls()
    known = {f.name for f in fields(cls)}
    return cls(**{k: v for k, v in data.items() if k in known})
