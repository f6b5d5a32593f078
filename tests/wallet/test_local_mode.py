"""Local mode made safe: loopback-only by default, honest links, strict switches, a read-only public instance."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from streamlit import config
from streamlit.testing.v1 import AppTest
from support.paths import ROOT

from wallet.demo import demo_files
from wallet.mode import ConfigError, ReadOnlyStore, instance_mode, parse_switch, unreachable_reason
from wallet.service import Wallet
from wallet.store import TinyDBStore, WalletError

APP = str(ROOT / "app.py")


@pytest.fixture
def db(tmp_path, monkeypatch) -> Path:
    path = tmp_path / "wallet.json"
    monkeypatch.setenv("BADGE_WALLET_DB", str(path))
    for name in ("BADGE_WALLET_PUBLIC_URL", "BADGE_WALLET_PUBLIC_ONLY", "BADGE_WALLET_ALLOW_HOSTS"):
        monkeypatch.delenv(name, raising=False)
    return path


def app(**query) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params.update(query)
    return at.run()


def seeded(path: Path) -> tuple[Wallet, str]:
    wallet = Wallet(path, public_url="http://wallet.test")
    demo = demo_files()[0]
    result = wallet.import_file(demo.filename, demo.path.read_bytes())
    _, link = wallet.create_portfolio([result.entry_id], "Shared")
    return wallet, link


@pytest.mark.parametrize("value,expected", [("1", True), ("on", True), ("TRUE", True), (" yes ", True),
                                            ("0", False), ("off", False), ("", False), (None, False)])
def test_switch_words(value, expected):
    assert parse_switch("X", value) is expected


@pytest.mark.parametrize("value", ["maybe", "2", "enabled", "onn"])
def test_unknown_switch_value_is_refused_with_a_sentence(value):
    with pytest.raises(ConfigError, match="not understood"):
        instance_mode({"BADGE_WALLET_PUBLIC_ONLY": value})


def test_modes():
    assert instance_mode({}) == "local"
    assert instance_mode({"BADGE_WALLET_PUBLIC_ONLY": "on"}) == "public-only"
    assert instance_mode({"BADGE_WALLET_DB": "postgresql://db/w"}) == "hosted"
    assert instance_mode({"BADGE_WALLET_DB": "/tmp/w.json"}) == "local"


@pytest.mark.parametrize("link", ["http://localhost:8501/?p=x", "http://127.0.0.1:9000/?p=x", "http://[::1]/?p=x",
                                  "http://192.168.1.20:8501/?p=x", "http://10.0.0.5/?p=x", "http://169.254.1.1/",
                                  "http://laptop.local/?p=x", "http://wallet/?p=x", "http://app.localhost/"])
def test_links_nobody_else_can_open_are_named(link):
    reason = unreachable_reason(link)
    assert reason and "BADGE_WALLET_PUBLIC_URL" in reason


@pytest.mark.parametrize("link", ["https://badges.example.org/?p=x", "http://93.184.216.34:8080/?p=x"])
def test_public_links_have_no_warning(link):
    assert unreachable_reason(link) is None


def test_unknown_public_only_value_stops_the_app_before_any_wallet_access(db, monkeypatch):
    monkeypatch.setenv("BADGE_WALLET_PUBLIC_ONLY", "on-ish")
    at = app()
    assert not at.exception
    assert "not understood" in at.error[0].value and "did not start" in at.error[0].value
    assert not at.title and not at.button and not at.file_uploader
    assert not db.exists()  # no demo import, no wallet file


def test_share_page_links_use_the_served_address_and_warn_for_localhost(db):
    at = app()
    at.switch_page("app_pages/share_links.py").run()
    assert any("will not open for anyone else" in w.value for w in at.warning)
    ms = at.multiselect(key="share_badges")
    ms.select(ms.options[0])
    at.form_submit_button[0].click().run()
    assert not at.exception
    code = at.code[0]  # the portfolio link (one-badge pages follow)
    port = config.get_option("server.port")
    assert code.value.startswith(f"http://localhost:{port}/?p=")  # no browser URL in AppTest: the served port
    assert any("this computer" in w.value for w in at.warning)


def test_share_page_with_a_public_url_has_no_warning(db, monkeypatch):
    monkeypatch.setenv("BADGE_WALLET_PUBLIC_URL", "https://badges.example.org/")
    at = app()
    at.switch_page("app_pages/share_links.py").run()
    ms = at.multiselect(key="share_badges")
    ms.select(ms.options[0])
    at.form_submit_button[0].click().run()
    assert at.code[0].value.startswith("https://badges.example.org/?p=")
    assert not at.warning


def test_public_only_instance_never_writes_the_wallet_and_takes_no_uploads(db, monkeypatch):
    _, link = seeded(db)
    before = (db.read_bytes(), db.stat().st_mtime_ns, sorted(p.name for p in db.parent.iterdir()))
    monkeypatch.setenv("BADGE_WALLET_PUBLIC_ONLY", "on")  # once read as "off": it served the whole wallet
    previous = config.get_option("server.maxUploadSize")
    try:
        shared = app(p=link.split("?p=", 1)[1])
        assert not shared.exception and shared.title[0].value == "Shared"
        assert config.get_option("server.maxUploadSize") == 0  # Streamlit's upload endpoint takes nothing
        bare = app()
        assert bare.title[0].value == "Portfolio not found" and not bare.file_uploader
    finally:
        config.set_option("server.maxUploadSize", previous)
    after = (db.read_bytes(), db.stat().st_mtime_ns, sorted(p.name for p in db.parent.iterdir()))
    assert after == before


def test_public_only_instance_does_not_create_a_missing_wallet(db, monkeypatch):
    monkeypatch.setenv("BADGE_WALLET_PUBLIC_ONLY", "1")
    previous = config.get_option("server.maxUploadSize")
    try:
        at = app(p="x" * 43)
    finally:
        config.set_option("server.maxUploadSize", previous)
    assert at.title[0].value == "Portfolio not found"
    assert not db.exists() and not list(db.parent.iterdir())  # no demo import, no lock file


def test_read_only_store_refuses_every_write(tmp_path):
    inner = TinyDBStore(tmp_path / "w.json")
    inner.add_entries([{"id": "", "badge_id": "urn:x", "sha256": "0" * 64}])
    store = ReadOnlyStore(inner)
    assert len(store.entries()) == 1 and store.portfolios() == []
    for write in (lambda: store.add_entries([{"id": "", "sha256": "1" * 64}]), lambda: store.delete_entry("x"),
                  lambda: store.update_entries({"x": {}}), lambda: store.add_portfolios([{"id": "p"}]),
                  lambda: store.update_portfolio("p", {}), lambda: store.put_blob("x", b"")):
        with pytest.raises(WalletError, match="never changes the wallet"):
            write()
    assert len(inner.entries()) == 1


def _non_loopback_ip() -> str | None:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        try:
            s.connect(("192.0.2.1", 9))  # no packet is sent: this only picks the outgoing interface
            ip = s.getsockname()[0]
        except OSError:
            return None
    return None if ip.startswith("127.") or ip == "0.0.0.0" else ip


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_the_app_started_as_the_readme_says_listens_on_loopback_only(tmp_path, no_network):
    no_network.add_passthru("http://127.0.0.1")
    port = _free_port()
    env = dict(os.environ, BADGE_WALLET_DB=str(tmp_path / "w.json"))
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port)],
                            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if requests.get(f"http://127.0.0.1:{port}/_stcore/health", timeout=2).ok:
                    break
            except requests.ConnectionError:
                pass
            assert time.monotonic() < deadline and proc.poll() is None, "streamlit did not start"
            time.sleep(0.3)
        ip = _non_loopback_ip()
        if ip:
            with pytest.raises(OSError):
                socket.create_connection((ip, port), timeout=2).close()
    finally:
        proc.terminate()
        proc.wait(20)
