"""LinkedIn "add to profile" links for a single badge (a certification on the learner's profile)."""
from __future__ import annotations

from datetime import datetime
from urllib.parse import quote, urlencode

LINKEDIN_ADD = "https://www.linkedin.com/profile/add"


def linkedin_add_url(name: str, organization: str, *, issued: datetime | None = None,
                     cert_url: str | None = None, cert_id: str | None = None,
                     expires: datetime | None = None) -> str:
    """``https://www.linkedin.com/profile/add?startTask=CERTIFICATION_NAME&name=…`` with every value
    URL-encoded (spaces as ``%20``). Fields without a value are left out."""
    params: list[tuple[str, str]] = [("startTask", "CERTIFICATION_NAME"), ("name", name),
                                     ("organizationName", organization)]
    if issued is not None:
        params += [("issueYear", str(issued.year)), ("issueMonth", str(issued.month))]
    if expires is not None:
        params += [("expirationYear", str(expires.year)), ("expirationMonth", str(expires.month))]
    if cert_url:
        params.append(("certUrl", cert_url))
    if cert_id:
        params.append(("certId", cert_id))
    return f"{LINKEDIN_ADD}?{urlencode(params, quote_via=quote, safe='')}"
