"""One reader (verifier.text_of) for text given as a string, a value object, a language map or a list."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

from verifier import text_of
from verifier.ob2_normalize import to_badge
from verifier.ob3 import normalize as ob3_badge
from wallet.grouping import classify

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("value, text", [
    ("Data analysis", "Data analysis"),
    ({"@value": "Analyse de données", "@language": "fr"}, "Analyse de données"),
    ([{"@value": "Datenanalyse", "@language": "de"}, {"@value": "Data analysis", "@language": "en-GB"}],
     "Data analysis"),  # the preferred language wins, in any region
    ([{"@value": "Datenanalyse", "@language": "de"}, {"@value": "Analyse", "@language": "fr"}], "Datenanalyse"),
    ({"de": "Datenanalyse", "en": ["Data analysis"]}, "Data analysis"),  # ELM: a map of lists
    ({"@none": "Untagged"}, "Untagged"),
    (["", "Second"], "Second"),
    ({"id": "https://example.org/img.png", "type": "Image"}, None),  # an object is not a text
    ({"@value": 3}, None),
    ([[[[[["too deep"]]]]]], None),
    (None, None), (42, None), ([], None), ({}, None),
])
def test_every_shape_gives_its_text(value, text):
    assert text_of(value) == text


def test_another_language_can_be_asked_for():
    value = [{"@value": "Data analysis", "@language": "en"}, {"@value": "Analyse", "@language": "fr"}]
    assert text_of(value, prefer=("fr",)) == "Analyse"


def test_ob2_ob3_and_grouping_read_language_maps_alike():
    name = {"fr": "Analyse de données", "en": "Data analysis"}
    ob2 = to_badge({"id": "urn:a", "badge": {"name": name}}, {"name": name, "description": [name]}, None, "2.0")
    credential = {"id": "urn:b", "type": ["VerifiableCredential", "OpenBadgeCredential"],
                  "credentialSubject": {"achievement": {"name": name, "description": {"@value": "d"}}},
                  "issuer": {"id": "did:example:1", "name": [{"@value": "Issuer", "@language": "en"}]}}
    ob3 = ob3_badge(credential)
    assert ob2.name == ob3.name == "Data analysis" and ob2.description == "Data analysis"
    assert ob3.description == "d" and ob3.issuer is not None and ob3.issuer.name == "Issuer"
    assert classify(ob3).category  # grouping reads the same badge without tripping on the maps


def test_no_other_module_reads_language_maps_itself():
    """``@value`` is read in two places only: the text reader, and JSON-LD processing (jsonld.py)."""
    allowed = {"verifier/language_maps.py", "verifier/jsonld.py"}
    readers = set()
    for path in [*ROOT.glob("verifier/**/*.py"), *ROOT.glob("wallet/**/*.py"), *ROOT.glob("app_pages/*.py")]:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        if any(isinstance(n, ast.Constant) and n.value == "@value" for n in ast.walk(tree)):
            readers.add(str(path.relative_to(ROOT)))
    assert readers - allowed == set(), readers
