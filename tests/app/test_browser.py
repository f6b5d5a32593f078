"""End to end in a real headless Chromium: import a badge, see its verdict, share it, open the link.

Starts ``streamlit run app.py`` on a free port with a temporary wallet, drives Debian's chromium
(``/usr/bin/chromium``; skipped without it) with Playwright, and always stops the server. The server
needs no network: the demo badges verify through the local mirror and the imported badge is an
OB 3.0 credential signed here with a did:key.

Set ``BADGE_WALLET_SCREENSHOTS=/some/dir`` to keep screenshots of each step.
"""
from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from support.streamlit_server import BROWSER_MARKS, CHROMIUM, running_app
from support.wallet_badges import baked_ob3_badge

from wallet.demo import demo_files

BADGE_NAME = "Browser Test Badge"

pytestmark = BROWSER_MARKS


@pytest.fixture
def server(tmp_path):
    with running_app(tmp_path) as base:
        yield base


def signed_badge(path: Path) -> Path:
    """A baked OB 3.0 badge that verifies offline (did:key issuer)."""
    png = next(f for f in demo_files() if f.path.suffix == ".png").path.read_bytes()
    path.write_bytes(baked_ob3_badge(
        png, 0x2A, credential_id="urn:uuid:0e8f7f4e-3f1b-4f4e-9d53-7e1c2b7a9a10", name=BADGE_NAME,
        issuer_name="Browser Test Academy", valid_from="2025-06-01T00:00:00Z",
        achievement={"id": "https://academy.test/achievements/browser", "description": "Drove a real browser.",
                     "criteria": {"narrative": "Pass the end-to-end test."}}))
    return path


ICON_NAMES = ("check_circle", "remove_circle_outline", "event_busy", "link_off", "open_in_new", "workspace_premium")


def _public_page_as_a_recruiter(browser, public, one_badge: str, shots: Path) -> None:
    """Accessibility and the one-badge page, as a stranger: the title names the portfolio, images have alt
    text, no icon name is read out; the one-badge page fits a 375 px phone."""
    from playwright.sync_api import expect

    assert "Browser portfolio" in public.title()
    image = public.locator("[data-testid=stImage] img, [data-testid=stFullScreenFrame] img").first
    expect(image).to_have_attribute("alt", f"Badge image: {BADGE_NAME}")
    public.get_by_text("Why this category, and every check").first.click()
    expect(public.get_by_text("Passed").first).to_be_visible()
    snapshot = public.locator("[data-testid=stMain]").aria_snapshot()
    (shots / "public-aria.txt").write_text(snapshot)
    assert not re.search(r'img "[a-z_]+ icon"', snapshot), snapshot  # Streamlit's Markdown icons read as names
    assert not re.search(r"\b(" + "|".join(ICON_NAMES) + r")\b", snapshot), snapshot
    expect(public.get_by_text("Checked with its issuer").first).to_be_visible()

    phone = browser.new_context(viewport={"width": 375, "height": 812}, is_mobile=True)
    phone.set_default_timeout(60_000)
    page = phone.new_page()
    page.goto(one_badge)
    expect(page.get_by_role("heading", name=BADGE_NAME).first).to_be_visible()
    expect(page.get_by_text("One badge from a portfolio").first).to_be_visible()
    assert page.title().startswith(BADGE_NAME)  # the tab names the badge of a one-badge page
    page.screenshot(path=str(shots / "5-one-badge-phone.png"), full_page=True)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 380, f"the page scrolls sideways on a phone ({width} px)"


def test_import_share_and_open_portfolio_in_a_fresh_browser(server, tmp_path):
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=60_000)  # the first run imports the demo set: slow on a busy machine
    shots = Path(os.environ.get("BADGE_WALLET_SCREENSHOTS") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    badge_file = signed_badge(tmp_path / "browser-test-badge.png")
    other = "Data Analysis Essentials"  # a demo badge that is in the wallet but not shared

    expect.set_options(timeout=30_000)  # two shared cores: a first render can take more than 5 s
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True,
                                    args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        try:
            learner = browser.new_context(viewport={"width": 1400, "height": 1000})
            learner.set_default_timeout(60_000)
            page = learner.new_page()

            # First run: the wallet opens with the demo badges.
            page.goto(server + "/")
            expect(page.get_by_text(other).first).to_be_visible()
            page.screenshot(path=str(shots / "1-wallet.png"))

            # Import a badge through the real file input, and see its verdict.
            page.get_by_role("link", name="Import").click()
            expect(page.get_by_role("heading", name="Import badges")).to_be_visible()
            page.locator("input[type=file]").first.set_input_files(str(badge_file))
            page.get_by_role("button", name="Import 1 file").click()
            expect(page.get_by_text(f"Added “{BADGE_NAME}”: it is genuine.")).to_be_visible()
            expect(page.get_by_text("Verified").first).to_be_visible()

            # Who the issuer is, at a glance: its did:key confirms no name, on the card and the check page.
            page.get_by_role("link", name="My badges").click()
            expect(page.get_by_text("Issuer not confirmed").first).to_be_visible()
            expect(page.get_by_text("calls itself “Browser Test Academy”").first).to_be_visible()
            page.get_by_role("link", name="Check a badge").click()
            page.locator("input[type=file]").first.set_input_files(str(badge_file))
            expect(page.get_by_text("This badge is genuine").first).to_be_visible()
            expect(page.get_by_text("Issuer not confirmed").first).to_be_visible()
            expect(page.get_by_text("the issuer only calls itself “Browser Test Academy”").first).to_be_visible()
            page.screenshot(path=str(shots / "2b-check.png"))
            page.screenshot(path=str(shots / "2-imported.png"))

            # Share only that badge.
            page.get_by_role("link", name="Share").click()
            expect(page.get_by_role("heading", name="Make a portfolio link")).to_be_visible()
            picker = page.locator("[data-testid=stMultiSelect] input").first
            picker.click()
            picker.fill(BADGE_NAME)
            page.get_by_role("option", name=re.compile(re.escape(BADGE_NAME))).click()
            page.keyboard.press("Escape")
            title = page.get_by_label("Title")
            title.fill("Browser portfolio")
            title.press("Tab")
            page.get_by_role("button", name="Create link").click()
            code = page.locator("[data-testid=stCode] code").first
            expect(code).to_contain_text("?p=")
            link = code.inner_text().strip()
            assert link.startswith(server + "/?p=")
            one_badge = page.locator("[data-testid=stCode] code").nth(1).inner_text().strip()
            assert one_badge.startswith(link + "&b=")  # the one-badge page offered beside it
            page.screenshot(path=str(shots / "3-shared.png"))

            # A stranger opens the link in a fresh context: only the chosen badge, no wallet.
            stranger = browser.new_context(viewport={"width": 1400, "height": 1000})
            stranger.set_default_timeout(60_000)
            public = stranger.new_page()
            public.goto(link)
            expect(public.get_by_role("heading", name="Browser portfolio")).to_be_visible()
            expect(public.get_by_text(BADGE_NAME).first).to_be_visible()
            expect(public.get_by_text("This badge is genuine").first).to_be_visible()
            expect(public.get_by_text("Issuer not confirmed").first).to_be_visible()
            expect(public.get_by_role("button", name="Download the original badge file")).to_be_visible()
            public.screenshot(path=str(shots / "4-public.png"))
            body = public.locator("body").inner_text()
            assert other not in body
            assert "Import" not in body and "My badges" not in body
            assert public.get_by_role("link", name="Import").count() == 0
            _public_page_as_a_recruiter(browser, public, one_badge, shots)
        finally:
            browser.close()
