"""A batch's error report as CSV that opens safely in Excel (shared.csvexport: UTF-8 with a
BOM, no cell a spreadsheet would run as a formula).

Rows are named by their line in the file, the header being line 1; when the file has the
bank's own row-number column (序号/行号) that number is a column of its own."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from services.intake.case_files.models import BatchError
from shared.csvexport import csv_lines

LINE_HEADER = "line (header = line 1)"


def report_header(bank_row_header: str | None) -> list[str]:
    bank = [f"{bank_row_header} (bank row)"] if bank_row_header else []
    return [LINE_HEADER, *bank, "severity", "column", "value", "reason"]


def error_report(
    errors: Iterable[BatchError], bank_row_header: str | None = None, page: int = 500
) -> Iterator[bytes]:
    """The report, produced a page of lines at a time."""
    with_bank = bank_row_header is not None

    def cells(error: BatchError) -> list[object]:
        bank = [error.bank_row or ""] if with_bank else []
        return [error.row, *bank, error.severity, error.column, error.value, error.reason]

    lines = csv_lines(report_header(bank_row_header), (cells(e) for e in errors))
    buffer: list[str] = []
    for line in lines:
        buffer.append(line)
        if len(buffer) == page:
            yield "".join(buffer).encode()
            buffer.clear()
    yield "".join(buffer).encode()
