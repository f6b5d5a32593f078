"""The app as a real server for the browser tests: ``streamlit run app.py`` on a free 127.0.0.1 port,
waited for until healthy, always stopped (its whole process group), and Debian's chromium to drive it."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import pytest

from support.paths import APP, ROOT

CHROMIUM = "/usr/bin/chromium"
# Every browser test: a real Chromium, a generous timeout, skipped where Debian's chromium is absent.
BROWSER_MARKS = [
    pytest.mark.browser,
    pytest.mark.timeout(300),
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Debian's chromium at /usr/bin/chromium"),
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_healthy(base: str, proc: subprocess.Popen, log: Path, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited early:\n{log.read_text(errors='replace')[-3000:]}")
        try:
            with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as resp:  # noqa: S310 - localhost
                if resp.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"streamlit did not become healthy in {timeout}s:\n{log.read_text(errors='replace')[-3000:]}")


def start(port: int, env: Mapping[str, str], log: Path, *, cwd: Path = ROOT) -> subprocess.Popen:
    """``streamlit run app.py`` on 127.0.0.1:``port`` in ``cwd`` (whose ``.streamlit/`` configures it),
    output to ``log``; in a session of its own so :func:`stop` ends everything it started."""
    with log.open("wb") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(APP), "--server.headless", "true",
             "--server.port", str(port), "--server.address", "127.0.0.1",
             "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"],
            cwd=cwd, env=dict(env), stdout=out, stderr=subprocess.STDOUT, start_new_session=True)


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=15)


@contextmanager
def running_app(tmp_path: Path, **env: str) -> Iterator[str]:
    """The app with a fresh wallet file in ``tmp_path`` (plus ``env``), served until the block ends; yields
    its base URL, which is also the wallet's public URL."""
    port = free_port()
    base = f"http://localhost:{port}"
    log = tmp_path / "streamlit.log"
    proc = start(port, {**os.environ, "BADGE_WALLET_DB": str(tmp_path / "wallet.json"),
                        "BADGE_WALLET_PUBLIC_URL": base, "BADGE_WALLET_ALLOW_HOSTS": "", **env}, log)
    try:
        wait_healthy(base, proc, log)
        yield base
    finally:
        stop(proc)
