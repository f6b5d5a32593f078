"""Portfolio links: tokens, links, QR codes and the public view model.

A link is ``BASE/?p=TOKEN``: ``TOKEN`` is ``secrets.token_urlsafe(32)`` (256 bits); only its SHA-256
is stored, so the wallet file alone cannot be turned back into working links, and the link is shown
once, when it is made. ``BASE`` is the wallet's public URL (``BADGE_WALLET_PUBLIC_URL``, see
:mod:`wallet.settings`; default ``http://localhost:8501``).

A one-badge link is ``BASE/?p=TOKEN&b=ENTRY``: the same token, one of its badges (a LinkedIn
certification URL). The public view (:class:`PublicPortfolio`) carries only the chosen entries, never raw
documents or other wallet content.

Freshness: a page first shows every badge from its last stored result (with when it was checked), then
re-checks in parallel those older than ``CACHE_SECONDS`` under one deadline for the page
(``PAGE_DEADLINE``); a badge not re-checked in time keeps its stored result and says so. Results are
written back to the wallet store, so every view — and every process sharing the store — reuses them
for ``CACHE_SECONDS``: a revocation shows up within that time.

Whose badge: each badge's recipient is matched against the owner's identities (holder.py); the sentence
never names the recipient. The recipient's email is hidden unless the learner opted
in; when hidden it is also blanked out of the check sentences, and the original file is withheld
(it records the email, perhaps encoded: a JWS payload, an escaped JSON string, a compressed chunk).
"""
from __future__ import annotations

import dataclasses
import hashlib
import hmac
import io
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal
from urllib.parse import parse_qs, quote, urlsplit

import segno

from verifier import Check, IssuerIdentity, Report, summary
from verifier import format_day as day

from .archive import safe_filename
from .holder import HolderMatch, Identity, match_recipient
from .model import CATEGORY_LABEL, Entry, Portfolio, badge_from_dict, issuer_origin
from .privacy import Redactor, recipient_values

DEFAULT_PUBLIC_URL = "http://localhost:8501"
TOKEN_BYTES = 32

CACHE_SECONDS = 120.0  # a result younger than this is shown as it is, not checked again
PAGE_DEADLINE = 8.0  # seconds the whole page may spend re-checking its badges

ViewStatus = Literal["ok", "expired", "revoked", "unknown"]
# now: checked for this view · cached: a recent stored result · stale: stored, being checked again ·
# late: stored, and checking again did not finish by the page's deadline
Freshness = Literal["now", "cached", "stale", "late"]


def new_token() -> str:
    """A fresh link token. One starting with "-" is drawn again: pasted on a command line
    (``wallet revoke TOKEN``) it would read as an option. That costs under 0.03 bits of 256."""
    while True:
        token = secrets.token_urlsafe(TOKEN_BYTES)
        if not token.startswith("-"):
            return token


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def public_base(base: str | None = None) -> str:
    return (base or DEFAULT_PUBLIC_URL).rstrip("/")


def portfolio_link(token: str, base: str | None = None) -> str:
    return f"{public_base(base)}/?p={quote(token, safe='')}"


def badge_link(link: str, entry_id: str) -> str:
    """The one-badge page of ``entry_id`` inside the portfolio ``link``."""
    return f"{link}&b={quote(entry_id, safe='')}"


def badge_from_link(text: str) -> str | None:
    """The ``b`` (one badge) of a link, or None."""
    values = parse_qs(urlsplit(text.strip()).query).get("b") if "?" in text else None
    return values[0] if values else None


def token_from(text: str) -> str:
    """The token of a full link (``…?p=TOKEN``) or the text itself."""
    text = text.strip()
    if "?" in text or text.startswith(("http://", "https://")):
        values = parse_qs(urlsplit(text).query).get("p")
        if values:
            return values[0]
    return text


def find_portfolio(portfolios: Iterable[Portfolio], token: str) -> Portfolio | None:
    """The portfolio whose stored hash matches ``token`` (compared in constant time)."""
    wanted = token_hash(token_from(token))
    found = None
    for p in portfolios:
        if hmac.compare_digest(p.token_hash, wanted):
            found = p
    return found


