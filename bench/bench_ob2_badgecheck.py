"""OB 2.0 hosted badges on a loopback issuer: our verifier against IMS badgecheck, per badge.

Serves N distinct hosted assertions (plus their BadgeClass and Issuer profile) from a local HTTP server
on 127.0.0.1 with a configurable latency, verifies each with ``verifier.verify`` (one by one, a new
fetcher each time, as the check page does) and with ``verifier.batch.verify_many`` (a wallet re-check:
one fetcher, shared documents), twice over the embedded wallet's on-disk HTTP cache while the issuer
allows ``max-age=300`` (second re-check against first), and runs badgecheck 1.1.8 on the same URLs from
the same issuer in a scratch venv, when it can be installed (it needs ``pycryptodome``, ``python-jose``,
``pytz`` upgraded and ``requests-cache==0.9.8`` to import and load contexts on Python 3.11), its rounds
alternating with ours. badgecheck must find every badge valid, or no ratio is printed. Prints
milliseconds per badge, requests per badge and the ratios. Not a test.

    python bench/bench_ob2_badgecheck.py --n 50 --latency-ms 0
"""
from __future__ import annotations

import argparse
import hashlib
import json
import statistics
import subprocess
import sys
import tempfile
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
from verifier.fetch_cache import file_cache  # noqa: E402

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
import json, sys, time
import requests
from requests.adapters import HTTPAdapter

CONTEXT_URLS = {"https://w3id.org/openbadges/v2", "https://openbadgespec.org/v2/context.json"}
CONTEXT = open(sys.argv[1], "rb").read()
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

print(json.dumps({"ready": True}), flush=True)
for line in sys.stdin:  # one JSON list of URLs a round; answers the seconds each took and what it found
    times, valid, errors = [], 0, []
    for url in json.loads(line):
        start = time.perf_counter()
        report = verify(url).get("report", {})
        times.append(time.perf_counter() - start)
        valid += bool(report.get("valid"))
        errors += [m for m in report.get("messages", []) if m.get("messageLevel") == "ERROR"][:1]
    print(json.dumps({"times": times, "valid": valid, "errors": [str(e)[:400] for e in errors[:3]],
                      "served": served}), flush=True)
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
        self.cache_control = ""  # sent with every document when set (the HTTP cache run)
        docs = documents(self.base, n)
        issuer = self
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
                if issuer.cache_control:
                    self.send_header("Cache-Control", issuer.cache_control)
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


