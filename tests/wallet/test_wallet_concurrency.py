"""Two processes importing into one wallet at once (two browser tabs, or the app and the CLI) lose nothing."""
import multiprocessing
from pathlib import Path

from wallet.demo import demo_files
from wallet.service import Wallet


def _import(db: str, paths: list[str]) -> None:
    wallet = Wallet(db)  # demo badges verify offline: did:key issuers and the demo issuer's mirror
    for path in paths:
        wallet.import_file(Path(path).name, Path(path).read_bytes())


def test_concurrent_imports_from_two_processes_keep_every_badge(tmp_path):
    files = [str(f.path) for f in demo_files()]
    assert len(files) >= 6
    db = str(tmp_path / "wallet.json")
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_import, args=(db, files[i::2])) for i in (0, 1)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(timeout=120)
        assert p.exitcode == 0
    entries = Wallet(db).entries()
    assert sorted(e.filename for e in entries) == sorted(Path(f).name for f in files)
    assert len({e.id for e in entries}) == len(files)
