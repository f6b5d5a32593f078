"""Hosted mode in AppTest: no sign-in configured stops the app; a stranger opens a link without signing in."""
from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest
from support.paths import ROOT
from support.postgres import fresh_owner

from wallet.auth import SignInError, check_auth_section, owner_key, providers
from wallet.demo import demo_files
from wallet.mode import ConfigError
from wallet.service import Wallet

APP = str(ROOT / "app.py")


def test_owner_key_is_issuer_and_subject_never_the_email():
    assert owner_key({"iss": "https://idp.test", "sub": "42", "email": "a@b.c"}) == "https://idp.test 42"
    assert owner_key({"iss": "https://idp.test", "sub": "42"}) != owner_key({"iss": "https://other.test", "sub": "42"})
    for claims in ({"email": "a@b.c"}, {"iss": "https://idp.test"}, {"sub": "42"}, {"iss": "", "sub": "1"},
                   {"iss": "a b", "sub": "1"}, {"iss": "https://idp.test", "sub": 42}):
        with pytest.raises(SignInError):
            owner_key(claims)


def test_auth_section_must_name_a_provider():
    good = {"redirect_uri": "https://w/oauth2callback", "cookie_secret": "s" * 32, "client_id": "c",
            "client_secret": "x", "server_metadata_url": "https://idp/.well-known/openid-configuration"}
    check_auth_section(good)
    named = {"redirect_uri": "r", "cookie_secret": "s", "google": {"client_id": "c", "server_metadata_url": "u"}}
    check_auth_section(named)
    assert providers(named) == ["google"]
    for bad in (None, {}, {k: v for k, v in good.items() if k != "cookie_secret"},
                {k: v for k, v in good.items() if k != "client_id"}):
        with pytest.raises(ConfigError, match=r"\[auth\]"):
            check_auth_section(bad)


def test_hosted_mode_without_sign_in_configured_serves_nothing(monkeypatch, tmp_path):
    monkeypatch.setenv("BADGE_WALLET_DB", "postgresql://nobody@127.0.0.1:9/none")
    monkeypatch.delenv("BADGE_WALLET_PUBLIC_ONLY", raising=False)
    monkeypatch.chdir(tmp_path)  # no .streamlit/secrets.toml here
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    assert "needs sign-in" in at.error[0].value
    assert not at.title and not at.button


def test_stranger_opens_a_hosted_portfolio_link_without_signing_in(pg_url, monkeypatch):
    owner = fresh_owner("alice")
    wallet = Wallet(pg_url, owner=owner, public_url="https://badges.example.org")
    demo = demo_files()[0]
    entry_id = wallet.import_file(demo.filename, demo.path.read_bytes()).entry_id
    _, link = wallet.create_portfolio([entry_id], "Alice's hosted page")
    monkeypatch.setenv("BADGE_WALLET_DB", pg_url)
    monkeypatch.delenv("BADGE_WALLET_PUBLIC_ONLY", raising=False)
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["p"] = link.split("?p=", 1)[1]
    at.run()
    assert not at.exception
    assert at.title[0].value == "Alice's hosted page"
    from app_pages import state
    from wallet.mode import ReadOnlyStore
    from wallet.settings import settings_from_env
    from wallet.sql_store import SQLCheckCache

    public = state._open_read_only(settings_from_env(), owner)  # as the app opens it: BADGE_WALLET_DB
    assert isinstance(public.store, ReadOnlyStore) and public.store.inner.owner == owner
    # no results file on the app host: the table every process shares, of this owner only
    assert isinstance(public.check_cache, SQLCheckCache) and public.check_cache.owner == owner
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["p"] = "x" * 43
    at.run()
    assert at.title[0].value == "Portfolio not found"
