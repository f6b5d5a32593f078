"""Regenerate the demo badge set in ``verifier/demo_data/`` (deterministic: fixed keys, fixed dates).

    .venv/bin/python data/make_demo.py

The demo issuer, "Demo University of Badges", lives under the reserved domain
``https://issuer.demo.example/``, which never resolves: its hosted documents are written to
``verifier/demo_data/hosted/`` and served to the verifier through the fetcher's local mirror, in demo
mode only (``verifier.demo``). The OB 3.0 badges use a ``did:key`` issuer and verify fully offline.

Output:
    data/demo/keys/       the issuer's PRIVATE keys (created once, then reused: RSA for OB2 JWS, Ed25519
                          seed). They stay in the source tree: they are not package data and are never
                          installed, so no installed copy can sign as the demo issuer.
    verifier/demo_data/hosted/     issuer profile, public key, revocation list, badge classes, assertions
    verifier/demo_data/badges/     the baked badge files a learner imports (PNG and SVG)
    verifier/demo_data/manifest.json   each badge file with its intended verdict and category
"""
from __future__ import annotations

import base64
import hashlib
import io
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from joserfc import jws
from joserfc.jwk import RSAKey
from nacl.signing import SigningKey
from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from verifier.bake import bake_png, bake_svg  # noqa: E402
from verifier.keys import ed25519_multikey  # noqa: E402

DEMO = ROOT / "verifier" / "demo_data"
KEYS = ROOT / "data" / "demo" / "keys"
BASE = "https://issuer.demo.example/"
ISSUER_NAME = "Demo University of Badges"
LEARNER_EMAIL = "alex.morgan@example.org"
LEARNER_NAME = "Alex Morgan"
OB2_CONTEXT = "https://w3id.org/openbadges/v2"
OB3_CONTEXTS = ["https://www.w3.org/ns/credentials/v2",
                "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"]
ED25519_SEED = hashlib.sha256(b"badge-wallet demo issuer ed25519 seed v1").digest()


@dataclass(frozen=True)
class DemoBadge:
    """One demo badge: how it is secured, how it should verify, and how it should be grouped."""

    slug: str
    name: str
    description: str
    criteria: str
    kind: str  # ob2-hosted, ob2-signed, ob3-di
    container: str  # png or svg
    verdict: str
    category: str
    colour: str
    issued: str
    expires: str | None = None
    revoke: str | None = None  # "list" (revocationList) or "gone" (HTTP 410)
    achievement_type: str | None = None
    credits: float | None = None
    alignment: list[dict[str, str]] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    results: bool = False  # OB3: a graded result (assessment-based)
    why: str = ""

    @property
    def file(self) -> str:
        return f"{self.slug}.{self.container}"


ESCO_ACCESSIBILITY = {"targetName": "Apply web accessibility standards",
                      "targetUrl": "http://data.europa.eu/esco/skill/6f4a8a3c-3c5b-4c5e-9b0b-1a8d7f0e2a11",
                      "targetFramework": "ESCO", "targetCode": "S1.2.3"}
ESCO_SPREADSHEETS = {"targetName": "Use spreadsheets software",
                     "targetUrl": "http://data.europa.eu/esco/skill/1973c966-f236-40c9-b2d4-5d71a89019be",
                     "targetFramework": "ESCO", "targetCode": "S5.6.1"}
DIGCOMP_DATA = {"targetName": "DigComp 2.2 — 1.3 Managing data, information and digital content",
                "targetUrl": "https://joint-research-centre.ec.europa.eu/digcomp_en",
                "targetFramework": "DigComp 2.2", "targetCode": "1.3"}

