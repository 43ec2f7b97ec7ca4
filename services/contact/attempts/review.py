"""Late entries as a supervisor reads them: attempts logged long after the time they
state, with the collector's reason, for the cases the reader oversees."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from services.contact.access import OVERSEERS
from services.contact.attempts import store
from services.contact.attempts.schemas import AttemptPublic
from shared.auth.web import PrincipalDep, access
from shared.web.deps import ReaderDep

router = APIRouter(tags=["contact log"])


@router.get(
    "/late-entries",
    response_model=list[AttemptPublic],
    summary="Attempts logged long after their stated time, for the supervisor (latest first)",
    description="An attempt whose `started_at` lies more than `CONTACT_LATE_ENTRY_MINUTES` "
    "before it was logged carries `late_entry: true` and the collector's "
    "`late_entry_reason`; compare `started_at` with `logged_at`.",
    dependencies=[access(OVERSEERS)],
)
def late_entries(
    principal: PrincipalDep,
    session: ReaderDep,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> list[AttemptPublic]:
    return [
        AttemptPublic.model_validate(r, from_attributes=True)
        for r in store.late_entries(session, principal, limit)
    ]
