"""Letterheads in the database."""

from __future__ import annotations

from sqlalchemy.orm import Session

from services.letters.letterheads.models import Letterhead


def letterhead_of(session: Session, client_id: str) -> Letterhead | None:
    return session.get(Letterhead, client_id)


class Letterheads:
    """The letterheads of a batch's clients, each read once: the session's identity map
    holds a letterhead only while something else refers to it, so asking the session for
    each letter went to the database for each letter."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self._read: dict[str, Letterhead | None] = {}

    def of(self, client_id: str) -> Letterhead | None:
        if client_id not in self._read:
            self._read[client_id] = letterhead_of(self.session, client_id)
        return self._read[client_id]


def keep(session: Session, head: Letterhead) -> None:
    session.add(head)