def qr_code(link: str, kind: Literal["png", "svg"] = "png", *, scale: int = 6) -> bytes:
    """A QR code of ``link`` as PNG or SVG bytes."""
    buf = io.BytesIO()
    segno.make(link, error="m").save(buf, kind=kind, scale=scale, border=2)
    return buf.getvalue()


def link_note(portfolio: Portfolio) -> str:
    if portfolio.expires_at is None:
        return "This link does not expire; its owner can withdraw it at any time."
    return (f"This link expires on {day(portfolio.expires_at)}. It is the link that expires, not the badges: "
            "each badge keeps its own validity, shown below.")


@dataclass
class PublicBadge:
    """One badge as the public page shows it. ``content`` is None when the download is withheld."""

    name: str
    description: str
    image: str | None
    issuer_name: str
    issuer_origin: str | None  # the issuer's domain or DID, beside its self-asserted name
    issued_on: datetime | None
    expires: datetime | None
    expired: bool
    verdict: str
    summary: str
    checks: list[dict[str, str]]
    category: str
    category_label: str
    reasons: list[str]
    recipient_name: str | None
    recipient_email: str | None  # only when the learner opted in
    email_hidden: bool
    filename: str
    media_type: str
    content: bytes | None
    download_note: str | None = None
    entry_id: str = ""  # the ``b`` of this badge's one-badge page (a random id: it tells nothing)
    whose: HolderMatch | None = None
    checked_at: datetime | None = None
    freshness: Freshness = "now"
    category_by_owner: bool = False  # the owner set the category; the rules (issuer's data) say otherwise
    category_chip: str = ""  # the category chip's text, saying who classified it

    @property
    def valid(self) -> bool:
        return self.verdict == "valid"

    def checked_note(self, now: datetime, deadline: float = PAGE_DEADLINE) -> str:
        """When this result was obtained, in plain words ("Checked 3 minutes ago.")."""
        when = ago(self.checked_at, now)
        if self.freshness == "now":
            return "Checked with its issuer just now."
        if self.freshness == "cached":
            return f"Checked with its issuer {when}."
        if self.freshness == "stale":
            return f"Last checked {when}; checking again now…"
        return (f"Last checked {when}. It could not be checked again just now (no answer within "
                f"{deadline:g} seconds); reload the page to try again.")
    issuer_identity: dict[str, Any] | None = None  # who vouches for the issuer (Report.issuer_identity)


@dataclass
class PublicPortfolio:
    """What the public page renders. ``status`` ok|expired|revoked|unknown with ``message`` explaining it."""

    status: ViewStatus
    message: str
    title: str = ""
    created_at: datetime | None = None
    expires_at: datetime | None = None
    link_note: str = ""
    badges: list[PublicBadge] = field(default_factory=list)
    missing: int = 0  # chosen badges since removed from the wallet
    owner_name: str = ""  # the display name the owner chose ("" = none)
    single: bool = False  # a one-badge page


def closed_view(status: ViewStatus, portfolio: Portfolio | None) -> PublicPortfolio:
    if status == "unknown" or portfolio is None:
        return PublicPortfolio("unknown", "This portfolio link is not valid: it may be mistyped or incomplete, "
                               "or it was never created.")
    if status == "revoked":
        return PublicPortfolio("revoked", "This portfolio link was withdrawn by its owner. The badges "
                               "themselves are not affected; ask the owner for a new link.")
    when = day(portfolio.expires_at) if portfolio.expires_at else "an earlier date"
    return PublicPortfolio("expired", f"This portfolio link expired on {when}. It is the link that expired, "
                           "not the badges; ask the owner for a new link.")


