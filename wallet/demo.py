"""The demo badge set (``verifier/demo_data/``, made by ``data/make_demo.py``) and its local mirror.

The demo issuer lives under the reserved domain ``https://issuer.demo.example/``, which never
resolves: in demo mode only (``BADGE_WALLET_DEMO=1``, see :mod:`verifier.demo`) :data:`DEMO_MIRRORS`
maps it to ``verifier/demo_data/hosted/`` for the fetcher, which then reports a ``mirror`` warning
on every badge verified that way.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .service import Wallet

from verifier import DEMO_BASE, DEMO_DIR, DEMO_MIRRORS, load_pinned, safe_json_loads  # noqa: F401 (DEMO_BASE, DEMO_MIRRORS re-exported)


@dataclass(frozen=True)
class DemoFile:
    """One demo badge file with the verdict and category it is made to have."""

    path: Path
    name: str
    format: str
    verdict: str
    category: str
    why: str

    @property
    def filename(self) -> str:
        return self.path.name


def demo_files(demo_dir: Path = DEMO_DIR) -> list[DemoFile]:
    """The demo badges listed in ``manifest.json`` (empty when the demo set is missing)."""
    manifest = demo_dir / "manifest.json"
    if not manifest.is_file():
        return []
    # the package's own manifest through the pinned loader; another folder's with the same safe parser
    data: dict[str, Any] = load_pinned(manifest) if demo_dir == DEMO_DIR else safe_json_loads(manifest.read_bytes())
    return [DemoFile(demo_dir / b["file"], b["name"], b["format"], b["verdict"], b["category"], b.get("why", ""))
            for b in data.get("badges", []) if (demo_dir / b["file"]).is_file()]


def load_demo(wallet: Wallet, demo_dir: Path = DEMO_DIR) -> list[Any]:
    """Import every demo badge into ``wallet``; returns the per-file import results."""
    files = [(f.filename, f.path.read_bytes()) for f in demo_files(demo_dir)]
    return wallet.import_files(files) if files else []
