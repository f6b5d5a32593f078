"""Hosted learners' holder DIDs: ``did:web:HOST[:PATH]:u:SLUG`` under the site's public address.

In hosted mode a learner signs presentations as a did:web of the site rather than a bare did:key: a
verifier sees that the key was published by the site the learner uses, and the site can stop serving
it. Decisions:

* the slug is random (80 bits, hex) and stored with the owner in ``holder_dids``; it is never derived
  from the owner id (the sign-in provider's issuer and subject), which must not leak into a DID any
  verifier keeps. It stays the same for the learner's lifetime on the site;
* the DID document holds only the public key (Multikey), for ``authentication`` and
  ``assertionMethod``; it is built from the ``holder_dids`` row, so serving it needs neither the
  sealing secret nor the learner's wallet;
* Streamlit cannot serve arbitrary paths, so the documents are served by a tiny WSGI endpoint of
  their own (:func:`did_app`, ``python -m wallet --db URL did-server``) to which the reverse proxy
  sends ``/u/`` (README, hosting). It answers ``GET /u/SLUG/did.json`` (path-prefixed when the public
  URL has a path) and nothing else: no listing, no owner lookup, 404 for an unknown slug.
"""
from __future__ import annotations

import json
import re
import secrets
import threading
from collections.abc import Callable, Iterable
from socketserver import ThreadingMixIn
from typing import Any
from urllib.parse import quote, urlsplit
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from .store import WalletError

DID_V1 = "https://www.w3.org/ns/did/v1"
MULTIKEY_V1 = "https://w3id.org/security/multikey/v1"
_SLUG = re.compile(r"[0-9a-f]{20}")


def new_slug() -> str:
    return secrets.token_hex(10)


def _base(public_url: str | None) -> tuple[str, list[str]]:
    """(host[:port] as did:web writes it, path segments) of the site's public https address."""
    parts = urlsplit((public_url or "").strip())
    if parts.scheme != "https" or not parts.hostname:
        raise WalletError("A holder DID in hosted mode is a did:web of this site, so the site needs its public "
                          "https address in BADGE_WALLET_PUBLIC_URL (e.g. https://badges.example.org); "
                          f"it is {public_url or 'not set'!r}.")
    host = parts.hostname + (f"%3A{parts.port}" if parts.port else "")
    return host, [p for p in parts.path.split("/") if p]


def web_did(public_url: str | None, slug: str) -> str:
    host, path = _base(public_url)
    return "did:web:" + ":".join([host, *(quote(p, safe="") for p in path), "u", slug])


def document_path(public_url: str | None, slug: str) -> str:
    """The URL path a verifier fetches for the DID (did:web: ``/PATH/u/SLUG/did.json``)."""
    _, path = _base(public_url)
    return "/" + "/".join([*path, "u", slug, "did.json"])


def did_document(did: str, public_key: str) -> dict[str, Any]:
    vm = f"{did}#key-1"
    return {"@context": [DID_V1, MULTIKEY_V1], "id": did,
            "verificationMethod": [{"id": vm, "type": "Multikey", "controller": did, "publicKeyMultibase": public_key}],
            "authentication": [vm], "assertionMethod": [vm]}


def did_app(public_url: str, lookup: Callable[[str], str | None]) -> Callable[..., Iterable[bytes]]:
    """The WSGI app serving DID documents; ``lookup(slug)`` gives the published public key or None."""
    _, prefix = _base(public_url)
    pattern = re.compile("^/" + "".join(re.escape(p) + "/" for p in prefix) + r"u/([^/]+)/did\.json$")

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        match = pattern.match(environ.get("PATH_INFO") or "")
        method = environ.get("REQUEST_METHOD", "GET")
        if method not in ("GET", "HEAD"):
            start_response("405 Method Not Allowed", [("Allow", "GET, HEAD"), ("Content-Length", "0")])
            return [b""]
        key = None
        if match and _SLUG.fullmatch(match.group(1)):
            try:
                key = lookup(match.group(1))
            except WalletError:
                start_response("503 Service Unavailable", [("Content-Type", "text/plain"), ("Retry-After", "30")])
                return [b"The database cannot be reached right now."]
        if key is None:
            start_response("404 Not Found", [("Content-Type", "text/plain")])
            return [b"No such DID document."]
        body = json.dumps(did_document(web_did(public_url, match.group(1)), key), indent=1).encode()  # type: ignore[union-attr]
        start_response("200 OK", [("Content-Type", "application/did+json"), ("Content-Length", str(len(body))),
                                  ("Cache-Control", "public, max-age=300"), ("Access-Control-Allow-Origin", "*")])
        return [b"" if method == "HEAD" else body]

    return app


class _ThreadingServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, *args: Any) -> None:  # the reverse proxy logs requests
        pass


def make_did_server(database_url: str, public_url: str, host: str = "127.0.0.1", port: int = 0) -> WSGIServer:
    """A threaded HTTP server for :func:`did_app` over the ``holder_dids`` table (port 0: a free one)."""
    from .sql_store import holder_public_key

    app = did_app(public_url, lambda slug: holder_public_key(database_url, slug))
    return make_server(host, port, app, server_class=_ThreadingServer, handler_class=_QuietHandler)


def serve_in_thread(server: WSGIServer) -> threading.Thread:
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return thread


def with_web_did(key: Any, database_url: str, owner: str, public_url: str | None) -> Any:
    """``key`` (a :class:`~wallet.holder.HolderKey`) as the owner's did:web, its public key published."""
    import dataclasses

    from .sql_store import holder_slug

    _base(public_url)  # refuses a site without an https public address before publishing anything
    slug = holder_slug(database_url, owner, key.public_multikey, new_slug)
    return dataclasses.replace(key, web_did=web_did(public_url, slug))
