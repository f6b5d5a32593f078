"""The Wallet facade loads its jobs (import, re-checks, sharing, trust, the holder's key) on first use:
reading a wallet's summaries and one page of entries loads no verifier, fetcher or HTTP library."""
from __future__ import annotations

import base64
import hashlib
import json
import subprocess
import sys

from support.paths import ROOT

import wallet.portfolio
import wallet.service
from wallet.importer import sniff_media_type

JOBS = ("verifier.api", "verifier.fetch", "requests", "wallet.importer", "wallet.uploads", "wallet.reverify",
        "wallet.sharing", "wallet.trust", "wallet.backup", "wallet.profile", "wallet.portfolio")

READ = """
import json, sys
from wallet.service import Wallet
w = Wallet(sys.argv[1], offline=True)
summaries, damage = w.summaries_with_damage()
entries, _ = w.get_many_with_damage([s.id for s in summaries[:24]])
print(json.dumps({"summaries": len(summaries), "entries": len(entries), "damage": damage,
                  "modules": sorted(sys.modules)}))
"""


def test_reading_the_wallet_loads_no_job_module(tmp_path):
    from wallet.service import Wallet

    db = tmp_path / "w.json"
    Wallet(db, offline=True).store.add_entries([_record(i) for i in range(30)])
    proc = subprocess.run([sys.executable, "-c", READ, str(db)], capture_output=True, text=True, cwd=ROOT, check=True)
    result = json.loads(proc.stdout)
    assert (result["summaries"], result["entries"], result["damage"]) == (30, 24, [])
    assert [m for m in result["modules"] if m in JOBS or m.split(".")[0] in JOBS] == []


def test_the_jobs_still_work_once_asked_for(tmp_path):
    from wallet.service import Wallet

    w = Wallet(tmp_path / "w.json", offline=True)
    assert w.registry_loads() == []  # no registry: nothing to load
    assert w.import_text("not a badge").status == "rejected"
    assert list(w.issuer_settings().registries) == []
    assert wallet.service.sniff_media_type is sniff_media_type
    # the defaults of open_portfolio are the portfolio module's own
    assert (wallet.service.CACHE_SECONDS, wallet.service.PAGE_DEADLINE) == (wallet.portfolio.CACHE_SECONDS,
                                                                            wallet.portfolio.PAGE_DEADLINE)


def _record(n: int) -> dict:
    content = f'{{"badge": {n}}}'.encode()
    return {"id": "", "filename": f"b{n}.json", "media_type": "application/json",
            "content_b64": base64.b64encode(content).decode(), "sha256": hashlib.sha256(content).hexdigest(),
            "badge_id": f"urn:test:{n}", "badge": {"name": f"Badge {n}", "issuer": {"name": "X"}},
            "report": {"verdict": "valid", "checks": []}, "verdict": "valid", "format": "ob3-data-integrity",
            "category": "badge", "reasons": [], "checklist": [], "verified_at": "2025-01-01T00:00:00+00:00",
            "added_at": "2025-01-01T00:00:00+00:00", "tags": [], "notes": ""}
