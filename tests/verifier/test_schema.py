"""credentialSchema: pinned JSON Schemas only, plain-word errors, never a fetch."""
from __future__ import annotations

from support.files import load_json

from verifier.report import derive_verdict
from verifier.schema import SCHEMA_DIR, check_schema, pinned_schemas

SCHEMA_URL = "https://schemas.example/achievementcredential.json"
SUBJECT_URL = "https://schemas.example/subject.json"
# A small stand-in for the 1EdTech schema (draft 2019-09, as 1EdTech publishes), written for these tests.
SCHEMA = {
    "$schema": "https://json-schema.org/draft/2019-09/schema#",
    "$id": SCHEMA_URL,
    "type": "object",
    "required": ["@context", "type", "issuer", "credentialSubject"],
    "properties": {
        "type": {"type": "array", "contains": {"const": "OpenBadgeCredential"}},
        "issuer": {"type": ["string", "object"]},
        "credentialSubject": {"$ref": SUBJECT_URL},
        "validFrom": {"type": "string"},
    },
}
SUBJECT = {
    "$schema": "https://json-schema.org/draft/2019-09/schema#",
    "$id": SUBJECT_URL,
    "type": "object",
    "required": ["achievement"],
    "properties": {"achievement": {"type": "object", "required": ["name", "criteria"],
                                   "properties": {"name": {"type": "string"}}}},
}
PINNED = {SCHEMA_URL: SCHEMA, SUBJECT_URL: SUBJECT}


def credential(**changes) -> dict:
    cred = {"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiableCredential", "OpenBadgeCredential"],
            "issuer": "did:example:issuer", "validFrom": "2024-01-01T00:00:00Z",
            "credentialSubject": {"achievement": {"name": "Teamwork", "criteria": {"narrative": "n"}}},
            "credentialSchema": [{"id": SCHEMA_URL, "type": "1EdTechJsonSchemaValidator2019"}]}
    cred.update(changes)
    return cred


def test_valid_credential_passes_its_pinned_schema():
    [check] = check_schema(credential(), schemas=PINNED)
    assert check.status == "pass" and SCHEMA_URL in check.message


def test_errors_fail_with_the_first_three_in_plain_words():
    bad = credential(type=["VerifiableCredential"], issuer=42, validFrom=2024,
                     credentialSubject={"achievement": {"name": 7}})
    [check] = check_schema(bad, schemas=PINNED)
    assert check.status == "fail" and derive_verdict([check]) == "invalid"
    assert "and 2 more" in check.message  # 5 errors: type, issuer, validFrom, name, criteria
    assert check.message.count(";") == 2
    assert "issuer: 42 is not of type" in check.message


def test_missing_required_field_is_named():
    bad = credential()
    del bad["credentialSubject"]
    [check] = check_schema(bad, schemas=PINNED)
    assert check.status == "fail" and "'credentialSubject' is a required property" in check.message


def test_ref_to_unpinned_schema_is_unverifiable_not_fetched():
    # the autouse no_network mock would raise on any HTTP request; the check must not make one
    [check] = check_schema(credential(), schemas={SCHEMA_URL: SCHEMA})
    assert check.status == "fail" and check.outcome == "unverifiable" and "not pinned" in check.message


def test_unknown_schema_and_unsupported_type_are_skipped():
    cred = credential(credentialSchema=[{"id": "https://elsewhere.example/s.json", "type": "1EdTechJsonSchemaValidator2019"},
                                        {"id": SCHEMA_URL, "type": "ShaclValidator2017"}, "junk"])
    checks = check_schema(cred, schemas=PINNED)
    assert [c.status for c in checks] == ["skip", "skip", "skip"]
    assert "not pinned here" in checks[0].message and "never fetched" in checks[0].message


def test_no_credential_schema_is_a_skip():
    cred = credential()
    del cred["credentialSchema"]
    [check] = check_schema(cred)
    assert check.status == "skip"


def test_shipped_index_loads_and_its_files_exist():
    index = pinned_schemas()
    assert isinstance(index, dict)
    for url, schema in index.items():
        assert url.startswith("https://") and isinstance(schema, dict)
    assert (SCHEMA_DIR / "index.json").is_file()


def test_dcc_credential_naming_the_official_schema_is_skipped_without_fetching():
    cred = load_json("digitalcredentials-vc-test-fixtures", "vc", "v2", "dataIntegrityProof", "didKey",
                     "legacyRegistry-noStatus-notExpired-withSchema.json")
    checks = check_schema(cred)
    assert checks and all(c.status in ("skip", "pass") for c in checks)
    assert any("ob_v3p0_achievementcredential_schema.json" in c.message for c in checks)
