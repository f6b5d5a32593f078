"""Benchmark (not a test): hosted mode over PostgreSQL with many learners.

    python bench/bench_hosted.py --db postgresql://… [--learners 1000 --badges 50 --samples 200 --importers 8]

1. Seeds LEARNERS wallets of BADGES entries each (the demo badges' real records, cloned with their own
   ids and hashes, so pages decode real reports and images) plus one 5-badge portfolio link per learner.
2. Wallet page data load: ``HostedWallet(url, owner).entries()`` for random learners (what "My badges"
   reads); prints p50/p95/max per request.
3. Public portfolio load: the link's owner lookup plus ``open_portfolio`` (each of its 5 badges verified
   again, as the public page does); p50/p95/max per request.
4. Concurrent imports: IMPORTERS processes import distinct signed OB 3.0 credentials into one learner's
   wallet at once through ``HostedWallet.import_files``; checks that every one was stored exactly once.

Nothing leaves the machine: demo badges verify through the local mirror, the others via did:key.
Seeding is idempotent per ``--run`` label (default: a fresh one each time).
"""
from __future__ import annotations

import argparse
import hashlib
import json
import multiprocessing
import random
import statistics
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from wallet.demo import demo_files, load_demo  # noqa: E402
from wallet.hosted import HostedWallet  # noqa: E402
from wallet.migrate import migrate  # noqa: E402
from wallet.portfolio import token_from, token_hash  # noqa: E402
from wallet.sql_store import SQLStore, portfolio_owner  # noqa: E402


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def report(label: str, seconds: list[float]) -> None:
    ms = [s * 1000 for s in seconds]
    print(f"{label:<34} n={len(ms):<5} p50 {statistics.median(ms):8.2f} ms   p95 {pct(ms, 0.95):8.2f} ms   "
          f"max {max(ms):8.2f} ms")


def seed(url: str, run: str, learners: int, badges: int) -> tuple[list[str], list[str]]:
    template_owner = f"bench {run} template"
    template = HostedWallet(url, demo=True, owner=template_owner)
    if not template.entries():
        load_demo(template)
    records = SQLStore(url, template_owner).entries()
    owners, links = [], []
    start = time.perf_counter()
    for n in range(learners):
        owner = f"https://idp.bench {run}-{n:05d}"
        store = SQLStore(url, owner)
        batch = []
        for i in range(badges):
            rec = dict(records[i % len(records)], id="")
            rec["sha256"] = hashlib.sha256(f"{owner}/{i}".encode()).hexdigest()
            rec["badge_id"] = f"urn:bench:{run}:{n}:{i}"
            batch.append(rec)
        ids = [o.id for o in store.add_entries(batch)][:5]
        wallet = HostedWallet(url, demo=True, owner=owner, public_url="https://badges.example.org")
        _, link = wallet.create_portfolio(ids, f"Learner {n}")
        owners.append(owner)
        links.append(link)
        if n and n % 200 == 0:
            print(f"  seeded {n} learners ({time.perf_counter() - start:.0f} s)", flush=True)
    print(f"seeded {learners} learners x {badges} badges in {time.perf_counter() - start:.1f} s")
    return owners, links


def bench_wallet_page(url: str, owners: list[str], samples: int) -> None:
    times = []
    for owner in random.sample(owners, min(samples, len(owners))):
        t = time.perf_counter()
        entries = HostedWallet(url, demo=True, owner=owner).entries()
        times.append(time.perf_counter() - t)
        assert entries, owner
    report("wallet page data load", times)


def bench_public_page(url: str, links: list[str], samples: int) -> None:
    times = []
    for link in random.sample(links, min(samples, len(links))):
        t = time.perf_counter()
        owner = portfolio_owner(url, token_hash(token_from(link)))
        view = HostedWallet(url, demo=True, owner=owner).open_portfolio(link)
        times.append(time.perf_counter() - t)
        assert view.status == "ok" and len(view.badges) == 5, view.status
    report("public portfolio load (5 badges)", times)


def _import_worker(url: str, owner: str, files: list[tuple[str, bytes]]) -> None:
    wallet = HostedWallet(url, demo=True, owner=owner)
    for name, data in files:  # one file per call: the most transactions, the most contention
        result = wallet.import_file(name, data)
        assert result.status == "added", (name, result.message)


def bench_concurrent_imports(url: str, run: str, importers: int, per_process: int) -> None:
    from bench_verify import ob3_credentials

    owner = f"https://idp.bench {run}-importer"
    creds = ob3_credentials(importers * per_process)
    files = [(f"cred-{i}.json", json.dumps(c).encode()) for i, c in enumerate(creds)]
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_import_worker, args=(url, owner, files[i::importers])) for i in range(importers)]
    t = time.perf_counter()
    for p in procs:
        p.start()
    for p in procs:
        p.join()
    elapsed = time.perf_counter() - t
    stored = SQLStore(url, owner).entries()
    ids = {r["badge_id"] for r in stored}
    lost = len(files) - len(ids)
    print(f"concurrent imports: {importers} processes x {per_process} files = {len(files)} in {elapsed:.1f} s; "
          f"stored {len(stored)} ({len(ids)} distinct), lost {lost}, exit codes {[p.exitcode for p in procs]}")
    if lost or len(stored) != len(files) or any(p.exitcode for p in procs):
        raise SystemExit("FAILED: an import was lost or duplicated")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True, help="postgresql:// URL (migrated here)")
    parser.add_argument("--learners", type=int, default=1000)
    parser.add_argument("--badges", type=int, default=50)
    parser.add_argument("--samples", type=int, default=200)
    parser.add_argument("--importers", type=int, default=8)
    parser.add_argument("--per-importer", type=int, default=25)
    parser.add_argument("--run", default=uuid.uuid4().hex[:8], help="label of this run's learners")
    args = parser.parse_args(argv)
    migrate(args.db)
    assert len(demo_files()) >= 5
    owners, links = seed(args.db, args.run, args.learners, args.badges)
    bench_wallet_page(args.db, owners, args.samples)
    bench_public_page(args.db, links, args.samples)
    bench_concurrent_imports(args.db, args.run, args.importers, args.per_importer)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
