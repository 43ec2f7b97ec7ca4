"""Registering agencies, placing a supervisor's cases with one (by hand or by rule), and
recalling them by hand or at term end. The agency's collector holds a placed case, so it
sees only the cases placed with it and works them under the same contact rules; the case
keeps its history. Never commits."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, timedelta
from decimal import Decimal

from sqlmodel import Session, col, select

from services.assignment.agencies.domain import Terms, needs_approval
from services.assignment.agencies.effects import (
    PLACED,
    RECALLED,
    WAITING,
    active_agency,
    agency_collectors,
    approved,
    put_with_agency,
    rejected,
)
from services.assignment.agencies.models import Agency, AgencyPlacement, OutsourcingTerms
from services.assignment.approvals.domain import Kind, Request
from services.assignment.approvals.service import request_approval
from services.assignment.models import AssignedCase, Staff, StaffStatus, Team
from services.assignment.placing.by_hand import managed_case, move_case
from services.assignment.teams.service import supervised_teams
from shared.auth.principal import Principal
from shared.bus.work import UnitOfWork
from shared.clock import as_utc
from shared.errors import Conflict, NotFound
from shared.events.catalog import (
    AgencyPlacementRequested,
    AgencyRegistered,
    CaseRecalledFromAgency,
)
from shared.logging import get_logger
from shared.pastdue import bucket_on

log = get_logger(__name__)
MOST_AT_ONCE = 1000


def register(
    uow: UnitOfWork, agency_id: str, name: str, rate: Decimal, term_days: int, active: bool
) -> Agency:
    """The agency and its team (same id), where its users are added as collectors."""
    session = uow.session
    found = session.get(Agency, agency_id)
    if found is None:
        if session.get(Team, agency_id) is not None:
            raise Conflict(f"a team {agency_id} exists already: choose another agency id")
        found = Agency(id=agency_id, name=name, commission_rate=str(rate), term_days=term_days,
                       created_at=uow.now)  # fmt: skip
        session.add(Team(id=agency_id, name=f"委外 {name}", created_at=uow.now))
    found.name, found.commission_rate, found.term_days = name, str(rate), term_days
    found.active = active
    session.add(found)
    session.flush()
    uow.emit(
        AgencyRegistered(agency_id=found.id, name=name, commission_rate=rate,
                         term_days=term_days, active=active, saved_at=uow.now),
        case_id=None,
    )  # fmt: skip
    return found


def _placed(session: Session, case_ids: Sequence[str]) -> set[str]:
    rows = session.exec(
        select(AgencyPlacement.case_id).where(
            col(AgencyPlacement.case_id).in_(list(case_ids)),
            col(AgencyPlacement.status).in_([PLACED, WAITING]),
        )
    )
    return set(rows)


def cases_by_rule(
    session: Session,
    principal: Principal,
    today: date,
    *,
    bucket: str | None,
    product_type: str | None,
    region: str | None,
    limit: int,
) -> list[str]:
    """Open cases the caller manages that match every condition given; the bucket is the
    case's today (shared.pastdue), not the one it arrived with."""
    query = select(AssignedCase.id, AssignedCase.overdue_since).where(
        col(AssignedCase.closed_at).is_(None), col(AssignedCase.collector_id).is_not(None)
    )
    for column, value in (("product_type", product_type), ("region", region)):
        if value is not None:
            query = query.where(getattr(AssignedCase, column) == value)
    teams = supervised_teams(session, principal)
    if teams is not None:
        query = query.where(col(AssignedCase.team_id).in_(teams or {""}))
    query = query.where(col(AssignedCase.team_id).not_in(select(Agency.id)))
    found = []
    for case_id, first_overdue in session.exec(query.order_by(AssignedCase.id)):
        if bucket is None or bucket_on(first_overdue, today) == bucket:
            found.append(case_id)
            if len(found) == limit:
                break
    return found


def place(
    uow: UnitOfWork, principal: Principal, agency_id: str, case_ids: Sequence[str], reason: str
) -> list[AgencyPlacement]:
    """Each case to the agency collector with the fewest open cases, until the term ends;
    a case whose agreement requires an approval waits for one instead (four eyes: someone
    other than the placer grants it, and the case moves then)."""
    session = uow.session
    agency = active_agency(session, agency_id)
    cases = [managed_case(session, principal, case_id) for case_id in dict.fromkeys(case_ids)]
    already = _placed(session, [c.id for c in cases])
    if already:
        raise Conflict(f"already placed with an agency: {', '.join(sorted(already))}")
    members = agency_collectors(session, agency)
    waits = _waiting_for_approval(session, cases)
    placements = []
    for case in cases:
        placement = AgencyPlacement(
            id=str(uuid.uuid4()), case_id=case.id, agency_id=agency.id, collector_id="",
            previous_collector_id=case.collector_id, placed_by=principal.subject,
            placed_at=uow.now, until=uow.now + timedelta(days=agency.term_days),
        )  # fmt: skip
        if case.id in waits:
            _ask_approval(uow, case, placement, reason)
        else:
            put_with_agency(uow, agency, members, case, placement, reason, principal.subject)
        placements.append(placement)
    session.flush()
    return placements


