"""A loopback HTTP server whose documents carry chosen caching headers, counting the requests it answers.

    server = CachingServer().start()
    server.put("/issuer", {"id": ...}, headers={"Cache-Control": "max-age=60"}, etag=True)
    server.hits["/issuer"], server.not_modified["/issuer"]   # 200s and 304s answered per path

``etag=True`` gives the document an ETag (its content's digest) and answers ``If-None-Match`` with it
by 304, no body. A path can also be a redirect (``redirect(path, location)``) or an error status.
"""
from __future__ import annotations

import hashlib
import json
import threading
from collections import Counter
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Document:
    body: bytes
    status: int = 200
    content_type: str = "application/ld+json"
    headers: dict[str, str] = field(default_factory=dict)
    etag: bool = False


class CachingServer:
    def __init__(self) -> None:
        self.docs: dict[str, Document] = {}
        self.hits: Counter[str] = Counter()
        self.not_modified: Counter[str] = Counter()
        self.lock = threading.Lock()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.host = f"127.0.0.1:{self.httpd.server_address[1]}"
        self.base = f"http://{self.host}"

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:  # noqa: N802
                with server.lock:
                    doc = server.docs.get(self.path)
                if doc is None:
                    self._answer(404, b"not found", "text/plain", {})
                    return
                tag = f'"{hashlib.sha256(doc.body).hexdigest()[:16]}"' if doc.etag else None
                if tag and self.headers.get("If-None-Match") == tag:
                    with server.lock:
                        server.not_modified[self.path] += 1
                    self._answer(304, b"", None, {**doc.headers, "ETag": tag})
                    return
                with server.lock:
                    server.hits[self.path] += 1
                self._answer(doc.status, doc.body, doc.content_type, {**doc.headers, **({"ETag": tag} if tag else {})})

            def _answer(self, status: int, body: bytes, kind: str | None, headers: dict[str, str]) -> None:
                self.send_response(status)
                if kind:
                    self.send_header("Content-Type", kind)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if body:
                    self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        return Handler

    def start(self) -> CachingServer:
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def put(self, path: str, doc: Any, *, headers: dict[str, str] | None = None, etag: bool = False,
            status: int = 200) -> str:
        """Serve ``doc`` (JSON, or bytes as they are) at ``path``; returns its URL."""
        body = doc if isinstance(doc, bytes) else json.dumps(doc).encode()
        with self.lock:
            self.docs[path] = Document(body, status, headers=dict(headers or {}), etag=etag)
        return self.base + path

    def redirect(self, path: str, location: str, *, headers: dict[str, str] | None = None) -> str:
        with self.lock:
            self.docs[path] = Document(b"", 301, content_type="text/plain",
                                       headers={"Location": location, **(headers or {})})
        return self.base + path

    def requests(self, path: str) -> int:
        """Requests answered for ``path``: 200s (or other statuses) and 304s."""
        return self.hits[path] + self.not_modified[path]
