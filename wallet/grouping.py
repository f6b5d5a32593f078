"""Micro-credential or plain badge: transparent rules over a normalized :class:`verifier.Badge`.

Grounded in three published rule sets:

- **EU 2022 Council Recommendation** on a European approach to micro-credentials for lifelong learning
  and employability (2022/C 243/02): a micro-credential is "the record of the learning outcomes that a
  learner has acquired following a *small volume of learning*", "assessed against transparent and clearly
  defined standards". Its Annex I lists the mandatory standard elements (learner, title, country, awarding
  body, date, learning outcomes, notional workload in ECTS, level in the EQF/QF-EHEA, type of assessment,
  form of participation, type of quality assurance): :func:`eu_checklist`.
- **eCampusOntario Micro-credential Principles and Framework** (2020): issued by an established
  agency or institution, aligned to a common competency framework such as ESCO, *summative assessment*
  with evidence, compatible with transcripts, validated (endorsed) by industry partners where possible.
- **edubadges** (SURF, the Netherlands) badge class types ``micro_credential`` / ``regular`` /
  ``extra_curricular`` (OB 2.0 ``typeBadgeClass``; OB 3.0 ``credentialSchema`` of the educredentials
  profile, github.com/educredentials/obv3-examples): a micro-credential carries 3–30 ECTS (or ≥ 240
  SBU) and a quality framework; a *regular* edubadge is a course inside a recognised programme
  (0.5–240 ECTS); an *extracurricular* one has no credits. Regular and extracurricular edubadges are
  declared **not** to be micro-credentials.

The rule (:func:`classify`), first match wins:

1. **Declared** by the issuer: OB 3.0 ``achievementType`` (``MicroCredential``; a degree or diploma
   type, ``CoCurricular``, ``Membership``… say it is *not* one), the edubadges type (schema or
   ``typeBadgeClass``), an ELM "short learning programme", an OB 2.0 extension or type naming a
   micro-credential, an issuer tag.
2. **Size**: a full qualification is not a micro-credential, even when declared one: a degree or diploma,
   or a workload of **60 ECTS or more** (one full-time academic year in the ECTS Users' Guide 2015; the
   same figure in unnamed credits), or **1,500 hours or more** (60 × 25 h, the Guide's lowest hours per
   credit). edubadges' own micro-credential bound (30 ECTS) is named in the workload reason.
3. **Signals** read from structured fields: the micro-credential needs ``assessment`` (the EU
   definition and eCampusOntario's summative assessment) and at least ``THRESHOLD`` signals in all:
   ``assessment``, ``alignment`` (a competency framework: ESCO, O*NET, CASE, CTDL…; quality-assurance
   and level records are *not* competencies), ``workload``, ``level`` (EQF/NQF), ``quality``
   (quality assurance, accreditation, endorsement), ``stackable``, ``institution``.
   Words in the description are read only when no field answers, and the reason says so.
4. Everything else: ``badge``.

Every signal comes back as a sentence, found or missing. The learner's override (stored with the entry)
always wins over the rule.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from verifier import Badge, as_list, dicts, text_of

from .model import Signal

SIGNALS = ("assessment", "alignment", "workload", "level", "quality", "stackable", "institution")
THRESHOLD = 3
REQUIRED_SIGNAL = "assessment"
FULL_QUALIFICATION_ECTS = 60.0  # ECTS Users' Guide (2015): 60 credits = one full-time academic year
EDUBADGES_MICRO_MAX_ECTS = 30.0  # educredentials microcredential_ects.json: 3 ≤ ECTS ≤ 30
HOURS_PER_ECTS_MIN = 25.0  # ECTS Users' Guide: one credit = 25 to 30 hours of work
FULL_QUALIFICATION_HOURS = FULL_QUALIFICATION_ECTS * HOURS_PER_ECTS_MIN
TEXT_NOTE = "read from the description text: no structured field says so"

RULE_TEXT = (f"A badge counts as a micro-credential when its issuer declares it one, or when at least "
             f"{THRESHOLD} of these {len(SIGNALS)} signs hold, one of them being that the learner was assessed. "
             f"A declaration that it is not one (a regular course, an extracurricular badge) counts too, and a "
             f"full qualification (a degree, a diploma, {FULL_QUALIFICATION_ECTS:g} ECTS or more) is never one.")

KINDS = ("micro-credential", "course", "extracurricular", "qualification", "transcript", "badge")


@dataclass(frozen=True)
class Workload:
    """A stated volume of learning: ``amount`` in ``unit`` (``ECTS``, ``hours`` or ``credits``)."""

    amount: float
    unit: str
    source: str  # the field it was read from, e.g. "ECTS", "extensions:StudyLoadExtension"
    from_text: bool = False

    @property
    def text(self) -> str:
        label = {"ECTS": "ECTS", "hours": "hours", "credits": "credits"}[self.unit]
        return f"{self.amount:g} {label}"


@dataclass(frozen=True)
class Grouping:
    """The category the rules give, every signal as a sentence, and the EU checklist.

    ``declared``: the issuer declared it a micro-credential. ``kind``: what it is for a transcript
    (see :data:`KINDS`). ``workload``/``level``: the stated volume and EQF/NQF level, if any.
    """

    category: str  # "micro-credential" | "badge"
    reasons: list[Signal]
    checklist: list[Signal]
    declared: bool = False
    kind: str = "badge"
    workload: Workload | None = None
    level: str | None = None


@dataclass(frozen=True)
class _Declaration:
    kind: str  # one of KINDS
    sentence: str

    @property
    def micro(self) -> bool:
        return self.kind == "micro-credential"


def classify(badge: Badge) -> Grouping:
    """Apply the rule in the module docstring to ``badge``."""
    src = _Sources.of(badge)
    declaration = _declared(src)
    workload = _workload_value(src)
    level = _level(src)
    signals = [_assessment(src), _alignment(src), _workload(src, workload), _level_signal(level),
               _quality_signal(src), _stackable(src), _institution(src)]
    found = {s.name for s in signals if s.found}
    oversize = _oversize(workload)
    checklist = eu_checklist(badge, src)
    if declaration and declaration.kind == "qualification":
        return Grouping("badge", [Signal("declared", True, declaration.sentence), *signals], checklist,
                        False, "qualification", workload, level)
    if oversize:
        if declaration and declaration.micro:
            oversize = f"{declaration.sentence} But {oversize[0].lower()}{oversize[1:]}"
        size = Signal("size", True, oversize)
        return Grouping("badge", [Signal("declared", bool(declaration), declaration.sentence if declaration else
                                         "Not declared a micro-credential by the issuer."), size, *signals],
                        checklist, False, "qualification", workload, level)
    if declaration:
        category = "micro-credential" if declaration.micro else "badge"
        return Grouping(category, [Signal("declared", True, declaration.sentence), *signals], checklist,
                        declaration.micro, declaration.kind, workload, level)
    enough = len(found) >= THRESHOLD and REQUIRED_SIGNAL in found
    if enough:
        verdict = f"{len(found)} of {len(SIGNALS)} micro-credential signals hold, including assessment."
    elif len(found) >= THRESHOLD:
        verdict = f"{len(found)} of {len(SIGNALS)} signals hold, but without assessment it stays a plain badge."
    else:
        verdict = (f"Only {len(found)} of {len(SIGNALS)} micro-credential signals hold "
                   f"(at least {THRESHOLD}, including assessment, are needed).")
    reasons = [Signal("declared", False, "Not declared a micro-credential by the issuer. " + verdict), *signals]
    kind = "micro-credential" if enough else ("course" if _is_course(src, workload) else "badge")
    return Grouping("micro-credential" if enough else "badge", reasons, checklist, False, kind, workload, level)


# --- reading the source documents -------------------------------------------------------------------

def _text(value: Any) -> str:
    """Plain text from a string, an ELM language map ({"en": ["…"]}) or a list of either (verifier.text_of)."""
    return text_of(value) or ""


def _label(value: Any) -> str:
    """A readable label of an ELM concept / OB object, or its text."""
    if isinstance(value, list):
        return next((t for t in (_label(v) for v in value) if t), "")
    if isinstance(value, dict):
        for key in ("prefLabel", "title", "name", "legalName", "noteLiteral", "targetName"):
            text = _text(value.get(key))
            if text:
                return text
        return str(value.get("id") or "")
    if isinstance(value, bool):
        return ""
    return _text(value) if not isinstance(value, (int, float)) else f"{value:g}"


_SKIP_KEYS = {"@context", "proof", "image", "logo", "content"}


def _deep(doc: Any, keys: set[str], depth: int = 0) -> Iterator[tuple[str, Any]]:
    """Every (key, value) in ``doc`` whose key is in ``keys``, at any depth (bounded)."""
    if depth > 12:
        return
    if isinstance(doc, dict):
        for k, v in doc.items():
            if k in _SKIP_KEYS:
                continue
            if k in keys:
                yield k, v
            yield from _deep(v, keys, depth + 1)
    elif isinstance(doc, list):
        for v in doc[:200]:
            yield from _deep(v, keys, depth + 1)


def _norm(value: Any) -> str:
    return re.sub(r"[^a-z0-9]", "", str(value).lower().removeprefix("ext:"))


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value.strip().replace(",", "."))
        except ValueError:
            return None
    return None


@dataclass
class _Sources:
    badge: Badge
    subject: dict[str, Any]
    achievement: dict[str, Any]  # OB3 Achievement or OB2 BadgeClass
    assertion: dict[str, Any]
    credential: dict[str, Any]
    issuers: list[dict[str, Any]]  # issuer profile(s): issuer, achievement creator, OB2 issuer document
    docs: list[dict[str, Any]]  # every raw document, for deep searches

    @classmethod
    def of(cls, badge: Badge) -> _Sources:
        raw = badge.raw or {}
        credential = found if isinstance(found := raw.get("credential"), dict) else {}
        subjects = dicts(credential.get("credentialSubject"))
        subject = subjects[0] if subjects else {}
        achievement = found if isinstance(found := subject.get("achievement"), dict) else {}
        badgeclass = found if isinstance(found := raw.get("badgeclass"), dict) else {}
        assertion = found if isinstance(found := raw.get("assertion"), dict) else {}
        if not badgeclass and isinstance(assertion.get("badge"), dict):
            badgeclass = assertion["badge"]
        issuers = [d for d in (credential.get("issuer"), achievement.get("creator"), subject.get("source"),
                               raw.get("issuer"), badgeclass.get("issuer")) if isinstance(d, dict)]
        docs = [d for d in (credential, assertion, badgeclass, raw.get("issuer")) if isinstance(d, dict) and d]
        return cls(badge, subject, achievement or badgeclass, assertion, credential, issuers, docs)

    def deep(self, *keys: str) -> list[tuple[str, Any]]:
        found: list[tuple[str, Any]] = []
        for doc in self.docs:
            found.extend(_deep(doc, set(keys)))
        return found

    def field(self, *names: str) -> tuple[str, Any] | None:
        """The first of ``names`` set on the achievement / badge class (or the assertion)."""
        for doc in (self.achievement, self.assertion):
            for name in names:
                if name in doc and doc[name] not in (None, "", []):
                    return name, doc[name]
        return None

    def extensions(self) -> Iterator[tuple[str, Any]]:
        """OB 2.0 ``extensions:*`` properties of the assertion and badge class."""
        for doc in (self.assertion, self.achievement):
            for key, value in doc.items():
                if isinstance(key, str) and key.startswith("extensions:"):
                    yield key, value

    def extension_value(self, *names: str) -> tuple[str, Any] | None:
        """The value of an OB 2.0 extension (``extensions:ECTSExtension`` → its ``ECTS`` property)."""
        for key, value in self.extensions():
            short = _norm(key.removeprefix("extensions:")).removesuffix("extension")
            for name in names:
                if short == _norm(name) and isinstance(value, dict):
                    inner = next((v for k, v in value.items() if _norm(k) == _norm(name)), None)
                    if inner is None:
                        inner = next((v for k, v in value.items() if not k.startswith("@") and k != "type"), None)
                    if inner is not None:
                        return key, inner
        return None

    def texts(self) -> str:
        """Criteria, description and achievement texts, for keyword rules."""
        b = self.badge
        parts = [b.criteria or "", b.description or "", _text(self.achievement.get("description")),
                 _text((self.achievement.get("criteria") or {}).get("narrative")
                       if isinstance(self.achievement.get("criteria"), dict) else "")]
        return "\n".join(p for p in parts if p)

    def schemas(self) -> list[str]:
        return [str(s.get("id")) for s in dicts(self.credential.get("credentialSchema")) if s.get("id")]


def _first(items: Iterable[str]) -> str | None:
    return next((i for i in items if i), None)


# --- 1. the declaration ------------------------------------------------------------------------------

# OB 3.0 AchievementType values that name a full qualification, or recognition that is not assessed learning.
_QUALIFICATION_TYPES = {"associatedegree", "bachelordegree", "degree", "diploma", "doctoraldegree", "masterdegree",
                        "professionaldoctorate", "researchdoctorate", "secondaryschooldiploma",
                        "generaleducationdevelopment", "journeymancertificate", "apprenticeshipcertificate",
                        "mastercertificate"}
_NOT_MICRO_TYPES = {"cocurricular": "extracurricular", "membership": "badge", "communityservice": "extracurricular",
                    "award": "badge", "qualityassurancecredential": "badge"}
_EDUBADGES_TYPES = {"microcredential": "micro-credential", "regular": "course", "extracurricular": "extracurricular"}
_EDUBADGES_WORDS = {"micro-credential": ("a micro-credential", ""),
                    "course": ("a regular edubadge", ": a course within a recognised programme, not a micro-credential"),
                    "extracurricular": ("an extracurricular edubadge", ": learning outside a recognised programme, "
                                        "not a micro-credential")}
_SCHEMA_RE = re.compile(r"/schemas/(microcredential|regular|extracurricular)(?:_[a-z]+)?\.json$", re.I)
_ELM_SHORT_PROGRAMME = "74a4a268e8"  # data.europa.eu/snb/learning-opportunity/74a4a268e8 = short learning programme


def _declared(src: _Sources) -> _Declaration | None:
    b = src.badge
    if "ClrCredential" in b.credential_types:
        count = len(as_list(src.subject.get("verifiableCredential")))
        return _Declaration("transcript", f"A Comprehensive Learner Record (CLR 2.0): a transcript of {count} "
                            "credential(s), each verified on its own, not itself a micro-credential.")
    ach_type = b.achievement_type or src.achievement.get("achievementType")
    if isinstance(ach_type, str) and ach_type:
        norm = _norm(ach_type)
        if norm == "microcredential":
            return _Declaration("micro-credential", f"Declared a micro-credential by the issuer "
                                f"(achievementType {ach_type}).")
        if norm in _QUALIFICATION_TYPES:
            return _Declaration("qualification", f"Declared a full qualification by the issuer (achievementType "
                                f"{ach_type}): a degree or diploma is not a micro-credential (EU 2022 "
                                "Recommendation: a micro-credential follows a small volume of learning).")
        if norm in _NOT_MICRO_TYPES:
            return _Declaration(_NOT_MICRO_TYPES[norm], f"Declared by the issuer as achievementType {ach_type}, "
                                "which is not a micro-credential.")
    for schema in src.schemas():
        match = _SCHEMA_RE.search(schema)
        if match:
            kind = _EDUBADGES_TYPES[match.group(1).lower()]
            what, why = _EDUBADGES_WORDS[kind]
            return _Declaration(kind, f"Declared {what} by the issuer (edubadges credential schema "
                                f"{match.group(1).lower()}){why}.")
    declared_type = src.field("typeBadgeClass")
    if declared_type and _norm(declared_type[1]) in _EDUBADGES_TYPES:
        kind = _EDUBADGES_TYPES[_norm(declared_type[1])]
        what, why = _EDUBADGES_WORDS[kind]
        return _Declaration(kind, f"Declared {what} by the issuer (edubadges typeBadgeClass "
                            f"{declared_type[1]}){why}.")
    for t in [*b.credential_types, *as_list(src.achievement.get("type"))]:
        if isinstance(t, str) and "microcredential" in _norm(t):
            return _Declaration("micro-credential", f"Declared a micro-credential by the issuer (type {t}).")
    for _, value in src.deep("dcType", "learningOpportunityType"):
        for concept in as_list(value):
            label = _label(concept).lower()
            ident = str(concept.get("id", "")) if isinstance(concept, dict) else str(concept)
            if "short learning programme" in label or ident.endswith(_ELM_SHORT_PROGRAMME):
                return _Declaration("micro-credential", "Declared a micro-credential by the issuer (ELM learning "
                                    "opportunity type “short learning programme”).")
    for key, value in src.extensions():
        types = [key, *(as_list(value.get("type")) if isinstance(value, dict) else [])]
        if any("microcredential" in _norm(t) for t in types if isinstance(t, str)):
            return _Declaration("micro-credential", f"Declared a micro-credential by the issuer "
                                f"({key.removeprefix('extensions:')} extension).")
    for tag in b.tags:
        if _norm(tag) in ("microcredential", "microcredentials"):
            return _Declaration("micro-credential", f"Declared a micro-credential by the issuer (tagged “{tag}”).")
    return None


def _is_course(src: _Sources, workload: Workload | None) -> bool:
    ach_type = _norm(src.badge.achievement_type or src.achievement.get("achievementType") or "")
    return ach_type in ("course", "learningprogram") or (workload is not None and workload.unit == "ECTS")


# --- 2. size -----------------------------------------------------------------------------------------

def _oversize(workload: Workload | None) -> str | None:
    if workload is None or workload.from_text:
        return None
    if workload.unit in ("ECTS", "credits") and workload.amount >= FULL_QUALIFICATION_ECTS:
        unnamed = "" if workload.unit == "ECTS" else " (the credits name no scheme; the ECTS bound is applied)"
        return (f"Its workload of {workload.text} is that of a full qualification, not a micro-credential{unnamed}: "
                f"{FULL_QUALIFICATION_ECTS:g} ECTS is one full-time academic year (ECTS Users' Guide 2015), "
                f"twice edubadges' {EDUBADGES_MICRO_MAX_ECTS:g} ECTS maximum for a micro-credential.")
    if workload.unit == "hours" and workload.amount >= FULL_QUALIFICATION_HOURS:
        return (f"Its workload of {workload.text} is that of a full qualification, not a micro-credential: "
                f"{FULL_QUALIFICATION_HOURS:g} hours is {FULL_QUALIFICATION_ECTS:g} ECTS at the ECTS Users' "
                f"Guide's {HOURS_PER_ECTS_MIN:g} hours per credit, one full-time academic year.")
    return None


# --- 3. the signals ----------------------------------------------------------------------------------

_FRAMEWORK_HOSTS = {
    "data.europa.eu/esco": "ESCO", "onetonline.org": "O*NET", "onetcenter.org": "O*NET",
    "credentialengineregistry.org": "Credential Engine", "credentialengine.org": "Credential Engine",
    "casenetwork": "CASE", "opensalt": "CASE", "corestandards.org": "Common Core",
    "sfia-online.org": "SFIA", "lightcast": "Lightcast",
}
_TARGET_TYPES = {"cfitem": "CASE", "cfrubric": "CASE", "cfrubriccriterion": "CASE", "cfrubriccriterionlevel": "CASE",
                 "ceasncompetency": "CTDL competency", "ctdl": "CTDL", "esco": "ESCO", "escoalignment": "ESCO",
                 "onet": "O*NET", "onetalignment": "O*NET"}
_LEVEL_FRAMEWORKS = ("eqf", "nlqf", "nqf", "qfehea", "eqflevel", "nqflevel")


def _alignment_kind(a: dict[str, Any]) -> str:
    """``quality`` (quality assurance record), ``level`` (EQF/NQF), ``credential`` or ``competency``."""
    ttype = _norm(a.get("targetType") or "")
    framework = _norm(a.get("targetFramework") or "")
    url = str(a.get("targetUrl") or "").lower()
    name = _norm(a.get("targetName") or "")
    if "qualityassurance" in ttype or "qualityassurance" in framework or "accreditation" in ttype:
        return "quality"
    if ttype in _LEVEL_FRAMEWORKS or framework in _LEVEL_FRAMEWORKS or "/snb/eqf/" in url or "/eqf/" in url \
            or (name.startswith(("eqflevel", "nlqflevel", "nqflevel")) and not framework):
        return "level"
    if ttype in ("cetermscredential", "credential"):
        return "credential"
    return "competency"


def _framework(a: dict[str, Any]) -> str | None:
    if a.get("targetFramework"):
        return str(a["targetFramework"])
    url = str(a.get("targetUrl") or "")
    for marker, name in _FRAMEWORK_HOSTS.items():
        if marker in url:
            return name
    ttype = a.get("targetType")
    if isinstance(ttype, str) and ttype:
        return _TARGET_TYPES.get(_norm(ttype), ttype.removeprefix("ext:"))
    return None


def _raw_alignments(src: _Sources) -> list[dict[str, Any]]:
    """Every alignment as a dict: the badge's own, then those in result descriptions (ELM style)."""
    out = [{"targetName": a.target_name, "targetUrl": a.target_url, "targetFramework": a.target_framework,
            "targetCode": a.target_code, "targetType": a.target_type} for a in src.badge.alignment]
    seen = {(a.get("targetUrl"), a.get("targetName")) for a in out}
    for _, value in src.deep("alignment"):
        for a in as_list(value):
            if isinstance(a, dict) and (a.get("targetUrl"), _text(a.get("targetName"))) not in seen:
                seen.add((a.get("targetUrl"), _text(a.get("targetName"))))
                out.append({"targetName": _text(a.get("targetName")) or None, "targetUrl": a.get("targetUrl"),
                            "targetFramework": a.get("targetFramework"), "targetCode": a.get("targetCode"),
                            "targetType": a.get("targetType")})
    return out


