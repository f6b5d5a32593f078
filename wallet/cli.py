"""``python -m wallet [--db PATH|URL] [--owner ID] COMMAND``: the wallet for scripting.

Commands: ``import FILE...``, ``list [--json]``, ``verify [ID...]``, ``share ID... [--title T]
[--expires DAYS] [--show-email]``, ``portfolios``, ``revoke TOKEN|LINK|ID``, ``export PATH``,
``import-archive PATH``, ``recreate PORTFOLIO_ID``, ``identity list|add|remove [VALUE]`` (the e-mail
addresses, URLs and DIDs each badge's recipient is matched against), ``name [NAME]`` (the display name on
public pages), ``present ID... --out FILE [--challenge C] [--domain D]`` (a holder-signed presentation), ``pdf ID...
--out FILE [--link LINK] [--title T]`` (printable pages with a QR code to the live page),
``registry add|remove|list [FILE_OR_URL]``, ``trust [ISSUER_ID]``, ``untrust ISSUER_ID``. The wallet file is
``--db PATH``, else ``$BADGE_WALLET_DB``, else ``wallet.json`` in the user's data folder
(``demo-wallet.json`` with ``BADGE_WALLET_DEMO=1``); private hosts the fetcher may reach come from
``$BADGE_WALLET_ALLOW_HOSTS``.

Hosted mode: ``--db postgresql://…`` (or ``$BADGE_WALLET_DB``) is a shared database; every wallet
command then needs ``--owner ID``. ``migrate`` creates or upgrades its schema; ``worker [--once]`` runs the
background jobs (see :mod:`wallet.jobs`); ``did-server [--host H] [--port P]`` serves the learners' did:web
documents (see :mod:`wallet.hosted_did`).

Exit status: 0 success; 1 some file was rejected (import) or some badge is not valid (verify);
2 a usage or wallet error (printed as a sentence on stderr).
"""
from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson

from verifier import json_text, terminal_safe_output

from .dburl import is_database_url
from .settings import Settings, settings_from_env
from .store import WalletError, atomic_write

if TYPE_CHECKING:
    from .model import EntrySummary
    from .results import ImportResult
    from .service import Wallet

# Imports are kept light here: ``list`` reads the store alone (wallet.entries.listing); the verifier,
# the fetcher, SQLAlchemy and the Wallet facade are loaded only by the commands that use them.


def _print_results(results: Sequence[ImportResult]) -> int:
    for r in results:
        print(f"{r.status:<9} {r.filename}: {r.message}")
    added = sum(r.status == "added" for r in results)
    dup = sum(r.status == "duplicate" for r in results)
    replaced = sum(r.status == "replaced" for r in results)
    rejected = sum(r.status == "rejected" for r in results)
    print(f"{added} added, {dup} already in wallet, " + (f"{replaced} replaced by an authenticated copy, "
                                                         if replaced else "") + f"{rejected} rejected.")
    return 1 if rejected else 0


def _cmd_import(wallet: Wallet, args: argparse.Namespace) -> int:
    from .results import ImportResult

    files, unreadable = [], []
    for name in args.files:
        try:
            files.append((Path(name).name, Path(name).read_bytes()))
        except OSError as exc:
            unreadable.append(ImportResult(name, "rejected", f"Cannot read the file ({exc.strerror or exc})."))
    return _print_results(unreadable + wallet.import_files(files))


def _cmd_list(listed: tuple[list[EntrySummary], list[str]], args: argparse.Namespace) -> int:
    entries, damage = listed  # no file, report or checklist is read: fast for a big wallet
    for sentence in damage:
        print(sentence, file=sys.stderr)
    rows: list[dict[str, Any]] = [{"id": e.id, "name": e.name, "issuer": e.issuer_name, "issuer_origin": e.issuer_origin,
             "verdict": e.verdict, "category": e.effective_category,
             "reasons": [s.sentence for s in e.effective_reasons], "tags": e.tags,
             "issuer_identity": e.issuer_identity} for e in entries]
    if args.json:
        try:  # orjson writes the same text as json.dumps(indent=2, ensure_ascii=False), ~6x faster
            text = orjson.dumps(rows, option=orjson.OPT_INDENT_2).decode("utf-8")
        except (TypeError, orjson.JSONEncodeError):  # an integer beyond 64 bits
            text = json.dumps(rows, indent=2, ensure_ascii=False)
        print(json_text(text))
        return 0
    if not rows:
        print("The wallet is empty.")
    for row in rows:
        origin = f" ({row['issuer_origin']})" if row["issuer_origin"] else ""
        print(f"{row['id']}  {row['name']} — {row['issuer']}{origin}  [{row['verdict']}, {row['category']}]")
        for reason in row["reasons"]:
            print(f"      {reason}")
    return 0


