"""Printable PDF reports: one page per badge, with a QR code to its live public page.

Each page shows the badge image, its name, the issuer and who vouches for it (the identity level, in
the verifier's own sentence), the dates, the verdict in plain words, every check with *when* it was
checked, whose badge it is (portfolio pages) and a QR code with the address of the live public page —
paper goes stale, the page does not, and the PDF says so.

Built with fpdf2. Everything a badge says is untrusted: it is written as plain text (no markup), and
only PNG images whose header gives a modest size are embedded (never SVG: no parser for hostile XML
runs here).

Any language: the package ships DejaVu Sans (regular and bold, ``wallet/fonts``, with its licence), so a
PDF never depends on the fonts of the machine that makes it. It covers Latin (``Zoë Ćwikła``), Greek,
Cyrillic, Armenian, Georgian, Hebrew, Arabic letters and many symbols, but not Chinese, Japanese or Korean:
a character the font lacks is printed as U+FFFD (�) and the page says so in a sentence, pointing to the
live page, rather than silently dropping it or printing an empty box nobody notices.
"""
from __future__ import annotations

import functools
import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from fontTools.ttLib import TTFont
from fpdf import FPDF

from verifier import IdentityLevel, IssuerIdentity, Media, Report, check_label, identity_sentence, sniff_media, summary
from verifier import format_day as day

from .portfolio import qr_code

FONT_DIR = Path(__file__).resolve().parent / "fonts"  # DejaVu Sans, shipped as package data
FONT_FILES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf"}
MISSING_GLYPH = "\ufffd"
MISSING_NOTE = ("Some characters of this page cannot be shown in its font (DejaVu Sans has no Chinese, Japanese "
                "or Korean, for example) and are printed as \ufffd; the live page shows them as written.")
MAX_PIXELS = 16_000_000
STATUS_WORD = {"pass": "Passed", "fail": "Failed", "warn": "Warning", "skip": "Not checked"}
VERDICT_WORD = {"valid": "Verified", "invalid": "Failed verification", "expired": "Expired", "revoked": "Revoked",
                "not-yet-valid": "Not yet valid", "unverifiable": "Could not be checked"}
_ASCII = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "–": "-", "—": "-", "…": "...", "·": "-",
                        "\u2060": "", "\u00a0": " "})


@dataclass
class PdfBadge:
    """What one page shows (built from a wallet entry or a recruiter's report)."""

    name: str
    verdict: str
    summary: str
    issuer: str  # the issuer sentence: who vouches for the name
    checks: Sequence[Mapping[str, Any]]
    checked_at: datetime | None
    issued_on: datetime | None = None
    expires: datetime | None = None
    description: str = ""
    png: bytes | None = None
    whose: str | None = None
    link: str | None = None  # the live public page (QR code)
    issuer_origin: str | None = None
    notes: list[str] = field(default_factory=list)


def png_or_none(content: bytes | None) -> bytes | None:
    """``content`` if it is a PNG of modest size (read from its header; nothing is decoded here)."""
    if not content or sniff_media(content) is not Media.PNG or len(content) < 24 or content[12:16] != b"IHDR":
        return None
    width, height = int.from_bytes(content[16:20], "big"), int.from_bytes(content[20:24], "big")
    return content if 0 < width * height <= MAX_PIXELS else None


def clean_png(content: bytes | None, size: int = 512) -> bytes | None:
    """The badge image's pixels only, re-encoded (at most ``size`` px): a baked PNG carries the badge data,
    perhaps the recipient's e-mail, in its text chunks, and those must not travel into a PDF."""
    png = png_or_none(content)
    if png is None:
        return None
    try:
        from PIL import Image

        with Image.open(io.BytesIO(png)) as img:
            img.thumbnail((size, size))
            out = io.BytesIO()
            img.convert("RGBA").save(out, format="PNG")
            return out.getvalue()
    except Exception:  # noqa: BLE001 - a broken image is left out, never fatal
        return None


def identity_of(report_dict: Mapping[str, Any]) -> IssuerIdentity | None:
    data = report_dict.get("issuer_identity")
    if not isinstance(data, Mapping):
        return None
    try:
        level = IdentityLevel(str(data.get("level")))
    except ValueError:
        return None
    return IssuerIdentity(level, data.get("claimed_name"), data.get("name"), data.get("domain"), data.get("source"))


def from_report(report: Report, *, content: bytes | None, checked_at: datetime, link: str | None = None,
                whose: str | None = None) -> PdfBadge:
    """A page for a freshly checked badge (the recruiter's check page, or a wallet entry re-checked)."""
    badge = report.badge
    claimed = badge.issuer.name if badge else None
    return PdfBadge(
        name=(badge.name if badge else "") or "Unnamed badge", verdict=str(report.verdict), summary=summary(report),
        issuer=identity_sentence(report.issuer_identity, str(report.verdict), claimed),
        checks=[c.to_dict() for c in report.checks], checked_at=checked_at,
        issued_on=badge.issued_on if badge else None, expires=badge.expires if badge else None,
        description=badge.description if badge else "", png=clean_png(content), whose=whose, link=link,
        issuer_origin=(badge.issuer.id if badge else None))


@functools.cache
def covered() -> frozenset[int]:
    """The code points both shipped fonts have glyphs for (empty when the fonts are missing)."""
    sets = []
    for name in FONT_FILES.values():
        try:
            with TTFont(str(FONT_DIR / name), lazy=True) as font:
                sets.append(frozenset(font.getBestCmap()))
        except (OSError, ValueError):
            return frozenset()
    return frozenset.intersection(*sets)


