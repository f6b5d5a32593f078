"""Open Badges verifier: bytes, JSON, JWS/JWT or URL in; a typed :class:`Report` out.

A pure library: no UI imports. ``verify()`` is the entry point; ``bake_png``/``bake_svg`` and
``unbake`` embed and extract badge data.
"""
from .api import verify, verify_with
from .bake import bake_png, bake_svg
from .checks import CHECK_INFO, CheckId, CheckInfo
from .checks import label as check_label
from .context import VerifyContext
from .fetch import FetchResult, SafeFetcher
from .model import (
                    VERDICTS,
                    Alignment,
                    Badge,
                    Check,
                    Format,
                    IdentityLevel,
                    Issuer,
                    IssuerIdentity,
                    NestedReport,
                    Recipient,
                    Report,
                    Verdict,
)
from .nested import verify_nested
from .registry import Registry, RegistryCache, load_registry
from .report import Summary, derive_verdict, summarize, summary
from .unbake import Unbaked, unbake

__all__ = ["verify", "verify_with", "bake_png", "bake_svg", "VerifyContext", "FetchResult", "SafeFetcher",
           "VERDICTS", "Alignment", "Badge", "Check", "CheckId", "CheckInfo", "CHECK_INFO", "check_label", "Format",
           "IdentityLevel", "Issuer", "IssuerIdentity", "NestedReport", "Recipient", "Report", "Verdict",
           "Summary", "derive_verdict", "summarize", "summary", "verify_nested", "Registry", "RegistryCache",
           "load_registry", "Unbaked", "unbake"]
