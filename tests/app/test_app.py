"""The Streamlit app's main flows, driven by Streamlit's AppTest (no browser, no network).

Each test gets its own wallet file (BADGE_WALLET_DB in a temp folder). Demo badges verify through
the local mirror of the demo issuer; everything else is built here and verifies offline.
"""
from __future__ import annotations

import io
import re
import zipfile
from datetime import UTC, datetime, timedelta

import pytest
from streamlit.testing.v1 import AppTest
from support.apptest import DEMO, app, empty_wallet, no_crash, own_badge, texts
from support.paths import ROOT

from wallet.demo import DEMO_DIR
from wallet.service import Wallet

# --- wallet page ----------------------------------------------------------------------------------

def test_first_run_lists_demo_badges_with_verdicts(db):
    assert not db.exists()
    at = app()
    no_crash(at)
    page = texts(at)
    for demo in DEMO.values():
        # A hosted badge whose issuer answers 410 Gone may be listed under its file name.
        assert demo.name in page or (demo.filename in page and demo.verdict == "revoked")
    details = [b for b in at.button if b.label == "Details"]
    assert len(details) == len(DEMO)
    chips = [m.value for m in at.markdown if "-badge[" in m.value]
    assert sum("Verified" in c for c in chips) == sum(d.verdict == "valid" for d in DEMO.values())
    assert sum("Revoked" in c for c in chips) == sum(d.verdict == "revoked" for d in DEMO.values())
    assert sum("Expired" in c for c in chips) == 1
    assert sum("Micro-credential" in c for c in chips) == sum(d.category == "micro-credential" for d in DEMO.values())
    assert len(at.image) == len(DEMO)
    assert db.exists() and len(Wallet(db).entries()) == len(DEMO)


def test_filters_narrow_the_grid(db):
    at = app()
    at.selectbox(key="filter_category").select("micro-credential").run()
    no_crash(at)
    page = texts(at)
    assert "Spreadsheet Modelling" in page and "Workplace First Aid" not in page
    at.selectbox(key="filter_category").select("All")
    at.selectbox(key="filter_status").select("revoked").run()
    names = [m.value for m in at.markdown if m.value.startswith("**")]
    assert len(names) == 2 and all(("Laboratory" in n or "ommunity" in n) for n in names)


def test_detail_view_override_tags_and_delete(db):
    at = app()
    entry = next(e for e in Wallet(db).entries() if e.name == "Data Analysis Essentials")
    at.button(key=f"open_{entry.id}").click().run()
    no_crash(at)
    page = texts(at)
    assert "This badge is genuine" in page
    assert "Signature — The digital signature is valid" in page
    assert "EU micro-credential checklist" in page and "Aligned to DigComp" in page
    assert any(d.label == "Download original file" for d in at.download_button)
    # LinkedIn needs a public one-badge page as the certification URL: it is offered on the Share page
    assert not any("linkedin.com/profile/add" in b.proto.url for b in at.link_button)
    assert "Add to LinkedIn from the Share page" in page

    at.radio(key=f"override_{entry.id}").set_value("badge").run()
    at.button(key="save_override").click().run()
    no_crash(at)
    assert Wallet(db).get(entry.id).override == "badge"

    at.text_input[0].set_value("data, python")
    at.text_area[0].set_value("Shown to my manager.")
    at.form_submit_button[0].click().run()
    stored = Wallet(db).get(entry.id)
    assert stored.tags == ["data", "python"] and stored.notes == "Shown to my manager."

    at.button(key="reverify").click().run()
    no_crash(at)
    assert Wallet(db).get(entry.id).verdict == "valid"

    at.checkbox(key=f"confirm_delete_{entry.id}").check().run()
    at.button(key="delete").click().run()
    no_crash(at)
    assert Wallet(db).get(entry.id) is None
    assert len([b for b in at.button if b.label == "Details"]) == len(DEMO) - 1


