"""VC-JWT: a Verifiable Credential secured as a compact JWS. (Being written.)"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..context import VerifyContext
from ..model import Check


@dataclass
class VcJwtResult:
    """The checks of the JWT layer, and the credential it carries (None when unreadable)."""

    checks: list[Check] = field(default_factory=list)
    credential: dict[str, Any] | None = None


def verify_vcjwt(token: str, ctx: VerifyContext) -> VcJwtResult:
    raise NotImplementedError
