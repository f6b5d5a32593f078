"""Resource limits in the app: a wallet holding lone surrogates opens without a crash."""
from __future__ import annotations

import pytest
from support.paths import ROOT
from support.surrogates import wallet_with_badge

pytestmark = pytest.mark.attack


def test_app_pages_with_a_surrogate_in_the_wallet_do_not_crash(tmp_path, monkeypatch):
    from streamlit.testing.v1 import AppTest
    db = tmp_path / "wallet.json"
    wallet, entry_id = wallet_with_badge(db)
    wallet.set_notes(entry_id, "note \ud800")
    wallet.create_portfolio([entry_id], "Title \ud800")
    monkeypatch.setenv("BADGE_WALLET_DB", str(db))
    monkeypatch.setenv("BADGE_WALLET_PUBLIC_URL", "http://wallet.test")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("Truth, veracity" in str(el.value) for el in at.markdown) or "Truth" in str(at)
