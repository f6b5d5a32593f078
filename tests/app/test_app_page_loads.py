"""The "My badges" page renders without loading the verifier (verifier.api) or the wallet's import,
re-check and sharing jobs: it reads summaries and one page of entries (verifying is for other pages)."""
from __future__ import annotations

import base64
import hashlib
import json
import subprocess
import sys

from support.paths import APP, ROOT

from wallet.service import Wallet

RENDER = """
import json, sys
from streamlit.testing.v1 import AppTest
at = AppTest.from_file(sys.argv[1], default_timeout=120).run()
print(json.dumps({"exceptions": [str(e.value) for e in at.exception], "metrics": [m.value for m in at.metric],
                  "cards": len([b for b in at.button if b.label == "Details"]), "modules": sorted(sys.modules)}))
"""
# (requests still comes in through verifier.identity → verifier.context, which fetch contexts)
NOT_LOADED = ("verifier.api", "verifier.batch", "wallet.importer", "wallet.uploads",
              "wallet.reverify", "wallet.sharing", "wallet.portfolio")


def record(n: int) -> dict:
    content = f'{{"badge": {n}}}'.encode()
    return {"id": "", "filename": f"b{n}.json", "media_type": "application/json",
            "content_b64": base64.b64encode(content).decode(), "sha256": hashlib.sha256(content).hexdigest(),
            "badge_id": f"urn:test:{n}", "badge": {"name": f"Badge {n:04d}", "issuer": {"name": f"Issuer {n % 3}"}},
            "report": {"verdict": "valid" if n % 2 else "invalid", "checks": []},
            "verdict": "valid" if n % 2 else "invalid", "format": "ob3-data-integrity",
            "category": "micro-credential" if n % 5 == 0 else "badge", "reasons": [], "checklist": [],
            "verified_at": "2025-01-01T00:00:00+00:00", "added_at": "2025-01-01T00:00:00+00:00", "tags": [],
            "notes": ""}


def test_my_badges_renders_its_counts_without_the_verifier(db):
    Wallet(db, offline=True).store.add_entries([record(i) for i in range(50)])
    proc = subprocess.run([sys.executable, "-c", RENDER, str(APP)], capture_output=True, text=True, cwd=ROOT,
                          check=True)
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    assert result["exceptions"] == []
    # 50 badges, 25 verified; micro-credentials are n % 5 == 0 and verified: 5, 15, 25, 35, 45
    assert result["metrics"][:3] == ["50", "25", "5"]
    assert result["cards"] == 24
    assert [m for m in result["modules"] if m in NOT_LOADED] == []
