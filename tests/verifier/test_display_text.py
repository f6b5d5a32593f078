"""Badge text shown safely as text: no bidi/control characters, no terminal escapes, in the library and both
command lines (the app's pages: test_app_display_text)."""
from __future__ import annotations

import json

import pytest
from support.hostile_text import HOSTILE, hostile_badge

from verifier.cli import main as verify_cli
from verifier.safetext import display_text, json_text, terminal_text
from wallet.cli import main as wallet_cli

pytestmark = pytest.mark.attack


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


def test_both_command_lines_neutralise_terminal_escapes(tmp_path, capsys):
    png = tmp_path / "hostile.png"
    png.write_bytes(hostile_badge())
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


