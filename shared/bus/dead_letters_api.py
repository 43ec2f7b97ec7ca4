"""``/admin/dead-letters``: what this service dead-lettered, for admins to list, replay
after a fix, or discard with a reason (every call is in the audit trail)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query, Request
from pydantic import BaseModel, Field

from shared.auth.principal import Role, Scope
from shared.auth.web import PrincipalDep, access
from shared.bus import dead_letters as dl
from shared.bus.apply import BatchApplier, Delivery
from shared.clock import UtcDatetime
from shared.errors import ProblemError
from shared.runtime import Runtime
from shared.web.deps import runtime_of

ADMIN = access(Role.ADMIN)
# Dead letters belong to the service, not to a team: an admin reaches all of them.
ADMIN_WRITES = access(Role.ADMIN, scope=Scope.ALL)
DEAD_LETTERS_TAG = {
    "name": "dead letters",
    "description": "Events this service could not handle: list, replay after a fix, discard.",
}

Status = Literal["waiting", "replayed", "discarded"]


class DeadLetterOut(BaseModel):
    id: int
    event_id: str | None = Field(description="None when the message did not decode")
    event_type: str
    topic: str
    partition: int
    offset: int
    error: str
    dead_lettered_at: UtcDatetime
    status: Status
    replays: int
    resolved_at: UtcDatetime | None
    resolved_by: str | None
    reason: str | None


class DeadLetterPage(BaseModel):
    service: str
    waiting: int = Field(description="Dead letters neither replayed nor discarded")
    items: list[DeadLetterOut]
    next_after_id: int | None = Field(description="Pass as after_id for the next page")


class ReplayOut(BaseModel):
    dead_letter: DeadLetterOut
    applied: bool = Field(description="False when the inbox had it already (applied before)")


class DiscardIn(BaseModel):
    reason: str = Field(min_length=3, max_length=2000, description="Why it is not replayed")


MAX_ID = 2**63 - 1
LetterId = Annotated[int, Path(ge=1, le=MAX_ID, description="The dead letter's id")]


def _table(runtime: Runtime) -> Any:
    return runtime.parts.tables.dead_letters


def _one(runtime: Runtime, letter_id: int) -> Any:
    table = _table(runtime)
    with runtime.db.reader() as session:
        row = session.execute(table.select().where(table.c.id == letter_id)).first()
    if row is None:
        raise ProblemError(404, f"dead letter {letter_id} not found")
    return row


def _out(row: Any) -> DeadLetterOut:
    return DeadLetterOut.model_validate(row, from_attributes=True)


def dead_letters_router() -> APIRouter:
    router = APIRouter(prefix="/admin/dead-letters", tags=["dead letters"])

    @router.get(
        "",
        response_model=DeadLetterPage,
        summary="Dead letters, oldest first, filtered and keyset-paged",
        dependencies=[ADMIN],
    )
    def list_dead_letters(
        request: Request,
        status: Status | None = Query(default=None),
        event_type: str | None = Query(default=None, max_length=64),
        topic: str | None = Query(default=None, max_length=200),
        after_id: int | None = Query(
            default=None, ge=0, le=MAX_ID, description="Last id of the page before"
        ),
        limit: int = Query(default=100, ge=1, le=1000),
    ) -> DeadLetterPage:
        runtime = runtime_of(request)
        table = _table(runtime)
        chosen = dl.Filter(status, event_type, topic, after_id, limit)
        with runtime.db.reader() as session:
            rows = dl.page(session, table, chosen)
            count = dl.publish_gauge(session, table, runtime.settings.service_name)
        return DeadLetterPage(
            service=runtime.settings.service_name,
            waiting=count,
            items=[_out(r) for r in rows],
            next_after_id=rows[-1].id if len(rows) == limit else None,
        )

    @router.post(
        "/{letter_id}/replay",
        response_model=ReplayOut,
        summary="Apply a dead letter again (after the fix); applied once however often called",
        dependencies=[ADMIN_WRITES],
        responses={404: {"description": "No such dead letter"}, 409: {"description": "Refused"}},
    )
    def replay(request: Request, letter_id: LetterId, principal: PrincipalDep) -> ReplayOut:
        runtime = runtime_of(request)
        table = _table(runtime)
        row = _one(runtime, letter_id)
        if row.status == dl.DISCARDED:
            raise ProblemError(409, f"dead letter {letter_id} was discarded: {row.reason}")
        applier = BatchApplier(
            runtime.db,
            runtime.parts.tables,
            runtime.handlers,
            runtime.clock,
            service=None,
            context=runtime.context,
        )
        outcome = applier.apply(
            [
                Delivery(
                    value=row.body,
                    topic=row.topic,
                    partition=row.partition,
                    offset=row.offset,
                    key=row.message_key.encode() if row.message_key else None,
                )
            ]
        )
        service = runtime.settings.service_name
        if outcome.rejected:
            error = outcome.rejected[0].error
            with runtime.db.transaction() as session:
                dl.failed_again(session, table, letter_id, error)
            raise ProblemError(409, f"dead letter {letter_id} failed again: {error}")
        with runtime.db.transaction() as session:
            dl.resolve(session, table, letter_id, dl.REPLAYED, principal.subject, runtime.clock())
            dl.publish_gauge(session, table, service)
        if outcome.emitted:
            runtime.relay.wake()
        return ReplayOut(
            dead_letter=_out(_one(runtime, letter_id)), applied=outcome.handled_count > 0
        )

    @router.post(
        "/{letter_id}/discard",
        response_model=DeadLetterOut,
        summary="Give up on a dead letter, saying why",
        dependencies=[ADMIN_WRITES],
        responses={404: {"description": "No such dead letter"}, 409: {"description": "Refused"}},
    )
    def discard(
        request: Request, letter_id: LetterId, body: DiscardIn, principal: PrincipalDep
    ) -> DeadLetterOut:
        runtime = runtime_of(request)
        table = _table(runtime)
        row = _one(runtime, letter_id)
        if row.status != dl.WAITING:
            raise ProblemError(409, f"dead letter {letter_id} is {row.status}, not waiting")
        now: datetime = runtime.clock()
        with runtime.db.transaction() as session:
            dl.resolve(session, table, letter_id, dl.DISCARDED, principal.subject, now, body.reason)
            dl.publish_gauge(session, table, runtime.settings.service_name)
        return _out(_one(runtime, letter_id))

    return router
