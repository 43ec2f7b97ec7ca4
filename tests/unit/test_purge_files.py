"""A purge's file rule: the owner's folders go from every root — both copies and a dated
backup one level down — the backup's manifest forgets them, other owners stay."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import MetaData

from shared.filestore import TwoCopyStore
from shared.purge import plan as engine
from shared.purge.plan import Files, PurgePlan
from shared.purge.runs import purge_runs_table


def _plan(roots: list[Path]) -> PurgePlan:
    metadata = MetaData()
    return PurgePlan(
        metadata=metadata,
        runs=purge_runs_table(metadata),
        files=(Files("raw", lambda _settings: roots, owner="client"),),
    )


def test_the_owners_files_go_from_every_copy_and_the_manifest(tmp_path: Path) -> None:
    store = TwoCopyStore(tmp_path / "a", tmp_path / "b", kind="raw")
    old_sha, _ = store.store_bytes("OLD/BANK", b"old bank's file")
    new_sha, _ = store.store_bytes("NEW", b"new bank's file")
    dated = tmp_path / "dated" / "20261204T000000Z"
    (dated / "raw" / "OLD_BANK").mkdir(parents=True)
    (dated / "raw" / "OLD_BANK" / f"{old_sha}.bin").write_bytes(b"old bank's file")
    (dated / "raw" / "NEW").mkdir(parents=True)
    (dated / "MANIFEST.sha256").write_text(
        f"{old_sha}  raw/OLD_BANK/{old_sha}.bin\n{new_sha}  raw/NEW/{new_sha}.bin\n"
    )
    plan = _plan([tmp_path / "a" / "raw", tmp_path / "b" / "raw", tmp_path / "dated"])

    assert engine.preview(None, plan, None, "OLD/BANK") == {"files: raw": 3}  # type: ignore[arg-type]
    assert engine.apply(None, plan, None, "OLD/BANK") == {"files: raw": 3}  # type: ignore[arg-type]

    left = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*.bin"))
    assert left == [f"a/raw/NEW/{new_sha}.bin", f"b/raw/NEW/{new_sha}.bin"]
    assert (dated / "MANIFEST.sha256").read_text() == f"{new_sha}  raw/NEW/{new_sha}.bin\n"
    assert engine.apply(None, plan, None, "OLD/BANK") == {"files: raw": 0}  # type: ignore[arg-type]
