"""Issuer identity (registry / domain / trusted / self-asserted) and endorsements, kept apart from the verdict."""
from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from urllib.parse import quote

import pytest
import responses
from nacl.signing import SigningKey
from support import ob2_badges as ob2
from support.endorsements import endorsement
from support.files import fixture_path
from support.wallet_badges import hosted_assertion

from verifier import summarize, verify
from verifier.cli import format_text, main
from verifier.fetch import SafeFetcher
from verifier.keys import ed25519_multikey
from verifier.proofs.data_integrity import sign_credential
from verifier.registry import RegistryCache, load_registry, parse_registry

NOW = datetime(2026, 3, 1, tzinfo=UTC)
OB3_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
ACHIEVEMENT = "https://example.edu/achievements/teamwork"
SANDBOX = fixture_path("digitalcredentials-sandbox-registry", "registry.json")


def did_key(key: SigningKey) -> tuple[str, str]:
    fp = ed25519_multikey(key.verify_key)
    return f"did:key:{fp}", f"did:key:{fp}#{fp}"


def credential(issuer: str, name: str = "Example University", **extra) -> dict:
    doc = {
        "@context": ["https://www.w3.org/ns/credentials/v2", OB3_CONTEXT],
        "id": "urn:uuid:2f7d6c1e-8c1b-4c5e-9d0e-0a1b2c3d4e5f",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": issuer, "type": ["Profile"], "name": name},
        "validFrom": "2025-01-01T00:00:00Z",
        "name": "Teamwork",
        "credentialSubject": {"type": ["AchievementSubject"], "id": "did:example:learner",
                              "achievement": {"id": ACHIEVEMENT, "type": ["Achievement"], "name": "Teamwork",
                                              "description": "Works well in a team.",
                                              "criteria": {"narrative": "Nominated by peers."}}},
    }
    doc.update(extra)
    return doc


def impostor(key: SigningKey | None = None, **extra) -> dict:
    """A fresh did:key that calls itself Harvard University: genuine signature, nothing else."""
    key = key or SigningKey.generate()
    did, vm = did_key(key)
    return sign_credential(credential(did, "Harvard University", **extra), key, vm, created="2025-01-01T00:00:00Z")


def registry_file(tmp_path, entries: dict) -> str:
    path = tmp_path / "registry.json"
    path.write_text(json.dumps({"meta": {"created": "2026-01-01T00:00:00+00:00"}, "registry": entries}))
    return str(path)


# --- self-asserted: the Harvard impostor -----------------------------------------------------------

def test_did_key_impostor_is_valid_but_its_name_is_only_a_claim():
    report = verify(impostor(), now=NOW)
    assert report.verdict == "valid"  # the signature holds: verdict semantics unchanged
    ident = report.issuer_identity
    assert ident.level == "self-asserted" and ident.claimed_name == "Harvard University"
    assert ident.name is None and ident.domain is None
    check = report.check("issuer-identity")
    assert check.status == "warn" and "Harvard University" in check.message and "anyone" in check.message.lower()
    s = summarize(report)
    assert "issued by Harvard" not in s.headline and "Harvard University checks" not in s.headline
    assert "genuine" in s.authenticity and "Harvard" not in s.authenticity
    assert "calls itself “Harvard University”" in s.identity and "Nothing confirms" in s.identity


