"""Cooperation agreements (合作协议): filing, changing, choosing one for a case file."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from sqlalchemy.exc import IntegrityError

from services.intake import store
from services.intake.models import Agreement
from shared.bus.work import UnitOfWork
from shared.errors import Conflict, NotFound, ProblemError

STATUSES = ("draft", "active", "suspended", "ended")
RETENTION_YEARS = 5


def retention_until(end_date: date) -> date:
    """All material is kept until 5 years after the agreement ends (29 Feb -> 28 Feb)."""
    try:
        return end_date.replace(year=end_date.year + RETENTION_YEARS)
    except ValueError:
        return end_date.replace(year=end_date.year + RETENTION_YEARS, day=28)


def check_mapping(mapping: dict[str, str], known: frozenset[str]) -> None:
    """Each bank header names one of our fields, and no field is named twice."""
    unknown = sorted({f for f in mapping.values() if f not in known})
    if unknown:
        raise ProblemError(
            422,
            f"unknown field(s) in the column mapping: {', '.join(unknown)}",
            title="Invalid column mapping",
            errors=[{"field": f, "known": sorted(known)} for f in unknown],
        )
    targets = list(mapping.values())
    twice = sorted({f for f in targets if targets.count(f) > 1})
    if twice:
        raise ProblemError(422, f"field(s) mapped from more than one header: {', '.join(twice)}")


def file_agreement(uow: UnitOfWork, client_id: str, values: dict[str, Any]) -> Agreement:
    if store.get_client(uow.session, client_id) is None:
        raise NotFound("client")
    _check_dates(values["start_date"], values["end_date"])
    if store.agreement_by_number(uow.session, client_id, values["number"]) is not None:
        raise Conflict(f"agreement {values['number']} is already filed for {client_id}")
    agreement = Agreement(
        id=str(uuid.uuid4()), client_id=client_id, created_at=uow.now, updated_at=uow.now, **values
    )
    uow.session.add(agreement)
    try:
        uow.session.flush()
    except IntegrityError as exc:
        raise Conflict(f"agreement {values['number']} is already filed for {client_id}") from exc
    return agreement


def change_agreement(
    uow: UnitOfWork, client_id: str, agreement_id: str, values: dict[str, Any]
) -> Agreement:
    agreement = store.get_agreement(uow.session, client_id, agreement_id)
    if agreement is None:
        raise NotFound("agreement")
    number = values.get("number")
    taken = number and store.agreement_by_number(uow.session, client_id, number)
    if taken and taken.id != agreement.id:
        raise Conflict(f"agreement {number} is already filed for {client_id}")
    _check_dates(
        values.get("start_date", agreement.start_date), values.get("end_date", agreement.end_date)
    )
    for name, value in values.items():
        setattr(agreement, name, value)
    agreement.updated_at = uow.now
    uow.session.add(agreement)
    uow.session.flush()
    return agreement


def agreement_for_file(session: Any, client_id: str, agreement_id: str | None) -> Agreement | None:
    """The agreement a case file comes under: the one named (it must be active), else the
    client's only active one, else none when the client has no agreement on file yet."""
    if agreement_id:
        agreement = store.get_agreement(session, client_id, agreement_id)
        if agreement is None:
            raise NotFound("agreement")
        if agreement.status != "active":
            raise ProblemError(
                409, f"agreement {agreement.number} is {agreement.status}, not active"
            )
        return agreement
    every = store.agreements_of(session, client_id)
    active = [a for a in every if a.status == "active"]
    if len(active) == 1:
        return active[0]
    if len(active) > 1:
        raise ProblemError(
            422,
            "the client has several active agreements: name one in the form field `agreement_id`",
        )
    if every:
        raise ProblemError(409, "the client has no active agreement")
    return None


def _check_dates(start: date, end: date) -> None:
    if end < start:
        raise ProblemError(422, "the agreement ends before it starts")
