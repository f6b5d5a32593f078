"""Driving the Streamlit app in AppTest: open a page, read its visible text, and the wallets the app tests start from."""
from __future__ import annotations

import re
from pathlib import Path

from streamlit.testing.v1 import AppTest

from support.paths import APP as APP_PATH
from support.wallet_badges import baked_ob3_badge
from wallet.demo import demo_files
from wallet.service import Wallet

APP = str(APP_PATH)
DEMO = {f.filename: f for f in demo_files()}
TIMEOUT = 120


def app(**query) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params.update(query)
    return at.run()


def texts(at: AppTest) -> str:
    """Every piece of visible text, with Markdown escapes removed, joined by newlines."""
    parts = []
    for kind in ("title", "subheader", "header", "markdown", "caption", "success", "error", "warning", "info",
                 "code", "text"):
        parts += [str(el.value) for el in getattr(at, kind)]
    parts += [str(m.label) + " " + str(m.value) for m in at.metric]
    # ui.md puts an invisible WORD JOINER before URLs and after "@" (no autolinks): not visible text.
    return re.sub(r"\\(.)", r"\1", "\n".join(parts).replace("**", "")).replace("\u2060", "")


def no_crash(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]


def empty_wallet(path: Path) -> None:
    """A wallet file that exists but holds no badge (so the first-run demo import does not happen)."""
    w = Wallet(path, offline=True)
    [result] = w.import_files([(DEMO["hackathon.png"].filename, DEMO["hackathon.png"].path.read_bytes())])
    w.delete(result.entry_id)
    assert path.exists() and not w.entries()


def own_badge(name: str, *, achievement_type: str = "Badge") -> bytes:
    """An OB 3.0 badge signed here with a throwaway did:key (verifies offline)."""
    return baked_ob3_badge(
        DEMO["hackathon.png"].path.read_bytes(), 0x07, credential_id="urn:uuid:6b4a0c1e-8a0e-4c49-9a55-3f0a8c1d2e11",
        name=name, issuer_name="Test Issuer <b>bold</b>", valid_from="2025-01-01T00:00:00Z",
        achievement={"id": "https://test.example/achievements/1",
                     "description": "Description with [a link](https://evil.example/) and "
                                    "<img src=x onerror=alert(1)>.",
                     "criteria": {"narrative": "Do the thing."}, "achievementType": achievement_type})
