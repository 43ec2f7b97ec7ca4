"""Agreements (合作协议): filed and changed by the back office, announced as
``AgreementSaved``, and the one a case file comes under. They never commit: the
request's unit of work does."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal
from typing import Any

from pydantic import BaseModel
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from services.intake.agreements import store
from services.intake.agreements.models import Agreement
from services.intake.agreements.schemas import MappingField, MappingFields
from services.intake.case_files.parsing.file import MAPPABLE
from services.intake.case_files.parsing.mapping import (
    DEFAULT_ALIASES,
    MAPPING_TARGETS,
    REQUIRED_FIELDS,
    slot_field,
)
from services.intake.clients import store as clients
from shared.bus.work import UnitOfWork
from shared.errors import Conflict, NotFound, ProblemError
from shared.events.catalog import AgreementSaved


def columns_of(body: BaseModel, *, partial: bool) -> dict[str, Any]:
    """A request body as table columns (decimals inside JSON kept as text); a partial
    body (a change) gives only the fields sent."""
    values = body.model_dump(exclude_unset=partial, exclude={"commission"})
    commission = getattr(body, "commission", None)
    if commission is not None:
        values["commission_rate"] = commission.rate
        values["bucket_rates"] = {k: str(v) for k, v in commission.by_bucket.items()}
    for name in ("product_types", "regular_channel", "emergency_channel", "column_mapping"):
        if name in values and values[name] is None:
            values.pop(name)
    if "column_mapping" in values:
        check_mapping(values["column_mapping"], MAPPABLE)
    return {k: v for k, v in values.items() if v is not None or not partial}


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
    twice = sorted({f for f in targets if f and targets.count(f) > 1})  # "" ignores a column
    if twice:
        raise ProblemError(422, f"field(s) mapped from more than one header: {', '.join(twice)}")


def file_agreement(uow: UnitOfWork, client_id: str, values: dict[str, Any]) -> Agreement:
    if clients.get_client(uow.session, client_id) is None:
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
    _announce(uow, agreement)
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
    start = values.get("start_date", agreement.start_date)
    end = values.get("end_date", agreement.end_date)
    if {"start_date", "end_date"} <= values.keys():
        _check_dates(start, end)
    elif end < start:
        raise Conflict(
            f"the agreement would end ({end}) before it starts ({start}): change both dates"
        )
    for name, value in values.items():
        setattr(agreement, name, value)
    agreement.updated_at = uow.now
    uow.session.add(agreement)
    uow.session.flush()
    _announce(uow, agreement)
    return agreement


def _announce(uow: UnitOfWork, agreement: Agreement) -> None:
    """``AgreementSaved`` with the terms reporting needs, after every create or change."""
    uow.emit(
        AgreementSaved(
            agreement_id=agreement.id,
            client_id=agreement.client_id,
            number=agreement.number,
            status=agreement.status,
            starts_on=agreement.start_date,
            ends_on=agreement.end_date,
            product_types=tuple(agreement.product_types or ()),
            commission_rate=Decimal(agreement.commission_rate),
            bucket_rates={k: Decimal(v) for k, v in (agreement.bucket_rates or {}).items()},
            reconciliation_day=agreement.reconciliation_day,
            outsourcing_needs_approval=agreement.outsourcing_needs_approval,
            recovery_target=(
                Decimal(agreement.recovery_target)
                if agreement.recovery_target is not None
                else None
            ),
            saved_at=uow.now,
        ),
        case_id=None,
    )


def agreement_for_file(
    session: Session, client_id: str, agreement_id: str | None
) -> Agreement | None:
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
        raise Conflict(
            "the client has several active agreements: name one in the form field `agreement_id`"
        )
    if every:
        raise ProblemError(409, "the client has no active agreement")
    return None


def _check_dates(start: date, end: date) -> None:
    if end < start:
        raise ProblemError(422, "the agreement ends before it starts")


def mapping_fields() -> MappingFields:
    """Each field a column may be mapped to, with the headers read as it unmapped."""
    return MappingFields(
        fields=[
            MappingField(
                field=name,
                feeds=slot_field(name),
                required=name in REQUIRED_FIELDS,
                default_headers=list(DEFAULT_ALIASES.get(name, ())),
            )
            for name in sorted(MAPPING_TARGETS)
        ]
    )
