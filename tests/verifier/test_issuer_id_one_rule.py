"""One reading of "who is the issuer" for every OB 3.0 step: an empty issuer id names no one."""
from __future__ import annotations

import pytest
from nacl.signing import SigningKey
from support.data_integrity import NOW, credential, did_key

from verifier import verify
from verifier.proofs.data_integrity import sign_credential


@pytest.mark.parametrize("issuer", ["", {"id": "", "type": ["Profile"], "name": "Example University"}])
def test_a_signed_credential_with_an_empty_issuer_id_names_no_issuer(issuer) -> None:
    key = SigningKey(b"\x07" * 32)
    _did, vm = did_key(key)
    doc = credential("placeholder")
    doc["issuer"] = issuer
    report = verify(sign_credential(doc, key, vm, created="2025-01-01T00:00:00Z"), now=NOW)
    by_id = {str(c.id): c for c in report.checks}
    assert report.verdict == "invalid"
    assert by_id["issuer"].status == "fail"
    assert "does not name its issuer" in by_id["issuer"].message
    # The signature may be fine, but the key is tied to no one: never "belongs to the issuer ''".
    assert by_id["key-owner"].status == "fail"
    assert "names no issuer" in by_id["key-owner"].message
