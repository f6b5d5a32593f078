"""Credential status: 1EdTech revocation lists, StatusList2021, BitstringStatusList. (Being written.)"""
from __future__ import annotations

from typing import Any

from .context import VerifyContext
from .model import Check


def check_status(credential: dict[str, Any], ctx: VerifyContext) -> list[Check]:
    """The ``status`` checks for every ``credentialStatus`` entry of ``credential``."""
    raise NotImplementedError
