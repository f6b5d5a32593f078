"""Shared test set-up: no test reaches the network.

Every test runs inside a ``responses`` mock (an unregistered URL raises ConnectionError), and DNS is
replaced by a fixed table so the SSRF guard can be exercised without a resolver.
"""
from __future__ import annotations

import time
from pathlib import Path

import pytest
import responses
from support.caching_server import CachingServer

import verifier.fetch

# Fake DNS: any name resolves to a public documentation address, except these.
FAKE_DNS = {
    "localhost": ["127.0.0.1"],
    "intranet.example": ["10.1.2.3"],
    "metadata.example": ["169.254.169.254"],
    "rebind.example": ["93.184.216.34", "192.168.1.10"],
}


def fake_resolver(host: str) -> list[str]:
    if host.endswith(".invalid"):
        raise OSError("name does not resolve")
    return FAKE_DNS.get(host.lower(), ["93.184.216.34"])


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    """Fake DNS and a strict HTTP mock for every test; yields the mock for registering URLs."""
    monkeypatch.setattr(verifier.fetch, "system_resolver", fake_resolver)
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield mock


@pytest.fixture(autouse=True)
def demo_mode_and_own_data_dir(monkeypatch, tmp_path_factory):
    """The suite runs in demo mode (most tests use the demo set, which verifies only then); tests of
    the default delete ``BADGE_WALLET_DEMO``. The user's data folder is a temporary one, so no test
    ever writes a real wallet."""
    monkeypatch.setenv("BADGE_WALLET_DEMO", "1")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path_factory.mktemp("xdg-data")))


@pytest.fixture
def http(no_network):
    """The active ``responses`` mock: ``http.get(url, json=...)`` serves a URL to the verifier."""
    return no_network


@pytest.fixture
def db(tmp_path, monkeypatch) -> Path:
    """A fresh wallet file for the app (``BADGE_WALLET_DB``), public URL set, no private hosts allowed."""
    path = tmp_path / "wallet.json"
    monkeypatch.setenv("BADGE_WALLET_DB", str(path))
    monkeypatch.setenv("BADGE_WALLET_PUBLIC_URL", "http://wallet.test")
    monkeypatch.delenv("BADGE_WALLET_ALLOW_HOSTS", raising=False)
    return path


@pytest.fixture
def pg_url() -> str:
    """A migrated PostgreSQL database URL (skips, or fails in CI, without one; see support/postgres.py)."""
    from support.postgres import migrated_database_url

    return migrated_database_url()




@pytest.fixture
def caching_server(no_network):
    """A real HTTP server on 127.0.0.1 that answers with caching headers and counts what it was asked."""
    server = CachingServer().start()
    no_network.add_passthru("http://127.0.0.1")  # this test's own server is really reached
    yield server
    server.stop()


@pytest.fixture
def cache_clock(monkeypatch):
    """cache_clock(seconds): the HTTP cache's clock runs ``seconds`` ahead from now on."""
    import cachecontrol.controller as controller

    class Clock:
        offset = 0.0

        @staticmethod
        def time() -> float:
            return time.time() + Clock.offset

    monkeypatch.setattr(controller, "time", Clock)
    return lambda seconds: setattr(Clock, "offset", seconds)