def _competencies(src: _Sources) -> list[tuple[str, str | None]]:
    """(name, framework) of every competency alignment and ELM related skill."""
    out = [(a.get("targetName") or a.get("targetCode") or a.get("targetUrl") or "a target", _framework(a))
           for a in _raw_alignments(src) if _alignment_kind(a) == "competency"]
    for _, value in src.deep("relatedESCOSkill", "relatedSkill"):
        for skill in as_list(value):
            if isinstance(skill, dict):
                out.append((_label(skill) or "a skill",
                            _framework({"targetUrl": str(skill.get("id") or "")}) or "ESCO"))
    return out


def _alignment(src: _Sources) -> Signal:
    found = _competencies(src)
    if not found:
        qa = [a for a in _raw_alignments(src) if _alignment_kind(a) in ("quality", "level")]
        extra = (" (its quality-assurance and level records are counted on their own, not as competencies)"
                 if qa else "")
        return Signal("alignment", False, f"Not aligned to any competency framework{extra}.")
    name, framework = found[0]
    more = f" (and {len(found) - 1} more)" if len(found) > 1 else ""
    where = f"{framework} " if framework else ""
    return Signal("alignment", True, f"Aligned to {where}“{name}”{more}.")


_ASSESS_WORDS = re.compile(r"\b(assess\w*|exams?|examin\w*|test(?:ed|s)?|quiz\w*|grad(?:e|ed|ing)|evaluat\w*|"
                           r"pass(?:ed|ing)?|score\w*|assignment\w*|portfolio review|demonstrat\w*|"
                           r"submi(?:t|tted|ssion)\w*|capstone|practical|observed)\b", re.I)