def test_check_all_again_shows_a_later_revocation(db, tmp_path, monkeypatch):
    """The issuer withdraws a badge after import: "Check every badge again" flags it."""
    import shutil

    import wallet.demo

    hosted = tmp_path / "hosted"
    shutil.copytree(DEMO_DIR / "hosted", hosted)
    monkeypatch.setitem(wallet.demo.DEMO_MIRRORS, "https://issuer.demo.example/", hosted)
    at = app()
    assert Wallet(db).entries()[0].verdict == "valid"
    (hosted / "assertions" / "workshop-participant.json.gone").write_text("withdrawn")
    at.button(key="reverify_all").click().run()
    no_crash(at)
    page = texts(at)
    assert "“Open Badges Workshop Participant” was valid and is now revoked" in page
    assert Wallet(db).entries()[0].verdict == "revoked"


def test_empty_wallet_offers_demo_badges(db):
    empty_wallet(db)
    at = app()
    no_crash(at)
    assert "Your wallet is empty" in texts(at)
    [load] = [b for b in at.button if b.label == "Load demo badges"]
    load.click().run()
    no_crash(at)
    assert len([b for b in at.button if b.label == "Details"]) == len(DEMO)


# --- import page ----------------------------------------------------------------------------------

def test_import_files_gives_per_file_results(db):
    empty_wallet(db)
    at = app()
    at.switch_page("app_pages/import_badges.py").run()
    no_crash(at)
    zipped = io.BytesIO()
    with zipfile.ZipFile(zipped, "w") as z:
        z.writestr("a/first-aid.png", DEMO["first-aid.png"].path.read_bytes())
        z.writestr("a/community-mentor.svg", DEMO["community-mentor.svg"].path.read_bytes())
    at.file_uploader[0].set_value([
        ("web-accessibility.png", DEMO["web-accessibility.png"].path.read_bytes(), "image/png"),
        ("again.png", DEMO["web-accessibility.png"].path.read_bytes(), "image/png"),
        ("notes.txt", b"just some text, not a badge", "text/plain"),
        ("badges.zip", zipped.getvalue(), "application/zip"),
    ]).run()
    [go] = [b for b in at.button if b.label.startswith("Import 4 files")]
    go.click().run()
    no_crash(at)
    page = texts(at)
    assert "Results: 3 added, 1 already in your wallet, 1 not imported" in page
    # added badges are listed first, duplicates last
    assert page.index("web-accessibility.png — Added") < page.index("notes.txt — Not imported") \
        < page.index("again.png — Already in wallet")
    assert "web-accessibility.png — Added" in page
    assert "again.png — Already in wallet" in page
    assert "notes.txt — Not imported" in page and "This file is not a badge" in page
    assert "first-aid.png — Added" in page and "flagged expired" in page
    assert "community-mentor.svg — Added" in page and "flagged revoked" in page
    assert {e.verdict for e in Wallet(db).entries()} == {"valid", "expired", "revoked"}


CORPUS_BADGE = ROOT / "tests" / "fixtures" / "digitalcredentials-vc-test-fixtures" / "vc" / "v2" / \
    "dataIntegrityProof" / "didKey" / "legacyRegistry-noStatus-noExpiry-alignments.json"


def test_import_real_corpus_badge_then_see_it_in_the_wallet(db):
    """A real OB 3.0 credential from digitalcredentials/vc-test-fixtures (did:key, verifies offline)."""
    at = app()
    at.switch_page("app_pages/import_badges.py").run()
    at.file_uploader[0].set_value((CORPUS_BADGE.name, CORPUS_BADGE.read_bytes(), "application/json")).run()
    [go] = [b for b in at.button if b.label == "Import 1 file"]
    go.click().run()
    no_crash(at)
    assert "Added “Text analysis”: it is genuine." in texts(at)
    at.switch_page("app_pages/my_wallet.py").run()
    assert "Text analysis" in texts(at)
    assert len([b for b in at.button if b.label == "Details"]) == len(DEMO) + 1


def test_import_by_paste_json_and_garbage(db):
    empty_wallet(db)
    at = app()
    at.switch_page("app_pages/import_badges.py").run()
    assertion = (DEMO_DIR / "hosted" / "assertions" / "workshop-participant.json").read_text()
    at.text_area(key="paste_text").set_value(assertion)
    at.form_submit_button[0].click().run()
    no_crash(at)
    assert "Added “Open Badges Workshop Participant”: it is genuine." in texts(at)
    at.text_area(key="paste_text").set_value("{not json at all")
    at.form_submit_button[0].click().run()
    no_crash(at)
    page = texts(at)
    assert "Not imported" in page and "malformed" in page
    assert [e.name for e in Wallet(db).entries()] == ["Open Badges Workshop Participant"]


