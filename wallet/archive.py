"""Zip files: reading a zip of badges safely, and the wallet export format.

Reading (:func:`read_zip`) caps the number of members, each member's size and the total inflated
size, reads at most the cap even when a member's header lies about its size, and skips directories,
absolute paths, ``..`` components, hidden/macOS metadata files and nested zips — each skip is
reported as a sentence.

Export format (``format: badge-wallet-export``, ``version: 1``): ``index.json`` holding every entry
record (without its bytes) plus the portfolios, and ``files/<n>-<filename>`` holding each original
uploaded file byte for byte. Restoring it is an import (:func:`read_export` + ``Wallet.import_archive``):
every file is verified and grouped again, and only the learner's own additions (notes, tags, category
override) are taken from the index; portfolio links come back withdrawn, to be made again.
"""
from __future__ import annotations

import hashlib
import io
import json
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import PurePosixPath
from typing import IO, Any

from verifier import Media, scrub, sniff_media

from .store import WalletError

EXPORT_FORMAT = "badge-wallet-export"
EXPORT_VERSION = 1
INDEX_NAME = "index.json"

MAX_MEMBERS = 500
MAX_MEMBER_BYTES = 20 * 1024 * 1024
MAX_TOTAL_BYTES = 200 * 1024 * 1024
# A wallet export may hold more than a zip of badges (every entry of a big wallet), but it is still
# untrusted input: these caps bound what one restore can add to the wallet.
EXPORT_MAX_MEMBERS = 10_001  # 10 000 badges + index.json
EXPORT_MAX_ENTRY_BYTES = 20 * 1024 * 1024  # the verifier's own cap on one badge file
EXPORT_MAX_TOTAL_BYTES = 512 * 1024 * 1024
EXPORT_MAX_INDEX_BYTES = 16 * 1024 * 1024


@dataclass
class ZipContents:
    """Members read from a zip (``files``: (name, bytes)) and the ones skipped (``skipped``: (name, why))."""

    files: list[tuple[str, bytes]] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    error: str | None = None  # the zip itself could not be read


def is_zip(data: bytes) -> bool:
    return sniff_media(data) is Media.ZIP


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
    write_export_to(buf, lambda: iter([entries]), lambda ids: iter([[contents[i] for i in ids]]), portfolios)
    return buf.getvalue()


ExportChunks = Callable[[], Iterator[list[dict[str, Any]]]]
ExportFiles = Callable[[list[str]], Iterator[list[bytes]]]


