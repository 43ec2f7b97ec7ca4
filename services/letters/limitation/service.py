"""Recording the facts that move a case's limitation clock, and reading the clock back."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy.orm import Session

from services.letters.dispatch.store import dispatch_of
from services.letters.domain.limitation import Clock, Fact, limitation_clock
from services.letters.domain.proof_dates import latest_possible_day
from services.letters.issuing.models import Letter
from services.letters.limitation.store import facts_of, guaranteed_on, has_mailing_stub, keep_fact
from services.letters.store import case_of
from shared.logging import get_logger

log = get_logger(__name__)


def clock_of(session: Session, case_id: str) -> Clock:
    return limitation_clock(Fact(f.on, f.kind, f.ref) for f in facts_of(session, case_id))  # type: ignore[arg-type]


def record_fact(
    session: Session, case_id: str, on: date, kind: str, ref: str, note: str, now: datetime
) -> None:
    """Keep the fact once (same case, kind and reference) and move the case's end date. A
    fact dated after today did not happen yet: it is never kept (the routes refuse such
    dates; an event carrying one is logged and its fact left out)."""
    if on > latest_possible_day(now):
        log.warning("limitation_fact_in_future_left_out", case_id=case_id, kind=kind, on=str(on))
        return
    keep_fact(
        session,
        {
            "case_id": case_id,
            "on": on,
            "kind": kind,
            "ref": ref[:64],
            "note": note[:300],
            "recorded_at": now,
        },
    )
    case = case_of(session, case_id)
    if case is not None:
        case.limitation_ends_on = clock_of(session, case_id).ends_on
        session.add(case)


def guarantor_notice(session: Session, letter: Letter, now: datetime) -> None:
    """An EMS notice to a guarantor counts once its stub is kept (content is the letter),
    and only when mailed within a guarantee period of the case."""
    if letter.kind != "guarantor_notice" or letter.recipient_party != "guarantor":
        return
    sent = dispatch_of(session, letter.id)
    if sent is None or sent.channel != "ems" or not has_mailing_stub(session, letter.id):
        return
    if guaranteed_on(session, letter.case_id, sent.mailed_on):
        note = f"EMS {sent.tracking_number or ''} to guarantor {letter.recipient_name}"
        record_fact(
            session, letter.case_id, sent.mailed_on, "guarantor_notice", letter.id, note, now
        )
