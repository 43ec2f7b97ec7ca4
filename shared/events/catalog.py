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


class PastDue(Payload):
    """What a case's days past due are counted from (see ``shared.pastdue``): the bank's
    first overdue date, else its stated days past due as of ``days_past_due_on``."""

    overdue_since: date | None = None
    days_past_due: int | None = None
    days_past_due_on: date | None = Field(
        default=None, description="The day days_past_due was counted to."
    )


class CaseImported(Payload):
    event_type = "CaseImported"
    event_version = 2
    producer = "intake"
    summary = (
        "A bank's case was entered into the platform for the first time. Days past due "
        "follow shared.pastdue: from overdue_since, else days_past_due as of "
        "days_past_due_on; bucket is the platform's (M0…M7+) on that day (v2)."
    )

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
    days_past_due_on: date | None = Field(
        default=None, description="The day days_past_due was counted to."
    )
    bucket: str | None = Field(default=None, description="M0…M7+ on days_past_due_on.")
    bank_bucket: str | None = Field(default=None, description="The bank's own 账龄 label.")
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
    past_due: PastDue | None = Field(
        default=None, description="The case's days-past-due facts, when one of them changed."
    )


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


class AgreementSaved(Payload):
    event_type = "AgreementSaved"
    producer = "intake"
    summary = (
        "A client's cooperation agreement (合作协议) was created or changed: the terms "
        "reporting needs for commission, reconciliation and targets. No case; key = agreement id."
    )

    agreement_id: str
    client_id: str
    number: str
    status: str
    starts_on: date
    ends_on: date
    product_types: tuple[str, ...] = ()
    commission_rate: Decimal = Field(description="Share of the recovered amount, e.g. 0.1200.")
    bucket_rates: dict[str, Decimal] = Field(
        default_factory=dict, description="Commission rate per days-past-due bucket, if any."
    )
    reconciliation_day: int = Field(description="Day of the month (1–28) the bank reconciles.")
    recovery_target: Money | None = Field(
        default=None, description="The client's monthly recovery target."
    )
    outsourcing_needs_approval: bool = Field(
        default=False,
        description="Placing a case under this agreement with an outside agency waits for "
        "an approval (assignment).",
    )
    saved_at: datetime


class BankAccessRevoked(Payload):
    event_type = "BankAccessRevoked"
    producer = "intake"
    summary = (
        "A bank's API key was revoked: every service refuses the bank tokens issued for it "
        "from now on. No case."
    )

    client_id: str
    key_id: str
    revoked_at: datetime


class ClientPurgeOrdered(Payload):
    event_type = "ClientPurgeOrdered"
    producer = "intake"
    summary = (
        "Five years after a client's last agreement ended, an admin ordered its debtors' "
        "personal data and files removed: every service removes its part once (per purge_id) "
        "and keeps anonymised figures. No case; key = client id."
    )

    purge_id: str
    client_id: str
    agreement_ids: tuple[str, ...] = ()
    retention_until: date = Field(description="The latest agreement's end date + 5 years.")
    ordered_by: str = Field(description="Staff id of the admin who ordered it.")
    reason: str
    ordered_at: datetime


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
    client_id: str | None = None
    phone_collector_id: str | None = Field(
        default=None, description="The phone collector whose daily list asked for the visit."
    )
    due_estimated: bool = Field(
        default=False, description="True when due_by was counted on an estimated calendar."
    )


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
    reason: str | None = Field(
        default=None, description="Why, in words: e.g. paid in full, the client's recall reason."
    )


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


class CollectorUpdated(Payload):
    event_type = "CollectorUpdated"
    producer = "assignment"
    summary = (
        "A collector's team, branch, status or monthly recovery quota was set or changed. "
        "No case; key = collector id."
    )

    collector_id: str
    name: str
    role: str
    team_id: str | None = None
    branch_id: str | None = None
    status: Literal["active", "on_leave", "left"] = "active"
    monthly_quota: Money | None = None
    changed_at: datetime


class FieldVisitCompleted(Payload):
    event_type = "FieldVisitCompleted"
    producer = "assignment"
    summary = (
        "The phone collector entered a field visit's result (from the field collector's "
        "report); the supervisor's sign-off follows."
    )

    visit_id: str
    result: str
    improper_conduct: str | None = Field(
        default=None, description="What the phone collector noted about the visit's conduct."
    )
    entered_by: str
    completed_at: datetime


class FieldVisitSignedOff(Payload):
    event_type = "FieldVisitSignedOff"
    producer = "assignment"
    summary = "A supervisor reviewed a completed field visit and signed it off."

    visit_id: str
    signed_off_by: str
    signed_off_at: datetime


