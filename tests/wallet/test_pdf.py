"""PDF reports: the text a reader sees (pypdf) and the QR code a phone scans (zxing-cpp)."""
from __future__ import annotations

import io
from datetime import timedelta

import pytest
from PIL import Image
from support.wallet_badges import EMAIL, NOW, hosted_badge, revoke

from wallet import Wallet
from wallet.cli import main
from wallet.portfolio import badge_link


def pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    text = "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)
    return " ".join(text.split())  # lines wrap and justify: compare words, not layout


def qr_codes(data: bytes) -> list[str]:
    """Every QR code in the PDF's images, decoded."""
    import zxingcpp
    from pypdf import PdfReader

    found = []
    for page in PdfReader(io.BytesIO(data)).pages:
        for image in page.images:
            img = Image.open(io.BytesIO(image.data)).convert("L")
            img = Image.eval(img, lambda v: v)  # a plain greyscale copy
            found += [r.text for r in zxingcpp.read_barcodes(img)]
    return found


@pytest.fixture
def w(tmp_path) -> Wallet:
    return Wallet(tmp_path / "w.json", now=NOW)


def test_pdf_of_one_badge_has_its_facts_and_a_qr_to_its_live_page(http, w):
    eid = w.import_file("robots.png", hosted_badge(http, "robots", name="Robotics Basics", hashed=False)).entry_id
    w.add_identity(EMAIL)
    data, link = w.pdf_report([eid])
    assert data.startswith(b"%PDF-")
    text = pdf_text(data)
    assert "Robotics Basics" in text and "Verified" in text and "Example Skills College" in text
    assert "issued 15 March 2024" in text and "Checked on 1 June 2025 at 12:00 UTC" in text
    assert "Passed" in text and "Issuer's copy" in text  # every check, with its label
    assert "Issued to the owner of this portfolio" in text
    assert EMAIL not in text  # the link hides the e-mail, and so does its PDF
    assert qr_codes(data) == [badge_link(link, eid)]
    assert w.open_portfolio(qr_codes(data)[0]).status == "ok"  # the code opens the live one-badge page


def test_portfolio_pdf_has_a_page_per_badge_and_shows_a_revocation(http, w):
    a = w.import_file("a.png", hosted_badge(http, "a")).entry_id
    b = w.import_file("b.png", hosted_badge(http, "b")).entry_id
    _, link = w.create_portfolio([a, b], "Jobs 2025")
    revoke(http, "b")
    w.now = NOW + timedelta(minutes=5)
    data, same = w.pdf_report([a, b], link=link)
    assert same == link
    from pypdf import PdfReader

    assert len(PdfReader(io.BytesIO(data)).pages) == 2
    text = pdf_text(data)
    assert "Jobs 2025" in text and "Badge a" in text and "Badge b" in text and "Revoked" in text
    assert sorted(qr_codes(data)) == sorted([badge_link(link, a), badge_link(link, b)])


def test_cli_pdf(http, w, tmp_path, capsys):
    eid = w.import_file("c.png", hosted_badge(http, "c")).entry_id
    out = tmp_path / "c.pdf"
    assert main(["--db", str(w.path), "pdf", eid, "--out", str(out)]) == 0
    assert "Badge c" in pdf_text(out.read_bytes()) and "?p=" in capsys.readouterr().out
    assert main(["--db", str(w.path), "pdf", "nope", "--out", str(tmp_path / "x.pdf")]) == 2
    assert "no badge with id nope" in capsys.readouterr().err


@pytest.mark.attack
def test_hostile_text_is_only_text(http, w):
    from wallet.pdf import PdfBadge, render_pdf

    page = PdfBadge(name="Ünïcödé “quoted” \u202e<script>", verdict="valid", summary="ok", issuer="x",
                    checks=[{"id": "weird-id", "status": "pass", "message": "m"}], checked_at=NOW,
                    png=b"\x89PNG\r\n\x1a\n" + b"\0" * 40)  # a broken PNG is skipped, not fatal
    text = pdf_text(render_pdf([page], title="T"))
    assert "quoted" in text and "weird-id" in text


def test_app_buttons_for_the_pdf(tmp_path, monkeypatch):
    """The Share page makes the PDF of a new link; the recruiter's page offers the PDF of its check."""
    from support.apptest import app, no_crash

    monkeypatch.setenv("BADGE_WALLET_DB", str(tmp_path / "wallet.json"))
    monkeypatch.setenv("BADGE_WALLET_PUBLIC_URL", "http://wallet.test")
    at = app()
    at.switch_page("app_pages/share_links.py").run()
    ms = at.multiselect(key="share_badges")
    ms.select(next(o for o in ms.options if o.startswith("Data Analysis Essentials (")))
    at.form_submit_button[0].click().run()
    no_crash(at)
    next(b for b in at.button if b.label == "Make a PDF of these badges").click().run()
    no_crash(at)
    assert [d.label for d in at.download_button if "PDF" in d.label] == ["Download the PDF"]
    [portfolio] = Wallet(tmp_path / "wallet.json").portfolios()
    pdf = at.session_state[f"pdf_{portfolio.id}"]
    assert "Data Analysis Essentials" in pdf_text(pdf) and len(qr_codes(pdf)) == 1


def test_recruiter_check_page_offers_the_pdf_of_the_badge_just_checked(tmp_path, monkeypatch):
    from support.apptest import DEMO, app, no_crash

    monkeypatch.setenv("BADGE_WALLET_DB", str(tmp_path / "wallet.json"))
    at = app()
    at.switch_page("app_pages/verify_badge.py").run()
    at.file_uploader(key="recruiter_file").set_value(
        ("lab-safety.png", DEMO["lab-safety.png"].path.read_bytes(), "image/png")).run()
    no_crash(at)
    assert [d.label for d in at.download_button if "PDF" in d.label] == ["Download this check as a PDF"]
    from app_pages.state import check_badge
    from wallet.pdf import from_report, render_pdf

    report = check_badge(DEMO["lab-safety.png"].path.read_bytes())
    text = pdf_text(render_pdf([from_report(report, content=None, checked_at=NOW)], title="x"))
    assert "Laboratory Safety Induction" in text and "Revoked" in text and "Checked on 1 June 2025" in text


def test_the_image_travels_without_the_baked_data(http, w):
    from verifier import unbake

    eid = w.import_file("img.png", hosted_badge(http, "img", hashed=False)).entry_id
    data, _ = w.pdf_report([eid])
    from pypdf import PdfReader

    images = [i.data for p in PdfReader(io.BytesIO(data)).pages for i in p.images]
    assert len(images) == 2  # the badge image and the QR code
    assert EMAIL.encode() not in data and not any(unbake(i).ok for i in images)
