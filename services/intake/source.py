"""The bridge from a received file to validated case values: the readers, the header
mapping and the row validation, adapted to the pipeline's terms (our table's columns)."""

from __future__ import annotations

import sqlite3
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from services.intake import mapping, readers, validation
from services.intake.mapping import HeaderMap
from services.intake.validation import RowContext, RowError

# What an agreement's column mapping may name ("" ignores a column).
FIELDS: frozenset[str] = mapping.MAPPING_TARGETS | frozenset({""})
FileRejected = readers.FileRejected


RowProblem = RowError


@dataclass
class CaseValues:
    """One valid row, in the columns of our ``cases`` table (None: not in the file)."""

    account_ref: str
    debtor_name: str
    total_owed: Decimal
    product_type: str | None = None
    id_type: str | None = None
    id_number: str | None = None
    phones: list[str] = field(default_factory=list)
    home_address: str | None = None
    work_address: str | None = None
    employer: str | None = None
    contacts: list[dict[str, Any]] = field(default_factory=list)
    principal: Decimal | None = None
    interest: Decimal | None = None
    penalty: Decimal | None = None
    fees: Decimal | None = None
    overdue_since: date | None = None
    days_past_due: int | None = None
    bucket: str | None = None
    branch: str | None = None
    notes: str | None = None


@dataclass
class Source:
    rows: readers.RowSource
    position: Any  # () -> bytes of the file read so far

    @property
    def headers(self) -> list[str]:
        return self.rows.headers


@contextmanager
def open_source(path: Path) -> Iterator[Source]:
    """The file's rows; raises :class:`FileRejected` when it cannot be read as a case file."""
    with path.open("rb") as stream, readers.open_rows(stream, path.name) as rows:
        yield Source(rows=rows, position=stream.tell)


def layout(headers: list[str], custom: dict[str, str]) -> HeaderMap:
    return mapping.resolve_headers(list(headers), custom)


def records(
    src: Source, custom: dict[str, str], ctx: RowContext
) -> Iterator[tuple[int, CaseValues | None, list[RowProblem]]]:
    """Each row validated, duplicates within the file included, as (row, values, findings):
    values is None when a finding is an error."""
    seen = SpilledDuplicateTracker()
    try:
        yield from _validated(src, custom, ctx, seen)
    finally:
        seen.close()


def _validated(
    src: Source, custom: dict[str, str], ctx: RowContext, seen: SpilledDuplicateTracker
) -> Iterator[tuple[int, CaseValues | None, list[RowProblem]]]:
    for number, _shape, mapped in mapping.mapped_rows(src.rows, custom):
        record, findings = validation.validate_mapped(number, mapped, ctx=ctx)
        if record is not None:
            column = mapped.headers_for_field.get("account_ref", "account_ref")
            duplicate = seen.check(number, record.account_ref, column)
            if duplicate is not None:
                record, findings = None, [duplicate]
        bank_row = mapped.raw.get("bank_row", "").strip()[:64]
        if bank_row and findings:
            findings = [replace(f, bank_row=bank_row) for f in findings]
        yield number, (values_of(record) if record is not None else None), findings


class SpilledDuplicateTracker:
    """The account references seen in one file, kept in a throw-away SQLite file.

    Same answers as ``validation.DuplicateTracker``, but memory stays flat whatever the
    number of rows: a dict of a million references held about 130 MB.
    """

    def __init__(self) -> None:
        self._folder = tempfile.TemporaryDirectory(prefix="intake-seen-")
        self._db = sqlite3.connect(Path(self._folder.name) / "seen.db", isolation_level=None)
        self._db.execute("PRAGMA journal_mode=OFF")
        self._db.execute("PRAGMA synchronous=OFF")
        self._db.execute("CREATE TABLE seen (ref TEXT PRIMARY KEY, row INTEGER) WITHOUT ROWID")
        self._db.execute("BEGIN")

    def check(self, row_number: int, account_ref: str, column: str) -> RowError | None:
        inserted = self._db.execute(
            "INSERT OR IGNORE INTO seen VALUES (?, ?)", (account_ref, row_number)
        ).rowcount
        if inserted:
            return None
        (first,) = self._db.execute("SELECT row FROM seen WHERE ref = ?", (account_ref,)).fetchone()
        if first == row_number:
            return None
        reason = f"duplicate account reference (first on line {first})"
        return RowError(row_number, column, account_ref, reason)

    def close(self) -> None:
        self._db.close()
        self._folder.cleanup()


def values_of(record: validation.CaseRecord) -> CaseValues:
    contacts: list[dict[str, Any]] = []
    if record.guarantor_name or record.guarantor_phone or record.guarantor_id_number:
        contacts.append(
            _contact(
                record.guarantor_name,
                "guarantor",
                record.guarantor_phone,
                id_number=record.guarantor_id_number,
            )
        )
    if record.contact_name or record.contact_phone:
        contacts.append(
            _contact(record.contact_name, record.contact_relation, record.contact_phone)
        )
    return CaseValues(
        account_ref=record.account_ref,
        debtor_name=record.debtor_name,
        total_owed=record.total_owed,
        product_type=record.product_type,
        id_type=record.id_type or ("resident_id" if record.id_number else None),
        id_number=record.id_number,
        phones=list(record.phones),
        home_address=record.home_address,
        work_address=record.work_address,
        employer=record.employer,
        contacts=contacts,
        principal=record.principal,
        interest=record.interest,
        penalty=record.penalty,
        fees=record.fees,
        overdue_since=record.overdue_since,
        days_past_due=record.days_past_due,
        bucket=record.bucket,
        branch=record.branch,
        notes=record.bank_notes,
    )


def _contact(
    name: str | None, relation: str | None, phone: str | None, *, id_number: str | None = None
) -> dict[str, Any]:
    found: dict[str, Any] = {"name": name or "", "relation": relation, "phones": []}
    if phone:
        found["phones"] = [phone]
    if id_number:
        found["id_type"], found["id_number"] = "resident_id", id_number
    return found
