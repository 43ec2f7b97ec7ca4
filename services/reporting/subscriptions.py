"""Every event reporting consumes and the handlers that run for it, in running order.

Reporting takes every other service's events into its read models: each event's own
handlers (``cases``, ``desk``, ``placements``), then the tally and the case's timeline
(``every_event``). The shared pairs are listed too: each case's visibility first, revoked
bank keys, the working-day calendar and the purge order last. A rebuild replays the
read-model handlers only (``READ_MODEL_HANDLERS``) into fresh tables; visibility, keys,
the calendar and purges are kept apart from the read models.
"""

from __future__ import annotations

from services.reporting.readmodel import cases, desk, placements
from services.reporting.readmodel import handlers as every_event
from shared.auth import revocation, visibility
from shared.bus.handlers import AnyHandler, HandlerTable
from shared.events import Payload
from shared.events.catalog import (
    AgencyPlacementRejected,
    AgencyPlacementRequested,
    AgencyRegistered,
    AgreementSaved,
    ApprovalGranted,
    ApprovalRejected,
    ApprovalRequested,
    BankAccessRevoked,
    CaseAssigned,
    CaseClosed,
    CaseCostRecorded,
    CaseImported,
    CasePlacedWithAgency,
    CaseReassigned,
    CaseRecalled,
    CaseRecalledFromAgency,
    CaseUpdated,
    ClientPurgeOrdered,
    CollectorUpdated,
    ContactAttempted,
    ContactDetailsChanged,
    DisputeRaised,
    DisputeResolved,
    FieldVisitCompleted,
    FieldVisitOrdered,
    FieldVisitReported,
    FieldVisitSignedOff,
    ImportCompleted,
    IncidentLogged,
    IncidentReported,
    IncidentResolved,
    LetterDelivered,
    LetterDispatched,
    LetterIssued,
    PaymentPromised,
    PaymentReceived,
    PromiseBroken,
    PromiseKept,
    WorkdayCalendarLoaded,
)
from shared.purge.handlers import on_purge_ordered
from shared.workdays.tables import on_calendar_loaded

SUBSCRIPTIONS: HandlerTable = {
    AgencyPlacementRejected: [every_event.tally, every_event.on_case_event],
    AgencyPlacementRequested: [every_event.tally, every_event.on_case_event],
    AgencyRegistered: [
        placements.on_agency_registered,
        every_event.tally,
        every_event.on_case_event,
    ],
    AgreementSaved: [desk.on_agreement_saved, every_event.tally, every_event.on_case_event],
    ApprovalGranted: [desk.on_approval_granted, every_event.tally, every_event.on_case_event],
    ApprovalRejected: [desk.on_approval_rejected, every_event.tally, every_event.on_case_event],
    ApprovalRequested: [desk.on_approval_requested, every_event.tally, every_event.on_case_event],
    BankAccessRevoked: [revocation.on_revoked, every_event.tally, every_event.on_case_event],
    CaseAssigned: [
        visibility.on_assigned,
        cases.on_case_assigned_holding,
        cases.on_case_assigned_case,
        cases.reattribute_payments,
        every_event.tally,
        every_event.on_case_event,
    ],
    CaseClosed: [cases.on_case_closed, every_event.tally, every_event.on_case_event],
    CaseCostRecorded: [desk.on_cost_recorded, every_event.tally, every_event.on_case_event],
    CaseImported: [
        visibility.on_imported,
        cases.on_case_imported,
        every_event.tally,
        every_event.on_case_event,
    ],
    CasePlacedWithAgency: [
        placements.on_placed_with_agency,
        every_event.tally,
        every_event.on_case_event,
    ],
    CaseReassigned: [
        visibility.on_assigned,
        cases.on_case_reassigned_holding,
        cases.reattribute_payments,
        every_event.tally,
        every_event.on_case_event,
    ],
    CaseRecalled: [cases.on_case_recalled, every_event.tally, every_event.on_case_event],
    CaseRecalledFromAgency: [
        placements.on_recalled_from_agency,
        every_event.tally,
        every_event.on_case_event,
    ],
    CaseUpdated: [
        cases.on_case_updated_owed,
        cases.on_case_updated_past_due,
        every_event.tally,
        every_event.on_case_event,
    ],
    ClientPurgeOrdered: [every_event.tally, every_event.on_case_event, on_purge_ordered],
    CollectorUpdated: [desk.on_collector_updated, every_event.tally, every_event.on_case_event],
    ContactAttempted: [
        cases.on_contact_attempted,
        cases.on_first_attempt,
        every_event.tally,
        every_event.on_case_event,
    ],
    ContactDetailsChanged: [every_event.tally, every_event.on_case_event],
    DisputeRaised: [every_event.tally, every_event.on_case_event],
    DisputeResolved: [every_event.tally, every_event.on_case_event],
    FieldVisitCompleted: [every_event.tally, every_event.on_case_event],
    FieldVisitOrdered: [desk.on_visit_ordered, every_event.tally, every_event.on_case_event],
    FieldVisitReported: [desk.on_visit_reported, every_event.tally, every_event.on_case_event],
    FieldVisitSignedOff: [every_event.tally, every_event.on_case_event],
    ImportCompleted: [desk.on_import_completed, every_event.tally, every_event.on_case_event],
    IncidentLogged: [every_event.tally, every_event.on_case_event],
    IncidentReported: [desk.on_incident_reported, every_event.tally, every_event.on_case_event],
    IncidentResolved: [desk.on_incident_resolved, every_event.tally, every_event.on_case_event],
    LetterDelivered: [desk.on_letter_delivered, every_event.tally, every_event.on_case_event],
    LetterDispatched: [desk.on_letter_dispatched, every_event.tally, every_event.on_case_event],
    LetterIssued: [desk.on_letter_issued, every_event.tally, every_event.on_case_event],
    PaymentPromised: [cases.on_payment_promised, every_event.tally, every_event.on_case_event],
    PaymentReceived: [
        cases.on_payment_received,
        cases.attribute_new_payments,
        every_event.tally,
        every_event.on_case_event,
    ],
    PromiseBroken: [cases.on_promise_broken, every_event.tally, every_event.on_case_event],
    PromiseKept: [cases.on_promise_kept, every_event.tally, every_event.on_case_event],
    WorkdayCalendarLoaded: [every_event.tally, every_event.on_case_event, on_calendar_loaded],
}

NOT_IN_READ_MODELS: frozenset[AnyHandler] = frozenset(
    {visibility.on_imported, visibility.on_assigned, revocation.on_revoked}
    | {on_purge_ordered, on_calendar_loaded}
)

READ_MODEL_HANDLERS: dict[type[Payload], list[AnyHandler]] = {
    payload_type: [h for h in handlers if h not in NOT_IN_READ_MODELS]
    for payload_type, handlers in SUBSCRIPTIONS.items()
}
