"""Issuer registries: lists, kept by someone other than the issuer, of issuer ids and their names.

The format read is the Digital Credentials Consortium's (the "legacy" registry format of the Learner
Credential Wallet and VerifierPlus)::

    {"meta": {"created": …, "updated": …},
     "registry": {"<issuer id>": {"name": …, "location": …, "url": …}, …}}

Security decisions:

- No registry is built in or trusted by default: a registry vouches for names, so which ones count
  is the user's choice (``--registry`` in the CLI, a setting in the wallet).
- A registry given by URL is read through the :class:`~verifier.fetch.SafeFetcher` (SSRF guard, size
  and time caps) and kept in a :class:`RegistryCache` with the time it was read, so every sentence
  that relies on it can say how old it is. When a fresh read fails, an earlier copy is used and the
  sentence says it is older.
- Entries are data, never markup: names are shown escaped by the UIs like any badge text.
"""
from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any
from urllib.parse import urldefrag, urlsplit

from . import safejson

if TYPE_CHECKING:  # the fetcher (and requests) is loaded only to read a registry by URL
    from .fetch import SafeFetcher

MAX_ENTRIES = 100_000
MAX_FILE_BYTES = 5 * 1024 * 1024
DEFAULT_MAX_AGE = timedelta(hours=12)  # a URL registry is read again after this long


@dataclass(frozen=True)
class RegistryEntry:
    """What a registry says of one issuer id."""

    name: str
    location: str | None = None
    url: str | None = None


@dataclass(frozen=True)
class Registry:
    """A loaded registry: where it came from (``source``, a path or URL), when it was read, its entries."""

    source: str
    entries: Mapping[str, RegistryEntry]
    read_at: datetime
    updated: str | None = None  # the registry's own "meta.updated", as written
    note: str | None = None  # e.g. "a fresh copy could not be fetched (…); an earlier copy is used"

    @property
    def label(self) -> str:
        """A short name for sentences: the URL without its scheme, or the file name."""
        if self.source.startswith(("https://", "http://")):
            parts = urlsplit(self.source)
            return (parts.netloc + parts.path).rstrip("/")
        return Path(self.source).name or self.source

    def lookup(self, issuer_id: str | None) -> RegistryEntry | None:
        """The entry for ``issuer_id`` (exact match; a DID URL's fragment is ignored)."""
        if not isinstance(issuer_id, str) or not issuer_id:
            return None
        return self.entries.get(issuer_id) or self.entries.get(urldefrag(issuer_id)[0])

    def age(self, now: datetime | None = None) -> str:
        """How long ago the registry was read, in words ("just now", "3 hours ago")."""
        return age_words((now or datetime.now(UTC)) - self.read_at)

    @property
    def is_url(self) -> bool:
        return self.source.startswith(("https://", "http://"))

    def describe(self, now: datetime | None = None) -> str:
        """'the issuer registry example.org/registry.json (read 3 hours ago)'; for a file, its change time."""
        when = f"read {self.age(now)}" if self.is_url else f"file changed {self.age(now)}"
        return f"the issuer registry {self.label} ({when})"


@dataclass(frozen=True)
class RegistryLoad:
    """A registry, or the sentence saying why it could not be loaded (errors are values)."""

    source: str
    registry: Registry | None = None
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.registry is not None


def age_words(delta: timedelta) -> str:
    """A duration as "just now", "5 minutes ago", "3 hours ago", "2 days ago"."""
    seconds = max(0, int(delta.total_seconds()))
    if seconds < 90:
        return "just now"
    if seconds < 90 * 60:
        n, unit = round(seconds / 60), "minute"
    elif seconds < 36 * 3600:
        n, unit = round(seconds / 3600), "hour"
    else:
        n, unit = round(seconds / 86400), "day"
    return f"{n} {unit}{'s' if n != 1 else ''} ago"


def _text(value: Any, limit: int = 300) -> str | None:
    return value.strip()[:limit] if isinstance(value, str) and value.strip() else None


def parse_registry(data: Any, source: str, read_at: datetime) -> RegistryLoad:
    """A DCC-format registry from parsed JSON; entries without a name are left out."""
    if not isinstance(data, dict) or not isinstance(data.get("registry"), dict):
        return RegistryLoad(source, error=f"{source} is not an issuer registry (it has no \"registry\" object "
                                          "mapping issuer ids to names).")
    raw = data["registry"]
    if len(raw) > MAX_ENTRIES:
        return RegistryLoad(source, error=f"{source} lists more than {MAX_ENTRIES} issuers; it was not loaded.")
    entries: dict[str, RegistryEntry] = {}
    for issuer_id, value in raw.items():
        if not isinstance(issuer_id, str) or not issuer_id or not isinstance(value, dict):
            continue
        name = _text(value.get("name"))
        if name is None:  # a newer DCC shape nests the name in a federation entity
            entity = value.get("federation_entity")
            name = _text(entity.get("organization_name")) if isinstance(entity, dict) else None
        if name:
            entries[issuer_id] = RegistryEntry(name, _text(value.get("location")), _text(value.get("url")))
    meta = found if isinstance(found := data.get("meta"), dict) else {}
    return RegistryLoad(source, Registry(source, MappingProxyType(entries), read_at, _text(meta.get("updated"), 40)))


