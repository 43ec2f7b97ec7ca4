"""Cases' queries: by account reference, a client's pages, and a chunk's new cases."""

from __future__ import annotations

from typing import Any

from sqlalchemy import insert
from sqlmodel import Session, col, select

from services.intake.cases.models import Case
from services.intake.models import SECURITY
from shared.db import execute_many
from shared.web.paging import keyset, page


def cases_by_account(session: Session, client_id: str, refs: list[str]) -> dict[str, Case]:
    if not refs:
        return {}
    found = session.exec(
        select(Case).where(Case.client_id == client_id, col(Case.account_ref).in_(refs))
    ).all()
    return {c.account_ref: c for c in found}


def case_by_account(session: Session, client_id: str, account_ref: str) -> Case | None:
    return session.exec(
        select(Case).where(Case.client_id == client_id, Case.account_ref == account_ref)
    ).first()


def insert_cases(session: Session, rows: list[dict[str, Any]]) -> None:
    """New cases, sent to the driver's executemany (the rows all have the same keys), each
    visible to its client (and admins); assignment adds collectors later."""
    if rows:
        execute_many(session, insert(Case.__table__), rows)  # type: ignore[arg-type]
        execute_many(
            session,
            SECURITY.case_visibility.insert(),
            [{"case_id": r["id"], "client_id": r["client_id"]} for r in rows],
        )


def page_cases(
    session: Session,
    client_id: str,
    limit: int,
    after: str | None,
    *,
    state: str | None = None,
    bucket: str | None = None,
    account_ref: str | None = None,
) -> tuple[list[Case], str | None]:
    """The client's cases by account reference; ``account_ref`` matches its beginning."""
    query = select(Case).where(Case.client_id == client_id)
    if state:
        query = query.where(Case.state == state)
    if bucket:
        query = query.where(Case.bucket == bucket)
    if account_ref:
        query = query.where(col(Case.account_ref).startswith(account_ref, autoescape=True))
    order = [col(Case.account_ref), col(Case.id)]
    rows = session.exec(keyset(query, order, limit, after)).all()
    return page(rows, limit, lambda c: (c.account_ref, c.id))
