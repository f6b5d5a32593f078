"""Open Badges 0.5 / 1.0 / 1.1 / 2.0 verification: hosted and signed (JWS). (Being written.)"""
from __future__ import annotations

from typing import Any

from .context import VerifyContext
from .model import Report


def verify_assertion(assertion: dict[str, Any], ctx: VerifyContext) -> Report:
    """An assertion given as JSON (baked or pasted): hosted (fetch the canonical copy) or signed."""
    raise NotImplementedError


def verify_hosted_url(url: str, ctx: VerifyContext) -> Report:
    """An assertion known only by its URL: fetch it and verify it as hosted."""
    raise NotImplementedError


def verify_signed(jws: str, ctx: VerifyContext) -> Report:
    """A signed assertion (compact JWS)."""
    raise NotImplementedError
