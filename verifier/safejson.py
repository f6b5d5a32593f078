"""The one JSON loader for untrusted input (badges, tokens, fetched documents).

It refuses, as :class:`UnsafeJson` (a ValueError carrying a sentence), what would let two readers
of the same bytes see two different badges, or let a later step crash or run away:

* **duplicate member names** in any object. RFC 8259 leaves their meaning open: Python keeps the
  last value, other parsers the first, so a signer and a viewer could read different credentials
  from one file;
* ``NaN``, ``Infinity`` and ``-Infinity``, which are not JSON (RFC 8259 §6) and which JCS
  (RFC 8785) cannot serialize;
* **lone UTF-16 surrogates** (``"\\ud800"``): not Unicode characters (I-JSON, RFC 7493 §2.1), and
  every later step that encodes text as UTF-8 (hashing, storage, display) would fail on them;
* more than :data:`MAX_DEPTH` levels of nesting, or more than :data:`MAX_NODES` objects and arrays.
  Both are measured on the text *before* parsing, in linear time, so a deep document never reaches
  the recursive parser and a 19 MB document of tiny arrays is never built in memory (a badge has at
  most a few thousand objects; 4 million empty arrays take over 300 MB as Python lists).
"""
from __future__ import annotations

import json
import math
import re
from typing import Any

MAX_DEPTH = 100
MAX_NODES = 200_000  # objects + arrays in one document

# A JSON string literal (the "unrolled loop" form: no backtracking) and the structural characters.
_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_KEEP_BRACKETS = {c: None for c in range(128) if chr(c) not in "[]{}"}  # outside strings JSON is ASCII
_SURROGATE = re.compile("[\ud800-\udfff]")
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")  # a pair is fine once parsed; a lone half is not


_LONE_SURROGATE = "it contains a lone UTF-16 surrogate (such as \\ud800), which is not a character"


class UnsafeJson(ValueError):
    """Well-formed or not, this JSON is refused; ``str(exc)`` is a sentence fragment for a report."""


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    obj = dict(pairs)
    if len(obj) != len(pairs):
        seen: set[str] = set()
        name = next(k for k, _ in pairs if k in seen or seen.add(k))  # type: ignore[func-returns-value]
        raise UnsafeJson(f"the member name {_quote(name)} appears twice in one object, so different "
                         "readers would see different values")
    return obj


def _no_constant(name: str) -> Any:
    raise UnsafeJson(f"it contains {name}, which is not a JSON number")


def _quote(name: str) -> str:
    shown = name if len(name) <= 60 else name[:57] + "..."
    return '"' + shown.encode("utf-8", "backslashreplace").decode("utf-8") + '"'


def structure_problem(text: str, max_depth: int = MAX_DEPTH, max_nodes: int = MAX_NODES) -> str | None:
    """Why ``text`` is nested too deeply or holds too many objects/arrays, or None.

    Exact for well-formed JSON (string literals are removed first, so brackets inside strings do not
    count); malformed JSON is left to the parser, which refuses it anyway.
    """
    if text.count("[") + text.count("{") <= max_depth:  # most badges: nothing to measure
        return None
    brackets = _STRING.sub("", text).translate(_KEEP_BRACKETS)
    if not brackets.isascii():  # characters outside strings that JSON does not allow: a syntax error
        return None
    opened = brackets.count("[") + brackets.count("{")
    if opened > max_nodes:
        return f"it holds {opened} objects and arrays, more than the {max_nodes} a badge could need"
    depth = deepest = 0
    for char in brackets:  # at most 2 * max_nodes characters
        if char in "[{":
            depth += 1
            if depth > deepest:
                deepest = depth
        else:
            depth -= 1
    if deepest > max_depth:
        return f"it is nested more than {max_depth} levels deep"
    return None


