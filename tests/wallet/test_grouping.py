"""Micro-credential vs plain badge: corpus badges and hand-built badges on each side of the line."""
from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from support.wallet_badges import FIXTURES

from verifier import verify
from verifier.model import Alignment, Badge, Issuer, Recipient
from wallet.grouping import THRESHOLD, classify, eu_checklist
from wallet.model import Entry, Signal, badge_from_dict

ELM_OB = FIXTURES / "1edtech-dc-bootcamp" / "ELM" / "MC-unsigned-OB.1ob.json"
ELM_MERGED = FIXTURES / "1edtech-dc-bootcamp" / "ELM" / "MC.json"
OB3_BASIC = FIXTURES / "1edtech-openbadges-specification" / "ob3-examples" / "basic-openbadgecredential.json"
OB3_COMPLETE = FIXTURES / "1edtech-openbadges-specification" / "ob3-examples" / "complete-openbadgecredential.json"
OB2_BADGECLASS = FIXTURES / "1edtech-openbadges-specification" / "ob2-examples" / "badgeclass.json"


def reasons(grouping) -> dict[str, Signal]:
    return {s.name: s for s in grouping.reasons}


def checklist(grouping) -> dict[str, Signal]:
    return {s.name: s for s in grouping.checklist}


def verified_badge(path) -> Badge:
    report = verify(path.read_bytes(), now=datetime(2025, 1, 1, tzinfo=UTC), offline=True)
    assert report.badge is not None, report.checks
    return report.badge


# --- corpus badges, as the verifier normalizes them --------------------------------------------------

def test_eu_micro_credential_from_dc_bootcamp_is_a_micro_credential():
    g = classify(verified_badge(ELM_OB))
    assert g.category == "micro-credential" and not g.declared
    r = reasons(g)
    assert r["alignment"].found and "ESCO" in r["alignment"].sentence
    assert "establish collaborative relations" in r["alignment"].sentence
    assert r["assessment"].found and r["workload"].found and "2 credits" in r["workload"].sentence
    assert r["institution"].found and "learningprovider.edu" in r["institution"].sentence
    assert not r["stackable"].found
    assert "4 of 7" in r["declared"].sentence
    c = checklist(g)
    assert c["country"].found and "Spain" in c["country"].sentence
    assert c["learner"].sentence == "Learner: Ana Andromeda."
    assert c["date"].sentence == "Date of issue: 2024-01-01."
    assert not c["level"].found and c["level"].sentence == "Level (EQF): missing."
    assert not c["quality-assurance"].found


def test_elm_merged_credential_fills_more_of_the_eu_checklist():
    c = checklist(classify(verified_badge(ELM_MERGED)))
    assert c["level"].sentence == "Level (EQF): EQF 6."
    assert c["participation"].sentence == "Form of participation: Blended."
    assert c["assessment"].sentence == "Type of assessment: artefact assessment."
    assert c["awarding-body"].sentence == "Awarding body: Learning Provider."
    assert len(c) == 11 and [s.name for s in classify(verified_badge(ELM_MERGED)).checklist][:2] == ["learner", "title"]


def test_plain_ob3_teamwork_badge_is_a_plain_badge():
    g = classify(verified_badge(OB3_BASIC))
    assert g.category == "badge"
    r = reasons(g)
    assert not any(r[n].found for n in ("alignment", "assessment", "workload", "stackable", "institution"))
    assert r["assessment"].sentence == "No assessment, evidence or results are stated."
    assert "Only 0 of 7" in r["declared"].sentence
    c = checklist(g)
    assert c["title"].found and c["awarding-body"].sentence == "Awarding body: Example Corp."
    assert not c["country"].found and not c["workload"].found


