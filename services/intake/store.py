"""Every query intake makes."""

from __future__ import annotations

from sqlmodel import Session, col, select

from services.intake.models import Case, ImportBatch


def batch_by_hash(session: Session, client_id: str, sha256: str) -> ImportBatch | None:
    return session.exec(
        select(ImportBatch).where(ImportBatch.client_id == client_id, ImportBatch.sha256 == sha256)
    ).first()


def get_batch(session: Session, client_id: str, batch_id: str) -> ImportBatch | None:
    batch = session.get(ImportBatch, batch_id)
    return batch if batch is not None and batch.client_id == client_id else None


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
