"""The holder's profile kept in the wallet settings: the identities the learner goes by, the name shown
on public pages, and the learner's signing key (made on first use, sealed at rest: key_vault.py)."""
from __future__ import annotations

from . import holder as holder_mod
from .core import WalletCore
from .holder import HolderKey, HolderMatch, Identity
from .store import WalletError


def identities(core: WalletCore) -> list[Identity]:
    """The identities the learner goes by (matched against each badge's recipient)."""
    raw = core.setting(holder_mod.IDENTITIES) or []
    parsed = [Identity.from_dict(d) for d in raw if isinstance(d, dict)]
    return [i for i in parsed if i is not None]


def add_identity(core: WalletCore, text: str, *, confirmed: bool = False) -> Identity:
    """Add an e-mail address, URL or DID (``confirmed``: a sign-in provider confirmed it)."""
    ident = holder_mod.parse_identity(text, confirmed=confirmed)
    if ident is None:
        raise WalletError(f"“{text.strip()[:80]}” is not an e-mail address, a web address (https://…) or a DID "
                          "(did:…).")
    known = identities(core)
    current = [i for i in known if i.value != ident.value]
    if len(current) >= holder_mod.MAX_IDENTITIES:
        raise WalletError(f"A wallet keeps at most {holder_mod.MAX_IDENTITIES} identities.")
    old = next((i for i in known if i.value == ident.value), None)
    if old is not None and old.confirmed and not confirmed:
        ident = old  # typing a confirmed address again does not unconfirm it
    core.set_setting(holder_mod.IDENTITIES, [i.to_dict() for i in current + [ident]])
    return ident


def remove_identity(core: WalletCore, text: str) -> bool:
    ident = holder_mod.parse_identity(text)
    value = ident.value if ident else text.strip()
    current = identities(core)
    kept = [i for i in current if i.value != value]
    core.set_setting(holder_mod.IDENTITIES, [i.to_dict() for i in kept])
    return len(kept) != len(current)


def display_name(core: WalletCore) -> str:
    value = core.setting(holder_mod.DISPLAY_NAME)
    return value.strip() if isinstance(value, str) else ""


def set_display_name(core: WalletCore, name: str) -> None:
    """The name shown on public pages ("" for none). It is the owner's word, and the page says so."""
    core.set_setting(holder_mod.DISPLAY_NAME, " ".join(name.split())[:120])


def holder_key(core: WalletCore) -> HolderKey:
    """The learner's key (Ed25519), made on first use, kept sealed in the settings (key_vault.py); its DID
    is a did:key, or in hosted mode a did:web under the site's public address (hosted_did.py)."""
    from . import key_vault

    def vault(create: bool) -> key_vault.Vault:
        hosted = core.database_url is not None or hasattr(core.store, "url")
        return (key_vault.hosted_vault(core.owner or str(getattr(core.store, "owner", "")), core.key_secret)
                if hosted else key_vault.file_vault(core.path, create=create))

    key = key_vault.load_holder_key(core.setting(holder_mod.HOLDER_KEY), vault,
                                    lambda value: core.set_setting(holder_mod.HOLDER_KEY, value))
    url = core.database_url or getattr(core.store, "url", None)
    if url:  # hosted: a did:web of this site (hosted_did.py)
        from .hosted_did import with_web_did

        owner = core.owner or str(getattr(core.store, "owner", ""))
        key = with_web_did(key, url, owner, core.public_url)
    return key


def whose(core: WalletCore, entry_id: str) -> HolderMatch:
    """Whether the badge ``entry_id`` names one of the learner's identities as its recipient."""
    entry = core.require(entry_id)
    return holder_mod.match_recipient(entry.badge.get("recipient") or {}, identities(core))
