"""One learner's wallet in the shared database: :func:`open_wallet` picks the store and the fetcher.

A :class:`HostedWallet` is a :class:`~wallet.service.Wallet` whose store is the owner's rows in
PostgreSQL and whose fetcher shares issuer documents and status lists through the database
(:mod:`wallet.http_cache`: the embedded wallet's cache rules, verifier/fetch_cache.py, with the
entries kept in a table instead of a folder). A file path (or nothing) gives the embedded SQLite wallet, unchanged.
"""
from __future__ import annotations

from typing import Any

from verifier import SafeFetcher

from .service import Wallet
from .settings import Settings


class HostedWallet(Wallet):
    """A wallet over ``SQLStore(url, owner)`` that verifies through the shared HTTP cache."""

    def fetcher(self) -> SafeFetcher:
        from .http_cache import DatabaseCache

        return SafeFetcher(allow_hosts=self.allow_hosts, offline=self.offline, mirrors=self.mirrors,
                           http_cache=DatabaseCache(self.database_url or ""))


def open_wallet(settings: Settings, owner: str | None = None, **options: Any) -> Wallet:
    """The wallet ``settings`` name: a :class:`HostedWallet` for a postgresql:// URL, else the file."""
    if settings.database_url:
        return HostedWallet.from_settings(settings, owner=owner, **options)
    return Wallet.from_settings(settings, owner=owner, **options)
