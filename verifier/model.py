"""Typed records shared by every part of the verifier: checks, the normalized badge, the report."""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any, Literal

from .checks import CheckId, parse_id

Status = Literal["pass", "fail", "warn", "skip"]
# What a failed check means for the verdict (see report.derive_verdict). "" = the badge is not genuine.
Outcome = Literal["", "revoked", "expired", "not-yet-valid", "unverifiable"]


class Verdict(StrEnum):
    """The one-word answer to "is this badge authentic and in force?" (see report.derive_verdict)."""

    VALID = "valid"
    INVALID = "invalid"
    EXPIRED = "expired"
    REVOKED = "revoked"
    NOT_YET_VALID = "not-yet-valid"
    UNVERIFIABLE = "unverifiable"


class Format(StrEnum):
    """How the badge was packaged and secured; ``none`` when the input is not a badge."""

    OB1_HOSTED = "ob1-hosted"
    OB2_HOSTED = "ob2-hosted"
    OB1_SIGNED = "ob1-signed"
    OB2_SIGNED = "ob2-signed"
    OB3_DATA_INTEGRITY = "ob3-data-integrity"
    OB3_JWT = "ob3-jwt"
    OB3_UNSIGNED = "ob3-unsigned"
    VP_DATA_INTEGRITY = "vp-data-integrity"  # a holder-signed Verifiable Presentation (presentation.py)
    NONE = "none"


VERDICTS = tuple(v.value for v in Verdict)


@dataclass(frozen=True)
class Check:
    """One verification step: a stable id, its status and a sentence a recruiter understands.

    ``outcome`` only matters for ``status == "fail"``: it says which verdict the failure leads to.
    ``authenticates`` marks a passing check that proves the badge comes from its issuer
    (hosted copy matched, signature or proof verified); without one the verdict cannot be ``valid``.
    ``retry`` says, for a step that could not be carried out (``outcome == "unverifiable"``), whether
    trying again later could succeed: True for a network failure, a timeout or a server error (5xx);
    False when it never will (unsigned, an unsupported suite, an unpinned context, a 404); None when
    not known or not applicable.
    """

    id: CheckId | str
    status: Status
    message: str
    outcome: Outcome = ""
    authenticates: bool = False
    retry: bool | None = None

    def __post_init__(self) -> None:
        # Ids are typed: a known (or legacy) id becomes its CheckId; an unknown one, read back from a
        # stored record, stays the plain string it was.
        known = parse_id(str(self.id))
        if known is not None:
            object.__setattr__(self, "id", known)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Check:
        """A check back from its stored ``to_dict()`` form (id, status, message and, if kept, retry)."""
        retry = data.get("retry")
        return cls(str(data.get("id", "")), data.get("status", "skip"), str(data.get("message", "")),
                   retry=retry if isinstance(retry, bool) else None)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"id": str(self.id), "status": self.status, "message": self.message}
        if self.status == "fail" and (self.outcome == "unverifiable" or self.retry is not None):
            out["retry"] = self.retry  # added key (CLI JSON checks[].retry): could checking again help?
        return out


def passed(id: CheckId | str, message: str, *, authenticates: bool = False) -> Check:
    return Check(id, "pass", message, authenticates=authenticates)


def failed(id: CheckId | str, message: str, outcome: Outcome = "") -> Check:
    return Check(id, "fail", message, outcome=outcome)


def unverifiable(id: CheckId | str, message: str, *, retry: bool | None = None) -> Check:
    """A required step could not be carried out (network, unknown context, over budget).

    ``retry``: True if a later attempt could succeed (see :func:`transient`), False if it never will.
    """
    return Check(id, "fail", message, outcome="unverifiable", retry=retry)


def unreachable(id: CheckId | str, message: str) -> Check:
    """A required step failed on the network (no answer, timeout, 5xx): checking again later may work."""
    return unverifiable(id, message, retry=True)


def transient(status: int | None) -> bool:
    """Whether a fetch that answered ``status`` (None: no answer at all) may succeed if tried again later.

    No answer (DNS, connection, timeout, offline), 408, 429 and 5xx are temporary; any other answer
    (404, 403, a redirect refused…) is what the server means, and asking again will not change it.
    """
    return status is None or status in (408, 425, 429) or status >= 500


def warned(id: CheckId | str, message: str) -> Check:
    return Check(id, "warn", message)


def skipped(id: CheckId | str, message: str) -> Check:
    return Check(id, "skip", message)


@dataclass
class Issuer:
    id: str | None = None
    name: str | None = None
    url: str | None = None
    email: str | None = None
    description: str | None = None
    image: str | None = None
    type: list[str] = field(default_factory=list)
    other_identifiers: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class Recipient:
    """Who the badge was issued to. ``identity`` is a plain value or ``algo$hexdigest`` when hashed."""

    identity: str | None = None
    type: str | None = None  # email, url, telephone, id, did
    hashed: bool = False
    salt: str | None = None
    name: str | None = None


@dataclass
class Alignment:
    target_name: str | None = None
    target_url: str | None = None
    target_description: str | None = None
    target_framework: str | None = None
    target_code: str | None = None
    target_type: str | None = None