def test_complete_ob3_example_is_a_degree_and_counts_its_endorsement_as_quality_assurance():
    g = classify(verified_badge(OB3_COMPLETE))
    assert g.category == "badge" and g.kind == "qualification" and not g.declared
    r = reasons(g)
    assert r["declared"].found and "achievementType Degree" in r["declared"].sentence
    assert "not a micro-credential" in r["declared"].sentence
    assert r["quality"].found and "Example Accrediting Agency" in r["quality"].sentence
    c = checklist(g)
    assert c["quality-assurance"].found and "Example Accrediting Agency" in c["quality-assurance"].sentence
    assert "USA" in c["country"].sentence
    assert "hashed" not in c["learner"].sentence and "student@1edtech.edu" not in c["learner"].sentence


def test_ob2_badgeclass_aligned_to_common_core_alone_is_not_enough():
    bc = json.loads(OB2_BADGECLASS.read_text())
    badge = Badge(spec_version="2.0", name=bc["name"], description=bc["description"],
                  criteria_url=bc["criteria"], tags=bc["tags"],
                  alignment=[Alignment(target_name=a["targetName"], target_url=a["targetUrl"],
                                       target_framework=a.get("targetFramework")) for a in bc["alignment"]],
                  issuer=Issuer(id="https://example.org/organization.json", name="An Example Badge Issuer"),
                  raw={"assertion": {}, "badgeclass": bc, "issuer": None})
    g = classify(badge)
    assert g.category == "badge"
    r = reasons(g)
    assert r["alignment"].found and "Common Core" in r["alignment"].sentence
    assert "CCSS.ELA-Literacy.RST.11-12.3" in r["alignment"].sentence and "(and 1 more)" in r["alignment"].sentence


# --- hand-built badges on each side of the line ------------------------------------------------------

def ob2(**kwargs) -> Badge:
    """An OB 2.0-shaped badge with nothing but a name and a neutral description."""
    raw = {"assertion": kwargs.pop("assertion", {}), "badgeclass": kwargs.pop("badgeclass", {}), "issuer": None}
    defaults = dict(spec_version="2.0", name="Robot wrangler", description="For wrangling robots.",
                    issuer=Issuer(id="https://badges.example.com/issuer", name="Robot Club"), raw=raw)
    return Badge(**{**defaults, **kwargs})


ESCO = Alignment(target_name="use spreadsheets software", target_framework="ESCO",
                 target_url="http://data.europa.eu/esco/skill/1973c966-f236-40c9-b2d4-5d71a89019be")
EDU = Issuer(id="https://www.uni.ac.uk/badges/issuer", name="Registry office")


def test_plain_badge_with_no_signals():
    g = classify(ob2())
    assert g.category == "badge" and not any(s.found for s in g.reasons)


def test_three_signals_including_assessment_make_a_micro_credential():
    badge = ob2(alignment=[ESCO], criteria="Pass the final exam with 70%.", issuer=EDU)
    g = classify(badge)
    assert g.category == "micro-credential"
    r = reasons(g)
    assert r["assessment"].sentence == ("Assessed: the criteria mention “Pass” (read from the description text: "
                                      "no structured field says so).")
    assert r["institution"].sentence == "Issued by an education institution (www.uni.ac.uk)."
    assert r["alignment"].sentence == "Aligned to ESCO “use spreadsheets software”."


def test_two_signals_with_assessment_stay_a_plain_badge():
    g = classify(ob2(alignment=[ESCO], criteria="Pass the final exam."))
    assert len([s for s in g.reasons if s.found]) == THRESHOLD - 1
    assert g.category == "badge"


def test_three_signals_without_assessment_stay_a_plain_badge():
    badge = ob2(alignment=[ESCO], credits_available=1.5, issuer=EDU)
    g = classify(badge)
    r = reasons(g)
    assert r["workload"].found and r["workload"].sentence == "Workload stated: 1.5 credits (creditsAvailable)."
    assert not r["assessment"].found
    assert g.category == "badge"
    assert "without assessment" in r["declared"].sentence


