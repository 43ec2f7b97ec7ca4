"""What a placement does: the case goes to the agency collector with the fewest open cases
until the term ends, at once or once its approval is granted; a rejected one leaves the
case where it was. Approvals call ``approved``/``rejected`` in the decision's transaction.
Never commits."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from decimal import Decimal

from sqlmodel import Session, col, select

from services.assignment.agencies.models import Agency, AgencyPlacement
from services.assignment.models import AssignedCase, Staff, StaffStatus
from services.assignment.placing.by_hand import move_case
from shared.auth.principal import COLLECTORS
from shared.bus.work import UnitOfWork
from shared.errors import Conflict, NotFound
from shared.events.catalog import AgencyPlacementRejected, CasePlacedWithAgency

WAITING, PLACED, REJECTED, RECALLED = "waiting", "placed", "rejected", "recalled"


def active_agency(session: Session, agency_id: str) -> Agency:
    found = session.get(Agency, agency_id)
    if found is None:
        raise NotFound("agency")
    if not found.active:
        raise Conflict(f"agency {agency_id} is not active")
    return found


def agency_collectors(session: Session, agency: Agency) -> list[Staff]:
    members = session.exec(
        select(Staff).where(
            Staff.team_id == agency.id,
            col(Staff.role).in_([r.value for r in COLLECTORS]),
            Staff.status == StaffStatus.ACTIVE.value,
        )
    ).all()
    if not members:
        raise Conflict(f"agency {agency.id} has no active collector to work the cases")
    return list(members)


def put_with_agency(
    uow: UnitOfWork,
    agency: Agency,
    members: Sequence[Staff],
    case: AssignedCase,
    placement: AgencyPlacement,
    reason: str,
    by: str,
) -> None:
    """The case to the least-loaded agency collector; the term starts now."""
    member = min(members, key=lambda m: (m.open_cases, m.id))
    previous = case.collector_id
    move_case(uow, case, member, f"委外 {agency.name}: {reason}", by)
    placement.collector_id, placement.previous_collector_id = member.id, previous
    placement.placed_at, placement.status = uow.now, PLACED
    placement.until = uow.now + timedelta(days=agency.term_days)
    uow.session.add(placement)
    uow.emit(
        CasePlacedWithAgency(
            placement_id=placement.id, agency_id=agency.id, collector_id=member.id,
            placed_by=placement.placed_by, placed_at=uow.now, until=placement.until,
            commission_rate=Decimal(agency.commission_rate), approval_id=placement.approval_id,
        ),
        case_id=case.id,
    )  # fmt: skip


def _waiting(session: Session, approval_id: str) -> AgencyPlacement:
    found = session.exec(
        select(AgencyPlacement).where(
            AgencyPlacement.approval_id == approval_id, AgencyPlacement.status == WAITING
        )
    ).first()
    if found is None:
        raise Conflict("no placement is waiting for this approval")
    return found


def approved(uow: UnitOfWork, approval_id: str, reason: str, by: str) -> None:
    """The granted placement happens now, with the agency as it is now."""
    placement = _waiting(uow.session, approval_id)
    agency = active_agency(uow.session, placement.agency_id)
    case = uow.session.get(AssignedCase, placement.case_id)
    if case is None:
        raise NotFound("case")
    if case.closed_at is not None:
        raise Conflict(f"the case is closed ({case.close_outcome}): reject the placement")
    members = agency_collectors(uow.session, agency)
    put_with_agency(uow, agency, members, case, placement, reason, by)


def rejected(uow: UnitOfWork, approval_id: str, reason: str, by: str) -> None:
    placement = _waiting(uow.session, approval_id)
    placement.status = REJECTED
    uow.session.add(placement)
    uow.emit(
        AgencyPlacementRejected(
            placement_id=placement.id, agency_id=placement.agency_id, approval_id=approval_id,
            rejected_by=by, rejected_at=uow.now, reason=reason,
        ),
        case_id=placement.case_id,
    )  # fmt: skip
