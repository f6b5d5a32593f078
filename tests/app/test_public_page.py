"""The public page as a visitor sees it (AppTest): whose badge, who classified it, one-badge pages,
stored results first, and the Share page's LinkedIn offer only for valid badges."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

from support.apptest import app, no_crash, texts

from wallet.portfolio import badge_link
from wallet.service import Wallet

DEMO_EMAIL = "alex.morgan@example.org"


def _demo(db) -> tuple[Wallet, dict]:
    app()  # first run: demo badges
    w = Wallet(db)
    return w, {e.name: e for e in w.entries()}


def test_visitor_sees_whose_badge_the_owner_name_and_who_classified_it(db):
    w, by_name = _demo(db)
    data = by_name["Spring Hackathon 2025"]
    access = by_name["Micro-credential in Web Accessibility"]
    w.add_identity(DEMO_EMAIL)
    w.set_display_name("Alex Morgan")
    w.set_override(data.id, "micro-credential")
    assert w.get(data.id).category == "badge"  # the rules (the issuer's data) say plain badge
    _, link = w.create_portfolio([data.id, access.id], "Alex's skills")
    at = app(p=link.split("?p=", 1)[1])
    no_crash(at)
    page = texts(at)
    assert "Shared by Alex Morgan (the name the owner gave)" in page
    assert "Whose badge: Issued to the owner of this portfolio, as far as the owner says" in page
    assert DEMO_EMAIL not in page  # matched, yet the hidden address is never shown
    chips = "\n".join(m.value for m in at.markdown if "-badge[" in m.value)
    assert "classified by the owner; the issuer did not declare it" in chips.replace("\\", "")
    assert chips.count("classified by the owner") == 1  # the issuer-declared one says nothing of the kind
    assert "Checked with its issuer" in page


def test_one_badge_page(db):
    w, by_name = _demo(db)
    entry = by_name["Data Analysis Essentials"]
    other = next(e for e in by_name.values() if e.id != entry.id)
    _, link = w.create_portfolio([entry.id, other.id], "Two")
    token = link.split("?p=", 1)[1]
    at = app(p=token, b=entry.id)
    no_crash(at)
    assert at.title[0].value.replace("\\", "") == "Data Analysis Essentials"
    page = texts(at)
    assert "One badge from a portfolio" in page and other.name not in page


def test_stale_results_are_shown_then_checked_again(db):
    w, by_name = _demo(db)
    entry = by_name["Data Analysis Essentials"]
    old = datetime.now(UTC) - timedelta(hours=2)
    w.store.update_entries({entry.id: {"verified_at": old.isoformat()}})
    _, link = w.create_portfolio([entry.id], "T")
    at = app(p=link.split("?p=", 1)[1])
    no_crash(at)
    page = texts(at)
    assert "Checked with its issuer just now." in page and "checking again now" not in page
    w2 = Wallet(db)
    assert w2.get(entry.id).verified_at == old  # the owner's wallet is not written by a public page…
    assert w2.open_portfolio(link, refresh=False).badges[0].freshness == "cached"  # …the check cache is


def test_share_page_offers_linkedin_only_for_valid_badges(db):
    w, by_name = _demo(db)
    valid = by_name["Data Analysis Essentials"]
    revoked = next(e for e in by_name.values() if e.verdict == "revoked")
    at = app()
    at.switch_page("app_pages/share_links.py").run()
    ms = at.multiselect(key="share_badges")
    for option in ms.options:
        if option.startswith((valid.name + " (", revoked.name + " (")):
            ms.select(option)
    at.form_submit_button[0].click().run()
    no_crash(at)
    link = at.code[0].value
    pages = [c.value for c in at.code[1:]]
    assert badge_link(link, valid.id) in pages and badge_link(link, revoked.id) in pages
    buttons = [b for b in at.link_button if "linkedin.com" in b.proto.url]
    assert len(buttons) == 1 and "certUrl=" in buttons[0].proto.url
    assert valid.id in buttons[0].proto.url  # the one-badge page of the valid badge is the certification URL
    assert "LinkedIn is offered only for badges that verify" in texts(at)


def test_identities_on_the_share_page(db):
    _demo(db)
    at = app()
    at.switch_page("app_pages/share_links.py").run()
    at.text_input(key="identity_value").set_value("not-an-address")
    next(b for b in at.form_submit_button if b.label == "Add").click().run()
    assert "is not an e-mail address" in texts(at)
    at.text_input(key="identity_value").set_value(DEMO_EMAIL)
    next(b for b in at.form_submit_button if b.label == "Add").click().run()
    no_crash(at)
    assert [i.value for i in Wallet(db).identities()] == [DEMO_EMAIL]
    at.text_input(key="display_name_value").set_value("Alex Morgan")
    next(b for b in at.form_submit_button if b.label == "Save name").click().run()
    assert Wallet(db).display_name() == "Alex Morgan"


def test_share_page_offers_a_signed_presentation(db):
    import json

    from support.data_integrity import fixed_key_credential

    from verifier import verify

    w, _ = _demo(db)
    holder = w.holder_key().did
    eid = w.import_file("vp.json", json.dumps(fixed_key_credential(holder, "For the VP")).encode()).entry_id
    at = app()
    at.switch_page("app_pages/share_links.py").run()
    at.multiselect(key="vp_badges").select(eid)
    at.text_input(key="vp_challenge").set_value("abc").run()
    no_crash(at)
    assert [d.label for d in at.download_button if "presentation" in d.label] == ["Download the signed presentation"]
    assert f"Signed as {holder}" in texts(at)
    assert verify(w.presentation([eid], challenge="abc"), challenge="abc").verdict == "valid"
