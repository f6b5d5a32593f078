"""JSON-LD without the network: pinned contexts, cached context processing, budgeted canonicalization.

Three things a Data Integrity verifier must get right and pyld does not do by default:

* **Offline contexts.** :class:`OfflineLoader` extends pyld's ``FrozenDocumentLoader`` with the pinned
  copies in ``verifier/contexts/`` (``index.json`` maps URL → file). An unknown remote context raises
  :class:`UnknownContext`; it is never fetched.
  ``https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json`` maps to the copy in the 1EdTech
  specification repository (what the URL serves, and what the 1EdTech OB 3.0 test vector was signed
  with). Two other files carry that name and are *not* substituted: the DCC 2024 snapshot lacks
  ``awardedDate``/``inLanguage``, the 1EdTech validator's 2026 copy adds ``jti``/``endorsementJwt``.
  Swapping copies silently changes the signed N-Quads (a term is dropped, or expands to another IRI
  under an ``@vocab``), so a signature made with one copy fails with another.
* **Unsigned data.** pyld has no JSON-LD "safe mode": a term without a definition, a relative
  ``@type`` or a relative ``@id`` vanishes from the RDF that is signed while still showing in the
  JSON. :func:`canonicalize` reports those as ``dropped``.
* **Denial of service.** RDF canonicalization is exponential on symmetric blank-node graphs (a clique
  of 8 blank nodes takes minutes). :func:`canonicalize` caps input size, quads and blank nodes and
  runs URDNA2015 against a deadline; over budget it raises :class:`TooComplex`.

Processed contexts are cached twice over, so verifying many credentials does not process the same
contexts again: pyld's resolved-context cache (fed with ``tag: static`` documents), and
:class:`_ContextMemo` above it, which remembers the *active context* that processing a given local
context in a given active context produced. pyld's own cache misses on every type-scoped context
(``propagate: false`` makes a fresh active context each time) and keys inline contexts by their JCS
serialization; the memo keys pinned context objects by identity (they are never changed once loaded)
and anything else by its exact structure, so the result is the one pyld would compute, byte for byte.
"""
from __future__ import annotations

import copy
import json
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cachetools import LRUCache
from pyld import jsonld as _jsonld
from pyld.canon import URDNA2015
from pyld.context_resolver import ContextResolver
from pyld.documentloader.frozen import BUNDLED_CONTEXTS, FrozenDocumentLoader

from .pinned import pinned_index, resource_path

CONTEXTS_DIR = resource_path("contexts")  # read through verifier/pinned.py


class UnknownContext(Exception):
    """A remote ``@context`` that is not pinned locally (we never fetch contexts)."""

    def __init__(self, url: str):
        super().__init__(f"the JSON-LD context {url} is not pinned locally and is never fetched")
        self.url = url


class TooComplex(Exception):
    """Canonicalization would exceed its budget (size, quads, blank nodes or time)."""


class JsonLdInvalid(Exception):
    """The document is not valid JSON-LD (e.g. a protected term redefined)."""


@dataclass(frozen=True)
class Budget:
    """Limits for one canonicalization. ``seconds`` bounds the URDNA2015 run."""

    max_bytes: int = 512 * 1024
    max_quads: int = 4000
    max_blank_nodes: int = 400
    seconds: float = 1.0


DEFAULT_BUDGET = Budget()


@dataclass(frozen=True)
class Canonical:
    """Canonical N-Quads of a document and the fields that did not make it into them."""

    nquads: str
    dropped: tuple[str, ...] = ()


def pinned_documents() -> dict[str, Path]:
    """URL → file of every pinned context: pyld's bundle, overridden by ``verifier/contexts``."""
    documents: dict[str, Path] = dict(BUNDLED_CONTEXTS)
    documents.update(pinned_index("contexts"))
    return documents