def test_cli_json_has_issuer_identity_and_exit_code_is_unchanged(tmp_path, capsys):
    path = tmp_path / "badge.json"
    path.write_text(json.dumps(impostor()))
    assert main([str(path), "--json", "--now", "2026-03-01T00:00:00Z"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["verdict"] == "valid" and out["nested"] == []
    assert out["issuer_identity"] == {"level": "self-asserted", "claimed_name": "Harvard University", "name": None,
                                      "domain": None, "source": None}
    assert {"verdict", "format", "checks", "badge"} <= set(out)
    assert main([str(path), "--now", "2026-03-01T00:00:00Z"]) == 0
    text = capsys.readouterr().out
    assert "calls itself “Harvard University”" in text and "Issuer identity: SELF-ASSERTED" in text
    assert "Issuer:    Harvard" not in text


def test_tampered_badge_has_no_identity_beyond_its_claim(tmp_path):
    key = SigningKey.generate()
    doc = impostor(key)
    did = doc["issuer"]["id"]
    doc["name"] = "Changed after signing"
    reg = load_registry(registry_file(tmp_path, {did: {"name": "Harvard University"}}))
    report = verify(doc, now=NOW, registries=[reg.registry], trusted_issuers=[did])
    assert report.verdict == "invalid"
    assert report.issuer_identity.level == "self-asserted"  # a forged badge borrows no registry listing
    assert report.check("issuer-identity").status == "skip"
    assert "not confirmed" in summarize(report).identity


# --- registry ---------------------------------------------------------------------------------------

def test_registry_file_names_the_issuer(tmp_path):
    key = SigningKey.generate()
    did, _ = did_key(key)
    reg = load_registry(registry_file(tmp_path, {did: {"name": "Registered College", "location": "Ghent",
                                                      "url": "https://college.example"}}))
    assert reg.ok, reg.error
    report = verify(impostor(key), now=NOW, registries=[reg.registry])
    assert report.verdict == "valid"
    ident = report.issuer_identity
    assert ident.level == "registry" and ident.name == "Registered College"
    assert ident.claimed_name == "Harvard University" and "registry.json" in ident.source
    assert "file changed just now" in ident.source
    check = report.check("issuer-identity")
    assert check.status == "pass" and "Registered College" in check.message and "Harvard" in check.message
    assert summarize(report).identity.startswith("Issuer: Registered College, according to the issuer registry")


def test_unlisted_issuer_stays_self_asserted_with_a_registry_in_use(tmp_path):
    reg = load_registry(registry_file(tmp_path, {"did:key:z6MkNotThisOne": {"name": "Someone Else"}}))
    report = verify(impostor(), now=NOW, registries=[reg.registry])
    assert report.issuer_identity.level == "self-asserted"


def test_dcc_sandbox_registry_fixture_is_read():
    reg = load_registry(str(SANDBOX))
    assert reg.ok
    entry = reg.registry.lookup("did:web:digitalcredentials.github.io:dcc-did-web")
    assert entry.name == "DCC did:web test" and entry.location == "Cambridge, MA, USA"
    assert reg.registry.lookup("did:web:digitalcredentials.github.io:dcc-did-web#key-1").name == "DCC did:web test"
    assert reg.registry.lookup("did:key:z6MkUnknown") is None


@pytest.mark.parametrize("data, words", [
    ({"meta": {}}, "no \"registry\" object"),
    ([1, 2], "no \"registry\" object"),
])
def test_bad_registry_is_a_sentence(data, words):
    load = parse_registry(data, "x.json", NOW)
    assert not load.ok and words in load.error


def test_missing_registry_file_is_a_sentence(tmp_path):
    load = load_registry(str(tmp_path / "nope.json"))
    assert not load.ok and "cannot be read" in load.error


def test_registry_url_is_fetched_cached_and_its_age_shown(http, tmp_path):
    url = "https://registry.example.org/registry.json"
    http.get(url, json=json.loads(SANDBOX.read_text()))
    cache = RegistryCache(directory=tmp_path / "cache", max_age=timedelta(hours=1))
    first = load_registry(url, SafeFetcher(), cache=cache, now=NOW)
    assert first.ok and first.registry.describe(NOW) == \
        "the issuer registry registry.example.org/registry.json (read just now)"
    # Within max_age: no new request, the age grows.
    later = NOW + timedelta(minutes=30)
    again = load_registry(url, SafeFetcher(), cache=RegistryCache(directory=tmp_path / "cache"), now=later)
    assert again.ok and "read 30 minutes ago" in again.registry.describe(later)
    assert len([c for c in http.calls if c.request.url == url]) == 1
    # Past max_age the registry is fetched again; if that fails, the old copy is used and says so.
    http.replace(responses.GET, url, status=503)
    stale_at = NOW + timedelta(hours=5)
    stale = load_registry(url, SafeFetcher(), cache=cache, now=stale_at)
    assert stale.ok and "5 hours ago" in stale.registry.note and "could not be read" in stale.registry.note


def test_registry_url_goes_through_the_safe_fetcher():
    load = load_registry("http://localhost/registry.json", SafeFetcher())
    assert not load.ok and "loopback" in load.error


def test_cli_registry_option(tmp_path, capsys):
    key = SigningKey.generate()
    did, _ = did_key(key)
    badge = tmp_path / "badge.json"
    badge.write_text(json.dumps(impostor(key)))
    reg = registry_file(tmp_path, {did: {"name": "Registered College"}})
    missing = str(tmp_path / "missing.json")
    code = main([str(badge), "--json", "--registry", missing, "--registry", reg, "--now", "2026-03-01T00:00:00Z"])
    captured = capsys.readouterr()
    assert code == 0
    out = json.loads(captured.out)
    assert out["issuer_identity"]["level"] == "registry" and out["issuer_identity"]["name"] == "Registered College"
    assert "missing.json" in captured.err  # an unreadable registry is said, not silently dropped


# --- domain: did:web and https issuers served by mocks ------------------------------------------------

def did_web_badge(http, host: str = "badges.example.edu", path: str = "") -> dict:
    key = SigningKey.generate()
    did = f"did:web:{quote(host, safe='')}" + (f":{path}" if path else "")
    vm = f"{did}#key-1"
    doc = {"@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"], "id": did,
           "verificationMethod": [{"id": vm, "type": "Multikey", "controller": did,
                                   "publicKeyMultibase": ed25519_multikey(key.verify_key)}],
           "assertionMethod": [vm]}
    where = f"https://{host}/{path}/did.json" if path else f"https://{host}/.well-known/did.json"
    http.get(where, json=doc)
    return sign_credential(credential(did, "Example University"), key, vm, created="2025-01-01T00:00:00Z")


def test_did_web_issuer_is_identified_by_its_domain(http):
    report = verify(did_web_badge(http), now=NOW)
    assert report.verdict == "valid"
    ident = report.issuer_identity
    assert ident.level == "domain" and ident.domain == "badges.example.edu"
    assert ident.claimed_name == "Example University" and ident.name is None
    s = summarize(report)
    assert s.identity == "Issuer: whoever controls the website badges.example.edu, which calls itself " \
                         "“Example University”."


def test_https_issuer_with_its_controller_document_is_identified_by_its_domain(http):
    key = SigningKey.generate()
    issuer = "https://college.example.edu/issuer"
    vm = f"{issuer}#key-1"
    http.get(issuer, json={"@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
                           "id": issuer, "verificationMethod": [{
                               "id": vm, "type": "Multikey", "controller": issuer,
                               "publicKeyMultibase": ed25519_multikey(key.verify_key)}],
                           "assertionMethod": [vm]})
    vc = sign_credential(credential(issuer, "College"), key, vm, created="2025-01-01T00:00:00Z")
    report = verify(vc, now=NOW)
    assert report.verdict == "valid", [c.message for c in report.checks if c.status == "fail"]
    assert report.issuer_identity.level == "domain" and report.issuer_identity.domain == "college.example.edu"


def test_ob2_signed_profile_from_its_origin_is_domain(http):
    issuer = ob2.Issuer()
    issuer.serve(http, assertion=False)
    token = ob2.sign(issuer.signed_payload(), issuer.private)
    report = verify(token, now=NOW)
    assert report.verdict == "valid"
    assert report.issuer_identity.level == "domain" and report.issuer_identity.domain == "issuer.example"
    assert report.issuer_identity.claimed_name == "Example Robotics School"


def test_ob2_hosted_badge_from_its_origin_is_domain(http):
    hosted_assertion(http, "workshop")
    report = verify("https://skills.example.edu/assertions/workshop.json", now=NOW)
    assert report.verdict == "valid"
    assert report.issuer_identity.level == "domain" and report.issuer_identity.domain == "skills.example.edu"


def test_ob2_hosted_over_plain_http_proves_no_domain(http):
    hosted_assertion(http, "workshop", host="http://plain.example.edu")
    report = verify("http://plain.example.edu/assertions/workshop.json", now=NOW)
    assert report.verdict == "valid"
    assert report.issuer_identity.level == "self-asserted"
    assert "plain-http" in report.check("issuer-identity").message


def test_ob2_signed_badge_signed_by_a_foreign_key_has_no_domain(http):
    issuer = ob2.Issuer()
    issuer.serve(http, assertion=False)
    token = ob2.sign(issuer.signed_payload(), ob2.rsa_key(1))  # not the issuer's key
    report = verify(token, now=NOW)
    assert report.verdict == "invalid" and report.issuer_identity.level == "self-asserted"


def test_demo_copy_proves_no_domain():
    from wallet.demo import DEMO_MIRRORS
    # The demo issuer's documents are served from a local folder: nothing proves the domain.
    badge = fixture_path("..", "..", "verifier", "demo_data", "badges", "lab-safety.png").read_bytes()
    report = verify(badge, fetcher=SafeFetcher(mirrors=DEMO_MIRRORS))
    assert report.check("mirror") is not None and report.proven_origin is not None
    assert report.issuer_identity.level == "self-asserted"


# --- trusted -------------------------------------------------------------------------------------------

def test_issuer_marked_trusted():
    key = SigningKey.generate()
    did, _ = did_key(key)
    report = verify(impostor(key), now=NOW, trusted_issuers={did})
    assert report.verdict == "valid"
    assert report.issuer_identity.level == "trusted" and report.issuer_identity.source
    assert "you marked as trusted" in summarize(report).identity


# --- endorsements --------------------------------------------------------------------------------------

def badge_with(endorsements: list, where: str = "achievement") -> dict:
    key = SigningKey.generate()
    did, vm = did_key(key)
    doc = credential(did, "Example University")
    if where == "achievement":
        doc["credentialSubject"]["achievement"]["endorsement"] = endorsements
    else:
        doc["endorsement"] = endorsements
    return sign_credential(doc, key, vm, created="2025-01-01T00:00:00Z")


def test_valid_endorsement_is_its_own_nested_report(tmp_path):
    endorser = SigningKey.generate()
    reg = load_registry(registry_file(tmp_path, {did_key(endorser)[0]: {"name": "Quality Agency"}}))
    report = verify(badge_with([endorsement(endorser, ACHIEVEMENT)]), now=NOW, registries=[reg.registry])
    assert report.verdict == "valid"
    [nested] = report.nested
    assert nested.role == "endorsement" and nested.report.verdict == "valid"
    assert nested.report.issuer_identity.level == "registry" and nested.report.issuer_identity.name == "Quality Agency"
    check = report.check("endorsement")
    assert check.status == "pass" and "Quality Agency" in check.message and "the achievement" in check.message
    out = report.to_dict()["nested"][0]
    assert out["role"] == "endorsement" and out["issuer_identity"]["level"] == "registry"
    assert {"verdict", "format", "checks", "badge", "issuer_identity"} <= set(out)


def test_self_asserted_endorser_is_named_as_a_claim():
    report = verify(badge_with([endorsement(SigningKey.generate(), ACHIEVEMENT, name="UNESCO")]), now=NOW)
    check = report.check("endorsement")
    assert check.status == "pass" and "Someone calling itself “UNESCO” endorses the achievement" in check.message


def test_tampered_endorsement_warns_and_leaves_the_verdict_alone():
    bad = endorsement(SigningKey.generate(), ACHIEVEMENT)
    bad["credentialSubject"]["endorsementComment"] = "The best programme in the world."
    report = verify(badge_with([bad], where="credential"), now=NOW)
    assert report.verdict == "valid"  # a forged endorsement is ignored, not a reason to reject the badge
    [nested] = report.nested
    assert nested.report.verdict == "invalid"
    check = report.check("endorsement")
    assert check.status == "warn" and "did not pass verification" in check.message
    assert all(c.status in ("pass", "warn", "skip") for c in report.checks if c.id == "endorsement")


def test_endorsement_of_something_else_is_ignored():
    report = verify(badge_with([endorsement(SigningKey.generate(), "https://elsewhere.example/thing")]), now=NOW)
    check = report.check("endorsement")
    assert check.status == "warn" and "something else" in check.message


def test_endorsement_jwt_is_verified_too():
    from support.vc_jwt import ed25519_did_key, sign

    key, did = ed25519_did_key()
    cred = {"@context": ["https://www.w3.org/ns/credentials/v2", OB3_CONTEXT],
            "id": "urn:uuid:6b4f0d62-0000-4c4e-8f0e-1a2b3c4d5e6f",
            "type": ["VerifiableCredential", "EndorsementCredential"], "name": "Endorsement",
            "issuer": {"id": did, "type": ["Profile"], "name": "Jwt Endorser"}, "validFrom": "2025-01-01T00:00:00Z",
            "credentialSubject": {"id": ACHIEVEMENT, "type": ["EndorsementSubject"], "endorsementComment": "Good."}}
    good = sign({**cred, "iss": did, "jti": cred["id"], "sub": ACHIEVEMENT}, key, "EdDSA",
                kid=f"{did}#{did[8:]}", typ="vc+jwt")
    from support.vc_jwt import b64
    head, _, sig = good.split(".")
    changed = {**cred, "iss": did, "jti": cred["id"], "sub": ACHIEVEMENT,
               "credentialSubject": {**cred["credentialSubject"], "endorsementComment": "The very best."}}
    forged = ".".join([head, b64(changed), sig])  # same signature, changed comment
    # The pinned OB 3.0 context does not define endorsementJwt, so a JSON-LD proof would not cover it:
    # the outer badge is a VC-JWT, whose signature covers every byte of its payload.
    outer_key, outer_did = ed25519_did_key()
    doc = credential(outer_did)
    doc["credentialSubject"]["achievement"]["endorsementJwt"] = [good, forged]
    outer = sign({**doc, "iss": outer_did, "jti": doc["id"], "sub": "did:example:learner"}, outer_key, "EdDSA",
                 kid=f"{outer_did}#{outer_did[8:]}", typ="vc+jwt")
    report = verify(outer, now=NOW)
    assert report.verdict == "valid", [c.message for c in report.checks if c.status == "fail"]
    assert [n.report.verdict == "valid" for n in report.nested] == [True, False]
    assert all(n.role == "endorsement" and n.report.format == "ob3-jwt" for n in report.nested)
    statuses = [c.status for c in report.checks if c.id == "endorsement"]
    assert statuses == ["pass", "warn"]


def test_empty_endorsement_list_adds_nothing():
    report = verify(badge_with([]), now=NOW)
    assert report.nested == () and report.check("endorsement") is None


def test_text_report_lists_endorsements():
    text = format_text(verify(badge_with([endorsement(SigningKey.generate(), ACHIEVEMENT)]), now=NOW))
    assert "Endorsed:" in text and "Example Accreditation Body" in text


def test_exit_codes_are_unchanged_by_identity(tmp_path, capsys):
    key = SigningKey.generate()
    did, _ = did_key(key)
    reg = registry_file(tmp_path, {did: {"name": "Registered College"}})
    good, bad = tmp_path / "good.json", tmp_path / "bad.json"
    good.write_text(json.dumps(impostor(key)))
    forged = impostor(key)
    forged["name"] = "Changed"
    bad.write_text(json.dumps(forged))
    notabadge = tmp_path / "x.json"
    notabadge.write_text("{}")
    now = ["--now", "2026-03-01T00:00:00Z", "--registry", reg, "--trust", did]
    assert main([str(good), *now]) == 0
    assert main([str(bad), *now]) == 1
    assert main([str(notabadge), *now]) == 2
    capsys.readouterr()
    assert main([str(notabadge), "--json", *now]) == 2
    assert json.loads(capsys.readouterr().out)["issuer_identity"] is None