def _cmd_verify(wallet: Wallet, args: argparse.Namespace) -> int:
    results = wallet.reverify(args.ids or None)
    if not results:
        print("The wallet is empty: nothing to verify.")
    for r in results:
        if r.damaged:
            print(f"{'skipped':<14} {r.entry_id}  {r.message}", file=sys.stderr)
        else:
            print(f"{r.verdict:<14} {r.entry_id}  {r.message}")
    return 0 if all(r.verdict == "valid" and not r.damaged for r in results) else 1


def _cmd_share(wallet: Wallet, args: argparse.Namespace) -> int:
    portfolio, link = wallet.create_portfolio(args.ids, args.title, args.expires, show_email=args.show_email)
    print(link)
    until = f", expires {portfolio.expires_at.isoformat()}" if portfolio.expires_at else ""
    print(f"Portfolio {portfolio.id} “{portfolio.title}” with {len(portfolio.entry_ids)} badge(s){until}. "
          "Keep this link: only a hash of it is stored.", file=sys.stderr)
    return 0


def _cmd_portfolios(wallet: Wallet, args: argparse.Namespace) -> int:
    items = wallet.portfolios()
    if not items:
        print("No portfolio links.")
    for p in items:
        until = p.expires_at.isoformat() if p.expires_at else "never"
        print(f"{p.id}  {wallet.portfolio_status(p):<8} “{p.title}”  {len(p.entry_ids)} badge(s), expires {until}")
    return 0


def _cmd_revoke(wallet: Wallet, args: argparse.Namespace) -> int:
    portfolio = wallet.revoke_portfolio(args.token)
    print(f"Portfolio {portfolio.id} “{portfolio.title}” is revoked: its link no longer opens.")
    return 0


def _cmd_recreate(wallet: Wallet, args: argparse.Namespace) -> int:
    portfolio, link = wallet.recreate_portfolio(args.id, args.expires, show_email=args.show_email)
    print(link)
    print(f"New link for “{portfolio.title}” ({len(portfolio.entry_ids)} badge(s)), portfolio {portfolio.id}. "
          "Keep this link: only a hash of it is stored.", file=sys.stderr)
    return 0


def _cmd_export(wallet: Wallet, args: argparse.Namespace) -> int:
    try:
        count = wallet.export_to(args.path)  # streamed to the file: memory stays flat for a big wallet
    except OSError as exc:
        raise WalletError(f"Cannot write {args.path} ({exc.strerror or exc}).") from exc
    print(f"Exported {count} badge(s) to {args.path}.")
    return 0


def _cmd_import_archive(wallet: Wallet, args: argparse.Namespace) -> int:
    try:
        data = Path(args.path).read_bytes()
    except OSError as exc:
        raise WalletError(f"Cannot read {args.path} ({exc.strerror or exc}).") from exc
    return _print_results(wallet.import_archive(data))


def _cmd_registry(wallet: Wallet, args: argparse.Namespace) -> int:
    if args.action == "add":
        load = wallet.add_registry(args.source)
        assert load.registry is not None
        print(f"Using {load.registry.describe()}: {len(load.registry.entries)} issuers.")
    elif args.action == "remove":
        if not wallet.remove_registry(args.source):
            raise WalletError(f"{args.source} is not among the registries in use.")
        print(f"No longer using {args.source}.")
    else:
        loads = wallet.registry_loads()
        if not loads:
            print("No issuer registry is in use (none is by default). Add one with: registry add FILE_OR_URL")
        for load in loads:
            if load.registry is None:
                print(f"{load.source}: {load.error}")
            else:
                note = f" {load.registry.note}" if load.registry.note else ""
                print(f"{load.source}: {len(load.registry.entries)} issuers, "
                      f"{load.registry.describe()}.{note}")
    return 0


def _cmd_trust(wallet: Wallet, args: argparse.Namespace) -> int:
    trusted = args.command == "trust"
    if args.issuer_id:
        changed = wallet.set_trusted(args.issuer_id, trusted)
        print(f"{'Trusted' if trusted else 'No longer trusted'}: {args.issuer_id} ({changed} badge(s) updated).")
    else:
        for issuer_id in wallet.issuer_settings().trusted:
            print(issuer_id)
    return 0


def _cmd_migrate(settings: Settings, args: argparse.Namespace) -> int:
    from .migrate import migrate

    before, now = migrate(settings.db)
    print(f"The database is at schema revision {now}" + (" (already up to date)." if before == now else
                                                          f" (was {before or 'empty'})."))
    return 0


