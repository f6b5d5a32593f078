"""The learner's wallet: storage, micro-credential grouping, portfolio links — over ``verifier``.

``Wallet`` (service.py) is the facade the app and the CLI use; its docstring lists the API and the
modules behind it (one job each, over core.py).
No UI imports here. The names below are imported on first use (PEP 562), so ``python -m wallet list``
or a module such as ``wallet.store`` does not load the verifier (JSON-LD, HTTP, crypto) it does not need.
"""
from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

_EXPORTS: dict[str, str] = {
    "Grouping": ".grouping", "classify": ".grouping", "eu_checklist": ".grouping",
    "linkedin_add_url": ".linkedin",
    "CATEGORIES": ".model", "Entry": ".model", "Portfolio": ".model", "Signal": ".model",
    "PublicBadge": ".portfolio", "PublicPortfolio": ".portfolio",
    "ImportResult": ".service", "ReverifyResult": ".service", "Wallet": ".service",
    "SQLiteStore": ".sqlite_store",
    **{name: ".store" for name in ("AddOutcome", "TinyDBStore", "WalletBusyError", "WalletCorruptError",
                                   "WalletError", "WalletStore")},
}


def __getattr__(name: str) -> Any:
    try:
        module = _EXPORTS[name]
    except KeyError:
        raise AttributeError(f"module 'wallet' has no attribute {name!r}") from None
    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_EXPORTS})


if TYPE_CHECKING:
    from .grouping import Grouping, classify, eu_checklist
    from .linkedin import linkedin_add_url
    from .model import CATEGORIES, Entry, Portfolio, Signal
    from .portfolio import PublicBadge, PublicPortfolio
    from .service import ImportResult, ReverifyResult, Wallet
    from .sqlite_store import SQLiteStore
    from .store import AddOutcome, TinyDBStore, WalletBusyError, WalletCorruptError, WalletError, WalletStore

__all__ = ["Wallet", "ImportResult", "ReverifyResult", "Entry", "Portfolio", "Signal", "CATEGORIES",
           "PublicBadge", "PublicPortfolio", "Grouping", "classify", "eu_checklist", "linkedin_add_url",
           "WalletStore", "SQLiteStore", "TinyDBStore", "AddOutcome", "WalletError", "WalletCorruptError",
           "WalletBusyError"]
