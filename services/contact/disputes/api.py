"""A case's disputes (raised by logging an attempt with a dispute or fraud claim), and
their resolution by a supervisor, with the evidence it rests on."""

from __future__ import annotations

from fastapi import APIRouter

from services.contact.access import DeskCaseDep, DeskPrincipalDep
from services.contact.cases import store as cases
from services.contact.disputes import store
from services.contact.disputes.schemas import DisputePublic, DisputeResolution
from services.contact.disputes.service import dispute_on, resolve
from shared.auth.principal import Role, Scope
from shared.auth.web import ANY_STAFF, access
from shared.errors import NotFound, Problem
from shared.web.deps import ReaderDep, WorkDep

router = APIRouter(prefix="/cases", tags=["disputes"])


@router.get(
    "/{case_id}/disputes",
    response_model=list[DisputePublic],
    summary="The case's disputes, open and resolved",
    dependencies=[ANY_STAFF],
    responses={404: {"model": Problem}},
)
def list_disputes(case: DeskCaseDep, session: ReaderDep) -> list[DisputePublic]:
    return [
        DisputePublic.model_validate(r, from_attributes=True)
        for r in store.disputes_of(session, case.id)
    ]


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
    dispute = dispute_on(uow.session, case.id, dispute_id)
    current = cases.case(uow.session, case.id)
    if dispute is None or current is None:
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
