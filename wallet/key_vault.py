"""The holder's private key at rest: sealed with a key the operator provides, never in plain text.

The holder key (holder.py) signs presentations in the learner's name, so a copy of the wallet's
settings (a stolen database dump, a synced folder) must not be enough to sign. Its 32-byte seed is
kept sealed with libsodium's ``crypto_secretbox`` (PyNaCl :class:`~nacl.secret.SecretBox`: XSalsa20
and Poly1305, a random nonce per seal), beside the public key, which is not secret and lets the DID
document be served without unsealing anything. The sealing key comes from:

* **hosted mode** — the operator's secret ``$BADGE_WALLET_KEY_SECRET`` (at least 32 characters; read
  with the other settings, wallet/settings.py, and handed to the wallet), never stored in the database. Each owner gets a key of their own, derived with keyed BLAKE2b
  from the secret and the owner id, so a sealed value copied into another learner's row does not open.
* **embedded mode** — a key file beside the wallet (``wallet.json.key``, 32 random bytes as hex),
  created with permissions 0600 (only the learner's account can read it). A key file rather than the
  OS keyring: the keyring is not installed everywhere (headless servers, containers) and a wallet
  whose unlock depends on a desktop session would fail at random; the file also makes clear what must
  be kept together. Exports never contain the sealed value (settings are not exported) or the file.

Refusals are sentences (:class:`VaultError`), never a crash and never a silently new identity: a
missing or wrong secret, or a missing key file for a sealed key, is reported; the wallet never makes a
new key over a sealed one it cannot open (the learner's DID would change under their presentations).
"""
from __future__ import annotations

import base64
import os
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nacl.encoding import RawEncoder
from nacl.exceptions import CryptoError
from nacl.hash import blake2b
from nacl.secret import SecretBox
from nacl.signing import SigningKey

from .holder import HolderKey
from .settings import KEY_SECRET_ENV
from .store import WalletError

SECRET_ENV = KEY_SECRET_ENV
MIN_SECRET = 32
SEALED = "xsalsa20poly1305"


class VaultError(WalletError):
    """The holder key cannot be sealed or unsealed; the sentence says why and what to do."""


@dataclass(frozen=True)
class Vault:
    """A sealing key and where it came from (for sentences: "the key file …", "$BADGE_WALLET_KEY_SECRET")."""

    key: bytes
    source: str

    def seal(self, seed: bytes, public: str) -> dict[str, Any]:
        box = SecretBox(self.key).encrypt(seed)
        return {"sealed": SEALED, "box": base64.b64encode(bytes(box)).decode("ascii"), "public": public}

    def unseal(self, value: Mapping[str, Any]) -> bytes:
        if value.get("sealed") != SEALED or not isinstance(value.get("box"), str):
            raise VaultError("The wallet's holder key is stored in a form this version does not know; it was left "
                             "as it is and no new key was made.")
        try:
            seed = SecretBox(self.key).decrypt(base64.b64decode(value["box"], validate=True))
        except (CryptoError, ValueError) as exc:
            raise VaultError(f"The wallet's holder key does not open with {self.source}: it was sealed with another "
                             "key. Use the key it was sealed with; no new key was made, so the learner's DID "
                             "stays the same.") from exc
        if len(seed) != 32:
            raise VaultError("The wallet's holder key is damaged (wrong length); no new key was made.")
        return seed


def is_sealed(value: Any) -> bool:
    return isinstance(value, Mapping) and "sealed" in value


def hosted_vault(owner: str, secret: str | None) -> Vault:
    """The owner's sealing key derived from the operator's secret (VaultError when unset or short)."""
    secret = secret or ""
    if len(secret.strip()) < MIN_SECRET:
        what = "is not set" if not secret.strip() else f"is shorter than {MIN_SECRET} characters"
        raise VaultError(f"Holder keys cannot be used on this site: {SECRET_ENV} {what}. The operator must set it "
                         f"to a long random secret (e.g. `python -c \"import secrets; print(secrets.token_hex(32))\"`) "
                         "and keep it: it protects every learner's signing key.")
    root = blake2b(secret.strip().encode("utf-8"), digest_size=32, person=b"wallet-kek-root", encoder=RawEncoder)
    key = blake2b(owner.encode("utf-8"), key=root, digest_size=32, person=b"wallet-kek-owner", encoder=RawEncoder)
    return Vault(key, f"the secret in {SECRET_ENV}")


def key_file_path(wallet_path: Path) -> Path:
    return wallet_path.with_name(wallet_path.name + ".key")


def file_vault(wallet_path: Path, *, create: bool) -> Vault:
    """The key file beside the wallet; made (0600) when ``create`` and it does not exist yet."""
    path = key_file_path(wallet_path)
    source = f"the key file {path}"
    try:
        text = path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        if not create:
            raise VaultError(f"The wallet's holder key is sealed, but {source} that opens it is missing. Put the key "
                             "file back beside the wallet (it is never part of an export); no new key was made, "
                             "so the learner's DID stays the same.") from None
        return _create_key_file(path, source)
    except (OSError, UnicodeDecodeError) as exc:
        raise VaultError(f"{source[0].upper()}{source[1:]} cannot be read ({exc.__class__.__name__}).") from exc
    try:
        key = bytes.fromhex(text)
    except ValueError:
        key = b""
    if len(key) != SecretBox.KEY_SIZE:
        raise VaultError(f"{source[0].upper()}{source[1:]} is not a key (64 hexadecimal digits); no new key was made.")
    return Vault(key, source)


def _create_key_file(path: Path, source: str) -> Vault:
    """Written to a private temporary file, then linked into place: the name appears whole or not at all,
    and a process that lost the race uses the winner's key."""
    key = secrets.token_bytes(SecretBox.KEY_SIZE)
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write(key.hex() + "\n")
        try:
            os.link(tmp, path)
        except FileExistsError:
            return file_vault(path.with_name(path.name.removesuffix(".key")), create=False)
    except OSError as exc:
        raise VaultError(f"{source[0].upper()}{source[1:]} cannot be created ({exc.strerror or exc}).") from exc
    finally:
        tmp.unlink(missing_ok=True)
    return Vault(key, source)


def load_holder_key(raw: Any, vault: Callable[[bool], Vault], save: Callable[[Any], None]) -> HolderKey:
    """The holder key from its stored setting ``raw``; made (sealed) when there is none, a plain one from
    an older wallet sealed on first use. ``vault(create)`` gives the sealing key; ``save`` stores a setting.
    Raises :class:`VaultError` (a sentence) and never makes a new key over one it cannot read."""
    if raw is None:
        box = vault(True)
        key = HolderKey.generate()
        save(box.seal(bytes(key.signing_key), key.public_multikey))
        return key
    if is_sealed(raw):
        return HolderKey(SigningKey(vault(False).unseal(raw)))
    plain = HolderKey.from_setting(raw)
    if plain is None:
        raise VaultError("The wallet's holder key is damaged and cannot be read; no new key was made, so the "
                         "learner's DID stays the same. Restore the wallet's settings from a copy.")
    save(vault(True).seal(bytes(plain.signing_key), plain.public_multikey))  # an older wallet's plain key: seal it
    return plain
