"""Dispatch and delivery of a letter, the deadline the delivery sets, and how a demand
delivered to the debtor or an EMS notice to a guarantor moves the case's limitation clock."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from services.letters.dispatch.models import Delivery, Dispatch
from services.letters.dispatch.store import delivery_of, dispatch_of, estimated_deadlines
from services.letters.domain.deadlines import DeliveryDeadline, Outcome, delivery_deadline
from services.letters.domain.kinds import KINDS, LetterKind
from services.letters.domain.proof_dates import ProofDateRefused, check_proof_date
from services.letters.issuing.models import Letter
from services.letters.limitation.service import guarantor_notice, record_fact
from services.letters.models import WORKDAYS
from shared.bus.work import UnitOfWork
from shared.errors import Conflict, ProblemError
from shared.events import Envelope
from shared.events.catalog import LetterDelivered, LetterDispatched, WorkdayCalendarLoaded
from shared.logging import get_logger
from shared.workdays.calendar import WorkdayCalendar
from shared.workdays.tables import load_calendar

log = get_logger(__name__)


def checked_date(
    uow: UnitOfWork, letter: Letter, name: str, on: date, mailed_on: date | None
) -> None:
    try:
        check_proof_date(name, on, now=uow.now, issued_at=letter.issued_at, mailed_on=mailed_on)
    except ProofDateRefused as exc:
        raise ProblemError(422, f"letter {letter.id}: {exc}") from exc


def mailing_of(session: Session, letter_id: str) -> tuple[Dispatch | None, Delivery | None]:
    """A letter's dispatch and delivery records, each ``None`` until it is recorded."""
    return dispatch_of(session, letter_id), delivery_of(session, letter_id)


def dispatch(uow: UnitOfWork, letter: Letter, who: str, **fields: Any) -> Dispatch:
    if dispatch_of(uow.session, letter.id) is not None:
        raise Conflict(f"letter {letter.id} was already dispatched; a new dispatch is a new letter")
    checked_date(uow, letter, "mailed_on", fields["mailed_on"], None)
    sent = Dispatch(letter_id=letter.id, recorded_at=uow.now, recorded_by=who, **fields)
    uow.session.add(sent)
    uow.emit(
        LetterDispatched(
            letter_id=letter.id,
            carrier=sent.carrier,
            tracking_number=sent.tracking_number or "",
            mailed_on=sent.mailed_on,
        ),
        case_id=letter.case_id,
    )
    guarantor_notice(uow.session, letter, uow.now)
    uow.session.flush()
    return sent


def deliver(
    uow: UnitOfWork, letter: Letter, who: str, outcome: Outcome, on: date, recipient_fault: bool
) -> Delivery:
    sent = dispatch_of(uow.session, letter.id)
    if sent is None:
        raise Conflict(f"letter {letter.id} has no dispatch yet: record the mailing first")
    if delivery_of(uow.session, letter.id) is not None:
        raise Conflict(f"the delivery of letter {letter.id} is already recorded")
    checked_date(uow, letter, "outcome_on", on, sent.mailed_on)
    kind = KINDS[letter.kind]
    done = Delivery(
        letter_id=letter.id,
        outcome=outcome,
        outcome_on=on,
        recipient_fault=recipient_fault,
        deadline_reason="",
        recorded_at=uow.now,
        recorded_by=who,
    )
    deadline = _count_deadline(done, kind, sent.mailed_on, load_calendar(uow.session, WORKDAYS))
    uow.session.add(done)
    uow.emit(
        LetterDelivered(
            letter_id=letter.id,
            outcome=outcome,
            outcome_on=on,
            deadline_on=deadline.due_on,
        ),
        case_id=letter.case_id,
    )
    if kind.demand and letter.recipient_party == "debtor" and deadline.runs_from is not None:
        record_fact(
            uow.session,
            letter.case_id,
            deadline.runs_from,
            "demand_delivered",
            letter.id,
            f"{kind.title} {outcome}",
            uow.now,
        )
    uow.session.flush()
    return done


def _count_deadline(
    done: Delivery, kind: LetterKind, mailed_on: date, calendar: WorkdayCalendar
) -> DeliveryDeadline:
    """Set the delivery's deadline and whether a year nobody published was counted on."""
    deadline = delivery_deadline(
        kind.deadline,
        done.outcome,  # type: ignore[arg-type]
        done.outcome_on,
        mailed_on,
        done.recipient_fault,
        calendar.is_workday,
    )
    years = {d.year for d in (deadline.runs_from, deadline.due_on) if d is not None}
    done.deadline_from, done.deadline_on = deadline.runs_from, deadline.due_on
    done.deadline_estimated = bool(calendar.estimated_years(years)) and kind.deadline is not None
    done.deadline_reason = deadline.reason
    return deadline


def recount_estimated_deadlines(uow: UnitOfWork, event: Envelope[WorkdayCalendarLoaded]) -> None:
    """A year's schedule arrived: every delivery deadline that was estimated on that year is
    counted again on the loaded days, and stays flagged only if it still spans a year
    nobody published. Runs after the schedule is stored (see handlers)."""
    year = event.payload.year
    calendar = load_calendar(uow.session, WORKDAYS)
    for done, mailed_on, kind in estimated_deadlines(uow.session):
        if done.deadline_from is None or done.deadline_on is None:
            continue
        if year not in range(done.deadline_from.year, done.deadline_on.year + 1):
            continue
        before = done.deadline_on
        _count_deadline(done, KINDS[kind], mailed_on, calendar)
        uow.session.add(done)
        log.info(
            "letter_deadline_recounted",
            letter_id=done.letter_id,
            year=year,
            was=str(before),
            now=str(done.deadline_on),
        )
