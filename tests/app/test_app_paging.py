"""The "My badges" grid shows one page of cards at a time (a wallet of thousands opens at once)."""
from __future__ import annotations

import base64
import hashlib
import re

import pytest
from streamlit.testing.v1 import AppTest
from support.apptest import APP, TIMEOUT, no_crash, texts

from wallet.service import Wallet


def records(n: int) -> list[dict]:
    out = []
    for i in range(n):
        content = f'{{"badge": {i}}}'.encode()
        out.append({"id": f"e{i:04d}", "filename": f"b{i}.json", "media_type": "application/json",
                    "content_b64": base64.b64encode(content).decode(), "sha256": hashlib.sha256(content).hexdigest(),
                    "badge_id": f"urn:test:{i}", "badge": {"name": f"Badge {i:04d}",
                                                           "issuer": {"name": "Odd" if i % 2 else "Even"}},
                    "report": {"verdict": "valid", "checks": []}, "verdict": "valid", "format": "ob3-data-integrity",
                    "category": "badge", "reasons": [], "checklist": [], "verified_at": "2025-01-01T00:00:00+00:00",
                    "added_at": "2025-01-01T00:00:00+00:00", "tags": [], "notes": ""})
    return out


def cards(at: AppTest) -> list[str]:
    return sorted(set(re.findall(r"Badge \d{4}", texts(at))))


@pytest.fixture
def big(db):
    Wallet(db, offline=True).store.add_entries(records(60))
    return db


def test_the_grid_pages_through_every_badge_once(big):
    at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    at.switch_page("app_pages/my_wallet.py").run()
    no_crash(at)
    assert "Page 1 of 3 · badges 1–24 of 60" in texts(at)
    assert [m.value for m in at.metric][0] == "60"  # the counts are of the whole wallet, not the page
    seen = cards(at)
    assert seen == [f"Badge {i:04d}" for i in range(24)]
    assert len([b for b in at.button if b.label == "Details"]) == 24
    for expected in ("Page 2 of 3 · badges 25–48 of 60", "Page 3 of 3 · badges 49–60 of 60"):
        at.button(key="page_next").click().run()
        no_crash(at)
        assert expected in texts(at)
        seen += cards(at)
    assert seen == [f"Badge {i:04d}" for i in range(60)]
    assert at.button(key="page_next").disabled
    at.button(key="page_prev").click().run()
    assert "Page 2 of 3" in texts(at)


def test_a_filter_goes_back_to_page_one_and_details_open_from_any_page(big):
    at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    at.switch_page("app_pages/my_wallet.py").run()
    at.button(key="page_next").click().run()
    at.selectbox(key="filter_issuer").set_value("Odd").run()
    no_crash(at)
    assert "Page 1 of 2 · badges 1–24 of 30" in texts(at)
    assert cards(at) == [f"Badge {i:04d}" for i in range(1, 48, 2)]
    at.button(key="page_next").click().run()
    assert cards(at) == [f"Badge {i:04d}" for i in range(49, 60, 2)]
    at.button(key="open_e0051").click().run()
    no_crash(at)
    assert "Badge 0051" in texts(at) and "Back to all badges" in [b.label for b in at.button]
    assert "Page " not in texts(at)


def test_a_small_wallet_has_no_pager(db):
    Wallet(db, offline=True).store.add_entries(records(5))
    at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    at.switch_page("app_pages/my_wallet.py").run()
    no_crash(at)
    assert cards(at) == [f"Badge {i:04d}" for i in range(5)]
    assert "Page 1" not in texts(at) and not [b for b in at.button if b.key == "page_next"]
