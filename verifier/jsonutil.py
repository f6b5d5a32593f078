"""Readers for badge JSON, where most fields may hold one value or a list of them."""
from __future__ import annotations

from typing import Any


def as_list(value: Any) -> list[Any]:
    """``value`` as a list: ``[]`` for None, a list as it is, anything else wrapped."""
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def strings(value: Any) -> list[str]:
    """The strings among one value or a list of values (e.g. a ``type`` field)."""
    return [v for v in as_list(value) if isinstance(v, str)]


def dicts(value: Any) -> list[dict[str, Any]]:
    """The objects among one value or a list of values (e.g. ``credentialSubject``)."""
    return [v for v in as_list(value) if isinstance(v, dict)]


def issuer_id(doc: dict[str, Any]) -> str | None:
    """The ``issuer`` of a credential, given as a string or an object with ``id``; None when missing or empty."""
    issuer = doc.get("issuer")
    if isinstance(issuer, dict):
        issuer = issuer.get("id")
    return issuer if isinstance(issuer, str) and issuer else None
