"""Every event assignment consumes and the handlers that run for it, in running order.

The shared pairs are listed too: each case's visibility first, revoked bank keys, the
purge order. ``PromiseBroken`` is not consumed: a broken promise moves no case here (the
ladder's next step is due anyway) — see the README's Events section.
"""

from __future__ import annotations

from services.assignment import handlers
from services.assignment.agencies.handlers import on_agreement_saved
from services.assignment.closing import handlers as closing
from shared.auth import revocation, visibility
from shared.bus.handlers import HandlerTable
from shared.events.catalog import (
    AgreementSaved,
    BankAccessRevoked,
    CaseImported,
    CaseRecalled,
    CaseUpdated,
    ClientPurgeOrdered,
    ContactAttempted,
    FieldVisitReported,
    PaymentReceived,
)
from shared.purge.handlers import on_purge_ordered

SUBSCRIPTIONS: HandlerTable = {
    AgreementSaved: [on_agreement_saved],
    BankAccessRevoked: [revocation.on_revoked],
    CaseImported: [visibility.on_imported, handlers.on_cases_imported, closing.on_imported],
    CaseRecalled: [closing.on_recalled],
    CaseUpdated: [handlers.on_past_due_changed, closing.on_updated],
    ClientPurgeOrdered: [on_purge_ordered],
    ContactAttempted: [handlers.on_contact_attempted],
    FieldVisitReported: [handlers.on_field_visit_reported],
    PaymentReceived: [closing.on_payments],
}
