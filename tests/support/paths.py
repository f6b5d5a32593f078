"""Where things are: the repository root, the app, the tests and their fixtures (independent of the caller)."""
from __future__ import annotations

from pathlib import Path

TESTS = Path(__file__).resolve().parent.parent
ROOT = TESTS.parent
APP = ROOT / "app.py"
FIXTURES = TESTS / "fixtures"