BADGES: list[DemoBadge] = [
    DemoBadge("workshop-participant", "Open Badges Workshop Participant",
              "Took part in a two-hour introductory workshop on digital badges.",
              "Attend the workshop.", "ob2-hosted", "png", "valid", "badge", "#2f6fb0",
              "2025-02-10T10:00:00Z", tags=["workshop", "participation"],
              why="OB 2.0 hosted assertion; participation only, so a plain badge."),
    DemoBadge("data-analysis", "Data Analysis Essentials",
              "Cleans, summarises and charts tabular data with spreadsheets and Python.",
              "Pass a proctored practical assessment (score at least 70%) and submit a graded analysis "
              "project as evidence; about 50 hours of study (2 ECTS).",
              "ob2-signed", "png", "valid", "micro-credential", "#1f8a70", "2025-03-14T09:30:00Z",
              alignment=[DIGCOMP_DATA], tags=["data", "python"],
              why="OB 2.0 signed (RS256 JWS, key listed in the issuer profile); aligned, assessed, 2 ECTS."),
    DemoBadge("web-accessibility", "Micro-credential in Web Accessibility",
              "Designs and audits web pages against WCAG 2.2 level AA. An online module at EQF level 5.",
              "Complete the 5 ECTS module and pass the graded accessibility audit assessment.",
              "ob3-di", "png", "valid", "micro-credential", "#7b3fa0", "2025-04-02T09:00:00Z",
              achievement_type="MicroCredential", credits=5, alignment=[ESCO_ACCESSIBILITY],
              tags=["accessibility", "web"], results=True,
              why="OB 3.0 eddsa-rdfc-2022, did:key issuer; declared MicroCredential."),
    DemoBadge("spreadsheet-modelling", "Spreadsheet Modelling",
              "Builds and checks financial models in a spreadsheet.",
              "Pass the final practical exam (assessed by two examiners) after 3 ECTS of coursework.",
              "ob3-di", "svg", "valid", "micro-credential", "#c0582b", "2025-05-20T12:00:00Z",
              achievement_type="Course", credits=3, alignment=[ESCO_SPREADSHEETS],
              tags=["spreadsheets"], results=True,
              why="OB 3.0 eddsa-rdfc-2022 in an SVG; micro-credential by its signals (aligned, assessed, 3 ECTS)."),
    DemoBadge("hackathon", "Spring Hackathon 2025",
              "Took part in the 24-hour Spring Hackathon.",
              "Join a team and present a project at the end of the hackathon.",
              "ob3-di", "png", "valid", "badge", "#d4a017", "2025-04-27T18:00:00Z",
              achievement_type="Badge", tags=["event"],
              why="OB 3.0 eddsa-rdfc-2022; a participation badge."),
    DemoBadge("first-aid", "Workplace First Aid",
              "Can give first aid at work until professional help arrives.",
              "Attend the one-day course.", "ob2-hosted", "png", "expired", "badge", "#b03a2e",
              "2023-06-01T08:00:00Z", expires="2024-06-01T08:00:00Z", tags=["safety"],
              why="OB 2.0 hosted; expired on 1 June 2024."),
    DemoBadge("lab-safety", "Laboratory Safety Induction",
              "Completed the laboratory safety induction.",
              "Attend the induction.", "ob2-signed", "png", "revoked", "badge", "#5d6d7e",
              "2024-09-16T08:00:00Z", revoke="list", tags=["safety"],
              why="OB 2.0 signed; listed in the issuer's revocationList."),
    DemoBadge("community-mentor", "Community Mentor",
              "Mentored new students during their first term.",
              "Mentor at least three students for a term.", "ob2-hosted", "svg", "revoked", "badge",
              "#2e8b57", "2024-12-12T15:00:00Z", revoke="gone", tags=["community"],
              why="OB 2.0 hosted in an SVG; the issuer now answers HTTP 410 Gone for the assertion."),
]


# --- keys ------------------------------------------------------------------------------------------

def rsa_key(keys: Path) -> rsa.RSAPrivateKey:
    """The issuer's RSA key (created once, then read back so the demo set stays the same)."""
    path = keys / "issuer-rsa-private.pem"
    if path.exists():
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
        assert isinstance(key, rsa.RSAPrivateKey)
        return key
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                       serialization.NoEncryption()))
    return key


