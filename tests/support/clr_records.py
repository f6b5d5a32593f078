"""CLR 2.0 records for the tests: course credentials signed by one did:key issuer, wrapped in a ClrCredential
signed by another (eddsa-rdfc-2022), with associations between the achievements. Everything verifies offline."""
from __future__ import annotations

import copy
from typing import Any

from nacl.signing import SigningKey

from verifier.keys import ed25519_multikey
from verifier.proofs.data_integrity import sign_credential

OB3 = ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"]
CLR = ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json",
       "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"]
LEARNER = "did:example:learner-ana"


def did_key(seed: int) -> tuple[SigningKey, str, str]:
    key = SigningKey(bytes([seed]) * 32)
    did = "did:key:" + ed25519_multikey(key.verify_key)
    return key, did, f"{did}#{did.removeprefix('did:key:')}"


def course(seed: int, slug: str, name: str, *, credits: float | None = None, achievement_type: str = "Course",
           result: str | None = "8", valid_from: str = "2024-01-15T00:00:00Z", **achievement: Any) -> dict[str, Any]:
    """A signed AchievementCredential for one course of the learner."""
    key, did, vm = did_key(seed)
    ach: dict[str, Any] = {"id": f"https://courses.example.edu/achievements/{slug}", "type": ["Achievement"],
                           "name": name, "achievementType": achievement_type,
                           "criteria": {"narrative": "Pass the final exam."}, **achievement}
    subject: dict[str, Any] = {"id": LEARNER, "type": ["AchievementSubject"], "achievement": ach}
    if credits is not None:
        ach["creditsAvailable"] = credits
        subject["creditsEarned"] = credits
    if result is not None:
        ach["resultDescription"] = [{"id": f"urn:uuid:rd-{slug}", "type": ["ResultDescription"], "name": "Grade",
                                     "resultType": "GradePointAverage"}]
        subject["result"] = [{"type": ["Result"], "resultDescription": f"urn:uuid:rd-{slug}", "value": result}]
    credential = {"@context": OB3, "id": f"urn:uuid:course-{slug}", "type": ["VerifiableCredential", "AchievementCredential"],
                  "issuer": {"id": did, "type": ["Profile"], "name": "Example University Courses"},
                  "validFrom": valid_from, "name": name, "credentialSubject": subject}
    return sign_credential(credential, key, vm, created=valid_from)


def tamper(credential: dict[str, Any], name: str) -> dict[str, Any]:
    """The same signed credential with its achievement renamed after signing."""
    changed = copy.deepcopy(credential)
    changed["credentialSubject"]["achievement"]["name"] = name
    return changed


def clr(credentials: list[Any], *, seed: int = 40, associations: list[tuple[str, str, str]] = (),
        extra_achievements: list[dict[str, Any]] = (), name: str = "Transcript of Ana Learner",
        sign: bool = True) -> dict[str, Any]:
    """A ClrCredential with ``credentials`` nested; ``associations`` are (type, source slug, target slug)."""
    key, did, vm = did_key(seed)
    achievements = [c["credentialSubject"]["achievement"] for c in credentials if isinstance(c, dict)]
    record = {"@context": CLR, "id": "urn:uuid:clr-ana-2024", "type": ["VerifiableCredential", "ClrCredential"],
              "issuer": {"id": did, "type": ["Profile"], "name": "Example University Registrar"},
              "validFrom": "2024-07-01T00:00:00Z", "name": name,
              "credentialSubject": {"id": LEARNER, "type": ["ClrSubject"], "verifiableCredential": list(credentials),
                                    "achievement": [*achievements, *extra_achievements],
                                    "association": [{"type": "Association", "associationType": kind,
                                                     "sourceId": f"https://courses.example.edu/achievements/{s}",
                                                     "targetId": f"https://courses.example.edu/achievements/{t}"}
                                                    for kind, s, t in associations]}}
    return sign_credential(record, key, vm, created="2024-07-01T00:00:00Z") if sign else record


def programme() -> dict[str, Any]:
    """An achievement the record describes (not a credential of its own): the degree the courses stack into."""
    return {"id": "https://courses.example.edu/achievements/bsc-psychology", "type": ["Achievement"],
            "name": "BSc Psychology", "achievementType": "BachelorDegree", "creditsAvailable": 180,
            "criteria": {"narrative": "180 ECTS of courses."}}


def three_courses(tampered: bool = False) -> list[dict[str, Any]]:
    stats1 = course(11, "stats-1", "Statistics 1", credits=5, result="7.5", valid_from="2023-11-01T00:00:00Z")
    stats2 = course(11, "stats-2", "Statistics 2", credits=5, result="8", valid_from="2024-03-01T00:00:00Z")
    ethics = course(12, "data-ethics", "Data Ethics", credits=3, achievement_type="MicroCredential", result="9",
                    valid_from="2024-05-01T00:00:00Z")
    if tampered:
        stats2 = tamper(stats2, "Statistics 2 with honours")
    return [stats1, stats2, ethics]


def transcript_record(tampered: bool = False, sign: bool = True) -> dict[str, Any]:
    return clr(three_courses(tampered), extra_achievements=[programme()], sign=sign, associations=[
        ("precedes", "stats-1", "stats-2"), ("isPartOf", "stats-1", "bsc-psychology"),
        ("isPartOf", "stats-2", "bsc-psychology"), ("isChildOf", "data-ethics", "bsc-psychology")])
