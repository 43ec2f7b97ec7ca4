"""Logging an attempt: the contact rules first, then the attempt, its first-contact clock
and the follow-ups its outcome calls for."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from services.contact.attempts import objections, store
from services.contact.attempts.domain import is_conversation, timing_of
from services.contact.attempts.models import ContactAttempt
from services.contact.attempts.schemas import AttemptCreate
from services.contact.first_contact.domain import is_late
from services.contact.models import ContactCase
from services.contact.recordings.service import link
from services.contact.rules.domain import Decision, Proposal
from services.contact.rules.service import judge
from services.contact.settings import ContactSettings
from shared.auth.principal import Principal
from shared.bus.work import UnitOfWork
from shared.clock import as_utc
from shared.errors import ProblemError
from shared.events.catalog import ContactAttempted

RULE_PROBLEM = "https://collections.example/problems/contact-rule"


@dataclass(frozen=True)
class Refusal:
    decision: Decision

    def problem(self) -> ProblemError:
        return ProblemError(
            409,
            "contact rules block this attempt: "
            + "; ".join(b.detail for b in self.decision.blocks),
            title="Contact not allowed",
            type_=RULE_PROBLEM,
            errors=[
                {
                    "rule": b.rule,
                    "detail": b.detail,
                    "until": b.until.isoformat() if b.until else None,
                }
                for b in self.decision.blocks
            ],
        )


def proposal_of(body: AttemptCreate) -> Proposal:
    return Proposal(
        channel=body.channel,
        party=body.party,
        direction=body.direction,
        number=body.used,
        contact_name=body.party_name,
    )


def log_attempt(
    uow: UnitOfWork,
    settings: ContactSettings,
    case: ContactCase,
    body: AttemptCreate,
    principal: Principal,
    *,
    may_override: bool,
) -> ContactAttempt | Refusal:
    """The attempt, or the rules' refusal (the decision is kept either way)."""
    started = as_utc(body.started_at)
    timing = timing_of(
        started,
        uow.now,
        reached_collector=as_utc(case.collector_since or case.received_at),
        late_after=timedelta(minutes=settings.late_entry_minutes),
        tolerance=timedelta(seconds=settings.clock_tolerance_seconds),
        late_entry_reason=body.late_entry_reason,
    )
    if body.ended_at is not None and as_utc(body.ended_at) > uow.now + timedelta(
        seconds=settings.clock_tolerance_seconds
    ):
        raise ProblemError(422, "ended_at is in the future")
    judged = judge(
        uow, settings, case, proposal_of(body), started, actor_id=principal.subject, purpose="log"
    )
    decision, record = judged.decision, judged.record
    overridden = ""
    if not decision.allowed:
        if not body.override_reason:
            return Refusal(decision)
        if not may_override:
            raise ProblemError(403, "only a supervisor may override the contact rules")
        overridden = ",".join(decision.rules)
        record.override_reason = body.override_reason
    first = case.first_attempt_at is None
    due = case.first_contact_due_at
    late = first and is_late(as_utc(due) if due else None, timing.witnessed)
    if late and not body.late_reason:
        raise ProblemError(
            422,
            "this first attempt is after the case's 2-hour deadline"
            + (" (a late entry counts from when it was logged)" if timing.late_entry else "")
            + ": give late_reason",
        )
    attempt = ContactAttempt(
        id=str(uuid.uuid4()),
        case_id=case.id,
        collector_id=principal.subject,
        channel=body.channel,
        direction=body.direction,
        party=body.party,
        party_name=body.party_name,
        used=body.used,
        started_at=started,
        ended_at=as_utc(body.ended_at) if body.ended_at else None,
        outcome=body.outcome,
        conversation=is_conversation(body.channel, body.party, body.outcome),
        notes=body.notes,
        arrears_reason=body.arrears_reason,
        excuse=body.excuse,
        next_action=body.next_action,
        next_action_at=as_utc(body.next_action_at) if body.next_action_at else None,
        first_attempt=first,
        first_contact_late=late,
        late_reason=body.late_reason if first else None,
        overridden_rules=overridden or None,
        override_reason=body.override_reason if overridden else None,
        logged_at=uow.now,
        late_entry=timing.late_entry,
        late_entry_reason=body.late_entry_reason if timing.late_entry else None,
        recording_sha256=body.recording_sha256,
    )
    record.attempt_id = attempt.id
    link(uow.session, case.id, body.recording_sha256, attempt_id=attempt.id)
    if first:
        case.first_attempt_at, case.first_attempt_late = timing.witnessed, late
        uow.session.add(case)
    record_attempt(uow, case, attempt)
    objections.follow_up(uow, case, attempt, body)
    return attempt


def visit_attempt(
    uow: UnitOfWork,
    case: ContactCase,
    field_collector_id: str,
    *,
    party: str,
    party_name: str | None,
    place: str,
    visited: datetime,
    ended: datetime | None,
    outcome: str,
    found: str,
    recording_sha256: str | None,
) -> ContactAttempt:
    """A filed visit report as the contact log keeps it (``record_attempt`` adds it)."""
    return ContactAttempt(
        id=str(uuid.uuid4()),
        case_id=case.id,
        collector_id=field_collector_id,
        channel="field_visit",
        direction="outbound",
        party=party,
        party_name=party_name,
        used=place,
        started_at=visited,
        ended_at=ended,
        outcome=outcome,
        conversation=is_conversation("field_visit", party, outcome),
        notes=found,
        logged_at=uow.now,
        recording_sha256=recording_sha256,
    )


def attempt_on(session: Session, case_id: str, attempt_id: str) -> ContactAttempt | None:
    """The attempt, if it is in this case's log."""
    attempt = store.attempt(session, attempt_id)
    return attempt if attempt is not None and attempt.case_id == case_id else None


def record_attempt(uow: UnitOfWork, case: ContactCase, attempt: ContactAttempt) -> None:
    """Add the attempt to the log and announce it (``ContactAttempted``)."""
    attempt.debtor_key = case.debtor_key
    uow.session.add(attempt)
    uow.emit(
        ContactAttempted(
            attempt_id=attempt.id,
            collector_id=attempt.collector_id,
            channel=attempt.channel,  # type: ignore[arg-type]
            party=attempt.party,  # type: ignore[arg-type]
            outcome=attempt.outcome,
            attempted_at=attempt.started_at,
            direction=attempt.direction,  # type: ignore[arg-type]
            arrears_reason=attempt.arrears_reason,
            first_attempt=attempt.first_attempt,
            first_contact_late=attempt.first_contact_late,
            overridden_rules=tuple(attempt.overridden_rules.split(","))
            if attempt.overridden_rules
            else (),
            recording_sha256=attempt.recording_sha256,
        ),
        case_id=case.id,
    )