class OfflineLoader(FrozenDocumentLoader):
    """pyld document loader over the pinned contexts; unknown URLs raise :class:`UnknownContext`.

    Documents are returned with ``tag: "static"`` so pyld keeps their processed form in its
    shared resolved-context cache.
    """

    def __init__(self, documents: dict[str, Any] | None = None) -> None:
        super().__init__(documents if documents is not None else pinned_documents())

    def knows(self, url: str) -> bool:
        return url in self.documents

    def __call__(self, url: str, options: dict[str, Any]) -> dict[str, Any]:
        if url not in self.documents:
            raise UnknownContext(url)
        remote = super().__call__(url, options)
        remote = dict(remote, document=copy.deepcopy(remote["document"]))
        remote["tag"] = "static"
        if self is LOADER:
            _PINNED.register(remote["document"])
        return remote


class _PinnedObjects:
    """Every dict and list inside a pinned context document handed to pyld, by ``id``.

    Strong references are kept, so an ``id`` is never reused by another object. pyld never changes a
    context document after loading it except through ``@import`` (none of the pinned contexts uses it;
    a document that does is not registered), so an identity key stands for a fixed structure.
    """

    def __init__(self) -> None:
        self._objects: dict[int, Any] = {}
        self._lock = threading.Lock()

    def register(self, document: Any) -> None:
        found: dict[int, Any] = {}

        def walk(node: Any) -> bool:
            if isinstance(node, dict):
                if "@import" in node:
                    return False
                found[id(node)] = node
                return all(walk(v) for v in node.values())
            if isinstance(node, list):
                found[id(node)] = node
                return all(walk(v) for v in node)
            return True

        if walk(document):
            with self._lock:
                self._objects.update(found)

    def __contains__(self, obj: Any) -> bool:
        return self._objects.get(id(obj)) is obj


_PINNED = _PinnedObjects()


LOADER = OfflineLoader()
# Our own resolved-context cache (not pyld's global one), so another loader in the same process
# can never serve us a different document under a pinned URL.
_CONTEXT_CACHE: LRUCache[Any, Any] = LRUCache(maxsize=256)
_CACHE_LOCK = threading.Lock()  # cachetools caches are not thread-safe (Streamlit serves sessions in threads)


def _options(loader: OfflineLoader) -> dict[str, Any]:
    return {
        "base": None,
        "documentLoader": loader,
        "contextResolver": ContextResolver(_CONTEXT_CACHE if loader is LOADER else LRUCache(64), loader),
        "processingMode": "json-ld-1.1",
        "extractAllScripts": False,
        _MEMO_OPTION: _MEMO if loader is LOADER else None,
    }


_MEMO_OPTION = "_verifierContextMemo"
_NO_KEY = object()


def _structure_key(value: Any) -> Any:
    """An exact, hashable key for a JSON value: pinned objects by identity, others by structure (types
    kept apart, so ``1``, ``1.0`` and ``true`` differ; key order does not matter, as in JSON)."""
    if isinstance(value, (dict, list)) and value in _PINNED:
        return ("pinned", id(value))
    if isinstance(value, dict):
        return ("{", tuple(sorted((k, _structure_key(v)) for k, v in value.items())))
    if isinstance(value, list):
        return ("[", tuple(_structure_key(v) for v in value))
    if value is None or isinstance(value, (str, bool, int, float)):
        return (type(value).__name__, value)
    raise TypeError(type(value).__name__)


