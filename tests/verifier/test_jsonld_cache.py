"""The context memo and the canonical-form memo stay exact: warm results equal pyld's own, cold."""
from __future__ import annotations

import copy
import uuid

import pytest
from pyld import jsonld as pyld_jsonld
from support.files import load_json

from verifier import jsonld

V2 = "https://www.w3.org/ns/credentials/v2"
OB303 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"


def reference(doc: dict) -> str:
    """pyld's plain normalize with a loader of its own (no memo of ours involved)."""
    return pyld_jsonld.normalize(copy.deepcopy(doc), {"algorithm": "URDNA2015", "format": "application/n-quads",
                                                      "base": None, "documentLoader": jsonld.OfflineLoader()})


def unsecured(doc: dict) -> dict:
    return {k: v for k, v in doc.items() if k != "proof"}


def documents() -> list[dict]:
    docs = [unsecured(load_json("1edtech-openbadges-specification", "ob3-test-vector", "signed-credential.json")),
            unsecured(load_json("w3c-vc-di-eddsa", "eddsa-rdfc-2022", "signedDataInt.json")),
            load_json("w3c-vc-di-eddsa", "eddsa-rdfc-2022", "proofConfigDataInt.json")]
    for i in range(3):  # type-scoped contexts (OpenBadgeCredential, Achievement, Profile…) over and over
        docs.append({"@context": [V2, OB303], "id": f"urn:uuid:{i}", "type": ["VerifiableCredential",
                     "OpenBadgeCredential"], "issuer": {"id": f"did:example:{i}", "type": ["Profile"], "name": "I"},
                     "validFrom": "2024-01-01T00:00:00Z", "name": f"B{i}",
                     "credentialSubject": {"type": ["AchievementSubject"], "achievement": {
                         "id": f"https://x.example/a/{i}", "type": ["Achievement"], "name": "A",
                         "criteria": {"narrative": "n"}, "description": "d"}}})
    # inline contexts that differ only in details a sloppy key would confuse
    for vocab in ("http://a.example/", "http://b.example/"):
        docs.append({"@context": [V2, {"@vocab": vocab, "n": {"@id": "http://x.example/n"}}],
                     "type": "VerifiableCredential", "issuer": "did:example:1",
                     "credentialSubject": {"id": "did:example:2", "grade": "A", "n": 1}})
    return docs


def test_every_result_equals_pyld_cold_and_again_warm():
    docs = documents()
    expected = [reference(d) for d in docs]
    for _ in range(2):  # the second round is served by the memos
        assert [jsonld.canonicalize(copy.deepcopy(d)).nquads for d in docs] == expected
    assert expected[-1] != expected[-2] and "http://b.example/grade" in expected[-1]


def test_a_distinct_credential_processes_no_context_once_warm(monkeypatch):
    docs = [dict(d, id=f"urn:uuid:warm-{uuid.uuid4()}") for d in documents()[3:6]]  # never seen before
    expected = [reference(d) for d in docs]
    jsonld.canonicalize(docs[0])
    calls = []
    original = pyld_jsonld.JsonLdProcessor._create_term_definition
    monkeypatch.setattr(pyld_jsonld.JsonLdProcessor, "_create_term_definition",
                        lambda self, *a, **k: calls.append(a[2]) or original(self, *a, **k))
    hits = jsonld._MEMO.hits
    assert [jsonld.canonicalize(doc).nquads for doc in docs[1:]] == expected[1:]
    assert calls == []  # no term was defined again, type-scoped contexts' included
    assert jsonld._MEMO.hits > hits


def test_structure_keys_tell_json_types_and_values_apart():
    key = jsonld._structure_key
    assert len({key({"a": 1}), key({"a": 1.0}), key({"a": True}), key({"a": "1"}), key({"a": None}),
                key({"a": [1]}), key([{"a": 1}])}) == 7
    assert key({"a": 1, "b": 2}) == key({"b": 2, "a": 1})  # member order does not matter in JSON
    assert key({"@vocab": "http://a.example/"}) != key({"@vocab": "http://b.example/"})


def test_an_inline_context_changed_in_place_is_processed_again():
    doc = {"@context": [V2, {"@vocab": "http://a.example/"}], "type": "VerifiableCredential",
           "issuer": "did:example:1", "credentialSubject": {"id": "did:example:2", "grade": "A"}}
    first = jsonld.canonicalize(doc).nquads
    doc["@context"][1]["@vocab"] = "http://c.example/"
    second = jsonld.canonicalize(doc).nquads
    assert "http://a.example/grade" in first and "http://c.example/grade" in second
    assert second == reference(doc)


def test_over_budget_documents_are_refused_every_time():
    n = 8
    nodes = [{"@id": f"_:b{i}", "http://ex.org/p": [{"@id": f"_:b{j}"} for j in range(n) if j != i]} for i in range(n)]
    for _ in range(2):
        with pytest.raises(jsonld.TooComplex, match="time"):
            jsonld.canonicalize({"@graph": nodes}, jsonld.Budget(seconds=0.2))
    big = {"@context": [V2], "type": "VerifiableCredential", "credentialSubject": {"id": "did:ex:1"}}
    for _ in range(2):
        with pytest.raises(jsonld.TooComplex, match="bytes"):
            jsonld.canonicalize(big, jsonld.Budget(max_bytes=20))


def test_a_document_that_fails_is_not_remembered_as_valid():
    doc = {"@context": [V2, {"id": "http://x.example/id"}], "id": "urn:x"}  # protected term redefined
    for _ in range(2):
        with pytest.raises(jsonld.JsonLdInvalid, match="protected"):
            jsonld.canonicalize(doc)


def test_canonical_forms_are_kept_only_for_small_documents():
    doc = {"@context": [V2], "type": "VerifiableCredential", "issuer": "did:example:1",
           "credentialSubject": {"id": "did:example:2", "description": "x" * (jsonld._CANON_MEMO_MAX_TEXT + 10)}}
    before = len(jsonld._CANON_MEMO)
    jsonld.canonicalize(doc)
    assert len(jsonld._CANON_MEMO) == before
