"""Setting a client's letterhead and seal; other features read letterheads through here."""

from __future__ import annotations

from typing import Any

from services.letters.letterheads.models import Letterhead
from services.letters.letterheads.store import Letterheads, keep, letterhead_of
from services.letters.settings import LettersSettings
from services.letters.stores import SEALS, store
from shared.bus.work import UnitOfWork
from shared.errors import ProblemError

__all__ = ["IMAGE_TYPES", "Letterheads", "letterhead_of", "set_letterhead", "set_seal"]

IMAGE_TYPES = {b"\x89PNG": "image/png", b"\xff\xd8\xff": "image/jpeg"}


def set_letterhead(uow: UnitOfWork, client_id: str, fields: dict[str, Any], who: str) -> Letterhead:
    head = letterhead_of(uow.session, client_id) or Letterhead(
        client_id=client_id, updated_at=uow.now, updated_by=who, **fields
    )
    for name, value in fields.items():
        setattr(head, name, value)
    head.updated_at, head.updated_by = uow.now, who
    keep(uow.session, head)
    return head


def set_seal(
    uow: UnitOfWork, settings: LettersSettings, client_id: str, content: bytes, who: str
) -> Letterhead:
    head = letterhead_of(uow.session, client_id)
    if head is None:
        raise ProblemError(409, f"set the letterhead of {client_id} before its seal")
    if not any(content.startswith(magic) for magic in IMAGE_TYPES):
        raise ProblemError(415, "the seal must be a PNG or JPEG image")
    head.seal_sha256, _ = store(settings, SEALS).store_bytes(client_id, content)
    head.updated_at, head.updated_by = uow.now, who
    keep(uow.session, head)
    return head
