"""Every event of the platform, grouped by the service that publishes it."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from pydantic import Field

from shared.events.envelope import Payload

Money = Decimal


class Phone(Payload):
    number: str
    kind: Literal["mobile", "home", "work", "other"] = "mobile"


class Person(Payload):
    name: str
    id_type: str | None = None
    id_number: str | None = None
    phones: tuple[Phone, ...] = ()
    relation: str | None = None


class Debt(Payload):
    currency: str = "CNY"
    principal: Money = Decimal("0")
    interest: Money = Decimal("0")
    penalty: Money = Decimal("0")
    fees: Money = Decimal("0")
    total_owed: Money


# --- intake ---------------------------------------------------------------------------


class CaseImported(Payload):
    event_type = "CaseImported"
    producer = "intake"
    summary = "A bank's case was entered into the platform for the first time."

    client_id: str
    agreement_id: str | None = None
    batch_id: str
    account_ref: str = Field(description="The client's own reference for the account.")
    product_type: str | None = None
    debtor: Person
    home_address: str | None = None
    work_address: str | None = None
    employer: str | None = None
    contacts: tuple[Person, ...] = ()
    debt: Debt
    overdue_since: date | None = None
    days_past_due: int | None = None
    bucket: str | None = None
    branch: str | None = None
    received_at: datetime


class CaseUpdated(Payload):
    event_type = "CaseUpdated"
    producer = "intake"
    summary = "A later file or a balance adjustment changed a case; lists what changed."

    client_id: str
    account_ref: str
    batch_id: str | None = None
    changes: dict[str, tuple[str | None, str | None]] = Field(
        description="field -> (old, new), as text"
    )
    debt: Debt | None = None


class CaseRecalled(Payload):
    event_type = "CaseRecalled"
    producer = "intake"
    summary = "The client withdrew the case from collection."

    client_id: str
    account_ref: str
    reason: str | None = None


class PaymentReceived(Payload):
    event_type = "PaymentReceived"
    producer = "intake"
    summary = "The client reported a payment on a case."

    client_id: str
    account_ref: str
    transaction_ref: str
    amount: Money
    currency: str = "CNY"
    paid_at: datetime


class ImportCompleted(Payload):
    event_type = "ImportCompleted"
    producer = "intake"
    summary = "A case file finished importing."

    client_id: str
    batch_id: str
    rows_total: int
    rows_imported: int
    rows_updated: int
    rows_rejected: int
    received_at: datetime
    completed_at: datetime
    entry_overdue: bool = Field(description="True when entry took longer than the 2-hour clock.")


# --- assignment -----------------------------------------------------------------------


class CaseAssigned(Payload):
    event_type = "CaseAssigned"
    producer = "assignment"
    summary = "A case was given to a collector for the first time."

    client_id: str
    collector_id: str
    team_id: str | None = None
    branch_id: str | None = None
    assigned_at: datetime
    due_first_action_by: datetime | None = None


class CaseReassigned(Payload):
    event_type = "CaseReassigned"
    producer = "assignment"
    summary = "A case moved from one collector to another (handover, rebalancing)."

    client_id: str
    from_collector_id: str
    collector_id: str
    team_id: str | None = None
    branch_id: str | None = None
    reason: str
    reassigned_at: datetime
    due_first_action_by: datetime | None = None


class FieldVisitOrdered(Payload):
    event_type = "FieldVisitOrdered"
    producer = "assignment"
    summary = "A case was handed to a field collector for a visit."

    visit_id: str
    field_collector_id: str
    ordered_by: str
    due_by: datetime


class ApprovalGranted(Payload):
    event_type = "ApprovalGranted"
    producer = "assignment"
    summary = "A supervisor approved an extension or special procedure."

    approval_id: str
    kind: str
    approved_by: str
    decided_at: datetime


class ApprovalRejected(Payload):
    event_type = "ApprovalRejected"
    producer = "assignment"
    summary = "A supervisor rejected an extension or special procedure."

    approval_id: str
    kind: str
    rejected_by: str
    reason: str
    decided_at: datetime


class CaseClosed(Payload):
    event_type = "CaseClosed"
    producer = "assignment"
    summary = "Collection on the case ended."

    client_id: str
    outcome: Literal["paid", "settled", "recalled", "written_off", "legal"]
    closed_at: datetime


class CalendarDay(Payload):
    day: date
    kind: Literal["holiday", "workday"] = Field(
        description="`holiday`: a day off; `workday`: an adjusted working day (调休)."
    )
    name: str = ""


class WorkdayCalendarLoaded(Payload):
    event_type = "WorkdayCalendarLoaded"
    producer = "assignment"
    summary = (
        "An admin loaded a year's public holidays and adjusted working days; every service "
        "that counts working days keeps a copy and uses it ahead of its own estimate."
    )

    year: int
    days: tuple[CalendarDay, ...]
    loaded_by: str
    loaded_at: datetime


# --- contact --------------------------------------------------------------------------


class ContactAttempted(Payload):
    event_type = "ContactAttempted"
    event_version = 2
    producer = "contact"
    summary = "A collector tried to reach a debtor, guarantor or contact."

    attempt_id: str
    collector_id: str
    channel: Literal["phone", "sms", "letter", "fax", "field_visit", "email", "other"] = Field(
        description="Version 2 names a visit `field_visit` (v1: `visit`) and adds `email`."
    )
    party: Literal["debtor", "guarantor", "contact"]
    outcome: str
    attempted_at: datetime
    direction: Literal["outbound", "inbound"] = "outbound"
    arrears_reason: str | None = None
    first_attempt: bool = False
    first_contact_late: bool = Field(
        default=False, description="The case's first attempt, made after its 2-hour deadline."
    )
    overridden_rules: tuple[str, ...] = Field(
        default=(), description="Contact rules a supervisor overrode to allow this attempt."
    )


class PromisedInstalment(Payload):
    seq: int
    amount: Money
    due_on: date


class PaymentPromised(Payload):
    event_type = "PaymentPromised"
    producer = "contact"
    summary = "A debtor promised to pay an amount by a date."

    promise_id: str
    collector_id: str
    amount: Money = Field(description="The whole promise; with instalments, their sum.")
    due_on: date = Field(description="When the last of it is due.")
    promised_at: datetime
    instalments: tuple[PromisedInstalment, ...] = Field(
        default=(), description="The plan, when the promise is paid in instalments."
    )


class PromiseKept(Payload):
    event_type = "PromiseKept"
    producer = "contact"
    summary = "A promise to pay was met by payments."

    promise_id: str
    kept_at: datetime
    instalment: int = Field(default=1, description="Which instalment was kept (1 if one).")


class PromiseBroken(Payload):
    event_type = "PromiseBroken"
    producer = "contact"
    summary = "A promise to pay passed its date unmet."

    promise_id: str
    amount_missing: Money
    broken_at: datetime
    instalment: int = Field(default=1, description="Which instalment was broken (1 if one).")
    amount_paid: Money = Field(
        default=Decimal("0"), description="Paid by the deadline: more than 0 is partly kept."
    )


class ContactDetailsChanged(Payload):
    event_type = "ContactDetailsChanged"
    producer = "contact"
    summary = "A phone number or address of a party was added, confirmed or invalidated."

    party: Literal["debtor", "guarantor", "contact"]
    field: str
    status: Literal["added", "confirmed", "invalid"]
    changed_at: datetime


class DisputeRaised(Payload):
    event_type = "DisputeRaised"
    producer = "contact"
    summary = "The debtor disputes the debt; collection pauses until verified."

    dispute_id: str
    reason: str
    raised_at: datetime
    kind: Literal["dispute", "fraud_claimed"] = "dispute"


# --- letters --------------------------------------------------------------------------


class LetterIssued(Payload):
    event_type = "LetterIssued"
    producer = "letters"
    summary = "A letter was rendered for a case; its content hash is kept as proof."

    letter_id: str
    kind: str
    recipient_party: Literal["debtor", "guarantor", "contact"]
    content_sha256: str
    issued_at: datetime


class LetterDispatched(Payload):
    event_type = "LetterDispatched"
    producer = "letters"
    summary = "A letter was posted; the tracking number and mailing date are proof."

    letter_id: str
    carrier: str
    tracking_number: str
    mailed_on: date


class LetterDelivered(Payload):
    event_type = "LetterDelivered"
    producer = "letters"
    summary = "The delivery outcome of a posted letter is known."

    letter_id: str
    outcome: Literal["signed", "refused", "undeliverable"]
    outcome_on: date


ALL_PAYLOADS: tuple[type[Payload], ...] = (
    CaseImported, CaseUpdated, CaseRecalled, PaymentReceived, ImportCompleted,
    CaseAssigned, CaseReassigned, FieldVisitOrdered, ApprovalGranted, ApprovalRejected,
    CaseClosed, WorkdayCalendarLoaded,
    ContactAttempted, PaymentPromised, PromiseKept, PromiseBroken, ContactDetailsChanged,
    DisputeRaised,
    LetterIssued, LetterDispatched, LetterDelivered,
)  # fmt: skip
