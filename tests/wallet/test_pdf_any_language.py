"""PDFs in any language: the shipped DejaVu font carries Latin, Greek and Cyrillic names into the text a
reader (pypdf) extracts; a script the font lacks (CJK) is replaced visibly and the page says so."""
from __future__ import annotations

import io
from pathlib import Path

from pypdf import PdfReader
from support.wallet_badges import NOW, hosted_badge

import wallet
from wallet import Wallet
from wallet.pdf import FONT_DIR, MISSING_GLYPH, MISSING_NOTE, PdfBadge, render_pdf

NAMES = ["Zoë Ćwikła", "Ελένη Παπαδοπούλου", "Пётр Чайковский"]


def pdf_text(data: bytes) -> str:
    text = "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)
    return " ".join(text.split())


def embedded_fonts(data: bytes) -> set[str]:
    names = set()
    for page in PdfReader(io.BytesIO(data)).pages:
        for font in page["/Resources"]["/Font"].values():
            names.add(str(font.get_object()["/BaseFont"]))
    return names


def test_the_font_ships_inside_the_package_with_its_licence():
    package = Path(wallet.__file__).resolve().parent
    assert FONT_DIR.resolve().is_relative_to(package)  # never a system font folder
    for name in ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"):
        assert (FONT_DIR / name).read_bytes()[:4] == b"\0\1\0\0"  # a TrueType file, not a pointer
    assert "Bitstream" in (FONT_DIR / "LICENSE").read_text(encoding="utf-8")


def test_latin_greek_and_cyrillic_names_survive_into_the_text(http, tmp_path):
    w = Wallet(tmp_path / "w.json", now=NOW)
    ids = [w.import_file(f"{i}.png", hosted_badge(http, f"b{i}", name=name)).entry_id for i, name in enumerate(NAMES)]
    w.set_display_name("Zoë Ćwikła")
    data, _ = w.pdf_report(ids, title="Портфолио · Χαρτοφυλάκιο")
    text = pdf_text(data)
    for name in NAMES:
        assert name in text, name
    assert "Портфолио · Χαρτοφυλάκιο" in text and "shared by Zoë Ćwikła" in text
    assert MISSING_GLYPH not in text and MISSING_NOTE.split(";")[0] not in text
    assert any("DejaVu" in f for f in embedded_fonts(data))


def test_a_script_the_font_lacks_is_marked_and_explained():
    page = PdfBadge(name="Zoë 日本語の資格", verdict="valid", summary="ok", issuer="Issued by 北京大学", checks=[],
                    checked_at=NOW)
    text = pdf_text(render_pdf([page], title="T"))
    assert "Zoë" in text and "日本語" not in text and "北京" not in text
    assert MISSING_GLYPH * 3 in text  # one mark per character, not silently dropped
    assert "DejaVu Sans has no Chinese, Japanese or Korean" in text
    ok = pdf_text(render_pdf([PdfBadge(name="Zoë", verdict="valid", summary="ok", issuer="x", checks=[],
                                       checked_at=NOW)], title="T"))
    assert "DejaVu Sans has no Chinese" not in ok  # the note only where something was replaced
