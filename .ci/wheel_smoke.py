"""Smoke test of an installed wheel (run by .ci/run with the fresh venv's python, outside the source tree).

The installed package, not the checkout, must be what runs; the default wallet goes to the user's
data folder; the demo set is installed without its private keys and is trusted only in demo mode.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import verifier
import wallet
from verifier.demo import DEMO_DIR

bin_dir = Path(sys.executable).parent
site = Path(verifier.__file__).resolve().parent.parent
assert "site-packages" in str(site), f"verifier was imported from {site}, not from the installed wheel"
assert Path(wallet.__file__).resolve().parent.parent == site
badge = DEMO_DIR / "badges" / "data-analysis.png"
assert badge.is_file(), "the demo set is missing from the installed package"
assert not list(site.glob("**/issuer-rsa-private.pem")) and not list(site.glob("**/issuer-ed25519-seed.hex"))


def run(*args: str, demo: bool = False) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("BADGE_WALLET_DEMO", "BADGE_WALLET_DB")}
    if demo:
        env["BADGE_WALLET_DEMO"] = "1"
    return subprocess.run([str(bin_dir / args[0]), *args[1:]], env=env, capture_output=True, text=True, timeout=120)


demo_run = run("badge-verify", "--offline", "--json", str(badge), demo=True)
assert demo_run.returncode == 0 and json.loads(demo_run.stdout)["verdict"] == "valid", demo_run.stdout + demo_run.stderr
plain = run("badge-verify", "--offline", str(badge))
assert plain.returncode == 1 and "UNVERIFIABLE" in plain.stdout, plain.stdout + plain.stderr

data_home = Path(os.environ["XDG_DATA_HOME"])
shutil.rmtree(data_home / "badge-wallet", ignore_errors=True)
imported = run("badge-wallet", "--offline", "import", str(badge), demo=True)
assert imported.returncode == 0, imported.stdout + imported.stderr
assert (data_home / "badge-wallet" / "demo-wallet.json").is_file(), "the demo wallet is not in the data folder"
listed = run("badge-wallet", "list", "--json", demo=True)
rows = json.loads(listed.stdout)
assert [r["verdict"] for r in rows] == ["valid"], listed.stdout
assert not (site / "data").exists(), "something wrote into site-packages/data"
print(f"wheel smoke test passed: installed at {site}, wallet in {data_home / 'badge-wallet'}")
