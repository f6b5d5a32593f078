"""Micro-credential or plain badge: transparent rules over a normalized :class:`verifier.Badge`.

The rule (:func:`classify`):

1. **Declared** → ``micro-credential``: OB 3.0 ``achievementType`` ``MicroCredential``, a credential or
   achievement type naming a micro-credential, an OB 2.0 extension whose name or type names one, or
   an issuer tag "micro-credential".
2. Otherwise it is a ``micro-credential`` when **at least 3 of these 5 signals** hold **and one of them
   is "assessment"** (both the EU 2022 Recommendation and eCampusOntario require assessed learning):

   - ``alignment``   aligned to a standard or competency framework (ESCO, O*NET, CASE, …);
   - ``assessment``  criteria require assessment, evidence is attached or results are recorded;
   - ``workload``    credits or workload stated (``creditsAvailable``, ECTS, hours);
   - ``stackable``   said to stack toward a larger, recognised credential;
   - ``institution`` issued by an education or training institution (issuer type, identifier
     or a ``.edu``/``.ac.xx`` domain, or a name like "University").
3. Everything else: ``badge``.

Every signal comes back as a sentence, found or missing. The EU 2022 Recommendation's mandatory
elements are also reported as a checklist (:func:`eu_checklist`) — shown to the learner, not used in
the rule. The learner's override (stored with the entry) always wins over the rule.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Iterable, Iterator
from urllib.parse import urlsplit

from verifier.jsonutil import as_list, dicts
from verifier.model import Badge

from .model import Signal

SIGNALS = ("alignment", "assessment", "workload", "stackable", "institution")
THRESHOLD = 3
REQUIRED_SIGNAL = "assessment"


@dataclass(frozen=True)
class Grouping:
    """The category the rules give, every signal as a sentence, and the EU checklist."""

    category: str  # "micro-credential" | "badge"
    reasons: list[Signal]
    checklist: list[Signal]
    declared: bool = False


def classify(badge: Badge) -> Grouping:
    """Apply the rule in the module docstring to ``badge``."""
    src = _Sources.of(badge)
    declared = _declared(src)
    signals = [_alignment(src), _assessment(src), _workload(src), _stackable(src), _institution(src)]
    found = {s.name for s in signals if s.found}
    if declared:
        reasons = [Signal("declared", True, declared), *signals]
        category = "micro-credential"
    else:
        enough = len(found) >= THRESHOLD and REQUIRED_SIGNAL in found
        if enough:
            verdict = f"{len(found)} of {len(SIGNALS)} micro-credential signals hold, including assessment."
        elif len(found) >= THRESHOLD:
            verdict = f"{len(found)} of {len(SIGNALS)} signals hold, but without assessment it stays a plain badge."
        else:
            verdict = (f"Only {len(found)} of {len(SIGNALS)} micro-credential signals hold "
                       f"(at least {THRESHOLD}, including assessment, are needed).")
        reasons = [Signal("declared", False, "Not declared a micro-credential by the issuer. " + verdict), *signals]
        category = "micro-credential" if enough else "badge"
    return Grouping(category, reasons, eu_checklist(badge, src), bool(declared))


# --- reading the source documents -------------------------------------------------------------------

def _text(value: Any) -> str:
    """Plain text from a string, an ELM language map ({"en": ["…"]}) or a list of either."""
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return next((t for t in (_text(v) for v in value) if t), "")
    if isinstance(value, dict):
        for key in ("en", *value.keys()):
            if key in value and not key.startswith("@"):
                text = _text(value[key])
                if text:
                    return text
    return ""


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
    return _text(value) if not isinstance(value, (int, float)) else str(value)


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


@dataclass
class _Sources:
    badge: Badge
    subject: dict[str, Any]
    achievement: dict[str, Any]  # OB3 Achievement or OB2 BadgeClass
    assertion: dict[str, Any]
    issuers: list[dict[str, Any]]  # issuer profile(s): issuer, achievement creator, OB2 issuer document
    docs: list[dict[str, Any]]  # every raw document, for deep searches

    @classmethod
    def of(cls, badge: Badge) -> _Sources:
        raw = badge.raw or {}
        credential = raw.get("credential") if isinstance(raw.get("credential"), dict) else {}
        subjects = dicts(credential.get("credentialSubject"))
        subject = subjects[0] if subjects else {}
        achievement = subject.get("achievement") if isinstance(subject.get("achievement"), dict) else {}
        badgeclass = raw.get("badgeclass") if isinstance(raw.get("badgeclass"), dict) else {}
        assertion = raw.get("assertion") if isinstance(raw.get("assertion"), dict) else {}
        issuers = [d for d in (credential.get("issuer"), achievement.get("creator"), subject.get("source"),
                               raw.get("issuer"), badgeclass.get("issuer")) if isinstance(d, dict)]
        docs = [d for d in (credential, assertion, badgeclass, raw.get("issuer")) if isinstance(d, dict) and d]
        return cls(badge, subject, achievement or badgeclass, assertion, issuers, docs)

    def deep(self, *keys: str) -> list[tuple[str, Any]]:
        found: list[tuple[str, Any]] = []
        for doc in self.docs:
            found.extend(_deep(doc, set(keys)))
        return found

    def extensions(self) -> Iterator[tuple[str, Any]]:
        """OB 2.0 ``extensions:*`` properties of the assertion and badge class."""
        for doc in (self.assertion, self.achievement):
            for key, value in doc.items():
                if isinstance(key, str) and key.startswith("extensions:"):
                    yield key, value

    def texts(self) -> str:
        """Criteria, description and achievement texts, for keyword rules."""
        b = self.badge
        parts = [b.criteria or "", b.description or "", _text(self.achievement.get("description")),
                 _text((self.achievement.get("criteria") or {}).get("narrative")
                       if isinstance(self.achievement.get("criteria"), dict) else "")]
        return "\n".join(p for p in parts if p)


def _first(items: Iterable[str]) -> str | None:
    return next((i for i in items if i), None)


# --- the declaration and the five signals -----------------------------------------------------------

def _declared(src: _Sources) -> str | None:
    b = src.badge
    ach_type = b.achievement_type or src.achievement.get("achievementType")
    if ach_type and _norm(ach_type) == "microcredential":
        return f"Declared a micro-credential by the issuer (achievementType {ach_type})."
    for t in [*b.credential_types, *as_list(src.achievement.get("type"))]:
        if isinstance(t, str) and "microcredential" in _norm(t):
            return f"Declared a micro-credential by the issuer (type {t})."
    for key, value in src.extensions():
        types = [key, *(as_list(value.get("type")) if isinstance(value, dict) else [])]
        if any("microcredential" in _norm(t) for t in types if isinstance(t, str)):
            return f"Declared a micro-credential by the issuer ({key.removeprefix('extensions:')} extension)."
    for tag in b.tags:
        if _norm(tag) in ("microcredential", "microcredentials"):
            return f"Declared a micro-credential by the issuer (tagged “{tag}”)."
    return None


_FRAMEWORK_HOSTS = {
    "data.europa.eu/esco": "ESCO", "onetonline.org": "O*NET", "onetcenter.org": "O*NET",
    "credentialengineregistry.org": "Credential Engine", "credentialengine.org": "Credential Engine",
    "casenetwork": "CASE", "opensalt": "CASE", "corestandards.org": "Common Core",
    "data.europa.eu/snb/eqf": "EQF", "sfia-online.org": "SFIA", "lightcast": "Lightcast",
}


def _framework(target_framework: str | None, target_url: str | None, target_type: str | None) -> str | None:
    if target_framework:
        return target_framework
    for marker, name in _FRAMEWORK_HOSTS.items():
        if target_url and marker in target_url:
            return name
    if target_type:
        return target_type.removeprefix("ext:")
    return None


def _alignments(src: _Sources) -> list[tuple[str, str | None]]:
    """(name, framework) of every alignment: badge, result descriptions, ELM related skills."""
    out = [(a.target_name or a.target_code or a.target_url or "a target",
            _framework(a.target_framework, a.target_url, a.target_type)) for a in src.badge.alignment]
    if not out:
        for _, value in src.deep("alignment"):
            for a in as_list(value):
                if isinstance(a, dict):
                    out.append((_text(a.get("targetName")) or a.get("targetUrl") or "a target",
                                _framework(a.get("targetFramework"), a.get("targetUrl"), a.get("targetType"))))
    for _, value in src.deep("relatedESCOSkill", "relatedSkill"):
        for skill in as_list(value):
            if isinstance(skill, dict):
                out.append((_label(skill) or "a skill", _framework(None, str(skill.get("id") or ""), None) or "ESCO"))
    return out


def _alignment(src: _Sources) -> Signal:
    found = _alignments(src)
    if not found:
        return Signal("alignment", False, "Not aligned to any standard or competency framework.")
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
    proven = src.deep("provenBy")
    if proven:
        return Signal("assessment", True, f"Assessed: {_label(proven[0][1]) or 'a learning assessment'} (ELM).")
    if b.evidence or src.assertion.get("evidence"):
        return Signal("assessment", True, "Assessed: evidence of the learner's work is attached.")
    match = _assessed_word(src.texts())
    if match:
        return Signal("assessment", True, f"Assessed: the criteria mention “{match}”.")
    return Signal("assessment", False, "No assessment, evidence or results are stated.")


_WORKLOAD_RE = re.compile(r"\b(\d+(?:[.,]\d+)?)\s*(ECTS|credits?|credit hours|hours?|hrs)\b", re.I)
_WORKLOAD_KEYS = ("ects", "credit", "hour", "workload", "duration", "volumeoflearning")


def _workload_text(src: _Sources) -> str | None:
    b = src.badge
    if b.credits_available:
        return f"{b.credits_available:g} credits available"
    earned = src.subject.get("creditsEarned")
    if isinstance(earned, (int, float)) and earned:
        return f"{earned:g} credits earned"
    for _, value in src.deep("creditPoint"):
        for cp in as_list(value):
            if isinstance(cp, dict) and cp.get("point") is not None:
                framework = _label(cp.get("framework")) or "credits"
                short = "ECTS" if "ects" in _norm(framework) or "european credit" in framework.lower() else framework
                return f"{cp.get('point')} {short}"
    for key, value in src.deep("volumeOfLearning"):
        if isinstance(value, str) and value:
            return f"workload {value} (ISO 8601 duration)"
    for key, value in src.extensions():
        if any(w in _norm(key) for w in _WORKLOAD_KEYS):
            shown = value if not isinstance(value, dict) else next(
                (v for k, v in value.items() if not k.startswith("@") and k != "type"), "")
            return f"{key.removeprefix('extensions:')}: {shown}"
    match = _WORKLOAD_RE.search(src.texts())
    if match:
        return f"“{match.group(0)}”"
    return None


def _workload(src: _Sources) -> Signal:
    text = _workload_text(src)
    if text:
        return Signal("workload", True, f"Credit or workload stated: {text}.")
    return Signal("workload", False, "No credits or workload (ECTS, hours) are stated.")


_STACK_RE = re.compile(r"\b(stackable|stacks? (?:in)?to(?:ward)?s?|counts? toward|credit toward|"
                       r"part of (?:the|a|an) [\w -]*(?:program|programme|certificate|degree|diploma|qualification))",
                       re.I)


def _stackable(src: _Sources) -> Signal:
    related = [r for r in as_list(src.achievement.get("related")) if isinstance(r, dict)]
    if related:
        return Signal("stackable", True, f"Stackable: related to “{_label(related[0]) or related[0].get('id')}”.")
    for key, value in src.deep("isPartialQualification", "isPartOf", "entitlesTo"):
        if value not in (False, None, [], ""):
            return Signal("stackable", True, f"Stackable: {key} {_label(value) or value}.")
    for key, _ in src.extensions():
        if any(w in _norm(key) for w in ("stack", "pathway")):
            return Signal("stackable", True, f"Stackable: {key.removeprefix('extensions:')} extension.")
    for tag in src.badge.tags:
        if "stackable" in tag.lower():
            return Signal("stackable", True, f"Stackable: tagged “{tag}”.")
    match = _STACK_RE.search(src.texts())
    if match:
        return Signal("stackable", True, f"Stackable: the description says “{match.group(0)}”.")
    return Signal("stackable", False, "Not said to stack toward a larger credential.")


_EDU_NAME = re.compile(r"\b(universit\w*|college|school|institut\w*|academ\w*|polytechni\w*|hochschule|"
                       r"universidad|universit[éà]|faculty|training (?:centre|center|provider)|"
                       r"learning provider|community college|conservatoire)\b", re.I)
_EDU_HOST = re.compile(r"(\.edu|\.edu\.[a-z]{2}|\.ac\.[a-z]{2}|\.sch\.[a-z]{2}|\.k12\.[a-z]{2}\.us)$")
_EDU_TYPES = {"collegeoruniversity", "educationalorganization", "school", "highschool", "middleschool",
              "elementaryschool", "preschool", "trainingprovider", "educationprovider"}
_EDU_IDENTIFIERS = ("sourcedid", "sisid", "oneroster", "ltiplatform", "ltideployment", "ipeds", "ukprn",
                    "erasmus", "pic", "ope")


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
            return Signal("institution", True, f"Issued by an education or training institution (“{name}”).")
    return Signal("institution", False, "The issuer does not appear to be an education or training institution.")


# --- the EU 2022 Recommendation checklist ------------------------------------------------------------

def _country(src: _Sources) -> str | None:
    for p in src.issuers:
        for addr in as_list(p.get("address")):
            if isinstance(addr, dict):
                country = _text(addr.get("addressCountry")) or _text(addr.get("addressCountryCode"))
                if country:
                    return country
    for _, value in src.deep("countryCode", "spatial"):
        label = _label(value)
        if label and not label.startswith(("http", "urn:")):
            return label
    return None


def _level(src: _Sources) -> str | None:
    for key, value in src.deep("eqfLevel", "EQFLevel"):
        return _label(value) or str(value)
    for a in src.badge.alignment:
        if (a.target_framework and "eqf" in a.target_framework.lower()) or (a.target_url and "/eqf/" in a.target_url):
            return a.target_name or a.target_code
    for key, value in src.extensions():
        if "eqf" in _norm(key) or "level" in _norm(key):
            return _label(value) or str(value)
    match = re.search(r"\bEQF(?:\s*level)?\s*(\d)\b", src.texts(), re.I)
    return f"EQF {match.group(1)}" if match else None


def _assessment_type(src: _Sources) -> str | None:
    for _, value in src.deep("provenBy"):
        for p in as_list(value):
            if isinstance(p, dict):
                spec = p.get("specifiedBy") if isinstance(p.get("specifiedBy"), dict) else {}
                label = _label(spec.get("dcType")) or _label(p)
                if label:
                    return label
    for r in as_list(src.badge.result_description or src.achievement.get("resultDescription")):
        if isinstance(r, dict) and (r.get("resultType") or r.get("name")):
            return f"{_text(r.get('name')) or 'result'} ({r.get('resultType', 'result')})"
    match = re.search(r"\b(exams?|examination|test|quiz\w*|assignment|project|portfolio|observation|interview|"
                      r"practical assessment|peer review|artefact assessment)\b", src.texts(), re.I)
    return match.group(0) if match else None


def _participation(src: _Sources) -> str | None:
    for _, value in src.deep("mode", "learningSetting"):
        label = _label(value)
        if label:
            return label
    match = re.search(r"\b(online|on-?site|in[- ]person|blended|hybrid|face[- ]to[- ]face|remote)\b",
                      src.texts(), re.I)
    return match.group(0) if match else None


def _quality(src: _Sources) -> str | None:
    for _, value in src.deep("accreditation", "isAccreditedBy"):
        return f"accredited ({_label(value) or 'accreditation stated'})"
    for key, value in src.deep("endorsement"):
        items = [v for v in as_list(value) if v]
        if items:
            first = items[0] if isinstance(items[0], dict) else {}
            by = first.get("issuer")
            by = _label(by) if isinstance(by, dict) else by
            return f"endorsed{' by ' + str(by) if by else ''}"
    return None


def _outcomes(src: _Sources) -> str | None:
    for _, value in src.deep("learningOutcome"):
        label = _label(value)
        if label:
            return label
        return "learning outcomes listed"
    aligned = _alignments(src)
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
    items: list[tuple[str, str, str | None]] = [
        ("learner", "Learner", _learner(badge, src)),
        ("title", "Title", badge.name or None),
        ("country", "Country of the issuer", _country(src)),
        ("awarding-body", "Awarding body", _first(awarding) or issuer),
        ("date", "Date of issue", badge.issued_on.date().isoformat() if badge.issued_on else None),
        ("learning-outcomes", "Learning outcomes", _outcomes(src)),
        ("workload", "Workload (ECTS)", _workload_text(src)),
        ("level", "Level (EQF)", _level(src)),
        ("assessment", "Type of assessment", _assessment_type(src)),
        ("participation", "Form of participation", _participation(src)),
        ("quality-assurance", "Quality assurance", _quality(src)),
    ]
    return [Signal(name, value is not None, f"{label}: {value}." if value is not None else f"{label}: missing.")
            for name, label, value in items]