# "no assessment", "not assessed", "without any test", "no exam is required": the word rules assessment out.
_NEGATED = re.compile(r"\b(?:no|not|non|without|never)\b(?:[\s-]+(?:an?|any|the|formal|final|further|"
                      r"written|required|requirement|need|needed)\b)*[\s-]*$", re.I)


def _assessed_word(text: str) -> str | None:
    """The first assessment word in ``text`` that is not negated just before it."""
    for match in _ASSESS_WORDS.finditer(text):
        if not _NEGATED.search(text[max(0, match.start() - 40):match.start()]):
            return match.group(0)
    return None


def _assessment(src: _Sources) -> Signal:
    b = src.badge
    if b.result_description or src.achievement.get("resultDescription"):
        names = [_label(r) for r in as_list(b.result_description or src.achievement.get("resultDescription"))]
        return Signal("assessment", True, f"Assessed: results are defined ({_first(names) or 'result description'}).")
    if b.result or src.subject.get("result"):
        return Signal("assessment", True, "Assessed: the learner's result is recorded.")
    kind = src.field("assessmentType")
    if kind and isinstance(kind[1], str):
        return Signal("assessment", True, f"Assessed: assessment type “{kind[1]}” (edubadges assessmentType).")
    proven = src.deep("provenBy")
    if proven:
        return Signal("assessment", True, f"Assessed: {_label(proven[0][1]) or 'a learning assessment'} (ELM).")
    grade = src.field("grade_achieved", "gradeAchieved")
    if grade:
        return Signal("assessment", True, f"Assessed: grade {_label(grade[1])} recorded.")
    if b.evidence or src.assertion.get("evidence"):
        return Signal("assessment", True, "Assessed: evidence of the learner's work is attached.")
    match = _assessed_word(src.texts())
    if match:
        return Signal("assessment", True, f"Assessed: the criteria mention “{match}” ({TEXT_NOTE}).")
    return Signal("assessment", False, "No assessment, evidence or results are stated.")


