"""Usability of the app's pages: plain primary messages, technical detail secondary, clear feedback."""
from __future__ import annotations

import re

from support.apptest import DEMO, app, empty_wallet, no_crash, texts
from support.paths import ROOT

from wallet.service import Wallet

UNVERIFIABLE_PNG = ROOT / "tests" / "fixtures" / "1edtech-digital-credentials-public-validator" / "ob30" / \
    "simple-json.png"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"


def _plain(value: str) -> str:
    """Markdown escapes and the invisible anti-autolink joiner removed."""
    return re.sub(r"\\(.)", r"\1", value).replace("\u2060", "")


def _recruiter(at, name: str, content: bytes):
    at.switch_page("app_pages/verify_badge.py").run()
    at.file_uploader(key="recruiter_file").set_value((name, content, "application/octet-stream")).run()
    no_crash(at)
    return at


def test_unverifiable_badge_keeps_jargon_out_of_the_big_box(db):
    at = _recruiter(app(), "simple-json.png", UNVERIFIABLE_PNG.read_bytes())
    [box] = at.info
    assert box.value.startswith("### Could not be checked")
    assert "Try again later" in box.value
    for jargon in ("controller document", "signing key", "https"):
        assert jargon not in box.value
    # the technical reason is still there, below the box, and every check is in an expander
    assert any(c.value.startswith("Technical reason:") and "controller document" in c.value for c in at.caption)
    assert any(e.label.startswith("Technical details") for e in at.expander)
    assert "Teamwork" in texts(at) and "Issuer: calls itself “Example Corp”" in texts(at)


def test_a_jpeg_is_answered_not_silently_refused(db):
    at = _recruiter(app(), "photo.jpg", JPEG)
    assert not at.error
    [box] = at.warning
    assert box.value.startswith("### No badge found") and "screenshot or a photo" in box.value
    assert any(c.value.startswith("Reason:") and "JPEG" in c.value for c in at.caption)


def test_recruiter_can_confirm_the_recipient_by_email(db):
    at = app()
    at.switch_page("app_pages/verify_badge.py").run()
    at.file_uploader(key="recruiter_file").set_value(
        ("data-analysis.png", DEMO["data-analysis.png"].path.read_bytes(), "image/png")).run()
    assert "enter the person's email above" in texts(at)
    at.text_input(key="recruiter_email").set_value("alex.morgan@example.org").run()
    no_crash(at)
    assert at.success[0].value.startswith("### Verified")
    assert "matches alex.morgan@example.org" in texts(at)
    at.text_input(key="recruiter_email").set_value("someone.else@example.org").run()
    no_crash(at)
    assert "does not match someone.else@example.org" in texts(at)
    assert at.error and at.error[0].value.startswith("### Failed verification")
    assert "not issued to someone.else@example.org" in _plain(at.error[0].value)


def test_recruiter_page_says_where_the_answer_will_appear(db):
    at = app()
    at.switch_page("app_pages/verify_badge.py").run()
    assert "The answer appears here" in texts(at)


def test_import_accepts_any_file_and_says_why_a_jpeg_is_not_imported(db):
    empty_wallet(db)
    at = app()
    at.switch_page("app_pages/import_badges.py").run()
    at.file_uploader[0].set_value([("photo.jpg", JPEG, "image/jpeg")]).run()
    [go] = [b for b in at.button if b.label.startswith("Import 1 file")]
    go.click().run()
    no_crash(at)
    page = texts(at)
    assert "Results: 0 added, 1 not imported" in page and "photo.jpg — Not imported" in page
    assert not Wallet(db).entries()


def test_category_tab_explains_the_rule_and_confirms_an_override(db):
    at = app()
    entry = next(e for e in Wallet(db).entries() if e.name == "Data Analysis Essentials")
    at.button(key=f"open_{entry.id}").click().run()
    page = texts(at)
    assert "Shown as micro-credential (decided by the rules below)." in page
    assert "at least 3 of these 7 signs hold" in page and "a full qualification" in page
    assert any(s.value.startswith("EU micro-credential checklist: ") and " elements found" in s.value
               for s in at.subheader)
    assert "it does not change the category above" in page
    assert "Issued to: your email (kept hashed in the badge)" in page
    at.radio(key=f"override_{entry.id}").set_value("badge").run()
    at.button(key="save_override").click().run()
    no_crash(at)
    assert "Saved: this badge is now shown as a plain badge." in texts(at)
    assert "Shown as plain badge (you chose it)." in texts(at)


def test_share_link_is_shown_whole_and_the_picker_says_what_to_do(db):
    at = app()
    at.switch_page("app_pages/share_links.py").run()
    assert at.multiselect(key="share_badges").proto.placeholder == "Pick one or more badges"
    ms = at.multiselect(key="share_badges")
    ms.select(ms.options[0]).select(ms.options[1])
    at.selectbox(key="share_expiry").set_value("30 days")
    at.form_submit_button[0].click().run()
    no_crash(at)
    code = at.code[0]  # the portfolio link (then the one-badge pages, each whole as well)
    assert code.value.startswith("http://wallet.test/?p=") and all(c.proto.wrap_lines for c in at.code)


def test_public_page_puts_the_link_expiry_in_a_caption_not_a_box(db):
    app()  # the first run imports the demo badges
    w = Wallet(db)
    entry = next(e for e in w.entries() if e.name == "Data Analysis Essentials")
    _, link = w.create_portfolio([entry.id], "Alex's skills", expires_days=30)
    at = app(p=link.split("?p=", 1)[1])
    no_crash(at)
    assert not at.info
    assert any("the link that expires, not the badges" in c.value.replace("\\", "") for c in at.caption)


def test_dates_line_says_expired_only_once_past():
    from app_pages.ui import dates_line

    assert dates_line("2025-03-14T09:30:00Z", "2020-01-01") == "**Dates:** issued 14 March 2025, expired 1 January 2020"
    assert dates_line(None, "2999-01-01T00:00:00Z") == "**Dates:** expires 1 January 2999"
    assert dates_line(None, None) == ""
