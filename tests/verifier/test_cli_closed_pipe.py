"""A reader that stops early (``python -m verifier … | head``) ends the command quietly, not with a traceback."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BADGE = ROOT / "verifier" / "demo_data" / "badges" / "first-aid.png"


@pytest.mark.parametrize(("argv", "expected"), [
    ([sys.executable, "-m", "verifier", "--json", str(BADGE)], {141}),
    ([sys.executable, "-m", "verifier", str(BADGE)], {141}),
    # argparse's help exits 0 itself; only the absence of a traceback is ours to promise there.
    ([sys.executable, "-m", "verifier", "--help"], {0, 141}),
    ([sys.executable, "-m", "wallet", "--help"], {0, 141}),
])
def test_output_to_a_closed_pipe_ends_quietly(argv: list[str], expected: set[int]) -> None:
    proc = subprocess.Popen(argv, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # the reader is gone before the command writes anything
    err = proc.stderr.read().decode()
    code = proc.wait(timeout=120)
    assert "Traceback" not in err
    assert "BrokenPipeError" not in err
    assert code in expected, (code, err)