class _ContextMemo:
    """(active context, local context, flags) → the active context pyld's ``_process_context`` made.

    Active contexts are told apart by the ``_uuid`` pyld itself gives them (uuid1: unique in the
    process, never reused even once a context is freed, never changed); a processed active context is never modified afterwards (pyld shares them through its own cache in
    the same way). Bounded (LRU); used only with the pinned-context loader, under ``_CACHE_LOCK``.
    """

    def __init__(self, size: int = 2048) -> None:
        self._results: LRUCache[Any, Any] = LRUCache(maxsize=size)
        self.hits = 0
        self.misses = 0

    def key(self, active_ctx: Any, local_ctx: Any, flags: tuple[bool, ...]) -> Any:
        if not isinstance(active_ctx, dict):
            uid = active_ctx.get("_uuid") if hasattr(active_ctx, "get") else None
            if not uid:
                return _NO_KEY
        else:
            uid = active_ctx.get("_uuid")
            if not uid:
                uid = active_ctx["_uuid"] = str(uuid.uuid1())  # what pyld does before caching against it
        try:
            return (uid, _structure_key(local_ctx), flags)
        except (TypeError, RecursionError):
            return _NO_KEY

    def get(self, key: Any) -> Any:
        found = self._results.get(key)
        if found is None:
            self.misses += 1
        else:
            self.hits += 1
        return found

    def put(self, key: Any, result: Any) -> None:
        self._results[key] = result


_MEMO = _ContextMemo()


class _Processor(_jsonld.JsonLdProcessor):
    """pyld's processor with :class:`_ContextMemo` in front of context processing."""

    def _process_context(self, active_ctx: Any, local_ctx: Any, options: dict[str, Any],
                         override_protected: bool = False, propagate: bool = True, validate_scoped: bool = True,
                         cycles: Any = None) -> Any:
        memo = options.get(_MEMO_OPTION)
        if memo is None or cycles:
            return super()._process_context(active_ctx, local_ctx, options, override_protected, propagate,
                                            validate_scoped, cycles)
        key = memo.key(active_ctx, local_ctx, (bool(override_protected), bool(propagate), bool(validate_scoped)))
        if key is _NO_KEY:
            return super()._process_context(active_ctx, local_ctx, options, override_protected, propagate,
                                            validate_scoped, cycles)
        found = memo.get(key)
        if found is not None:
            return found
        result = super()._process_context(active_ctx, local_ctx, options, override_protected, propagate,
                                          validate_scoped, cycles)
        memo.put(key, result)
        return result


def remote_contexts(doc: Any) -> list[str]:
    """Every context URL a document names (top level and embedded), in order, without repeats."""
    found: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "@context":
                    for item in value if isinstance(value, list) else [value]:
                        if isinstance(item, str) and item not in found:
                            found.append(item)
                        elif isinstance(item, dict):
                            walk(item)
                else:
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(doc)
    return found


def unknown_contexts(doc: Any, loader: OfflineLoader = LOADER) -> list[str]:
    """The context URLs of ``doc`` that are not pinned (checked before any processing)."""
    return [url for url in remote_contexts(doc) if not loader.knows(url)]


def _find_cause(exc: BaseException, kind: type) -> BaseException | None:
    seen = 0
    current: BaseException | None = exc
    while current is not None and seen < 20:
        if isinstance(current, kind):
            return current
        current = current.__cause__ or current.__context__
        seen += 1
    return None


def _short(iri: str | None) -> str:
    if not iri:
        return "?"
    for sep in ("#", "/"):
        if sep in iri.rstrip(sep):
            tail = iri.rstrip(sep).rsplit(sep, 1)[1]
            if tail:
                return tail
    return iri


def _relative_iris(expanded: Any) -> list[str]:
    """Relative ``@id``/``@type`` values and blank-node properties left after expansion (RDF conversion
    silently drops them)."""
    found: list[str] = []

    def absolute(value: Any) -> bool:
        return isinstance(value, str) and bool(_jsonld._is_absolute_iri(value))

    def walk(node: Any, prop: str | None) -> None:
        if isinstance(node, list):
            for item in node:
                walk(item, prop)
            return
        if not isinstance(node, dict):
            return
        if "@value" in node:
            dtype = node.get("@type")
            if dtype is not None and dtype != "@json" and not absolute(dtype):
                found.append(f"{_short(prop)} (datatype {dtype!r})")
            return
        node_id = node.get("@id")
        if node_id is not None and not absolute(node_id):
            found.append(f"{_short(prop) if prop else 'id'} ({node_id!r} is not an absolute IRI)")
        for t in node.get("@type", []) if isinstance(node.get("@type"), list) else [node.get("@type")]:
            if t is not None and not absolute(t):
                found.append(f"type {t!r} (undefined)")
        for key, value in node.items():
            if key in ("@id", "@type", "@value", "@context"):
                continue
            if key.startswith("_:"):  # a blank-node property (``@vocab: "_:"``): RDF drops it silently
                found.append(f"{_short(key[2:]) or key} (mapped to a blank node, which is never signed)")
                continue
            walk(value, key if not key.startswith("@") else prop)

    walk(expanded, None)
    return found


