"""A batch's error report as CSV that opens safely in Excel: UTF-8 with a BOM (so Chinese
shows correctly), and no cell that a spreadsheet would run as a formula."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator

from services.intake.models import BatchError

BOM = "\ufeff"
HEADER = ("row", "column", "value", "reason")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(cell: str) -> str:
    """A cell a spreadsheet could read as a formula gets a leading apostrophe (OWASP)."""
    return "'" + cell if cell.startswith(_FORMULA_START) else cell


def error_report(errors: Iterable[BatchError], page: int = 500) -> Iterator[bytes]:
    """The report, produced a page of rows at a time."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    buffer.write(BOM)
    writer.writerow(HEADER)
    for count, error in enumerate(errors, start=1):
        writer.writerow(
            [
                str(error.row),
                neutralise(error.column),
                neutralise(error.value),
                neutralise(error.reason),
            ]
        )
        if count % page == 0:
            yield buffer.getvalue().encode()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode()
