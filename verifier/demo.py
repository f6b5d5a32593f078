"""The demo issuer: where its documents live, and demo mode, the only time they are used.

The demo set (``verifier/demo_data/``, package data made by ``data/make_demo.py``) is issued by
"Demo University of Badges" under the reserved domain ``https://issuer.demo.example/``, which never
resolves. In **demo mode** the fetcher serves that domain from ``demo_data/hosted/`` (every report
that used it carries a ``mirror`` warning), so the demo badges verify offline.

Security decision: demo mode is off unless ``BADGE_WALLET_DEMO`` says ``1``/``true``/``yes``/``on``
(any other value is off: the safe side). The demo issuer's private keys are published with the
source code (``data/demo/keys/``, never installed), so anyone can sign a badge "from" it; with the
mirror active in every install, such a badge would verify as valid. Outside demo mode the demo domain
is an ordinary address that does not resolve, and its badges are ``unverifiable``.
"""
from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

DEMO_ENV = "BADGE_WALLET_DEMO"
DEMO_DIR = Path(__file__).resolve().parent / "demo_data"
DEMO_BASE = "https://issuer.demo.example/"
DEMO_MIRRORS: dict[str, Path] = {DEMO_BASE: DEMO_DIR / "hosted"}
_ON = ("1", "true", "yes", "on")


def demo_mode(env: Mapping[str, str]) -> bool:
    """Whether ``env`` (the environment an entry point read) turns demo mode on (``BADGE_WALLET_DEMO=1``);
    off for anything else. Library code never guesses: it is told (``demo=True``)."""
    return (env.get(DEMO_ENV) or "").strip().lower() in _ON


def demo_mirrors(enabled: bool) -> dict[str, Path]:
    """The fetcher mirrors to use: the demo issuer's in demo mode, none otherwise."""
    return dict(DEMO_MIRRORS) if enabled else {}
