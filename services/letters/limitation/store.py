"""A case's limitation facts and guarantees in the database, and the cases whose period
ends soon."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import Row, Table, select
from sqlalchemy.orm import Session
from sqlmodel import col

from services.letters.limitation.models import Guarantee, LimitationFact
from services.letters.models import LetterCase
from services.letters.proof.models import EvidenceFile
from shared.db import upsert

FACTS = LimitationFact.__table__


def facts_of(session: Session, case_id: str) -> Sequence[LimitationFact]:
    return (
        session.execute(select(LimitationFact).where(col(LimitationFact.case_id) == case_id))
        .scalars()
        .all()
    )


def keep_fact(session: Session, fact: dict[str, Any]) -> None:
    """Once per case, kind and reference; a repeated fact changes nothing."""
    upsert(session, FACTS, [fact], key=["case_id", "kind", "ref"])


def guarantees_of(session: Session, case_id: str) -> Sequence[Guarantee]:
    return (
        session.execute(
            select(Guarantee)
            .where(col(Guarantee.case_id) == case_id)
            .order_by(col(Guarantee.starts_on))
        )
        .scalars()
        .all()
    )


def keep_guarantee(session: Session, guarantee: Guarantee) -> None:
    session.add(guarantee)


def guaranteed_on(session: Session, case_id: str, on: date) -> bool:
    """Whether ``on`` falls within a guarantee period of the case."""
    return (
        session.execute(
            select(col(Guarantee.id)).where(
                col(Guarantee.case_id) == case_id,
                col(Guarantee.starts_on) <= on,
                col(Guarantee.ends_on) >= on,
            )
        ).first()
        is not None
    )


def has_mailing_stub(session: Session, letter_id: str) -> bool:
    return (
        session.execute(
            select(col(EvidenceFile.id)).where(
                col(EvidenceFile.letter_id) == letter_id,
                col(EvidenceFile.kind) == "mailing_stub",
            )
        ).first()
        is not None
    )


def ending_by(
    session: Session, visibility: Table, until: date
) -> Sequence[Row[LetterCase, Any, Any, Any]]:
    """Cases whose limitation period ends by ``until``, soonest first, with the collector,
    team and branch that see them."""
    vis = visibility
    return session.execute(
        select(LetterCase, vis.c.collector_id, vis.c.team_id, vis.c.branch_id)
        .join(vis, vis.c.case_id == col(LetterCase.id))
        .where(col(LetterCase.limitation_ends_on) <= until)
        .order_by(col(LetterCase.limitation_ends_on), col(LetterCase.id))
    ).all()
