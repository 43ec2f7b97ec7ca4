"""CSV files for people to open in Excel: formulas neutralised, Chinese readable."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
UTF8_BOM = "\ufeff"


def safe_cell(value: Any) -> str:
    """A cell that a spreadsheet shows as text, never runs (CSV/formula injection).

    A leading apostrophe makes Excel and LibreOffice treat the cell as text; plain
    negative numbers are left alone so amounts stay numbers.
    """
    text = "" if value is None else str(value)
    if text.startswith(_FORMULA_STARTS) and not _is_plain_number(text):
        return "'" + text
    return text


def _is_plain_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return text.strip() == text


def csv_lines(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> Iterator[str]:
    """Stream a CSV export line by line (UTF-8 with BOM so Excel reads Chinese correctly)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([safe_cell(h) for h in header])
    yield UTF8_BOM + buffer.getvalue()
    for row in rows:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow([safe_cell(v) for v in row])
        yield buffer.getvalue()
