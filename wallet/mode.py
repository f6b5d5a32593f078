"""How an instance runs (its mode, from :class:`wallet.settings.Settings`) and what its links can reach.

Three modes (:func:`instance_mode`):

* ``local`` (default): one learner's wallet file, the app bound to 127.0.0.1 (``.streamlit/config.toml``);
* ``public-only`` (``BADGE_WALLET_PUBLIC_ONLY=1``): serves portfolio pages only, accepts no uploads
  and never writes the wallet (:class:`ReadOnlyStore`);
* ``hosted`` (``BADGE_WALLET_DB=postgresql://…``): many learners who sign in (see :mod:`wallet.auth`).

Security decisions: a switch with an unknown value (``BADGE_WALLET_PUBLIC_ONLY=maybe``) is a
:class:`ConfigError` that stops start-up rather than being guessed as "off" (which once served the
whole wallet for ``on``). A link whose host is ``localhost``, a loopback, private, link-local or
single-label name is reported by :func:`unreachable_reason`: nobody else can open it.
"""
from __future__ import annotations

import ipaddress
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import urlsplit

from .settings import PUBLIC_ONLY_ENV, ConfigError, Mode, parse_switch, settings_from_env
from .store import AddOutcome, WalletError, WalletStore


def instance_mode(env: Mapping[str, str]) -> Mode:
    """The mode ``env`` configures (:func:`wallet.settings.settings_from_env`, strict switches)."""
    return settings_from_env(env).mode


def unreachable_reason(link: str) -> str | None:
    """Why others cannot open ``link`` (a sentence), or None when its host looks public."""
    try:
        host = (urlsplit(link.strip()).hostname or "").rstrip(".").lower()
    except ValueError:
        return "This link is not a valid web address, so nobody else can open it."
    if not host:
        return "This link has no host name, so nobody else can open it."
    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        ip = None
    if host == "localhost" or host.endswith(".localhost") or (ip is not None and ip.is_loopback):
        return (f"This link points at {host}, which means “this computer”: nobody else can open it. Set "
                "BADGE_WALLET_PUBLIC_URL to an address on the internet where the portfolio is published.")
    if ip is not None and (ip.is_private or ip.is_link_local or ip.is_unspecified or ip.is_reserved):
        return (f"This link points at {host}, a private network address: only people on the same network can "
                "open it, not a recruiter on the internet. Set BADGE_WALLET_PUBLIC_URL to a public address.")
    if ip is None and ("." not in host or host.endswith((".local", ".lan", ".internal", ".home.arpa"))):
        return (f"This link points at {host}, a name known only inside a local network: nobody on the internet "
                "can open it. Set BADGE_WALLET_PUBLIC_URL to a public address.")
    return None


class ReadOnlyStore:
    """A store wrapper for a public-only instance: reads pass through, every write is refused.

    The public page only reads; this makes "never writes the owner's wallet" a property of the
    store rather than of each page's code.
    """

    def __init__(self, inner: WalletStore) -> None:
        self.inner = inner

    def __repr__(self) -> str:
        return f"ReadOnlyStore({self.inner!r})"

    def _refuse(self) -> WalletError:
        return WalletError("This instance only shows public portfolio pages; it never changes the wallet.")

    def entries(self) -> list[dict[str, Any]]:
        return self.inner.entries()

    def get_entry(self, entry_id: str) -> dict[str, Any] | None:
        return self.inner.get_entry(entry_id)

    def portfolios(self) -> list[dict[str, Any]]:
        return self.inner.portfolios()

    def add_entries(self, records: Sequence[dict[str, Any]]) -> list[AddOutcome]:
        raise self._refuse()

    def update_entries(self, changes: Mapping[str, Mapping[str, Any]]) -> list[str]:
        raise self._refuse()

    def delete_entry(self, entry_id: str) -> bool:
        raise self._refuse()

    def add_portfolios(self, records: Sequence[dict[str, Any]]) -> list[AddOutcome]:
        raise self._refuse()

    def update_portfolio(self, portfolio_id: str, changes: Mapping[str, Any]) -> bool:
        raise self._refuse()

    def set_setting(self, key: str, value: Any) -> None:
        raise self._refuse()

    def __getattr__(self, name: str) -> Any:
        """Protocol methods added later (reads such as content lookups) pass through; writes must be listed above."""
        if name.startswith(("add", "update", "delete", "put", "set", "remove", "write", "save")):
            raise self._refuse()
        return getattr(self.inner, name)


__all__ = ["ConfigError", "Mode", "PUBLIC_ONLY_ENV", "ReadOnlyStore", "instance_mode", "parse_switch",
           "unreachable_reason"]
