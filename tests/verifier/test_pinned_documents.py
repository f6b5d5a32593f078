"""One loader (verifier.load_pinned) reads the documents shipped with the package, with the safe JSON parser."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

from verifier import load_pinned, pinned_by_url, pinned_index
from verifier.pinned import PACKAGE_DIR, resource_path
from verifier.schema import pinned_schemas
from wallet.demo import demo_files

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("folder", ["contexts", "schemas"])
def test_every_pinned_document_is_indexed_and_parses_safely(folder):
    index = pinned_index(folder)
    files = {p for p in (PACKAGE_DIR / folder).iterdir() if p.suffix in (".json", ".jsonld") and p.name != "index.json"}
    assert set(index.values()) <= files  # nothing indexed is missing
    for url, path in index.items():
        assert url.startswith("https://") and isinstance(load_pinned(path), dict), url


def test_callers_get_their_own_copy():
    url = "https://w3id.org/openbadges/v2"
    first = pinned_by_url("contexts", url)
    first["@context"] = "tampered"
    assert pinned_by_url("contexts", url)["@context"] != "tampered"
    assert pinned_by_url("contexts", "https://unpinned.example/context.json") is None


def test_the_schemas_and_the_demo_manifest_come_through_it():
    assert set(pinned_schemas()) == set(pinned_index("schemas"))
    assert demo_files() and load_pinned("demo_data/manifest.json")["badges"]


def test_nothing_outside_the_package_is_read():
    with pytest.raises(ValueError):
        resource_path("../pyproject.toml")


def test_no_other_module_reads_an_index_of_pinned_documents():
    """Only verifier/pinned.py opens ``index.json`` of the package folders (contexts, schemas)."""
    readers = set()
    for path in ROOT.glob("verifier/**/*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        if any(isinstance(n, ast.Constant) and n.value == "index.json" for n in ast.walk(tree)):
            readers.add(str(path.relative_to(ROOT)))
    assert readers == {"verifier/pinned.py"}
