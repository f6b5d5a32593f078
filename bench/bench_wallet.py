"""Benchmark (not a test): how the wallet scales with its size.

    python bench/bench_wallet.py                      # wallets of 100, 1,000 and 5,000 badges
    python bench/bench_wallet.py --sizes 100,500      # smaller, to finish sooner

For each size N, in a fresh folder: import N distinct signed badges (OB 3.0 eddsa-rdfc-2022 credentials
of a did:key issuer baked into PNGs, so everything verifies offline) with one ``import_files`` call as
``python -m wallet import`` does, then time the store calls and commands a learner waits for:

* store time of adding one more record, reading one entry, updating one (notes), listing summaries,
  and through the Wallet facade: a note and a category override on one badge, one page of 24 entries;
* ``python -m wallet list --json`` and one more ``python -m wallet import`` (a new process each, as
  typed; the interpreter's start-up is printed apart);
* ``python -m wallet verify`` of every badge (parallel re-check) and its peak RSS;
* ``python -m wallet export`` (streamed to its file) and its peak RSS;
* the "My badges" page's first render through Streamlit's AppTest;
* the wallet file's size (SQLite), its backup's and its blobs folder's; the load average before and after
  (the machine is shared: figures taken under load are slower).

Every step runs in its own process so its peak RSS is its own. Figures are printed with the ratio
between the largest and the smallest wallet (1.0 means "independent of the wallet's size").
"""
from __future__ import annotations

import argparse
import base64
import hashlib
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PY = sys.executable
BADGE_CACHE = Path(tempfile.gettempdir()) / "bench-wallet-badges"
# Figures of the earlier layout (a TinyDB JSON index rewritten whole by every change, blobs beside it),
# measured with this bench at 100 / 5,000 badges, for the "before" column.
BEFORE = {"add one record (store)": (0.031, 0.336), "get one entry (store)": (0.002, 0.146),
          "update one (store)": (0.005, 0.122), "list --json (process)": (0.796, 2.547),
          "My badges first render": (0.897, 1.823), "wallet verify (all)": (1.477, 35.55),
          "import peak RSS (MB)": (62.0, 239.1), "wallet.json (MB)": (0.200, 9.920)}


# --- badges ------------------------------------------------------------------------------------------