def test_badge_text_is_never_markup(db):
    """Names and descriptions are escaped: no link, image, HTML or directive reaches the page."""
    empty_wallet(db)
    name = "Evil ![pixel](https://evil.example/p.png) <script>alert(1)</script> :red[red] **bold**"
    Wallet(db, offline=True).import_files([("evil.png", own_badge(name))])
    at = app()
    no_crash(at)
    entry = Wallet(db).entries()[0]
    at.button(key=f"open_{entry.id}").click().run()
    no_crash(at)
    hostile = [m.value for m in [*at.markdown, *at.caption, *at.title, *at.subheader]
               if "Evil" in m.value or "evil.example" in m.value or "Test Issuer" in m.value]
    assert len(hostile) >= 3  # title, description, issuer line
    own_markup = re.compile(r":\w+\[:material/\w+:\]|\*\*[A-Za-z' ]+:?\*\*( —)?")  # icons, labels
    for value in hostile:
        badge_text = own_markup.sub("", value)
        # Every Markdown/HTML-significant character coming from the badge is backslash-escaped.
        assert not re.search(r"(?<!\\)[<>\[\]!*:_`]", badge_text), value
    assert not at.html
    # ... yet the text itself is shown, readable.
    assert "Evil ![pixel](https://evil.example/p.png) <script>alert(1)</script>" in texts(at)


# --- recruiter page -------------------------------------------------------------------------------

def test_recruiter_check_shows_verdict_and_stores_nothing(db):
    at = app()
    before = len(Wallet(db).entries())
    at.switch_page("app_pages/verify_badge.py").run()
    at.file_uploader(key="recruiter_file").set_value(
        ("lab-safety.png", DEMO["lab-safety.png"].path.read_bytes(), "image/png")).run()
    no_crash(at)
    [box] = at.error
    assert box.value.startswith("### Revoked") and "revoked by its issuer" in box.value
    page = texts(at)
    assert "Laboratory Safety Induction" in page and "Revocation — The issuer has revoked this badge" in page
    # the reason for a revocation is plain words, so it is in the big box; every check sits in an expander
    assert "reason given" in box.value
    assert any(e.label.startswith("Technical details: every check") for e in at.expander)
    assert len(Wallet(db).entries()) == before

    at.file_uploader(key="recruiter_file").set_value(
        ("data-analysis.png", DEMO["data-analysis.png"].path.read_bytes(), "image/png")).run()
    assert at.success and at.success[0].value.startswith("### Verified")


def test_recruiter_paste_of_garbage_says_why(db):
    at = app()
    at.switch_page("app_pages/verify_badge.py").run()
    at.text_area(key="recruiter_text").set_value("hello, is this a badge?")
    at.form_submit_button[0].click().run()
    no_crash(at)
    assert not at.error  # not a badge is not a forgery: an orange "No badge found", not a red alarm
    assert at.warning[0].value.startswith("### No badge found")
    assert "We could not read a badge in what you pasted" in at.warning[0].value
    assert "expected JSON, a signed badge or a URL" in texts(at)


# --- share page and the public portfolio ----------------------------------------------------------

def _share(at: AppTest, names: list[str], title: str) -> str:
    at.switch_page("app_pages/share_links.py").run()
    ms = at.multiselect(key="share_badges")
    ids = [i for i in ms.options]  # options are the formatted labels
    chosen = [o for o in ids if any(o.startswith(n + " (") for n in names)]
    assert len(chosen) == len(names)
    for option in chosen:
        ms.select(option)
    at.text_input(key="share_title").set_value(title)
    at.form_submit_button[0].click().run()
    no_crash(at)
    code = at.code[0]  # the portfolio link; then one per badge (its one-badge page)
    return code.value


def test_share_creates_lists_and_revokes_a_link(db):
    at = app()
    link = _share(at, ["Spreadsheet Modelling"], "For the interview")
    assert link.startswith("http://wallet.test/?p=") and len(link.split("=", 1)[1]) >= 22
    assert at.image, "a QR code is shown"
    page = texts(at)
    assert "For the interview" in page and "Active" in "\n".join(m.value for m in at.markdown)
    [portfolio] = Wallet(db).portfolios()
    at.button(key=f"revoke_{portfolio.id}").click().run()
    no_crash(at)
    assert Wallet(db).portfolios()[0].revoked_at is not None
    assert any("Revoked" in m.value for m in at.markdown)
    assert not at.code, "the withdrawn link is no longer offered"


