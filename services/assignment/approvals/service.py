"""Requests for a supervisor's approval and their decisions. Never commits: the boundary
does, so a grant and its effect are one transaction."""

from __future__ import annotations

import uuid

from sqlmodel import Session, select

from services.assignment.approvals.domain import (
    MANY_AT_ONCE,
    DecisionRefused,
    Kind,
    Request,
    RequestInvalid,
    Status,
    check_request,
    decide,
)
from services.assignment.approvals.effects import effect_of
from services.assignment.approvals.models import Approval as Approval
from services.assignment.models import AssignedCase
from services.assignment.placing.service import managed_case_in
from services.assignment.strategy.service import local_day
from services.assignment.teams.service import supervised_teams
from shared.auth.principal import Principal
from shared.bus.work import UnitOfWork
from shared.errors import Conflict, NotFound, ProblemError
from shared.events.catalog import ApprovalGranted, ApprovalRejected, ApprovalRequested


def request_approval(
    uow: UnitOfWork, case: AssignedCase, request: Request, *, visit_id: str | None = None
) -> Approval:
    """File a request on a case, announced as ``ApprovalRequested``."""
    try:
        check_request(request, local_day(uow.now))
    except RequestInvalid as exc:
        raise ProblemError(422, str(exc)) from exc
    if request.kind not in MANY_AT_ONCE and _pending(uow.session, case.id, request.kind):
        raise Conflict(f"a {request.kind.value} request on this case is already pending")
    approval = Approval(
        id=str(uuid.uuid4()),
        case_id=case.id,
        client_id=case.client_id,
        team_id=case.team_id,
        kind=request.kind.value,
        status=Status.PENDING.value,
        reason=request.reason,
        next_steps=request.next_steps,
        amount=request.amount,
        until=request.until,
        visit_id=visit_id,
        requested_by=request.requested_by,
        requested_at=uow.now,
    )
    uow.session.add(approval)
    uow.session.flush()
    uow.emit(
        ApprovalRequested(
            approval_id=approval.id,
            kind=approval.kind,
            reason=approval.reason,
            next_steps=approval.next_steps,
            amount=approval.amount,
            requested_by=approval.requested_by,
            requested_at=uow.now,
        ),
        case_id=case.id,
    )
    return approval


def _pending(session: Session, case_id: str, kind: Kind) -> bool:
    found = session.exec(
        select(Approval.id).where(
            Approval.case_id == case_id,
            Approval.kind == kind.value,
            Approval.status == Status.PENDING.value,
        )
    ).first()
    return found is not None


def decidable(session: Session, principal: Principal, approval_id: str) -> Approval:
    """The request, if its case is one the caller manages; 404 otherwise."""
    approval = session.get(Approval, approval_id)
    if approval is None:
        raise NotFound("approval")
    try:
        managed_case_in(session, supervised_teams(session, principal), approval.case_id)
    except NotFound:
        raise NotFound("approval") from None
    return approval


def _decide(uow: UnitOfWork, principal: Principal, approval: Approval, *, grant: bool) -> None:
    try:
        status = decide(
            Status(approval.status), approval.requested_by, principal.subject, grant=grant
        )
    except DecisionRefused as exc:
        raise Conflict(str(exc)) from exc
    approval.status = status.value
    approval.decided_by, approval.decided_at = principal.subject, uow.now


def grant(uow: UnitOfWork, principal: Principal, approval_id: str, note: str | None) -> Approval:
    """Approve a request and let it take effect, in the same transaction."""
    approval = decidable(uow.session, principal, approval_id)
    _decide(uow, principal, approval, grant=True)
    approval.decision_note = note
    take_effect(uow, approval)
    uow.session.add(approval)
    uow.emit(
        ApprovalGranted(
            approval_id=approval.id,
            kind=approval.kind,
            approved_by=principal.subject,
            decided_at=uow.now,
        ),
        case_id=approval.case_id,
    )
    return approval


def reject(uow: UnitOfWork, principal: Principal, approval_id: str, reason: str) -> Approval:
    approval = decidable(uow.session, principal, approval_id)
    _decide(uow, principal, approval, grant=False)
    approval.decision_note = reason
    effect = effect_of(uow, Kind(approval.kind))
    if effect is not None and effect.rejected is not None:
        effect.rejected(uow, approval, reason, principal.subject)
    uow.session.add(approval)
    uow.emit(
        ApprovalRejected(
            approval_id=approval.id,
            kind=approval.kind,
            rejected_by=principal.subject,
            reason=reason,
            decided_at=uow.now,
        ),
        case_id=approval.case_id,
    )
    return approval


def take_effect(uow: UnitOfWork, approval: Approval) -> None:
    """What a granted request changes: an extension moves the case's end date here; the
    kind's owner does the rest (``approvals.effects``); waivers and clients' requests are
    the granted record."""
    kind = Kind(approval.kind)
    case = uow.session.get(AssignedCase, approval.case_id)
    if case is None:
        raise NotFound("case")
    if kind is Kind.EXTENSION:
        case.extended_until = approval.until
    else:
        effect = effect_of(uow, kind)
        if effect is not None:
            effect.granted(uow, approval, case)
    uow.session.add(case)