def badges(n: int) -> list[Path]:
    """N distinct baked OB 3.0 badges, made once and kept in a scratch folder between runs."""
    BADGE_CACHE.mkdir(parents=True, exist_ok=True)
    have = sorted(BADGE_CACHE.glob("badge-*.png"))
    if len(have) >= n:
        return have[:n]
    from nacl.signing import SigningKey

    from verifier.bake import bake_png
    from verifier.keys import ed25519_multikey
    from verifier.proofs.data_integrity import sign_credential

    image = (ROOT / "tests" / "fixtures" / "1edtech-openbadges-validator-core" / "public_domain_heart.png").read_bytes()
    issuers = []
    for seed in range(5):  # a handful of issuers, as in a real wallet
        key = SigningKey(bytes([seed + 1]) * 32)
        did = "did:key:" + ed25519_multikey(key.verify_key)
        issuers.append((key, did, f"Bench College {seed + 1}"))
    print(f"making {n - len(have)} signed badges in {BADGE_CACHE} (once)…", flush=True)
    for i in range(len(have), n):
        key, did, name = issuers[i % len(issuers)]
        credential = {
            "@context": ["https://www.w3.org/ns/credentials/v2",
                         "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
            "id": f"urn:uuid:00000000-0000-4000-8000-{i:012d}",
            "type": ["VerifiableCredential", "OpenBadgeCredential"],
            "issuer": {"id": did, "type": ["Profile"], "name": name},
            "validFrom": "2024-01-01T00:00:00Z", "name": f"Badge {i}",
            "credentialSubject": {
                "id": f"did:example:learner{i}", "type": ["AchievementSubject"],
                "achievement": {"id": f"https://bench.example/achievements/{i % 50}", "type": ["Achievement"],
                                "name": f"Achievement {i % 50}", "description": "Did the thing. " * 20,
                                "criteria": {"narrative": "Do the thing."}}},
        }
        signed = sign_credential(credential, key, f"{did}#{did[8:]}", created="2024-01-01T00:00:00Z")
        (BADGE_CACHE / f"badge-{i:06d}.png").write_bytes(bake_png(image, json.dumps(signed)))
    return sorted(BADGE_CACHE.glob("badge-*.png"))[:n]


# --- steps (each in its own process) -------------------------------------------------------------------

def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def step(name: str, db: str, extra: list[str]) -> dict[str, Any]:
    from wallet.service import Wallet

    out: dict[str, Any] = {}
    if name == "import":
        files = [(Path(p).name, Path(p).read_bytes()) for p in extra]
        start = time.perf_counter()
        results = Wallet(db).import_files(files)
        out["seconds"] = time.perf_counter() - start
        out["added"] = sum(r.status == "added" for r in results)
    elif name == "store":
        w = Wallet(db)
        content = b"bench record " + os.urandom(8)
        rec = {"id": "", "filename": "x.json", "media_type": "application/json", "sha256":
               hashlib.sha256(content).hexdigest(), "content_b64": base64.b64encode(content).decode(),
               "badge_id": "urn:bench:" + os.urandom(6).hex(), "badge": {"name": "One more"},
               "report": {"verdict": "invalid", "checks": []}, "verdict": "invalid", "format": "none",
               "category": "badge", "reasons": [], "checklist": [], "tags": [], "notes": ""}
        start = time.perf_counter()
        [outcome] = w.store.add_entries([rec])
        out["add one record (store)"] = time.perf_counter() - start
        start = time.perf_counter()
        w.store.get_entry(outcome.id)
        out["get one entry (store)"] = time.perf_counter() - start
        start = time.perf_counter()
        w.store.update_entries({outcome.id: {"notes": "bench"}})
        out["update one (store)"] = time.perf_counter() - start
        start = time.perf_counter()
        summaries = w.summaries()
        out["summaries of all (store+decode)"] = time.perf_counter() - start
        start = time.perf_counter()
        w.get_many([s.id for s in summaries[:24]])
        out["24 full entries (one page)"] = time.perf_counter() - start
        start = time.perf_counter()
        w.set_notes(outcome.id, "a note")
        out["note one (Wallet)"] = time.perf_counter() - start
        start = time.perf_counter()
        w.set_override(outcome.id, "micro-credential")
        out["override one (Wallet)"] = time.perf_counter() - start
        w.delete(outcome.id)
    elif name == "page":
        os.environ["BADGE_WALLET_DB"] = db
        from streamlit.testing.v1 import AppTest

        start = time.perf_counter()
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=600).run()
        out["seconds"] = time.perf_counter() - start
        out["cards"] = len([b for b in at.button if b.label == "Details"])
        out["exception"] = [str(e.value) for e in at.exception]
    out["peak_mb"] = _peak_mb()
    return out


