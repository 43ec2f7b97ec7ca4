"""The one place that tells approvals what each granted or rejected kind changes, in the
feature that owns it; main imports it. Approvals itself imports no other feature."""

from __future__ import annotations

from services.assignment.agencies import service as agencies
from services.assignment.approvals.domain import Kind
from services.assignment.approvals.effects import ApprovalEffects, Effect, OnGranted
from services.assignment.approvals.models import Approval
from services.assignment.closing import service as closing
from services.assignment.closing.domain import Outcome
from services.assignment.field_visits import service as field_visits
from services.assignment.models import AssignedCase
from services.assignment.strategy import service as strategy
from services.assignment.strategy.domain import Treatment
from shared.bus.work import UnitOfWork


def _treatment(treatment: Treatment) -> OnGranted:
    def granted(uow: UnitOfWork, approval: Approval, case: AssignedCase) -> None:
        strategy.grant_treatment(case, treatment, approval.decided_by, uow.now)

    return granted


def _write_off(uow: UnitOfWork, approval: Approval, case: AssignedCase) -> None:
    closing.close_case(uow, case.id, Outcome.WRITTEN_OFF, f"write-off approved: {approval.reason}")


def _placement_granted(uow: UnitOfWork, approval: Approval, case: AssignedCase) -> None:
    agencies.placement_approved(uow, approval.id, approval.reason, approval.decided_by or "")


def _placement_rejected(uow: UnitOfWork, approval: Approval, reason: str, by: str) -> None:
    agencies.placement_rejected(uow, approval.id, reason, by)


def _visit_delayed(uow: UnitOfWork, approval: Approval, case: AssignedCase) -> None:
    if approval.visit_id and approval.until:
        field_visits.delay_visit(uow.session, approval.visit_id, approval.until)


EFFECTS = ApprovalEffects(
    {
        Kind.LEGAL_ACTION: Effect(_treatment(Treatment.LITIGATION)),
        Kind.SETTLEMENT_IN_KIND: Effect(_treatment(Treatment.SETTLEMENT_IN_KIND)),
        Kind.SECURED_ARRANGEMENT: Effect(_treatment(Treatment.SECURED_ARRANGEMENT)),
        Kind.WRITE_OFF: Effect(_write_off),
        Kind.AGENCY_PLACEMENT: Effect(_placement_granted, _placement_rejected),
        Kind.VISIT_DELAY: Effect(_visit_delayed),
    }
)
