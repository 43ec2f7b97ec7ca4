"""Filing a visit's report: kept on the order, logged as a field-visit attempt by the field
collector, its recording linked, the contact rules' view of the visit kept for audit (a
visit that has happened is recorded even where the rules would have stopped it)."""

from __future__ import annotations

from services.contact.attempts.service import record_attempt, visit_attempt
from services.contact.field_visits.models import FieldVisit
from services.contact.field_visits.schemas import VisitReport
from services.contact.models import ContactCase
from services.contact.recordings.service import link
from services.contact.rules.domain import Proposal
from services.contact.rules.service import judge
from services.contact.settings import ContactSettings
from shared.bus.work import UnitOfWork
from shared.clock import as_utc
from shared.errors import Conflict, ProblemError
from shared.events.catalog import FieldVisitReported


def file_report(
    uow: UnitOfWork,
    settings: ContactSettings,
    case: ContactCase,
    visit: FieldVisit,
    report: VisitReport,
) -> FieldVisit:
    if visit.status == "reported":
        raise Conflict(f"visit {visit.id} was reported on {visit.reported_at:%Y-%m-%d}")
    visited = as_utc(report.visited_at)
    if visited > uow.now:
        raise ProblemError(422, "visited_at is in the future")
    proposal = Proposal("field_visit", report.party, "outbound", report.place, report.party_name)
    judged = judge(
        uow, settings, case, proposal, visited, actor_id=visit.field_collector_id, purpose="visit"
    )
    attempt = visit_attempt(
        uow,
        case,
        visit.field_collector_id,
        party=report.party,
        party_name=report.party_name,
        place=report.place,
        visited=visited,
        ended=as_utc(report.ended_at) if report.ended_at else None,
        outcome=report.outcome,
        found=report.found,
        recording_sha256=report.recording_sha256,
    )
    judged.record.attempt_id = attempt.id
    link(uow.session, case.id, report.recording_sha256, attempt_id=attempt.id, visit_id=visit.id)
    record_attempt(uow, case, attempt)
    visit.status, visit.reported_at, visit.visited_at = "reported", uow.now, visited
    visit.place, visit.people_met, visit.found = report.place, report.people_met, report.found
    visit.outcome, visit.recording_sha256 = report.outcome, report.recording_sha256
    visit.attempt_id = attempt.id
    visit.rule_breaches = ",".join(judged.decision.rules) or None
    uow.session.add(visit)
    uow.emit(
        FieldVisitReported(
            visit_id=visit.id,
            field_collector_id=visit.field_collector_id,
            visited_at=visited,
            found=report.found,
            recording_sha256=report.recording_sha256,
            reported_at=uow.now,
        ),
        case_id=case.id,
    )
    return visit