def _parse_bytes(content: bytes, source: str, read_at: datetime) -> RegistryLoad:
    try:
        data = safejson.loads(content.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as exc:
        return RegistryLoad(source, error=f"{source} is not valid JSON ({exc.__class__.__name__}).")
    return parse_registry(data, source, read_at)


@dataclass
class RegistryCache:
    """Registries read from URLs, kept in memory and (with ``directory``) on disk with their read time."""

    directory: Path | None = None
    max_age: timedelta = DEFAULT_MAX_AGE
    _memory: dict[str, RegistryLoad] = field(default_factory=dict, repr=False)

    def _path(self, url: str) -> Path | None:
        if self.directory is None:
            return None
        return Path(self.directory) / (hashlib.sha256(url.encode()).hexdigest()[:32] + ".json")

    def get(self, url: str) -> Registry | None:
        if url in self._memory and self._memory[url].registry is not None:
            return self._memory[url].registry
        path = self._path(url)
        if path is None or not path.is_file():
            return None
        try:
            saved = json.loads(path.read_text("utf-8"))
            read_at = datetime.fromisoformat(saved["read_at"])
            load = parse_registry(saved["data"], url, read_at)
        except (OSError, ValueError, KeyError, TypeError):
            return None  # a damaged cache file is only a cache miss
        if load.registry is not None:
            self._memory[url] = load
        return load.registry

    def put(self, url: str, data: Any, load: RegistryLoad) -> None:
        self._memory[url] = load
        path = self._path(url)
        if path is None or load.registry is None:
            return
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(".tmp")
            tmp.write_text(json.dumps({"source": url, "read_at": load.registry.read_at.isoformat(), "data": data}),
                           "utf-8")
            os.replace(tmp, path)
        except OSError:
            pass  # the cache is an optimization; the registry in memory is still used


def load_registry(spec: str, fetcher: SafeFetcher | None = None, *, cache: RegistryCache | None = None,
                  now: datetime | None = None, refresh: bool = False) -> RegistryLoad:
    """Load a registry from a file path or an http(s) URL (through ``fetcher``, via ``cache``).

    A cached copy younger than ``cache.max_age`` is used without fetching (unless ``refresh``); when a
    fetch fails, an older cached copy is used and its ``note`` says so.
    """
    now = now or datetime.now(UTC)
    spec = spec.strip()
    if not spec.startswith(("https://", "http://")):
        return _load_file(spec)
    cached = cache.get(spec) if cache else None
    if cached is not None and not refresh and now - cached.read_at < cache.max_age:  # type: ignore[union-attr]
        return RegistryLoad(spec, cached)
    # A registry vouches for issuers: never accepted through a redirect to another origin.
    if fetcher is None:
        from .fetch import SafeFetcher

        fetcher = SafeFetcher()
    fetched = fetcher.get(spec, accept="application/json", use_cache=False, same_origin=True)
    problem = fetched.error or (None if fetched.ok else f"HTTP {fetched.status}")
    load: RegistryLoad | None = None
    data: Any = None
    if problem is None:
        try:
            data = safejson.loads(fetched.content.decode("utf-8-sig"))
        except (UnicodeDecodeError, ValueError) as exc:
            problem = f"not valid JSON ({exc.__class__.__name__})"
        else:
            load = parse_registry(data, spec, now)
            problem = None if load.ok else load.error
    if load is not None and load.ok:
        if cache:
            cache.put(spec, data, load)
        return load
    if cached is not None:
        note = (f"A fresh copy could not be read ({problem}); the copy read {cached.age(now)} is used.")
        return RegistryLoad(spec, Registry(cached.source, cached.entries, cached.read_at, cached.updated, note))
    return RegistryLoad(spec, error=f"The issuer registry {spec} could not be read: {problem}")


def _load_file(path_text: str) -> RegistryLoad:
    path = Path(path_text).expanduser()
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            return RegistryLoad(path_text, error=f"{path_text} is larger than {MAX_FILE_BYTES} bytes; not loaded.")
        content = path.read_bytes()
        read_at = datetime.fromtimestamp(path.stat().st_mtime, UTC)
    except OSError as exc:
        return RegistryLoad(path_text, error=f"The issuer registry file {path_text} cannot be read "
                                             f"({exc.strerror or exc.__class__.__name__}).")
    return _parse_bytes(content, path_text, read_at)


def load_registries(specs: list[str] | tuple[str, ...], fetcher: SafeFetcher | None = None, *,
                    cache: RegistryCache | None = None, now: datetime | None = None) -> list[RegistryLoad]:
    """Every registry of ``specs``, in order (duplicates once)."""
    return [load_registry(s, fetcher, cache=cache, now=now) for s in dict.fromkeys(s.strip() for s in specs if s.strip())]
