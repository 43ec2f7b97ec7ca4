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


# Read a mebibyte at a time: each read lets other threads run, and taking the interpreter
# back can wait for one of them to yield, so small reads cost far more than their bytes.
READ_BUFFER = 1024 * 1024


@contextmanager
def open_case_file(path: Path) -> Iterator[CaseFile]:
    """The file's rows; raises :class:`FileRejected` when it cannot be read as a case file."""
    with (
        path.open("rb", buffering=READ_BUFFER) as stream,
        readers.open_rows(stream, path.name) as rows,
    ):
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
    The first row with a reference is remembered; a later one is an error.

    A row is one call, but not one statement: a 2 MiB Bloom filter answers "never seen"
    for almost every new reference, those are written in bulk every ``flush_every``, and
    only a "perhaps" (a repeat, or a false positive: 0.3 % of rows at a million) looks
    in the file. Past tens of millions the filter fills up and more rows look, which is
    slower, never wrong."""

    def __init__(self, filter_bits: int = 1 << 24, flush_every: int = 5_000) -> None:
        self._folder = tempfile.TemporaryDirectory(prefix="intake-seen-")
        self._db = sqlite3.connect(Path(self._folder.name) / "seen.db", isolation_level=None)
        self._db.execute("PRAGMA journal_mode=OFF")
        self._db.execute("PRAGMA synchronous=OFF")
        self._db.execute("CREATE TABLE seen (ref TEXT PRIMARY KEY, row INTEGER) WITHOUT ROWID")
        self._db.execute("BEGIN")
        self._filter = bytearray(filter_bits // 8)
        self._mask = filter_bits - 1
        self._flush_every = flush_every
        self._pending: dict[str, int] = {}  # seen, not yet written

    def check(self, line: int, account_ref: str, column: str) -> Finding | None:
        first = self._first_line(account_ref, line)
        if first == line:
            return None
        return Finding(
            line, column, account_ref, f"duplicate account reference (first on line {first})"
        )

    def _first_line(self, account_ref: str, line: int) -> int:
        """The line the reference was first seen on (``line`` itself when new)."""
        bits = self._filter
        mask = self._mask
        h = hash(account_ref)
        step = (h >> 24) | 1
        maybe = True
        for i in range(4):
            slot = (h + i * step) & mask
            byte, bit = slot >> 3, 1 << (slot & 7)
            if not bits[byte] & bit:
                maybe = False
                bits[byte] |= bit
        if maybe:
            first = self._pending.get(account_ref)
            if first is not None:
                return first
            found = self._db.execute(
                "SELECT row FROM seen WHERE ref = ?", (account_ref,)
            ).fetchone()
            if found is not None:
                return int(found[0])
        self._pending[account_ref] = line
        if len(self._pending) >= self._flush_every:
            self._flush()
        return line

    def _flush(self) -> None:
        self._db.executemany("INSERT INTO seen VALUES (?, ?)", self._pending.items())
        self._pending.clear()

    def close(self) -> None:
        self._db.close()
        self._folder.cleanup()
