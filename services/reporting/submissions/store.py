"""Every query on submitted reports and their reviews."""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, false, func, or_, select, true
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from services.reporting.models import REVIEWS, SUBMISSIONS
from shared.auth.principal import BRANCH_WIDE, EVERYTHING, Principal, Role
from shared.web.paging import keyset, page


def latest_version(session: Session, report: str, period_start: str, subject_id: str) -> Any:
    """The latest submission of this report for this period and subject (status, version)."""
    return session.execute(
        select(SUBMISSIONS.c.status, SUBMISSIONS.c.version)
        .where(
            SUBMISSIONS.c.report == report,
            SUBMISSIONS.c.period_start == period_start,
            SUBMISSIONS.c.subject_id == subject_id,
        )
        .order_by(SUBMISSIONS.c.version.desc())
    ).first()


def insert_submission(session: Session, row: dict[str, Any]) -> None:
    session.execute(SUBMISSIONS.insert().values(**row))


def submission(session: Session, submission_id: str) -> Any:
    return session.execute(
        select(SUBMISSIONS).where(SUBMISSIONS.c.submission_id == submission_id)
    ).first()


def visible(principal: Principal) -> ColumnElement[bool]:
    """``service.may_see`` as a condition on the submissions table, for lists."""
    if principal.is_bank:
        return false()
    if principal.role in EVERYTHING:
        return true()
    c = SUBMISSIONS.c
    seen: list[ColumnElement[bool]] = [c.submitted_by == principal.subject]
    if principal.role in BRANCH_WIDE and principal.branch_id is not None:
        seen.append(and_(c.report == "branch_monthly", c.subject_id == principal.branch_id))
    if principal.role in (Role.SUPERVISOR, Role.TEAM_LEAD) and principal.team_id is not None:
        seen.append(and_(c.report != "branch_monthly", c.team_id == principal.team_id))
    return or_(*seen)


def page_visible(
    session: Session, principal: Principal, status: str | None, limit: int, after: str | None
) -> tuple[list[Any], str | None]:
    query = select(SUBMISSIONS).where(visible(principal))
    if status:
        query = query.where(SUBMISSIONS.c.status == status)
    order = [SUBMISSIONS.c.submitted_at, SUBMISSIONS.c.submission_id]
    rows = session.execute(keyset(query, order, limit, after, descending=True)).all()
    return page(list(rows), limit, lambda r: (r.submitted_at, r.submission_id))


def insert_review(session: Session, row: dict[str, Any]) -> None:
    session.execute(REVIEWS.insert().values(**row))


def set_status(session: Session, submission_id: str, status: str) -> None:
    session.execute(
        SUBMISSIONS.update()
        .where(SUBMISSIONS.c.submission_id == submission_id)
        .values(status=status)
    )


def approving_roles(session: Session, submission_id: str) -> set[str]:
    return set(
        session.execute(
            select(func.distinct(REVIEWS.c.reviewer_role)).where(
                REVIEWS.c.submission_id == submission_id, REVIEWS.c.decision == "approved"
            )
        ).scalars()
    )


def reviews(session: Session, submission_id: str) -> list[Any]:
    return list(
        session.execute(
            select(REVIEWS).where(REVIEWS.c.submission_id == submission_id).order_by(REVIEWS.c.at)
        )
    )