_WORKLOAD_RE = re.compile(r"\b(\d+(?:[.,]\d+)?)\s*(ECTS|credits?|credit hours|hours?|hrs)\b", re.I)
_DURATION_RE = re.compile(r"^P(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?)?$")


def _duration_hours(value: str) -> float | None:
    """Hours of an ISO 8601 duration of days/hours/minutes (``P2DT12H`` → 60); None for years/months/weeks."""
    match = _DURATION_RE.match(value.strip().upper())
    if not match or not any(match.groups()):
        return None
    days, hours, minutes = (float(g) if g else 0.0 for g in match.groups())
    return days * 24 + hours + minutes / 60


def _workloads(src: _Sources) -> Iterator[Workload]:
    """Every stated workload, structured fields first (ECTS before hours before unnamed credits)."""
    for name in ("ECTS", "ects"):
        found = src.field(name)
        if found and _number(found[1]) is not None:
            yield Workload(_number(found[1]) or 0.0, "ECTS", name)
    ext = src.extension_value("ECTS")
    if ext and _number(ext[1]) is not None:
        yield Workload(_number(ext[1]) or 0.0, "ECTS", ext[0])
    for _, value in src.deep("creditPoint"):
        for cp in as_list(value):
            if isinstance(cp, dict) and _number(cp.get("point")) is not None:
                framework = _label(cp.get("framework"))
                ects = "ects" in _norm(framework) or "european credit" in framework.lower()
                yield Workload(_number(cp.get("point")) or 0.0, "ECTS" if ects else "credits", "creditPoint (ELM)")
    for name, label in (("SBU", "SBU (study load hours)"), ("timeInvestment", "timeInvestment"),
                        ("TimeInvestment", "TimeInvestment"), ("studyLoad", "studyLoad"), ("StudyLoad", "StudyLoad")):
        found = src.field(name)
        if found and _number(found[1]) is not None:
            yield Workload(_number(found[1]) or 0.0, "hours", label)
    for name in ("StudyLoad", "TimeInvestment"):
        ext = src.extension_value(name)
        if ext and _number(ext[1]) is not None:
            yield Workload(_number(ext[1]) or 0.0, "hours", ext[0])
    for _, value in src.deep("volumeOfLearning"):
        hours = _duration_hours(value) if isinstance(value, str) else None
        if hours:
            yield Workload(hours, "hours", f"volumeOfLearning {value} (ELM)")
    if src.badge.credits_available:
        yield Workload(src.badge.credits_available, "credits", "creditsAvailable")
    earned = _number(src.subject.get("creditsEarned"))
    if earned:
        yield Workload(earned, "credits", "creditsEarned")
    match = _WORKLOAD_RE.search(src.texts())
    if match:
        amount = float(match.group(1).replace(",", "."))
        word = match.group(2).lower()
        unit = "ECTS" if word == "ects" else ("hours" if word.startswith(("hour", "hr")) else "credits")
        yield Workload(amount, unit, f"“{match.group(0)}” in the description", from_text=True)