def too_deep(value: Any, limit: int = MAX_DEPTH) -> bool:
    """Whether an already parsed ``value`` nests objects/arrays more than ``limit`` levels deep.

    Level by level, without recursion and without a tuple per node (linear, a few passes of C loops).
    """
    level = [value] if type(value) in (dict, list) else []
    for _ in range(limit):
        level = [child for node in level for child in (node.values() if type(node) is dict else node)
                 if type(child) in (dict, list)]
        if not level:
            return False
    return bool(level)


def has_surrogate(value: Any) -> bool:
    """Whether any string (member name or value) of a parsed ``value`` holds a lone surrogate."""
    stack = [value]
    while stack:
        node = stack.pop()
        if type(node) is str:
            if _SURROGATE.search(node):
                return True
        elif isinstance(node, dict):
            stack.extend(node.keys())
            stack.extend(node.values())
        elif isinstance(node, (list, tuple)):
            stack.extend(node)
    return False


_CONSTANTS = {"nan": "NaN", "inf": "Infinity", "-inf": "-Infinity"}


def value_problem(value: Any, max_depth: int = MAX_DEPTH) -> str | None:
    """For a document given already parsed (a dict from a library caller): what :func:`loads` would
    have refused in its text (too deep, a lone surrogate, a NaN or infinite number), or None.
    One pass, level by level (level ``k`` holds the values at nesting depth ``k``)."""
    level, depth = [value], 0
    while level:
        depth += 1
        below: list[Any] = []
        for node in level:
            kind = type(node)
            if kind is dict:
                if depth > max_depth:
                    return f"its data is nested more than {max_depth} levels deep"
                below.extend(node)
                below.extend(node.values())
            elif kind is list or kind is tuple:
                if depth > max_depth:
                    return f"its data is nested more than {max_depth} levels deep"
                below.extend(node)
            elif kind is str:
                if not node.isascii() and _SURROGATE.search(node):
                    return _LONE_SURROGATE
            elif kind is float and (node != node or node in (math.inf, -math.inf)):
                return f"it contains {_CONSTANTS[repr(node)]}, which is not a JSON number"
        level = below
    return None


def scrub_text(text: str) -> str:
    """``text`` with every lone surrogate replaced by U+FFFD (the replacement character)."""
    return _SURROGATE.sub("\ufffd", text) if not text.isascii() else text


def scrub(value: Any) -> Any:
    """A copy of parsed JSON with lone surrogates replaced by U+FFFD in every string and member name.

    For our own stored data (a wallet file, a wallet export), which must stay readable rather than be
    refused: a command-line argument that is not valid UTF-8, or a crafted backup, would otherwise make
    every later write (UTF-8) or page (Streamlit) fail on that one character.
    """
    if type(value) is str:
        return scrub_text(value)
    if isinstance(value, dict):
        return {scrub_text(k) if type(k) is str else k: scrub(v) for k, v in value.items()}
    if isinstance(value, list):
        return [scrub(v) for v in value]
    return value


def loads(text: str | bytes) -> Any:
    """Parse untrusted JSON; raise :class:`UnsafeJson` (or ``json.JSONDecodeError`` for bad syntax,
    ``UnicodeDecodeError`` for bytes that are not UTF-8), all ValueErrors, never anything else."""
    if isinstance(text, (bytes, bytearray)):
        text = bytes(text).decode("utf-8")
    problem = structure_problem(text)
    if problem:
        raise UnsafeJson(problem)
    try:
        value = json.loads(text, object_pairs_hook=_no_duplicates, parse_constant=_no_constant)
    except RecursionError:  # unreachable after structure_problem; kept as a second wall
        raise UnsafeJson(f"it is nested more than {MAX_DEPTH} levels deep") from None
    suspect = ("\\u" in text and _SURROGATE_ESCAPE.search(text)) or (not text.isascii() and _SURROGATE.search(text))
    if suspect and has_surrogate(value):
        raise UnsafeJson(_LONE_SURROGATE)
    return value
