"""Hostile and mangled input never raises from verify(): a deterministic, bounded mutation fuzz.

Byte-level mutations of baked images and type-level mutations of badge JSON (a field replaced by a
number, a list, a private URL, a broken date …). Every outcome must be a Report with a known verdict.
"""
import copy
import json
import random

import pytest
from support.files import FIXTURES
from support.paths import ROOT

from verifier import VERDICTS, unbake, verify

pytestmark = pytest.mark.attack

SEED_FILES = [
    FIXTURES / "1edtech-digital-credentials-public-validator/ob30/simple-json.png",
    FIXTURES / "1edtech-digital-credentials-public-validator/ob30/simple-jwt.svg",
    ROOT / "verifier/demo_data/badges/data-analysis.png",
    ROOT / "verifier/demo_data/badges/spreadsheet-modelling.svg",
]
ODD_VALUES = [None, 0, -1, 1.5, True, "", "x", [], {}, [None], {"id": 5}, "http://127.0.0.1/",
              "2020-13-45", "did:key:zzz", "did:web:%00", 10**30]


def _seed_documents() -> list[dict]:
    docs = []
    for path in SEED_FILES:
        payload = unbake(path.read_bytes()).payload or ""
        if payload.startswith("{"):
            docs.append(json.loads(payload))
    docs.append(json.loads((FIXTURES / "1edtech-digital-credentials-public-validator/ob20/basic-assertion.json")
                           .read_text()))
    return docs


def _paths(obj, prefix=()):
    yield prefix
    if isinstance(obj, dict):
        for key, value in obj.items():
            yield from _paths(value, prefix + (key,))
    elif isinstance(obj, list):
        for i, value in enumerate(obj):
            yield from _paths(value, prefix + (i,))


def _assert_report(report):
    assert report.verdict in VERDICTS
    assert all(c.status in ("pass", "fail", "warn", "skip") and c.message for c in report.checks)


@pytest.mark.parametrize("seed", range(4))
def test_mangled_bytes_never_raise(seed):
    rnd = random.Random(seed)
    originals = [p.read_bytes() for p in SEED_FILES]
    for _ in range(60):
        data = bytearray(rnd.choice(originals))
        for _ in range(rnd.randint(1, 8)):
            pos = rnd.randrange(len(data))
            op = rnd.random()
            if op < 0.5:
                data[pos] = rnd.randrange(256)
            elif op < 0.75:
                del data[pos:pos + rnd.randint(1, 50)]
            else:
                data[pos:pos] = bytes(rnd.randrange(256) for _ in range(rnd.randint(1, 20)))
        _assert_report(verify(bytes(data)))


@pytest.mark.parametrize("seed", range(4))
def test_mistyped_fields_never_raise(seed):
    rnd = random.Random(seed)
    docs = _seed_documents()
    for _ in range(60):
        doc = copy.deepcopy(rnd.choice(docs))
        candidates = [p for p in _paths(doc) if p]
        for _ in range(rnd.randint(1, 3)):
            path = rnd.choice(candidates)
            try:
                target = doc
                for key in path[:-1]:
                    target = target[key]
                target[path[-1]] = copy.deepcopy(rnd.choice(ODD_VALUES))
            except (KeyError, IndexError, TypeError):
                pass  # an earlier mutation replaced a parent
        _assert_report(verify(doc))


def test_context_without_any_url_is_reported_not_raised():
    report = verify({"@context": [None], "type": "Assertion", "recipient": {}, "badge": "x"})
    assert report.verdict == "invalid"