def write_export_to(handle: IO[bytes], records: ExportChunks, files: ExportFiles,
                    portfolios: list[dict[str, Any]]) -> int:
    """Write the export zip to the (seekable) ``handle`` a few entries at a time, so memory stays flat
    however big the wallet: ``records()`` yields the entry records (without ``content_b64``) in chunks,
    then ``files(ids)`` yields the original files of those ids in the same order, in chunks. The index
    comes first in the zip, as :func:`write_export` always wrote it. Returns the number of entries."""
    ids: list[str] = []
    names: list[str] = []
    with zipfile.ZipFile(handle, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        head = {"format": EXPORT_FORMAT, "version": EXPORT_VERSION, "exported_at": datetime.now(UTC).isoformat()}
        with archive.open(INDEX_NAME, "w") as index:
            out = io.TextIOWrapper(index, encoding="utf-8", newline="")
            # the layout of json.dumps(whole index, indent=1), written entry by entry
            out.write(json.dumps(head, ensure_ascii=False, indent=1)[:-2] + ',\n "entries": [')
            for chunk in records():
                for rec in chunk:
                    member = f"files/{len(ids) + 1:04d}-{safe_filename(rec.get('filename', 'badge'))}"
                    ids.append(rec["id"])
                    names.append(member)
                    text = json.dumps(dict(rec, file=member), ensure_ascii=False, indent=1)
                    out.write(("," if len(ids) > 1 else "") + "\n  " + text.replace("\n", "\n  "))
            out.write(("\n ]" if ids else "]") + ',\n "portfolios": ')
            out.write(json.dumps(portfolios, ensure_ascii=False, indent=1).replace("\n", "\n ") + "\n}")
            out.flush()
            out.detach()
        done = 0
        for chunk_files in files(ids):
            for content in chunk_files:
                archive.writestr(names[done], content)
                done += 1
        if done != len(ids):
            raise WalletError("The wallet changed while it was being exported; export it again.")
    return len(ids)


@dataclass
class ArchivedEntry:
    """One badge of a wallet export as restore uses it: the file and the learner's own additions.

    Everything else an index says about a badge (verdict, report, category, badge data, checks) is
    ignored on purpose: an export is untrusted input, so restore re-verifies and re-groups each file
    exactly like an import.
    """

    old_id: str | None
    file: str
    filename: str
    content: bytes
    notes: str = ""
    tags: list[str] = field(default_factory=list)
    override: str | None = None
    added_at: str | None = None


@dataclass
class ArchivedPortfolio:
    """A portfolio of an export: only what is needed to offer making the link again (never its token)."""

    old_id: str
    title: str
    entry_ids: list[str]


@dataclass
class ExportContents:
    """A wallet export read back: its badges, its portfolios and the sentences for what was skipped."""

    entries: list[ArchivedEntry]
    portfolios: list[ArchivedPortfolio]
    problems: list[tuple[str, str]]


@dataclass(frozen=True)
class ExportCaps:
    """Limits on a wallet export (a crafted zip must not fill the disk or the memory)."""

    max_members: int = EXPORT_MAX_MEMBERS
    max_entry_bytes: int = EXPORT_MAX_ENTRY_BYTES
    max_total_bytes: int = EXPORT_MAX_TOTAL_BYTES
    max_index_bytes: int = EXPORT_MAX_INDEX_BYTES


def read_export(data: bytes, caps: ExportCaps = ExportCaps()) -> ExportContents | str:
    """Parse and validate a wallet export; a sentence when ``data`` is not a usable one.

    The index is checked against :data:`wallet.export_schema.INDEX_SCHEMA` as a whole (a wrong top
    level rejects the export) and entry by entry (a bad entry is skipped with a sentence naming it).
    Each file member may back one entry only, so one big member cannot be multiplied by the index.
    """
    from .export_schema import entry_problem, index_problem, portfolio_problem

    zipped = read_zip(data, max_members=caps.max_members, max_member_bytes=max(caps.max_entry_bytes,
                                                                               caps.max_index_bytes),
                      max_total_bytes=caps.max_total_bytes)
    if zipped.error:
        return zipped.error
    files = dict(zipped.files)
    raw = files.pop(INDEX_NAME, None)
    if raw is None:
        too_many = any(why.startswith("the zip") for _, why in zipped.skipped)
        return ("This wallet export is too large to restore: " + next(why for _, why in zipped.skipped
                                                                     if why.startswith("the zip")) + "."
                if too_many else "This zip is not a wallet export (it has no index.json).")
    if len(raw) > caps.max_index_bytes:
        return (f"This wallet export cannot be restored: its index.json is larger than "
                f"{caps.max_index_bytes // (1024 * 1024)} MB.")
    try:
        index = scrub(json.loads(raw.decode("utf-8")))  # a crafted "\ud800" must not break a write
    except (UnicodeDecodeError, ValueError, RecursionError):
        return "This wallet export is damaged: its index.json is not valid JSON."
    if not isinstance(index, dict) or index.get("format") != EXPORT_FORMAT:
        return "This zip is not a wallet export (its index.json is not a badge-wallet index)."
    if index.get("version") != EXPORT_VERSION:
        return (f"This wallet export has version {str(index.get('version'))[:20]}; only version "
                f"{EXPORT_VERSION} can be read.")
    problem = index_problem(index)
    if problem:
        return f"This wallet export cannot be restored: {problem}."
    problems = [(name, why) for name, why in zipped.skipped]
    entries: list[ArchivedEntry] = []
    used: set[str] = set()
    for n, rec in enumerate(index["entries"], start=1):
        label = f"index.json entry {n}"
        why = entry_problem(rec)
        if why:
            problems.append((label, why))
            continue
        member = rec["file"]
        if member in used:
            problems.append((label, f"its file {member} already belongs to another entry"))
            continue
        if member not in files:
            problems.append((label, f"its file {member} is missing from the export or was not read"))
            continue
        content = files[member]
        if len(content) > caps.max_entry_bytes:
            problems.append((label, f"its file is larger than {caps.max_entry_bytes // (1024 * 1024)} MB"))
            continue
        if rec.get("sha256") and hashlib.sha256(content).hexdigest() != rec["sha256"]:
            problems.append((rec.get("filename") or label, "the file in the export does not match its index entry"))
            continue
        used.add(member)
        entries.append(ArchivedEntry(
            old_id=rec.get("id"), file=member, filename=safe_filename(rec.get("filename") or member),
            content=content, notes=rec.get("notes") or "",
            tags=list(dict.fromkeys(t.strip() for t in rec.get("tags") or [] if t.strip())),
            override=rec.get("override"), added_at=rec.get("added_at")))
    portfolios: list[ArchivedPortfolio] = []
    for n, rec in enumerate(index.get("portfolios") or [], start=1):
        why = portfolio_problem(rec)
        if why:
            problems.append((f"index.json portfolio {n}", why))
            continue
        portfolios.append(ArchivedPortfolio(rec["id"], (rec.get("title") or "").strip() or "My badges",
                                            list(dict.fromkeys(rec.get("entry_ids") or []))))
    return ExportContents(entries, portfolios, problems)


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
