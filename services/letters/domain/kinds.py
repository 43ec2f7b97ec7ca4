"""The letter types: each a versioned template, who it goes to, what it asks for beyond the
case's own data, and the deadline its delivery sets."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, WithJsonSchema, model_validator

from services.letters.domain.deadlines import DeadlineRule
from shared.web.strict import amount_or_text

Party = Literal["debtor", "guarantor"]
if TYPE_CHECKING:  # amount_or_text makes an Annotated Decimal when the module loads
    Amount = Decimal
    PositiveAmount = Decimal
else:
    Amount = amount_or_text()
    PositiveAmount = amount_or_text(positive=True)
DAILY_RATE_TEXT = r"^0(\.(0{0,2}|00\d{1,6}|010{0,5}))?$"


def _rate_text(value: Any) -> Any:
    if isinstance(value, bool) or (isinstance(value, str) and not re.match(DAILY_RATE_TEXT, value)):
        raise ValueError('a daily rate from 0 to 0.01, e.g. 0.0004 or "0.0004" (0.04 % a day)')
    return value


DailyRate = Annotated[
    Decimal,
    BeforeValidator(_rate_text),
    Field(ge=0, le=Decimal("0.01"), decimal_places=8),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "number", "minimum": 0, "maximum": 0.01, "multipleOf": 1e-8},
                {"type": "string", "pattern": DAILY_RATE_TEXT},
            ],
            "description": "A share of the amount a day, at most 0.01 (1 %)",
        }
    ),
]


class Fields(BaseModel):
    model_config = ConfigDict(extra="forbid")


class OverdueNoticeFields(Fields):
    pass


class DemandFields(Fields):
    contract_no: str = Field(max_length=64)
    contract_date: date
    goods: str = Field(max_length=200, description="Goods or services supplied")
    supply_from: date
    supply_to: date
    invoiced_total: Amount


class FaxFields(Fields):
    to_fax: str = Field(max_length=40)
    from_fax: str = Field(max_length=40)
    attention: str = Field(default="财务部", max_length=100)
    pages: int = Field(default=1, ge=1, le=50)
    our_contract_no: str = Field(max_length=64)
    their_contract_no: str = Field(default="", max_length=64)
    payable: Amount = Field(description="More than `paid`: something is overdue")
    paid: Amount
    object_by: date

    @model_validator(mode="after")
    def _something_overdue(self) -> FaxFields:
        if self.payable <= self.paid:
            raise ValueError(f"nothing is overdue: paid {self.paid} of {self.payable} payable")
        return self


class PenaltyFields(Fields):
    amount_due: PositiveAmount
    due_on: date
    penalty_from: date = Field(
        description="The day the penalty is counted from, not before `due_on`; it is not "
        "counted itself (Civil Code art. 201), so the due date gives a penalty from the day "
        "after it"
    )
    daily_rate: DailyRate | None = None
    pay_by: date

    @model_validator(mode="after")
    def _after_due(self) -> PenaltyFields:
        if self.penalty_from < self.due_on:
            raise ValueError(
                f"penalty_from {self.penalty_from} is before the due date {self.due_on}: "
                "no penalty runs before the amount is due"
            )
        return self


class DocumentReminderFields(Fields):
    documents: list[str] = Field(min_length=1, max_length=20)
    submit_by: date


class TerminationFields(Fields):
    contract_no: str = Field(max_length=64)
    reason: str = Field(max_length=300)
    settle_by: date
    property_address: str = Field(default="", max_length=300)


class FinalNoticeFields(Fields):
    contract_no: str = Field(default="", max_length=64)
    required_action: str = Field(default="结清全部欠款", max_length=200)


class StatementLine(BaseModel):
    model_config = ConfigDict(extra="forbid")
    period: str = Field(max_length=60, description="Invoice number or period")
    amount: Amount


class StatementFields(Fields):
    lines: list[StatementLine] = Field(min_length=1, max_length=40)


class GuarantorNoticeFields(Fields):
    guarantor_name: str = Field(max_length=200)
    guarantor_address: str = Field(default="", max_length=500)
    guarantee_contract_no: str = Field(default="", max_length=64)


class LawyerLetterFields(Fields):
    law_firm: str = Field(max_length=200)
    lawyer: str = Field(max_length=100)


@dataclass(frozen=True)
class LetterKind:
    code: str
    title: str
    version: int
    fields: type[Fields]
    party: Party = "debtor"
    deadline: DeadlineRule | None = None
    demand: bool = True
    """A demand for payment: delivered to the debtor, it interrupts the limitation period."""
    asks_for_balance: bool = False
    """It asks the recipient to pay what the case owes: never sent for a balance of zero."""

    @property
    def template(self) -> str:
        return f"{self.code}.v{self.version}.typ"


KINDS: dict[str, LetterKind] = {
    k.code: k
    for k in (
        LetterKind(
            "overdue_notice",
            "逾期催收函",
            1,
            OverdueNoticeFields,
            deadline=DeadlineRule(7, "calendar"),
            asks_for_balance=True,
        ),
        LetterKind(
            "demand_letter",
            "催款函",
            1,
            DemandFields,
            deadline=DeadlineRule(3, "working"),
            asks_for_balance=True,
        ),
        LetterKind("payment_reminder_fax", "催款传真", 1, FaxFields),
        LetterKind("penalty_notice", "违约金通知书", 2, PenaltyFields, asks_for_balance=True),
        LetterKind("document_reminder", "补交资料通知书", 1, DocumentReminderFields, demand=False),
        LetterKind("termination_notice", "解除合同通知书", 1, TerminationFields),
        LetterKind(
            "final_notice",
            "最后通知书",
            1,
            FinalNoticeFields,
            deadline=DeadlineRule(10, "calendar"),
            asks_for_balance=True,
        ),
        LetterKind(
            "statement", "对帐单", 1, StatementFields, deadline=DeadlineRule(10, "calendar")
        ),
        LetterKind(
            "guarantor_notice",
            "逾期贷款催收通知书",
            1,
            GuarantorNoticeFields,
            party="guarantor",
            asks_for_balance=True,
        ),
        LetterKind(
            "lawyer_letter",
            "律师函",
            1,
            LawyerLetterFields,
            deadline=DeadlineRule(7, "calendar"),
            asks_for_balance=True,
        ),
    )
}


def nothing_owed(kind: LetterKind, balance: Decimal) -> str | None:
    """Why a letter asking for the case's balance cannot go out, or None when it can."""
    if kind.asks_for_balance and balance <= 0:
        return (
            f"the case owes {balance:.2f}: no {kind.title} ({kind.code}) "
            "for a balance of zero or less"
        )
    return None
