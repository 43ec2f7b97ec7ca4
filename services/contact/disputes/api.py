"""A case's disputes (raised by logging an attempt with a dispute or fraud claim), and
their resolution by a supervisor, with the evidence it rests on."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter
from pydantic import BaseModel, Field, model_validator
from sqlalchemy import select

from services.contact.access import DeskCaseDep, DeskPrincipalDep
from services.contact.attempts.models import Dispute
from services.contact.disputes.service import resolve
from services.contact.models import ContactCase
from shared.auth.principal import Role, Scope
from shared.auth.web import ANY_STAFF, access
from shared.clock import UtcDatetime
from shared.errors import NotFound, Problem
from shared.web.deps import ReaderDep, WorkDep

router = APIRouter(prefix="/cases", tags=["disputes"])


class DisputePublic(BaseModel):
    id: str
    kind: str
    reason: str
    evidence: str | None
    attempt_id: str | None
    raised_at: UtcDatetime
    resolved_at: UtcDatetime | None
    outcome: str | None
    resolution: str | None
    resolution_evidence: str | None
    resolved_by: str | None


class DisputeResolution(BaseModel):
    outcome: Literal["upheld", "rejected", "withdrawn"] = Field(
        description="upheld: the debtor was right; rejected: the debt stands; withdrawn by the "
        "debtor"
    )
    resolution: str = Field(min_length=1, max_length=500, description="What was decided, why")
    evidence: str | None = Field(
        default=None,
        max_length=500,
        description="What the decision rests on (documents, statements); needed unless withdrawn",
    )

    @model_validator(mode="after")
    def _evidenced(self) -> DisputeResolution:
        if self.outcome != "withdrawn" and not (self.evidence or "").strip():
            raise ValueError("an upheld or rejected dispute needs the evidence it rests on")
        return self


@router.get(
    "/{case_id}/disputes",
    response_model=list[DisputePublic],
    summary="The case's disputes, open and resolved",
    dependencies=[ANY_STAFF],
    responses={404: {"model": Problem}},
)
def list_disputes(case: DeskCaseDep, session: ReaderDep) -> list[DisputePublic]:
    rows = session.execute(
        select(Dispute).where(Dispute.case_id == case.id).order_by(Dispute.raised_at.desc())
    ).scalars()
    return [DisputePublic.model_validate(r, from_attributes=True) for r in rows]


@router.post(
    "/{case_id}/disputes/{dispute_id}/resolution",
    response_model=DisputePublic,
    summary="Resolve a dispute (supervisors): contact on the case resumes",
    description="Keeps the outcome, the resolution and its evidence; emits `DisputeResolved`. "
    "A fraud or stolen-card claim upheld leaves the case `not_owed` (no contact); rejected "
    "or withdrawn returns it to `active`.",
    dependencies=[access(Role.SUPERVISOR, Role.ADMIN, scope=Scope.TEAM)],
    responses={404: {"model": Problem}, 409: {"model": Problem}},
)
def resolve_dispute(
    dispute_id: str,
    body: DisputeResolution,
    case: DeskCaseDep,
    principal: DeskPrincipalDep,
    uow: WorkDep,
) -> DisputePublic:
    dispute = uow.session.get(Dispute, dispute_id)
    current = uow.session.get(ContactCase, case.id)
    if dispute is None or dispute.case_id != case.id or current is None:
        raise NotFound("dispute")
    resolve(
        uow,
        current,
        dispute,
        outcome=body.outcome,
        resolution=body.resolution,
        evidence=(body.evidence or "").strip() or None,
        resolved_by=principal.subject,
    )
    return DisputePublic.model_validate(dispute, from_attributes=True)
