"""A letter as the routes show it: with its dispatch, delivery and proof, and without
staff identifiers when a bank reads it."""

from __future__ import annotations

from sqlalchemy.orm import Session

from services.letters.dispatch.service import mailing_of
from services.letters.domain.kinds import KINDS
from services.letters.issuing.models import Letter
from services.letters.issuing.schemas import LetterPublic
from services.letters.proof.schemas import EvidencePublic
from services.letters.proof.service import evidence_files, without_staff
from shared.auth.principal import Principal


def letter_public(letter: Letter, session: Session | None = None) -> LetterPublic:
    out = LetterPublic(title=KINDS[letter.kind].title, **letter.model_dump(exclude={"inputs"}))
    if session is not None:
        sent, done = mailing_of(session, letter.id)
        out.dispatch = sent.model_dump(exclude={"letter_id"}) if sent else None
        out.delivery = done.model_dump(exclude={"letter_id"}) if done else None
        proofs = evidence_files(session, letter.id)
        out.evidence = [EvidencePublic(**p.model_dump()) for p in proofs]
    return out


def seen_by(out: LetterPublic, who: Principal) -> LetterPublic:
    """A bank's view of a letter carries no staff identifiers, as its timeline does not."""
    if not who.is_bank:
        return out
    return out.model_copy(
        update={
            "issued_by": None,
            "dispatch": without_staff(out.dispatch),
            "delivery": without_staff(out.delivery),
        }
    )