class _Doc(FPDF):
    def __init__(self, footer_text: str) -> None:
        super().__init__(format="A4")
        self.footer_text = footer_text
        self.glyphs = covered()
        self.unicode = bool(self.glyphs)  # only a broken install lacks the fonts: then Latin-1
        if self.unicode:
            for style, name in FONT_FILES.items():
                self.add_font("DejaVu", style, str(FONT_DIR / name))
        self.family = "DejaVu" if self.unicode else "helvetica"
        self.replaced = False  # a character the font lacks was printed as MISSING_GLYPH on this page
        self.set_auto_page_break(True, margin=18)
        self.set_margins(18, 16, 18)

    def text_of(self, value: Any) -> str:
        text = " ".join(str(value or "").split())
        if not self.unicode:
            return text.translate(_ASCII).encode("latin-1", "replace").decode("latin-1")
        if all(ord(ch) in self.glyphs for ch in text):
            return text
        self.replaced = True
        return "".join(ch if ord(ch) in self.glyphs else MISSING_GLYPH for ch in text)

    def para(self, value: Any, size: float = 10, style: str = "", height: float = 5.2, width: float = 0) -> None:
        self.set_font(self.family, style, size)
        self.multi_cell(width, height, self.text_of(value), align="L", new_x="LMARGIN", new_y="NEXT")

    def footer(self) -> None:
        self.set_y(-13)
        self.set_font(self.family, "", 7.5)
        self.set_text_color(110)
        self.cell(0, 5, self.text_of(f"{self.footer_text} · page {self.page_no()}"), align="C")
        self.set_text_color(0)


def _page(doc: _Doc, b: PdfBadge, heading: str | None) -> None:
    doc.add_page()
    doc.replaced = False
    if heading:
        doc.para(heading, 9, height=4.5)
        doc.ln(1)
    top = doc.get_y()
    text_x = doc.l_margin
    if b.png:
        try:
            doc.image(io.BytesIO(b.png), x=doc.l_margin, y=top, w=32, alt_text=doc.text_of(f"Badge image: {b.name}"))
            text_x = doc.l_margin + 38
        except Exception:  # noqa: BLE001 - a broken image must not stop the report
            text_x = doc.l_margin
    doc.set_left_margin(text_x)
    doc.set_xy(text_x, top)
    doc.para(b.name, 17, "B", 8)
    doc.para(f"{VERDICT_WORD.get(b.verdict, b.verdict)}: {b.summary}", 11, "B", 6)
    checked = (f"Checked on {day(b.checked_at)} at {b.checked_at:%H:%M} UTC." if b.checked_at
               else "When this was checked is not known.")
    doc.para(checked, 9)
    doc.set_left_margin(18)
    doc.set_y(max(doc.get_y(), top + 36) + 2)
    doc.para(b.issuer + (f" ({b.issuer_origin})" if b.issuer_origin and b.issuer_origin not in b.issuer else ""), 10)
    dates = [f"issued {day(b.issued_on)}" if b.issued_on else "", f"expires {day(b.expires)}" if b.expires else ""]
    if any(dates):
        doc.para("Dates: " + ", ".join(d for d in dates if d), 10)
    if b.whose:
        doc.para("Whose badge: " + b.whose, 10)
    if b.description:
        doc.ln(1)
        doc.para(b.description[:1500], 9.5)
    doc.ln(2)
    doc.para("Every check", 11, "B", 6)
    for c in b.checks[:40]:
        status = STATUS_WORD.get(str(c.get("status")), str(c.get("status")))
        doc.para(f"{status} · {check_label(str(c.get('id', '')))}: {c.get('message', '')}", 8.5, height=4.4)
    if b.link:
        doc.ln(3)
        if doc.get_y() > doc.h - 70:
            doc.add_page()
        y = doc.get_y()
        doc.image(io.BytesIO(qr_code(b.link, "png", scale=8)), x=doc.l_margin, y=y, w=34,
                  alt_text="QR code of the live page")
        doc.set_left_margin(18 + 40)
        doc.set_xy(18 + 40, y + 2)
        doc.para("Check it live: scan the code or open", 10, "B")
        doc.para(b.link, 8.5, height=4.4)
        doc.para("Paper goes out of date: the live page checks the badge with its issuer again, so a "
                 "revocation shows there.", 8.5, height=4.4)
        doc.set_left_margin(18)
        doc.set_y(max(doc.get_y(), y + 36))
    if doc.replaced:
        doc.ln(2)
        doc.para(MISSING_NOTE, 8.5, height=4.4)


def render_pdf(badges: Sequence[PdfBadge], *, title: str, owner: str = "", made_at: datetime | None = None) -> bytes:
    """The PDF bytes: one page per badge, headed by the portfolio's title (and owner, when given)."""
    stamp = f"made {day(made_at)} {made_at:%H:%M} UTC" if made_at else ""
    doc = _Doc(" · ".join(x for x in (title, stamp) if x))
    doc.set_title(doc.text_of(title))
    doc.set_author(doc.text_of(owner or "badge wallet"))
    heading = " — ".join(x for x in (title, owner and f"shared by {owner}") if x) if len(badges) > 1 or owner else None
    for b in badges:
        _page(doc, b, heading)
    if not badges:
        doc.add_page()
        doc.para("No badge to show.", 12)
    return bytes(doc.output())


def pages_from(items: Iterable[tuple[Report, bytes | None, datetime, str | None, str | None]]) -> list[PdfBadge]:
    """Pages from (report, file, checked at, link, whose sentence) tuples."""
    return [from_report(r, content=c, checked_at=t, link=link, whose=w) for r, c, t, link, w in items]