def _workload_value(src: _Sources) -> Workload | None:
    """The workload that counts: ECTS first, then hours, then unnamed credits; text only as a last resort."""
    found = list(_workloads(src))
    structured = [w for w in found if not w.from_text]
    for unit in ("ECTS", "hours", "credits"):
        for w in structured:
            if w.unit == unit:
                # ELM credit points in ECTS and creditsAvailable often say the same: prefer the named unit.
                return w
    return found[0] if found else None


def _workload(src: _Sources, workload: Workload | None) -> Signal:
    if workload is None:
        return Signal("workload", False, "No credits or workload (ECTS, study hours) are stated.")
    if workload.from_text:
        return Signal("workload", True, f"Workload stated: {workload.source} ({TEXT_NOTE}).")
    note = ""
    if workload.unit == "ECTS" and EDUBADGES_MICRO_MAX_ECTS < workload.amount < FULL_QUALIFICATION_ECTS:
        note = f" (more than the {EDUBADGES_MICRO_MAX_ECTS:g} ECTS edubadges allows a micro-credential)"
    return Signal("workload", True, f"Workload stated: {workload.text} ({workload.source}){note}.")


def _level(src: _Sources) -> str | None:
    """The EQF/NQF level: ELM eqfLevel/nqfLevel, a level alignment, an EQF extension; text last."""
    for _key, value in src.deep("eqfLevel", "EQFLevel"):
        label = _label(value) or str(value)
        return label if "eqf" in label.lower() else f"EQF {label.removeprefix('Level ').strip()}"
    for a in _raw_alignments(src):
        if _alignment_kind(a) == "level":
            framework = (_framework(a) or "EQF").upper()
            code = a.get("targetCode")
            return f"{framework} {code}" if code else (a.get("targetName") or framework)
    ext = src.extension_value("EQF")
    if ext and _label(ext[1]):
        return f"EQF {_label(ext[1])}"
    for _key, value in src.deep("nqfLevel", "NQFLevel"):
        label = _label(value)
        if label:
            return label
    match = re.search(r"\bEQF(?:\s*level)?\s*(\d)\b", src.texts(), re.I)
    return f"EQF {match.group(1)} ({TEXT_NOTE})" if match else None


