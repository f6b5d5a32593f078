"""Hosted mode through the wallet CLI and the Wallet facade: the same flows as a wallet file, per owner."""
from __future__ import annotations

import json

from support.postgres import fresh_owner

from wallet.cli import main
from wallet.demo import demo_files
from wallet.hosted import open_wallet
from wallet.portfolio import token_from, token_hash
from wallet.service import Wallet
from wallet.settings import settings_from_env
from wallet.sql_store import SQLStore, portfolio_owner


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_cli_import_list_share_open_revoke_per_owner(pg_url, capsys):
    alice, bob = fresh_owner("alice"), fresh_owner("bob")
    files = [str(f.path) for f in demo_files()][:2]
    code, out, _ = run(capsys, "--db", pg_url, "migrate")
    assert code == 0 and "already up to date" in out
    code, out, _ = run(capsys, "--db", pg_url, "--owner", alice, "import", *files)
    assert code in (0, 1) and "2 added" in out
    code, out, _ = run(capsys, "--db", pg_url, "--owner", alice, "import", files[0])
    assert "1 already in wallet" in out
    code, out, _ = run(capsys, "--db", pg_url, "--owner", alice, "list", "--json")
    rows = json.loads(out)
    assert len(rows) == 2
    code, out, _ = run(capsys, "--db", pg_url, "--owner", bob, "list", "--json")
    assert json.loads(out) == []  # Bob sees nothing of Alice's
    code, out, err = run(capsys, "--db", pg_url, "--owner", bob, "share", rows[0]["id"])
    assert code == 2 and "no badge with id" in err  # nor can he share her badge
    code, out, _ = run(capsys, "--db", pg_url, "--owner", alice, "share", rows[0]["id"], "--title", "Alice's")
    link = out.strip().splitlines()[0]
    assert code == 0 and "?p=" in link
    # a stranger opens the link: the database says whose portfolio it is, the owner's wallet renders it
    owner = portfolio_owner(pg_url, token_hash(token_from(link)))
    assert owner == alice
    view = Wallet(pg_url, owner=owner).open_portfolio(link)
    assert view.status == "ok" and view.title == "Alice's" and len(view.badges) == 1
    code, out, err = run(capsys, "--db", pg_url, "--owner", bob, "revoke", link)
    assert code == 2  # Bob cannot withdraw Alice's link
    code, out, _ = run(capsys, "--db", pg_url, "--owner", alice, "revoke", link)
    assert code == 0 and "revoked" in out
    assert Wallet(pg_url, owner=alice).open_portfolio(link).status == "revoked"


def test_cli_refuses_a_database_without_owner_and_db_commands_without_database(pg_url, capsys, tmp_path):
    code, _, err = run(capsys, "--db", pg_url, "list")
    assert code == 2 and "--owner" in err
    code, _, err = run(capsys, "--db", str(tmp_path / "w.json"), "migrate")
    assert code == 2 and "PostgreSQL" in err
    code, _, err = run(capsys, "--db", str(tmp_path / "w.json"), "--owner", "x", "list")
    assert code == 2 and "--owner" in err


def test_env_database_url_selects_the_sql_store(pg_url, monkeypatch):
    monkeypatch.setenv("BADGE_WALLET_DB", pg_url)
    owner = fresh_owner()
    wallet = open_wallet(settings_from_env(), owner=owner)  # the one place the environment is read
    assert isinstance(wallet.store, SQLStore) and wallet.store.owner == owner
    demo = demo_files()[0]
    assert wallet.import_file(demo.filename, demo.path.read_bytes()).status == "added"
    assert \
        [r["filename"] for r in SQLStore(pg_url, owner).entries()] == [demo.filename]


def test_unmigrated_database_is_a_sentence_naming_migrate(pg_url):
    from sqlalchemy import text

    from wallet.sql_store import transaction

    with transaction(pg_url) as conn:
        conn.execute(text("CREATE SCHEMA IF NOT EXISTS empty_schema"))
    url = pg_url + ("&" if "?" in pg_url else "?") + "options=-csearch_path%3Dempty_schema"
    import pytest

    from wallet.store import WalletError

    with pytest.raises(WalletError, match="migrate"):
        SQLStore(url, "x").entries()


def test_cli_settings_are_per_owner(pg_url, capsys):
    alice, bob = fresh_owner("alice"), fresh_owner("bob")
    assert run(capsys, "--db", pg_url, "--owner", alice, "name", "Alice Example")[0] == 0
    code, out, _ = run(capsys, "--db", pg_url, "--owner", alice, "name")
    assert code == 0 and "Alice Example" in out
    code, out, _ = run(capsys, "--db", pg_url, "--owner", bob, "name")
    assert "Alice Example" not in out
