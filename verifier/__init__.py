"""Open Badges verifier: bytes, JSON, JWS/JWT or URL in; a typed :class:`Report` out.

A pure library: no UI imports. ``verify()`` is the entry point; ``bake_png``/``bake_svg`` and
``unbake`` embed and extract badge data.

This module is the public API: everything the wallet and the app use is exported here (and listed
in ``__all__``); the submodules are internal and may change. Besides verification it offers the
few tools a caller of the verifier needs to stay as careful as the verifier itself: the fetcher
(SafeFetcher, and http_file_cache for keeping issuer documents as their HTTP headers allow; another
store of the same entries reads them with http_cache_entry_parts and prunes with the same bounds), the safe JSON loader and scrubbers, display-text cleaning for UIs and terminals, the
media sniffer, date reading, demo mode, and the key/hash helpers a holder needs to sign presentations.

The names are imported on first use (PEP 562): ``from verifier import parse_datetime`` or
``import verifier.model`` loads only what it needs, not the whole verification stack (JSON-LD,
JSON Schema, HTTP, crypto: about half a second), so the wallet's list command and pages start fast.
"""
from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

# ``unbake`` is also the name of its module: imported now, so the function always wins over the module.
from .unbake import MAX_FILE_BYTES, Unbaked, unbake

_EXPORTS: dict[str, tuple[str, str]] = {
    "verify": (".api", "verify"),
    "verify_with": (".api", "verify_with"),
    "bake_png": (".bake", "bake_png"),
    "bake_svg": (".bake", "bake_svg"),
    "DEADLINE_CHECK": (".batch", "DEADLINE_CHECK"),
    "verify_many": (".batch", "verify_many"),
    "CHECK_INFO": (".checks", "CHECK_INFO"),
    "CheckId": (".checks", "CheckId"),
    "CheckInfo": (".checks", "CheckInfo"),
    "check_label": (".checks", "label"),
    "VerifyContext": (".context", "VerifyContext"),
    "DEMO_BASE": (".demo", "DEMO_BASE"),
    "DEMO_DIR": (".demo", "DEMO_DIR"),
    "DEMO_ENV": (".demo", "DEMO_ENV"),
    "DEMO_MIRRORS": (".demo", "DEMO_MIRRORS"),
    "demo_mirrors": (".demo", "demo_mirrors"),
    "demo_mode": (".demo", "demo_mode"),
    "envelope": (".enveloped", "envelope"),
    "FetchResult": (".fetch", "FetchResult"),
    "SafeFetcher": (".fetch", "SafeFetcher"),
    "HTTP_CACHE_KEEP_SECONDS": (".fetch_cache", "KEEP_SECONDS"),
    "HTTP_CACHE_MAX_ENTRIES": (".fetch_cache", "MAX_ENTRIES"),
    "http_cache_entry_parts": (".fetch_cache", "entry_parts"),
    "http_file_cache": (".fetch_cache", "file_cache"),
    "retrusted": (".identity", "retrusted"),
    "without_trust": (".identity", "without_trust"),
    "as_list": (".jsonutil", "as_list"),
    "dicts": (".jsonutil", "dicts"),
    "b58encode": (".keys", "b58encode"),
    "ed25519_multikey": (".keys", "ed25519_multikey"),
    "HASH_ALGORITHMS": (".recipient", "HASH_ALGORITHMS"),
    "hashed_identity_matches": (".recipient", "hashed_identity_matches"),
    "text_of": (".language_maps", "text_of"),
    "Media": (".media", "Media"),
    "looks_like_jws": (".media", "looks_like_jws"),
    "sniff_media": (".media", "sniff"),
    "VERDICTS": (".model", "VERDICTS"),
    "Alignment": (".model", "Alignment"),
    "Badge": (".model", "Badge"),
    "Check": (".model", "Check"),
    "Format": (".model", "Format"),
    "IdentityLevel": (".model", "IdentityLevel"),
    "Issuer": (".model", "Issuer"),
    "IssuerIdentity": (".model", "IssuerIdentity"),
    "NestedReport": (".model", "NestedReport"),
    "Recipient": (".model", "Recipient"),
    "Report": (".model", "Report"),
    "Verdict": (".model", "Verdict"),
    "verify_nested": (".nested", "verify_nested"),
    "load_pinned": (".pinned", "load_pinned"),
    "pinned_by_url": (".pinned", "pinned_by_url"),
    "pinned_index": (".pinned", "pinned_index"),
    "hash_data": (".proofs.data_integrity", "hash_data"),
    "Registry": (".registry", "Registry"),
    "RegistryCache": (".registry", "RegistryCache"),
    "RegistryLoad": (".registry", "RegistryLoad"),
    "load_registry": (".registry", "load_registry"),
    "Summary": (".report", "Summary"),
    "derive_verdict": (".report", "derive_verdict"),
    "identity_sentence": (".report", "identity_sentence"),
    "summarize": (".report", "summarize"),
    "summary": (".report", "summary"),
    "UnsafeJson": (".safejson", "UnsafeJson"),
    "scrub": (".safejson", "scrub"),
    "scrub_text": (".safejson", "scrub_text"),
    "safe_json_loads": (".safejson", "loads"),
    "display_text": (".safetext", "display_text"),
    "json_text": (".safetext", "json_text"),
    "terminal_safe_output": (".safetext", "terminal_safe_output"),
    "terminal_text": (".safetext", "terminal_text"),
    "format_day": (".validity", "day"),
    "parse_datetime": (".validity", "parse_datetime"),
}


