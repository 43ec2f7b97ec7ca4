"""Recording a cost on a case; the one recording it is the one approving it. Never commits."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from sqlmodel import Session, col, select

from services.assignment.costs.models import CaseCost
from shared.auth.policy import CaseScope
from shared.bus.work import UnitOfWork
from shared.events.catalog import CaseCostRecorded

FEN = Decimal("0.01")


def record_cost(
    uow: UnitOfWork,
    case: CaseScope,
    *,
    kind: str,
    amount: Decimal,
    incurred_on: date,
    approved_by: str,
    incurred_by: str | None = None,
    note: str | None = None,
) -> CaseCost:
    """Keep the cost and announce it as ``CaseCostRecorded`` (reporting's cost per case)."""
    cost = CaseCost(
        id=str(uuid.uuid4()),
        case_id=case.case_id,
        client_id=case.client_id or "",
        kind=kind,
        amount=amount.quantize(FEN, rounding=ROUND_HALF_UP),
        incurred_on=incurred_on,
        incurred_by=incurred_by,
        note=note,
        approved_by=approved_by,
        recorded_at=uow.now,
    )
    uow.session.add(cost)
    uow.session.flush()
    uow.emit(
        CaseCostRecorded(
            cost_id=cost.id,
            client_id=cost.client_id,
            kind=kind,  # type: ignore[arg-type]
            amount=cost.amount,
            incurred_on=incurred_on,
            approved_by=approved_by,
            recorded_at=uow.now,
        ),
        case_id=case.case_id,
    )
    return cost


def costs_of(session: Session, case_id: str) -> list[CaseCost]:
    return list(
        session.exec(
            select(CaseCost)
            .where(CaseCost.case_id == case_id)
            .order_by(col(CaseCost.incurred_on), col(CaseCost.recorded_at), col(CaseCost.id))
        )
    )
