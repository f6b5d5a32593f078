"""Benchmark (not a test): OB 3.0 eddsa-rdfc-2022 against digitalbazaar's JavaScript reference verifier.

    python bench/bench_ob3_js.py --n 200

Makes N distinct signed OB 3.0 credentials (one did:key issuer, a distinct proof time each), then
verifies them with

* this verifier: the full pipeline (``verify_with``: detection, schema, proof, dates …), one at a time
  in one process and as one batch through ``verifier.batch.verify_many`` (a wallet re-check);
* digitalbazaar's ``jsonld-signatures`` + ``@digitalbazaar/data-integrity`` +
  ``@digitalbazaar/eddsa-rdfc-2022-cryptosuite`` (proof check only), installed with npm into a scratch
  folder (``/tmp/bench-ob3-js``; never a dependency of this project), with a document loader serving
  the same pinned contexts and the did:key document from memory.

Both sides warm up on a few credentials first and are timed over the same N. Needs ``node`` and ``npm``
(and the npm registry); says why and stops when they are missing.
"""
from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

SCRATCH = Path("/tmp/bench-ob3-js")
PACKAGES = {"jsonld-signatures": "11.6.0", "@digitalbazaar/data-integrity": "2.5.0",
            "@digitalbazaar/eddsa-rdfc-2022-cryptosuite": "1.3.0", "@digitalbazaar/ed25519-multikey": "1.3.1"}
WARMUP = 5

VERIFY_JS = r"""
import {readFileSync} from 'node:fs';
import jsigs from 'jsonld-signatures';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {cryptosuite} from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';

const input = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const documents = input.documents;
const documentLoader = async url => {
  const document = documents[url] ?? documents[url.split('#')[0]];
  if(!document) throw new Error(`not in the bench loader: ${url}`);
  return {contextUrl: null, documentUrl: url, document};
};
const suite = new DataIntegrityProof({cryptosuite});
const purpose = () => new jsigs.purposes.AssertionProofPurpose();
const check = async credential => {
  const result = await jsigs.verify(credential, {suite, purpose: purpose(), documentLoader});
  if(!result.verified) throw new Error(JSON.stringify(result.error?.errors?.[0]?.message ?? result.error));
};
const warm = input.credentials.slice(0, input.warmup);
const timed = input.credentials.slice(input.warmup);
for(const c of warm) await check(c);
const start = process.hrtime.bigint();
for(const c of timed) await check(c);
const seconds = Number(process.hrtime.bigint() - start) / 1e9;
console.log(JSON.stringify({n: timed.length, seconds}));
"""


def install() -> str | None:
    """npm install into the scratch folder; None when done, else why not."""
    if not shutil.which("node") or not shutil.which("npm"):
        return "node and npm are not installed (apt-get install nodejs npm), so the JS reference cannot run"
    SCRATCH.mkdir(parents=True, exist_ok=True)
    (SCRATCH / "package.json").write_text(json.dumps({"name": "bench-ob3-js", "private": True, "type": "module",
                                                       "dependencies": PACKAGES}, indent=1))
    if all((SCRATCH / "node_modules" / name / "package.json").exists() for name in PACKAGES):
        return None
    proc = subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--loglevel=error"], cwd=SCRATCH,
                          capture_output=True, text=True, timeout=600)
    if proc.returncode != 0:
        return f"npm install failed: {proc.stderr.strip()[-800:]}"
    return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=200, help="timed credentials (default 200)")
    args = parser.parse_args(argv)

    from bench_verify import NOW, ob3_credentials

    from verifier import jsonld
    from verifier.api import verify_with
    from verifier.batch import verify_many
    from verifier.context import VerifyContext
    from verifier.fetch import SafeFetcher
    from verifier.jsonld import pinned_documents

    total = args.n + WARMUP
    print(f"making {total} signed credentials…", flush=True)
    credentials = ob3_credentials(total)
    jsonld._CANON_MEMO.clear()  # signing canonicalized them: verification must not reuse that

    # this verifier, one at a time (full pipeline) — and fresh credentials for the batch run, so no
    # canonical form is reused from the first run
    ctx = VerifyContext(now=NOW, fetcher=SafeFetcher(offline=True))
    for c in credentials[:WARMUP]:
        verify_with(c, ctx)
    start = time.perf_counter()
    verdicts = [verify_with(c, ctx).verdict for c in credentials[WARMUP:]]
    ours = (time.perf_counter() - start) / args.n
    assert set(verdicts) == {"valid"}, set(verdicts)
    batch_input = ob3_credentials(total)[WARMUP:]
    jsonld._CANON_MEMO.clear()
    start = time.perf_counter()
    batch = verify_many(batch_input, now=NOW, fetcher=SafeFetcher(offline=True))
    ours_batch = (time.perf_counter() - start) / args.n
    assert {r.verdict for r in batch} == {"valid"}
    print(f"this verifier, one by one     {ours * 1000:8.2f} ms per credential")
    print(f"this verifier, as one batch   {ours_batch * 1000:8.2f} ms per credential (verify_many)")

    why = install()
    if why:
        print(f"JS reference: not run — {why}.")
        return 0
    did = credentials[0]["issuer"]["id"]
    vm = credentials[0]["proof"]["verificationMethod"]
    multibase = did.split(":", 2)[2]
    documents = {url: json.loads(path.read_text(encoding="utf-8")) for url, path in pinned_documents().items()
                 if url in ("https://www.w3.org/ns/credentials/v2",
                            "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
                            "https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1",
                            "https://w3id.org/security/data-integrity/v2")}
    method = {"@context": "https://w3id.org/security/multikey/v1", "id": vm, "type": "Multikey",
              "controller": did, "publicKeyMultibase": multibase}
    documents[did] = {"@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
                      "id": did, "verificationMethod": [method], "assertionMethod": [vm], "authentication": [vm]}
    documents[vm] = method
    payload = SCRATCH / "input.json"
    payload.write_text(json.dumps({"credentials": credentials, "documents": documents, "warmup": WARMUP}))
    (SCRATCH / "verify.mjs").write_text(VERIFY_JS)
    proc = subprocess.run(["node", "verify.mjs", str(payload)], cwd=SCRATCH, capture_output=True, text=True,
                          timeout=1800)
    if proc.returncode != 0:
        print(f"JS reference: failed — {proc.stderr.strip()[-1500:]}")
        return 1
    js = json.loads(proc.stdout.strip().splitlines()[-1])
    theirs = js["seconds"] / js["n"]
    print(f"digitalbazaar JS (proof only) {theirs * 1000:8.2f} ms per credential")
    print(f"ratio ours/JS: one by one {ours / theirs:.2f}×, batch {ours_batch / theirs:.2f}× "
          "(goal ≤ 0.3×; below 1 means faster than the reference)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
