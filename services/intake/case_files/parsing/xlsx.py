"""The first sheet of an XLSX workbook, row by row in bounded memory (openpyxl's read-only
mode), with zip-bomb limits judged before anything is inflated. Cell values become the
text a bank would see, so validation sees one shape whatever the format."""

from __future__ import annotations

import shutil
import tempfile
import zipfile
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import BinaryIO

from services.intake.case_files.parsing.source import (
    MALFORMED,
    TOO_LARGE,
    FileRejected,
    ReaderLimits,
    RowSource,
)

# --- XLSX -----------------------------------------------------------------------------


def open_xlsx(stream: BinaryIO, filename: str | None, limits: ReaderLimits) -> RowSource:
    """First sheet of a workbook, via openpyxl's read-only (streaming) mode. Rows are
    numbered as Excel shows them. Memory: openpyxl keeps the shared-string table, which
    the uncompressed-size limit bounds."""
    import openpyxl  # imported here: only workbooks need it

    owned = None if stream.seekable() else seekable_copy(stream)
    source = owned or stream
    try:
        archive = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, OSError) as exc:
        _close_quietly(owned)
        raise FileRejected("the file starts like a zip archive but is not a valid one") from exc
    try:
        check_zip(archive, limits)
        archive.close()
        source.seek(0)
        workbook = openpyxl.load_workbook(source, read_only=True, data_only=True)
    except FileRejected:
        _close_quietly(owned)
        raise
    except Exception as exc:  # openpyxl raises many kinds for a zip that is no workbook
        _close_quietly(owned)
        raise FileRejected(f"not a readable XLSX workbook ({type(exc).__name__})") from exc

    def close() -> None:
        workbook.close()
        _close_quietly(owned)

    if not workbook.worksheets:
        close()
        raise FileRejected("the workbook has no sheets")
    sheet = workbook.worksheets[0]
    sheet.reset_dimensions()  # trust the cells, not a possibly wrong <dimension> tag
    cells = sheet.iter_rows(min_row=1, min_col=1, values_only=True)

    def text_rows() -> Iterator[tuple[int, list[str]]]:
        number = 0
        while True:
            try:
                row = next(cells)
            except StopIteration:
                return
            except Exception as exc:  # corrupt sheet XML surfaces only while streaming
                raise FileRejected(
                    f"row {number + 1}: unreadable sheet data ({type(exc).__name__})"
                ) from exc
            number += 1
            if len(row) > limits.max_columns:
                raise FileRejected(
                    f"row {number}: more than {limits.max_columns} columns", MALFORMED
                )
            values = [excel_value_text(c) for c in row]
            if any(v.strip() for v in values):
                yield number, values

    rows = text_rows()
    try:
        _number, first = next(rows)
    except StopIteration:
        close()
        raise FileRejected("the first sheet has no header row") from None
    except FileRejected:
        close()
        raise
    headers = [h.strip() for h in first]
    while headers and not headers[-1]:
        headers.pop()
    width = len(headers)
    padded = ((n, v + [""] * (width - len(v))) for n, v in rows)
    return RowSource("xlsx", headers, padded, filename=filename, close=close)


def _close_quietly(stream: BinaryIO | None) -> None:
    if stream is not None:
        stream.close()


# --- cell values (XLSX) ---------------------------------------------------------------


def excel_value_text(value: object) -> str:
    """A cell's value as text, losing nothing a bank would see: integers without ``.0``,
    other numbers as their shortest exact decimal (rounded to Excel's 15 significant
    digits, so a stored 0.30000000000000004 reads 0.3), dates as ISO ``YYYY-MM-DD``."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return _float_text(value)
    if isinstance(value, datetime):
        if value.time() == time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, timedelta):
        return str(value)
    return str(value)


def _float_text(value: float) -> str:
    if value != value or value in (float("inf"), float("-inf")):
        return str(value)
    if value.is_integer() and abs(value) < 2**53:
        return str(int(value))
    exact = Decimal(repr(value))
    if len(exact.as_tuple().digits) > 15:
        exact = Decimal(format(value, ".15g"))
    text = format(exact, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def seekable_copy(stream: BinaryIO, max_memory: int = 8 * 1024 * 1024) -> BinaryIO:
    """A seekable copy of a non-seekable stream, on disk beyond ``max_memory``."""
    copy = tempfile.SpooledTemporaryFile(max_size=max_memory)  # noqa: SIM115 - caller closes
    shutil.copyfileobj(stream, copy)
    copy.seek(0)
    return copy  # type: ignore[return-value]


def check_zip(archive: zipfile.ZipFile, limits: ReaderLimits) -> None:
    """Zip-bomb limits, judged from the central directory before anything is inflated
    (zipfile never inflates a member past its declared size, so the sizes are binding)."""
    members = archive.infolist()
    if len(members) > limits.max_members:
        raise FileRejected(
            f"the workbook has {len(members)} parts (limit {limits.max_members})", TOO_LARGE
        )
    total = 0
    for info in members:
        total += info.file_size
        if total > limits.max_total_uncompressed:
            raise FileRejected(
                f"the workbook unpacks to more than {limits.max_total_uncompressed} bytes",
                TOO_LARGE,
            )
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > limits.ratio_min_member_size and ratio > limits.max_compression_ratio:
            raise FileRejected(
                f"part {info.filename} is compressed {ratio:.0f}:1 "
                f"(limit {limits.max_compression_ratio:.0f}:1): refused as a zip bomb",
                TOO_LARGE,
            )
