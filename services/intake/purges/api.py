"""``POST /clients/{client_id}/purges``: an admin orders the 5-year purge of a client."""

from __future__ import annotations

from fastapi import APIRouter, Request, status

from services.intake.access import BACK_OFFICE_WRITES, NOT_FOUND, problem
from services.intake.purges import service
from services.intake.purges.schemas import PurgeOrder, PurgeOrdered
from shared.auth.web import ClientInScopeDep, PrincipalDep
from shared.web.deps import WorkDep

router = APIRouter(prefix="/clients/{client_id}/purges", tags=["purges"])


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
    order, removed = service.order_purge(uow, settings, scoped, principal.subject, body.reason)
    return PurgeOrdered(
        purge_id=order.purge_id,
        client_id=order.client_id,
        retention_until=order.retention_until,
        ordered_by=order.ordered_by,
        ordered_at=order.ordered_at,
        removed_here=removed,
    )
