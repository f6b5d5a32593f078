"""Badge text written to attack whoever shows it: terminal escapes, bidi overrides, invisible characters,
Streamlit icon and emoji codes; and a baked OB 3.0 badge (signed here, verifies offline) carrying them."""
from __future__ import annotations

from support.ob2_badges import tiny_png
from support.wallet_badges import baked_ob3_badge

ESCAPES = "\x1b[2J\x1b]0;owned\x07\x9b31m"  # clear screen, set window title, 8-bit CSI
BIDI = "\u202egpj.exe\u202c"  # shown as "exe.jpg" backwards
HOSTILE = f"Hostile {ESCAPES}{BIDI} :material/verified: :smile: \u200bzero\ufeffwidth\U000e0041"


def hostile_badge() -> bytes:
    return baked_ob3_badge(tiny_png(), 0x21, credential_id="urn:uuid:11111111-2222-4333-8444-555555555555",
                           name=HOSTILE, issuer_name=f"Issuer {ESCAPES}", valid_from="2025-01-01T00:00:00Z",
                           achievement={"description": f"desc {BIDI} :material/verified:",
                                        "criteria": {"narrative": "n"}})
