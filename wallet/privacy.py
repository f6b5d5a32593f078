"""Hiding the recipient's identity on a public page: by the values the verifier read, not by a pattern.

An e-mail pattern misses real addresses (non-ASCII, a quoted local part, a trailing space, no TLD)
and anything that is not an e-mail (a telephone number, a profile URL, a DID). So the values to hide
are collected from the badge's structure — the normalised recipient and every recipient field of the
source documents (OB 2 ``recipient.identity``, OB 3 ``credentialSubject.id``/``identifier``/``email``)
— and each one, in the spellings a sentence or a JSON string can carry, is replaced wherever it
appears in any text of the public view (:func:`redact_value` walks the whole structure).
"""
from __future__ import annotations

import dataclasses
import json
import re
import unicodedata
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import quote

HIDDEN = "[hidden]"
_PREFIXES = ("mailto:", "tel:", "sms:")
_MIN_LEN = 3  # shorter values (a stray "a") would blank out ordinary words


def _plain_values(subject: Any) -> Iterable[str]:
    """Plain (unhashed) identity values in an OB 2 recipient or an OB 3 credentialSubject."""
    if not isinstance(subject, Mapping):
        return
    hashed = subject.get("hashed") is True
    for key in ("identity", "email", "id", "emailAddress", "telephone", "url"):
        value = subject.get(key)
        if isinstance(value, str) and not (hashed and key == "identity"):
            yield value
    identifiers = subject.get("identifier")
    for ident in identifiers if isinstance(identifiers, list) else [identifiers]:
        if isinstance(ident, Mapping) and ident.get("hashed") is not True:
            for key in ("identityHash", "identity"):
                if isinstance(ident.get(key), str):
                    yield ident[key]


def recipient_values(badge: Mapping[str, Any]) -> set[str]:
    """Every plain recipient identity in a ``Badge.to_dict()`` (normalised form and raw documents)."""
    values: set[str] = set()
    recipient = badge.get("recipient")
    if isinstance(recipient, Mapping) and recipient.get("hashed") is not True \
            and isinstance(recipient.get("identity"), str):
        values.add(recipient["identity"])
    raw = found if isinstance(found := badge.get("raw"), Mapping) else {}
    assertion = raw.get("assertion")
    if isinstance(assertion, Mapping):
        values.update(_plain_values(assertion.get("recipient")))
    credential = raw.get("credential")
    if isinstance(credential, Mapping):
        subjects = credential.get("credentialSubject")
        for subject in subjects if isinstance(subjects, list) else [subjects]:
            values.update(_plain_values(subject))
    return {v for v in values if len(v.strip()) >= _MIN_LEN}


def spellings(values: Iterable[str]) -> list[str]:
    """Each value as it may appear in text: as given, trimmed, without ``mailto:``, Unicode-normalised,
    JSON-escaped and percent-encoded. Longest first, so a longer spelling is replaced whole."""
    out: set[str] = set()
    for value in values:
        forms = {value, value.strip()}
        for form in list(forms):
            for prefix in _PREFIXES:
                if form.lower().startswith(prefix):
                    forms.add(form[len(prefix):])
        for form in list(forms):
            forms.update({unicodedata.normalize(n, form) for n in ("NFC", "NFD", "NFKC")})
        for form in list(forms):
            forms.add(json.dumps(form)[1:-1])
            forms.add(json.dumps(form, ensure_ascii=False)[1:-1])
            forms.add(quote(form, safe=""))
            forms.add(quote(form, safe="@:/"))
        out.update(f for f in forms if len(f.strip()) >= _MIN_LEN)
    return sorted(out, key=len, reverse=True)


class Redactor:
    """Replaces known identity values (case-insensitively) in strings and whole structures."""

    def __init__(self, values: Iterable[str]) -> None:
        forms = spellings(values)
        self.pattern = re.compile("|".join(re.escape(f) for f in forms), re.IGNORECASE) if forms else None

    def __bool__(self) -> bool:
        return self.pattern is not None

    def text(self, value: str) -> str:
        return self.pattern.sub(HIDDEN, value) if self.pattern else value

    def value(self, value: Any) -> Any:
        """``value`` with every string inside redacted: dataclasses, dicts, lists, tuples (bytes untouched)."""
        if isinstance(value, str):
            return self.text(value)
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            changes = {f.name: self.value(getattr(value, f.name)) for f in dataclasses.fields(value)}
            return dataclasses.replace(value, **changes)
        if isinstance(value, Mapping):
            return {self.value(k): self.value(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self.value(v) for v in value]
        if isinstance(value, tuple):
            return tuple(self.value(v) for v in value)
        return value