_KEYWORDS = {"@context", "@id", "@type", "@value", "@language", "@direction", "@graph", "@list",
             "@set", "@reverse", "@index", "@nest", "@included", "@json", "@none", "@base", "@vocab",
             "@version", "@protected", "@propagate", "@import", "@container", "@prefix"}


def _keyword_like(doc: Any) -> list[str]:
    """Keys that look like JSON-LD keywords but are not (expansion ignores them)."""
    found: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key.startswith("@") and key not in _KEYWORDS and key not in found:
                    found.append(key)
                if key != "@context":
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(doc)
    return found


class _BudgetedURDNA2015(URDNA2015):
    """URDNA2015 (RDFC-1.0) that gives up once its deadline passes."""

    def __init__(self, deadline: float):
        super().__init__()
        self.deadline = deadline

    def _tick(self) -> None:
        if time.monotonic() > self.deadline:
            raise TooComplex("canonicalization ran out of time (symmetric blank-node structure)")

    def hash_n_degree_quads(self, id_: str, issuer: Any) -> Any:
        self._tick()
        return super().hash_n_degree_quads(id_, issuer)

    def hash_related_blank_node(self, related: str, quad: Any, issuer: Any, position: str) -> Any:
        self._tick()
        return super().hash_related_blank_node(related, quad, issuer, position)


def expand(doc: dict[str, Any], loader: OfflineLoader = LOADER) -> tuple[list[Any], list[str]]:
    """JSON-LD expansion offline: (expanded document, names of properties expansion dropped).

    Raises :class:`UnknownContext` or :class:`JsonLdInvalid`.
    """
    dropped: list[str] = []

    def on_dropped(prop: str | None) -> None:
        dropped.append(prop if prop else "?")

    processor = _Processor(on_property_dropped=on_dropped)
    with _pyld_errors(), _CACHE_LOCK:
        expanded = processor.expand(doc, _options(loader))
    return expanded, dropped


@contextmanager
def _pyld_errors() -> Iterator[None]:
    """pyld's errors as ours: :class:`TooComplex`, :class:`UnknownContext` or :class:`JsonLdInvalid`."""
    try:
        yield
    except RecursionError as exc:
        raise TooComplex("the document is nested too deeply") from exc
    except Exception as exc:  # pyld wraps loader errors in JsonLdError
        unknown = _find_cause(exc, UnknownContext)
        if unknown is not None:
            raise unknown from None
        raise JsonLdInvalid(_jsonld_message(exc)) from exc


def _jsonld_message(exc: BaseException) -> str:
    parts: list[str] = []
    current: BaseException | None = exc
    while current is not None and len(parts) < 4:
        code = getattr(current, "code", None)
        text = str(current.args[0]) if current.args else current.__class__.__name__
        parts.append(f"{text} ({code})" if code else text)
        current = current.__cause__
    return "; ".join(p for p in parts if p)


def _to_rdf(expanded: list[Any], options: dict[str, Any]) -> dict[str, list[Any]]:
    """pyld's ``JsonLdProcessor.to_rdf`` for input that is already expanded.

    pyld's public ``to_rdf`` expands its input again (about 15% of a credential's verification time);
    these are its remaining steps (pyld 3.3, pinned), unchanged: node map, then each absolute graph.
    """
    processor = _jsonld.JsonLdProcessor()
    issuer = _jsonld.IdentifierIssuer("_:b")
    node_map: dict[str, Any] = {"@default": {}}
    processor._create_node_map(expanded, node_map, "@default", issuer)
    return {name: processor._graph_to_rdf(graph, issuer, options)
            for name, graph in sorted(node_map.items())
            if name == "@default" or _jsonld._is_absolute_iri(name)}


