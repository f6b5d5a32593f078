"""What every verification step may use: the clock, the fetcher and the caller's expectations."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from .fetch import SafeFetcher

if TYPE_CHECKING:
    from .registry import Registry


@dataclass
class VerifyContext:
    """Inputs shared by all checks. ``now`` is timezone-aware; ``recipient`` an email/URL to match.

    ``registries`` are the issuer registries the user configured (none by default); ``trusted_issuers``
    the issuer ids the user marked as trusted. Both only inform the issuer-identity step, never the
    verdict. ``depth`` is how deep inside other credentials this one sits (0 = the badge itself).
    """

    now: datetime = field(default_factory=lambda: datetime.now(UTC))
    fetcher: SafeFetcher = field(default_factory=SafeFetcher)
    recipient: str | None = None
    registries: tuple[Registry, ...] = ()
    trusted_issuers: frozenset[str] = frozenset()
    depth: int = 0
    # A presentation must have been signed for this challenge and domain (presentation.py); None: not asked.
    challenge: str | None = None
    domain: str | None = None

    def __post_init__(self) -> None:
        if self.now.tzinfo is None:
            raise ValueError("now must be timezone-aware")
        self.registries = tuple(self.registries)
        self.trusted_issuers = frozenset(self.trusted_issuers)
