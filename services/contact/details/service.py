"""Changing a case's contact details: one found by skip tracing or given by the debtor,
a number confirmed or found wrong. A wrong number is barred for the contact rules; a
confirmed one is callable again. Every change is announced (``ContactDetailsChanged``)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from services.contact.details import store
from services.contact.details.domain import detail_id
from services.contact.details.models import BarredNumber, ContactDetail
from shared.bus.work import UnitOfWork
from shared.errors import Conflict
from shared.events.catalog import ContactDetailsChanged
from shared.logging import get_logger, mask_address, mask_phone

log = get_logger(__name__)
MARKED_WRONG = "marked_invalid"
_UNBARRED_WHEN_CONFIRMED = (MARKED_WRONG, "wrong_number")
_ANNOUNCED = {"valid": "confirmed", "invalid": "invalid"}


def add(uow: UnitOfWork, detail: ContactDetail) -> ContactDetail:
    detail.id = detail_id(detail.case_id, detail.kind, detail.value)
    if store.detail(uow.session, detail.id) is not None:
        raise Conflict(f"this {detail.kind} is already on the case")
    detail.added_at = detail.changed_at = uow.now
    uow.session.add(detail)
    _announce(uow, detail, "added")
    return detail


def detail_on(session: Session, case_id: str, detail_id: str) -> ContactDetail | None:
    """The detail, if it is one of this case's."""
    detail = store.detail(session, detail_id)
    return detail if detail is not None and detail.case_id == case_id else None


def set_status(uow: UnitOfWork, detail: ContactDetail, status: str, note: str | None) -> None:
    """valid or invalid (a detail is never made unverified again)."""
    if detail.status == status:
        return
    detail.status, detail.changed_at = status, uow.now
    detail.note = note or detail.note
    uow.session.add(detail)
    if detail.kind == "phone":
        if status == "invalid":
            bar(uow, detail.case_id, detail.value, MARKED_WRONG)
        else:
            store.unbar(uow.session, detail.case_id, detail.value, _UNBARRED_WHEN_CONFIRMED)
    _announce(uow, detail, _ANNOUNCED[status])


def bar(uow: UnitOfWork, case_id: str, number: str, reason: str) -> None:
    if store.barred(uow.session, case_id, number) is None:
        uow.session.add(
            BarredNumber(case_id=case_id, number=number, reason=reason, barred_at=uow.now)
        )


def number_found_wrong(uow: UnitOfWork, case_id: str, number: str, reason: str) -> None:
    """An attempt reached a wrong number: barred, and the detail (if the case has it) made
    invalid."""
    bar(uow, case_id, number, reason)
    detail = store.phone(uow.session, case_id, number)
    if detail is not None and detail.status != "invalid":
        set_status(uow, detail, "invalid", "an attempt reached a wrong number")


def _announce(uow: UnitOfWork, detail: ContactDetail, status: str) -> None:
    log.info(
        "contact_detail_changed",
        case_id=detail.case_id,
        kind=detail.kind,
        status=status,
        value=mask_phone(detail.value) if detail.kind == "phone" else mask_address(detail.value),
    )
    uow.emit(
        ContactDetailsChanged(
            party=detail.party,  # type: ignore[arg-type]
            field=detail.kind,
            status=status,  # type: ignore[arg-type]
            changed_at=uow.now,
            detail_id=detail.id,
            source=detail.source,
        ),
        case_id=detail.case_id,
    )