def _level_signal(level: str | None) -> Signal:
    if level:
        return Signal("level", True, f"Level stated: {level}.")
    return Signal("level", False, "No level in a qualifications framework (EQF, NQF) is stated.")


def _quality(src: _Sources) -> str | None:
    """Quality assurance, accreditation or endorsement — kept apart from competency alignment."""
    for a in _raw_alignments(src):
        if _alignment_kind(a) == "quality":
            name = a.get("targetName") or a.get("targetCode") or "a quality-assurance record"
            return f"quality assurance “{name}” ({str(a.get('targetType') or 'alignment').removeprefix('ext:')})"
    qa = src.field("qualityAssuranceName", "quality_assurance_name")
    if qa:
        return f"quality assurance “{_label(qa[1])}”"
    for _, value in src.deep("accreditation", "isAccreditedBy"):
        return f"accredited ({_label(value) or 'accreditation stated'})"
    for _key, value in src.deep("endorsement", "endorsements"):
        items = [v for v in as_list(value) if v]
        if items:
            first = items[0] if isinstance(items[0], dict) else {}
            by = first.get("issuer")
            by = _label(by) if isinstance(by, dict) else by
            return f"endorsed{' by ' + str(by) if by else ''} (as the badge states it)"
    return None


def _quality_signal(src: _Sources) -> Signal:
    quality = _quality(src)
    if quality:
        return Signal("quality", True, f"Quality assured: {quality}.")
    return Signal("quality", False, "No quality assurance, accreditation or endorsement is stated.")


