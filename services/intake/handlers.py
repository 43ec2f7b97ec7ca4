"""Events intake reacts to: the ones a bank may receive over its emergency channel
(wired in services/intake/subscriptions.py)."""

from __future__ import annotations

from collections.abc import Sequence

from services.intake.emergency.service import notify, notify_client
from shared.bus.handlers import Handled, batched
from shared.bus.work import UnitOfWork
from shared.events import Envelope
from shared.events.catalog import IncidentReported


@batched
def on_bank_facing_events(items: Sequence[Handled]) -> None:
    """A case event its agreement's bank chose goes into the notification outbox."""
    first = items[0][0]
    notify(first.session, first.now, [event for _, event in items])


def on_incident_reported(uow: UnitOfWork, event: Envelope[IncidentReported]) -> None:
    """Each client the incident touches is told over its agreements' emergency channel."""
    for client_id in event.payload.client_ids:
        notify_client(uow.session, uow.now, client_id, event)
