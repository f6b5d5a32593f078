"""Micro-credentials as real issuers declare them: edubadges (OB 2.0 and the educredentials OB 3.0 profile),
a Credly certificate, ELM-derived OB 3.0, a 60-ECTS diploma — each fixture with its category and reasons."""
from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from support.wallet_badges import FIXTURES

from verifier.model import Badge
from verifier.ob2_normalize import to_badge
from verifier.ob3 import normalize
from wallet.grouping import classify

MC = FIXTURES / "microcredentials"
ELM = FIXTURES / "1edtech-dc-bootcamp" / "ELM"


def load(path: Path) -> dict:
    return json.loads(path.read_text())


def ob3(doc: dict) -> Badge:
    return normalize(doc)


def ob2(doc: dict) -> Badge:
    if "assertion" in doc:  # hosted: the three documents side by side
        return to_badge(doc["assertion"], doc["badgeclass"], doc["issuer"], "2.0")
    return to_badge(doc, doc["badge"], doc["badge"]["issuer"], "2.0")  # the badge class embedded (signed style)


def reasons(g) -> dict:
    return {s.name: s for s in g.reasons}


def checklist(g) -> dict:
    return {s.name: s for s in g.checklist}


# fixture → (category, kind, the reason that decides, a phrase of its sentence)
TABLE = [
    (MC / "edubadges-microcredential.json", ob3, "micro-credential", "micro-credential", "declared",
     "edubadges credential schema microcredential"),
    (MC / "edubadges-regular.json", ob3, "badge", "course", "declared",
     "regular edubadge by the issuer (edubadges credential schema regular): a course within a recognised programme"),
    (MC / "edubadges-extracurricular.json", ob3, "badge", "extracurricular", "declared",
     "extracurricular edubadge by the issuer (edubadges credential schema extracurricular)"),
    (MC / "edubadges-ob2-microcredential.json", ob2, "micro-credential", "micro-credential", "declared",
     "edubadges typeBadgeClass micro_credential"),
    (MC / "edubadges-ob2-extracurricular.json", ob2, "badge", "extracurricular", "declared",
     "edubadges typeBadgeClass extra_curricular"),
    (MC / "credly-professional-certificate.json", ob2, "badge", "badge", "declared",
     "Only 1 of 7 micro-credential signals hold"),
    (ELM / "MC-unsigned-OB.1ob.json", ob3, "micro-credential", "micro-credential", "declared",
     "4 of 7 micro-credential signals hold, including assessment"),
    (ELM / "MC.json", ob3, "micro-credential", "micro-credential", "declared",
     "ELM learning opportunity type “short learning programme”"),
    (MC / "diploma-60-ects.json", ob3, "badge", "qualification", "size",
     "60 ECTS is one full-time academic year (ECTS Users' Guide 2015)"),
]


@pytest.mark.parametrize("path, read, category, kind, deciding, phrase", TABLE, ids=[t[0].name for t in TABLE])
def test_fixture_category_and_deciding_reason(path, read, category, kind, deciding, phrase):
    g = classify(read(load(path)))
    assert (g.category, g.kind) == (category, kind)
    r = reasons(g)
    assert phrase in r[deciding].sentence
    # every signal is reported, found or not, with a sentence
    assert {"assessment", "alignment", "workload", "level", "quality", "stackable", "institution"} <= set(r)
    assert all(s.sentence.endswith(".") for s in g.reasons)


def test_edubadges_microcredential_reads_ects_eqf_quality_and_participation_from_fields():
    g = classify(ob3(load(MC / "edubadges-microcredential.json")))
    r, c = reasons(g), checklist(g)
    assert g.declared and g.workload.text == "4 ECTS" and g.level == "EQF 6"
    assert r["workload"].sentence == "Workload stated: 4 ECTS (ECTS)."
    assert r["quality"].found and "Pilot micro-credentials higher education" in r["quality"].sentence
    # the quality-assurance and EQF records are not competencies
    assert not r["alignment"].found and "quality-assurance and level records" in r["alignment"].sentence
    assert c["participation"].sentence == "Form of participation: online."
    assert c["assessment"].sentence == "Type of assessment: testing."
    assert c["level"].sentence == "Level (EQF): EQF 6."
    assert c["country"].sentence == "Country of the issuer: Netherlands."


def test_quality_assurance_alignment_is_not_a_competency_even_without_a_declaration():
    """The issue's case: an extracurricular badge whose only alignments are a QA record and an EQF level."""
    doc = load(MC / "edubadges-extracurricular.json")
    del doc["credentialSchema"]
    ach = doc["credentialSubject"]["achievement"]
    ach["alignment"] = [a for a in ach["alignment"] if a["targetType"] != "ext:ESCOAlignment"]
    g = classify(ob3(doc))
    r = reasons(g)
    assert not r["alignment"].found
    assert r["quality"].found and r["level"].found and r["level"].sentence == "Level stated: EQF 4."
    assert r["workload"].sentence == "Workload stated: 80 hours (timeInvestment)."


