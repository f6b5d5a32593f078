"""Badge text shown safely: no bidi/control characters, no icon or emoji codes, no terminal escapes."""
from __future__ import annotations

import json
import re

from streamlit.testing.v1 import AppTest
from support.ob2_badges import tiny_png
from support.paths import ROOT
from support.wallet_badges import NOW, baked_ob3_badge

from app_pages.ui import md
from verifier.cli import main as verify_cli
from verifier.safetext import display_text, json_text, terminal_text
from wallet import Wallet
from wallet.cli import main as wallet_cli

ESCAPES = "\x1b[2J\x1b]0;owned\x07\x9b31m"  # clear screen, set window title, 8-bit CSI
BIDI = "\u202egpj.exe\u202c"  # shown as "exe.jpg" backwards
HOSTILE = f"Hostile {ESCAPES}{BIDI} :material/verified: :smile: \u200bzero\ufeffwidth\U000e0041"


def test_display_text_removes_bidi_invisible_and_control_characters():
    assert display_text(HOSTILE) == "Hostile [2J]0;owned31mgpj.exe :material/verified: :smile: zerowidth"
    assert display_text("line\u2028two\r\nthree") == "line two \nthree"
    assert display_text("ناصر\u200c") == "ناصر\u200c"  # the zero-width non-joiner is writing, kept


def test_terminal_text_shows_escapes_instead_of_obeying_them():
    out = terminal_text(HOSTILE + "\nnext\tcol")
    assert "\x1b" not in out and "\x07" not in out and "\x9b" not in out and "\u202e" not in out
    assert "\\x1b[2J" in out and "\\x9b31m" in out and out.endswith("\nnext\tcol")


def test_json_text_is_the_same_json_without_raw_controls():
    doc = {"name": HOSTILE}
    text = json_text(json.dumps(doc, ensure_ascii=False))
    assert json.loads(text) == doc
    assert not any(ch in text for ch in ("\x1b", "\x9b", "\u202e", "\u202c", "\U000e0041"))


def test_md_neutralises_icons_emoji_codes_and_directives():
    out = md(HOSTILE)
    assert ":material/" not in out and ":smile:" not in out
    assert "\u202e" not in out and "\x1b" not in out
    assert md(":red-badge[valid]").count("[") == md(":red-badge[valid]").count("\\[")
    assert md("at 10:30") .replace("\u2060", "") == "at 10\\:30"


def _hostile_badge() -> bytes:
    return baked_ob3_badge(tiny_png(), 0x21, credential_id="urn:uuid:11111111-2222-4333-8444-555555555555",
                           name=HOSTILE, issuer_name=f"Issuer {ESCAPES}", valid_from="2025-01-01T00:00:00Z",
                           achievement={"description": f"desc {BIDI} :material/verified:",
                                        "criteria": {"narrative": "n"}})


def test_both_command_lines_neutralise_terminal_escapes(tmp_path, capsys):
    png = tmp_path / "hostile.png"
    png.write_bytes(_hostile_badge())
    db = str(tmp_path / "w.json")
    outputs = []
    for argv, run in ((["--db", db, "import", str(png)], wallet_cli), (["--db", db, "list"], wallet_cli),
                      (["--db", db, "list", "--json"], wallet_cli), (["--offline", str(png)], verify_cli),
                      (["--offline", "--json", str(png)], verify_cli)):
        run(argv)
        out, err = capsys.readouterr()
        outputs.append(out)
        for stream in (out, err):
            assert not any(ch in stream for ch in ("\x1b", "\x07", "\x9b", "\u202e")), (argv, stream)
    assert "Hostile \\x1b[2J" in outputs[1]  # seen, not obeyed
    assert json.loads(outputs[2])[0]["name"] == HOSTILE  # JSON keeps the exact value, escaped
    assert json.loads(outputs[4])["badge"]["name"] == HOSTILE


def test_wallet_page_shows_no_icon_codes_or_bidi_from_badge_text(tmp_path, monkeypatch):
    path = tmp_path / "wallet.json"
    monkeypatch.setenv("BADGE_WALLET_DB", str(path))
    w = Wallet(path, now=NOW, offline=True)
    assert w.import_file("h.png", _hostile_badge()).status == "added"
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
