"""The learner's wallet: storage, micro-credential grouping, portfolio links — over ``verifier``.

``Wallet`` (service.py) is the facade the app and the CLI use; its docstring lists the API and the
modules behind it (one job each, over core.py).
No UI imports here.
"""
from .grouping import Grouping, classify, eu_checklist
from .linkedin import linkedin_add_url
from .model import CATEGORIES, Entry, Portfolio, Signal
from .portfolio import PublicBadge, PublicPortfolio
from .service import ImportResult, ReverifyResult, Wallet
from .store import AddOutcome, TinyDBStore, WalletBusyError, WalletCorruptError, WalletError, WalletStore

__all__ = ["Wallet", "ImportResult", "ReverifyResult", "Entry", "Portfolio", "Signal", "CATEGORIES",
           "PublicBadge", "PublicPortfolio", "Grouping", "classify", "eu_checklist", "linkedin_add_url",
           "WalletStore", "TinyDBStore", "AddOutcome", "WalletError", "WalletCorruptError", "WalletBusyError"]