def __getattr__(name: str) -> Any:
    try:
        module, attr = _EXPORTS[name]
    except KeyError:
        raise AttributeError(f"module 'verifier' has no attribute {name!r}") from None
    value = getattr(importlib.import_module(module, __name__), attr)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_EXPORTS})


if TYPE_CHECKING:
    from .api import verify, verify_with
    from .bake import bake_png, bake_svg
    from .batch import DEADLINE_CHECK, verify_many
    from .checks import CHECK_INFO, CheckId, CheckInfo
    from .checks import label as check_label
    from .context import VerifyContext
    from .demo import DEMO_BASE, DEMO_DIR, DEMO_ENV, DEMO_MIRRORS, demo_mirrors, demo_mode
    from .enveloped import envelope
    from .fetch import FetchResult, SafeFetcher
    from .fetch_cache import KEEP_SECONDS as HTTP_CACHE_KEEP_SECONDS
    from .fetch_cache import MAX_ENTRIES as HTTP_CACHE_MAX_ENTRIES
    from .fetch_cache import entry_parts as http_cache_entry_parts
    from .fetch_cache import file_cache as http_file_cache
    from .identity import retrusted, without_trust
    from .jsonutil import as_list, dicts
    from .keys import b58encode, ed25519_multikey
    from .language_maps import text_of
    from .media import Media, looks_like_jws
    from .media import sniff as sniff_media
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
    from .pinned import load_pinned, pinned_by_url, pinned_index
    from .proofs.data_integrity import hash_data
    from .registry import Registry, RegistryCache, RegistryLoad, load_registry
    from .report import Summary, derive_verdict, identity_sentence, summarize, summary
    from .safejson import UnsafeJson, scrub, scrub_text
    from .safejson import loads as safe_json_loads
    from .safetext import display_text, json_text, terminal_safe_output, terminal_text
    from .unbake import MAX_FILE_BYTES, Unbaked, unbake
    from .validity import day as format_day
    from .validity import parse_datetime

__all__ = [
    # verification
    "verify", "verify_with", "verify_many", "verify_nested", "VerifyContext", "DEADLINE_CHECK",
    "bake_png", "bake_svg", "unbake", "Unbaked", "MAX_FILE_BYTES",
    # reports
    "VERDICTS", "Alignment", "Badge", "Check", "CheckId", "CheckInfo", "CHECK_INFO", "check_label", "Format",
    "IdentityLevel", "Issuer", "IssuerIdentity", "NestedReport", "Recipient", "Report", "Verdict",
    "Summary", "derive_verdict", "summarize", "summary", "identity_sentence", "retrusted", "without_trust",
    # issuer registries
    "Registry", "RegistryCache", "RegistryLoad", "load_registry",
    # fetching, reading and showing untrusted data
    "FetchResult", "SafeFetcher", "http_file_cache",
    "http_cache_entry_parts", "HTTP_CACHE_KEEP_SECONDS", "HTTP_CACHE_MAX_ENTRIES", "safe_json_loads", "UnsafeJson", "scrub", "scrub_text", "as_list", "dicts",
    "display_text", "json_text", "terminal_text", "terminal_safe_output", "Media", "sniff_media",
    "looks_like_jws", "parse_datetime", "format_day", "text_of",
    # documents shipped with the package (contexts, schemas, the demo set)
    "load_pinned", "pinned_by_url", "pinned_index",
    # demo mode
    "DEMO_BASE", "DEMO_DIR", "DEMO_ENV", "DEMO_MIRRORS", "demo_mirrors", "demo_mode",
    # holder keys
    "b58encode", "ed25519_multikey", "hash_data", "envelope",
    # whose badge it is (hashed recipients)
    "HASH_ALGORITHMS", "hashed_identity_matches",
]
