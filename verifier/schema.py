"""OB 3.0 credentialSchema validation against pinned JSON Schemas. (Being written.)"""
from __future__ import annotations

from typing import Any

from .model import Check


def check_schema(credential: dict[str, Any]) -> list[Check]:
    """The ``schema`` check(s): validate against each pinned credentialSchema, skip unknown ones."""
    raise NotImplementedError
