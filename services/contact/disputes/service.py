"""Resolving a dispute: the outcome, the resolution and its evidence are kept, contact
resumes, and a fraud claim found true leaves the case standing still (``not_owed``)."""

from __future__ import annotations

from services.contact.attempts.models import Dispute
from services.contact.models import ContactCase
from shared.bus.work import UnitOfWork
from shared.errors import Conflict
from shared.events.catalog import DisputeResolved


def case_status_after(kind: str, outcome: str, status: str) -> str:
    """A fraud or stolen-card claim upheld: the debtor does not owe it, contact stops for
    good. Rejected or withdrawn: the case is worked again. Other disputes leave the status."""
    if kind != "fraud_claimed":
        return status
    return "not_owed" if outcome == "upheld" else "active"


def resolve(
    uow: UnitOfWork,
    case: ContactCase,
    dispute: Dispute,
    *,
    outcome: str,
    resolution: str,
    evidence: str | None,
    resolved_by: str,
) -> Dispute:
    if dispute.resolved_at is not None:
        raise Conflict(f"dispute {dispute.id} was resolved on {dispute.resolved_at:%Y-%m-%d}")
    dispute.resolved_at, dispute.resolved_by = uow.now, resolved_by
    dispute.outcome, dispute.resolution = outcome, resolution
    dispute.resolution_evidence = evidence
    uow.session.add(dispute)
    status = case_status_after(dispute.kind, outcome, case.status)
    if status != case.status:
        case.status = status
        uow.session.add(case)
    uow.emit(
        DisputeResolved(
            dispute_id=dispute.id,
            resolution=outcome,  # type: ignore[arg-type]
            resolved_by=resolved_by,
            resolved_at=uow.now,
        ),
        case_id=case.id,
    )
    return dispute
