"""Baking: embed an assertion or credential into a PNG or SVG (the inverse of unbake)."""
from __future__ import annotations

import struct
import zlib
from xml.etree import ElementTree as ET

import defusedxml.ElementTree as SafeET

from .media import PNG_SIGNATURE, looks_like_jws
from .unbake import OB2_NS, OB3_NS, PNG_KEYWORDS


def _chunk(ctype: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + ctype + body + struct.pack(">I", zlib.crc32(ctype + body) & 0xFFFFFFFF)


def bake_png(png: bytes, payload: str, *, keyword: str = "openbadges") -> bytes:
    """Return ``png`` with one uncompressed iTXt chunk ``keyword`` holding ``payload``.

    Existing badge chunks are removed first, so re-baking replaces rather than adds.
    """
    if keyword not in PNG_KEYWORDS:
        raise ValueError(f"keyword must be one of {PNG_KEYWORDS}")
    if not png.startswith(PNG_SIGNATURE):
        raise ValueError("not a PNG file")
    out = bytearray(PNG_SIGNATURE)
    pos = len(PNG_SIGNATURE)
    itxt = _chunk(b"iTXt", keyword.encode("latin-1") + b"\x00\x00\x00\x00\x00" + payload.encode("utf-8"))
    while pos + 12 <= len(png):
        length, ctype = struct.unpack(">I4s", png[pos:pos + 8])
        end = pos + 12 + length
        chunk = png[pos:end]
        keep = True
        if ctype in (b"tEXt", b"zTXt", b"iTXt"):
            keep = png[pos + 8:pos + 8 + length].split(b"\x00", 1)[0].decode("latin-1") not in PNG_KEYWORDS
        if keep:
            out += chunk
        if ctype == b"IHDR":
            out += itxt
        if ctype == b"IEND":
            break
        pos = end
    return bytes(out)


def bake_svg(svg: bytes, payload: str, *, credential: bool = False) -> bytes:
    """Return ``svg`` with an ``openbadges:assertion`` (OB 1/2) or ``openbadges:credential`` (OB 3).

    A JWS/JWT or URL payload goes in the ``verify`` attribute, JSON goes in the element text.
    """
    ns, name = (OB3_NS, "credential") if credential else (OB2_NS, "assertion")
    ET.register_namespace("", "http://www.w3.org/2000/svg")
    ET.register_namespace("openbadges", ns)
    root = SafeET.fromstring(svg, forbid_entities=True, forbid_external=True)
    for old_ns, old_name in ((OB2_NS, "assertion"), (OB3_NS, "credential")):
        for el in list(root.iter(f"{{{old_ns}}}{old_name}")):
            root.remove(el)
    el = ET.Element(f"{{{ns}}}{name}")
    text = payload.strip()
    if looks_like_jws(text) or text.startswith("http"):
        el.set("verify", text)
    else:
        el.text = text
    root.insert(0, el)
    baked: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return baked
