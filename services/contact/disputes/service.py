"""Raising a dispute from a call (a fraud claim gives the case its own status), and
resolving one: the outcome, the resolution and its evidence are kept, contact resumes, and
a fraud claim found true leaves the case standing still (``not_owed``)."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy.orm import Session

from services.contact.disputes import store
from services.contact.disputes.models import Dispute
from services.contact.models import ContactCase
from shared.bus.work import UnitOfWork
from shared.errors import Conflict
from shared.events.catalog import DisputeRaised, DisputeResolved


def raise_dispute(
    uow: UnitOfWork,
    case: ContactCase,
    attempt_id: str,
    *,
    fraud: bool,
    reason: str,
    evidence: str | None,
    raised_at: datetime,
) -> Dispute:
    dispute = Dispute(
        id=str(uuid.uuid4()),
        case_id=case.id,
        attempt_id=attempt_id,
        kind="fraud_claimed" if fraud else "dispute",
        reason=reason,
        evidence=evidence,
        raised_at=raised_at,
    )
    uow.session.add(dispute)
    if fraud:
        case.status = "fraud_claimed"
        uow.session.add(case)
    uow.emit(
        DisputeRaised(
            dispute_id=dispute.id, reason=dispute.reason, raised_at=raised_at, kind=dispute.kind
        ),
        case_id=case.id,
    )
    return dispute


def dispute_on(session: Session, case_id: str, dispute_id: str) -> Dispute | None:
    """The dispute, if it is one of this case's."""
    dispute = store.dispute(session, dispute_id)
    return dispute if dispute is not None and dispute.case_id == case_id else None


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
