"""Open Badges verifier: bytes, JSON, JWS/JWT or URL in; a typed :class:`Report` out.

A pure library: no UI imports. ``verify()`` is the entry point; ``bake_png``/``bake_svg`` and
``unbake`` embed and extract badge data.

This module is the public API: everything the wallet and the app use is exported here (and listed
in ``__all__``); the submodules are internal and may change. Besides verification it offers the
few tools a caller of the verifier needs to stay as careful as the verifier itself: the fetcher
(SafeFetcher, and http_file_cache for keeping issuer documents as their HTTP headers allow; another
store of the same entries reads them with http_cache_entry_parts and prunes with the same bounds), the safe JSON loader and scrubbers, display-text cleaning for UIs and terminals, the
media sniffer, date reading, demo mode, and the key/hash helpers a holder needs to sign presentations.
"""
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
]
