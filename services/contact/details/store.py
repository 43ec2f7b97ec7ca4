"""A case's phones and addresses, and the numbers not to call again."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import bindparam, delete, select
from sqlalchemy.orm import Session

from services.contact.details.models import BarredNumber, ContactDetail

_DETAILS = (
    select(ContactDetail)
    .where(ContactDetail.case_id == bindparam("case_id"))
    .order_by(ContactDetail.party, ContactDetail.kind, ContactDetail.added_at)
)


def details_of(session: Session, case_id: str) -> Sequence[ContactDetail]:
    """The case's details by party, kind, then when they were added."""
    return session.execute(_DETAILS, {"case_id": case_id}).scalars().all()


def detail(session: Session, detail_id: str) -> ContactDetail | None:
    return session.get(ContactDetail, detail_id)


def phone(session: Session, case_id: str, number: str) -> ContactDetail | None:
    return session.execute(
        select(ContactDetail).where(
            ContactDetail.case_id == case_id,
            ContactDetail.kind == "phone",
            ContactDetail.value == number,
        )
    ).scalar_one_or_none()


def barred(session: Session, case_id: str, number: str) -> BarredNumber | None:
    return session.get(BarredNumber, (case_id, number))


def unbar(session: Session, case_id: str, number: str, reasons: Iterable[str]) -> None:
    """Lift the bar on ``number`` where it was barred for one of ``reasons``."""
    session.execute(
        delete(BarredNumber).where(
            BarredNumber.case_id == case_id,
            BarredNumber.number == number,
            BarredNumber.reason.in_(list(reasons)),
        )
    )
