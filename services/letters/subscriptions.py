"""Every event letters consumes and the handlers that run for it, in running order.

The shared pairs are listed too: each case's visibility first, revoked bank keys, the
working-day calendar, the purge order. Contact's promises and calls need the case as
intake sent it: one that comes before it waits, and ``release_waiting_events`` runs it
right after the case is stored.
"""

from __future__ import annotations

from services.letters import handlers
from services.letters.dispatch.service import recount_estimated_deadlines
from shared.auth import revocation, visibility
from shared.bus.handlers import HandlerTable
from shared.events.catalog import (
    BankAccessRevoked,
    CaseAssigned,
    CaseImported,
    CaseReassigned,
    CaseUpdated,
    ClientPurgeOrdered,
    ContactAttempted,
    PaymentPromised,
    PaymentReceived,
    WorkdayCalendarLoaded,
)
from shared.purge.handlers import on_purge_ordered
from shared.workdays.tables import on_calendar_loaded

SUBSCRIPTIONS: HandlerTable = {
    BankAccessRevoked: [revocation.on_revoked],
    CaseAssigned: [visibility.on_assigned, handlers.on_case_assigned],
    CaseImported: [
        visibility.on_imported,
        handlers.on_case_imported,
        handlers.release_waiting_events,
    ],
    CaseReassigned: [visibility.on_assigned, handlers.on_case_assigned],
    CaseUpdated: [handlers.on_case_updated],
    ClientPurgeOrdered: [on_purge_ordered],
    ContactAttempted: [handlers.on_contact_attempted],
    PaymentPromised: [handlers.on_payment_promised],
    PaymentReceived: [handlers.on_payment_received],
    WorkdayCalendarLoaded: [on_calendar_loaded, recount_estimated_deadlines],
}
