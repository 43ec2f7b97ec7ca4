"""The first-contact clock as a supervisor sees it: late first attempts, and cases still
waiting for one past their deadline, for the cases they oversee."""

from __future__ import annotations

from fastapi import APIRouter

from services.contact.access import OVERSEERS
from services.contact.first_contact import store
from services.contact.first_contact.schemas import FirstContactSummary
from shared.auth.web import PrincipalDep, access
from shared.web.deps import ReaderDep, RuntimeDep

router = APIRouter(prefix="/first-contact", tags=["first contact"])


@router.get(
    "/summary",
    response_model=FirstContactSummary,
    summary="First attempts made late, and cases past their first-contact deadline",
    dependencies=[access(OVERSEERS)],
)
def summary(
    principal: PrincipalDep, session: ReaderDep, runtime: RuntimeDep
) -> FirstContactSummary:
    now = runtime.clock()
    overdue = store.overdue_without_attempt(session, principal, now)
    return FirstContactSummary(
        as_of=now,
        first_attempts=store.first_attempts(session, principal),
        late_first_attempts=store.late_first_attempts(session, principal),
        overdue_without_attempt=len(overdue),
        overdue_case_ids=overdue[:200],
    )
