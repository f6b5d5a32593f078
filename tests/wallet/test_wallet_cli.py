"""``python -m wallet``: every command, exit codes, errors as sentences."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from support.paths import ROOT as REPO
from support.wallet_badges import NOW, hosted_badge, revoke

from wallet import Wallet
from wallet.cli import main


@pytest.fixture
def db(tmp_path, monkeypatch) -> str:
    monkeypatch.delenv("BADGE_WALLET_DB", raising=False)
    monkeypatch.delenv("BADGE_WALLET_PUBLIC_URL", raising=False)
    return str(tmp_path / "cli.json")


def write(tmp_path, name: str, data: bytes) -> str:
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_import_list_verify_share_revoke(http, db, tmp_path, capsys):
    a = write(tmp_path, "a.png", hosted_badge(http, "cli-a", name="Soldering"))
    b = write(tmp_path, "b.png", hosted_badge(http, "cli-b", name="Welding"))
    code, out, _ = run(capsys, "--db", db, "import", a, b)
    assert code == 0
    assert "added     a.png: Added “Soldering”: it is genuine." in out
    assert "2 added, 0 already in wallet, 0 rejected." in out

    code, out, _ = run(capsys, "--db", db, "list", "--json")
    rows = json.loads(out)
    assert code == 0 and [r["name"] for r in rows] == ["Soldering", "Welding"]
    assert set(rows[0]) >= {"id", "name", "issuer", "verdict", "category", "reasons"}
    assert rows[0]["issuer"] == "Example Skills College" and rows[0]["verdict"] == "valid"
    assert rows[0]["category"] == "badge" and rows[0]["reasons"][0].startswith("Not declared")
    ids = [r["id"] for r in rows]

    code, out, _ = run(capsys, "--db", db, "list")
    assert f"{ids[0]}  Soldering — Example Skills College (skills.example.edu)  [valid, badge]" in out

    code, out, _ = run(capsys, "--db", db, "verify")
    assert code == 0 and out.count("is still valid") == 2

    code, out, err = run(capsys, "--db", db, "share", ids[0], "--title", "For Acme", "--expires", "7")
    link = out.strip()
    assert code == 0 and link.startswith("http://localhost:8501/?p=") and "Keep this link" in err
    assert Wallet(db, now=NOW).open_portfolio(link).status == "ok"

    code, out, _ = run(capsys, "--db", db, "portfolios")
    assert "active" in out and "“For Acme”" in out

    code, out, _ = run(capsys, "--db", db, "revoke", link.split("?p=")[1])
    assert code == 0 and "is revoked" in out
    assert Wallet(db, now=NOW).open_portfolio(link).status == "revoked"

    revoke(http, "cli-b")
    code, out, _ = run(capsys, "--db", db, "verify", ids[1])
    assert code == 1 and "was valid and is now revoked" in out


def test_import_exit_code_and_sentences_for_bad_files(http, db, tmp_path, capsys):
    good = write(tmp_path, "g.png", hosted_badge(http, "cli-g"))
    code, out, _ = run(capsys, "--db", db, "import", good, write(tmp_path, "n.txt", b"hello"),
                       str(tmp_path / "missing.png"))
    assert code == 1
    assert "rejected  n.txt: Not stored: This file is not a badge" in out
    assert "missing.png: Cannot read the file (No such file or directory)." in out
    assert "1 added, 0 already in wallet, 2 rejected." in out
    code, out, _ = run(capsys, "--db", db, "import", good)
    assert code == 0 and "Already in wallet" in out


def test_export_then_import_archive_into_another_wallet(http, db, tmp_path, capsys):
    run(capsys, "--db", db, "import", write(tmp_path, "x.png", hosted_badge(http, "cli-x")))
    archive = str(tmp_path / "backup.zip")
    code, out, _ = run(capsys, "--db", db, "export", archive)
    assert code == 0 and out.strip() == f"Exported 1 badge(s) to {archive}."
    other = str(tmp_path / "other.json")
    code, out, _ = run(capsys, "--db", other, "import-archive", archive)
    assert code == 0 and "Restored" in out
    keep = ("id", "filename", "content_b64", "sha256", "badge_id", "badge", "verdict", "category", "notes", "tags",
            "authenticated")

    def same(path: str) -> list[dict]:
        return [{k: e.to_record()[k] for k in keep} for e in Wallet(path).entries()]
    assert same(other) == same(db)  # verified again on restore, to the same result


def test_errors_are_sentences_with_exit_status_2(http, db, tmp_path, capsys):
    code, _, err = run(capsys, "--db", db, "verify", "nope")
    assert code == 2 and err.strip() == "There is no badge with id nope in this wallet."
    code, _, err = run(capsys, "--db", db, "revoke", "nope")
    assert code == 2 and "No portfolio link" in err
    code, _, err = run(capsys, "--db", db, "import-archive", str(tmp_path / "none.zip"))
    assert code == 2 and err.startswith("Cannot read")
    Path(db).write_text("{not json")
    code, _, err = run(capsys, "--db", db, "list")
    assert code == 2 and "is damaged" in err and "left untouched" in err
    assert Path(db).read_text() == "{not json"


def test_wallet_file_from_the_environment(http, db, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("BADGE_WALLET_DB", db)
    run(capsys, "import", write(tmp_path, "e.png", hosted_badge(http, "cli-env")))
    assert len(Wallet(db).entries()) == 1
    code, out, _ = run(capsys, "list")
    assert code == 0 and "Badge cli-env" in out


def test_python_dash_m_wallet_runs(tmp_path):
    env = dict(os.environ, BADGE_WALLET_DB=str(tmp_path / "sub.json"))
    done = subprocess.run([sys.executable, "-m", "wallet", "list"], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and done.stdout.strip() == "The wallet is empty."
    usage = subprocess.run([sys.executable, "-m", "wallet"], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert usage.returncode == 2 and "COMMAND" in usage.stderr
