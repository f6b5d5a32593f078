"""What a file is, from its bytes: the one media sniffer of the verifier, the wallet and the app.

:func:`sniff` looks only at the first bytes (a few KB) and never parses: it decides which reader
gets the file (PNG or SVG unbaking, JSON, a compact JWS/JWT, a URL) and how the wallet stores and
shows it. What the file *is* as a badge is decided later by the readers, which check everything
again; a wrong guess here can only send a file to a reader that then refuses it with a sentence.
"""
from __future__ import annotations

import re
from enum import StrEnum

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_JWS_RE = re.compile(r"^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*$")
_XML_STARTS = (b"<?xml", b"<svg", b"<!doctype", b"<!--")
_WHITESPACE = b"\xef\xbb\xbf \t\r\n"  # a UTF-8 byte-order mark and blanks before the first sign


class Media(StrEnum):
    """A file's kind; the value is its media type."""

    PNG = "image/png"
    SVG = "image/svg+xml"
    JPEG = "image/jpeg"
    GIF = "image/gif"
    PDF = "application/pdf"
    ZIP = "application/zip"
    JSON = "application/json"
    JSON_LD = "application/ld+json"
    JWT = "application/jwt"  # a compact JWS (an OB 2.0 signed assertion or a VC-JWT)
    URL = "text/uri-list"
    UNKNOWN = "application/octet-stream"

    @property
    def extension(self) -> str:
        """The file name ending for a file of this kind ("" when there is none to give)."""
        return _EXTENSIONS.get(self, "")

    @property
    def is_image(self) -> bool:
        """A badge image (a baked badge is a PNG or an SVG)."""
        return self in (Media.PNG, Media.SVG)


_EXTENSIONS = {Media.PNG: ".png", Media.SVG: ".svg", Media.JPEG: ".jpg", Media.GIF: ".gif", Media.PDF: ".pdf",
               Media.ZIP: ".zip", Media.JSON: ".json", Media.JSON_LD: ".json", Media.JWT: ".jwt",
               Media.URL: ".url.txt"}


def looks_like_jws(text: str) -> bool:
    """Whether ``text`` has the shape of a compact JWS/JWT (three base64url parts); nothing is decoded."""
    return bool(_JWS_RE.match(text.strip()))


def sniff(data: bytes, filename: str = "") -> Media:
    """The kind of ``data`` from its first bytes (``filename`` only tells JSON-LD from JSON)."""
    if data.startswith(PNG_SIGNATURE):
        return Media.PNG
    if data[:4] in (b"PK\x03\x04", b"PK\x05\x06"):  # a zip (the second: an empty one)
        return Media.ZIP
    if data.startswith(b"%PDF-"):
        return Media.PDF
    if data.startswith(b"\xff\xd8\xff"):
        return Media.JPEG
    if data.startswith((b"GIF87a", b"GIF89a")):
        return Media.GIF
    head = data[:1024].lstrip(_WHITESPACE).lower()
    if head.startswith(_XML_STARTS) or b"<svg" in head:
        return Media.SVG
    if head.startswith(b"{"):
        return Media.JSON_LD if filename.lower().endswith((".jsonld", ".1ob")) else Media.JSON
    text = data.decode("utf-8", "replace").strip()  # whole: a long JWS cut short would not look like one
    if looks_like_jws(text):
        return Media.JWT
    if re.match(r"^https?://\S+$", text):
        return Media.URL
    return Media.UNKNOWN


def is_png(data: bytes | None) -> bool:
    return bool(data) and sniff(data or b"") is Media.PNG


def is_zip(data: bytes) -> bool:
    return sniff(data) is Media.ZIP


__all__ = ["Media", "sniff", "looks_like_jws", "is_png", "is_zip", "PNG_SIGNATURE"]
