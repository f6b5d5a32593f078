"""OB 2.0 hosted badges on a loopback issuer: our verifier against IMS badgecheck, per badge.

Serves N distinct hosted assertions (plus their BadgeClass and Issuer profile) from a local HTTP server
on 127.0.0.1 with a configurable latency, verifies each with ``verifier.verify`` (one by one, a new
fetcher each time, as the check page does) and with ``verifier.batch.verify_many`` (a wallet re-check:
one fetcher, shared documents), then runs badgecheck 1.1.8 on the same URLs in a scratch venv, when it
can be installed (it needs ``pycryptodome``, ``python-jose``, ``pytz`` and ``requests-cache`` upgraded to
import on Python 3.11). Prints milliseconds per badge and the ratios. Not a test.

    python bench/bench_ob2_badgecheck.py --n 50 --latency-ms 0
"""
from __future__ import annotations

import argparse
import hashlib
import json
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from verifier import verify  # noqa: E402
from verifier.batch import verify_many  # noqa: E402
from verifier.fetch import SafeFetcher  # noqa: E402

NOW = datetime(2025, 6, 1, tzinfo=UTC)
SCRATCH = Path("/tmp/bench-badgecheck-venv")
BADGECHECK_REQUESTS_CACHE = "requests-cache==0.9.8"  # the last release with remove_expired_responses
PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478"
                    "9c6360000002000154a24f5d0000000049454e44ae426082")

# Run by the scratch venv's Python. badgecheck hands pyld its own document loader
# (openbadges.verifier.utils.CachableDocumentLoader), which GETs every JSON-LD context through a
# requests_cache.CachedSession; CachedSession defines its own ``get``, so patching requests.Session.get
# never reaches it. The one call every session of badgecheck (the loader's, fetch_http_node's, the image
# task's) goes through is the transport adapter's ``send``: there the OB 2.0 context URLs are answered
# with the same pinned file our verifier uses (no internet), and every other URL goes to the loopback
# issuer over real HTTP. requests-cache must be 0.9.8: later releases dropped
# ``remove_expired_responses``, which the loader calls after every fetch, so every context load failed.
BADGECHECK_SCRIPT = r"""
import json, statistics, sys, time
import requests
from requests.adapters import HTTPAdapter

CONTEXT_URLS = {"https://w3id.org/openbadges/v2", "https://openbadgespec.org/v2/context.json"}
CONTEXT = open(sys.argv[2], "rb").read()
_send = HTTPAdapter.send
served = {"pinned context": 0, "loopback": 0, "other": 0}

def send(self, request, *args, **kwargs):
    if request.url.rstrip("/") in CONTEXT_URLS:
        served["pinned context"] += 1
        response = requests.Response()
        response.status_code, response.reason, response._content = 200, "OK", CONTEXT
        response.url, response.request, response.encoding = request.url, request, "utf-8"
        response.headers["Content-Type"] = "application/ld+json"
        return response
    served["loopback" if request.url.startswith("http://127.0.0.1:") else "other"] += 1
    return _send(self, request, *args, **kwargs)

HTTPAdapter.send = send
from openbadges import verify

urls = json.loads(sys.argv[1])
rounds = int(sys.argv[3])
first = verify(urls[0])  # warm-up (imports, first connection)
times, valid, errors = [], 0, []
for _ in range(rounds):
    for url in urls[1:]:
        start = time.perf_counter()
        report = verify(url).get("report", {})
        times.append(time.perf_counter() - start)
        valid += bool(report.get("valid"))
        errors += [m for m in report.get("messages", []) if m.get("messageLevel") == "ERROR"][:1]
print(json.dumps({"median": statistics.median(times), "mean": statistics.fmean(times), "valid": valid,
                  "n": len(times), "errors": [str(e)[:400] for e in errors[:3]], "served": served,
                  "warmup_valid": bool(first.get("report", {}).get("valid"))}))
"""


def documents(base: str, n: int) -> dict[str, dict]:
    issuer = {"@context": "https://w3id.org/openbadges/v2", "type": "Issuer", "id": f"{base}/issuer",
              "name": "Loopback University", "url": base, "email": "badges@loopback.example"}
    badgeclass = {"@context": "https://w3id.org/openbadges/v2", "type": "BadgeClass", "id": f"{base}/badgeclass",
                  "name": "Bench Badge", "description": "A badge for the benchmark.", "image": f"{base}/image.png",
                  "criteria": {"narrative": "Run the bench."}, "issuer": f"{base}/issuer"}
    docs = {"/issuer": issuer, "/badgeclass": badgeclass}
    for i in range(n + 1):
        identity = "sha256$" + hashlib.sha256(f"learner{i}@example.org".encode()).hexdigest()
        docs[f"/assertions/{i}"] = {
            "@context": "https://w3id.org/openbadges/v2", "type": "Assertion", "id": f"{base}/assertions/{i}",
            "recipient": {"type": "email", "hashed": True, "identity": identity},
            "badge": f"{base}/badgeclass", "verification": {"type": "hosted"},
            "issuedOn": "2024-01-01T00:00:00+00:00"}
    return docs


