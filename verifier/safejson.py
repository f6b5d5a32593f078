"""JSON parsing for untrusted input: nesting is capped so no later step can recurse out of the stack.

Badges nest a few dozen levels at most (a CLR holding credentials holding endorsements). A document
nested hundreds of levels deep parses, but then crashes every recursive step after it (JSON-LD
expansion, ``json.dumps``, ``dataclasses.asdict``), so it is refused here, as a value error.
"""
from __future__ import annotations

import json
from typing import Any

MAX_DEPTH = 100


def too_deep(value: Any, limit: int = MAX_DEPTH) -> bool:
    """Whether ``value`` nests objects/arrays more than ``limit`` levels deep (checked without recursion)."""
    stack = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, dict):
            children = list(node.values())
        elif isinstance(node, list):
            children = node
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False


def loads(text: str | bytes) -> Any:
    """``json.loads`` that raises ValueError (never RecursionError) for a document nested too deeply."""
    try:
        value = json.loads(text)
    except RecursionError:
        raise ValueError(f"the JSON is nested more than {MAX_DEPTH} levels deep") from None
    if too_deep(value):
        raise ValueError(f"the JSON is nested more than {MAX_DEPTH} levels deep")
    return value
