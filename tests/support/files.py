"""The test material in tests/fixtures (sources listed in tests/fixtures/SOURCES.md)."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from support.paths import FIXTURES

__all__ = ["FIXTURES", "fixture_path", "load_json"]


def fixture_path(*parts: str) -> Path:
    return FIXTURES.joinpath(*parts)


def load_json(*parts: str) -> Any:
    return json.loads(fixture_path(*parts).read_text(encoding="utf-8"))
