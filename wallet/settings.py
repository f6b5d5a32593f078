"""Where the wallet lives and what the fetcher may reach, from the environment.

``BADGE_WALLET_DB`` names the wallet (a file or a ``postgresql://`` URL); without it the wallet is
``wallet.json`` in the learner's data folder (platformdirs), never inside the installed package.
``BADGE_WALLET_ALLOW_HOSTS`` lists private HOST[:PORT] the fetcher may reach.
"""
from __future__ import annotations

import os
from pathlib import Path

import platformdirs

from verifier.demo import demo_mode

DB_ENV = "BADGE_WALLET_DB"
ALLOW_HOSTS_ENV = "BADGE_WALLET_ALLOW_HOSTS"
APP_NAME = "badge-wallet"


def user_data_dir() -> Path:
    """The learner's data folder for this app (platformdirs: ``~/.local/share/badge-wallet`` on Linux,
    ``~/Library/Application Support/badge-wallet`` on macOS, ``%LOCALAPPDATA%\\badge-wallet`` on Windows).
    Never the installed package: a wheel's ``site-packages`` is no place for a learner's data."""
    return platformdirs.user_data_path(APP_NAME, appauthor=False)


DEFAULT_DB = user_data_dir() / "wallet.json"  # the default outside demo mode (see default_db_path)


def _default_db() -> Path:
    """``wallet.json`` in the user's data folder; ``demo-wallet.json`` in demo mode, so the demo
    badges never land in the learner's own wallet."""
    return user_data_dir() / ("demo-wallet.json" if demo_mode() else "wallet.json")


def default_db_path() -> Path:
    """``$BADGE_WALLET_DB``, else the wallet in the user's data folder (demo mode: the demo wallet)."""
    env = os.environ.get(DB_ENV)
    return Path(env).expanduser() if env else _default_db()


def allow_hosts_from_env() -> list[str]:
    return [h.strip() for h in os.environ.get(ALLOW_HOSTS_ENV, "").split(",") if h.strip()]