def test_public_portfolio_shows_only_the_chosen_badge(db):
    app()  # first run: demo badges
    w = Wallet(db)
    chosen = next(e for e in w.entries() if e.name == "Data Analysis Essentials")
    _, link = w.create_portfolio([chosen.id], "Alex's data skills", expires_days=30)
    token = link.split("?p=", 1)[1]
    at = app(p=token)
    no_crash(at)
    page = texts(at)
    assert at.title[0].value.replace("\\", "") == "Alex's data skills"
    assert "Data Analysis Essentials" in page
    for other in DEMO.values():
        if other.name != chosen.name:
            assert other.name not in page and other.filename not in page
    assert "It is the link that expires, not the badges" in page
    assert "This badge is genuine" in page
    # The demo issuer's documents come from a local copy: its name is shown as a claim, its host beside it.
    assert "Issuer: calls itself “Demo University of Badges” (not confirmed) · issuer.demo.example" in page
    assert "Issuer not confirmed" in page
    assert "issued 14 March 2025" in page
    [download] = at.download_button
    assert download.label == "Download the original badge file"
    # No wallet content or navigation: no cards, no filters, no import, nothing in the sidebar.
    assert not [b for b in at.button if b.label == "Details"]
    assert not at.selectbox and not at.file_uploader and not at.metric and not at.tabs
    assert not at.sidebar.children


def test_public_only_instance_never_serves_the_wallet(db, monkeypatch):
    app()  # first run: demo badges
    w = Wallet(db)
    chosen = next(e for e in w.entries() if e.name == "Data Analysis Essentials")
    _, link = w.create_portfolio([chosen.id], "Public one", expires_days=30)
    monkeypatch.setenv("BADGE_WALLET_PUBLIC_ONLY", "1")
    bare = app()  # the visitor removed ?p= from the link
    no_crash(bare)
    assert bare.title[0].value == "Portfolio not found"
    assert not [b for b in bare.button if b.label == "Details"] and not bare.file_uploader
    assert not any(d.name in texts(bare) for d in DEMO.values())
    shared = app(p=link.split("?p=", 1)[1])
    assert "Data Analysis Essentials" in texts(shared)


def test_public_portfolio_hides_the_email_unless_opted_in(db):
    app()
    w = Wallet(db)
    chosen = next(e for e in w.entries() if e.name == "Micro-credential in Web Accessibility")
    hidden = w.create_portfolio([chosen.id], "Hidden")[1].split("?p=", 1)[1]
    shown = w.create_portfolio([chosen.id], "Shown", show_email=True)[1].split("?p=", 1)[1]

    at = app(p=hidden)
    no_crash(at)
    page = texts(at)
    assert "did:key:z6Mk" in page  # the issuer's DID beside its name
    assert "alex.morgan@example.org" not in page and "hidden by the badge owner" in page
    assert not at.download_button and "shows the recipient's email" in page

    at = app(p=shown)
    no_crash(at)
    page = texts(at)
    assert "alex.morgan@example.org" in page
    assert [d.label for d in at.download_button] == ["Download the original badge file"]


@pytest.mark.parametrize("case", ["revoked", "expired", "unknown"])
def test_closed_portfolio_pages(db, case):
    app()
    w = Wallet(db)
    entry = w.entries()[0]
    if case == "expired":
        past = Wallet(db, now=datetime.now(UTC) - timedelta(days=10))
        _, link = past.create_portfolio([entry.id], "Old link", expires_days=1)
    else:
        _, link = w.create_portfolio([entry.id], "Some link")
    token = link.split("?p=", 1)[1]
    if case == "revoked":
        w.revoke_portfolio(token)
    if case == "unknown":
        token = token[:-4] + "AAAA"
    at = app(p=token)
    no_crash(at)
    expected = {"revoked": "This link was withdrawn", "expired": "This link has expired",
                "unknown": "Portfolio not found"}[case]
    assert at.title[0].value == expected
    page = texts(at)
    assert entry.name not in page
    assert not at.download_button and not at.button
    if case == "expired":
        assert "It is the link that expired, not the badges" in page
