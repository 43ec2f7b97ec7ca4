"""Routes for the work queue: a collector's open cases with the next action and its due
time, most urgent first."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Request
from sqlmodel import Session
from starlette.responses import Response

from services.assignment.work_queue import service
from services.assignment.work_queue.schemas import QueuePage
from shared.auth.principal import BRANCH_WIDE, COLLECTORS, EVERYTHING, TEAM_WIDE, Principal
from shared.auth.web import access
from shared.clock import as_utc, to_local
from shared.errors import Problem
from shared.pastdue import bucket_on
from shared.web.paging import After, Limit
from shared.web.sessions import json_answer, read

work_queue = APIRouter(tags=["work queue"])

READERS = access(COLLECTORS, TEAM_WIDE, BRANCH_WIDE, EVERYTHING)


def _page(
    session: Session, now: datetime, scope: list[Any], limit: int, after: str | None
) -> dict[str, Any]:
    """A ``QueuePage`` as plain data, in the model's field order (``json_answer``)."""
    rows, cursor = service.page(session, scope, limit, after)
    today = to_local(now).date()
    items = []
    # Unpacked in ``service.SHOWN``'s order: a row's attributes cost a lookup each.
    for (
        case_id, client_id, collector_id, team_id, next_action, next_channel, due,
        product_type, overdue_since, amount, treatment, assigned_at,
    ) in rows:  # fmt: skip
        due = as_utc(due) if due is not None else None
        items.append(
            {
                "case_id": case_id,
                "client_id": client_id,
                "collector_id": collector_id,
                "team_id": team_id,
                "next_action": next_action,
                "next_channel": next_channel,
                "next_action_due": due,
                "overdue": due is not None and due < now,
                "product_type": product_type,
                "bucket": bucket_on(overdue_since, today),
                "amount": amount,
                "treatment": treatment,
                "assigned_at": as_utc(assigned_at) if assigned_at is not None else None,
            }
        )
    return {"items": items, "next_cursor": cursor}


@work_queue.get(
    "/work-queue",
    response_model=QueuePage,
    summary="Your work queue: open cases with next action and due time, most urgent first",
    description="A collector sees their own cases; team leads and supervisors their teams'; "
    "branch managers their branch's; admins and HQ everyone's. Keyset pages: pass "
    "`next_cursor` as `after`.",
    responses={422: {"model": Problem}},
)
async def my_queue(
    request: Request,
    principal: Annotated[Principal, READERS],
    limit: Limit = 50,
    after: After = None,
) -> Response:
    now = as_utc(request.app.state.runtime.clock())

    def queue(session: Session) -> dict[str, Any]:
        return _page(session, now, service.caller_scope(session, principal), limit, after)

    return json_answer(await read(request, queue))


@work_queue.get(
    "/staff/{staff_id}/work-queue",
    response_model=QueuePage,
    summary="One collector's work queue, if you may see it (else 404)",
    description="Collectors: only their own. Team leads and supervisors: their teams' "
    "collectors. Branch managers: their branch's. Admins and HQ: anyone's.",
    responses={404: {"model": Problem}, 422: {"model": Problem}},
)
async def collector_queue(
    request: Request,
    staff_id: str,
    principal: Annotated[Principal, READERS],
    limit: Limit = 50,
    after: After = None,
) -> Response:
    now = as_utc(request.app.state.runtime.clock())

    def queue(session: Session) -> dict[str, Any]:
        member = service.collector_in_scope(session, principal, staff_id)
        return _page(session, now, [service.CASES.c.collector_id == member.id], limit, after)

    return json_answer(await read(request, queue))
