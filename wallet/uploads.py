"""What the learner hands in — files, pasted text, zips of badges, wallet backups — planned into imports.

:func:`import_files` sorts each file: a badge file goes to :mod:`wallet.importer`, a zip is expanded
(:func:`wallet.archive.read_zip`: capped, unsafe names skipped, each skip a result), a wallet backup
is restored (:mod:`wallet.backup`). A bad file never stops the others; results come back in order.
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from . import archive, backup
from .core import Progress, WalletCore
from .importer import import_items
from .results import ImportResult


def import_file(core: WalletCore, name: str, data: bytes) -> ImportResult:
    """Import one badge file (PNG, SVG, JSON, JWS/JWT or URL text). Zips go to :func:`import_files`."""
    if archive.is_zip(data):
        return ImportResult(name, "rejected", "This is a zip archive: import it with import_files or "
                            "import_archive to get one result per badge inside.")
    return import_files(core, [(name, data)])[0]


def import_text(core: WalletCore, text: str, name: str | None = None) -> ImportResult:
    """Import a pasted URL, JSON document, JWS or JWT."""
    text = text.strip()
    if not text:
        return ImportResult(name or "pasted text", "rejected", "Nothing was pasted.")
    return import_files(core, [(name or "", text.encode("utf-8"))])[0]


def import_files(core: WalletCore, files: Iterable[tuple[str, bytes]],
                 progress: Progress | None = None) -> list[ImportResult]:
    """Import many files, one result per badge file, in order. Zips are expanded (their skipped members
    get a result too) and a wallet export is restored; a bad file never stops the others."""
    plan: list[tuple[str, Any]] = []  # ("item", index) | ("done", ImportResult) | ("export", bytes)
    items: list[tuple[str, bytes]] = []
    for name, data in files:
        if not archive.is_zip(data):
            plan.append(("item", len(items)))
            items.append((name, data))
            continue
        if archive.looks_like_export(data):
            plan.append(("export", data))
            continue
        zipped = archive.read_zip(data)
        if zipped.error:
            plan.append(("done", ImportResult(name, "rejected", zipped.error)))
        for member, why in zipped.skipped:
            plan.append(("done", ImportResult(f"{name}/{member}", "rejected", why[:1].upper() + why[1:] + ".")))
        for member, content in zipped.files:
            plan.append(("item", len(items)))
            items.append((f"{name}/{member}", content))
        if not (zipped.files or zipped.error or zipped.skipped):
            plan.append(("done", ImportResult(name, "rejected", "This zip file is empty.")))
    imported = import_items(core, items, progress)
    out: list[ImportResult] = []
    for kind, value in plan:
        if kind == "item":
            out.append(imported[value])
        elif kind == "done":
            out.append(value)
        else:
            out.extend(backup.restore(core, value))
    return out


def import_archive(core: WalletCore, data: bytes) -> list[ImportResult]:
    """Restore a wallet export (:func:`wallet.backup.restore`); a plain zip of badges is imported."""
    if archive.looks_like_export(data):
        return backup.restore(core, data)
    if archive.is_zip(data):
        return import_files(core, [("archive.zip", data)])
    return [ImportResult("archive", "rejected", "This file is not a zip archive.")]
