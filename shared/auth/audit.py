"""The audit trail: who read or changed which case, client or report, when and from where.

One row per authenticated request, taken after the response by a middleware, so the
outcome (HTTP status) is known. While the service runs, rows are written in batches — one
write transaction every few milliseconds instead of one per request, which on SQLite would
queue behind every other writer and double the cost of a read. Reading the trail and
stopping the service write what is pending first. Rows are only ever inserted; nothing
deletes them: they are kept with the case.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from contextlib import suppress
from datetime import datetime
from typing import Any

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel
from sqlalchemy import Table, select
from sqlalchemy.exc import OperationalError
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shared.auth.principal import EVERYTHING, Principal
from shared.auth.web import access
from shared.clock import UtcDatetime
from shared.logging import correlation_id_var, get_logger

log = get_logger(__name__)


class AuditTrail:
    """Rows of finished requests, written in batches by ``run`` (or at once when it is not
    running, e.g. before the lifespan starts)."""

    def __init__(
        self,
        db: Any,
        table: Table,
        clock: Callable[[], datetime],
        *,
        gather_seconds: float = 0.02,
    ) -> None:
        self.db = db
        self.table = table
        self.clock = clock
        self.gather_seconds = gather_seconds
        self._pending: list[dict[str, Any]] = []
        self._lock = threading.Lock()
        self._writing = threading.Lock()
        self._wake: asyncio.Event | None = None

    async def record(self, row: dict[str, Any]) -> None:
        with self._lock:
            self._pending.append({"at": self.clock(), **row})
        if self._wake is not None:
            self._wake.set()
        else:
            await asyncio.to_thread(self.flush)

    def flush(self) -> int:
        """Write every pending row in one transaction. A flush waits for one under way, so
        after it returns every row recorded before the call is committed (reading the trail
        relies on it). When the batch fails, rows are tried one by one: a row the database
        refuses for its content is logged and dropped — it must not block the trail — and
        rows that fail for the database's own reasons stay pending and the error is raised."""
        with self._writing:
            with self._lock:
                rows, self._pending = self._pending, []
            if not rows:
                return 0
            try:
                self._insert(rows)
                return len(rows)
            except OperationalError:
                self._keep(rows)
                raise
            except Exception:
                return self._one_by_one(rows)

    def _one_by_one(self, rows: list[dict[str, Any]]) -> int:
        written = 0
        for index, row in enumerate(rows):
            try:
                self._insert([row])
                written += 1
            except OperationalError:
                self._keep(rows[index:])
                raise
            except Exception as exc:
                log.error("audit_row_refused", error=str(exc)[:300], path=str(row["path"])[:100])
        return written

    def _insert(self, rows: list[dict[str, Any]]) -> None:
        with self.db.transaction() as session:
            session.execute(self.table.insert(), rows)

    def _keep(self, rows: list[dict[str, Any]]) -> None:
        with self._lock:
            self._pending[:0] = rows

    async def run(self, stop: asyncio.Event) -> None:
        self._wake = asyncio.Event()
        try:
            while not stop.is_set():
                with suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), timeout=1.0)
                self._wake.clear()
                await asyncio.sleep(self.gather_seconds)
                await self._flush_logged()
        finally:
            self._wake = None
            await self._flush_logged()

    async def _flush_logged(self) -> None:
        try:
            await asyncio.to_thread(self.flush)
        except Exception as exc:
            log.error("audit_write_failed", error=str(exc)[:300], pending=len(self._pending))


class AuditMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        status = {"code": 500}

        async def capture(message: Message) -> None:
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, capture)
        finally:
            state: dict[str, Any] = scope.get("state") or {}
            principal = state.get("principal")
            if isinstance(principal, Principal):
                row = _row(scope, state, principal, status["code"])
                try:
                    await scope["app"].state.runtime.audit.record(row)
                except Exception as exc:
                    log.error("audit_write_failed", error=str(exc)[:300], path=row["path"])


def _row(scope: Scope, state: dict[str, Any], principal: Principal, status: int) -> dict[str, Any]:
    method = scope.get("method", "")
    client = scope.get("client")
    return {
        "subject": principal.subject[:64],
        "subject_kind": principal.kind,
        "role": principal.role.value if principal.role else None,
        "action": "read" if method in ("GET", "HEAD") else "change",
        "method": method,
        "path": scope.get("path", "")[:500],
        "case_id": state.get("audit_case_id"),
        "client_id": state.get("audit_client_id") or principal.client_id,
        "outcome": str(status),
        "source_ip": client[0] if client else None,
        "correlation_id": correlation_id_var.get(),
    }


class AuditEntry(BaseModel):
    id: int
    at: UtcDatetime
    subject: str
    subject_kind: str
    role: str | None
    action: str
    method: str
    path: str
    case_id: str | None
    client_id: str | None
    outcome: str
    source_ip: str | None
    correlation_id: str | None


def audit_router() -> APIRouter:
    router = APIRouter(prefix="/audit", tags=["audit"])

    @router.get(
        "",
        response_model=list[AuditEntry],
        summary="Who read or changed what, newest first (admins and HQ)",
        dependencies=[access(EVERYTHING)],
    )
    def list_audit(
        request: Request,
        case_id: str | None = Query(default=None, max_length=36),
        subject: str | None = Query(default=None, max_length=64),
        limit: int = Query(default=100, ge=1, le=1000),
    ) -> list[AuditEntry]:
        runtime = request.app.state.runtime
        runtime.audit.flush()
        table = runtime.parts.security.audit_log
        query = select(table).order_by(table.c.id.desc()).limit(limit)
        if case_id is not None:
            query = query.where(table.c.case_id == case_id)
        if subject is not None:
            query = query.where(table.c.subject == subject)
        with runtime.db.reader() as session:
            return [
                AuditEntry.model_validate(r, from_attributes=True) for r in session.execute(query)
            ]

    return router
