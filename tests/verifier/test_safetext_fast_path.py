"""The display-text filters skip their regular-expression passes only for text they would leave as it is."""
from __future__ import annotations

import random

import pytest

from verifier import json_text, terminal_text
from verifier.safetext import _CONTROL, _JSON_UNSAFE, _SEPARATORS, _STRIP, _may_change

ALPHABET = ["a", "Z", " ", "\n", "\t", "“", "é", "✓", "😀", "\r", "\x1b", "\x00", "\x7f", "\x85", "\u202e",
            "\u200b", "\ufeff", "\u2028", "\U000e0041", "\u061c", "\u00ad", "\ud800"]


def slow_terminal(text: str) -> str:
    text = _STRIP.sub("", text)
    text = _SEPARATORS.sub(lambda m: f"\\u{ord(m.group()):04x}" if m.group() != "\r" else "\\r", text)
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


@pytest.mark.parametrize("seed", range(200))
def test_fast_and_full_filters_agree(seed):
    rng = random.Random(seed)
    text = "".join(rng.choice(ALPHABET[:8] if seed % 3 == 0 else ALPHABET) for _ in range(rng.randint(0, 40)))
    assert terminal_text(text) == slow_terminal(text)
    assert (_JSON_UNSAFE.search(text) is not None) == _may_change(_JSON_UNSAFE, text)
    if _JSON_UNSAFE.search(text) is None:
        assert json_text(text) == text


def test_plain_text_comes_back_as_it_is_and_escapes_still_show():
    listing = "Issued by “Bench College 2”.\n\t✓ 😀 " * 10_000
    assert terminal_text(listing) is listing and json_text(listing) is listing
    assert terminal_text("ok\x1b[2Jvalid") == "ok\\x1b[2Jvalid"
    assert json_text("a\u202eb") == "a\\u202eb"
