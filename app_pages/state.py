"""App configuration (from the environment) and the shared, cached wallet.

``BADGE_WALLET_DB``          wallet file (default ``data/wallet.json``)
``BADGE_WALLET_PUBLIC_URL``  base of portfolio links (default ``http://localhost:8501``)
``BADGE_WALLET_ALLOW_HOSTS`` comma-separated HOST[:PORT] the fetcher may reach although private
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import streamlit as st

from verifier import Check, Report, SafeFetcher, summary, verify
from wallet.demo import DEMO_MIRRORS, load_demo
from wallet.service import allow_hosts_from_env

if TYPE_CHECKING:
    from wallet.model import Entry
    from wallet.service import Wallet

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB = ROOT / "data" / "wallet.json"
DEFAULT_PUBLIC_URL = "http://localhost:8501"


def db_path() -> Path:
    return Path(os.environ.get("BADGE_WALLET_DB") or DEFAULT_DB)


def public_base() -> str:
    return (os.environ.get("BADGE_WALLET_PUBLIC_URL") or DEFAULT_PUBLIC_URL).rstrip("/")


@st.cache_resource(show_spinner="Opening the wallet…")
def _open_wallet(path: str, base: str, hosts: tuple[str, ...]) -> Wallet:
    """One Wallet per file. On the very first run (no file yet) the demo badges are imported."""
    from wallet.service import Wallet

    first_run = not Path(path).exists()
    wallet = Wallet(path, public_url=base, allow_hosts=hosts)
    if first_run:
        load_demo(wallet)
    return wallet


def get_wallet() -> Wallet:
    return _open_wallet(str(db_path()), public_base(), tuple(allow_hosts_from_env()))


def load_demo_badges(wallet: Wallet) -> list:
    """Import the demo set (the empty wallet's "Load demo badges" button)."""
    return load_demo(wallet)


def check_badge(source: bytes | str, recipient: str | None = None) -> Report:
    """Verify without a wallet (the recruiter page): nothing is stored. ``recipient`` is an email the
    badge must have been issued to (optional)."""
    fetcher = SafeFetcher(allow_hosts=allow_hosts_from_env(), mirrors=DEMO_MIRRORS)
    return verify(source, fetcher=fetcher, recipient=recipient)


def entry_summary(entry: Entry) -> str:
    """The plain-words sentence (verifier.report.summary) for an entry's stored report."""
    checks = [Check(str(c.get("id", "")), c.get("status", "skip"), str(c.get("message", "")))
              for c in entry.report.get("checks", []) if isinstance(c, dict)]
    return summary(Report(entry.verdict, entry.format, checks, entry.badge_record()))