def public_pem(key: rsa.RSAPrivateKey) -> str:
    return key.public_key().public_bytes(serialization.Encoding.PEM,
                                         serialization.PublicFormat.SubjectPublicKeyInfo).decode("ascii")


def did_key(signing_key: SigningKey) -> str:
    """``did:key`` of an Ed25519 key (its multikey form)."""
    return "did:key:" + ed25519_multikey(signing_key.verify_key)


# --- images ----------------------------------------------------------------------------------------

def _wrap(text: str, width: int) -> list[str]:
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return lines + ([line] if line else [])


def draw_png(badge: DemoBadge) -> bytes:
    """A 256×256 badge image: a coloured medal with a ribbon and the badge name."""
    img = Image.new("RGBA", (256, 256), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    d.polygon([(88, 170), (60, 250), (96, 232), (116, 252), (128, 180)], fill="#8a8f98")
    d.polygon([(168, 170), (196, 250), (160, 232), (140, 252), (128, 180)], fill="#8a8f98")
    d.ellipse((28, 14, 228, 214), fill=badge.colour, outline="#ffffff", width=6)
    d.ellipse((46, 32, 210, 196), outline=(255, 255, 255, 150), width=2)
    font = ImageFont.load_default(size=19)
    small = ImageFont.load_default(size=11)
    lines = _wrap(badge.name, 14)[:3]
    y = 110 - len(lines) * 12
    for line in lines:
        d.text((128, y), line, font=font, fill="white", anchor="mt")
        y += 24
    d.text((128, 160), "DEMO UNIVERSITY", font=small, fill="white", anchor="mt")
    out = io.BytesIO()
    img.save(out, format="PNG", optimize=True)
    return out.getvalue()


def draw_svg(badge: DemoBadge) -> bytes:
    """The same medal as an SVG (text escaped; no scripts, no external references)."""
    lines = _wrap(badge.name, 14)[:3]
    y0 = 110 - len(lines) * 12 + 18
    text = "".join(f'<text x="128" y="{y0 + i * 24}" font-family="sans-serif" font-size="19" '
                   f'fill="#ffffff" text-anchor="middle">{escape(line)}</text>' for i, line in enumerate(lines))
    svg = (f'<svg xmlns="http://www.w3.org/2000/svg" width="256" height="256" viewBox="0 0 256 256">'
           f'<title>{escape(badge.name)}</title>'
           f'<polygon points="88,170 60,250 96,232 116,252 128,180" fill="#8a8f98"/>'
           f'<polygon points="168,170 196,250 160,232 140,252 128,180" fill="#8a8f98"/>'
           f'<circle cx="128" cy="114" r="97" fill="{badge.colour}" stroke="#ffffff" stroke-width="6"/>'
           f'<circle cx="128" cy="114" r="82" fill="none" stroke="#ffffff" stroke-opacity="0.6" stroke-width="2"/>'
           f'{text}<text x="128" y="170" font-family="sans-serif" font-size="11" fill="#ffffff" '
           f'text-anchor="middle">DEMO UNIVERSITY</text></svg>')
    return svg.encode("utf-8")


# --- documents -------------------------------------------------------------------------------------

def url(path: str) -> str:
    return BASE + path


def issuer_profile() -> dict[str, Any]:
    return {"@context": OB2_CONTEXT, "type": "Issuer", "id": url("issuer.json"), "name": ISSUER_NAME,
            "url": BASE, "email": "badges@issuer.demo.example",
            "description": "A fictional university that issues the wallet's demo badges.",
            "image": url("images/issuer.png"),
            "publicKey": url("key.json"), "revocationList": url("revocations.json")}


def crypto_key(pem: str) -> dict[str, Any]:
    return {"@context": OB2_CONTEXT, "type": "CryptographicKey", "id": url("key.json"),
            "owner": url("issuer.json"), "publicKeyPem": pem}


def badge_class(b: DemoBadge) -> dict[str, Any]:
    doc: dict[str, Any] = {"@context": OB2_CONTEXT, "type": "BadgeClass", "id": url(f"badges/{b.slug}.json"),
                           "name": b.name, "description": b.description,
                           "image": url(f"images/{b.slug}.png"),
                           "criteria": {"id": url(f"badges/{b.slug}.html"), "narrative": b.criteria},
                           "issuer": url("issuer.json"), "tags": b.tags}
    if b.alignment:
        doc["alignment"] = b.alignment
    return doc


def recipient_hash(salt: str) -> str:
    return "sha256$" + hashlib.sha256((LEARNER_EMAIL + salt).encode("utf-8")).hexdigest()


def ob2_assertion(b: DemoBadge) -> dict[str, Any]:
    salt = f"demo-{b.slug}"
    signed = b.kind == "ob2-signed"
    doc: dict[str, Any] = {
        "@context": OB2_CONTEXT, "type": "Assertion",
        "id": f"urn:uuid:{_uuid(b.slug)}" if signed else url(f"assertions/{b.slug}.json"),
        "recipient": {"type": "email", "hashed": True, "salt": salt, "identity": recipient_hash(salt)},
        "badge": url(f"badges/{b.slug}.json"),
        "verification": {"type": "SignedBadge", "creator": url("key.json")} if signed else {"type": "HostedBadge"},
        "issuedOn": b.issued,
    }
    if b.expires:
        doc["expires"] = b.expires
    if signed and b.category == "micro-credential":
        doc["evidence"] = [{"id": url(f"evidence/{b.slug}.html"), "name": "Graded analysis project",
                            "narrative": "Final project: an analysis of open city data, graded 84/100."}]
    return doc


def _uuid(slug: str) -> str:
    h = hashlib.sha256(f"demo-badge-{slug}".encode()).hexdigest()
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-a{h[17:20]}-{h[20:32]}"


def ob3_credential(b: DemoBadge, issuer_did: str, image: bytes) -> dict[str, Any]:
    """The OB 3.0 credential; its image is embedded as a data: URI (an unbaked copy of the picture)."""
    achievement: dict[str, Any] = {
        "id": url(f"achievements/{b.slug}"), "type": ["Achievement"], "name": b.name,
        "description": b.description, "criteria": {"narrative": b.criteria},
        "image": {"id": "data:image/png;base64," + base64.b64encode(image).decode("ascii"), "type": "Image"},
    }
    if b.achievement_type:
        achievement["achievementType"] = b.achievement_type
    if b.credits is not None:
        achievement["creditsAvailable"] = b.credits
    if b.alignment:
        achievement["alignment"] = [{"type": ["Alignment"], **a} for a in b.alignment]
    if b.tags:
        achievement["tag"] = b.tags
    if b.results:
        achievement["resultDescription"] = [{
            "id": url(f"achievements/{b.slug}#grade"), "type": ["ResultDescription"],
            "name": "Final assessment grade", "resultType": "Percent"}]
    subject: dict[str, Any] = {
        "type": ["AchievementSubject"],
        "identifier": [{"type": "IdentityObject", "identityHash": LEARNER_EMAIL,
                        "identityType": "emailAddress", "hashed": False}],
        "achievement": achievement,
    }
    if b.results:
        subject["result"] = [{"type": ["Result"], "resultDescription": url(f"achievements/{b.slug}#grade"),
                              "value": "86"}]
    doc: dict[str, Any] = {
        "@context": OB3_CONTEXTS,
        "id": f"urn:uuid:{_uuid(b.slug)}",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": issuer_did, "type": ["Profile"], "name": ISSUER_NAME, "url": BASE,
                   "address": {"type": ["Address"], "addressCountry": "Netherlands", "addressCountryCode": "NL"}},
        "validFrom": b.issued,
        "name": b.name,
        "credentialSubject": subject,
    }
    if b.expires:
        doc["validUntil"] = b.expires
    return doc


