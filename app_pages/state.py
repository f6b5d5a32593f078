"""App configuration and the shared, cached wallet.

The app reads the environment once per script run (:func:`settings`, :func:`wallet.settings.settings_from_env`;
the variables are listed there and in the README) and hands the typed settings on. In demo mode the
demo badges fill a separate demo wallet on its first run.
"""
from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import streamlit as st

from verifier import Check, Report, summary
from wallet.auth import SignInError, owner_key, providers
from wallet.demo import load_demo
from wallet.mode import Mode, ReadOnlyStore
from wallet.settings import Settings, settings_from_env

if TYPE_CHECKING:
    from wallet.model import Entry
    from wallet.portfolio import PublicPortfolio
    from wallet.service import Wallet

def settings() -> Settings:
    """This instance's settings, read from the environment (each run of the script: a restart with
    other variables takes effect); a misconfigured switch raises :class:`wallet.mode.ConfigError`
    (app.py stops)."""
    return settings_from_env()


def db_path() -> Path:
    return settings().wallet_path


def demo_on() -> bool:
    """Demo mode (``BADGE_WALLET_DEMO=1``): the only time the demo set is offered or trusted."""
    return settings().demo


def mode() -> Mode:
    """The instance mode; a misconfigured switch raises :class:`wallet.mode.ConfigError` (app.py stops)."""
    return settings().mode


def public_base() -> str:
    """The base of portfolio links: ``$BADGE_WALLET_PUBLIC_URL``, else the address this app is really
    served at (the browser's, so another port or host name is right), else ``http://localhost:PORT``."""
    configured = settings().public_url
    if configured:
        return configured
    base_path = "/".join(p for p in str(st.get_option("server.baseUrlPath") or "").split("/") if p)
    suffix = f"/{base_path}" if base_path else ""
    try:
        served = st.context.url
    except Exception:  # noqa: BLE001 — outside a script run there is no browser URL
        served = None
    if served:
        parts = urlsplit(served)
        if parts.scheme in ("http", "https") and parts.netloc:
            return f"{parts.scheme}://{parts.netloc}{suffix}"
    return f"http://localhost:{st.get_option('server.port')}{suffix}"


@st.cache_resource(show_spinner="Opening the wallet…")
def _open_wallet(config: Settings, base: str) -> Wallet:
    """One Wallet per file. In demo mode, on the very first run (no file yet) the demo badges are imported."""
    from wallet.service import Wallet

    first_run = not config.wallet_path.exists()
    wallet = Wallet.from_settings(config, public_url=base)
    if first_run and wallet.demo:
        load_demo(wallet)
    return wallet


@st.cache_resource(show_spinner=False)
def _open_read_only(config: Settings, owner: str | None) -> Wallet:
    """A wallet whose store refuses every write (public pages): no demo import, no file created."""
    from wallet.hosted import HostedWallet, open_wallet

    opened = open_wallet(config, owner)
    read_only = type(opened)(opened.path, store=ReadOnlyStore(opened.store), allow_hosts=opened.allow_hosts,
                             demo=opened.demo, mirrors=opened.mirrors, public_url=opened.public_url)
    if isinstance(opened, HostedWallet):
        read_only.database_url = opened.database_url  # the shared HTTP cache, never the wallet rows
        read_only.check_cache = opened.check_cache  # the owner's rows of the shared table: no file on the app host
    return read_only


def auth_section() -> Mapping[str, Any] | None:
    """The ``[auth]`` section of the Streamlit secrets (None when there are no secrets at all)."""
    try:
        section = st.secrets.get("auth")
    except Exception:  # noqa: BLE001 — no secrets file is the same as no [auth] section
        return None
    return section if isinstance(section, Mapping) else None


def auth_providers() -> list[str]:
    return providers(auth_section())


def signed_in() -> bool:
    """Whether this session has a signed-in user (False also when no [auth] is configured)."""
    return bool(st.user.to_dict().get("is_logged_in"))


def current_owner() -> str | None:
    """Hosted mode: the signed-in learner's owner key (``ISS SUB``), None when signed out."""
    if not signed_in():
        return None
    return owner_key(st.user.to_dict())


@st.cache_resource(show_spinner=False, max_entries=10000)
def _open_hosted(config: Settings, owner: str, base: str) -> Wallet:
    """One learner's wallet in the shared database (nothing but its identity is kept in this process)."""
    from wallet.hosted import HostedWallet

    return HostedWallet.from_settings(config, owner=owner, public_url=base)


def get_wallet() -> Wallet:
    """The wallet this session works on: the owner's file (local) or the signed-in learner's (hosted)."""
    config = settings()
    if config.mode == "hosted":
        owner = current_owner()
        if owner is None:
            raise SignInError("Sign in to open your wallet.")
        return _open_hosted(config, owner, public_base())
    if config.mode == "public-only":
        return _open_read_only(config, None)
    return _open_wallet(config, public_base())


def open_portfolio(token: str, **options: Any) -> PublicPortfolio:
    """The public view of a portfolio link, read-only whatever the mode. In a shared database the link's
    hash says whose portfolio it is; a stranger never gets any other access to that wallet. ``options`` go to
    :meth:`wallet.service.Wallet.open_portfolio` (badge, refresh, deadline, on_done)."""
    from wallet.portfolio import closed_view, token_from, token_hash

    config = settings()
    if config.database_url:
        from wallet.sql_store import portfolio_owner

        owner = portfolio_owner(config.database_url, token_hash(token_from(token or ""))) \
            if token_from(token or "") else None
        if owner is None:
            return closed_view("unknown", None)
        return _open_read_only(config, owner).open_portfolio(token, **options)
    if config.mode == "public-only":
        return get_wallet().open_portfolio(token, **options)
    return _open_wallet(config, public_base()).open_portfolio(token, **options)


def load_demo_badges(wallet: Wallet) -> list:
    """Import the demo set (the empty wallet's "Load demo badges" button)."""
    return load_demo(wallet)


def check_badge(source: bytes | str, recipient: str | None = None) -> Report:
    """Verify without a wallet (the recruiter page): nothing is stored. ``recipient`` is an email the
    badge must have been issued to (optional)."""
    from verifier import SafeFetcher, verify  # loaded by the first check: the wallet pages never fetch

    config = settings()
    fetcher = SafeFetcher(allow_hosts=list(config.allow_hosts), mirrors=config.mirrors)
    try:  # the user's own registries and trusted issuers (wallet settings) say who the issuer is
        options = get_wallet().identity_options()
    except Exception:  # noqa: BLE001 - an unreadable wallet must not stop a check: no settings then
        options = {}
    return verify(source, fetcher=fetcher, recipient=recipient, **options)


def entry_report(entry: Entry) -> Report:
    """The entry's stored report as a :class:`Report` (checks, badge and issuer identity)."""
    checks = [Check(str(c.get("id", "")), c.get("status", "skip"), str(c.get("message", "")),
                    retry=c.get("retry") if isinstance(c.get("retry"), bool) else None)
              for c in entry.report.get("checks", []) if isinstance(c, dict)]
    return Report(entry.verdict, entry.format, checks, entry.badge_record(), issuer_identity=entry.identity)


def entry_summary(entry: Entry) -> str:
    """The plain-words sentence (verifier.report.summary) for an entry's stored report."""
    return summary(entry_report(entry))
