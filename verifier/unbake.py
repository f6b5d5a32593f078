"""Unbaking: find the badge text embedded in a PNG or SVG file (or recognise raw JSON/JWS/URL bytes).

PNG chunks are walked by hand, without decoding pixels: Pillow only shows a text chunk that sits
after IDAT once the image data is read. SVG is parsed with defusedxml with entity declarations and
external references refused, so no entity expansion or external fetch can happen.
"""
from __future__ import annotations

import re
import struct
import zlib
from dataclasses import dataclass
from xml.etree.ElementTree import ParseError

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_CHUNKS = 10_000
MAX_TEXT_BYTES = 2 * 1024 * 1024  # an inflated badge chunk larger than this is refused

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
PNG_KEYWORDS = ("openbadges", "openbadgecredential")
OB2_NS = "http://openbadges.org"
OB3_NS = "https://purl.imsglobal.org/ob/v3p0"
_JWS_RE = re.compile(r"^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*$")


@dataclass(frozen=True)
class Unbaked:
    """The embedded text of a badge file, or why there is none.

    ``container``: png, svg, json, text or unknown. ``keyword``: the PNG keyword or SVG element used.
    """

    payload: str | None
    container: str
    keyword: str | None = None
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.payload is not None and self.error is None


def looks_like_jws(text: str) -> bool:
    return bool(_JWS_RE.match(text.strip()))


def unbake(data: bytes) -> Unbaked:
    """Return the badge payload embedded in ``data`` (file bytes)."""
    if not data:
        return Unbaked(None, "unknown", error="The file is empty.")
    if len(data) > MAX_FILE_BYTES:
        return Unbaked(None, "unknown", error=f"The file is too large ({len(data) // (1024 * 1024)} MB; "
                       f"the limit is {MAX_FILE_BYTES // (1024 * 1024)} MB).")
    if data.startswith(PNG_SIGNATURE):
        return unbake_png(data)
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"<?xml", b"<svg", b"<!doctype", b"<!--")) or b"<svg" in head:
        return unbake_svg(data)
    if data.startswith(b"\xff\xd8\xff"):
        return Unbaked(None, "jpeg", error="This is a JPEG image; badges are baked only into PNG or SVG files.")
    if data.startswith((b"GIF87a", b"GIF89a")):
        return Unbaked(None, "gif", error="This is a GIF image; badges are baked only into PNG or SVG files.")
    try:
        text = data.decode("utf-8-sig").strip()
    except UnicodeDecodeError:
        return Unbaked(None, "unknown", error="This file is not a badge: it is neither a PNG, an SVG, "
                       "JSON nor a signed badge.")
    if text.startswith("{"):
        return Unbaked(text, "json")
    if looks_like_jws(text) or re.match(r"^https?://\S+$", text):
        return Unbaked(text, "text")
    return Unbaked(None, "unknown", error="This file is not a badge: it is neither a PNG, an SVG, "
                   "JSON nor a signed badge.")


def _inflate(data: bytes) -> bytes | None:
    """Inflate at most MAX_TEXT_BYTES; None for a bomb or corrupt stream."""
    d = zlib.decompressobj()
    try:
        out = d.decompress(data, MAX_TEXT_BYTES)
    except zlib.error:
        return None
    if d.unconsumed_tail:
        return None
    return out


def _text_chunk(ctype: bytes, body: bytes) -> tuple[str, str | None, str | None]:
    """(keyword, text, error) of a tEXt, zTXt or iTXt chunk."""
    keyword, sep, rest = body.partition(b"\x00")
    if not sep:
        return "", None, "malformed text chunk"
    key = keyword.decode("latin-1")
    if ctype == b"tEXt":
        return key, rest.decode("latin-1"), None
    if ctype == b"zTXt":
        raw = _inflate(rest[1:])
        if raw is None:
            return key, None, "compressed text chunk is corrupt or too large"
        return key, raw.decode("latin-1"), None
    # iTXt: compression flag, method, language tag \0, translated keyword \0, text
    if len(rest) < 2:
        return key, None, "malformed iTXt chunk"
    flag = rest[0]
    lang, _, rest2 = rest[2:].partition(b"\x00")
    _translated, _, text = rest2.partition(b"\x00")
    if flag:
        inflated = _inflate(text)
        if inflated is None:
            return key, None, "compressed iTXt chunk is corrupt or too large"
        text = inflated
    try:
        return key, text.decode("utf-8"), None
    except UnicodeDecodeError:
        return key, None, "iTXt chunk is not valid UTF-8"


