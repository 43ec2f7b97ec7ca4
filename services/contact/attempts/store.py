"""The contact log's queries: a case's attempts and follow-ups, late entries for the
supervisor, and the 'already paid' claims with their re-checks."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Row, select
from sqlalchemy.orm import Session

from services.contact.attempts.models import ContactAttempt, FollowUp, PaymentClaim
from services.contact.cases.store import overseen
from services.contact.models import ContactCase
from shared.auth.principal import Principal


def attempt(session: Session, attempt_id: str) -> ContactAttempt | None:
    return session.get(ContactAttempt, attempt_id)


def attempts_of(session: Session, case_id: str, limit: int = 500) -> Sequence[ContactAttempt]:
    """The case's attempts, latest first."""
    return (
        session.execute(
            select(ContactAttempt)
            .where(ContactAttempt.case_id == case_id)
            .order_by(ContactAttempt.started_at.desc())
            .limit(limit)
        )
        .scalars()
        .all()
    )


def follow_ups_of(session: Session, case_id: str) -> Sequence[FollowUp]:
    return (
        session.execute(
            select(FollowUp).where(FollowUp.case_id == case_id).order_by(FollowUp.due_at)
        )
        .scalars()
        .all()
    )


def late_entries(session: Session, principal: Principal, limit: int) -> Sequence[ContactAttempt]:
    """Late entries on the cases ``principal`` oversees, latest logged first."""
    query = (
        select(ContactAttempt)
        .join(ContactCase, ContactCase.id == ContactAttempt.case_id)
        .where(ContactAttempt.late_entry.is_(True))
    )
    return (
        session.execute(
            overseen(query, principal).order_by(ContactAttempt.logged_at.desc()).limit(limit)
        )
        .scalars()
        .all()
    )


def unmatched_claims(session: Session, case_id: str) -> Sequence[PaymentClaim]:
    return (
        session.execute(
            select(PaymentClaim).where(
                PaymentClaim.case_id == case_id, PaymentClaim.matched_transaction_ref.is_(None)
            )
        )
        .scalars()
        .all()
    )


def recheck_of(session: Session, attempt_id: str) -> FollowUp | None:
    return session.execute(
        select(FollowUp).where(
            FollowUp.attempt_id == attempt_id, FollowUp.kind == "payment_recheck"
        )
    ).scalar_one_or_none()


def estimated_rechecks(session: Session) -> Sequence[Row[tuple[FollowUp, datetime, PaymentClaim]]]:
    """Every open re-check counted on an estimated year, with its call's time and claim."""
    rows: Sequence[Row[Any]] = session.execute(
        select(FollowUp, ContactAttempt.started_at, PaymentClaim)
        .join(ContactAttempt, ContactAttempt.id == FollowUp.attempt_id)
        .join(PaymentClaim, PaymentClaim.attempt_id == FollowUp.attempt_id)
        .where(
            FollowUp.kind == "payment_recheck",
            FollowUp.status == "open",
            FollowUp.due_estimated.is_(True),
        )
    ).all()
    return rows