class Badgecheck:
    """badgecheck 1.1.8 in a long-lived scratch-venv process, given one round of URLs at a time, so its
    rounds alternate with ours in the same run (a busy machine slows both alike)."""

    def __init__(self, python: Path, context: Path) -> None:
        self.process = subprocess.Popen([str(python), "-c", BADGECHECK_SCRIPT, str(context)], text=True,
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.answer()

    def answer(self) -> dict:
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        if not line:
            assert self.process.stderr is not None
            raise RuntimeError(f"badgecheck stopped: {self.process.stderr.read().strip()[-400:]}")
        return json.loads(line)

    def run(self, urls: list[str]) -> dict:
        assert self.process.stdin is not None
        self.process.stdin.write(json.dumps(urls) + "\n")
        self.process.stdin.flush()
        return self.answer()

    def close(self) -> None:
        if self.process.stdin:
            self.process.stdin.close()
        self.process.wait(timeout=30)


def ours_one_by_one(urls: list[str], host: str) -> tuple[list[float], set[str]]:
    """Seconds a badge with a new fetcher each, as the check page does, and the verdicts."""
    times, verdicts = [], set()
    for url in urls:
        start = time.perf_counter()
        verdicts.add(str(verify(url, now=NOW, allow_hosts=[host]).verdict))
        times.append(time.perf_counter() - start)
    return times, verdicts


def ours_batch(urls: list[str], host: str) -> tuple[float, set[str]]:
    """Seconds a badge of one batch sharing a fetcher, as a wallet re-check does, and the verdicts."""
    fetcher = SafeFetcher(allow_hosts=[host])
    start = time.perf_counter()
    reports = verify_many(urls, now=NOW, fetcher=fetcher)
    seconds = (time.perf_counter() - start) / len(urls)
    fetcher.close()
    return seconds, {str(r.verdict) for r in reports}


def cached_batches(issuer: Issuer, urls: list[str], host: str) -> tuple[float, float, int, int]:
    """Two wallet re-checks in a row, each with its own fetcher, over one on-disk HTTP cache (the embedded
    wallet's) while the issuer sends ``Cache-Control: max-age=300``: (ms a badge first, second; requests
    first, second)."""
    issuer.cache_control = "max-age=300"
    figures: list[float] = []
    counts: list[int] = []
    with tempfile.TemporaryDirectory() as folder:
        for _ in range(2):
            fetcher = SafeFetcher(allow_hosts=[host], http_cache=file_cache(folder))
            before = issuer.requests()
            start = time.perf_counter()
            reports = verify_many(urls, now=NOW, fetcher=fetcher)
            figures.append((time.perf_counter() - start) / len(urls) * 1000)
            counts.append(issuer.requests() - before)
            fetcher.close()
            assert {str(r.verdict) for r in reports} == {"valid"}, [r.verdict for r in reports]
    issuer.cache_control = ""
    return figures[0], figures[1], counts[0], counts[1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--latency-ms", type=float, default=0.0)
    args = parser.parse_args(argv)
    issuer = Issuer(args.n, args.latency_ms / 1000)
    host = issuer.base.removeprefix("http://")
    urls = [f"{issuer.base}/assertions/{i}" for i in range(args.n + 1)]
    print(f"OB 2.0 hosted, {args.n} distinct badges x {args.rounds} rounds, loopback issuer latency "
          f"{args.latency_ms:g} ms; rounds of ours and badgecheck's alternate (medians)")
    python, why = badgecheck_python()
    context = Path(__file__).resolve().parent.parent / "verifier" / "contexts" / "openbadges-v2.json"
    theirs = Badgecheck(python, context) if python is not None else None
    one: list[float] = []
    batch: list[float] = []
    their_times: list[float] = []
    ratios_one: list[float] = []
    ratios_batch: list[float] = []
    requests = {"ours one by one": 0, "ours batch": 0, "badgecheck": 0}
    try:
        verify(urls[0], now=NOW, allow_hosts=[host])  # warm-up (imports, first connection)
        if theirs is not None:
            warm = theirs.run(urls[:1])
            if warm["valid"] != 1:
                print(f"  badgecheck           FAILED on the warm-up badge: {warm['errors']}")
                return 1
        for _ in range(args.rounds):
            before = issuer.requests()
            times, verdicts = ours_one_by_one(urls[1:], host)
            requests["ours one by one"] += issuer.requests() - before
            before = issuer.requests()
            seconds, batch_verdicts = ours_batch(urls[1:], host)
            requests["ours batch"] += issuer.requests() - before
            if verdicts | batch_verdicts != {"valid"}:
                print(f"  FAILED: our verdicts {sorted(verdicts | batch_verdicts)}, expected only 'valid'")
                return 1
            one += times
            batch.append(seconds)
            if theirs is None:
                continue
            before = issuer.requests()
            result = theirs.run(urls[1:])
            requests["badgecheck"] += issuer.requests() - before
            # A ratio over failed verifications would be meaningless: badgecheck must reach "valid"
            # on every badge, from the same loopback issuer, in this very run.
            if result["valid"] != args.n or result["served"]["other"]:
                print(f"  badgecheck           FAILED: valid {result['valid']}/{args.n}, errors "
                      f"{result['errors']}, requests {result['served']}")
                return 1
            their_times += result["times"]
            ratios_one.append(statistics.median(result["times"]) / statistics.median(times))
            ratios_batch.append(statistics.median(result["times"]) / seconds)
        per = args.rounds * args.n
        print(f"  ours, one by one     {statistics.median(one) * 1000:8.2f} ms a badge   "
              f"{requests['ours one by one'] / per:.2f} requests a badge")
        print(f"  ours, batch          {statistics.median(batch) * 1000:8.2f} ms a badge   "
              f"{requests['ours batch'] / per:.2f} requests a badge")
        first, second, asked_first, asked_second = cached_batches(issuer, urls[1:], host)
        print(f"  ours, batch with the embedded HTTP cache (max-age=300): first {first:.2f} ms a badge "
              f"({asked_first} requests), second {second:.2f} ms a badge ({asked_second} requests), "
              f"x{first / second:.1f}")
        if theirs is None:
            print(f"  badgecheck           not run: {why}")
            return 0
        print(f"  badgecheck 1.1.8     {statistics.median(their_times) * 1000:8.2f} ms a badge   "
              f"{requests['badgecheck'] / per:.2f} requests a badge, valid {len(their_times)}/{per} "
              f"(OB 2.0 context from the pinned copy)")
        print(f"  ratio badgecheck/ours (median of the rounds' ratios): one by one "
              f"x{statistics.median(ratios_one):.1f}, batch x{statistics.median(ratios_batch):.1f}")
    finally:
        issuer.close()
        if theirs is not None:
            theirs.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
