"""Typed records shared by every part of the verifier: checks, the normalized badge, the report."""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

Status = Literal["pass", "fail", "warn", "skip"]
# What a failed check means for the verdict (see report.derive_verdict). "" = the badge is not genuine.
Outcome = Literal["", "revoked", "expired", "not-yet-valid", "unverifiable"]

VERDICTS = ("valid", "invalid", "expired", "revoked", "not-yet-valid", "unverifiable")


@dataclass(frozen=True)
class Check:
    """One verification step: a stable id, its status and a sentence a recruiter understands.

    ``outcome`` only matters for ``status == "fail"``: it says which verdict the failure leads to.
    ``authenticates`` marks a passing check that proves the badge comes from its issuer
    (hosted copy matched, signature or proof verified); without one the verdict cannot be ``valid``.
    """

    id: str
    status: Status
    message: str
    outcome: Outcome = ""
    authenticates: bool = False

    def to_dict(self) -> dict[str, str]:
        return {"id": self.id, "status": self.status, "message": self.message}


def passed(id: str, message: str, *, authenticates: bool = False) -> Check:
    return Check(id, "pass", message, authenticates=authenticates)


def failed(id: str, message: str, outcome: Outcome = "") -> Check:
    return Check(id, "fail", message, outcome=outcome)


def unverifiable(id: str, message: str) -> Check:
    """A required step could not be carried out (network, unknown context, over budget)."""
    return Check(id, "fail", message, outcome="unverifiable")


def warned(id: str, message: str) -> Check:
    return Check(id, "warn", message)


def skipped(id: str, message: str) -> Check:
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
        return _jsonable(dataclasses.asdict(self))


@dataclass
class Report:
    """The outcome of verifying one badge. ``verdict`` is derived from ``checks`` (report.py)."""

    verdict: str
    format: str  # ob1-hosted, ob2-hosted, ob2-signed, ob3-data-integrity, ob3-jwt, ob3-unsigned, none
    checks: list[Check]
    badge: Badge | None = None
    payload: str | None = None  # the embedded text (JSON, JWS or URL) the badge was read from

    @property
    def ok(self) -> bool:
        return self.verdict == "valid"

    def check(self, id: str) -> Check | None:
        return next((c for c in self.checks if c.id == id), None)

    def to_dict(self) -> dict[str, Any]:
        return {
            "verdict": self.verdict,
            "format": self.format,
            "checks": [c.to_dict() for c in self.checks],
            "badge": self.badge.to_dict() if self.badge else None,
        }


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    return value
