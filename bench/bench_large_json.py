"""Benchmark (not a test): time and peak memory to answer one ~19 MB JSON badge, by shape.

    python bench/bench_large_json.py            # every shape
    python bench/bench_large_json.py arrays     # one shape

Each shape is a signed OB 3.0 credential (eddsa-rdfc-2022, did:key) padded to about 19 MB (just under
the 20 MB file limit) and verified from its bytes through ``verifier.verify`` in a fresh process, which
prints wall time and peak RSS. Target: under 3 s and 300 MB for every shape.

Shapes: ``image`` (a 14 MB data: URI), ``tags`` (1.6 million short strings), ``arrays`` (4.5 million
empty arrays, the worst case of a nesting check that walks parsed nodes), ``objects`` (small evidence
objects), ``deep`` (arrays nested 4 million levels), ``svg`` (the ``image`` credential baked into an SVG).
"""
from __future__ import annotations

import base64
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

SHAPES = ("image", "tags", "arrays", "objects", "deep", "svg")
TARGET = 19 * 1024 * 1024


def credential(shape: str) -> bytes:
    from nacl.signing import SigningKey

    from verifier.keys import ed25519_multikey
    from verifier.proofs.data_integrity import sign_credential

    key = SigningKey(b"\x01" * 32)
    did = "did:key:" + ed25519_multikey(key.verify_key)
    cred = {"@context": ["https://www.w3.org/ns/credentials/v2",
                         "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
            "id": "urn:uuid:00000000-0000-4000-8000-000000000001",
            "type": ["VerifiableCredential", "OpenBadgeCredential"],
            "issuer": {"id": did, "type": ["Profile"], "name": "Bench College"},
            "validFrom": "2024-01-01T00:00:00Z", "name": "Large badge",
            "credentialSubject": {"id": "did:example:learner", "type": ["AchievementSubject"],
                                  "achievement": {"id": "https://bench.example/a", "type": ["Achievement"],
                                                  "name": "A", "description": "d", "criteria": {"narrative": "n"}}}}
    doc = sign_credential(cred, key, f"{did}#{did[8:]}", created="2024-01-01T00:00:00Z")
    achievement = doc["credentialSubject"]["achievement"]
    if shape in ("image", "svg"):
        achievement["image"] = {"id": "data:image/png;base64," + base64.b64encode(os.urandom(TARGET * 3 // 4 - 4096))
                                .decode(), "type": "Image"}
    elif shape == "tags":
        achievement["tag"] = [f"t{i}" for i in range(TARGET // 12)]
    elif shape == "arrays":
        doc["padding"] = [[] for _ in range(TARGET // 4)]
    elif shape == "objects":
        doc["evidence"] = [{"id": f"https://bench.example/e/{i}", "type": ["Evidence"]} for i in range(TARGET // 72)]
    text = json.dumps(doc)
    if shape == "deep":
        depth = (TARGET - len(text)) // 2 - 16
        text = text[:-1] + ', "padding": ' + "[" * depth + "]" * depth + "}"
    if shape == "svg":
        return ('<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0">'
                f'<openbadges:credential><![CDATA[{text}]]></openbadges:credential></svg>').encode()
    return text.encode()


def _peak_rss_mb() -> float:
    """This process's peak resident memory (VmHWM: per process, unlike ru_maxrss, which a child
    inherits from the parent that forked it)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def one(path: str) -> str:
    """Run in a child process: read the file, verify it and measure."""
    shape = Path(path).stem
    data = Path(path).read_bytes()
    base_rss = _peak_rss_mb()
    from verifier import verify

    start = time.perf_counter()
    report = verify(data, now=datetime(2025, 6, 1, tzinfo=UTC), offline=True)
    elapsed = time.perf_counter() - start
    peak = _peak_rss_mb()
    reason = next((c.message for c in report.checks if c.status != "pass"), "")
    return (f"{shape:<8} {len(data) / 1e6:5.1f} MB  {elapsed:5.2f} s  peak RSS {peak:5.0f} MB "
            f"(at start {base_rss:3.0f} MB)  {report.verdict}: {reason[:90]}")


def main(argv: list[str]) -> int:
    if argv[:1] == ["--child"]:
        print(one(argv[1]))
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        for shape in argv or SHAPES:
            path = Path(tmp) / f"{shape}.bin"
            path.write_bytes(credential(shape))
            out = subprocess.run([sys.executable, __file__, "--child", str(path)], capture_output=True, text=True)
            print(out.stdout.strip() or out.stderr.strip()[-500:])
            path.unlink()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
