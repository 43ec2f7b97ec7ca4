"""Contact details as the bank sent them: each phone and address of the debtor and of the
people the case names, unverified until someone confirms them."""

from __future__ import annotations

import hashlib
import uuid
from datetime import datetime
from typing import Any, Literal

from shared.events.catalog import CaseImported, Person

DetailKind = Literal["phone", "address"]
DetailStatus = Literal["valid", "invalid", "unverified"]
DetailSource = Literal["bank_file", "debtor", "skip_tracing"]
_NAMESPACE = uuid.UUID("6f1c2a52-9d1e-4c1b-9a51-3c0de7a11e5a")
_NAMESPACE_BYTES = _NAMESPACE.bytes
_GUARANTOR_WORDS = ("担保", "guarantor")


def detail_id(case_id: str, kind: str, value: str) -> str:
    """The same detail on the same case always has the same id (redelivery is harmless):
    ``uuid5(_NAMESPACE, "case|kind|value")``, spelled out so a bank file's details do not
    each pay for building a ``UUID`` object (a tenth of the case-import handler's time)."""
    digest = bytearray(
        hashlib.sha1(_NAMESPACE_BYTES + f"{case_id}|{kind}|{value}".encode()).digest()
    )
    digest[6] = (digest[6] & 0x0F) | 0x50  # version 5
    digest[8] = (digest[8] & 0x3F) | 0x80  # RFC 4122 variant
    h = digest[:16].hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def debtor_key(person: Person) -> str | None:
    """The debtor across cases: their ID number, hashed (no personal data in the key)."""
    if not person.id_number:
        return None
    text = f"{(person.id_type or 'id').lower()}:{person.id_number.strip().upper()}"
    return hashlib.sha256(text.encode()).hexdigest()


def party_of(contact: Person) -> str:
    relation = (contact.relation or "").lower()
    return "guarantor" if any(w in relation for w in _GUARANTOR_WORDS) else "contact"


def from_bank_file(case_id: str, case: CaseImported, at: datetime) -> list[dict[str, Any]]:
    """Rows for every phone and address the case file gives, source ``bank_file``."""
    found: list[tuple[str, str | None, str, str | None, str]] = []
    for phone in case.debtor.phones:
        found.append(("debtor", None, "phone", phone.kind, phone.number))
    for label, address in (("home", case.home_address), ("work", case.work_address)):
        if address and address.strip():
            found.append(("debtor", None, "address", label, address.strip()))
    for contact in case.contacts:
        for phone in contact.phones:
            found.append(
                (party_of(contact), contact.name.strip(), "phone", phone.kind, phone.number)
            )
    return [
        {
            "id": detail_id(case_id, kind, value),
            "case_id": case_id,
            "party": party,
            "party_name": (name or None) and name[:100],
            "kind": kind,
            "label": label,
            "value": value[:300],
            "status": "unverified",
            "source": "bank_file",
            "added_at": at,
            "changed_at": at,
        }
        for party, name, kind, label, value in found
        if value.strip()
    ]
