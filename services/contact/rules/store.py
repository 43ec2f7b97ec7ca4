"""What the contact rules read: the attempts the caps and the cooldown look at, and what
stands in the way of any contact (barred numbers, open disputes). Each is one statement
built once, across the contact log's, details' and disputes' tables: the check runs
before every call."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Row, and_, bindparam, literal, or_, select, union_all
from sqlalchemy.orm import Session

from services.contact.attempts.models import ContactAttempt
from services.contact.details.models import BarredNumber
from services.contact.disputes.models import Dispute

_ATTEMPTS = ContactAttempt.__table__.c
_RECENT = select(
    _ATTEMPTS.started_at,
    _ATTEMPTS.channel,
    _ATTEMPTS.party,
    _ATTEMPTS.direction,
    _ATTEMPTS.conversation,
    (_ATTEMPTS.case_id == bindparam("case_id")).label("here"),
).where(
    _ATTEMPTS.started_at <= bindparam("until"),
    or_(
        and_(_ATTEMPTS.case_id == bindparam("case_id"), _ATTEMPTS.started_at >= bindparam("since")),
        and_(
            _ATTEMPTS.debtor_key == bindparam("debtor_key"),
            _ATTEMPTS.party == "debtor",
            _ATTEMPTS.started_at >= bindparam("day_before"),
            _ATTEMPTS.case_id != bindparam("case_id"),
        ),
    ),
)
"""The case's attempts the caps and the cooldown look at, and the debtor's attempts on
their other cases of the last day (for the per-debtor daily cap): one statement, built
once (the check runs before every call)."""
_BARRED = BarredNumber.__table__.c
_DISPUTES = Dispute.__table__.c
_STANDING = union_all(
    select(literal("barred").label("kind"), _BARRED.number.label("value")).where(
        _BARRED.case_id == bindparam("case_id")
    ),
    select(literal("dispute").label("kind"), _DISPUTES.id.label("value")).where(
        _DISPUTES.case_id == bindparam("case_id"), _DISPUTES.resolved_at.is_(None)
    ),
)


def recent_attempts(
    session: Session,
    case_id: str,
    debtor_key: str | None,
    *,
    since: datetime,
    until: datetime,
    day_before: datetime,
) -> Sequence[Row[Any]]:
    """Rows of (started_at, channel, party, direction, conversation, here): the case's
    attempts from ``since`` and the debtor's on other cases from ``day_before``, both up
    to ``until``; ``here`` tells them apart."""
    return session.execute(
        _RECENT,
        {
            "case_id": case_id,
            "until": until,
            "since": since,
            "debtor_key": debtor_key,
            "day_before": day_before,
        },
    ).all()


def standing(session: Session, case_id: str) -> Sequence[Row[Any]]:
    """Rows of (kind, value): ("barred", number) and ("dispute", open dispute's id)."""
    return session.execute(_STANDING, {"case_id": case_id}).all()
