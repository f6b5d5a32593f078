"""The JSON Schema of a wallet export's ``index.json``, and its errors as sentences.

The index is untrusted input (anyone can make a zip): it is validated before any value is used,
so a string where a list is expected, a 10 MB note or an unknown category is refused with a sentence
naming the field instead of reaching the wallet. Only the fields restore reads are constrained;
the rest (verdicts, reports, badge data) may be present but are ignored.
"""
from __future__ import annotations

from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError, best_match

MAX_ENTRIES = 10_000
MAX_PORTFOLIOS = 1_000
MAX_NOTES = 20_000
MAX_TAGS = 100
MAX_TAG = 200

_TEXT = {"type": "string", "maxLength": 300}
_DATE = {"type": ["string", "null"], "maxLength": 64}

INDEX_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "required": ["format", "version", "entries"],
    "properties": {
        "format": {"const": "badge-wallet-export"},
        "version": {"const": 1},
        "exported_at": _DATE,
        "entries": {"type": "array", "maxItems": MAX_ENTRIES},
        "portfolios": {"type": "array", "maxItems": MAX_PORTFOLIOS},
    },
}

ENTRY_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["file"],
    "properties": {
        "id": {"type": ["string", "null"], "maxLength": 64},
        "file": _TEXT,
        "filename": {"type": ["string", "null"], "maxLength": 300},
        "sha256": {"type": ["string", "null"], "pattern": "^[0-9a-f]{64}$"},
        "notes": {"type": ["string", "null"], "maxLength": MAX_NOTES},
        "tags": {"type": ["array", "null"], "maxItems": MAX_TAGS,
                 "items": {"type": "string", "maxLength": MAX_TAG}},
        "override": {"enum": [None, "micro-credential", "badge"]},
        "added_at": _DATE,
    },
}

PORTFOLIO_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["id"],
    "properties": {
        "id": {"type": "string", "minLength": 1, "maxLength": 64},
        "title": {"type": ["string", "null"], "maxLength": 300},
        "entry_ids": {"type": "array", "maxItems": MAX_ENTRIES, "items": {"type": "string", "maxLength": 64}},
    },
}

_VALIDATORS = {name: Draft202012Validator(schema) for name, schema in
               (("index", INDEX_SCHEMA), ("entry", ENTRY_SCHEMA), ("portfolio", PORTFOLIO_SCHEMA))}
_TYPE_WORDS = {"string": "text", "array": "a list", "object": "an object", "null": "empty", "integer": "a whole number",
               "number": "a number", "boolean": "true or false"}


def _kind(value: Any) -> str:
    for name, cls in (("empty", type(None)), ("true or false", bool), ("text", str), ("a list", list),
                      ("an object", dict), ("a number", (int, float))):
        if isinstance(value, cls):
            return name
    return type(value).__name__


def _where(error: ValidationError) -> str:
    """'the field “tags”', 'item 2 of the field “tags”', 'it' (the document itself)."""
    path = list(error.absolute_path)
    if not path:
        return "it"
    words = []
    for p in reversed(path):
        words.append(f"item {p + 1}" if isinstance(p, int) else f"the field “{p}”")
    return " of ".join(words)


def sentence(error: ValidationError) -> str:
    """One clause (no capital, no full stop) saying what is wrong and where."""
    where = _where(error)
    v, expected, value = error.validator, error.validator_value, error.instance
    if v == "type":
        wanted = " or ".join(_TYPE_WORDS.get(t, str(t)) for t in (expected if isinstance(expected, list) else [expected]))
        return f"{where} should be {wanted} but is {_kind(value)}"
    if v == "required":
        missing = next((k for k in expected if isinstance(value, dict) and k not in value), "?")
        return f"{where} has no “{missing}”"
    if v == "maxLength":
        return f"{where} is longer than {expected} characters"
    if v == "minLength":
        return f"{where} is empty"
    if v == "maxItems":
        return f"{where} has more than {expected} items"
    if v == "pattern":
        return f"{where} is not a SHA-256 digest" if "0-9a-f" in str(expected) else f"{where} has a wrong form"
    if v == "enum":
        allowed = ", ".join("none" if x is None else str(x) for x in expected)
        return f"{where} must be one of: {allowed}"
    if v == "const":
        return f"{where} must be {expected!r}"
    return f"{where} is not allowed ({v})"


def _problem(kind: str, value: Any) -> str | None:
    error = best_match(_VALIDATORS[kind].iter_errors(value))
    return sentence(error) if error is not None else None


def index_problem(index: Any) -> str | None:
    """What is wrong with the top level of ``index.json`` (None when it is fine)."""
    return _problem("index", index)


def entry_problem(entry: Any) -> str | None:
    return _problem("entry", entry)


def portfolio_problem(portfolio: Any) -> str | None:
    return _problem("portfolio", portfolio)
