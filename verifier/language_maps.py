"""Plain text of a badge's text fields, whatever shape the issuer used.

Open Badges 3.0 and Verifiable Credentials may give a text (a name, a description) as a string, a JSON-LD
value object (``{"@value": "…", "@language": "en"}``), a list of value objects in several languages, or a
language map (``{"en": "…", "fr": "…"}``; the European Learning Model's maps hold lists: ``{"en": ["…"]}``).
:func:`text_of` reads all of them the same way everywhere (verification, grouping, display).

Security decision: only these shapes are read as text. Any other object (an ``Image``, an ``Issuer``,
``{"id": …, "type": …}``) gives None, so an object is never shown as if it were its first string field.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

PREFERRED = ("en",)  # the language chosen when a text is given in several and none is asked for
_LANGUAGE_TAG = re.compile(r"^(?:[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*|@none)$")  # BCP 47 shape, or JSON-LD @none
MAX_DEPTH = 4  # a map of lists of value objects is three deep; anything deeper is not a text


def _is_language_map(value: dict[Any, Any]) -> bool:
    return bool(value) and all(isinstance(k, str) and _LANGUAGE_TAG.match(k) for k in value)


def _language(value: Any) -> str | None:
    return value.get("@language") if isinstance(value, dict) and isinstance(value.get("@language"), str) else None


def _pick(options: Sequence[tuple[str | None, Any]], prefer: Sequence[str], depth: int) -> str | None:
    """The text of the first option in a preferred language, else of the first option that has one."""
    wanted = [p.lower() for p in prefer]
    ranked = sorted(range(len(options)), key=lambda i: (
        next((n for n, p in enumerate(wanted) if (options[i][0] or "").lower().split("-")[0] == p), len(wanted)), i))
    for i in ranked:
        text = _text(options[i][1], prefer, depth + 1)
        if text:
            return text
    return None


def _text(value: Any, prefer: Sequence[str], depth: int) -> str | None:
    if isinstance(value, str):
        return value
    if depth > MAX_DEPTH:
        return None
    if isinstance(value, dict):
        if "@value" in value:
            inner = value["@value"]
            return inner if isinstance(inner, str) else None
        if _is_language_map(value):
            return _pick(list(value.items()), prefer, depth)
        return None
    if isinstance(value, list):
        return _pick([(_language(v), v) for v in value], prefer, depth)
    return None


def text_of(value: Any, prefer: Sequence[str] = PREFERRED) -> str | None:
    """The plain text of a text field (see the module doc): a string as it is; from several languages
    the first of ``prefer`` that is there, else the first given; None for anything that is not a text."""
    return _text(value, prefer, 0)


__all__ = ["text_of", "PREFERRED"]
