"""Every event contact consumes and the handlers that run for it, in running order.

The shared pairs are listed too: each case's visibility first, revoked bank keys, the
working-day calendar, the purge order. ``LetterDelivered`` is not consumed: a delivered
letter changes no contact rule or clock here (its proof stays with letters) — see the
README's Events section.
"""

from __future__ import annotations

from services.contact import handlers
from services.contact.attempts.claims import recount_rechecks
from services.contact.field_visits.handlers import on_field_visit_ordered
from services.contact.promises.handlers import on_payment_received
from shared.auth import revocation, visibility
from shared.bus.handlers import HandlerTable
from shared.events.catalog import (
    BankAccessRevoked,
    CaseAssigned,
    CaseImported,
    CaseReassigned,
    CaseUpdated,
    ClientPurgeOrdered,
    FieldVisitOrdered,
    PaymentReceived,
    WorkdayCalendarLoaded,
)
from shared.purge.handlers import on_purge_ordered
from shared.workdays.tables import on_calendar_loaded

SUBSCRIPTIONS: HandlerTable = {
    BankAccessRevoked: [revocation.on_revoked],
    CaseAssigned: [visibility.on_assigned, handlers.on_case_assigned],
    CaseImported: [visibility.on_imported, handlers.on_case_imported],
    CaseReassigned: [visibility.on_assigned, handlers.on_case_reassigned],
    CaseUpdated: [handlers.on_case_updated],
    ClientPurgeOrdered: [on_purge_ordered],
    FieldVisitOrdered: [on_field_visit_ordered],
    PaymentReceived: [on_payment_received],
    WorkdayCalendarLoaded: [on_calendar_loaded, recount_rechecks],
}
