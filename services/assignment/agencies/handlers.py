"""Agreements' outsourcing terms, copied from intake's ``AgreementSaved``."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import case

from services.assignment.agencies.models import OutsourcingTerms
from shared.bus.handlers import Handled, batched
from shared.db import upsert

TERMS = OutsourcingTerms.__table__


@batched
def on_agreement_saved(items: Sequence[Handled]) -> None:
    """The latest saved terms of each agreement win, whatever order the events come in."""
    rows = [
        {
            "agreement_id": e.payload.agreement_id,
            "client_id": e.payload.client_id,
            "status": e.payload.status,
            "needs_approval": e.payload.outsourcing_needs_approval,
            "saved_at": e.payload.saved_at,
        }
        for _, e in sorted(items, key=lambda item: item[1].payload.saved_at)
    ]

    def newer(new: Any) -> dict[str, Any]:
        later = new.saved_at >= TERMS.c.saved_at
        return {
            c: case((later, getattr(new, c)), else_=TERMS.c[c])
            for c in ("client_id", "status", "needs_approval", "saved_at")
        }

    upsert(items[0][0].session, TERMS, rows, key=["agreement_id"], changes=newer)
