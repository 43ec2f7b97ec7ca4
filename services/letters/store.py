"""Letters' copy of the cases in the database."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Table, select
from sqlalchemy.orm import Session

from services.letters.models import LetterCase
from shared.auth.policy import CaseScope


def case_of(session: Session, case_id: str) -> LetterCase | None:
    return session.get(LetterCase, case_id)


def scopes_of(session: Session, visibility: Table, case_ids: Iterable[str]) -> dict[str, CaseScope]:
    """Who may see each of the cases, for those the visibility copy knows."""
    vis = visibility
    return {
        row.case_id: CaseScope(
            row.case_id, row.client_id, row.collector_id, row.team_id, row.branch_id
        )
        for row in session.execute(select(vis).where(vis.c.case_id.in_(list(case_ids))))
    }
