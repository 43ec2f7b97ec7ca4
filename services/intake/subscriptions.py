"""Every event intake consumes and the handlers that run for it, in running order.

Intake publishes ``CaseImported``, ``BankAccessRevoked`` and ``ClientPurgeOrdered`` and
never consumes its own topic: it keeps case visibility from assignment's events only, and
has no revocation or purge pair.
"""

from __future__ import annotations

from services.intake.handlers import on_bank_facing_events, on_incident_reported
from shared.auth import visibility
from shared.bus.handlers import HandlerTable
from shared.events.catalog import (
    CaseAssigned,
    CaseClosed,
    CaseReassigned,
    IncidentReported,
    LetterDelivered,
    PaymentPromised,
    PromiseBroken,
    PromiseKept,
)

SUBSCRIPTIONS: HandlerTable = {
    CaseAssigned: [visibility.on_assigned],
    CaseClosed: [on_bank_facing_events],
    CaseReassigned: [visibility.on_assigned],
    IncidentReported: [on_incident_reported],
    LetterDelivered: [on_bank_facing_events],
    PaymentPromised: [on_bank_facing_events],
    PromiseBroken: [on_bank_facing_events],
    PromiseKept: [on_bank_facing_events],
}