def test_sbu_and_study_load_are_hours():
    doc = load(MC / "edubadges-regular.json")
    ach = doc["credentialSubject"]["achievement"]
    del ach["ECTS"]
    ach["SBU"] = 240
    g = classify(ob3(doc))
    assert g.workload.unit == "hours" and g.workload.amount == 240
    assert reasons(g)["workload"].sentence == "Workload stated: 240 hours (SBU (study load hours))."
    ob2_micro = classify(ob2(load(MC / "edubadges-ob2-microcredential.json")))
    assert ob2_micro.workload.text == "3 ECTS"  # ECTS wins over the StudyLoad extension's 84 hours
    assert ob2_micro.level == "EQF 6"
    assert checklist(ob2_micro)["learning-outcomes"].sentence == (
        "Learning outcomes: Can train and evaluate a supervised model.")


def test_edubadges_stackable_false_is_a_statement_not_a_silence():
    r = reasons(classify(ob2(load(MC / "edubadges-ob2-extracurricular.json"))))
    assert not r["stackable"].found and "edubadges stackable: false" in r["stackable"].sentence
    micro = reasons(classify(ob2(load(MC / "edubadges-ob2-microcredential.json"))))
    assert micro["stackable"].found and "edubadges stackable" in micro["stackable"].sentence


def test_elm_volume_of_learning_and_credit_points():
    g = classify(ob3(load(ELM / "MC.json")))
    assert g.workload.text == "2 ECTS" and g.workload.source == "creditPoint (ELM)"
    assert g.level == "EQF 6"


def test_credly_certificate_text_reasons_say_they_are_text():
    g = classify(ob2(load(MC / "credly-professional-certificate.json")))
    r, c = reasons(g), checklist(g)
    assert r["assessment"].found and "read from the description text" in r["assessment"].sentence
    # "online courses" in the description is not a declared form of participation
    assert c["participation"].sentence == "Form of participation: missing."
    assert not r["institution"].found and not r["workload"].found


@pytest.mark.parametrize("change, kind, phrase", [
    ({"achievementType": "Diploma"}, "qualification", "Declared a full qualification by the issuer (achievementType Diploma)"),
    ({"achievementType": "MicroCredential"}, "qualification",
     "Declared a micro-credential by the issuer (achievementType MicroCredential). But its workload of 60 credits"),
    ({"creditsAvailable": 20}, "micro-credential", None),
])
def test_full_qualification_bound(change, kind, phrase):
    doc = load(MC / "diploma-60-ects.json")
    doc["credentialSubject"]["achievement"].update(change)
    doc["credentialSubject"]["creditsEarned"] = change.get("creditsAvailable", 60)
    g = classify(ob3(doc))
    assert g.kind == kind
    assert g.category == ("micro-credential" if kind == "micro-credential" else "badge")
    if phrase:
        assert any(phrase in s.sentence for s in g.reasons)
    else:  # 20 credits: assessment, workload, level, quality, institution
        assert "5 of 7" in reasons(g)["declared"].sentence


def test_hours_above_the_bound_are_a_full_qualification():
    doc = load(MC / "edubadges-extracurricular.json")
    del doc["credentialSchema"]
    doc["credentialSubject"]["achievement"]["timeInvestment"] = 1600
    g = classify(ob3(doc))
    assert g.kind == "qualification" and g.category == "badge"
    assert "1500 hours is 60 ECTS at the ECTS Users' Guide's 25 hours per credit" in reasons(g)["size"].sentence


def test_not_micro_achievement_types_are_declarations():
    doc = load(MC / "diploma-60-ects.json")
    doc["credentialSubject"]["achievement"].update({"achievementType": "CoCurricular", "creditsAvailable": 2})
    doc["credentialSubject"]["creditsEarned"] = 2
    g = classify(ob3(doc))
    assert g.category == "badge" and g.kind == "extracurricular"
    assert "achievementType CoCurricular, which is not a micro-credential" in reasons(g)["declared"].sentence


def test_text_workload_never_triggers_the_size_bound():
    badge = ob3(copy.deepcopy(load(MC / "diploma-60-ects.json")))
    badge.credits_available = None
    badge.raw["credential"]["credentialSubject"].pop("creditsEarned")
    badge.raw["credential"]["credentialSubject"]["achievement"].pop("creditsAvailable")
    badge.description = "About 2000 hours of study."
    g = classify(badge)
    assert g.kind != "qualification" and g.workload.from_text
