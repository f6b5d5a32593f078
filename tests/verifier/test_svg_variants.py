"""SVG baking variants seen in the wild: the spec's OB 3.0 namespace, the ``/spec/`` one several bakers use,
and an OB 3.0 credential under the OB 2.0 namespace; JSON in CDATA or a JWT/JWS in ``verify=``.

The fixtures are the 1EdTech validator's own SVGs (and a real DCC credential baked the same way) with
only the namespace declaration and element name changed, as those bakers write them.
"""
from __future__ import annotations

import base64
import json
import warnings
from datetime import UTC, datetime

import pytest
from joserfc import jws
from joserfc.jwk import OKPKey
from joserfc.jws import JWSRegistry
from support.files import fixture_path

from verifier import unbake, verify
from verifier.keys import ed25519_multikey

NOW = datetime(2026, 3, 1, tzinfo=UTC)
SPEC_NS = "https://purl.imsglobal.org/ob/v3p0"
SPEC_PATH_NS = "https://purl.imsglobal.org/spec/ob/v3p0"
OB2_NS = "http://openbadges.org"
VALIDATOR = fixture_path("1edtech-digital-credentials-public-validator", "ob30")
DCC = fixture_path("digitalcredentials-vc-test-fixtures", "vc", "v2", "dataIntegrityProof", "didKey",
                   "legacyRegistry-noStatus-noExpiry-credName.json")
SVG_HEAD = ('<?xml version="1.0" encoding="utf-8"?>\n'
            '<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">\n'
            '<svg version="1.1" xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="{ns}" viewBox="0 0 10 10">\n')


def renamespaced(name: str, ns: str, element: str = "credential") -> bytes:
    """A validator SVG as a baker using ``ns`` (and ``<openbadges:element>``) writes it."""
    text = (VALIDATOR / name).read_text(encoding="utf-8")
    assert f'xmlns:openbadges="{SPEC_NS}"' in text
    text = text.replace(f'xmlns:openbadges="{SPEC_NS}"', f'xmlns:openbadges="{ns}"')
    return text.replace("openbadges:credential", f"openbadges:{element}").encode()


def baked(payload: str, ns: str, element: str = "credential", *, in_verify: bool = False) -> bytes:
    body = (f'<openbadges:{element} verify="{payload}"/>' if in_verify
            else f"<openbadges:{element}>\n<![CDATA[\n{payload}\n]]>\n</openbadges:{element}>")
    return (SVG_HEAD.format(ns=ns) + body + '\n<circle r="4"/>\n</svg>\n').encode()


def eddsa_vc_jwt() -> str:
    """A VC-JWT (EdDSA, did:key) of an OB 3.0 credential, as JFF-era issuers bake into ``verify=``."""
    from nacl.signing import VerifyKey

    key = OKPKey.generate_key("Ed25519")
    x = key.as_dict(private=False)["x"]
    did = "did:key:" + ed25519_multikey(VerifyKey(base64.urlsafe_b64decode(x + "=" * (-len(x) % 4))))
    cred = json.loads(DCC.read_text())
    cred.pop("proof")
    cred["issuer"]["id"] = did
    cred["credentialSubject"]["id"] = "did:example:learner"
    claims = {**cred, "iss": did, "jti": cred["id"], "sub": "did:example:learner",
              "nbf": int(datetime(2025, 2, 24, tzinfo=UTC).timestamp())}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return jws.serialize_compact({"alg": "EdDSA", "kid": f"{did}#{did[8:]}", "typ": "vc+jwt"},
                                     json.dumps(claims).encode(), key,
                                     registry=JWSRegistry(algorithms=["EdDSA"]))


def unbake_warning(report) -> str | None:
    return next((c.message for c in report.checks if c.id == "unbake" and c.status == "warn"), None)


# --- reading -----------------------------------------------------------------------------------

@pytest.mark.parametrize("ns, element", [(SPEC_NS, "credential"), (SPEC_PATH_NS, "credential"),
                                         (OB2_NS, "credential"), (OB2_NS, "assertion"),
                                         (SPEC_PATH_NS, "assertion")])
