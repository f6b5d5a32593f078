"""The learner's choices about issuer identity: which issuer registries to use, which issuers they trust.

Kept in a small JSON file beside the wallet (``wallet.json`` → ``wallet.issuers.json``; in hosted mode
one file per owner), written atomically. Registries read from URLs are cached in ``registry-cache/``
beside it with the time they were read, so pages can say how old a registry is and still use it
when its site is down.

Nothing is trusted by default: the lists start empty. The trusted-issuer list is the learner's own
judgement: it informs the learner's own pages (wallet, check page) and is never shown to others as
if it confirmed anything (the public portfolio page verifies without it).
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .store import atomic_write

MAX_ITEMS = 200
MAX_ITEM_CHARS = 2000


@dataclass
class IssuerSettings:
    registries: list[str] = field(default_factory=list)  # file paths or http(s) URLs, in order
    trusted: list[str] = field(default_factory=list)  # issuer ids

    def to_dict(self) -> dict[str, Any]:
        return {"registries": self.registries, "trusted": self.trusted}

    @classmethod
    def from_dict(cls, data: Any) -> IssuerSettings:
        """Read leniently: anything that is not a list of short strings is dropped (a damaged file
        must not stop the wallet)."""
        def items(key: str) -> list[str]:
            value = data.get(key) if isinstance(data, dict) else None
            if not isinstance(value, list):
                return []
            return list(dict.fromkeys(v.strip() for v in value
                                      if isinstance(v, str) and v.strip() and len(v) <= MAX_ITEM_CHARS))[:MAX_ITEMS]
        return cls(items("registries"), items("trusted"))


def settings_path(wallet_path: Path, owner: str | None = None) -> Path:
    suffix = ".issuers.json" if not owner else f".issuers-{hashlib.sha256(owner.encode()).hexdigest()[:16]}.json"
    return wallet_path.with_name(wallet_path.stem + suffix)


def cache_dir(wallet_path: Path) -> Path:
    return wallet_path.parent / "registry-cache"


def load(path: Path) -> IssuerSettings:
    try:
        return IssuerSettings.from_dict(json.loads(path.read_text("utf-8")))
    except FileNotFoundError:
        return IssuerSettings()
    except (OSError, ValueError):
        return IssuerSettings()  # unreadable settings: start from none rather than fail the wallet


def save(path: Path, settings: IssuerSettings) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(path, json.dumps(settings.to_dict(), indent=1).encode("utf-8"), backup=False)
