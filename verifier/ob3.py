"""Open Badges 3.0 / Verifiable Credentials verification. (Being written.)"""
from __future__ import annotations

from typing import Any

from .context import VerifyContext
from .model import Report


def verify_credential(credential: dict[str, Any], ctx: VerifyContext) -> Report:
    """A credential as JSON-LD, secured by Data Integrity proof(s) (or unsigned)."""
    raise NotImplementedError


def verify_jwt(token: str, ctx: VerifyContext) -> Report:
    """A credential secured as a VC-JWT (compact JWS)."""
    raise NotImplementedError
