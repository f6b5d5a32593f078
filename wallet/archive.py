"""Zip files: reading a zip of badges safely, and the wallet export format.

Reading (:func:`read_zip`) caps the number of members, each member's size and the total inflated
size, reads at most the cap even when a member's header lies about its size, and skips directories,
absolute paths, ``..`` components, hidden/macOS metadata files and nested zips — each skip is
reported as a sentence.

Export format (``format: badge-wallet-export``, ``version: 1``): ``index.json`` holding every entry
record (without its bytes) plus the portfolios, and ``files/<n>-<filename>`` holding each original
uploaded file byte for byte. Importing it back restores ids, overrides, tags, notes and portfolios.
"""
from __future__ import annotations

import io
import json
import re
import zipfile
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import PurePosixPath
from typing import Any

EXPORT_FORMAT = "badge-wallet-export"
EXPORT_VERSION = 1
INDEX_NAME = "index.json"

MAX_MEMBERS = 500
MAX_MEMBER_BYTES = 20 * 1024 * 1024
MAX_TOTAL_BYTES = 200 * 1024 * 1024
# A wallet export is our own file and may hold more than a zip of badges: every entry of a big wallet.
EXPORT_MAX_MEMBERS = 50_000
EXPORT_MAX_TOTAL_BYTES = 1024 * 1024 * 1024


@dataclass
class ZipContents:
    """Members read from a zip (``files``: (name, bytes)) and the ones skipped (``skipped``: (name, why))."""

    files: list[tuple[str, bytes]] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    error: str | None = None  # the zip itself could not be read


def is_zip(data: bytes) -> bool:
    return data[:4] in (b"PK\x03\x04", b"PK\x05\x06")


def _unsafe_name(name: str) -> str | None:
    if "\\" in name or name.startswith("/") or re.match(r"^[A-Za-z]:", name):
        return "an absolute or Windows-style path"
    parts = PurePosixPath(name).parts
    if ".." in parts:
        return "a path that climbs out of the archive (..)"
    if any(p.startswith(".") for p in parts) or parts[:1] == ("__MACOSX",):
        return "a hidden or system file"
    return None


def read_zip(data: bytes, *, max_members: int = MAX_MEMBERS, max_member_bytes: int = MAX_MEMBER_BYTES,
             max_total_bytes: int = MAX_TOTAL_BYTES) -> ZipContents:
    """Read the regular files of a zip within the caps; never raises for a bad zip."""
    out = ZipContents()
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        out.error = f"This zip file cannot be read ({exc})."
        return out
    total = 0
    with archive:
        members = archive.infolist()
        for index, info in enumerate(members):
            name = info.filename
            if index >= max_members:
                out.skipped.append((name, f"the zip has more than {max_members} files; the rest were not read"))
                break
            if info.is_dir():
                continue
            why = _unsafe_name(name)
            if why:
                out.skipped.append((name, f"skipped: {why}"))
                continue
            if info.file_size > max_member_bytes:
                out.skipped.append((name, f"skipped: larger than {max_member_bytes // (1024 * 1024)} MB"))
                continue
            budget = min(max_member_bytes, max_total_bytes - total)
            try:
                with archive.open(info) as handle:
                    content = handle.read(budget + 1)
            except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError, RuntimeError) as exc:
                out.skipped.append((name, f"skipped: it cannot be unpacked ({exc})"))
                continue
            if len(content) > budget:
                if budget < max_member_bytes:
                    out.skipped.append((name, f"the zip unpacks to more than {max_total_bytes // (1024 * 1024)} MB; "
                                        "the rest were not read"))
                    break
                out.skipped.append((name, f"skipped: larger than {max_member_bytes // (1024 * 1024)} MB"))
                continue
            if is_zip(content):
                out.skipped.append((name, "skipped: zips inside zips are not opened"))
                continue
            total += len(content)
            out.files.append((name, content))
    return out


def safe_filename(name: str, default: str = "badge") -> str:
    """The last path component of ``name`` with only safe characters (for downloads and zips)."""
    base = re.split(r"[\\/]", name or "")[-1]
    base = re.sub(r"[^\w.\- ]+", "_", base).strip(" .")
    return base[:120] or default


def write_export(entries: list[dict[str, Any]], contents: dict[str, bytes],
                 portfolios: list[dict[str, Any]]) -> bytes:
    """The export zip: ``index.json`` + ``files/``. ``entries`` are records without ``content_b64``."""
    buf = io.BytesIO()
    index_entries = []
    members = []
    for n, rec in enumerate(entries, start=1):
        member = f"files/{n:04d}-{safe_filename(rec.get('filename', 'badge'))}"
        members.append((member, contents[rec["id"]]))
        index_entries.append(dict(rec, file=member))
    index = {"format": EXPORT_FORMAT, "version": EXPORT_VERSION,
             "exported_at": datetime.now(timezone.utc).isoformat(),
             "entries": index_entries, "portfolios": portfolios}
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(INDEX_NAME, json.dumps(index, ensure_ascii=False, indent=1))  # first: found at once
        for member, content in members:
            archive.writestr(member, content)
    return buf.getvalue()


@dataclass
class ExportContents:
    """A wallet export read back: entry records (with ``file`` and the bytes in ``contents``)."""

    entries: list[dict[str, Any]]
    contents: dict[str, bytes]
    portfolios: list[dict[str, Any]]
    problems: list[tuple[str, str]]


def read_export(data: bytes) -> ExportContents | str:
    """Parse a wallet export; a sentence when ``data`` is not one."""
    zipped = read_zip(data, max_members=EXPORT_MAX_MEMBERS, max_total_bytes=EXPORT_MAX_TOTAL_BYTES)
    if zipped.error:
        return zipped.error
    files = dict(zipped.files)
    raw = files.get(INDEX_NAME)
    if raw is None:
        return "This zip is not a wallet export (it has no index.json)."
    try:
        index = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return "This wallet export is damaged: its index.json is not valid JSON."
    if not isinstance(index, dict) or index.get("format") != EXPORT_FORMAT:
        return "This zip is not a wallet export (its index.json is not a badge-wallet index)."
    if index.get("version") != EXPORT_VERSION:
        return f"This wallet export has version {index.get('version')}; only version {EXPORT_VERSION} can be read."
    entries, contents, problems = [], {}, list(zipped.skipped)
    for rec in index.get("entries") or []:
        if not isinstance(rec, dict) or not rec.get("id"):
            problems.append(("index.json", "an entry without an id was skipped"))
            continue
        member = rec.get("file")
        if member not in files:
            problems.append((str(member), f"the file of entry {rec['id']} is missing from the export"))
            continue
        contents[rec["id"]] = files[member]
        entries.append(rec)
    portfolios = [p for p in index.get("portfolios") or [] if isinstance(p, dict) and p.get("id")]
    return ExportContents(entries, contents, portfolios, problems)


def looks_like_export(data: bytes) -> bool:
    """A zip whose ``index.json`` names our export format near its start (only that member's head is
    read). A zip of badges that happens to hold some other ``index.json`` is not an export."""
    if not is_zip(data):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if INDEX_NAME not in archive.namelist():
                return False
            with archive.open(INDEX_NAME) as handle:
                head = handle.read(4096)
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError, RuntimeError):
        return False
    return EXPORT_FORMAT.encode() in head