class ApprovalRequested(Payload):
    event_type = "ApprovalRequested"
    producer = "assignment"
    summary = (
        "Someone asked a supervisor to approve an extension, special procedure, waiver or a "
        "client's one-off request."
    )

    approval_id: str
    kind: str = Field(
        description="extension, legal_action, settlement_in_kind, secured_arrangement, "
        "write_off, waiver, client_request, visit_delay (a field visit later than its "
        "2-business-day deadline) or agency_placement (outsourcing where the agreement "
        "requires an approval)"
    )
    reason: str
    next_steps: str | None = None
    amount: Money | None = Field(default=None, description="For waivers: the amount waived.")
    requested_by: str
    requested_at: datetime


class CaseCostRecorded(Payload):
    event_type = "CaseCostRecorded"
    producer = "assignment"
    summary = "A cost on a case (travel, legal or court fees, postage) was recorded and approved."

    cost_id: str
    client_id: str
    kind: Literal["travel", "legal", "court", "postage", "other"]
    amount: Money
    incurred_on: date
    approved_by: str
    recorded_at: datetime


class IncidentReported(Payload):
    event_type = "IncidentReported"
    producer = "assignment"
    summary = (
        "An incident was raised (seeds §12): an outage, a failed bank data transfer, a field "
        "emergency, force majeure, or a debtor acting against the client's interests. Keyed "
        "by its case when it has one."
    )

    incident_id: str
    kind: Literal[
        "outage",
        "data_transfer_failure",
        "field_emergency",
        "force_majeure",
        "debtor_against_client",
    ]
    what: str = Field(description="What happened, in the raiser's words.")
    client_ids: tuple[str, ...] = Field(
        default=(), description="The clients whose cases it touches (told over their channel)."
    )
    branch_id: str | None = None
    team_id: str | None = None
    visit_id: str | None = Field(default=None, description="The field visit it was raised from.")
    raised_by: str
    occurred_at: datetime = Field(description="When it happened (the clocks start here).")
    raised_at: datetime
    supervisor_id: str | None = Field(default=None, description="The supervisor told at once.")
    supervisor_told_at: datetime | None = None


class IncidentLogged(Payload):
    event_type = "IncidentLogged"
    producer = "assignment"
    summary = "An action on an incident, someone told of it, or a contact while it is open."

    incident_id: str
    entry: Literal["action", "told", "contact"]
    at: datetime
    by: str
    whom: str | None = None
    note: str
    restore_from_backup: bool = Field(
        default=False, description="A restore from backup, approved and supervised by HQ."
    )


class IncidentResolved(Payload):
    event_type = "IncidentResolved"
    producer = "assignment"
    summary = "An incident was resolved, with its resolution and outcome."

    incident_id: str
    kind: str
    occurred_at: datetime
    resolved_at: datetime
    resolved_by: str
    resolution: str
    outcome: str


class AgencyRegistered(Payload):
    event_type = "AgencyRegistered"
    producer = "assignment"
    summary = "An outside collection agency (委外) was registered or changed. No case."

    agency_id: str
    name: str
    commission_rate: Decimal = Field(description="Share of what it recovers, e.g. 0.2500.")
    term_days: int
    active: bool
    saved_at: datetime


class CasePlacedWithAgency(Payload):
    event_type = "CasePlacedWithAgency"
    producer = "assignment"
    summary = (
        "A case was placed with an outside agency until a date; payments meanwhile count "
        "for the agency (its collector holds the case, announced as CaseReassigned too)."
    )

    placement_id: str
    agency_id: str
    collector_id: str
    placed_by: str
    placed_at: datetime
    until: datetime
    commission_rate: Decimal
    approval_id: str | None = Field(
        default=None,
        description="The approval the placement waited for, where the agreement requires one.",
    )


class AgencyPlacementRequested(Payload):
    event_type = "AgencyPlacementRequested"
    producer = "assignment"
    summary = (
        "A case's agreement requires an approval before outsourcing: its placement with an "
        "agency waits for the approval named (ApprovalRequested, kind agency_placement). "
        "Granted, it becomes CasePlacedWithAgency; rejected, AgencyPlacementRejected."
    )

    placement_id: str
    agency_id: str
    approval_id: str
    requested_by: str
    requested_at: datetime
    reason: str


class AgencyPlacementRejected(Payload):
    event_type = "AgencyPlacementRejected"
    producer = "assignment"
    summary = "A placement waiting for approval was rejected: the case stays where it was."

    placement_id: str
    agency_id: str
    approval_id: str
    rejected_by: str
    rejected_at: datetime
    reason: str


class CaseRecalledFromAgency(Payload):
    event_type = "CaseRecalledFromAgency"
    producer = "assignment"
    summary = "A placed case came back from the agency, at term end or by hand."

    placement_id: str
    agency_id: str
    recalled_at: datetime
    recalled_by: str
    reason: str
    returned_to: str


