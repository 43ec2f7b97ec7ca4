"""Letters rendered and stored per second for a batch of cases (``--only letters``): the
service's own batch path — content, Typst PDF on ``render_threads`` threads, two fsynced
copies by SHA-256 written beside the renders, the letter row and its ``LetterIssued`` in
the outbox — on SQLite, 500 letters per transaction."""

from __future__ import annotations

import tempfile
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from services.letters.domain.kinds import KINDS
from services.letters.issuing.models import Letter
from services.letters.issuing.service import Request, draft, issue_all
from services.letters.letterheads.models import Letterhead
from services.letters.letterheads.store import Letterheads
from services.letters.main import create_app
from services.letters.models import LetterCase
from services.letters.settings import LettersSettings
from shared.db import migrate
from shared.events import new_event
from shared.events.catalog import CaseImported, Debt, Person

NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)
PER_TRANSACTION = 500


@dataclass
class LetterFigures:
    cases: int
    seconds: float
    bytes_per_letter: float

    @property
    def rate(self) -> float:
        return self.cases / self.seconds


def _imported(n: int) -> Any:
    return new_event(
        CaseImported(
            client_id="BENCH",
            batch_id="b",
            account_ref=f"ACC-{n:07d}",
            debtor=Person(name=f"测试债务人{n}"),
            debt=Debt(
                total_owed=Decimal("1000") + n,
                principal=Decimal("900"),
                interest=Decimal("100") + n,
            ),
            overdue_since=date(2026, 11, 1),
            received_at=NOW,
            home_address="上海市示例路 1 号",
        ),
        occurred_at=NOW,
        case_id=str(uuid.uuid4()),
    )


def measure(cases: int = 10_000) -> LetterFigures:
    with tempfile.TemporaryDirectory() as folder:
        settings = LettersSettings(
            environment="test",
            database_url=f"sqlite:///{Path(folder) / 'letters.db'}",
            data_dir=Path(folder),
            kafka_bootstrap_servers="127.0.0.1:1",
            log_json=False,
            log_level="WARNING",
        )
        runtime = create_app(settings, clock=lambda: NOW).state.runtime
        migrate(runtime.db, runtime.parts.migrations)
        for start in range(0, cases, 5000):
            runtime.dispatch([_imported(n) for n in range(start, min(start + 5000, cases))])
        with runtime.work() as uow:
            uow.session.add(
                Letterhead(
                    client_id="BENCH",
                    name="基准测试银行",
                    address="上海市",
                    phone="021-0000",
                    dispute_phone="400-000",
                    updated_at=NOW,
                    updated_by="bench",
                )
            )
        with runtime.db.reader() as session:
            ids = list(session.execute(select(LetterCase.id).order_by(LetterCase.id)).scalars())
        request = Request(KINDS["overdue_notice"], {}, "debtor")
        started = time.perf_counter()
        for start in range(0, len(ids), PER_TRANSACTION):
            with runtime.work() as uow:
                cases = uow.session.execute(
                    select(LetterCase)
                    .where(LetterCase.id.in_(ids[start : start + PER_TRANSACTION]))  # type: ignore[attr-defined]
                    .order_by(LetterCase.id)
                ).scalars()
                heads = Letterheads(uow.session)
                drafts = (draft(uow, settings, case, request, heads) for case in cases)
                issue_all(uow, settings, drafts, by="bench", why="batch")
        seconds = time.perf_counter() - started
        with runtime.db.reader() as session:
            size = session.execute(select(func.avg(Letter.size_bytes))).scalar() or 0
        runtime.db.dispose()
        return LetterFigures(cases=len(ids), seconds=seconds, bytes_per_letter=float(size))


def report(figures: LetterFigures) -> str:
    return (
        f"letters: {figures.cases} overdue notices rendered and stored in {figures.seconds:.1f} s "
        f"= {figures.rate:.0f} letters/s (aim >= 150), "
        f"{figures.bytes_per_letter / 1024:.1f} KiB a letter (aim <= 60 KiB)"
    )