def canonicalize(doc: dict[str, Any], budget: Budget = DEFAULT_BUDGET,
                 loader: OfflineLoader = LOADER) -> Canonical:
    """RDFC-1.0 (URDNA2015) canonical N-Quads of ``doc``, offline and under ``budget``.

    Equivalent to ``pyld.jsonld.normalize(doc, {'algorithm': 'URDNA2015', 'format':
    'application/n-quads', 'base': None, 'documentLoader': loader})`` with the budget and the
    dropped-field report added. Raises :class:`UnknownContext`, :class:`JsonLdInvalid`,
    :class:`TooComplex`.
    """
    try:
        text = json.dumps(doc, ensure_ascii=False)
    except (TypeError, ValueError, RecursionError) as exc:
        raise JsonLdInvalid(f"the document is not plain JSON ({exc.__class__.__name__})") from exc
    if len(text) > budget.max_bytes:
        raise TooComplex(f"the document is {len(text)} bytes, more than the {budget.max_bytes} we canonicalize")
    memo_key = (text, budget) if loader is LOADER and len(text) <= _CANON_MEMO_MAX_TEXT else None
    if memo_key is not None:
        with _CANON_LOCK:
            found: Canonical | None = _CANON_MEMO.get(memo_key)
        if found is not None:
            return found
    result = _canonicalize(doc, budget, loader)
    if memo_key is not None:
        with _CANON_LOCK:
            _CANON_MEMO[memo_key] = result
    return result


# Canonical forms of documents seen recently, keyed by their exact JSON text (key order included) and
# the budget: the same credential checked again (a portfolio page viewed twice, a wallet re-check, the
# proof options of many credentials of one issuer) is not expanded and canonicalized again. Only
# results are kept (an over-budget document is refused again each time), and only of documents up to
# 16 KB, so the memo holds at most 512 × 16 KB of keys.
_CANON_MEMO: LRUCache[Any, Any] = LRUCache(maxsize=512)
_CANON_MEMO_MAX_TEXT = 16 * 1024
_CANON_LOCK = threading.Lock()


def _canonicalize(doc: dict[str, Any], budget: Budget, loader: OfflineLoader) -> Canonical:
    expanded, dropped = expand(doc, loader)
    dropped_names = [_short(p) if ":" in p else p for p in dropped if p != "?"]
    if "?" in dropped:
        dropped_names += [f"{key} (not a JSON-LD keyword)" for key in _keyword_like(doc)] or ["(unnamed field)"]
    dropped_names += _relative_iris(expanded)
    options = _options(loader)
    options["produceGeneralizedRdf"] = False
    with _pyld_errors():
        dataset = _to_rdf(expanded, options)
    quads = sum(len(triples) for triples in dataset.values())
    if quads > budget.max_quads:
        raise TooComplex(f"the document has {quads} statements, more than the {budget.max_quads} we check")
    blank = {c["value"] for triples in dataset.values() for q in triples
             for c in (q["subject"], q["object"]) if c.get("type") == "blank node"}
    blank |= {g for g in dataset if g.startswith("_:")}
    if len(blank) > budget.max_blank_nodes:
        raise TooComplex(f"the document has {len(blank)} unnamed nodes, more than the "
                         f"{budget.max_blank_nodes} we check")
    canon = _BudgetedURDNA2015(time.monotonic() + budget.seconds)
    nquads = canon.main(dataset, {"algorithm": "URDNA2015", "format": "application/n-quads"})
    unique = tuple(dict.fromkeys(dropped_names))
    return Canonical(nquads=nquads, dropped=unique)
