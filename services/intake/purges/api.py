"""``POST /clients/{client_id}/purges``: an admin orders the 5-year purge of a client."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Request, status
from pydantic import BaseModel, Field

from services.intake import purging
from services.intake.api.common import BACK_OFFICE_WRITES, NOT_FOUND, problem
from shared.auth.web import ClientInScopeDep, PrincipalDep
from shared.clock import UtcDatetime
from shared.web.deps import WorkDep

router = APIRouter(prefix="/clients/{client_id}/purges", tags=["purges"])


class PurgeOrder(BaseModel):
    reason: str = Field(
        min_length=3, max_length=2000, description="Why now, e.g. the retention period ended"
    )


class PurgeOrdered(BaseModel):
    purge_id: str
    client_id: str
    retention_until: date = Field(description="The latest agreement's end date + 5 years")
    ordered_by: str
    ordered_at: UtcDatetime
    removed_here: dict[str, int] = Field(
        description="What intake removed; the other services report at /admin/purges"
    )


@router.post(
    "",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=PurgeOrdered,
    summary="Order the purge of a client's debtors' personal data and files (admins and HQ)",
    dependencies=[BACK_OFFICE_WRITES],
    responses={
        **NOT_FOUND,
        409: problem("Retention has not ended (the date is in the detail), or purged before"),
    },
)
def order_purge(
    request: Request,
    scoped: ClientInScopeDep,
    body: PurgeOrder,
    principal: PrincipalDep,
    uow: WorkDep,
) -> PurgeOrdered:
    settings = request.app.state.runtime.settings
    order, removed = purging.order_purge(uow, settings, scoped, principal.subject, body.reason)
    return PurgeOrdered(
        purge_id=order.purge_id,
        client_id=order.client_id,
        retention_until=order.retention_until,
        ordered_by=order.ordered_by,
        ordered_at=order.ordered_at,
        removed_here=removed,
    )
