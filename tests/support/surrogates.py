"""A wallet holding one genuine badge, for the tests that put lone surrogates into what the wallet stores.

Badges never bring one in (the JSON loader refuses them); what can: a command-line argument that is not
UTF-8 (Python decodes it with surrogate escapes), a crafted wallet export, a hand-edited wallet file."""
from __future__ import annotations

from support.files import fixture_path
from wallet.service import Wallet

DCC = fixture_path("digitalcredentials-vc-test-fixtures", "vc", "v2", "dataIntegrityProof", "didKey",
                   "legacyRegistry-noStatus-noExpiry-credName.json")


def wallet_with_badge(path) -> tuple[Wallet, str]:
    wallet = Wallet(path, offline=True)
    [result] = wallet.import_files([("badge.json", DCC.read_bytes())])
    assert result.entry_id, result.message
    return wallet, result.entry_id
