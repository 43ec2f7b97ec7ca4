"""A report as CSV (formulas neutralised, BOM for Excel) or XLSX (xlsxwriter in
constant-memory mode: rows go to disk as they are written, so memory stays flat)."""

from __future__ import annotations

import itertools
import os
import tempfile
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import xlsxwriter

from services.reporting.reports.shape import Report, plain
from shared.csvexport import csv_lines

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"


def report_csv(report: Report) -> Iterator[str]:
    """Each section under its name, separated by an empty line; the summary last."""
    for index, section in enumerate(report.sections):
        rows = ([r.get(k) for k, _ in section.columns] for r in map(plain, section.rows))
        header = [label for _, label in section.columns]
        lines = csv_lines(
            [section.name, *[""] * (len(header) - 1)], itertools.chain([header], rows)
        )
        yield from (lines if index == 0 else _no_bom(lines))
        yield "\r\n"
    summary = plain(report.summary)
    yield from _no_bom(csv_lines(["summary", ""], ([k, _cell(v)] for k, v in summary.items())))


def _no_bom(lines: Iterator[str]) -> Iterator[str]:
    first = True
    for line in lines:
        yield line.lstrip("\ufeff") if first else line
        first = False


def _cell(value: Any) -> Any:
    return value if not isinstance(value, dict | list) else str(value)


def report_csv_file(report: Report, folder: Path | None = None) -> Path:
    """The CSV written to a temporary file while the database session is open, so rows
    read lazily never pile up in memory."""
    fd, name = tempfile.mkstemp(suffix=".csv", dir=folder)
    with os.fdopen(fd, "w", encoding="utf-8", newline="") as out:
        for chunk in report_csv(report):
            out.write(chunk)
    return Path(name)


def report_xlsx(report: Report, folder: Path | None = None) -> Path:
    """One sheet per section and a summary sheet; text cells are always written as text,
    so nothing a bank or a debtor typed can become a formula."""
    fd, name = tempfile.mkstemp(suffix=".xlsx", dir=folder)
    os.close(fd)
    book = xlsxwriter.Workbook(name, {"constant_memory": True, "in_memory": False})
    bold = book.add_format({"bold": True})
    write = _writer(book)
    for section in report.sections:
        sheet = book.add_worksheet(section.name[:31])
        for col, (_, label) in enumerate(section.columns):
            sheet.write_string(0, col, label, bold)
        for row_no, row in enumerate(section.rows, start=1):
            for col, (key, _) in enumerate(section.columns):
                write(sheet, row_no, col, row.get(key))
    sheet = book.add_worksheet("summary")
    for row_no, (key, value) in enumerate(report.summary.items()):
        sheet.write_string(row_no, 0, key)
        write(sheet, row_no, 1, value)
    book.close()
    return Path(name)


MONEY_FORMAT = "#,##0.00"


def number_format(value: Decimal) -> str | None:
    """Amounts (two places, to the fen) as money, 12,000.00; other decimals with the
    places they carry (a rate 0.1800); whole numbers as they are."""
    places = -int(value.as_tuple().exponent) if value.is_finite() else 0
    if places <= 0:
        return None
    return MONEY_FORMAT if places == 2 else "0." + "0" * places


def _writer(book: Any) -> Any:
    formats: dict[str, Any] = {}

    def write(sheet: Any, row: int, col: int, value: Any) -> None:
        if value is None:
            return
        if isinstance(value, bool):
            sheet.write_boolean(row, col, value)
        elif isinstance(value, Decimal):
            shown = number_format(value)
            if shown is not None and shown not in formats:
                formats[shown] = book.add_format({"num_format": shown})
            sheet.write_number(row, col, float(value), formats.get(shown or ""))
        elif isinstance(value, int | float):
            sheet.write_number(row, col, value)
        else:
            sheet.write_string(row, col, str(_cell(plain(value))))

    return write
