"""``python -m verifier``: verify one badge file or URL and print the report."""
from __future__ import annotations

import argparse
import json
import os
import sys
from datetime import datetime
from pathlib import Path

from .api import verify
from .demo import DEMO_ENV, demo_mirrors, demo_mode
from .endorsements import endorser_words
from .fetch import SafeFetcher
from .media import Media, sniff
from .model import IdentityLevel, Report
from .registry import RegistryCache, load_registries
from .report import summarize
from .safetext import json_text, terminal_safe_output

_MARK = {"pass": "✔", "fail": "✘", "warn": "!", "skip": "-"}


def _parse_now(value: str) -> datetime:
    dt = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if dt.tzinfo is None:
        raise argparse.ArgumentTypeError("--now needs a timezone, e.g. 2024-01-01T00:00:00Z")
    return dt


def identity_line(report: Report) -> str:
    """'Issuer identity: DOMAIN — Issuer: whoever controls …' (empty when none was determined)."""
    ident = report.issuer_identity
    if ident is None:
        return ""
    return f"Issuer identity: {str(ident.level).upper()} — {summarize(report).identity}"


def _issuer_text(report: Report) -> str:
    badge = report.badge
    assert badge is not None
    ident = report.issuer_identity
    name = badge.issuer.name
    if ident is not None and ident.level == IdentityLevel.REGISTRY and ident.name:
        shown = f"{ident.name} (registry)" + (f", calls itself “{name}”" if name and name != ident.name else "")
    elif ident is not None and ident.level == IdentityLevel.DOMAIN and ident.domain:
        shown = f"whoever controls {ident.domain}" + (f", calls itself “{name}”" if name else "")
    else:
        shown = f"calls itself “{name}”" if name else "gives no name"
    return f"Issuer:    {shown} ({badge.issuer.id or '-'})"


def format_text(report: Report) -> str:
    s = summarize(report)
    lines = [f"Verdict: {report.verdict.upper()}  ({report.format})"]
    if report.format == "none":
        lines.append(s.text)
    else:
        lines += [s.authenticity, identity_line(report) or s.identity]
        if s.reason:
            lines.append(s.reason)
    lines.append("")
    badge = report.badge
    if badge:
        lines += [f"Badge:     {badge.name}", _issuer_text(report)]
        if badge.issued_on:
            lines.append(f"Issued:    {badge.issued_on.isoformat()}")
        if badge.expires:
            lines.append(f"Expires:   {badge.expires.isoformat()}")
        for nested in report.nested:
            if nested.role == "endorsement":
                state = "genuine" if nested.report.verdict == "valid" else f"{nested.report.verdict}, ignored"
                lines.append(f"Endorsed:  by {endorser_words(nested.report.issuer_identity)} ({state})")
        lines.append("")
    lines += [f" {_MARK[c.status]} {c.id}: {c.message}" for c in report.checks]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """The command line; everything printed goes through verifier.safetext (badge text may carry
    terminal escape sequences or bidi controls)."""
    with terminal_safe_output():
        return _main(argv)


def _main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m verifier", description="Verify an Open Badge.")
    parser.add_argument("source", metavar="FILE_OR_URL",
                        help="a badge file, an assertion URL, a JWS/JWT or JSON text, or - for standard input")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.add_argument("--now", type=_parse_now, help="judge validity at this ISO 8601 time")
    parser.add_argument("--recipient", help="email or URL the badge must have been issued to")
    parser.add_argument("--challenge", help="the challenge a presentation must have been signed for")
    parser.add_argument("--domain", help="the domain a presentation must have been signed for")
    parser.add_argument("--offline", action="store_true", help="never use the network")
    parser.add_argument("--demo", action="store_true",
                        help=f"demo mode: serve the demo issuer (issuer.demo.example) from the installed demo set "
                             f"(also ${DEMO_ENV}=1); off by default, its private keys are public")
    parser.add_argument("--allow-host", action="append", default=[], metavar="HOST[:PORT]",
                        help="allow fetching from this private/loopback host")
    parser.add_argument("--registry", action="append", default=[], metavar="FILE_OR_URL",
                        help="an issuer registry (DCC format) to name issuers from; repeatable; none by default")
    parser.add_argument("--trust", action="append", default=[], metavar="ISSUER_ID",
                        help="treat this issuer id as trusted by you (identity level 'trusted'); repeatable")
    args = parser.parse_args(argv)

    source: bytes | str
    if args.source == "-":
        source = sys.stdin.buffer.read()
    elif args.source.startswith(("http://", "https://")) or (
            not Path(args.source).exists() and sniff(args.source.encode("utf-8")) in (Media.JWT, Media.JSON)):
        source = args.source  # a URL, or a JWS/JWT or JSON given on the command line
    else:
        try:
            source = Path(args.source).read_bytes()
        except OSError as exc:
            print(f"Cannot read {args.source}: {exc.strerror or exc}", file=sys.stderr)
            return 2
    fetcher = SafeFetcher(allow_hosts=args.allow_host, offline=args.offline,
                          mirrors=demo_mirrors(args.demo or demo_mode(os.environ)))
    registries = []
    for load in load_registries(args.registry, fetcher, cache=RegistryCache()):
        if load.registry is None:
            print(f"Warning: {load.error} Issuers are not looked up in it.", file=sys.stderr)
        else:
            if load.registry.note:
                print(f"Note: {load.source}: {load.registry.note}", file=sys.stderr)
            registries.append(load.registry)
    report = verify(source, now=args.now, recipient=args.recipient, fetcher=fetcher, registries=registries,
                    trusted_issuers=args.trust, challenge=args.challenge, domain=args.domain)
    print(json_text(json.dumps(report.to_dict(), indent=2, ensure_ascii=False)) if args.json else format_text(report))
    if report.format == "none":
        return 2
    return 0 if report.verdict == "valid" else 1
