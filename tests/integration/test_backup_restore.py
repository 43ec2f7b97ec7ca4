"""`make backup` / `make restore`: the five services' databases (migrated, every table with
a money column filled) and their file stores are backed up, destroyed and restored; every
row, amount and file comes back, and a restore without HQ's approval changes nothing."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import MetaData, select

from deploy.backup import (
    SERVICES,
    RestoreRefused,
    approve,
    backup,
    restore,
    verify,
)
from shared.auth.principal import Role
from shared.db import Database, migrate
from shared.filestore import TwoCopyStore
from tests.conftest import DatabaseFactory
from tests.integration.test_money_migrations import (
    AMOUNTS,
    RATES,
    _exact_columns,
    _filler,
    _money_tables,
    _service,
)
from tests.security.kit import StaffKeys, staff

NOW = datetime(2026, 12, 4, 12, 0, tzinfo=UTC)
HQ = staff("hq-1", Role.HQ)
ADMIN = staff("admin-1", Role.ADMIN)


def _fill(url: str, metadata: MetaData, migrations: Any) -> None:
    db = Database(url)
    try:
        migrate(db, migrations)
        n = 0
        with db.engine.begin() as conn:
            for table in _money_tables(metadata):
                values = {}
                for column in _exact_columns(table):
                    pool = RATES if column.type.places == 6 else AMOUNTS
                    values[column.name] = pool[n % len(pool)]
                    n += 1
                conn.execute(table.insert().values(**_filler(table, values)))
    finally:
        db.dispose()


def _everything(url: str, metadata: MetaData) -> dict[str, list[tuple[Any, ...]]]:
    db = Database(url)
    try:
        with db.engine.connect() as conn:
            return {
                t.name: sorted(tuple(map(str, r)) for r in conn.execute(select(t)))
                for t in metadata.sorted_tables
                if t.name != "audit_log"
            }
    finally:
        db.dispose()


def _files(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in folder.rglob("*")
        if p.is_file() and not p.name.endswith((".db", ".db-wal", ".db-shm"))
    }


@pytest.fixture
def platform(databases: DatabaseFactory, tmp_path: Path) -> dict[str, Any]:
    data = tmp_path / "var"
    keys = StaffKeys(data / "keys")
    urls = {s: databases.new(s) for s in SERVICES}
    if all(u.startswith("sqlite") for u in urls.values()):
        urls = {s: f"sqlite:///{data / s}.db" for s in SERVICES}
    for service, url in urls.items():
        metadata, migrations = _service(service)
        _fill(url, metadata, migrations)
    recordings = TwoCopyStore(data / "recordings", data / "backup", "recordings")
    letters = TwoCopyStore(data / "letters", data / "backup", "letters")
    for n in range(3):
        recordings.store_bytes(f"case-{n}", f"通话录音 {n}".encode() * 1000)
        letters.store_bytes(f"case-{n}", b"%PDF-1.7 letter " + bytes([n]) * 500)
    return {"data": data, "urls": urls, "keys": keys}


def test_fill_back_up_destroy_restore_finds_every_row_amount_and_file(
    platform: dict[str, Any], tmp_path: Path
) -> None:
    data, urls, keys = platform["data"], platform["urls"], platform["keys"]
    before = {s: _everything(u, _service(s)[0]) for s, u in urls.items()}
    files_before = _files(data)
    assert any(rows for tables in before.values() for rows in tables.values())
    assert sum(1 for name in files_before if name.startswith("recordings/")) == 3

    folder = backup(data, tmp_path / "backups", urls, NOW)
    assert verify(folder) >= len(SERVICES) + len(files_before)

    shutil.rmtree(data)  # the platform is lost
    for service, url in urls.items():
        if not url.startswith("sqlite"):
            _drop_everything(url, service)

    with pytest.raises(RestoreRefused, match="HQ"):
        approve(folder, keys.token(ADMIN), "disk failure on the primary host", NOW)
    with pytest.raises(RestoreRefused, match="reason"):
        approve(folder, keys.token(HQ), "", NOW)
    approval = approve(folder, keys.token(HQ), "disk failure on the primary host", NOW)
    assert not data.exists(), "refusals changed nothing"

    restore(folder, data, urls, approval)

    after = {s: _everything(u, _service(s)[0]) for s, u in urls.items()}
    assert after == before
    assert _files(data) == files_before | {"restores.jsonl": (data / "restores.jsonl").read_bytes()}
    assert "hq-1" in (data / "restores.jsonl").read_text()
    with pytest.raises(RestoreRefused, match="not empty"):
        restore(folder, data, urls, approval)


def test_a_damaged_backup_is_refused(platform: dict[str, Any], tmp_path: Path) -> None:
    folder = backup(platform["data"], tmp_path / "backups", platform["urls"], NOW)
    recording = next((folder / "files" / "recordings").rglob("*.bin"))
    recording.write_bytes(b"tampered")
    with pytest.raises(RestoreRefused, match="differs from the manifest"):
        verify(folder)
    token = platform["keys"].token(HQ, ttl=timedelta(minutes=5))
    approval = approve(folder, token, "disk failure on the primary host", NOW)
    with pytest.raises(RestoreRefused):
        restore(folder, tmp_path / "elsewhere", platform["urls"], approval)


def _drop_everything(url: str, service: str) -> None:
    db = Database(url)
    try:
        with db.engine.begin() as conn:
            conn.exec_driver_sql("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    finally:
        db.dispose()
