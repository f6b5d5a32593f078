"""OB 3.0 ``credentialSchema`` validation against pinned JSON Schemas; schemas are never fetched.

``verifier/schemas/index.json`` maps a schema URL to a file beside it. Only schemas pinned there (or
passed in by the caller) are used; a credential naming any other schema gets a ``skip`` check saying
so. The official 1EdTech OB 3.0 schemas (``ob_v3p0_achievementcredential_schema.json`` …) are not in
the project's corpus, so the shipped index is empty until a verified copy is added.

Validation errors fail the check (verdict ``invalid``) with the first three errors in plain words:
a credential that does not match the schema its issuer named is malformed. Formats (``uri``,
``date-time``) are not asserted, and ``$ref`` to a schema that is not pinned is an ``unverifiable``
reason rather than a fetch.
"""
from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from jsonschema import validators
from jsonschema.exceptions import SchemaError, ValidationError
from referencing import Registry, Resource
from referencing.exceptions import NoSuchResource, Unresolvable
from referencing.jsonschema import DRAFT202012

from .checks import CheckId
from .jsonutil import as_list
from .model import Check, failed, passed, skipped, unverifiable
from .pinned import load_pinned, pinned_index, resource_path

CHECK_ID = CheckId.SCHEMA
SCHEMA_TYPES = frozenset({"1EdTechJsonSchemaValidator2019", "JsonSchema", "JsonSchemaValidator2018"})
SCHEMA_DIR = resource_path("schemas")  # read through verifier/pinned.py
MAX_ERRORS = 3


@lru_cache(maxsize=1)
def pinned_schemas() -> dict[str, dict[str, Any]]:
    """The schemas listed in ``schemas/index.json``, by URL."""
    return {url: load_pinned(path) for url, path in pinned_index("schemas").items()}


def check_schema(credential: dict[str, Any], *, schemas: Mapping[str, dict[str, Any]] | None = None) -> list[Check]:
    """The ``schema`` check(s): validate against each pinned credentialSchema, skip unknown ones.

    ``schemas`` (URL → schema) replaces the pinned set, for callers that ship their own.
    """
    known = pinned_schemas() if schemas is None else dict(schemas)
    entries = as_list(credential.get("credentialSchema"))
    if not entries:
        return [skipped(CHECK_ID, "The credential names no schema to check it against.")]
    return [_check_one(entry, credential, known) for entry in entries]


def _check_one(entry: Any, credential: dict[str, Any], known: Mapping[str, dict[str, Any]]) -> Check:
    if not isinstance(entry, dict) or not isinstance(entry.get("id"), str):
        return skipped(CHECK_ID, "A credentialSchema entry has no id; it was not checked.")
    url, kind = entry["id"], entry.get("type")
    if kind not in SCHEMA_TYPES:
        return skipped(CHECK_ID, f"The schema {url} is of type {kind!r}, which we do not check.")
    schema = known.get(url)
    if schema is None:
        return skipped(CHECK_ID, f"The credential names the schema {url}, which is not pinned here; it was "
                                 "not checked (schemas are never fetched).")
    registry = Registry(retrieve=_no_fetch).with_resources(  # type: ignore[call-arg]  # attrs alias mypy misses
        (u, Resource.from_contents(s, default_specification=DRAFT202012)) for u, s in known.items())
    try:
        cls = validators.validator_for(schema)
        cls.check_schema(schema)
        errors = sorted(cls(schema, registry=registry).iter_errors(credential),
                        key=lambda e: (len(e.absolute_path), list(map(str, e.absolute_path))))
    except SchemaError as exc:
        return unverifiable(CHECK_ID, f"The pinned schema {url} is itself invalid ({exc.message}).")
    except (Unresolvable, NoSuchResource) as exc:
        return unverifiable(CHECK_ID, f"The schema {url} refers to another schema that is not pinned ({exc}).")
    if not errors:
        return passed(CHECK_ID, f"The credential matches its schema {url}.")
    shown = "; ".join(_plain(e) for e in errors[:MAX_ERRORS])
    more = f" (and {len(errors) - MAX_ERRORS} more)" if len(errors) > MAX_ERRORS else ""
    return failed(CHECK_ID, f"The credential does not match its schema {url}: {shown}{more}.")


def _plain(error: ValidationError) -> str:
    where = ".".join(str(p) for p in error.absolute_path)
    return f"{where or 'the credential'}: {error.message}"


def _no_fetch(uri: str) -> Resource:
    raise NoSuchResource(ref=uri)  # type: ignore[call-arg]  # attrs field mypy misses
