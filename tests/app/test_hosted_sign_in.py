"""Hosted mode in a real headless Chromium: the real OIDC authorization-code flow against a local
OpenID provider (``oidc-provider-mock``, started here), two learners and two app processes over
one PostgreSQL.

The app runs as ``streamlit run app.py`` with ``BADGE_WALLET_DB=postgresql://…`` and an ``[auth]``
section pointing at the provider; nothing leaves 127.0.0.1.
"""
from __future__ import annotations

import os
import secrets
import shutil

import pytest
from support.paths import ROOT
from support.streamlit_server import BROWSER_MARKS, CHROMIUM, free_port, start, stop, wait_healthy

pytestmark = BROWSER_MARKS


@pytest.fixture
def provider(monkeypatch):
    monkeypatch.setenv("AUTHLIB_INSECURE_TRANSPORT", "1")  # the local provider speaks plain http
    from oidc_provider_mock import run_server_in_thread

    with run_server_in_thread() as server:
        yield f"http://localhost:{server.server_port}"


@pytest.fixture
def hosted_app(pg_url, provider, tmp_path):
    """Two app processes over one database with the same secrets (as behind a load balancer)."""
    ports = [free_port(), free_port()]
    bases = [f"http://localhost:{port}" for port in ports]
    home = tmp_path / "site"
    (home / ".streamlit").mkdir(parents=True)
    shutil.copy(ROOT / ".streamlit" / "config.toml", home / ".streamlit" / "config.toml")
    (home / ".streamlit" / "secrets.toml").write_text(
        "[auth]\n"
        f'redirect_uri = "{bases[0]}/oauth2callback"\n'
        f'cookie_secret = "{secrets.token_urlsafe(32)}"\n'
        'client_id = "badge-wallet"\n'
        'client_secret = "test-secret"\n'
        f'server_metadata_url = "{provider}/.well-known/openid-configuration"\n')
    logs = [tmp_path / "streamlit-a.log", tmp_path / "streamlit-b.log"]
    env = {**os.environ, "BADGE_WALLET_DB": pg_url, "BADGE_WALLET_PUBLIC_URL": bases[1],
           "BADGE_WALLET_ALLOW_HOSTS": "", "AUTHLIB_INSECURE_TRANSPORT": "1", "HOME": str(home),
           "BADGE_WALLET_DEMO": "1"}  # the "Load demo badges" button
    procs = [start(port, env, log, cwd=home) for port, log in zip(ports, logs, strict=True)]
    try:
        for base, proc, log in zip(bases, procs, logs, strict=True):
            wait_healthy(base, proc, log)
        yield bases, provider, logs
    finally:
        for proc in procs:
            stop(proc)


def sign_in(page, base: str, sub: str) -> None:
    from playwright.sync_api import expect

    page.goto(base + "/")
    expect(page.get_by_role("heading", name="Your badge wallet")).to_be_visible()
    page.get_by_role("button", name="Sign in").click()
    page.locator("input[name=sub]").fill(sub)  # the provider's own authorization form
    page.get_by_role("button", name="Authorize").click()
    expect(page.get_by_role("heading", name="My badges")).to_be_visible()


def test_real_oidc_sign_in_gives_each_learner_their_own_wallet(hosted_app, pg_url):
    from playwright.sync_api import expect, sync_playwright

    from wallet.hosted import HostedWallet
    from wallet.sql_store import SQLStore

    (base, second), provider, logs = hosted_app
    expect.set_options(timeout=60_000)  # assertions wait as long as actions: CI machines can be busy
    alice, bob = f"alice-{secrets.token_hex(4)}", f"bob-{secrets.token_hex(4)}"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True,
                                    args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        try:
            # A stranger reaches the sign-in screen and the check page, never a wallet page.
            stranger = browser.new_context().new_page()
            stranger.set_default_timeout(60_000)
            stranger.goto(base + "/share_links")
            expect(stranger.get_by_role("heading", name="Your badge wallet")).to_be_visible()
            expect(stranger.get_by_role("link", name="Check a badge")).to_be_visible()
            expect(stranger.get_by_role("link", name="Share")).to_have_count(0)
            expect(stranger.get_by_role("link", name="Import")).to_have_count(0)

            page = browser.new_context().new_page()
            page.set_default_timeout(60_000)
            sign_in(page, base, alice)
            expect(page.get_by_text("Your wallet is empty")).to_be_visible()  # no demo badges for a new learner
            page.get_by_role("button", name="Load demo badges").click()
            expect(page.get_by_text("Data Analysis Essentials").first).to_be_visible()

            # Alice's badges are stored under the provider's issuer + her subject, not her e-mail.
            stored = SQLStore(pg_url, f"{provider} {alice}").entries()
            assert len(stored) >= 6
            assert SQLStore(pg_url, alice).entries() == []

            # Her link, made by the first process, opens for a stranger on the second one.
            _, link = HostedWallet(pg_url, owner=f"{provider} {alice}", public_url=second).create_portfolio(
                [stored[0]["id"]], "Alice across processes")
            assert link.startswith(second + "/?p=")
            stranger.goto(link)
            expect(stranger.get_by_role("heading", name="Alice across processes")).to_be_visible()
            expect(stranger.get_by_text(stored[0]["badge"]["name"]).first).to_be_visible()

            other = browser.new_context().new_page()
            other.set_default_timeout(60_000)
            sign_in(other, base, bob)
            expect(other.get_by_text("Your wallet is empty")).to_be_visible()
            expect(other.get_by_text("Data Analysis Essentials")).to_have_count(0)

            page.get_by_role("button", name="Sign out").click()
            page.get_by_role("button", name="End session").click()  # the provider's logout page
            expect(page.get_by_role("heading", name="Your badge wallet")).to_be_visible()
            expect(page.get_by_role("link", name="Share")).to_have_count(0)
        finally:
            browser.close()
    for log in logs:
        assert "Traceback" not in log.read_text(errors="replace")