def _waiting_for_approval(session: Session, cases: Sequence[AssignedCase]) -> set[str]:
    clients = {c.client_id for c in cases}
    rows = session.exec(
        select(OutsourcingTerms).where(col(OutsourcingTerms.client_id).in_(sorted(clients)))
    ).all()
    terms: dict[str, list[Terms]] = {}
    for row in rows:
        terms.setdefault(row.client_id, []).append(
            Terms(row.agreement_id, row.status, row.needs_approval)
        )
    return {c.id for c in cases if needs_approval(c.agreement_id, terms.get(c.client_id, ()))}


def _ask_approval(
    uow: UnitOfWork, case: AssignedCase, placement: AgencyPlacement, reason: str
) -> None:
    request = Request(kind=Kind.AGENCY_PLACEMENT, reason=reason, requested_by=placement.placed_by)
    approval = request_approval(uow, case, request)
    placement.status, placement.approval_id = WAITING, approval.id
    uow.session.add(placement)
    uow.emit(
        AgencyPlacementRequested(
            placement_id=placement.id, agency_id=placement.agency_id, approval_id=approval.id,
            requested_by=placement.placed_by, requested_at=uow.now, reason=reason,
        ),
        case_id=case.id,
    )  # fmt: skip


def recall(uow: UnitOfWork, placement: AgencyPlacement, by: str, reason: str) -> AgencyPlacement:
    """The case back to the collector it came from, with everything the agency did."""
    session = uow.session
    if placement.status != PLACED:
        raise Conflict(f"only a placed case is recalled; this placement is {placement.status}")
    back = session.get(Staff, placement.previous_collector_id or "")
    if back is None or back.status != StaffStatus.ACTIVE.value:
        raise Conflict("the collector it came from is no longer active: reassign it by hand")
    case = session.get(AssignedCase, placement.case_id)
    if case is None:
        raise NotFound("case")
    move_case(uow, case, back, f"委外 recalled: {reason}", by)
    placement.status, placement.recalled_at = RECALLED, uow.now
    placement.recalled_by, placement.recall_reason = by, reason
    session.add(placement)
    session.flush()
    uow.emit(
        CaseRecalledFromAgency(
            placement_id=placement.id, agency_id=placement.agency_id, recalled_at=uow.now,
            recalled_by=by, reason=reason, returned_to=back.id,
        ),
        case_id=case.id,
    )  # fmt: skip
    return placement


def visible_placement(session: Session, principal: Principal, placement_id: str) -> AgencyPlacement:
    found = session.get(AgencyPlacement, placement_id)
    teams = supervised_teams(session, principal)
    if found is None:
        raise NotFound("placement")
    if teams is not None:
        case = session.get(AssignedCase, found.case_id)
        came_from = session.get(Staff, found.previous_collector_id or "")
        if came_from is None or came_from.team_id not in teams or case is None:
            raise NotFound("placement")
    return found


def recall_due(uow: UnitOfWork) -> int:
    """Placements whose term has ended come back; one that cannot is logged and kept."""
    due = uow.session.exec(
        select(AgencyPlacement).where(
            AgencyPlacement.status == PLACED, col(AgencyPlacement.until) <= uow.now
        )
    ).all()
    done = 0
    for placement in due:
        if as_utc(placement.until) > uow.now:
            continue
        try:
            recall(uow, placement, "platform", "term ended")
            done += 1
        except Conflict as exc:
            log.warning("agency_recall_kept", placement_id=placement.id, reason=str(exc))
    return done


def placements(
    session: Session, principal: Principal, agency_id: str | None, status: str | None
) -> list[AgencyPlacement]:
    query = select(AgencyPlacement).order_by(col(AgencyPlacement.placed_at).desc()).limit(500)
    if agency_id:
        query = query.where(AgencyPlacement.agency_id == agency_id)
    if status:
        query = query.where(AgencyPlacement.status == status)
    teams = supervised_teams(session, principal)
    rows = list(session.exec(query))
    if teams is None:
        return rows
    came_from = {s.id: s.team_id for s in session.exec(select(Staff))}
    return [p for p in rows if came_from.get(p.previous_collector_id or "") in teams]


def agencies(session: Session) -> Sequence[Agency]:
    return session.exec(select(Agency).order_by(col(Agency.id))).all()


def placement_approved(uow: UnitOfWork, approval_id: str, reason: str, by: str) -> None:
    approved(uow, approval_id, reason, by)


def placement_rejected(uow: UnitOfWork, approval_id: str, reason: str, by: str) -> None:
    rejected(uow, approval_id, reason, by)