def ago(then: datetime | None, now: datetime) -> str:
    """'just now', '3 minutes ago', '2 hours ago', 'on 14 March 2025'."""
    if then is None or then.year < 1900:
        return "at an unknown time"
    seconds = (now - then).total_seconds()
    if seconds < 60:
        return "just now"
    for size, unit in ((86400, "day"), (3600, "hour"), (60, "minute")):
        if seconds >= size:
            n = int(seconds // size)
            if unit == "day" and n > 6:
                return f"on {day(then)}"
            return f"{n} {unit}{'s' if n != 1 else ''} ago"
    return "just now"


def report_from_dict(data: dict[str, Any], entry: Entry) -> Report:
    """A report back from its ``to_dict()`` form; the entry's badge when the report carries none."""
    checks = [Check.from_dict(c) for c in data.get("checks", []) if isinstance(c, dict)]
    badge = badge_from_dict(data["badge"]) if isinstance(data.get("badge"), dict) else entry.badge_record()
    return Report(str(data.get("verdict") or "unverifiable"), str(data.get("format") or "none"), checks, badge,
                  issuer_identity=IssuerIdentity.from_dict(data.get("issuer_identity")))


def stored_report(entry: Entry) -> Report:
    """The report last stored for ``entry`` in the wallet."""
    return report_from_dict(dict(entry.report, verdict=entry.verdict, format=entry.format), entry)


def category_chip(entry: Entry) -> tuple[str, bool]:
    """(chip text, set by the owner against the rules). A visitor must see in the chip itself who said so:
    the rules read the issuer's own data, an override is only the owner's word."""
    label = CATEGORY_LABEL[entry.effective_category].capitalize()
    if not entry.override or entry.override == entry.category:
        return label, False
    if entry.override == "micro-credential":
        return f"{label} · classified by the owner; the issuer did not declare it", True
    return f"{label} · classified by the owner", True


def public_badge(entry: Entry, report: Report, now: datetime, *, show_email: bool,
                 identities: Iterable[Identity] = (), checked_at: datetime | None = None,
                 freshness: Freshness = "now") -> PublicBadge:
    """The public form of ``entry`` given a ``report`` of it (fresh, or the stored one).

    Unless the learner opted in, every recipient identity value the verifier read (wallet/privacy.py)
    is replaced in every string of the result, and the original file is withheld."""
    fresh = report.badge is not None and (report.badge.name or not entry.badge.get("name"))
    badge = report.badge.to_dict() if fresh and report.badge else entry.badge
    record = badge_from_dict(badge)
    values = recipient_values(badge) | recipient_values(entry.badge)
    hide = bool(values) and not show_email
    recipient = badge.get("recipient") or {}
    shown = recipient.get("identity") if not recipient.get("hashed") else None
    content: bytes | None = entry.content
    note = None
    if hide:
        # Withheld whenever the identity is hidden: a baked file can carry it encoded (a JWS payload is
        # base64, JSON may escape "@", a PNG chunk may be compressed), so no search of the bytes is enough.
        content = None
        note = "The original file is not offered here because it shows the recipient's email address."
    issuer = badge.get("issuer") or {}
    expires = record.expires
    chip, by_owner = category_chip(entry)
    view = PublicBadge(
        name=badge.get("name") or entry.name, description=badge.get("description") or "",
        image=badge.get("image"), issuer_name=issuer.get("name") or issuer.get("id") or "unknown issuer",
        issuer_origin=issuer_origin(issuer),
        issued_on=record.issued_on, expires=expires,
        expired=report.verdict == "expired" or (expires is not None and expires <= now),
        verdict=report.verdict, summary=summary(report),
        checks=[c.to_dict() for c in report.checks],
        category=entry.effective_category, category_label=CATEGORY_LABEL[entry.effective_category],
        reasons=[s.sentence for s in entry.effective_reasons if s.found],
        recipient_name=recipient.get("name"),
        recipient_email=shown.removeprefix("mailto:") if isinstance(shown, str) and not hide else None,
        email_hidden=hide, filename=safe_filename(entry.filename), media_type=entry.media_type, content=content,
        download_note=note,
        entry_id=entry.id, checked_at=checked_at or now, freshness=freshness, category_by_owner=by_owner,
        category_chip=chip,
        issuer_identity=report.issuer_identity.to_dict() if report.issuer_identity else None,
    )
    # Whose badge: its sentence never contains the recipient (holder.py), so it is set after redaction.
    whose = match_recipient(recipient, identities)
    if not hide:
        return dataclasses.replace(view, whose=whose)
    redactor = Redactor(values)
    redacted = redactor.value(dataclasses.replace(view, content=None))
    redacted.filename = safe_filename(redacted.filename)
    return dataclasses.replace(redacted, whose=whose, freshness=freshness)
