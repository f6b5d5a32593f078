"""Unbaking: find the badge text embedded in a PNG or SVG file (or recognise raw JSON/JWS/URL bytes).

PNG chunks are walked by hand, without decoding pixels: Pillow only shows a text chunk that sits
after IDAT once the image data is read. SVG is parsed with defusedxml with entity declarations and
external references refused, so no entity expansion or external fetch can happen.
"""
from __future__ import annotations

import base64
import binascii
import struct
import zlib
from dataclasses import dataclass
from xml.etree.ElementTree import Element, ParseError

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

from .media import PNG_SIGNATURE, Media, looks_like_jws, sniff

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_CHUNKS = 10_000
MAX_TEXT_BYTES = 2 * 1024 * 1024  # an inflated badge chunk larger than this is refused

PNG_KEYWORDS = ("openbadges", "openbadgecredential")
OB2_NS = "http://openbadges.org"
OB3_NS = "https://purl.imsglobal.org/ob/v3p0"  # the OB 3.0 specification's baking namespace
OB3_SPEC_PATH_NS = "https://purl.imsglobal.org/spec/ob/v3p0"  # written by several bakers (the context's path)
# Every (namespace, element) a badge is read from, the specifications' own pairs first.
SVG_ELEMENTS = ((OB3_NS, "credential"), (OB2_NS, "assertion"), (OB3_SPEC_PATH_NS, "credential"),
                (OB2_NS, "credential"), (OB3_NS, "assertion"), (OB3_SPEC_PATH_NS, "assertion"))
_VC_MARKERS = ("VerifiableCredential", "https://www.w3.org/ns/credentials/v2", "https://www.w3.org/2018/credentials/v1")


@dataclass(frozen=True)
class Unbaked:
    """The embedded text of a badge file, or why there is none.

    ``container``: png, svg, json, text or unknown. ``keyword``: the PNG keyword or SVG element used.
    ``warning``: a sentence when the badge was found under a namespace the specification does not use.
    """

    payload: str | None
    container: str
    keyword: str | None = None
    error: str | None = None
    warning: str | None = None  # read, but not baked the way the specification says

    @property
    def ok(self) -> bool:
        return self.payload is not None and self.error is None


def unbake(data: bytes) -> Unbaked:
    """Return the badge payload embedded in ``data`` (file bytes)."""
    if not data:
        return Unbaked(None, "unknown", error="The file is empty.")
    if len(data) > MAX_FILE_BYTES:
        return Unbaked(None, "unknown", error=f"The file is too large ({len(data) // (1024 * 1024)} MB; "
                       f"the limit is {MAX_FILE_BYTES // (1024 * 1024)} MB).")
    kind = sniff(data)  # verifier/media.py: the one sniffer
    if kind is Media.PNG:
        return unbake_png(data)
    if kind is Media.SVG:
        return unbake_svg(data)
    if kind is Media.JPEG:
        return Unbaked(None, "jpeg", error="This is a JPEG image; badges are baked only into PNG or SVG files.")
    if kind is Media.GIF:
        return Unbaked(None, "gif", error="This is a GIF image; badges are baked only into PNG or SVG files.")
    if kind is Media.PDF:
        return Unbaked(None, "pdf", error="This is a PDF document, not a badge: badges are PNG or SVG images, "
                       "JSON or signed badges.")
    if kind is Media.ZIP:
        return Unbaked(None, "zip", error="This is a zip archive, not a badge: unpack it, or import it into the "
                       "wallet, which reads the badges inside.")
    try:
        text = data.decode("utf-8-sig").strip()
    except UnicodeDecodeError:
        return Unbaked(None, "unknown", error="This file is not a badge: it is neither a PNG, an SVG, "
                       "JSON nor a signed badge.")
    if text.startswith("{"):
        return Unbaked(text, "json")
    if sniff(text.encode("utf-8")) in (Media.JWT, Media.URL):
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
    texts = {text for text in found.values() if text}
    if len(texts) > 1:
        # One file, one badge: an OB 3.0 reader takes 'openbadgecredential', an OB 2.0 reader 'openbadges',
        # so two different texts would show two different badges depending on who looks.
        return Unbaked(None, "png", error="This PNG carries more than one badge (different 'openbadges' and "
                       "'openbadgecredential' chunks), so it cannot be told which one it is.")
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
    found: dict[str, tuple[str, str]] = {}  # payload -> where it was first seen
    for ns, name in SVG_ELEMENTS:
        for el in root.iter(f"{{{ns}}}{name}"):
            payload = _svg_payload(el)
            if payload:
                found.setdefault(payload, (ns, name))
    if len(found) > 1:
        places = sorted({f"openbadges:{name} ({ns})" for ns, name in found.values()})
        where = (f"two different {places[0]} elements" if len(places) == 1
                 else "different " + " and ".join(places) + " elements")
        return Unbaked(None, "svg", error=f"This SVG carries more than one badge ({where}), so it cannot be "
                       "told which one it is.")
    if found:
        payload, (ns, name) = next(iter(found.items()))
        return Unbaked(payload, "svg", f"openbadges:{name}", warning=_namespace_warning(ns, name, payload))
    return Unbaked(None, "svg", error="This SVG image carries no badge (no openbadges:assertion or "
                   "openbadges:credential element).")


def _looks_ob3(payload: str) -> bool:
    """Whether a baked payload is a Verifiable Credential (JSON, or the claims of a JWT), by its markers."""
    text = payload
    if looks_like_jws(payload):
        middle = payload.strip().split(".")[1]
        try:
            text = base64.urlsafe_b64decode(middle + "=" * (-len(middle) % 4)).decode("utf-8", "replace")
        except (ValueError, binascii.Error):
            return False
    return any(marker in text for marker in _VC_MARKERS)


def _namespace_warning(ns: str, name: str, payload: str) -> str | None:
    """Why a badge read from ``<openbadges:name>`` in ``ns`` is not baked as its specification says."""
    ob3 = _looks_ob3(payload)
    if (ns, name) == (OB3_NS, "credential") or ((ns, name) == (OB2_NS, "assertion") and not ob3):
        return None
    if ob3:
        return (f"The credential is baked as <openbadges:{name}> in the namespace {ns}; the Open Badges 3.0 "
                f"specification uses <openbadges:credential> in {OB3_NS}. It was read anyway.")
    return (f"The badge is baked as <openbadges:{name}> in the namespace {ns}; the Open Badges 2.0 "
            f"specification uses <openbadges:assertion> in {OB2_NS}. It was read anyway.")


def _svg_payload(el: Element) -> str | None:
    """A JWS in ``verify``, else JSON text, else a URL in ``verify``."""
    verify = (el.get("verify") or "").strip()
    text = (el.text or "").strip()
    if verify and looks_like_jws(verify):
        return verify
    return text or verify or None
