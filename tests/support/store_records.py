"""Minimal wallet entry records, as a store receives them, for the store tests."""
from __future__ import annotations

from typing import Any


def rec(n: int, **extra: Any) -> dict[str, Any]:
    """Entry ``n``: its own badge id and content hash; ``extra`` adds or replaces fields."""
    return {"id": "", "badge_id": f"urn:badge:{n}", "sha256": f"{n:064x}", "filename": f"b{n}.png", **extra}
