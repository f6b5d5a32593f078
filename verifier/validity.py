"""Dates: parsing every form badges use, and the expiry / not-yet-valid checks."""
from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from .checks import CheckId
from .model import Check, failed, passed

_DATE_ONLY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def parse_datetime(value: Any) -> datetime | None:
    """Parse ISO 8601 (with Z, offset or none: UTC assumed), a plain date, or Unix seconds (OB 1.0)."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        try:
            return datetime.fromtimestamp(float(value), tz=UTC)
        except (OverflowError, OSError, ValueError):
            return None
    if not isinstance(value, str):
        return None
    text = value.strip()
    # Unix seconds (OB 1.0) as a string; eight digits are an ISO 8601 basic date (20240601), and
    # str.isdigit() also accepts non-ASCII digits ("²", "١٢"), which are no date.
    if text.isascii() and text.isdigit() and len(text) != 8:
        return parse_datetime(int(text))
    if _DATE_ONLY.match(text):
        text += "T00:00:00"
    try:
        dt = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        return None
    return dt if dt.tzinfo else dt.replace(tzinfo=UTC)


def day(dt: datetime) -> str:
    """A date as people write it: ``14 March 2025``."""
    return dt.strftime("%d %B %Y").lstrip("0")


def time_checks(now: datetime, *, issued_on: datetime | None, expires: datetime | None,
                valid_from: datetime | None = None) -> list[Check]:
    """The ``expiry`` and ``issued`` checks, judged at ``now``.

    ``valid_from`` (OB 3 ``validFrom``) may differ from the issue date; both must not lie in the future.
    """
    checks: list[Check] = []
    if expires is None:
        checks.append(passed(CheckId.EXPIRY, "The badge has no expiry date."))
    elif expires <= now:
        checks.append(failed(CheckId.EXPIRY, f"The badge expired on {day(expires)}.", "expired"))
    else:
        checks.append(passed(CheckId.EXPIRY, f"The badge is valid until {day(expires)}."))
    start = max((d for d in (issued_on, valid_from) if d is not None), default=None)
    if start is not None and start > now:
        checks.append(failed(CheckId.ISSUED, f"The badge only becomes valid on {day(start)}.", "not-yet-valid"))
    elif issued_on is not None:
        checks.append(passed(CheckId.ISSUED, f"The badge was issued on {day(issued_on)}."))
    return checks
