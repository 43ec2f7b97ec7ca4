"""Every event reporting consumes and the handlers that run for it, in running order.

Reporting consumes every other service's events into its live read models (and their
tally and timeline); the shared pairs are listed too: each case's visibility first,
revoked bank keys, the working-day calendar (kept apart from the read models: a rebuild
replaces those only), the purge order last.

Until the read-model handlers are module-level functions, their part of each pair is
``handlers_for(LIVE)``'s, in the order that table gives.
"""

from __future__ import annotations

from services.reporting.models import LIVE
from services.reporting.readmodel.handlers import handlers_for
from shared.auth import revocation, visibility
from shared.bus.handlers import HandlerTable
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

_LIVE = handlers_for(LIVE)

SUBSCRIPTIONS: HandlerTable = {
    AgencyPlacementRejected: [*_LIVE[AgencyPlacementRejected]],
    AgencyPlacementRequested: [*_LIVE[AgencyPlacementRequested]],
    AgencyRegistered: [*_LIVE[AgencyRegistered]],
    AgreementSaved: [*_LIVE[AgreementSaved]],
    ApprovalGranted: [*_LIVE[ApprovalGranted]],
    ApprovalRejected: [*_LIVE[ApprovalRejected]],
    ApprovalRequested: [*_LIVE[ApprovalRequested]],
    BankAccessRevoked: [revocation.on_revoked, *_LIVE[BankAccessRevoked]],
    CaseAssigned: [visibility.on_assigned, *_LIVE[CaseAssigned]],
    CaseClosed: [*_LIVE[CaseClosed]],
    CaseCostRecorded: [*_LIVE[CaseCostRecorded]],
    CaseImported: [visibility.on_imported, *_LIVE[CaseImported]],
    CasePlacedWithAgency: [*_LIVE[CasePlacedWithAgency]],
    CaseReassigned: [visibility.on_assigned, *_LIVE[CaseReassigned]],
    CaseRecalled: [*_LIVE[CaseRecalled]],
    CaseRecalledFromAgency: [*_LIVE[CaseRecalledFromAgency]],
    CaseUpdated: [*_LIVE[CaseUpdated]],
    ClientPurgeOrdered: [*_LIVE[ClientPurgeOrdered], on_purge_ordered],
    CollectorUpdated: [*_LIVE[CollectorUpdated]],
    ContactAttempted: [*_LIVE[ContactAttempted]],
    ContactDetailsChanged: [*_LIVE[ContactDetailsChanged]],
    DisputeRaised: [*_LIVE[DisputeRaised]],
    DisputeResolved: [*_LIVE[DisputeResolved]],
    FieldVisitCompleted: [*_LIVE[FieldVisitCompleted]],
    FieldVisitOrdered: [*_LIVE[FieldVisitOrdered]],
    FieldVisitReported: [*_LIVE[FieldVisitReported]],
    FieldVisitSignedOff: [*_LIVE[FieldVisitSignedOff]],
    ImportCompleted: [*_LIVE[ImportCompleted]],
    IncidentLogged: [*_LIVE[IncidentLogged]],
    IncidentReported: [*_LIVE[IncidentReported]],
    IncidentResolved: [*_LIVE[IncidentResolved]],
    LetterDelivered: [*_LIVE[LetterDelivered]],
    LetterDispatched: [*_LIVE[LetterDispatched]],
    LetterIssued: [*_LIVE[LetterIssued]],
    PaymentPromised: [*_LIVE[PaymentPromised]],
    PaymentReceived: [*_LIVE[PaymentReceived]],
    PromiseBroken: [*_LIVE[PromiseBroken]],
    PromiseKept: [*_LIVE[PromiseKept]],
    WorkdayCalendarLoaded: [*_LIVE[WorkdayCalendarLoaded], on_calendar_loaded],
}