@pytest.mark.parametrize("name, start", [("simple-json.svg", "{"), ("simple-jwt.svg", "eyJ")])
def test_validator_svgs_are_read_under_every_namespace(ns, element, name, start):
    result = unbake(renamespaced(name, ns, element))
    assert result.ok, result.error
    assert result.payload.startswith(start)
    assert result.keyword == f"openbadges:{element}"
    assert (result.warning is None) == (ns == SPEC_NS and element == "credential")


@pytest.mark.parametrize("ns, element", [(SPEC_NS, "credential"), (SPEC_PATH_NS, "credential"),
                                         (OB2_NS, "assertion"), (OB2_NS, "credential")])
def test_genuine_credential_in_cdata_verifies_under_every_namespace(ns, element):
    report = verify(baked(DCC.read_text(), ns, element), now=NOW, offline=True)
    assert report.verdict == "valid", [c.message for c in report.checks]
    warning = unbake_warning(report)
    if ns == SPEC_NS:
        assert warning is None
    else:
        assert warning and ns in warning and SPEC_NS in warning


@pytest.mark.parametrize("ns", [SPEC_NS, SPEC_PATH_NS, OB2_NS])
def test_genuine_vc_jwt_in_verify_attribute_verifies_under_every_namespace(ns):
    report = verify(baked(eddsa_vc_jwt(), ns, in_verify=True), now=NOW, offline=True)
    assert report.format == "ob3-jwt"
    assert report.verdict == "valid", [c.message for c in report.checks]
    assert (unbake_warning(report) is None) == (ns == SPEC_NS)


def test_ob2_assertion_under_the_ob2_namespace_gets_no_warning():
    result = unbake(fixture_path("concentricsky-openbadges-bakery", "baked_example.svg").read_bytes())
    assert result.ok and result.warning is None


def test_the_warning_does_not_change_a_verdict_and_says_what_the_spec_wants():
    report = verify(baked(DCC.read_text(), SPEC_PATH_NS), now=NOW, offline=True)
    assert report.verdict == "valid"
    assert "openbadges:credential" in unbake_warning(report)


# --- one file, one badge -----------------------------------------------------------------------

def test_two_different_credentials_under_two_namespaces_are_refused():
    genuine = DCC.read_text()
    other = genuine.replace("Parker Pearl", "Mallory")
    svg = (SVG_HEAD.format(ns=SPEC_NS).replace("<svg ", f'<svg xmlns:ob="{SPEC_PATH_NS}" ')
           + f"<openbadges:credential><![CDATA[{genuine}]]></openbadges:credential>"
           + f"<ob:credential><![CDATA[{other}]]></ob:credential></svg>").encode()
    result = unbake(svg)
    assert not result.ok and "more than one badge" in result.error
    report = verify(svg, now=NOW, offline=True)
    assert report.verdict != "valid" and "more than one badge" in report.checks[0].message


def test_an_ob3_credential_and_a_different_ob2_assertion_are_refused():
    svg = (SVG_HEAD.format(ns=SPEC_NS).replace("<svg ", f'<svg xmlns:ob2="{OB2_NS}" ')
           + f"<openbadges:credential><![CDATA[{DCC.read_text()}]]></openbadges:credential>"
           + '<ob2:assertion verify="https://issuer.example/assertions/1.json"/></svg>').encode()
    assert "more than one badge" in unbake(svg).error


def test_the_same_credential_written_twice_is_one_badge():
    genuine = DCC.read_text()
    svg = (SVG_HEAD.format(ns=SPEC_NS).replace("<svg ", f'<svg xmlns:ob="{SPEC_PATH_NS}" ')
           + f"<openbadges:credential><![CDATA[{genuine}]]></openbadges:credential>"
           + f"<ob:credential><![CDATA[{genuine}]]></ob:credential></svg>").encode()
    assert unbake(svg).ok
