"""``python -m verifier``: verify one badge file or URL and print the report."""
from __future__ import annotations

import argparse
import json
import sys
from datetime import datetime
from pathlib import Path

from .api import verify
from .demo import DEMO_MIRRORS
from .fetch import SafeFetcher
from .model import Report
from .report import summary
from .unbake import looks_like_jws

_MARK = {"pass": "✔", "fail": "✘", "warn": "!", "skip": "-"}


def _parse_now(value: str) -> datetime:
    dt = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if dt.tzinfo is None:
        raise argparse.ArgumentTypeError("--now needs a timezone, e.g. 2024-01-01T00:00:00Z")
    return dt


def format_text(report: Report) -> str:
    lines = [f"Verdict: {report.verdict.upper()}  ({report.format})", summary(report), ""]
    badge = report.badge
    if badge:
        lines += [f"Badge:     {badge.name}", f"Issuer:    {badge.issuer.name or '-'} ({badge.issuer.id or '-'})"]
        if badge.issued_on:
            lines.append(f"Issued:    {badge.issued_on.isoformat()}")
        if badge.expires:
            lines.append(f"Expires:   {badge.expires.isoformat()}")
        lines.append("")
    lines += [f" {_MARK[c.status]} {c.id}: {c.message}" for c in report.checks]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m verifier", description="Verify an Open Badge.")
    parser.add_argument("source", metavar="FILE_OR_URL",
                        help="a badge file, an assertion URL, a JWS/JWT or JSON text, or - for standard input")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.add_argument("--now", type=_parse_now, help="judge validity at this ISO 8601 time")
    parser.add_argument("--recipient", help="email or URL the badge must have been issued to")
    parser.add_argument("--offline", action="store_true", help="never use the network")
    parser.add_argument("--allow-host", action="append", default=[], metavar="HOST[:PORT]",
                        help="allow fetching from this private/loopback host")
    args = parser.parse_args(argv)

    source: bytes | str
    if args.source == "-":
        source = sys.stdin.buffer.read()
    elif args.source.startswith(("http://", "https://")) or (
            not Path(args.source).exists() and (looks_like_jws(args.source) or args.source.lstrip().startswith("{"))):
        source = args.source  # a URL, or a JWS/JWT or JSON given on the command line
    else:
        try:
            source = Path(args.source).read_bytes()
        except OSError as exc:
            print(f"Cannot read {args.source}: {exc.strerror or exc}", file=sys.stderr)
            return 2
    fetcher = SafeFetcher(allow_hosts=args.allow_host, offline=args.offline, mirrors=DEMO_MIRRORS)
    report = verify(source, now=args.now, recipient=args.recipient, fetcher=fetcher)
    print(json.dumps(report.to_dict(), indent=2, ensure_ascii=False) if args.json else format_text(report))
    if report.format == "none":
        return 2
    return 0 if report.verdict == "valid" else 1
