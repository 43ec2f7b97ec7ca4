"""A promise to pay as a collector records it (an amount by a date, or instalments), and
as it stands."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from pydantic import BaseModel, Field, model_validator

from services.contact.promises.models import Instalment, Promise
from shared.clock import UtcDatetime
from shared.web.strict import decimal_text

Amount = Field(gt=0, max_digits=16, decimal_places=2)

PositiveAmount = decimal_text(digits=16, positive=True)


class InstalmentIn(BaseModel):
    due_on: date
    amount: Decimal = Amount


class PromiseCreate(BaseModel):
    amount: PositiveAmount | None = Field(default=None, gt=0, max_digits=16, decimal_places=2)
    due_on: date | None = None
    instalments: list[InstalmentIn] | None = Field(default=None, min_length=1, max_length=60)
    attempt_id: str | None = Field(default=None, max_length=36)

    @model_validator(mode="after")
    def _one_form(self) -> PromiseCreate:
        single = self.amount is not None and self.due_on is not None
        if single == bool(self.instalments) or (self.amount is None) != (self.due_on is None):
            raise ValueError("give either amount and due_on, or instalments")
        return self

    def plan(self) -> list[tuple[date, Decimal]]:
        if self.instalments:
            return [(i.due_on, i.amount) for i in self.instalments]
        assert self.due_on is not None and self.amount is not None
        return [(self.due_on, self.amount)]


class InstalmentPublic(BaseModel):
    seq: int
    due_on: date
    deadline: UtcDatetime
    amount: Decimal
    paid_on_time: Decimal
    paid_late: Decimal
    state: str
    decided_at: UtcDatetime | None


class PromisePublic(BaseModel):
    id: str
    collector_id: str
    attempt_id: str | None
    amount: Decimal
    promised_at: UtcDatetime
    counts_payments_from: UtcDatetime = Field(
        description="Payments made from this moment (the start of the day of the promise on "
        "the debtor's clock) count toward it, also those a minute before it was recorded; "
        "earlier ones, and money earlier promises already took, do not"
    )
    state: str
    instalments: list[InstalmentPublic]

    @classmethod
    def of(cls, promise: Promise, instalments: list[Instalment]) -> PromisePublic:
        return cls(
            id=promise.id,
            collector_id=promise.collector_id,
            attempt_id=promise.attempt_id,
            amount=promise.amount,
            promised_at=promise.promised_at,
            counts_payments_from=promise.counts_from or promise.promised_at,
            state=promise.state,
            instalments=[
                InstalmentPublic.model_validate(i, from_attributes=True) for i in instalments
            ],
        )