class Issuer:
    """The loopback issuer: serves the documents and counts the requests it answers, per path."""

    def __init__(self, n: int, latency: float) -> None:
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.hits: Counter[str] = Counter()
        docs = documents(self.base, n)
        hits, lock = self.hits, threading.Lock()

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # headers and body go out at once (no delayed-ACK stalls)

            def do_GET(self) -> None:  # noqa: N802
                with lock:
                    hits[self.path] += 1
                time.sleep(latency)
                if self.path == "/image.png":
                    body, kind = PNG, "image/png"
                elif self.path in docs:
                    body, kind = json.dumps(docs[self.path]).encode(), "application/ld+json"
                else:
                    self.send_error(404)
                    return
                self.send_response(200)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self.server.RequestHandlerClass = Handler
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def requests(self) -> int:
        return sum(self.hits.values())

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def badgecheck_python() -> tuple[Path | None, str]:
    """The scratch venv's Python with badgecheck 1.1.8 importable on this Python, or (None, why not)."""
    python = SCRATCH / "bin" / "python"
    steps = [] if python.exists() else [[sys.executable, "-m", "venv", str(SCRATCH)],
                                        [str(python), "-m", "pip", "install", "-q", "badgecheck==1.1.8"]]
    steps.append([str(python), "-m", "pip", "install", "-q", "-U", "pycryptodome", "python-jose", "pytz",
                  BADGECHECK_REQUESTS_CACHE])
    check = [str(python), "-c", "import openbadges, requests_cache; "
             f"assert requests_cache.__version__ == {BADGECHECK_REQUESTS_CACHE.split('==')[1]!r}"]
    if python.exists() and not subprocess.run(check, capture_output=True).returncode:
        steps = []
    for step in steps:
        done = subprocess.run(step, capture_output=True, text=True)
        if done.returncode:
            return None, f"badgecheck could not be installed: {done.stderr.strip()[-300:]}"
    done = subprocess.run(check, capture_output=True, text=True)
    if done.returncode:
        return None, f"badgecheck does not import: {done.stderr.strip()[-300:]}"
    return python, ""


def time_ours(urls: list[str], host: str, rounds: int) -> tuple[float, float, set[str]]:
    """(median ms a badge one by one with a new fetcher each, as the check page does; ms a badge of a
    batch sharing one fetcher, as a wallet re-check does; the verdicts seen)."""
    one: list[float] = []
    batch: list[float] = []
    verdicts: set[str] = set()
    for _ in range(rounds):
        for url in urls:
            start = time.perf_counter()
            verdicts.add(str(verify(url, now=NOW, allow_hosts=[host]).verdict))
            one.append(time.perf_counter() - start)
        fetcher = SafeFetcher(allow_hosts=[host])
        start = time.perf_counter()
        verdicts |= {str(r.verdict) for r in verify_many(urls, now=NOW, fetcher=fetcher)}
        batch.append((time.perf_counter() - start) / len(urls))
        fetcher.close()
    return statistics.median(one) * 1000, statistics.median(batch) * 1000, verdicts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--latency-ms", type=float, default=0.0)
    args = parser.parse_args(argv)
    issuer = Issuer(args.n, args.latency_ms / 1000)
    host = issuer.base.removeprefix("http://")
    urls = [f"{issuer.base}/assertions/{i}" for i in range(args.n + 1)]
    try:
        verify(urls[0], now=NOW, allow_hosts=[host])  # warm-up
        before = issuer.requests()
        ours_one, ours_batch, verdicts = time_ours(urls[1:], host, args.rounds)
        ours_requests = (issuer.requests() - before) / (2 * args.rounds * args.n)
        print(f"OB 2.0 hosted, {args.n} distinct badges x {args.rounds} rounds, loopback issuer latency "
              f"{args.latency_ms:g} ms (medians)")
        print(f"  ours, one by one     {ours_one:8.2f} ms a badge")
        print(f"  ours, batch          {ours_batch:8.2f} ms a badge   ({ours_requests:.2f} requests a badge "
              f"on average over both)")
        if verdicts != {"valid"}:
            print(f"  FAILED: our verdicts {sorted(verdicts)}, expected only 'valid'")
            return 1
        python, why = badgecheck_python()
        if python is None:
            print(f"  badgecheck           not run: {why}")
            return 0
        context = Path(__file__).resolve().parent.parent / "verifier" / "contexts" / "openbadges-v2.json"
        before = issuer.requests()
        done = subprocess.run([str(python), "-c", BADGECHECK_SCRIPT, json.dumps(urls), str(context),
                               str(args.rounds)], capture_output=True, text=True, timeout=1800)
        if done.returncode:
            print(f"  badgecheck           FAILED to run: {done.stderr.strip()[-400:]}")
            return 1
        theirs = json.loads(done.stdout.strip().splitlines()[-1])
        their_requests = (issuer.requests() - before) / (theirs["n"] + 1)
        # A ratio over failed verifications would be meaningless: badgecheck must reach "valid" on
        # every badge, having fetched them from the same loopback issuer.
        if theirs["valid"] != theirs["n"] or not theirs["warmup_valid"] or theirs["served"]["other"]:
            print(f"  badgecheck           FAILED: valid {theirs['valid']}/{theirs['n']}, "
                  f"errors {theirs['errors']}, requests {theirs['served']}")
            return 1
        median = theirs["median"] * 1000
        print(f"  badgecheck 1.1.8     {median:8.2f} ms a badge   valid {theirs['valid']}/{theirs['n']}, "
              f"{their_requests:.2f} loopback requests a badge (OB 2.0 context from the pinned copy)")
        print(f"  ratio badgecheck/ours: one by one x{median / ours_one:.1f}, batch x{median / ours_batch:.1f}")
    finally:
        issuer.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
