"""Where the demo issuer's documents live (``data/demo/hosted/``, made by ``data/make_demo.py``).

The demo issuer sits under the reserved domain ``https://issuer.demo.example/``, which never
resolves; the fetcher serves it from this folder and every report that used it carries a ``mirror``
warning. Shared by the CLI, the wallet and the app.
"""
from __future__ import annotations

from pathlib import Path

DEMO_DIR = Path(__file__).resolve().parent.parent / "data" / "demo"
DEMO_BASE = "https://issuer.demo.example/"
DEMO_MIRRORS: dict[str, Path] = {DEMO_BASE: DEMO_DIR / "hosted"}