@dataclass
class Badge:
    """One badge, whatever its Open Badges version, in a single shape."""

    spec_version: str = ""  # "0.5", "1.0", "1.1", "2.0", "3.0"
    id: str | None = None  # assertion or credential id
    name: str = ""
    description: str = ""
    image: str | None = None  # URL or data: URI
    criteria: str | None = None  # narrative (markdown text)
    criteria_url: str | None = None
    issuer: Issuer = field(default_factory=Issuer)
    recipient: Recipient = field(default_factory=Recipient)
    issued_on: datetime | None = None
    expires: datetime | None = None
    badge_class_id: str | None = None  # OB2 BadgeClass id / OB3 Achievement id
    credential_types: list[str] = field(default_factory=list)  # OB3 VC types
    achievement_type: str | None = None
    evidence: list[dict[str, Any]] = field(default_factory=list)
    alignment: list[Alignment] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    credits_available: float | None = None
    field_of_study: str | None = None
    specialization: str | None = None
    human_code: str | None = None
    result_description: list[dict[str, Any]] = field(default_factory=list)
    result: list[dict[str, Any]] = field(default_factory=list)
    # The source documents: {"assertion", "badgeclass", "issuer"} for OB1/2, {"credential"} for OB3.
    raw: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = _jsonable(dataclasses.asdict(self))
        return data


class IdentityLevel(StrEnum):
    """Who vouches for the issuer's identity, strongest first (see the issuer-identity step)."""

    REGISTRY = "registry"  # listed in an issuer registry the user configured
    DOMAIN = "domain"  # proven by control of a web origin (https profile, did:web)
    TRUSTED = "trusted"  # the user marked this issuer id as trusted
    SELF_ASSERTED = "self-asserted"  # nothing confirms the name


@dataclass(frozen=True)
class IssuerIdentity:
    """What is known of the issuer's identity, kept apart from the badge's authenticity.

    ``claimed_name`` is what the badge says; ``name`` is the name a registry (or the user) gives, or
    None; ``domain`` the web origin whose control was proven; ``source`` names what vouched.
    """

    level: IdentityLevel
    claimed_name: str | None = None
    name: str | None = None
    domain: str | None = None
    source: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"level": str(self.level), "claimed_name": self.claimed_name, "name": self.name,
                "domain": self.domain, "source": self.source}

    @classmethod
    def from_dict(cls, data: Any) -> IssuerIdentity | None:
        """Read back a stored ``to_dict()``; None for anything that is not one (old or crafted records)."""
        if not isinstance(data, dict):
            return None
        try:
            level = IdentityLevel(str(data.get("level")))
        except ValueError:
            return None

        def text(key: str) -> str | None:
            value = data.get(key)
            return value if isinstance(value, str) else None

        return cls(level, text("claimed_name"), text("name"), text("domain"), text("source"))


@dataclass(frozen=True)
class Report:
    """The outcome of verifying one badge. ``verdict`` is derived from ``checks`` (report.py).

    Frozen: a report is a finished answer; derive a changed one with :func:`dataclasses.replace`.
    ``nested`` holds the reports of credentials inside this one (endorsements, CLR achievements,
    presentation members), each with its ``role``; a nested failure never changes this verdict by
    itself, the outer checks say what it means.
    """

    verdict: Verdict | str
    format: Format | str
    checks: list[Check]
    badge: Badge | None = None
    payload: str | None = None  # the embedded text (JSON, JWS or URL) the badge was read from
    issuer_identity: IssuerIdentity | None = None
    nested: tuple[NestedReport, ...] = ()
    # The web origin (``https://host``) a format module proved vouches for the issuer: the issuer's
    # profile fetched from its own address listed the signing key, or vouched for the host serving the
    # hosted copy. A signal for the issuer-identity step (identity.py), not part of the JSON report.
    proven_origin: str | None = field(default=None, compare=False)

    @property
    def ok(self) -> bool:
        return self.verdict == "valid"

    def check(self, id: str) -> Check | None:
        return next((c for c in self.checks if c.id == id), None)

    @property
    def retry_may_help(self) -> bool | None:
        """For an ``unverifiable`` verdict: True if checking again later could succeed (every step that
        could not be carried out failed on the network), False if it never will this way (one of them is
        permanent: unsigned, unsupported, unpinned…), None if not known. None for any other verdict."""
        if self.verdict != Verdict.UNVERIFIABLE:
            return None
        # Stored reports keep no outcome, but their undone steps keep ``retry``.
        undone = [c for c in self.checks if c.status == "fail" and (c.outcome == "unverifiable" or c.retry is not None)]
        if any(c.retry is False for c in undone):
            return False
        if undone and all(c.retry for c in undone):
            return True
        return None

    def to_dict(self) -> dict[str, Any]:
        return {
            "verdict": str(self.verdict),
            "format": str(self.format),
            "retry_may_help": self.retry_may_help,  # added key: null unless the verdict is unverifiable
            "checks": [c.to_dict() for c in self.checks],
            "badge": self.badge.to_dict() if self.badge else None,
            "issuer_identity": self.issuer_identity.to_dict() if self.issuer_identity else None,
            "nested": [n.to_dict() for n in self.nested],
        }


@dataclass(frozen=True)
class NestedReport:
    """A credential verified inside another one: ``role`` is ``endorsement``, ``achievement``, ``credential``…"""

    role: str
    report: Report

    def to_dict(self) -> dict[str, Any]:
        return {"role": self.role, **self.report.to_dict()}


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    return value
