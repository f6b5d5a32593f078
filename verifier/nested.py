"""Credentials inside credentials (endorsements, CLR achievements, presentation members).

:func:`verify_nested` runs the very same verifier on an embedded credential and returns its own
report, identity included, under a ``role``. Security decisions:

- the inner credential is judged on its own: the outer signature covering it says nothing about who
  signed the inner one, and an inner failure never changes the outer verdict by itself (the caller
  turns it into a ``warn``/``pass`` check of its own);
- the recipient expected of the outer badge is not asked of the inner one (an endorsement is issued to
  the thing it endorses, not to the learner);
- nesting is bounded (:data:`MAX_DEPTH`) and so is the number of inner credentials a caller should
  verify (:data:`MAX_NESTED`): a crafted badge cannot make a check fetch without end.
"""
from __future__ import annotations

import dataclasses
from typing import Any

from .checks import CheckId
from .context import VerifyContext
from .model import Format, NestedReport, unverifiable
from .report import make_report

MAX_DEPTH = 2  # the badge (0), its endorsements (1), their endorsements (2) and no further
MAX_NESTED = 10  # inner credentials verified per role and per credential


def verify_nested(doc_or_jwt: dict[str, Any] | str, role: str, ctx: VerifyContext) -> NestedReport:
    """Verify ``doc_or_jwt`` (a JSON-LD credential or a compact JWS/VC-JWT) as a credential of its own.

    The clock, fetcher (and its cache), registries and trusted issuers of ``ctx`` are shared; the
    expected recipient is not. Past :data:`MAX_DEPTH` the credential is not verified and its report
    says so (verdict ``unverifiable``).
    """
    if ctx.depth >= MAX_DEPTH:
        return NestedReport(role, make_report(Format.NONE, [unverifiable(
            CheckId.NESTED, f"This {role} sits {ctx.depth + 1} levels deep inside other credentials; "
            "credentials nested that deep are not checked.")]))
    if not isinstance(doc_or_jwt, (dict, str)):
        return NestedReport(role, make_report(Format.NONE, [unverifiable(
            CheckId.NESTED, f"This {role} is neither a credential object nor a signed token.")]))
    from .api import verify_with  # api imports the steps that call this module

    inner = dataclasses.replace(ctx, recipient=None, depth=ctx.depth + 1)
    return NestedReport(role, verify_with(doc_or_jwt, inner))