def _cmd_worker(settings: Settings, args: argparse.Namespace) -> int:
    from .jobs import run_worker

    return run_worker(settings.db, once=args.once, offline=args.offline, settings=settings)


def _cmd_did_server(settings: Settings, args: argparse.Namespace) -> int:
    from .hosted_did import make_did_server

    public = args.public_url or settings.public_url
    server = make_did_server(settings.db, public, args.host, args.port)  # WalletError when the address is not https
    host, port = str(server.server_address[0]), int(server.server_address[1])
    print(f"Serving the learners' DID documents ({public.rstrip('/')}/u/SLUG/did.json) on http://{host}:{port}; "
          "send /u/ there from the reverse proxy.", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


DB_COMMANDS = {"migrate", "worker", "did-server"}  # commands on the whole database, not one owner's wallet


def _cmd_identity(wallet: Wallet, args: argparse.Namespace) -> int:
    if args.action != "list":
        if not args.value:
            raise WalletError(f"Give the e-mail address, URL or DID to {args.action}.")
        if args.action == "add":
            ident = wallet.add_identity(args.value)
            print(f"Added your {ident.kind} {ident.value}.")
        elif not wallet.remove_identity(args.value):
            raise WalletError(f"{args.value} is not one of your identities.")
        else:
            print(f"Removed {args.value}.")
    identities = wallet.identities()
    if not identities:
        print("No identities yet: add your e-mail addresses, web addresses and DIDs with "
              "'identity add VALUE', so that public pages can say which badges were issued to you.")
    for ident in identities:
        print(f"{ident.kind:<6} {ident.value}{'  (confirmed at sign-in)' if ident.confirmed else ''}")
    return 0


def _cmd_present(wallet: Wallet, args: argparse.Namespace) -> int:
    vp = wallet.presentation(args.ids, challenge=args.challenge, domain=args.domain)
    try:
        atomic_write(Path(args.out), (json.dumps(vp, indent=2, ensure_ascii=False) + "\n").encode("utf-8"),
                     backup=False)
    except OSError as exc:
        raise WalletError(f"Cannot write {args.out} ({exc.strerror or exc}).") from exc
    print(f"Wrote a presentation of {len(vp['verifiableCredential'])} credential(s) signed by {vp['holder']} "
          f"to {args.out}.")
    return 0


def _cmd_pdf(wallet: Wallet, args: argparse.Namespace) -> int:
    data, link = wallet.pdf_report(args.ids, link=args.link, title=args.title)
    try:
        atomic_write(Path(args.out), data, backup=False)
    except OSError as exc:
        raise WalletError(f"Cannot write {args.out} ({exc.strerror or exc}).") from exc
    print(f"Wrote {args.out}. Its QR codes open {link}" + ("" if args.link else
          " (a new link: withdraw it with 'revoke' when the PDF is no longer needed)") + ".")
    return 0


def _cmd_name(wallet: Wallet, args: argparse.Namespace) -> int:
    if args.name is not None:
        wallet.set_display_name(args.name)
    name = wallet.display_name()
    print(f"Public pages show your name as: {name}" if name else "Public pages show no name.")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m wallet", description="A learner's badge wallet.")
    parser.add_argument("--db", metavar="PATH|URL",
                        help="wallet file or postgresql:// URL (default: $BADGE_WALLET_DB or wallet.json in your data folder)")
    parser.add_argument("--owner", metavar="ID", help="whose wallet, in a postgresql:// database")
    parser.add_argument("--offline", action="store_true", help="never use the network while verifying")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    p = sub.add_parser("import", help="import badge files (PNG, SVG, JSON, JWS/JWT, zip)")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.set_defaults(run=_cmd_import)
    p = sub.add_parser("list", help="list the badges")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(run=_cmd_list)
    p = sub.add_parser("verify", help="verify badges again (all when no id is given)")
    p.add_argument("ids", nargs="*", metavar="ID")
    p.set_defaults(run=_cmd_verify)
    p = sub.add_parser("share", help="make a portfolio link for some badges")
    p.add_argument("ids", nargs="+", metavar="ID")
    p.add_argument("--title", default="My badges")
    p.add_argument("--expires", type=float, metavar="DAYS", help="the link expires after this many days")
    p.add_argument("--show-email", action="store_true", help="show the recipient email on the public page")
    p.set_defaults(run=_cmd_share)
    p = sub.add_parser("portfolios", help="list portfolio links")
    p.set_defaults(run=_cmd_portfolios)
    p = sub.add_parser("revoke", help="withdraw a portfolio link (token, link or portfolio id)")
    p.add_argument("token", metavar="TOKEN")
    p.set_defaults(run=_cmd_revoke)
    p = sub.add_parser("recreate", help="make a new link for the badges of a withdrawn or restored portfolio")
    p.add_argument("id", metavar="PORTFOLIO_ID")
    p.add_argument("--expires", type=float, metavar="DAYS", help="the link expires after this many days")
    p.add_argument("--show-email", action="store_true", help="show the recipient email on the public page")
    p.set_defaults(run=_cmd_recreate)
    p = sub.add_parser("export", help="write the whole wallet to a zip")
    p.add_argument("path", metavar="PATH")
    p.set_defaults(run=_cmd_export)
    p = sub.add_parser("import-archive", help="import a wallet export (or a zip of badges)")
    p.add_argument("path", metavar="PATH")
    p.set_defaults(run=_cmd_import_archive)
    p = sub.add_parser("registry", help="issuer registries that name issuers (none is used by default)")
    p.add_argument("action", choices=["add", "remove", "list"])
    p.add_argument("source", nargs="?", metavar="FILE_OR_URL", default="")
    p.set_defaults(run=_cmd_registry)
    for name, text in (("trust", "mark an issuer id as trusted by you (no id: list them)"),
                       ("untrust", "remove an issuer id from your trusted issuers")):
        p = sub.add_parser(name, help=text)
        p.add_argument("issuer_id", nargs="?", default="")
        p.set_defaults(run=_cmd_trust)
    p = sub.add_parser("migrate", help="create or upgrade the tables of a postgresql:// database")
    p.set_defaults(run=_cmd_migrate)
    p = sub.add_parser("identity", help="your e-mail addresses, URLs and DIDs (whose badges are yours)")
    p.add_argument("action", choices=("list", "add", "remove"))
    p.add_argument("value", nargs="?", metavar="VALUE")
    p.set_defaults(run=_cmd_identity)
    p = sub.add_parser("present", help="write a Verifiable Presentation of OB 3.0 credentials, signed by you")
    p.add_argument("ids", nargs="+", metavar="ID")
    p.add_argument("--out", required=True, metavar="FILE")
    p.add_argument("--challenge", help="the verifier's challenge (signed into the presentation)")
    p.add_argument("--domain", help="the verifier's domain (signed into the presentation)")
    p.set_defaults(run=_cmd_present)
    p = sub.add_parser("pdf", help="write a printable PDF (a page per badge, QR code to its live page)")
    p.add_argument("ids", nargs="+", metavar="ID")
    p.add_argument("--out", required=True, metavar="FILE")
    p.add_argument("--link", help="an existing portfolio link of these badges (default: make a new one)")
    p.add_argument("--title", help="the title of the new link (default: the badge's name)")
    p.set_defaults(run=_cmd_pdf)
    p = sub.add_parser("name", help="show or set the display name on public pages ('' for none)")
    p.add_argument("name", nargs="?", metavar="NAME")
    p.set_defaults(run=_cmd_name)
    p = sub.add_parser("did-server", help="serve the learners' did:web documents (hosted mode, behind the proxy)")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8600)
    p.add_argument("--public-url", help="the site's public https address (default: $BADGE_WALLET_PUBLIC_URL)")
    p.set_defaults(run=_cmd_did_server)
    p = sub.add_parser("worker", help="run background jobs (re-verification, status-list refresh)")
    p.add_argument("--once", action="store_true", help="queue the maintenance jobs, run until none is left, exit")
    p.set_defaults(run=_cmd_worker)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """The command line; everything printed goes through verifier.safetext (badge names, issuers and
    messages may carry terminal escape sequences or bidi controls)."""
    with terminal_safe_output():
        return _main(argv)


def _main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        settings = settings_from_env().with_db(args.db)  # the environment, read once here
        db = settings.db
        if args.command in DB_COMMANDS:
            if not is_database_url(db):
                raise WalletError(f"“{args.command}” needs a PostgreSQL database: give --db postgresql://…")
            return args.run(settings, args)
        if is_database_url(db) and not (args.owner or "").strip():
            raise WalletError("A postgresql:// database holds many wallets: say whose with --owner ID.")
        if args.owner and not is_database_url(db):
            raise WalletError("--owner applies to a postgresql:// database; a wallet file has one owner.")
        if args.command == "list":
            from .entries import listing
            from .settings import open_store

            return _cmd_list(listing(open_store(settings, args.owner)), args)
        from .hosted import open_wallet

        wallet = open_wallet(settings, args.owner, offline=args.offline)
        return args.run(wallet, args)
    except WalletError as exc:
        print(str(exc), file=sys.stderr)
        return 2
