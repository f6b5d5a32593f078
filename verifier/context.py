"""What every verification step may use: the clock, the fetcher and the caller's expectations."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone

from .fetch import SafeFetcher


@dataclass
class VerifyContext:
    """Inputs shared by all checks. ``now`` is timezone-aware; ``recipient`` an email/URL to match."""

    now: datetime = field(default_factory=lambda: datetime.now(timezone.utc))
    fetcher: SafeFetcher = field(default_factory=SafeFetcher)
    recipient: str | None = None

    def __post_init__(self) -> None:
        if self.now.tzinfo is None:
            raise ValueError("now must be timezone-aware")
