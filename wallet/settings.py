"""How this instance is configured, read once from the environment into a typed :class:`Settings`.

:func:`settings_from_env` is the only reader of the ``BADGE_WALLET_*`` variables for the wallet and
the app; the entry points (``python -m wallet``, the Streamlit app, the job worker) call it once and
hand the result on. Library code (``Wallet(...)``) never reads the environment: its defaults are
the safe ones (no demo mode, no private hosts, the wallet file in the learner's data folder).

==============================  ==================================================================
``BADGE_WALLET_DB``             wallet file, or ``postgresql://…`` (hosted mode); default
                                ``wallet.json`` in the user's data folder (``demo-wallet.json`` in
                                demo mode), never inside the installed package
``BADGE_WALLET_DEMO``           ``1``/``true``/``yes``/``on``: demo mode (the demo issuer is served
                                locally); anything else is off
``BADGE_WALLET_PUBLIC_URL``     base of portfolio links (default: the address the app is served at)
``BADGE_WALLET_PUBLIC_ONLY``    ``1`` serves only public portfolio pages; strict: an unknown value
                                is a :class:`ConfigError` and the app does not start
``BADGE_WALLET_ALLOW_HOSTS``    comma-separated private HOST[:PORT] the fetcher may reach
``BADGE_WALLET_KEY_SECRET``     hosted mode: the operator's secret that seals the learners' holder
                                keys (wallet/key_vault.py); never printed (``repr`` hides it)
==============================  ==================================================================

Security decisions: an on/off switch whose value is not clearly on or off stops start-up rather than
being guessed (``BADGE_WALLET_PUBLIC_ONLY=on`` once served the whole wallet when read as "off");
demo mode, whose issuer keys are public, is on only when asked for in so many words.
"""
from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import platformdirs

from verifier import DEMO_ENV, demo_mirrors, demo_mode

from .dburl import is_database_url
from .store import WalletError

if TYPE_CHECKING:
    from .store import WalletStore

DB_ENV = "BADGE_WALLET_DB"
ALLOW_HOSTS_ENV = "BADGE_WALLET_ALLOW_HOSTS"
PUBLIC_URL_ENV = "BADGE_WALLET_PUBLIC_URL"
PUBLIC_ONLY_ENV = "BADGE_WALLET_PUBLIC_ONLY"
KEY_SECRET_ENV = "BADGE_WALLET_KEY_SECRET"
APP_NAME = "badge-wallet"
TRUE_WORDS = ("1", "true", "yes", "on")
FALSE_WORDS = ("", "0", "false", "no", "off")

Mode = Literal["local", "public-only", "hosted"]


class ConfigError(WalletError):
    """The instance is misconfigured; the sentence says which setting and what it accepts."""


def parse_switch(name: str, value: str | None) -> bool:
    """``1/true/yes/on`` → True, ``0/false/no/off`` or unset → False, anything else → :class:`ConfigError`."""
    word = (value or "").strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ConfigError(f"{name}={value!r} is not understood: use 1 (or true, yes, on) to turn it on, "
                      "0 (or false, no, off) or leave it unset to turn it off. The app did not start.")


def user_data_dir() -> Path:
    """The learner's data folder for this app (platformdirs: ``~/.local/share/badge-wallet`` on Linux,
    ``~/Library/Application Support/badge-wallet`` on macOS, ``%LOCALAPPDATA%\\badge-wallet`` on Windows).
    Never the installed package: a wheel's ``site-packages`` is no place for a learner's data."""
    return platformdirs.user_data_path(APP_NAME, appauthor=False)


def default_wallet_file(demo: bool = False) -> Path:
    """``wallet.json`` in the user's data folder; ``demo-wallet.json`` in demo mode, so the demo
    badges never land in the learner's own wallet."""
    return user_data_dir() / ("demo-wallet.json" if demo else "wallet.json")


@dataclass(frozen=True)
class Settings:
    """The instance's configuration (see the module doc for the variables each field comes from)."""

    db: str = ""  # a wallet file or a postgresql:// URL; "" = the default file
    demo: bool = False
    public_url: str = ""  # "" = not configured (the app uses the address it is served at)
    public_only: bool = False
    allow_hosts: tuple[str, ...] = ()
    key_secret: str = field(default="", repr=False)  # hosted: seals holder keys (key_vault.py)

    @property
    def database_url(self) -> str | None:
        return self.db if is_database_url(self.db) else None

    @property
    def mode(self) -> Mode:
        if self.public_only:
            return "public-only"
        return "hosted" if self.database_url else "local"

    @property
    def wallet_path(self) -> Path:
        """The wallet file (the default one in the user's data folder when none is named)."""
        if self.db and not self.database_url:
            return Path(self.db).expanduser()
        return default_wallet_file(self.demo)

    @property
    def mirrors(self) -> dict[str, Path]:
        """What the fetcher serves locally: the demo issuer in demo mode, nothing otherwise."""
        return demo_mirrors(self.demo)

    def with_db(self, db: str | None) -> Settings:
        """These settings with another wallet (``--db``); None keeps this one."""
        return self if db is None else replace(self, db=db)


def settings_from_env(env: Mapping[str, str] | None = None) -> Settings:
    """The one reader of the environment (``env``, by default ``os.environ``); :class:`ConfigError`
    for a switch that is neither clearly on nor off."""
    env = os.environ if env is None else env
    return Settings(
        db=(env.get(DB_ENV) or "").strip(),
        demo=demo_mode(env),
        public_url=(env.get(PUBLIC_URL_ENV) or "").strip().rstrip("/"),
        public_only=parse_switch(PUBLIC_ONLY_ENV, env.get(PUBLIC_ONLY_ENV)),
        allow_hosts=tuple(h.strip() for h in (env.get(ALLOW_HOSTS_ENV) or "").split(",") if h.strip()),
        key_secret=(env.get(KEY_SECRET_ENV) or "").strip(),
    )


DEFAULT_DB = default_wallet_file()  # the default outside demo mode

__all__ = ["Settings", "settings_from_env", "ConfigError", "parse_switch", "Mode", "user_data_dir",
           "default_wallet_file", "DB_ENV", "ALLOW_HOSTS_ENV", "PUBLIC_URL_ENV", "PUBLIC_ONLY_ENV", "DEMO_ENV", "KEY_SECRET_ENV"]


def open_store(settings: Settings, owner: str | None = None) -> WalletStore:
    """The store ``settings`` name, as :class:`wallet.service.Wallet` opens it: ``owner``'s rows of a
    postgresql:// database, else the wallet file. Needs nothing else (``python -m wallet list``)."""
    if settings.database_url:
        from .sql_store import SQLStore  # SQLAlchemy is loaded only in hosted mode

        return SQLStore(settings.database_url, owner or "")
    from .sqlite_store import SQLiteStore

    return SQLiteStore(settings.wallet_path)
