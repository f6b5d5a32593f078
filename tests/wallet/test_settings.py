"""Settings are read once, from one place: every BADGE_WALLET_* variable into a frozen Settings."""
from __future__ import annotations

import ast
import dataclasses
from pathlib import Path

import pytest

from wallet import Wallet
from wallet.settings import ConfigError, Settings, settings_from_env

ROOT = Path(__file__).resolve().parents[2]
# The only modules that may look at the environment: the settings reader, and the verifier's own command line
# (an entry point of the library that knows nothing of wallets: it reads BADGE_WALLET_DEMO for --demo).
READERS = {"wallet/settings.py", "verifier/cli.py"}


def test_every_variable_is_read_into_its_field(tmp_path):
    env = {"BADGE_WALLET_DB": f" {tmp_path / 'w.json'} ", "BADGE_WALLET_DEMO": "yes",
           "BADGE_WALLET_PUBLIC_URL": "https://wallet.example.net/app/", "BADGE_WALLET_PUBLIC_ONLY": "0",
           "BADGE_WALLET_ALLOW_HOSTS": " intranet.example , localhost:8000 ,"}
    settings = settings_from_env(env)
    assert settings == Settings(db=str(tmp_path / "w.json"), demo=True, public_url="https://wallet.example.net/app",
                                public_only=False, allow_hosts=("intranet.example", "localhost:8000"))
    assert settings.mode == "local" and settings.wallet_path == tmp_path / "w.json" and settings.mirrors
    assert settings_from_env({"BADGE_WALLET_DB": "postgresql://db/w"}).mode == "hosted"
    assert settings_from_env({"BADGE_WALLET_PUBLIC_ONLY": "on"}).mode == "public-only"


def test_nothing_set_is_the_safe_default():
    settings = settings_from_env({})
    assert settings == Settings() and not settings.demo and settings.allow_hosts == () and settings.mirrors == {}
    assert settings.wallet_path.name == "wallet.json"


def test_an_unclear_switch_stops_start_up():
    with pytest.raises(ConfigError, match="BADGE_WALLET_PUBLIC_ONLY"):
        settings_from_env({"BADGE_WALLET_PUBLIC_ONLY": "maybe"})


def test_settings_are_frozen_and_the_wallet_takes_them(tmp_path):
    settings = settings_from_env({"BADGE_WALLET_DEMO": "1", "BADGE_WALLET_ALLOW_HOSTS": "intra.example",
                                  "BADGE_WALLET_PUBLIC_URL": "https://w.example"}).with_db(str(tmp_path / "w.json"))
    with pytest.raises(dataclasses.FrozenInstanceError):
        settings.demo = False  # type: ignore[misc]
    w = Wallet.from_settings(settings, offline=True)
    assert (w.path, w.demo, w.allow_hosts, w.public_url, w.offline) == \
        (tmp_path / "w.json", True, ["intra.example"], "https://w.example", True)


def _reads_environment(path: Path) -> bool:
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Attribute) and node.attr in ("environ", "getenv", "environb"):
            return True
        if isinstance(node, ast.ImportFrom) and node.module == "os" and \
                any(a.name in ("environ", "getenv") for a in node.names):
            return True
    return False


def test_only_the_settings_module_reads_the_environment():
    product = [*ROOT.glob("wallet/**/*.py"), *ROOT.glob("verifier/**/*.py"), *ROOT.glob("app_pages/*.py"),
               ROOT / "app.py"]
    readers = {str(p.relative_to(ROOT)) for p in product if _reads_environment(p)}
    assert readers <= READERS, f"read the environment through wallet.settings.settings_from_env: {readers - READERS}"
    assert "wallet/settings.py" in readers


def test_the_environment_check_sees_a_reader(tmp_path):
    probe = tmp_path / "probe.py"
    probe.write_text("import os\nx = os.environ.get('BADGE_WALLET_DB')\n")
    assert _reads_environment(probe)
    probe.write_text("from os import getenv\n")
    assert _reads_environment(probe)
    probe.write_text("x = settings.db\n")
    assert not _reads_environment(probe)
