"""In a real Chromium: a visitor's browser talks to the app's own host only, and badge text stays text.

Every request the pages make (documents, scripts, fonts, favicon, images, websockets) is recorded;
any host but the app's is a leak of who looks at the page (e.g. a font or icon CDN).
"""
from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from support.ob2_badges import tiny_png
from support.streamlit_server import BROWSER_MARKS, CHROMIUM, running_app
from support.wallet_badges import baked_ob3_badge

from wallet import Wallet

pytestmark = [*BROWSER_MARKS, pytest.mark.attack]
NAME = "Hostile :material/verified: :smile: badge"


@pytest.fixture
def server(tmp_path):
    with running_app(tmp_path) as base:
        yield base


def test_pages_fetch_nothing_from_third_parties_and_show_codes_as_text(server, tmp_path):
    from playwright.sync_api import expect, sync_playwright

    wallet = Wallet(tmp_path / "wallet.json", public_url=server)
    png = baked_ob3_badge(tiny_png(), 0x33, credential_id="urn:uuid:9e8f7f4e-3f1b-4f4e-9d53-7e1c2b7a9a10",
                          name=NAME, issuer_name="Icon \u202eTest\u202c Academy", valid_from="2025-06-01T00:00:00Z",
                          achievement={"description": "Shown as text.", "criteria": {"narrative": "n"}})
    entry_id = wallet.import_file("hostile.png", png).entry_id
    _, link = wallet.create_portfolio([entry_id], "Public page")
    requests: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True,
                                    args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        try:
            context = browser.new_context(viewport={"width": 1400, "height": 1000})
            context.set_default_timeout(60_000)
            context.on("request", lambda r: requests.append(r.url))
            page = context.new_page()
            for url, marker in ((server + "/", "Hostile"), (link, "Public page")):
                page.goto(url)
                expect(page.get_by_text(marker).first).to_be_visible(timeout=60_000)
                page.wait_for_load_state("networkidle")
                body = page.locator("body").inner_text().replace("\u2060", "")
                assert ":material/verified:" in body and ":smile:" in body  # text, not an icon or emoji
                assert "\u202e" not in body and "Icon Test Academy" in body
        finally:
            browser.close()
    app_host = urlsplit(server).hostname
    hosts = {urlsplit(u).hostname for u in requests if urlsplit(u).scheme in ("http", "https", "ws", "wss")}
    assert hosts == {app_host}, sorted(u for u in requests if urlsplit(u).hostname != app_host)
    assert any("favicon" in u or "/media/" in u for u in requests)  # the page icon is served by the app