_STACK_RE = re.compile(r"\b(stackable|stacks? (?:in)?to(?:ward)?s?|counts? toward|credit toward|"
                       r"part of (?:the|a|an) [\w -]*(?:program|programme|certificate|degree|diploma|qualification))",
                       re.I)


def _stackable(src: _Sources) -> Signal:
    declared = src.field("stackable")
    if declared and declared[1] is True:
        return Signal("stackable", True, "Stackable: the issuer says so (edubadges stackable).")
    related = [r for r in as_list(src.achievement.get("related")) if isinstance(r, dict)]
    if related:
        return Signal("stackable", True, f"Stackable: related to “{_label(related[0]) or related[0].get('id')}”.")
    for a in _raw_alignments(src):
        if _alignment_kind(a) == "credential":
            return Signal("stackable", True, f"Stackable: aligned to the credential “{a.get('targetName') or a.get('targetUrl')}”.")
    for key, value in src.deep("isPartialQualification", "isPartOf", "entitlesTo", "association"):
        if value not in (False, None, [], ""):
            return Signal("stackable", True, f"Stackable: {key} {_label(value) or value}.")
    for key, _ in src.extensions():
        if any(w in _norm(key) for w in ("stack", "pathway")):
            return Signal("stackable", True, f"Stackable: {key.removeprefix('extensions:')} extension.")
    for tag in src.badge.tags:
        if "stackable" in tag.lower():
            return Signal("stackable", True, f"Stackable: tagged “{tag}”.")
    if declared and declared[1] is False:
        return Signal("stackable", False, "Not stackable: the issuer says so (edubadges stackable: false).")
    match = _STACK_RE.search(src.texts())
    if match:
        return Signal("stackable", True, f"Stackable: the description says “{match.group(0)}” ({TEXT_NOTE}).")
    return Signal("stackable", False, "Not said to stack toward a larger credential.")


_EDU_NAME = re.compile(r"\b(universit\w*|college|school|institut\w*|academ\w*|polytechni\w*|hochschule|"
                       r"universidad|universit[éà]|faculty|training (?:centre|center|provider)|"
                       r"learning provider|community college|conservatoire)\b", re.I)
_EDU_HOST = re.compile(r"(\.edu|\.edu\.[a-z]{2}|\.ac\.[a-z]{2}|\.sch\.[a-z]{2}|\.k12\.[a-z]{2}\.us)$")
_EDU_TYPES = {"collegeoruniversity", "educationalorganization", "school", "highschool", "middleschool",
              "elementaryschool", "preschool", "trainingprovider", "educationprovider"}
_EDU_IDENTIFIERS = ("sourcedid", "sisid", "oneroster", "ltiplatform", "ltideployment", "ipeds", "ukprn",
                    "erasmus", "pic", "ope", "brin")


def _hosts(profile: dict[str, Any]) -> Iterator[str]:
    for key in ("id", "url"):
        value = profile.get(key)
        if isinstance(value, str) and value.startswith(("http://", "https://")):
            yield (urlsplit(value).hostname or "").lower()
    email = profile.get("email")
    if isinstance(email, str) and "@" in email:
        yield email.rsplit("@", 1)[1].lower()


def _institution(src: _Sources) -> Signal:
    profiles = list(src.issuers)
    issuer = src.badge.issuer
    profiles.append({"id": issuer.id, "url": issuer.url, "email": issuer.email, "name": issuer.name,
                     "type": issuer.type, "otherIdentifier": issuer.other_identifiers})
    for p in profiles:
        for t in as_list(p.get("type")):
            if isinstance(t, str) and _norm(t) in _EDU_TYPES:
                return Signal("institution", True, f"Issued by an education institution (profile type {t}).")
        for ident in as_list(p.get("otherIdentifier")):
            kind = _norm(ident.get("identifierType", "")) if isinstance(ident, dict) else ""
            if kind and any(kind.startswith(k) for k in _EDU_IDENTIFIERS):
                return Signal("institution", True, f"Issued by an education institution "
                              f"(identifier {ident.get('identifierType')}).")
        for host in _hosts(p):
            if _EDU_HOST.search(host):
                return Signal("institution", True, f"Issued by an education institution ({host}).")
    for _, value in src.deep("awardingBody"):
        name = _label(value)
        if name:
            return Signal("institution", True, f"Awarded by {name}, an awarding body named in the credential (ELM).")
    for p in profiles:
        name = _text(p.get("name"))
        match = _EDU_NAME.search(name) if name else None
        if match:
            return Signal("institution", True, f"Issued by an education or training institution (“{name}”; "
                          f"judged from its name).")
    return Signal("institution", False, "The issuer does not appear to be an education or training institution.")


