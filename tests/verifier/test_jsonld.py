"""Offline JSON-LD: pinned contexts, context cache, dropped-term detection, canonicalization budget."""
from __future__ import annotations

import json
import time

import pytest
from pyld.documentloader.frozen import FrozenDocumentLoader

from verifier import jsonld

V1 = "https://www.w3.org/2018/credentials/v1"
V2 = "https://www.w3.org/ns/credentials/v2"
OB303 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"


def test_every_pinned_context_loads():
    docs = jsonld.pinned_documents()
    index = json.loads((jsonld.CONTEXTS_DIR / "index.json").read_text())
    assert set(index) <= set(docs)
    for url in index:
        remote = jsonld.LOADER(url, {})
        assert remote["documentUrl"] == url and remote["tag"] == "static"
        assert isinstance(remote["document"], dict)


def test_ob_303_is_the_spec_repository_copy():
    """The three files named context-3.0.3 differ; the URL maps to the spec repo's, never another."""
    ours = jsonld.LOADER(OB303, {})["document"]["@context"]
    alternate = json.loads((jsonld.CONTEXTS_DIR / "ob-v3p0-context-3.0.3-dcpv2026.json").read_text())["@context"]
    assert "awardedDate" in ours and "jti" not in ours
    assert "jti" in alternate and ours != alternate


def test_unknown_context_is_an_error_never_a_fetch(http):
    doc = {"@context": [V2, "https://contexts.example/x"], "type": "VerifiableCredential"}
    assert jsonld.unknown_contexts(doc) == ["https://contexts.example/x"]
    with pytest.raises(jsonld.UnknownContext) as err:
        jsonld.canonicalize(doc)
    assert err.value.url == "https://contexts.example/x"
    assert len(http.calls) == 0


def test_embedded_contexts_are_found():
    doc = {"@context": [V2], "credentialSubject": {"@context": ["https://nested.example/ctx"], "a": 1}}
    assert jsonld.remote_contexts(doc) == [V2, "https://nested.example/ctx"]


def test_processed_contexts_are_cached(monkeypatch):
    doc = {"@context": [V2, OB303], "type": ["VerifiableCredential", "OpenBadgeCredential"], "issuer": "did:ex:1",
           "validFrom": "2020-01-01T00:00:00Z", "credentialSubject": {"id": "did:ex:2"}}
    jsonld.canonicalize(doc)
    calls = []
    original = FrozenDocumentLoader.__call__
    monkeypatch.setattr(FrozenDocumentLoader, "__call__", lambda self, url, opts: calls.append(url) or original(self, url, opts))
    for i in range(5):
        jsonld.canonicalize(dict(doc, id=f"urn:uuid:{i}"))
    assert calls == []


def test_undefined_terms_relative_types_and_ids_are_reported():
    doc = {"@context": [V1], "type": ["VerifiableCredential", "Mystery"], "issuer": "did:ex:1",
           "issuanceDate": "2020-01-01T00:00:00Z",
           "credentialSubject": {"id": "not-an-iri", "grade": "A"}, "@bogus": 1}
    dropped = " | ".join(jsonld.canonicalize(doc).dropped)
    assert "grade" in dropped and "Mystery" in dropped and "not-an-iri" in dropped and "@bogus" in dropped


UNDEFINED_TERMS = "https://www.w3.org/ns/credentials/undefined-terms/v2"


def test_undefined_terms_context_keeps_terms_signed():
    doc = {"@context": [V2, UNDEFINED_TERMS], "type": ["VerifiableCredential"], "issuer": "did:ex:1",
           "credentialSubject": {"id": "did:ex:2", "grade": "A"}}
    canon = jsonld.canonicalize(doc)
    assert canon.dropped == () and "undefined-term#grade" in canon.nquads


def test_protected_term_redefinition_is_invalid_json_ld():
    with pytest.raises(jsonld.JsonLdInvalid, match="protected"):
        jsonld.canonicalize({"@context": [V2, {"id": "http://x.example/id"}], "id": "urn:x"})


def test_blank_node_clique_hits_the_time_budget():
    n = 8
    nodes = [{"@id": f"_:b{i}", "http://ex.org/p": [{"@id": f"_:b{j}"} for j in range(n) if j != i]} for i in range(n)]
    start = time.monotonic()
    with pytest.raises(jsonld.TooComplex, match="time"):
        jsonld.canonicalize({"@graph": nodes}, jsonld.Budget(seconds=0.3))
    assert time.monotonic() - start < 5


def test_size_and_statement_caps():
    doc = {"@context": [V2, UNDEFINED_TERMS], "type": "VerifiableCredential",
           "credentialSubject": {"id": "did:ex:1", "n": list(range(50))}}
    with pytest.raises(jsonld.TooComplex, match="statements"):
        jsonld.canonicalize(doc, jsonld.Budget(max_quads=10))
    with pytest.raises(jsonld.TooComplex, match="bytes"):
        jsonld.canonicalize(doc, jsonld.Budget(max_bytes=20))
    blanks = {"@context": [V2, UNDEFINED_TERMS], "type": "VerifiableCredential", "credentialSubject": [{"name": str(i)} for i in range(30)]}
    with pytest.raises(jsonld.TooComplex, match="unnamed nodes"):
        jsonld.canonicalize(blanks, jsonld.Budget(max_blank_nodes=10))
