"""Issuer identity for one wallet: the registries it uses and the issuers its learner trusts.

The choices are kept by :mod:`wallet.issuer_settings`; this module loads the registries (URLs through
the fetcher and the on-disk cache) and turns both into the options :func:`verifier.verify` takes.
The trusted list is the learner's own judgement, so pages others see verify without it.
"""
from __future__ import annotations

from typing import Any

from verifier import RegistryCache, RegistryLoad, load_registry, retrusted

from . import entries as entries_mod
from . import issuer_settings
from .core import WalletCore
from .issuer_settings import IssuerSettings
from .store import WalletError


def load_settings(core: WalletCore) -> IssuerSettings:
    return issuer_settings.load(issuer_settings.settings_path(core.path, core.owner))


def _save_settings(core: WalletCore, settings: IssuerSettings) -> None:
    path = issuer_settings.settings_path(core.path, core.owner)
    core.save(lambda: issuer_settings.save(path, settings))


def _load(core: WalletCore, spec: str, *, refresh: bool) -> RegistryLoad:
    cache = RegistryCache(directory=issuer_settings.cache_dir(core.path))
    fetcher = core.fetcher()
    try:
        return load_registry(spec, fetcher, cache=cache, now=core.clock(), refresh=refresh)
    finally:
        fetcher.close()


def registry_loads(core: WalletCore, *, refresh: bool = False) -> list[RegistryLoad]:
    """Every configured registry, loaded (URLs through the fetcher and the on-disk cache)."""
    specs = load_settings(core).registries
    if not specs:  # no fetcher (nor requests) for a wallet that uses no registry
        return []
    cache = RegistryCache(directory=issuer_settings.cache_dir(core.path))
    fetcher = core.fetcher()
    try:
        return [load_registry(spec, fetcher, cache=cache, now=core.clock(), refresh=refresh)
                for spec in specs]
    finally:
        fetcher.close()


def identity_options(core: WalletCore, *, public: bool = False) -> dict[str, Any]:
    """``registries`` and ``trusted_issuers`` for :func:`verifier.verify`. ``public``: for pages others
    see (portfolio links), without the learner's own trust list, which confirms nothing to them."""
    settings = load_settings(core)
    registries = [load.registry for load in registry_loads(core) if load.registry is not None] \
        if settings.registries else []
    return {"registries": registries, "trusted_issuers": () if public else tuple(settings.trusted)}


def add_registry(core: WalletCore, spec: str) -> RegistryLoad:
    """Use the registry at ``spec`` (file path or http(s) URL) from now on; it must load."""
    spec = (spec or "").strip()
    if not spec:
        raise WalletError("Give the web address or the file of an issuer registry.")
    load = _load(core, spec, refresh=True)
    if load.registry is None:
        raise WalletError(load.error or f"{spec} could not be read as an issuer registry.")
    settings = load_settings(core)
    if spec not in settings.registries:
        settings.registries.append(spec)
        _save_settings(core, settings)
    return load


def remove_registry(core: WalletCore, spec: str) -> bool:
    settings = load_settings(core)
    if spec not in settings.registries:
        return False
    settings.registries.remove(spec)
    _save_settings(core, settings)
    return True


def set_trusted(core: WalletCore, issuer_id: str, trusted: bool = True) -> int:
    """Mark (or unmark) an issuer id as trusted; the stored reports of its badges follow at once
    (no new verification: see :func:`verifier.identity.retrusted`). Returns how many changed."""
    issuer_id = (issuer_id or "").strip()
    if not issuer_id:
        raise WalletError("Give the id of the issuer to trust.")
    settings = load_settings(core)
    if trusted and issuer_id not in settings.trusted:
        settings.trusted.append(issuer_id)
    elif not trusted and issuer_id in settings.trusted:
        settings.trusted.remove(issuer_id)
    else:
        return 0
    _save_settings(core, settings)
    ids = [e.id for e in entries_mod.summaries(core) if (e.badge.get("issuer") or {}).get("id") == issuer_id]
    changes: dict[str, dict[str, Any]] = {}
    for entry in entries_mod.read_many(core, ids).entries:
        report = retrusted(entry.report, trusted)
        if report is not entry.report:
            changes[entry.id] = {"report": report}
    if changes:
        core.save(lambda: core.store.update_entries(changes))
    return len(changes)
