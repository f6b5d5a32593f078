"""App configuration (from the environment) and the shared, cached wallet.

``BADGE_WALLET_DB``          wallet file (default: ``wallet.json`` in the user's data folder) or a
                             ``postgresql://`` URL (hosted mode)
``BADGE_WALLET_DEMO``        ``1``: demo mode (the demo issuer is served locally, the demo badges fill
                             a separate demo wallet on its first run); off when unset
``BADGE_WALLET_PUBLIC_URL``  base of portfolio links (default: the address the app is served at)
``BADGE_WALLET_PUBLIC_ONLY`` ``1`` serves only public portfolio pages (strict: unknown values stop the app)
``BADGE_WALLET_ALLOW_HOSTS`` comma-separated HOST[:PORT] the fetcher may reach although private
"""
from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import streamlit as st

from verifier import Check, Report, SafeFetcher, summary, verify
from verifier.demo import demo_mirrors, demo_mode
from wallet.auth import SignInError, owner_key, providers
from wallet.dburl import is_database_url
from wallet.demo import load_demo
from wallet.mode import Mode, ReadOnlyStore, instance_mode
from wallet.service import allow_hosts_from_env, default_db_path

if TYPE_CHECKING:
    from wallet.model import Entry
    from wallet.portfolio import PublicPortfolio
    from wallet.service import Wallet

def db_path() -> Path:
    return Path(os.environ.get("BADGE_WALLET_DB") or default_db_path())


def demo_on() -> bool:
    """Demo mode (``BADGE_WALLET_DEMO=1``): the only time the demo set is offered or trusted."""
    return demo_mode()


def mode() -> Mode:
    """The instance mode; a misconfigured switch raises :class:`wallet.mode.ConfigError` (app.py stops)."""
    return instance_mode()


def public_base() -> str:
    """The base of portfolio links: ``$BADGE_WALLET_PUBLIC_URL``, else the address this app is really
    served at (the browser's, so another port or host name is right), else ``http://localhost:PORT``."""
    configured = os.environ.get("BADGE_WALLET_PUBLIC_URL", "").strip()
    if configured:
        return configured.rstrip("/")
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
def _open_wallet(path: str, base: str, hosts: tuple[str, ...]) -> Wallet:
    """One Wallet per file. In demo mode, on the very first run (no file yet) the demo badges are imported."""
    from wallet.service import Wallet

    first_run = not Path(path).exists()
    wallet = Wallet(path, public_url=base, allow_hosts=hosts)
    if first_run and wallet.demo:
        load_demo(wallet)
    return wallet


@st.cache_resource(show_spinner=False)
def _open_read_only(db: str, owner: str | None, hosts: tuple[str, ...]) -> Wallet:
    """A wallet whose store refuses every write (public pages): no demo import, no file created."""
    from wallet.hosted import HostedWallet, open_wallet

    opened = open_wallet(db, owner, allow_hosts=hosts)
    if isinstance(opened, HostedWallet):
        read_only = HostedWallet(opened.path, store=ReadOnlyStore(opened.store), allow_hosts=hosts)
        read_only.database_url = opened.database_url  # the shared HTTP cache, never the wallet rows
        read_only.check_cache = opened.check_cache  # per process for a database: no file on the app host
        return read_only
    return type(opened)(opened.path, store=ReadOnlyStore(opened.store), allow_hosts=hosts)


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
def _open_hosted(db: str, owner: str, base: str, hosts: tuple[str, ...]) -> Wallet:
    """One learner's wallet in the shared database (nothing but its identity is kept in this process)."""
    from wallet.hosted import HostedWallet

    return HostedWallet(db, owner=owner, public_url=base, allow_hosts=hosts)


def get_wallet() -> Wallet:
    """The wallet this session works on: the owner's file (local) or the signed-in learner's (hosted)."""
    if mode() == "hosted":
        owner = current_owner()
        if owner is None:
            raise SignInError("Sign in to open your wallet.")
        return _open_hosted(os.environ["BADGE_WALLET_DB"], owner, public_base(), tuple(allow_hosts_from_env()))
    if mode() == "public-only":
        return _open_read_only(str(db_path()), None,
                               tuple(allow_hosts_from_env()))
    return _open_wallet(str(db_path()), public_base(), tuple(allow_hosts_from_env()))


def open_portfolio(token: str, **options: Any) -> PublicPortfolio:
    """The public view of a portfolio link, read-only whatever the mode. In a shared database the link's
    hash says whose portfolio it is; a stranger never gets any other access to that wallet. ``options`` go to
    :meth:`wallet.service.Wallet.open_portfolio` (badge, refresh, deadline, on_done)."""
    from wallet.portfolio import closed_view, token_from, token_hash

    db = os.environ.get("BADGE_WALLET_DB") or ""
    hosts = tuple(allow_hosts_from_env())
    if is_database_url(db):
        from wallet.sql_store import portfolio_owner

        owner = portfolio_owner(db, token_hash(token_from(token or ""))) if token_from(token or "") else None
        if owner is None:
            return closed_view("unknown", None)
        return _open_read_only(db, owner, hosts).open_portfolio(token, **options)
    if mode() == "public-only":
        return get_wallet().open_portfolio(token, **options)
    return _open_wallet(str(db_path()), public_base(), hosts).open_portfolio(token, **options)


def load_demo_badges(wallet: Wallet) -> list:
    """Import the demo set (the empty wallet's "Load demo badges" button)."""
    return load_demo(wallet)


def check_badge(source: bytes | str, recipient: str | None = None) -> Report:
    """Verify without a wallet (the recruiter page): nothing is stored. ``recipient`` is an email the
    badge must have been issued to (optional)."""
    fetcher = SafeFetcher(allow_hosts=allow_hosts_from_env(), mirrors=demo_mirrors())
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
