"""The built wheel: every module and data file, the demo set without its private keys, both console
scripts. (.ci/run also installs the wheel in a fresh venv and runs a smoke test, .ci/wheel_smoke.py.)"""
from __future__ import annotations

import subprocess
import sys
import zipfile

import pytest
from support.paths import ROOT


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> zipfile.ZipFile:
    out = tmp_path_factory.mktemp("wheel")
    build = tmp_path_factory.mktemp("build")
    # Built offline from the installed setuptools (test extra); the source tree is left untouched.
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation",
                    "--no-index", "-w", str(out), str(ROOT)], check=True, cwd=build, capture_output=True,
                   timeout=240)
    [path] = out.glob("badge_wallet-*.whl")
    return zipfile.ZipFile(path)


def test_wheel_holds_every_module_and_data_file(wheel):
    names = set(wheel.namelist())
    tracked = subprocess.run(["git", "ls-files", "verifier", "wallet"], cwd=ROOT, capture_output=True,
                             text=True, check=True).stdout.split()
    missing = [f for f in tracked if f not in names and not f.endswith((".md", ".txt"))]
    assert not missing, missing
    assert "verifier/demo_data/manifest.json" in names
    assert any(n.startswith("verifier/demo_data/badges/") for n in names)
    assert "verifier/demo_data/hosted/issuer.json" in names


def test_wheel_carries_no_private_key(wheel):
    seed = (ROOT / "data" / "demo" / "keys" / "issuer-ed25519-seed.hex").read_text().strip().encode()
    for name in wheel.namelist():
        assert "/keys/" not in name, name
        assert not name.endswith(".pem") or "public" in name, name
        data = wheel.read(name)
        assert b"PRIVATE KEY" not in data and seed not in data, name


def test_wheel_declares_both_console_scripts(wheel):
    [entry_points] = [n for n in wheel.namelist() if n.endswith(".dist-info/entry_points.txt")]
    text = wheel.read(entry_points).decode()
    assert "badge-wallet = wallet.cli:main" in text and "badge-verify = verifier.cli:main" in text
    [metadata] = [n for n in wheel.namelist() if n.endswith(".dist-info/METADATA")]
    assert "Requires-Dist: platformdirs==" in wheel.read(metadata).decode()