# --- the EU 2022 Recommendation checklist ------------------------------------------------------------

def _country(src: _Sources) -> str | None:
    for p in src.issuers:
        for addr in as_list(p.get("address")):
            if isinstance(addr, dict):
                country = _text(addr.get("addressCountry")) or _text(addr.get("addressCountryCode"))
                if country:
                    return country
    ext = src.extension_value("InstitutionCountry")
    if ext and _label(ext[1]):
        return _label(ext[1])
    for _, value in src.deep("countryCode", "spatial"):
        label = _label(value)
        if label and not label.startswith(("http", "urn:")):
            return label
    return None


def _assessment_type(src: _Sources) -> str | None:
    kind = src.field("assessmentType")
    if kind and isinstance(kind[1], str):
        return kind[1]
    for _, value in src.deep("provenBy"):
        for p in as_list(value):
            if isinstance(p, dict):
                spec = found if isinstance(found := p.get("specifiedBy"), dict) else {}
                label = _label(spec.get("dcType")) or _label(p)
                if label:
                    return label
    for r in as_list(src.badge.result_description or src.achievement.get("resultDescription")):
        if isinstance(r, dict) and (r.get("resultType") or r.get("name")):
            return f"{_text(r.get('name')) or 'result'} ({r.get('resultType', 'result')})"
    match = re.search(r"\b(exams?|examination|test|quiz\w*|assignment|project|portfolio|observation|interview|"
                      r"practical assessment|peer review|artefact assessment)\b", src.texts(), re.I)
    return f"{match.group(0)} ({TEXT_NOTE})" if match else None


def _participation(src: _Sources) -> str | None:
    """The declared form of participation; never guessed from words like "online" in a description."""
    declared = src.field("participationType", "participation")
    if declared and isinstance(declared[1], str):
        return declared[1]
    for _, value in src.deep("mode", "learningSetting"):
        label = _label(value)
        if label:
            return label
    return None


def _outcomes(src: _Sources) -> str | None:
    for _, value in src.deep("learningOutcome"):
        label = _label(value)
        if label:
            return label
        return "learning outcomes listed"
    ext = src.extension_value("LearningOutcome")
    if ext and _label(ext[1]):
        return _label(ext[1])
    aligned = _competencies(src)
    if aligned:
        return f"{len(aligned)} aligned skill(s), e.g. “{aligned[0][0]}”"
    criteria = src.badge.criteria or _text((src.achievement.get("criteria") or {}).get("narrative")
                                           if isinstance(src.achievement.get("criteria"), dict) else "")
    if criteria:
        return "described in the criteria"
    return None


def _learner(badge: Badge, src: _Sources) -> str | None:
    r = badge.recipient
    name = r.name or _text(src.subject.get("name"))
    if name:
        return name
    if r.identity:
        kind = (r.type or "identifier").removeprefix("ext:")
        return f"identified by a hashed {kind}" if r.hashed else f"identified by their {kind}"
    return "identified by an id" if src.subject.get("id") else None


def eu_checklist(badge: Badge, src: _Sources | None = None) -> list[Signal]:
    """The mandatory elements of the EU 2022 Recommendation on micro-credentials, each found or missing."""
    src = src or _Sources.of(badge)
    issuer = badge.issuer.name or _first(_text(p.get("name")) for p in src.issuers)
    awarding = [_label(v) for _, v in src.deep("awardingBody")]
    workload = _workload_value(src)
    workload_text = None
    if workload is not None:
        workload_text = (f"{workload.source} ({TEXT_NOTE})" if workload.from_text
                         else f"{workload.text} ({workload.source})")
    items: list[tuple[str, str, str | None]] = [
        ("learner", "Learner", _learner(badge, src)),
        ("title", "Title", badge.name or None),
        ("country", "Country of the issuer", _country(src)),
        ("awarding-body", "Awarding body", _first(awarding) or issuer),
        ("date", "Date of issue", badge.issued_on.date().isoformat() if badge.issued_on else None),
        ("learning-outcomes", "Learning outcomes", _outcomes(src)),
        ("workload", "Workload (ECTS)", workload_text),
        ("level", "Level (EQF)", _level(src)),
        ("assessment", "Type of assessment", _assessment_type(src)),
        ("participation", "Form of participation", _participation(src)),
        ("quality-assurance", "Quality assurance", _quality(src)),
    ]
    return [Signal(name, value is not None, f"{label}: {value.rstrip('.')}." if value is not None
                   else f"{label}: missing.")
            for name, label, value in items]
