"""The first-contact clock as a supervisor sees it: late first attempts, and cases still
waiting for one past their deadline, for the cases they oversee."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel
from sqlalchemy import func, select

from services.contact.access import OVERSEERS, overseen
from services.contact.models import ContactCase
from shared.auth.web import PrincipalDep, access
from shared.clock import UtcDatetime
from shared.web.deps import ReaderDep, RuntimeDep

router = APIRouter(prefix="/first-contact", tags=["first contact"])


class FirstContactSummary(BaseModel):
    as_of: UtcDatetime
    first_attempts: int
    late_first_attempts: int
    overdue_without_attempt: int
    overdue_case_ids: list[str]


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
    count = select(func.count()).select_from(ContactCase)
    made = session.execute(
        overseen(count.where(ContactCase.first_attempt_at.is_not(None)), principal)
    ).scalar_one()
    late = session.execute(
        overseen(count.where(ContactCase.first_attempt_late.is_(True)), principal)
    ).scalar_one()
    overdue = list(
        session.execute(
            overseen(
                select(ContactCase.id)
                .where(
                    ContactCase.first_attempt_at.is_(None),
                    ContactCase.first_contact_due_at <= now,
                )
                .order_by(ContactCase.first_contact_due_at),
                principal,
            )
        ).scalars()
    )
    return FirstContactSummary(
        as_of=now,
        first_attempts=made,
        late_first_attempts=late,
        overdue_without_attempt=len(overdue),
        overdue_case_ids=overdue[:200],
    )
