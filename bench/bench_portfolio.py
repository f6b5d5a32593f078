"""Benchmark (not a test): how fast a public portfolio page answers.

    python bench/bench_portfolio.py                       # 1, 10, 50 badges × issuer latency 0 and 300 ms
    python bench/bench_portfolio.py --sizes 10 --latency 0.3

A local issuer on 127.0.0.1 serves hosted OB 2.0 badges (assertion, BadgeClass, issuer profile), each
answer delayed by the given latency. For each size the badges are imported into a fresh wallet and
shared; the stored results are then made older than the page's cache, and we time, as the page does:

* ``stored``: the first paint — every badge from its last stored result (no issuer is asked);
* ``first``: a visitor's first view — the stale badges checked again in parallel under the page deadline;
* ``second``: the next view within the cache time (results shared through the check cache).
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from support.issuer_server import IssuerServer  # noqa: E402

from wallet.service import Wallet  # noqa: E402


def run(size: int, latency: float) -> dict[str, float]:
    server = IssuerServer().start()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            now = datetime.now(UTC)
            w = Wallet(Path(tmp) / "w.json", now=now, allow_hosts=[server.host], mirrors={})
            files = [(f"b{i}.png", server.badge(f"b{i}")) for i in range(size)]
            ids = [r.entry_id for r in w.import_files(files)]
            _, link = w.create_portfolio(ids, "Bench")
            server.latency = latency
            w.now = now + timedelta(minutes=10)
            t0 = time.perf_counter()
            stored = w.open_portfolio(link, refresh=False)
            t1 = time.perf_counter()
            first = w.open_portfolio(link)
            t2 = time.perf_counter()
            second = Wallet(w.path, now=w.now + timedelta(seconds=30), allow_hosts=[server.host],
                            mirrors={}).open_portfolio(link)  # another process, within the cache time
            t3 = time.perf_counter()
            assert len(stored.badges) == len(first.badges) == len(second.badges) == size
            late = sum(b.freshness == "late" for b in first.badges)
            cached = sum(b.freshness == "cached" for b in second.badges)
            return {"stored": t1 - t0, "first": t2 - t1, "second": t3 - t2, "late": late, "cached": cached}
    finally:
        server.stop()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[1, 10, 50])
    parser.add_argument("--latency", type=float, nargs="+", default=[0.0, 0.3])
    args = parser.parse_args()
    print(f"{'badges':>6} {'latency':>8} {'stored':>8} {'first':>8} {'second':>8}  notes")
    for latency in args.latency:
        for size in args.sizes:
            r = run(size, latency)
            notes = f"{int(r['late'])} late (deadline) on first view, {int(r['cached'])}/{size} cached on second"
            print(f"{size:>6} {latency * 1000:>6.0f}ms {r['stored']:>7.3f}s {r['first']:>7.3f}s "
                  f"{r['second']:>7.3f}s  {notes}")


if __name__ == "__main__":
    main()