def test_evidence_counts_as_assessment_and_hours_as_workload():
    badge = ob2(evidence=[{"id": "https://portfolio.example/work"}], issuer=EDU,
                description="A 12 hours workshop on soldering.")
    r = reasons(classify(badge))
    assert r["assessment"].sentence == "Assessed: evidence of the learner's work is attached."
    assert r["workload"].sentence == ("Workload stated: “12 hours” in the description (read from the description "
                                    "text: no structured field says so).")
    assert classify(badge).category == "micro-credential"


def test_stackable_from_ob3_related_achievement():
    credential = {"credentialSubject": {"achievement": {"related": [{"id": "urn:x", "name": "Data Analyst Certificate"}]}}}
    badge = Badge(spec_version="3.0", name="SQL basics", raw={"credential": credential})
    r = reasons(classify(badge))
    assert r["stackable"].found and "Data Analyst Certificate" in r["stackable"].sentence


@pytest.mark.parametrize("badge, words", [
    (Badge(spec_version="3.0", name="X", achievement_type="MicroCredential"), "achievementType MicroCredential"),
    (Badge(spec_version="3.0", name="X", achievement_type="ext:Micro-Credential"), "achievementType ext:Micro-Credential"),
    (Badge(spec_version="3.0", name="X", credential_types=["VerifiableCredential", "MicroCredentialCredential"]),
     "type MicroCredentialCredential"),
    (ob2(tags=["robots", "Micro-credential"]), "tagged “Micro-credential”"),
    (ob2(badgeclass={"extensions:MicroCredentialExtension": {"type": ["Extension"]}}), "MicroCredentialExtension"),
])
def test_declared_micro_credentials(badge, words):
    g = classify(badge)
    assert g.category == "micro-credential" and g.declared
    assert g.reasons[0].name == "declared" and g.reasons[0].found and words in g.reasons[0].sentence


def test_course_achievement_type_is_not_a_declaration():
    g = classify(Badge(spec_version="3.0", name="X", achievement_type="Course"))
    assert not g.declared and g.category == "badge"


def test_criteria_example_word_is_not_an_exam():
    g = classify(ob2(criteria="Example criteria: attend."))
    assert not reasons(g)["assessment"].found


def test_eu_checklist_of_a_bare_badge_names_every_missing_element():
    items = eu_checklist(ob2(recipient=Recipient(identity="sha256$abc", type="email", hashed=True)))
    assert [s.name for s in items] == ["learner", "title", "country", "awarding-body", "date", "learning-outcomes",
                                       "workload", "level", "assessment", "participation", "quality-assurance"]
    found = {s.name for s in items if s.found}
    assert found == {"learner", "title", "awarding-body"}
    assert items[0].sentence == "Learner: identified by a hashed email."
    assert all(s.sentence.endswith("missing.") for s in items if not s.found)


def test_override_wins_and_says_set_by_you():
    g = classify(ob2())
    entry = Entry(id="e1", filename="b.png", media_type="image/png", content=b"", sha256="", badge_id=None,
                  badge=ob2().to_dict(), report={}, verdict="valid", format="ob2-hosted",
                  verified_at=datetime(2025, 1, 1, tzinfo=UTC), category=g.category, reasons=g.reasons,
                  checklist=g.checklist, added_at=datetime(2025, 1, 1, tzinfo=UTC))
    assert entry.effective_category == "badge" and entry.effective_reasons == g.reasons
    entry.override = "micro-credential"
    assert entry.effective_category == "micro-credential"
    first = entry.effective_reasons[0]
    assert first.name == "override" and "set by you" in first.sentence.lower() and "plain badge" in first.sentence
    again = Entry.from_record(entry.to_record())
    assert again.effective_category == "micro-credential" and again.effective_reasons == entry.effective_reasons


def test_badge_round_trips_through_its_dict():
    badge = ob2(alignment=[ESCO], issued_on=datetime(2024, 5, 1, tzinfo=UTC),
                recipient=Recipient(identity="a@b.org", type="email"))
    back = badge_from_dict(json.loads(json.dumps(badge.to_dict())))
    assert back == badge
    assert classify(back) == classify(badge)