# --- writing ---------------------------------------------------------------------------------------

def _sign_credential():
    try:
        from verifier.proofs.data_integrity import sign_credential
    except ImportError:
        return None
    return sign_credential


def _dump(path: Path, doc: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def build(out: Path = DEMO, keys: Path = KEYS) -> list[dict[str, Any]]:
    """Write the whole demo set under ``out`` (the keys under ``keys``); return the manifest entries."""
    hosted, files = out / "hosted", out / "badges"
    for folder in (keys, hosted, files):
        folder.mkdir(parents=True, exist_ok=True)
    for stale in list(hosted.rglob("*")) + list(files.glob("*")):
        if stale.is_file():
            stale.unlink()

    rsa_private = rsa_key(keys)
    pem = public_pem(rsa_private)
    (keys / "issuer-rsa-public.pem").write_text(pem, encoding="ascii")
    (keys / "issuer-ed25519-seed.hex").write_text(ED25519_SEED.hex() + "\n", encoding="ascii")
    signing_key = SigningKey(ED25519_SEED)
    issuer_did = did_key(signing_key)
    (keys / "issuer-did.txt").write_text(issuer_did + "\n", encoding="ascii")
    jose_key = RSAKey.import_key(rsa_private.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))

    _dump(hosted / "issuer.json", issuer_profile())
    _dump(hosted / "key.json", crypto_key(pem))
    (hosted / "public-key.pem").write_text(pem, encoding="ascii")
    (hosted / "images").mkdir(exist_ok=True)
    (hosted / "images" / "issuer.png").write_bytes(
        draw_png(DemoBadge("issuer", "Demo University", "", "", "", "png", "", "", "#34495e", "")))

    revoked: list[dict[str, str]] = []
    manifest: list[dict[str, Any]] = []
    for b in BADGES:
        png = draw_png(b)
        (hosted / "images" / f"{b.slug}.png").write_bytes(png)
        if b.kind.startswith("ob2"):
            _dump(hosted / "badges" / f"{b.slug}.json", badge_class(b))
            assertion = ob2_assertion(b)
            if b.kind == "ob2-hosted":
                _dump(hosted / "assertions" / f"{b.slug}.json", assertion)
                if b.revoke == "gone":
                    (hosted / "assertions" / f"{b.slug}.json.gone").write_text(
                        "Revoked by the issuer: mentoring record withdrawn.\n", encoding="utf-8")
                payload = json.dumps(assertion, ensure_ascii=False)
            else:
                payload = jws.serialize_compact({"alg": "RS256"}, json.dumps(assertion).encode("utf-8"),
                                                jose_key, algorithms=["RS256"])
            if b.revoke == "list":
                revoked.append({"id": assertion["id"], "revocationReason": "Issued in error."})
            credential = False
        else:
            sign_credential = _sign_credential()
            if sign_credential is None:
                print(f"skipped {b.file}: verifier.proofs.data_integrity.sign_credential is not available yet",
                      file=sys.stderr)
                continue
            signed = sign_credential(ob3_credential(b, issuer_did, png), signing_key,
                                     f"{issuer_did}#{issuer_did.removeprefix('did:key:')}",
                                     created=b.issued)
            payload = json.dumps(signed, ensure_ascii=False)
            credential = True
        if b.container == "png":
            baked = bake_png(png, payload, keyword="openbadgecredential" if credential else "openbadges")
        else:
            baked = bake_svg(draw_svg(b), payload, credential=credential)
        (files / b.file).write_bytes(baked)
        manifest.append({"file": f"badges/{b.file}", "name": b.name, "format": b.kind,
                         "verdict": b.verdict, "category": b.category, "why": b.why})

    _dump(hosted / "revocations.json", {"@context": OB2_CONTEXT, "type": "RevocationList",
                                        "id": url("revocations.json"), "issuer": url("issuer.json"),
                                        "revokedAssertions": revoked})
    _dump(out / "manifest.json", {"issuer": ISSUER_NAME, "base": BASE, "learner": LEARNER_EMAIL,
                                  "badges": manifest})
    return manifest


if __name__ == "__main__":
    entries = build()
    for entry in entries:
        print(f"{entry['file']:40} {entry['verdict']:9} {entry['category']}")
    sys.exit(0 if len(entries) == len(BADGES) else 1)