# --- contact --------------------------------------------------------------------------


OUTCOMES_NOT_REACHED: frozenset[str] = frozenset(
    {
        "third_party",
        "message_left",
        "no_answer",
        "busy",
        "voicemail",
        "wrong_number",
        "disconnected",
        "deceased",
        "debtor_unreachable_claimed",
        "other",
    }
)
"""``ContactAttempted`` outcomes in which the collector did not speak with the party; every
other outcome means the party was reached (a right-party contact when it is the debtor)."""


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
    outcome: str = Field(
        description="What happened. Outcomes in which the party was not reached: "
        + ", ".join(sorted(OUTCOMES_NOT_REACHED))
        + "; any other outcome means the party was reached."
    )
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
    recording_sha256: str | None = Field(
        default=None, description="SHA-256 of the call's or visit's recording, when kept."
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
    detail_id: str | None = Field(default=None, description="Contact's id of the phone or address.")
    source: Literal["bank_file", "debtor", "skip_tracing"] | None = Field(
        default=None, description="Where the detail came from (skip tracing: 失联修复)."
    )


class DisputeRaised(Payload):
    event_type = "DisputeRaised"
    producer = "contact"
    summary = "The debtor disputes the debt; collection pauses until verified."

    dispute_id: str
    reason: str
    raised_at: datetime
    kind: Literal["dispute", "fraud_claimed"] = "dispute"


class FieldVisitReported(Payload):
    event_type = "FieldVisitReported"
    producer = "contact"
    summary = (
        "A field collector filed the report of a visit against assignment's visit order "
        "(who, when, where, what was found, recording)."
    )

    visit_id: str
    field_collector_id: str
    visited_at: datetime
    found: str
    recording_sha256: str | None = None
    reported_at: datetime


class DisputeResolved(Payload):
    event_type = "DisputeResolved"
    producer = "contact"
    summary = "A dispute was resolved; contact may resume unless the debt was found not owed."

    dispute_id: str
    resolution: Literal["upheld", "rejected", "withdrawn"] = Field(
        description="upheld: the debtor was right (the debt or part of it is not owed)."
    )
    resolved_by: str
    resolved_at: datetime


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
    outcome: Literal["signed", "refused", "undeliverable", "returned"]
    outcome_on: date
    deadline_on: date | None = Field(
        default=None,
        description="The last day of the deadline the delivery sets (from the signing date, "
        "or the mailing date + 3 days when refused or undeliverable through the recipient's "
        "fault); none when the letter type sets none or it did not reach the recipient.",
    )


# --- reporting ------------------------------------------------------------------------


class ReportSubmitted(Payload):
    event_type = "ReportSubmitted"
    producer = "reporting"
    summary = (
        "A collector's weekly or monthly report, or a branch's monthly report, was submitted "
        "as a frozen snapshot (its SHA-256 is the proof of what was submitted). No case."
    )

    submission_id: str
    report: str
    period: str
    subject_id: str = Field(description="The collector, or the branch for a branch report.")
    submitted_by: str
    body_sha256: str
    submitted_at: datetime


class ReportApproved(Payload):
    event_type = "ReportApproved"
    producer = "reporting"
    summary = "A reviewer approved a submitted report; `complete` once every approval is in."

    submission_id: str
    approved_by: str
    role: str
    complete: bool
    approved_at: datetime


class ReportReturned(Payload):
    event_type = "ReportReturned"
    producer = "reporting"
    summary = "A reviewer returned a submitted report to its author, with the reason."

    submission_id: str
    returned_by: str
    reason: str
    returned_at: datetime


ALL_PAYLOADS: tuple[type[Payload], ...] = (
    CaseImported, CaseUpdated, CaseRecalled, PaymentReceived, ImportCompleted, AgreementSaved,
    BankAccessRevoked, ClientPurgeOrdered,
    CaseAssigned, CaseReassigned, FieldVisitOrdered, ApprovalGranted, ApprovalRejected,
    CaseClosed, WorkdayCalendarLoaded, CollectorUpdated, FieldVisitCompleted,
    FieldVisitSignedOff, ApprovalRequested, CaseCostRecorded,
    IncidentReported, IncidentLogged, IncidentResolved,
    AgencyRegistered, CasePlacedWithAgency, CaseRecalledFromAgency,
    AgencyPlacementRequested, AgencyPlacementRejected,
    ContactAttempted, PaymentPromised, PromiseKept, PromiseBroken, ContactDetailsChanged,
    DisputeRaised, FieldVisitReported, DisputeResolved,
    LetterIssued, LetterDispatched, LetterDelivered,
    ReportSubmitted, ReportApproved, ReportReturned,
)  # fmt: skip
