"""A local issuer on 127.0.0.1 (port 0) serving hosted OB 2.0 badges, with per-path latency and hangs.

Used by the public-page speed tests and the portfolio bench: ``IssuerServer().start()``; ``badge(slug)``
returns a baked PNG whose assertion, BadgeClass and issuer are served here; ``latency`` delays every
answer; ``hang(slug)`` makes that assertion's URL never answer until :meth:`stop` (or :meth:`release`).
"""
from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

from support.wallet_badges import HEART, hosted_assertion
from verifier import bake_png


class _Recorder:
    """Takes the ``http.upsert(...)`` calls of support.wallet_badges.hosted_assertion and keeps the documents."""

    def __init__(self, docs: dict[str, tuple[int, bytes]]) -> None:
        self.docs = docs

    def upsert(self, method: Any, url: str, json: Any = None, status: int = 200) -> None:  # noqa: A002
        import json as _json

        self.docs[urlsplit(url).path] = (status, _json.dumps(json).encode() if json is not None else b"")


class IssuerServer:
    def __init__(self, latency: float = 0.0) -> None:
        self.latency = latency
        self.docs: dict[str, tuple[int, bytes]] = {}
        self.hanging: set[str] = set()
        self.released = threading.Event()
        self.requests = 0
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                server.requests += 1
                path = urlsplit(self.path).path
                if path in server.hanging:
                    server.released.wait(60)
                if server.latency:
                    time.sleep(server.latency)
                status, body = server.docs.get(path, (404, b"{}"))
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except OSError:
                    pass

            def log_message(self, *args: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.host = f"127.0.0.1:{self.port}"
        self.base = f"http://{self.host}"

    def start(self) -> IssuerServer:
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        return self

    def badge(self, slug: str, **kwargs: Any) -> bytes:
        assertion = hosted_assertion(_Recorder(self.docs), slug, host=self.base, **kwargs)  # type: ignore[arg-type]
        return bake_png(HEART, json.dumps(assertion))

    def hang(self, slug: str) -> None:
        self.hanging.add(f"/assertions/{slug}.json")

    def release(self) -> None:
        self.released.set()
        self.hanging.clear()

    def stop(self) -> None:
        self.release()
        self.httpd.shutdown()
        self.httpd.server_close()
