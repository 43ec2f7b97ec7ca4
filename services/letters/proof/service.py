"""Dispatch, delivery and the uploaded proof of a letter, and how they move the case's
limitation clock: a demand delivered to the debtor interrupts it; so does a notice sent by
EMS to a guarantor within the guarantee period, once its mailing stub is kept; a signed
acknowledgment interrupts it, or after expiry re-confirms the debt."""

from __future__ import annotations

import hashlib
import io
import json
import re
import zipfile
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from services.letters.domain.deadlines import DeliveryDeadline, Outcome, delivery_deadline
from services.letters.domain.kinds import KINDS, LetterKind
from services.letters.domain.proof_dates import ProofDateRefused, check_proof_date
from services.letters.limitation import record_fact
from services.letters.models import WORKDAYS, Delivery, Dispatch, EvidenceFile, Guarantee, Letter
from services.letters.settings import LettersSettings
from services.letters.stores import PDFS, PROOF, store
from shared.bus.work import UnitOfWork
from shared.errors import Conflict, ProblemError
from shared.events import Envelope
from shared.events.catalog import LetterDelivered, LetterDispatched, WorkdayCalendarLoaded
from shared.logging import get_logger
from shared.workdays.calendar import WorkdayCalendar
from shared.workdays.tables import load_calendar

log = get_logger(__name__)

EVIDENCE_KINDS = ("mailing_stub", "delivery_proof", "acknowledgment", "other")


def _checked(uow: UnitOfWork, letter: Letter, name: str, on: date, mailed_on: date | None) -> None:
    try:
        check_proof_date(name, on, now=uow.now, issued_at=letter.issued_at, mailed_on=mailed_on)
    except ProofDateRefused as exc:
        raise ProblemError(422, f"letter {letter.id}: {exc}") from exc


def dispatch(uow: UnitOfWork, letter: Letter, who: str, **fields: Any) -> Dispatch:
    if uow.session.get(Dispatch, letter.id) is not None:
        raise Conflict(f"letter {letter.id} was already dispatched; a new dispatch is a new letter")
    _checked(uow, letter, "mailed_on", fields["mailed_on"], None)
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
    _guarantor_notice(uow.session, letter, uow)
    return sent


def deliver(
    uow: UnitOfWork, letter: Letter, who: str, outcome: Outcome, on: date, recipient_fault: bool
) -> Delivery:
    sent = uow.session.get(Dispatch, letter.id)
    if sent is None:
        raise Conflict(f"letter {letter.id} has no dispatch yet: record the mailing first")
    if uow.session.get(Delivery, letter.id) is not None:
        raise Conflict(f"the delivery of letter {letter.id} is already recorded")
    _checked(uow, letter, "outcome_on", on, sent.mailed_on)
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
    rows = uow.session.execute(
        select(Delivery, Dispatch.mailed_on, Letter.kind)
        .join(Dispatch, Dispatch.letter_id == Delivery.letter_id)  # type: ignore[arg-type]
        .join(Letter, Letter.id == Delivery.letter_id)  # type: ignore[arg-type]
        .where(Delivery.deadline_estimated.is_(True))  # type: ignore[attr-defined]
    ).all()
    for done, mailed_on, kind in rows:
        spans = range(done.deadline_from.year, done.deadline_on.year + 1)
        if year not in spans:
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


def add_evidence(
    uow: UnitOfWork,
    settings: LettersSettings,
    letter: Letter,
    who: str,
    *,
    kind: str,
    content: bytes,
    filename: str,
    media_type: str,
    signed_on: date | None,
) -> EvidenceFile:
    if signed_on is not None:
        sent = uow.session.get(Dispatch, letter.id)
        _checked(uow, letter, "signed_on", signed_on, sent.mailed_on if sent else None)
    sha256, _ = store(settings, PROOF).store_bytes(letter.case_id, content)
    existing = uow.session.execute(
        select(EvidenceFile).where(
            EvidenceFile.letter_id == letter.id,
            EvidenceFile.kind == kind,
            EvidenceFile.sha256 == sha256,
        )
    ).scalar()
    if existing is not None:
        return existing
    proof = EvidenceFile(
        letter_id=letter.id,
        kind=kind,
        sha256=sha256,
        filename=filename[:200],
        media_type=media_type[:100],
        size_bytes=len(content),
        signed_on=signed_on,
        uploaded_at=uow.now,
        uploaded_by=who,
    )
    uow.session.add(proof)
    uow.session.flush()
    if kind == "acknowledgment" and signed_on is not None:
        note = f"signed acknowledgment of {KINDS[letter.kind].title}"
        record_fact(
            uow.session, letter.case_id, signed_on, "acknowledgment_signed", sha256, note, uow.now
        )
    if kind == "mailing_stub":
        _guarantor_notice(uow.session, letter, uow)
    return proof


def _guarantor_notice(session: Session, letter: Letter, uow: UnitOfWork) -> None:
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
            session, letter.case_id, sent.mailed_on, "guarantor_notice", letter.id, note, uow.now
        )


STAFF_IDS = frozenset({"issued_by", "recorded_by", "uploaded_by"})


def without_staff(record: dict[str, Any] | None) -> dict[str, Any] | None:
    """A record as a bank sees it: no internal staff identifiers."""
    if record is None:
        return None
    return {k: v for k, v in record.items() if k not in STAFF_IDS}


def evidence_pack(
    session: Session, settings: LettersSettings, letter: Letter, *, for_bank: bool = False
) -> bytes:
    """One zip: the PDF and its hash, dispatch and delivery records, every uploaded proof,
    and a manifest with each file's SHA-256. A bank's pack names no member of staff."""
    pdf = store(settings, PDFS).verified(letter.case_id, letter.content_sha256).read_bytes()
    sent = session.get(Dispatch, letter.id)
    done = session.get(Delivery, letter.id)
    proofs = session.execute(
        select(EvidenceFile).where(EvidenceFile.letter_id == letter.id).order_by(EvidenceFile.id)
    ).scalars()
    files: dict[str, bytes] = {
        "letter.pdf": pdf,
        "letter.pdf.sha256": f"{letter.content_sha256}  letter.pdf\n".encode(),
        "letter.json": _json({k: v for k, v in letter.model_dump().items() if k != "inputs"}),
        "dispatch.json": _json(sent.model_dump() if sent else None),
        "delivery.json": _json(done.model_dump() if done else None),
    }
    if for_bank:
        records = {"letter": letter.model_dump(exclude={"inputs"})}
        records |= {"dispatch": sent.model_dump() if sent else None}
        records |= {"delivery": done.model_dump() if done else None}
        for name, record in records.items():
            files[f"{name}.json"] = _json(without_staff(record))
    for n, proof in enumerate(proofs, start=1):
        suffix = re.sub(r"[^A-Za-z0-9]", "", proof.filename.rpartition(".")[2])[:8] or "bin"
        content = store(settings, PROOF).verified(letter.case_id, proof.sha256).read_bytes()
        files[f"proof/{n:02d}-{proof.kind}.{suffix}"] = content
    manifest = {name: hashlib.sha256(body).hexdigest() for name, body in files.items()}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as pack:
        for name, body in files.items():
            pack.writestr(name, body)
        pack.writestr("manifest.json", _json(manifest))
    return buffer.getvalue()


def _json(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, indent=2, default=str).encode()
