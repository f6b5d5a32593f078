"""A badge signed with a key whose private half is public is not authentic (outside demo mode)."""
from __future__ import annotations

import pytest
from support.paths import ROOT

from verifier import SafeFetcher, verify
from verifier.demo import DEMO_MIRRORS
from verifier.published_keys import DEMO_ISSUER_DID, PUBLISHED

pytestmark = pytest.mark.attack

DEMO_BADGES = ROOT / "verifier" / "demo_data" / "badges"
SOURCE_DID = ROOT / "data" / "demo" / "keys" / "issuer-did.txt"


def _ob3_demo_badge() -> bytes:
    for path in sorted(DEMO_BADGES.iterdir()):
        report = verify(path.read_bytes(), fetcher=SafeFetcher(mirrors=DEMO_MIRRORS))
        if report.badge and report.badge.issuer.id == DEMO_ISSUER_DID:
            return path.read_bytes()
    raise AssertionError("the demo set has no OB 3.0 badge of the demo issuer")


def test_the_listed_demo_did_is_the_one_the_demo_keys_make():
    if SOURCE_DID.exists():  # in a source checkout
        assert SOURCE_DID.read_text().strip() == DEMO_ISSUER_DID
    assert DEMO_ISSUER_DID in PUBLISHED


def test_demo_issuer_badge_is_invalid_outside_demo_mode():
    report = verify(_ob3_demo_badge(), fetcher=SafeFetcher(offline=True))
    assert report.verdict == "invalid"
    failing = [c for c in report.checks if c.status == "fail"]
    assert any(c.id == "key-owner" and "private key is public" in c.message for c in failing)


def test_demo_issuer_badge_counts_in_demo_mode_with_a_warning():
    report = verify(_ob3_demo_badge(), fetcher=SafeFetcher(mirrors=DEMO_MIRRORS))
    assert report.verdict == "valid"
    assert any(c.id == "key-owner" and c.status == "warn" and "only in demo mode" in c.message
               for c in report.checks)
