"""Sign-in for hosted mode: Streamlit's OpenID Connect login (``st.login`` / ``st.user``).

Security decisions:

* the wallet owner is the provider's issuer plus the subject (``"ISS SUB"``), both from the ID token
  that Authlib validated against the provider's metadata; never the e-mail address, which a provider
  may let users change or reuse, and which two providers may both vouch for;
* an account without ``iss`` or ``sub`` gets no wallet at all (:class:`SignInError`), rather than a
  shared or guessable one;
* hosted mode without an ``[auth]`` section in the Streamlit secrets does not start: there is no
  "anonymous wallet" fallback.

The ``[auth]`` section (``.streamlit/secrets.toml``)::

    [auth]
    redirect_uri = "https://badges.example.org/oauth2callback"
    cookie_secret = "a long random string"
    client_id = "…"
    client_secret = "…"
    server_metadata_url = "https://idp.example.org/.well-known/openid-configuration"
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .mode import ConfigError
from .store import WalletError

AUTH_KEYS = ("redirect_uri", "cookie_secret")


class SignInError(WalletError):
    """The signed-in account cannot be given a wallet (the sentence says why)."""


def owner_key(claims: Mapping[str, Any]) -> str:
    """``"ISS SUB"``: the provider's issuer URL and its subject id for this person (a URL has no spaces)."""
    iss, sub = claims.get("iss"), claims.get("sub")
    if not isinstance(iss, str) or not iss.strip() or not isinstance(sub, str) or not sub.strip():
        raise SignInError("Your sign-in provider did not say who you are (no issuer or subject in the ID "
                          "token), so no wallet can be opened. Sign out and try another account.")
    if any(c.isspace() for c in iss):
        raise SignInError("Your sign-in provider's issuer is not a URL, so no wallet can be opened.")
    return f"{iss.strip()} {sub}"


def display_name(claims: Mapping[str, Any]) -> str:
    for key in ("name", "preferred_username", "email", "sub"):
        value = claims.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return "you"


def providers(auth_section: Mapping[str, Any] | None) -> list[str]:
    """The named providers of an ``[auth]`` section (``[auth.google]`` …); [] when it names one inline."""
    if not auth_section:
        return []
    return [k for k, v in auth_section.items() if isinstance(v, Mapping) and "client_id" in v]


def check_auth_section(auth_section: Mapping[str, Any] | None) -> None:
    """Raise :class:`ConfigError` unless the secrets configure a sign-in provider."""
    missing = [k for k in AUTH_KEYS if not (auth_section or {}).get(k)]
    has_provider = auth_section is not None and bool(auth_section) and (
        bool(auth_section.get("client_id") and auth_section.get("server_metadata_url")) or bool(providers(auth_section)))
    if missing or not has_provider:
        raise ConfigError("Hosted mode (BADGE_WALLET_DB=postgresql://…) needs sign-in: add an [auth] section "
                          "with redirect_uri, cookie_secret, client_id, client_secret and server_metadata_url to "
                          ".streamlit/secrets.toml (see the README). The app did not start.")