def run_step(name: str, db: str, extra: list[str] | None = None) -> dict[str, Any]:
    proc = subprocess.run([PY, __file__, "--step", name, "--db", db, *(extra or [])], capture_output=True,
                          text=True, cwd=ROOT)
    if proc.returncode != 0:
        raise SystemExit(f"step {name} failed:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def timed_command(args: list[str]) -> float:
    """Seconds of ``python -m wallet ARGS`` in a new process."""
    start = time.perf_counter()
    proc = subprocess.run([PY, "-m", "wallet", *args], capture_output=True, cwd=ROOT,
                          env={**os.environ, "BADGE_WALLET_ALLOW_HOSTS": ""})
    seconds = time.perf_counter() - start
    if proc.returncode not in (0, 1):
        raise SystemExit(f"wallet {' '.join(args[:3])} failed: {proc.stderr.decode()[-2000:]}")
    return seconds


def folder_mb(path: Path) -> float:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1e6 if path.exists() else 0.0


def measure(n: int, files: list[Path], spare: Path) -> dict[str, float]:
    figures: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix=f"bench-wallet-{n}-") as tmp:
        db = str(Path(tmp) / "wallet.json")
        imported = run_step("import", db, [str(p) for p in files])
        assert imported["added"] == n, imported
        figures["import all (in process)"] = imported["seconds"]
        figures["import all, per badge (ms)"] = imported["seconds"] / n * 1000
        figures["import peak RSS (MB)"] = imported["peak_mb"]
        store = run_step("store", db)
        for key in ("add one record (store)", "get one entry (store)", "update one (store)",
                    "summaries of all (store+decode)", "24 full entries (one page)", "note one (Wallet)",
                    "override one (Wallet)"):
            figures[key] = store[key]
        figures["python start-up + imports"] = timed_command(["--help"])
        figures["list --json (process)"] = timed_command(["--db", db, "list", "--json"])
        figures["import one more (process)"] = timed_command(["--db", db, "import", str(spare)])
        seconds = timed_command(["--db", db, "verify"])
        figures["wallet verify (all)"] = seconds
        figures["wallet verify, per badge (ms)"] = seconds / (n + 1) * 1000
        verify_rss = run_rss(["--db", db, "verify"])
        figures["wallet verify peak RSS (MB)"] = verify_rss
        export = str(Path(tmp) / "export.zip")
        figures["wallet export (process)"] = timed_command(["--db", db, "export", export])
        figures["wallet export peak RSS (MB)"] = run_rss(["--db", db, "export", export])
        figures["export zip (MB)"] = Path(export).stat().st_size / 1e6
        page = run_step("page", db)
        assert not page["exception"], page["exception"]
        figures["My badges first render"] = page["seconds"]
        figures["page peak RSS (MB)"] = page["peak_mb"]
        figures["wallet.json (MB)"] = Path(db).stat().st_size / 1e6
        figures["wallet.json.bak (MB)"] = Path(db + ".bak").stat().st_size / 1e6 if Path(db + ".bak").exists() else 0.0
        figures["wallet.json.blobs (MB)"] = folder_mb(Path(db + ".blobs"))
    return figures


def run_rss(args: list[str]) -> float:
    """Peak RSS of one ``python -m wallet ARGS`` measured by a fresh wrapper process (its own children only)."""
    code = ("import resource,subprocess,sys;"
            f"subprocess.run([sys.executable,'-m','wallet',*{args!r}],capture_output=True);"
            "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss/1024)")
    out = subprocess.run([PY, "-c", code], capture_output=True, text=True, cwd=ROOT)
    return float(out.stdout.strip() or 0)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="100,1000,5000", help="comma-separated wallet sizes")
    parser.add_argument("--step", help=argparse.SUPPRESS)
    parser.add_argument("--db", help=argparse.SUPPRESS)
    args, extra = parser.parse_known_args(argv)
    if args.step:
        print(json.dumps(step(args.step, args.db, extra)))
        return 0
    sizes = sorted({int(s) for s in args.sizes.split(",") if s.strip()})
    files = badges(max(sizes) + 1)
    spare = files[-1]
    results = {}
    load_before = os.getloadavg()
    for n in sizes:
        print(f"wallet of {n} badges…", flush=True)
        results[n] = measure(n, files[:n], spare)
    small, big = sizes[0], sizes[-1]
    print()
    header = f"{'':<34}" + "".join(f"{n:>12,}" for n in sizes) + f"{'ratio':>9}" + "   before (100 / 5,000)"
    print(header)
    for key in results[small]:
        row = f"{key:<34}" + "".join(f"{results[n][key]:>12.3f}" for n in sizes)
        ratio = results[big][key] / results[small][key] if results[small][key] else float("nan")
        row += f"{ratio:>9.2f}"
        if key in BEFORE:
            row += f"   {BEFORE[key][0]:.3f} / {BEFORE[key][1]:.3f}"
        print(row)
    print(f"\nratio = the figure at {big:,} badges ÷ the figure at {small:,} (1.0: independent of size). "
          "Times in seconds unless marked.")
    print(f"load average (1, 5, 15 min) before: {', '.join(f'{x:.2f}' for x in load_before)}; after: "
          f"{', '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} cores.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
