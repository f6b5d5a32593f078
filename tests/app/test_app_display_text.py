"""Badge text shown safely in the app: no icon or emoji codes, no bidi or invisible characters on the
wallet page (the plain-text side, for the library and both command lines: test_display_text)."""
from __future__ import annotations

import re

import pytest
from streamlit.testing.v1 import AppTest
from support.hostile_text import HOSTILE, hostile_badge
from support.paths import ROOT
from support.wallet_badges import NOW

from app_pages.ui import md
from wallet import Wallet

pytestmark = pytest.mark.attack


def test_md_neutralises_icons_emoji_codes_and_directives():
    out = md(HOSTILE)
    assert ":material/" not in out and ":smile:" not in out
    assert "\u202e" not in out and "\x1b" not in out
    assert md(":red-badge[valid]").count("[") == md(":red-badge[valid]").count("\\[")
    assert md("at 10:30") .replace("\u2060", "") == "at 10\\:30"


def test_wallet_page_shows_no_icon_codes_or_bidi_from_badge_text(tmp_path, monkeypatch):
    path = tmp_path / "wallet.json"
    monkeypatch.setenv("BADGE_WALLET_DB", str(path))
    w = Wallet(path, now=NOW, offline=True)
    assert w.import_file("h.png", hostile_badge()).status == "added"
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    assert not at.exception
    values = [str(m.value) for m in at.markdown] + [str(c.value) for c in at.caption]
    shown = [v for v in values if "Hostile" in v or "Issuer" in v]
    assert shown
    for value in shown:
        # The app's own chips (verdict, issuer identity, category) carry Material icons; badge text must not.
        value = re.sub(r":[a-z]+-badge\[(:material/[a-z_]+: )?[A-Za-z' ]+\]", "", value)
        assert ":material/" not in value and ":smile:" not in value, value
        assert not any(ch in value for ch in ("\x1b", "\u202e", "\u200b", "\ufeff")), value