def unbake_png(data: bytes) -> Unbaked:
    """Walk PNG chunks up to IEND and return the first ``openbadges``/``openbadgecredential`` text."""
    pos, count = len(PNG_SIGNATURE), 0
    found: dict[str, str] = {}
    while pos + 12 <= len(data):
        count += 1
        if count > MAX_CHUNKS:
            return Unbaked(None, "png", error="This PNG has too many chunks to be read safely.")
        length, ctype = struct.unpack(">I4s", data[pos:pos + 8])
        end = pos + 8 + length
        if end + 4 > len(data):
            break  # truncated: keep what was read
        if ctype in (b"tEXt", b"zTXt", b"iTXt"):
            body = data[pos + 8:end]
            keyword = body.split(b"\x00", 1)[0].decode("latin-1")
            if keyword in PNG_KEYWORDS:
                crc = struct.unpack(">I", data[end:end + 4])[0]
                if zlib.crc32(ctype + body) & 0xFFFFFFFF != crc:
                    return Unbaked(None, "png", keyword,
                                   error=f"The PNG's '{keyword}' chunk is corrupt (checksum mismatch).")
                key, text, err = _text_chunk(ctype, body)
                if err:
                    return Unbaked(None, "png", keyword, error=f"The PNG's '{keyword}' chunk: {err}.")
                text = (text or "").strip()
                if found.get(key, text) != text:
                    # Pillow (and badgecheck) keep the last such chunk, we would read the first: a
                    # second, different chunk makes the file say two things, so it is refused.
                    return Unbaked(None, "png", key, error=f"This PNG carries more than one badge (two "
                                   f"different '{key}' chunks), so it cannot be told which one it is.")
                found.setdefault(key, text)
        if ctype == b"IEND":
            break
        pos = end + 4
    for keyword in ("openbadgecredential", "openbadges"):
        if found.get(keyword):
            return Unbaked(found[keyword], "png", keyword)
    if pos == len(PNG_SIGNATURE):
        return Unbaked(None, "png", error="This PNG file is corrupt or truncated.")
    return Unbaked(None, "png", error="This PNG image carries no badge (no 'openbadges' or "
                   "'openbadgecredential' text chunk).")


def unbake_svg(data: bytes) -> Unbaked:
    """Return the embedded assertion (OB 1/2) or credential (OB 3) of an SVG."""
    try:
        # A plain DOCTYPE (the SVG 1.1 one is common) is allowed; any ENTITY declaration or external
        # reference is refused, so billion-laughs and XXE documents never expand.
        root = SafeET.fromstring(data, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except (DefusedXmlException, ParseError, ValueError, LookupError) as exc:
        kind = "it declares XML entities or external references, which are refused" if isinstance(exc, DefusedXmlException) \
            else "it is not well-formed XML"
        return Unbaked(None, "svg", error=f"This SVG cannot be read safely: {kind}.")
    if not root.tag.endswith("svg"):
        return Unbaked(None, "svg", error="This XML file is not an SVG image.")
    for ns, name in ((OB3_NS, "credential"), (OB2_NS, "assertion")):
        payloads = list(dict.fromkeys(p for p in map(_svg_payload, root.iter(f"{{{ns}}}{name}")) if p))
        if len(payloads) > 1:
            return Unbaked(None, "svg", f"openbadges:{name}", error=f"This SVG carries more than one badge "
                           f"(two different openbadges:{name} elements), so it cannot be told which one it is.")
        if payloads:
            return Unbaked(payloads[0], "svg", f"openbadges:{name}")
    return Unbaked(None, "svg", error="This SVG image carries no badge (no openbadges:assertion or "
                   "openbadges:credential element).")


def _svg_payload(el) -> str | None:
    """A JWS in ``verify``, else JSON text, else a URL in ``verify``."""
    verify = (el.get("verify") or "").strip()
    text = (el.text or "").strip()
    if verify and looks_like_jws(verify):
        return verify
    return text or verify or None
