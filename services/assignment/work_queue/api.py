"""Routes for the work queue: a collector's open cases with the next action and its due
time, most urgent first."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, Field
from sqlmodel import Session

from services.assignment.work_queue import service
from shared.auth.principal import BRANCH_WIDE, COLLECTORS, EVERYTHING, TEAM_WIDE
from shared.auth.web import PrincipalDep, access
from shared.clock import UtcDatetime, as_utc, to_local
from shared.errors import Problem
from shared.pastdue import Bucket, bucket_on
from shared.web.deps import ReaderDep, RuntimeDep
from shared.web.paging import CURSOR_PATTERN, After, Limit

work_queue = APIRouter(tags=["work queue"])

READERS = access(COLLECTORS, TEAM_WIDE, BRANCH_WIDE, EVERYTHING)


class QueueItem(BaseModel):
    case_id: str
    client_id: str
    collector_id: str
    team_id: str | None
    next_action: str | None
    next_channel: str | None
    next_action_due: UtcDatetime | None
    overdue: bool = Field(description="The next action's due time has passed")
    product_type: str | None
    bucket: Bucket = Field(description="Today (shared.pastdue): M0, M1 (1–30 days) … M7+")
    amount: Decimal | None
    treatment: str | None
    assigned_at: UtcDatetime | None


class QueuePage(BaseModel):
    items: list[QueueItem]
    next_cursor: str | None = Field(
        description="Pass as `after` for the next page; null at the end", pattern=CURSOR_PATTERN
    )


def _page(
    session: Session, now: datetime, scope: list[Any], limit: int, after: str | None
) -> QueuePage:
    rows, cursor = service.page(session, scope, limit, after)
    return QueuePage(
        items=[
            QueueItem(
                case_id=r.id,
                client_id=r.client_id,
                collector_id=r.collector_id,
                team_id=r.team_id,
                next_action=r.next_action,
                next_channel=r.next_channel,
                next_action_due=r.next_action_due,
                overdue=r.next_action_due is not None and as_utc(r.next_action_due) < now,
                product_type=r.product_type,
                bucket=bucket_on(r.overdue_since, to_local(now).date()),
                amount=r.amount,
                treatment=r.treatment,
                assigned_at=r.assigned_at,
            )
            for r in rows
        ],
        next_cursor=cursor,
    )


@work_queue.get(
    "/work-queue",
    response_model=QueuePage,
    summary="Your work queue: open cases with next action and due time, most urgent first",
    description="A collector sees their own cases; team leads and supervisors their teams'; "
    "branch managers their branch's; admins and HQ everyone's. Keyset pages: pass "
    "`next_cursor` as `after`.",
    dependencies=[READERS],
    responses={422: {"model": Problem}},
)
def my_queue(
    principal: PrincipalDep,
    session: ReaderDep,
    runtime: RuntimeDep,
    limit: Limit = 50,
    after: After = None,
) -> QueuePage:
    scope = service.caller_scope(session, principal)
    return _page(session, runtime.clock(), scope, limit, after)


@work_queue.get(
    "/staff/{staff_id}/work-queue",
    response_model=QueuePage,
    summary="One collector's work queue, if you may see it (else 404)",
    description="Collectors: only their own. Team leads and supervisors: their teams' "
    "collectors. Branch managers: their branch's. Admins and HQ: anyone's.",
    dependencies=[READERS],
    responses={404: {"model": Problem}, 422: {"model": Problem}},
)
def collector_queue(
    staff_id: str,
    principal: PrincipalDep,
    session: ReaderDep,
    runtime: RuntimeDep,
    limit: Limit = 50,
    after: After = None,
) -> QueuePage:
    member = service.collector_in_scope(session, principal, staff_id)
    scope = [service.CASES.c.collector_id == member.id]
    return _page(session, runtime.clock(), scope, limit, after)
