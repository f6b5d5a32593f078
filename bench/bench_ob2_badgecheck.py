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
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from verifier import verify  # noqa: E402
from verifier.batch import verify_many  # noqa: E402
from verifier.fetch import SafeFetcher  # noqa: E402

NOW = datetime(2025, 6, 1, tzinfo=UTC)
SCRATCH = Path("/tmp/bench-badgecheck-venv")
PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478"
                    "9c6360000002000154a24f5d0000000049454e44ae426082")

BADGECHECK_SCRIPT = r"""
import json, sys, time
import requests
# No network here: badgecheck gets the OB 2.0 context from the same pinned file our verifier uses.
CONTEXT = open(sys.argv[2], encoding="utf-8").read()
_get = requests.Session.get
def get(self, url, *args, **kwargs):
    if url.rstrip("/") in ("https://w3id.org/openbadges/v2", "https://openbadgespec.org/v2/context.json"):
        response = requests.Response()
        response.status_code, response._content, response.url = 200, CONTEXT.encode(), url
        response.headers["Content-Type"] = "application/ld+json"
        return response
    return _get(self, url, *args, **kwargs)
requests.Session.get = get
from openbadges import verify
urls = json.loads(sys.argv[1])
verify(urls[0])  # warm-up (imports, first connection)
start = time.perf_counter()
ok = 0
for url in urls[1:]:
    result = verify(url)
    ok += bool(result.get("report", {}).get("valid"))
    errors = [m for m in result.get("report", {}).get("messages", []) if m.get("messageLevel") == "ERROR"]
print(json.dumps({"first_errors": errors[:3]}), file=sys.stderr)
print(json.dumps({"seconds": time.perf_counter() - start, "valid": ok, "n": len(urls) - 1}))
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


def serve(n: int, latency: float) -> tuple[ThreadingHTTPServer, str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    docs = documents(base, n)

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True  # headers and body go out at once (no delayed-ACK stalls)

        def do_GET(self) -> None:  # noqa: N802
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

    server.RequestHandlerClass = Handler
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, base


def badgecheck_python() -> tuple[Path | None, str]:
    python = SCRATCH / "bin" / "python"
    if not python.exists():
        steps = [[sys.executable, "-m", "venv", str(SCRATCH)],
                 [str(python), "-m", "pip", "install", "-q", "badgecheck==1.1.8"],
                 [str(python), "-m", "pip", "install", "-q", "-U", "pycryptodome", "python-jose", "pytz",
                  "requests-cache"]]
        for step in steps:
            done = subprocess.run(step, capture_output=True, text=True)
            if done.returncode:
                return None, f"badgecheck could not be installed: {done.stderr.strip()[-300:]}"
    check = subprocess.run([str(python), "-c", "import openbadges"], capture_output=True, text=True)
    if check.returncode:
        return None, f"badgecheck does not import: {check.stderr.strip()[-300:]}"
    return python, ""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=50)
    parser.add_argument("--latency-ms", type=float, default=0.0)
    args = parser.parse_args(argv)
    server, base = serve(args.n, args.latency_ms / 1000)
    host = base.removeprefix("http://")
    urls = [f"{base}/assertions/{i}" for i in range(args.n + 1)]
    try:
        verify(urls[0], now=NOW, allow_hosts=[host])  # warm-up
        start = time.perf_counter()
        one = [verify(u, now=NOW, allow_hosts=[host]) for u in urls[1:]]
        ours_one = (time.perf_counter() - start) / args.n
        fetcher = SafeFetcher(allow_hosts=[host])
        start = time.perf_counter()
        batch = verify_many(urls[1:], now=NOW, fetcher=fetcher)
        ours_batch = (time.perf_counter() - start) / args.n
        fetcher.close()
        print(f"OB 2.0 hosted, {args.n} distinct badges, issuer latency {args.latency_ms:g} ms")
        print(f"  ours, one by one     {ours_one * 1000:8.2f} ms a badge   verdicts "
              f"{sorted({str(r.verdict) for r in one})}")
        print(f"  ours, batch          {ours_batch * 1000:8.2f} ms a badge   verdicts "
              f"{sorted({str(r.verdict) for r in batch})}")
        python, why = badgecheck_python()
        if python is None:
            print(f"  badgecheck           not run: {why}")
            return 0
        context = Path(__file__).resolve().parent.parent / "verifier" / "contexts" / "openbadges-v2.json"
        done = subprocess.run([str(python), "-c", BADGECHECK_SCRIPT, json.dumps(urls), str(context)],
                              capture_output=True,
                              text=True, timeout=600)
        if done.returncode:
            print(f"  badgecheck           failed: {done.stderr.strip()[-400:]}")
            return 0
        if result_errors := done.stderr.strip():
            print(f"  badgecheck errors    {result_errors[-600:]}")
            return 0
        result = json.loads(done.stdout.strip().splitlines()[-1])
        theirs = result["seconds"] / result["n"]
        print(f"  badgecheck 1.1.8     {theirs * 1000:8.2f} ms a badge   valid {result['valid']}/{result['n']}")
        print(f"  ratio badgecheck/ours: one by one ×{theirs / ours_one:.1f}, batch ×{theirs / ours_batch:.1f}")
    finally:
        server.shutdown()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
