"""The uploaded proof of a letter and its evidence pack. A signed acknowledgment
interrupts the case's limitation clock, or after expiry re-confirms the debt; a kept
mailing stub makes an EMS notice to a guarantor count."""

from __future__ import annotations

import hashlib
import io
import json
import re
import zipfile
from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from services.letters.dispatch.service import checked_date, mailing_of
from services.letters.domain.kinds import KINDS
from services.letters.issuing.models import Letter
from services.letters.limitation.service import guarantor_notice, record_fact
from services.letters.proof.models import EvidenceFile
from services.letters.proof.store import evidence_named, evidence_of
from services.letters.settings import LettersSettings
from services.letters.stores import PDFS, PROOF, store
from shared.bus.work import UnitOfWork

EVIDENCE_KINDS = ("mailing_stub", "delivery_proof", "acknowledgment", "other")


def add_evidence(
    uow: UnitOfWork,
    settings: LettersSettings,
    letter: Letter,
    who: str,
    *,
    kind: str,
    content: bytes,
    filename: str,
    media_type: str,
    signed_on: date | None,
) -> EvidenceFile:
    if signed_on is not None:
        sent, _ = mailing_of(uow.session, letter.id)
        checked_date(uow, letter, "signed_on", signed_on, sent.mailed_on if sent else None)
    sha256, _ = store(settings, PROOF).store_bytes(letter.case_id, content)
    existing = evidence_named(uow.session, letter.id, kind, sha256)
    if existing is not None:
        return existing
    proof = EvidenceFile(
        letter_id=letter.id,
        kind=kind,
        sha256=sha256,
        filename=filename[:200],
        media_type=media_type[:100],
        size_bytes=len(content),
        signed_on=signed_on,
        uploaded_at=uow.now,
        uploaded_by=who,
    )
    uow.session.add(proof)
    uow.session.flush()
    if kind == "acknowledgment" and signed_on is not None:
        note = f"signed acknowledgment of {KINDS[letter.kind].title}"
        record_fact(
            uow.session, letter.case_id, signed_on, "acknowledgment_signed", sha256, note, uow.now
        )
    if kind == "mailing_stub":
        guarantor_notice(uow.session, letter, uow.now)
    return proof


def evidence_files(session: Session, letter_id: str) -> Sequence[EvidenceFile]:
    return evidence_of(session, letter_id)


STAFF_IDS = frozenset({"issued_by", "recorded_by", "uploaded_by"})


def without_staff(record: dict[str, Any] | None) -> dict[str, Any] | None:
    """A record as a bank sees it: no internal staff identifiers."""
    if record is None:
        return None
    return {k: v for k, v in record.items() if k not in STAFF_IDS}


def evidence_pack(
    session: Session, settings: LettersSettings, letter: Letter, *, for_bank: bool = False
) -> bytes:
    """One zip: the PDF and its hash, dispatch and delivery records, every uploaded proof,
    and a manifest with each file's SHA-256. A bank's pack names no member of staff."""
    pdf = store(settings, PDFS).verified(letter.case_id, letter.content_sha256).read_bytes()
    sent, done = mailing_of(session, letter.id)
    proofs = evidence_of(session, letter.id)
    files: dict[str, bytes] = {
        "letter.pdf": pdf,
        "letter.pdf.sha256": f"{letter.content_sha256}  letter.pdf\n".encode(),
        "letter.json": _json({k: v for k, v in letter.model_dump().items() if k != "inputs"}),
        "dispatch.json": _json(sent.model_dump() if sent else None),
        "delivery.json": _json(done.model_dump() if done else None),
    }
    if for_bank:
        records: dict[str, dict[str, Any] | None] = {
            "letter": letter.model_dump(exclude={"inputs"})
        }
        records |= {"dispatch": sent.model_dump() if sent else None}
        records |= {"delivery": done.model_dump() if done else None}
        for name, record in records.items():
            files[f"{name}.json"] = _json(without_staff(record))
    for n, proof in enumerate(proofs, start=1):
        suffix = re.sub(r"[^A-Za-z0-9]", "", proof.filename.rpartition(".")[2])[:8] or "bin"
        content = store(settings, PROOF).verified(letter.case_id, proof.sha256).read_bytes()
        files[f"proof/{n:02d}-{proof.kind}.{suffix}"] = content
    manifest = {name: hashlib.sha256(body).hexdigest() for name, body in files.items()}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as pack:
        for name, body in files.items():
            pack.writestr(name, body)
        pack.writestr("manifest.json", _json(manifest))
    return buffer.getvalue()


def _json(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, indent=2, default=str).encode()
