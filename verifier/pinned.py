"""Documents shipped with the package and read instead of the network: JSON-LD contexts, JSON Schemas,
the demo set's manifest. One loader reads them all, with the same safe JSON parser as untrusted input.

A folder of pinned documents has an ``index.json`` mapping each document's URL to its file. These
files are part of the release (reviewed, pinned by the tests); a missing or unreadable one is a
broken install, so it raises rather than being reported as a badge problem. Documents are parsed
once and cached; callers get their own copy, so one caller cannot change what another reads.
"""
from __future__ import annotations

import copy
from functools import cache
from pathlib import Path
from typing import Any

from . import safejson

PACKAGE_DIR = Path(__file__).resolve().parent
INDEX = "index.json"


@cache
def _parsed(path: Path) -> Any:
    return safejson.loads(path.read_bytes())


def resource_path(relative: str | Path) -> Path:
    """The file ``relative`` of the package (``contexts/ob-v3p0-context.json``); never outside it."""
    path = (PACKAGE_DIR / relative).resolve()
    if not path.is_relative_to(PACKAGE_DIR):
        raise ValueError(f"{relative} is not a file of the verifier package")
    return path


def load_pinned(relative: str | Path) -> Any:
    """The parsed JSON document ``relative`` of the package (a fresh copy of the cached parse)."""
    return copy.deepcopy(_parsed(resource_path(relative)))


def pinned_index(folder: str) -> dict[str, Path]:
    """URL → file of every document pinned in ``folder`` (``contexts``, ``schemas``)."""
    index = _parsed(resource_path(Path(folder) / INDEX))
    return {url: resource_path(Path(folder) / name) for url, name in index.items()}


def pinned_by_url(folder: str, url: str) -> Any | None:
    """The document pinned for ``url`` in ``folder``, or None when none is."""
    path = pinned_index(folder).get(url)
    return load_pinned(path) if path is not None else None


__all__ = ["load_pinned", "pinned_index", "pinned_by_url", "resource_path", "PACKAGE_DIR"]
