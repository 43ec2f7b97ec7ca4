"""Time `make backup` and `make restore` on intake's database holding N cases (SQLite).

Run: ``python -m bench.backup_restore 1000000``. Intake's cases table is the largest of a
platform's tables (the bank's full record of each case); the other services keep smaller
copies per case, so a platform's backup is a few times this figure.
"""

from __future__ import annotations

import sys
import tempfile
import time
import uuid
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

from sqlalchemy import insert

from deploy.backup import Approval, backup, restore
from services.intake.case_files.models import ImportBatch
from services.intake.cases.models import Case
from services.intake.clients.models import Client
from services.intake.migrations import MIGRATIONS
from shared.db import Database, migrate

NOW = datetime(2026, 12, 4, tzinfo=UTC)


def fill(url: str, cases: int) -> None:
    db = Database(url)
    migrate(db, MIGRATIONS)
    with db.engine.begin() as conn:
        conn.execute(
            insert(Client.__table__).values(id="BANK-A", name="银行", kind="bank", created_at=NOW)
        )
        conn.execute(
            insert(ImportBatch.__table__).values(
                id="b-1", client_id="BANK-A", filename="f.csv", sha256="0" * 64, size_bytes=1,
                all_or_nothing=False, received_at=NOW, state="completed", rows_processed=0,
                rows_total=0, rows_imported=0, rows_updated=0, rows_unchanged=0,
                rows_rejected=0, bytes_read=0,
            )
        )  # fmt: skip
    chunk = 20_000
    for start in range(0, cases, chunk):
        rows = [
            {
                "id": str(uuid.uuid4()), "client_id": "BANK-A", "account_ref": f"ACC-{n:08d}",
                "batch_id": "b-1", "state": "active", "product_type": "card",
                "debtor_name": "张三丰", "id_type": "居民身份证", "id_number": "110101199003074518",
                "phones": ["13800138000"], "home_address": "上海市浦东新区世纪大道100号",
                "contacts": [], "principal": Decimal("12345.67"), "interest": Decimal("234.50"),
                "penalty": Decimal("12.30"), "fees": Decimal("0.00"),
                "total_owed": Decimal("12592.47"), "currency": "CNY",
                "overdue_since": date(2026, 9, 1), "bucket": "M2", "received_at": NOW,
            }
            for n in range(start, min(start + chunk, cases))
        ]  # fmt: skip
        with db.engine.begin() as conn:
            conn.execute(insert(Case.__table__), rows)
    db.dispose()


def main(cases: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        data, restored = root / "var", root / "restored"
        data.mkdir()
        urls = {"intake": f"sqlite:///{data / 'intake.db'}"}
        started = time.perf_counter()
        fill(urls["intake"], cases)
        filled = time.perf_counter() - started
        size = (data / "intake.db").stat().st_size
        started = time.perf_counter()
        folder = backup(data, root / "backups", urls, NOW)
        backed_up = time.perf_counter() - started
        approval = Approval(by="hq-1", at=NOW, why="bench", backup=folder.name)
        started = time.perf_counter()
        restore(folder, restored, {"intake": f"sqlite:///{restored / 'intake.db'}"}, approval)
        restored_in = time.perf_counter() - started
        print(
            f"{cases} cases, database {size / 1e6:.0f} MB: filled in {filled:.0f} s, "
            f"backup {backed_up:.1f} s, restore (manifest check + copy) {restored_in:.1f} s"
        )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
