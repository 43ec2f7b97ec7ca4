"""Every query intake makes."""

from __future__ import annotations

from sqlmodel import Session, col, select

from services.intake.models import ApiKey, Case, Client, ImportBatch


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


def get_client(session: Session, client_id: str) -> Client | None:
    return session.get(Client, client_id)


def list_clients(session: Session) -> list[Client]:
    return list(session.exec(select(Client).order_by(col(Client.id))).all())


def keys_of_client(session: Session, client_id: str) -> list[ApiKey]:
    return list(
        session.exec(
            select(ApiKey)
            .where(ApiKey.client_id == client_id)
            .order_by(col(ApiKey.created_at), col(ApiKey.id))
        ).all()
    )


def get_key(session: Session, client_id: str, key_id: str) -> ApiKey | None:
    key = session.get(ApiKey, key_id)
    return key if key is not None and key.client_id == client_id else None
