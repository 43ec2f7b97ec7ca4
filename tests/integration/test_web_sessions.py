"""The hot routes' sessions (shared/web/sessions.py) on SQLite and PostgreSQL: a read runs
on the event loop for SQLite and in a worker thread for PostgreSQL, and its connection is
back in the pool when it returns; a write commits before it returns and rolls back when
its work fails; the one-row write path (``execute_many``) remembers compiled statements
without carrying one statement's values into another."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest
from pydantic import BaseModel
from sqlalchemy import text
from sqlmodel import Session

from shared.clock import UtcDatetime
from shared.db import execute_many
from shared.runtime import Runtime
from shared.web.sessions import json_answer, read, write


def _request(runtime: Runtime) -> Any:
    """What the helpers use of a request: its app's runtime."""
    return SimpleNamespace(app=SimpleNamespace(state=SimpleNamespace(runtime=runtime)))


def test_a_read_runs_on_the_loop_for_sqlite_and_in_a_worker_for_postgresql(
    service_runtime: Callable[[str], Runtime],
) -> None:
    runtime = service_runtime("contact")
    threads: list[int] = []

    def work(session: Session) -> int:
        threads.append(threading.get_ident())
        return int(session.execute(text("SELECT 41 + 1")).scalar_one())

    async def main() -> int:
        return await read(_request(runtime), work)

    loop_thread = threading.get_ident()
    assert asyncio.run(main()) == 42
    on_loop = threads == [loop_thread]
    assert on_loop is runtime.db.is_sqlite
    assert runtime.db.engine.pool.checkedout() == 0, "the read's connection is given back"


def test_a_write_commits_before_it_returns_and_a_failed_one_leaves_nothing(
    service_runtime: Callable[[str], Runtime],
) -> None:
    runtime = service_runtime("contact")
    table = runtime.parts.security.case_visibility

    def add(case_id: str, fail: bool = False) -> Callable[[Any], str]:
        def work(uow: Any) -> str:
            uow.session.execute(table.insert().values(case_id=case_id, client_id="BANK-A"))
            if fail:
                raise ValueError("refused after writing")
            return case_id

        return work

    async def main() -> None:
        assert await write(_request(runtime), add("kept")) == "kept"
        with pytest.raises(ValueError):
            await write(_request(runtime), add("dropped", fail=True))

    asyncio.run(main())
    with runtime.db.reader() as session:
        kept = session.execute(table.select().order_by(table.c.case_id)).all()
    assert [row.case_id for row in kept] == ["kept"]
    assert runtime.db.engine.pool.checkedout() == 0


def test_one_row_writes_reuse_compiled_statements_but_never_their_values(
    service_runtime: Callable[[str], Runtime],
) -> None:
    runtime = service_runtime("contact")
    table = runtime.parts.security.case_visibility
    with runtime.db.transaction() as session:
        for n in range(3):
            execute_many(session, table.insert(), [{"case_id": f"c{n}", "client_id": "BANK-A"}])
        for client in ("BANK-B", "BANK-C"):
            statement = table.insert().values(client_id=client)
            execute_many(session, statement, [{"case_id": f"v-{client}"}])
    with runtime.db.reader() as session:
        rows = {r.case_id: r.client_id for r in session.execute(table.select())}
    assert rows == {
        "c0": "BANK-A",
        "c1": "BANK-A",
        "c2": "BANK-A",
        "v-BANK-B": "BANK-B",
        "v-BANK-C": "BANK-C",
    }


class Shown(BaseModel):
    at: UtcDatetime
    amount: Decimal
    note: str | None


def test_json_answers_write_what_a_response_model_would() -> None:
    data = {"at": datetime(2026, 11, 23, 2, 0, 5, 120, tzinfo=UTC), "amount": Decimal("12.30")}
    data["note"] = "张三 said 明天"
    answer = json_answer(data)
    assert answer.body == Shown.model_validate(data).model_dump_json().encode()
    assert answer.headers["content-type"] == "application/json"
