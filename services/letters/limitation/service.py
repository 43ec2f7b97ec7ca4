"""Recording the facts that move a case's limitation clock, and reading the clock back."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select
from sqlmodel import Session

from services.letters.dispatch.models import Dispatch
from services.letters.domain.limitation import Clock, Fact, limitation_clock
from services.letters.domain.proof_dates import latest_possible_day
from services.letters.issuing.models import Letter
from services.letters.limitation.models import Guarantee, LimitationFact
from services.letters.models import LetterCase
from services.letters.proof.models import EvidenceFile
from shared.db import upsert
from shared.logging import get_logger

log = get_logger(__name__)

FACTS = LimitationFact.__table__


def clock_of(session: Session, case_id: str) -> Clock:
    rows = session.execute(select(LimitationFact).where(LimitationFact.case_id == case_id))
    return limitation_clock(Fact(f.on, f.kind, f.ref) for f in rows.scalars())  # type: ignore[arg-type]


def record_fact(
    session: Session, case_id: str, on: date, kind: str, ref: str, note: str, now: datetime
) -> None:
    """Keep the fact once (same case, kind and reference) and move the case's end date. A
    fact dated after today did not happen yet: it is never kept (the routes refuse such
    dates; an event carrying one is logged and its fact left out)."""
    if on > latest_possible_day(now):
        log.warning("limitation_fact_in_future_left_out", case_id=case_id, kind=kind, on=str(on))
        return
    upsert(
        session,
        FACTS,
        [
            {
                "case_id": case_id,
                "on": on,
                "kind": kind,
                "ref": ref[:64],
                "note": note[:300],
                "recorded_at": now,
            }
        ],
        key=["case_id", "kind", "ref"],
    )
    case = session.get(LetterCase, case_id)
    if case is not None:
        case.limitation_ends_on = clock_of(session, case_id).ends_on
        session.add(case)


def guarantor_notice(session: Session, letter: Letter, now: datetime) -> None:
    """An EMS notice to a guarantor counts once its stub is kept (content is the letter),
    and only when mailed within a guarantee period of the case."""
    if letter.kind != "guarantor_notice" or letter.recipient_party != "guarantor":
        return
    sent = session.get(Dispatch, letter.id)
    if sent is None or sent.channel != "ems":
        return
    stub = session.execute(
        select(EvidenceFile.id).where(
            EvidenceFile.letter_id == letter.id, EvidenceFile.kind == "mailing_stub"
        )
    ).first()
    if stub is None:
        return
    within = session.execute(
        select(Guarantee.id).where(
            Guarantee.case_id == letter.case_id,
            Guarantee.starts_on <= sent.mailed_on,
            Guarantee.ends_on >= sent.mailed_on,
        )
    ).first()
    if within is not None:
        note = f"EMS {sent.tracking_number or ''} to guarantor {letter.recipient_name}"
        record_fact(
            session, letter.case_id, sent.mailed_on, "guarantor_notice", letter.id, note, now
        )
