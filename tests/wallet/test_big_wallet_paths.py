"""What keeps a big wallet fast: ``wallet list`` loads no verifier, HTTP, SQL or UI library; summaries
decode in one checked pass that accepts exactly what the full decoder accepts; the export is streamed to
its file a few badges at a time and holds the same content as before."""
from __future__ import annotations

import base64
import hashlib
import io
import json
import subprocess
import sys
import tracemalloc
import zipfile

import pytest
from support.paths import ROOT

from wallet import Wallet
from wallet.model import DamagedRecord, EntrySummary, _checked, _summary_fields
from wallet.sqlite_store import SQLiteStore

HEAVY = ("pyld", "requests", "sqlalchemy", "streamlit", "jsonschema", "nacl", "cryptography", "urllib3",
         "joserfc", "verifier.api", "verifier.fetch", "wallet.service", "wallet.core")


def record(n: int, size: int = 2000, **extra) -> dict:
    content = b"\x89PNG\r\n\x1a\n" + n.to_bytes(4, "big") * (size // 4)
    return {"id": "", "filename": f"b{n}.png", "media_type": "image/png", "sha256": hashlib.sha256(content).hexdigest(),
            "content_b64": base64.b64encode(content).decode(), "badge_id": f"urn:badge:{n}", "verdict": "valid",
            "format": "ob3-data-integrity", "badge": {"name": f"Badge {n}", "issuer": {"id": "did:web:x.example",
                                                                                       "name": "X"}},
            "report": {"verdict": "valid", "checks": [{"id": "proof", "status": "pass", "message": "ok"}]},
            "checklist": [{"name": "c", "found": True, "sentence": "Stated."}],
            "reasons": [{"name": "declared", "found": False, "sentence": "Not declared."}], "category": "badge",
            "tags": ["t"], "notes": "", "override": None, "verified_at": "2025-01-01T00:00:00+00:00",
            "added_at": "2025-01-01T00:00:00+00:00", **extra}


PROBE = """
import io, contextlib, json, sys
from wallet.cli import main
out = io.StringIO()
with contextlib.redirect_stdout(out):
    code = main(["--db", sys.argv[1], "list", "--json"])
print(json.dumps({"code": code, "rows": len(json.loads(out.getvalue())), "modules": sorted(sys.modules)}))
"""


def test_list_reads_the_store_alone_and_loads_no_heavy_library(tmp_path):
    db = tmp_path / "w.json"
    SQLiteStore(db).add_entries([record(i) for i in range(3)])
    proc = subprocess.run([sys.executable, "-c", PROBE, str(db)], capture_output=True, text=True, cwd=ROOT, check=True)
    result = json.loads(proc.stdout)
    assert result["code"] == 0 and result["rows"] == 3
    loaded = [m for m in result["modules"] if m.split(".")[0] in HEAVY or m in HEAVY]
    assert loaded == []


def test_the_package_imports_nothing_heavy_until_asked():
    code = ("import sys, wallet, verifier, wallet.grouping, wallet.store, wallet.cli;"
            "print(' '.join(sorted(sys.modules)))")
    modules = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                             check=True).stdout.split()
    assert [m for m in modules if m.split(".")[0] in HEAVY or m in HEAVY] == []
    # and the lazy names still resolve to the real objects
    from verifier import unbake, verify
    from verifier.api import verify as real_verify
    from verifier.unbake import unbake as real_unbake
    assert verify is real_verify and unbake is real_unbake
    assert Wallet.__module__ == "wallet.service"


GOOD = {"id": "abc", "category": "badge", "reasons": [{"name": "n", "found": True, "sentence": "s"}], "tags": ["a"],
        "badge": {"name": "B", "issuer": {"id": "did:x"}}, "filename": "f.png", "verdict": "valid",
        "verified_at": "2025-01-01T00:00:00Z", "added_at": "2025-01-01", "notes": "", "authenticated": True}


@pytest.mark.parametrize("change", [
    {}, {"override": "micro-credential"}, {"override": "diploma"}, {"category": None}, {"category": "diploma"},
    {"tags": "cv"}, {"tags": [1]}, {"reasons": "x"}, {"reasons": ["x"]}, {"badge": "x"}, {"badge": {"issuer": "H"}},
    {"badge": {"recipient": []}}, {"filename": None}, {"filename": 5}, {"sha256": True}, {"badge_id": 7},
    {"verdict": None}, {"format": []}, {"notes": None}, {"id": ""}, {"id": None}, {"verified_at": "1700000000"},
    {"verified_at": "2025-01-01T10:00:00"}, {"added_at": 1700000000}, {"verified_at": "yesterday"},
    {"reasons": [{"name": 1.0, "found": 1, "sentence": None}]},
])
def test_the_one_pass_summary_decoder_agrees_with_the_checked_one(change):
    rec = {k: v for k, v in {**GOOD, **change}.items()}
    fast = _summary_fields(rec)
    try:
        checked = _checked(rec, full=False)
    except DamagedRecord:
        assert fast is None  # the damaged ones go to the checked decoder, which names the problem
        with pytest.raises(DamagedRecord):
            EntrySummary.from_record(rec)
        return
    assert fast is None or fast == checked
    assert EntrySummary.from_record(rec) == EntrySummary(**checked, issuer_identity=None)


def _export(wallet: Wallet, target) -> int:
    tracemalloc.start()
    try:
        wallet.export_to(target)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_export_is_streamed_to_its_file_with_flat_memory_and_the_same_content(tmp_path):
    small, big = Wallet(tmp_path / "small.json"), Wallet(tmp_path / "big.json")
    small.store.add_entries([record(i, 60_000) for i in range(20)])
    big.store.add_entries([record(i, 60_000) for i in range(200)])  # 12 MB of badge files
    small_peak = _export(small, tmp_path / "small.zip")
    big_peak = _export(big, tmp_path / "big.zip")
    assert big_peak < 2 * small_peak + 1_000_000, (small_peak, big_peak)  # not ten times more
    assert big_peak < 12_000_000
    with zipfile.ZipFile(tmp_path / "big.zip") as streamed, zipfile.ZipFile(io.BytesIO(big.export_zip())) as whole:
        assert streamed.namelist() == whole.namelist() and streamed.namelist()[0] == "index.json"
        a, b = json.loads(streamed.read("index.json")), json.loads(whole.read("index.json"))
        assert {k: v for k, v in a.items() if k != "exported_at"} == {k: v for k, v in b.items() if k != "exported_at"}
        assert len(a["entries"]) == 200 and a["entries"][5]["file"] == streamed.namelist()[6]
        # the same layout as the whole index written at once
        assert streamed.read("index.json").decode() == json.dumps(a, ensure_ascii=False, indent=1)
        for name in streamed.namelist()[1:]:
            assert streamed.read(name) == whole.read(name)
    restored = Wallet(tmp_path / "restored.json", offline=True)
    results = restored.import_archive((tmp_path / "small.zip").read_bytes())
    assert len(results) == 20  # every badge is read back (verified again, like any import)


def test_a_failed_export_leaves_no_file(tmp_path, monkeypatch):
    wallet = Wallet(tmp_path / "w.json")
    wallet.store.add_entries([record(1)])
    import wallet.archive as archive

    def broken(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(archive, "write_export_to", broken)
    with pytest.raises(OSError):
        wallet.export_to(tmp_path / "out.zip")
    assert not (tmp_path / "out.zip").exists() and not list(tmp_path.glob(".out.zip.*"))
