"""A received case file read as validated case rows: the reader, the header mapping, the
row validation and the duplicate check across the whole file, in bounded memory."""

from __future__ import annotations

import sqlite3
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

from services.intake.case_files.parsing import mapping, readers
from services.intake.case_files.parsing.mapping import HeaderMap
from services.intake.case_files.parsing.rows import CaseRow, Finding
from services.intake.case_files.parsing.validation import RowContext, validate_row

# What an agreement's column mapping may name ("" ignores a column).
MAPPABLE: frozenset[str] = mapping.MAPPING_TARGETS | frozenset({""})
FileRejected = readers.FileRejected


@dataclass
class CaseFile:
    rows: readers.RowSource
    position: Callable[[], int]  # bytes of the file read so far

    @property
    def headers(self) -> list[str]:
        return self.rows.headers


@contextmanager
def open_case_file(path: Path) -> Iterator[CaseFile]:
    """The file's rows; raises :class:`FileRejected` when it cannot be read as a case file."""
    with path.open("rb") as stream, readers.open_rows(stream, path.name) as rows:
        yield CaseFile(rows=rows, position=stream.tell)


def layout(headers: list[str], custom: dict[str, str]) -> HeaderMap:
    return mapping.resolve_headers(list(headers), custom)


def case_rows(
    src: CaseFile, custom: dict[str, str], ctx: RowContext
) -> Iterator[tuple[int, CaseRow | None, list[Finding]]]:
    """Each row validated, duplicates within the file included, as (line, case, findings):
    the case is None when a finding is an error."""
    seen = SeenAccounts()
    try:
        for line, _shape, mapped in mapping.mapped_rows(src.rows, custom):
            case, findings = validate_row(line, mapped, ctx=ctx)
            if case is not None:
                column = mapped.headers_for_field.get("account_ref", "account_ref")
                duplicate = seen.check(line, case.account_ref, column)
                if duplicate is not None:
                    case, findings = None, [duplicate]
            bank_row = mapped.raw.get("bank_row", "").strip()[:64] or None
            if bank_row:
                findings = [replace(f, bank_row=bank_row) for f in findings]
                if case is not None:
                    case.bank_row = bank_row
            yield line, case, findings
    finally:
        seen.close()


class SeenAccounts:
    """The account references seen in one file, kept in a throw-away SQLite file, so
    memory stays flat whatever the number of rows (a dict of a million held ~130 MB).
    The first row with a reference is remembered; a later one is an error."""

    def __init__(self) -> None:
        self._folder = tempfile.TemporaryDirectory(prefix="intake-seen-")
        self._db = sqlite3.connect(Path(self._folder.name) / "seen.db", isolation_level=None)
        self._db.execute("PRAGMA journal_mode=OFF")
        self._db.execute("PRAGMA synchronous=OFF")
        self._db.execute("CREATE TABLE seen (ref TEXT PRIMARY KEY, row INTEGER) WITHOUT ROWID")
        self._db.execute("BEGIN")

    def check(self, line: int, account_ref: str, column: str) -> Finding | None:
        inserted = self._db.execute(
            "INSERT OR IGNORE INTO seen VALUES (?, ?)", (account_ref, line)
        ).rowcount
        if inserted:
            return None
        (first,) = self._db.execute("SELECT row FROM seen WHERE ref = ?", (account_ref,)).fetchone()
        if first == line:
            return None
        return Finding(
            line, column, account_ref, f"duplicate account reference (first on line {first})"
        )

    def close(self) -> None:
        self._db.close()
        self._folder.cleanup()
