"""Reading a bank's case file row by row, whatever its layout, in bounded memory.

The format is judged by content, never by the file name or declared type: a zip archive
is an XLSX workbook, a first non-space byte ``{`` is JSON Lines, anything else is CSV
text (UTF-8 with or without BOM, else GB18030, which covers GBK). Rows come out as
``(row_number, values)`` with every value a string, so validation sees one shape.
Pure code: the caller hands in a binary stream and gets rows back; nothing is stored.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import re
from collections.abc import Iterator
from typing import BinaryIO

from services.intake.case_files.parsing.source import (
    MALFORMED,
    TOO_LARGE,
    FileRejected,
    ReaderLimits,
    RowSource,
)
from services.intake.case_files.parsing.xlsx import open_xlsx

ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .xls
UTF8_BOM = codecs.BOM_UTF8
DELIMITERS = (",", "\t", ";", "|")


def open_rows(
    stream: BinaryIO, filename: str | None = None, *, limits: ReaderLimits = ReaderLimits()
) -> RowSource:
    """Open a case file by its content. Raises :class:`FileRejected` when it cannot be read
    at all (empty, no header row, zip bomb, undecodable, binary, malformed JSON line)."""
    prefix = stream.read(limits.prefix_bytes)
    if not prefix.strip(b" \t\r\n" + UTF8_BOM):
        raise FileRejected("the file is empty")
    if prefix.startswith(ZIP_MAGIC):
        return open_xlsx(_rejoin(prefix, stream), filename, limits)
    if prefix.startswith(OLE2_MAGIC):
        raise FileRejected("legacy Excel .xls files are not accepted: save the sheet as XLSX")
    if prefix.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise FileRejected("UTF-16 text is not accepted: save the file as UTF-8 or GBK CSV")
    first = prefix.lstrip(b" \t\r\n" + UTF8_BOM)[:1]
    if first == b"[":
        raise FileRejected("a JSON array is not accepted: send JSON Lines, one object a line")
    encoding = detect_encoding(prefix, stream)
    text = _TextLines(_rejoin(prefix, stream), encoding, limits)
    if first == b"{":
        return _open_jsonl(text, encoding, filename)
    return _open_csv(text, encoding, filename, limits)


# --- encoding -------------------------------------------------------------------------


def detect_encoding(prefix: bytes, stream: BinaryIO | None = None) -> str:
    """UTF-8 (``utf-8-sig``, which drops a BOM) when the prefix is valid UTF-8, else
    GB18030. A pure-ASCII prefix proves nothing, so a seekable stream is scanned on in
    chunks (memory stays one chunk) and rewound; a non-seekable one is taken as UTF-8."""
    if prefix.startswith(UTF8_BOM):
        return "utf-8-sig"
    if _is_utf8(prefix, final=False):
        if prefix.isascii() and stream is not None and stream.seekable():
            return "utf-8-sig" if _rest_is_utf8(stream) else "gb18030"
        return "utf-8-sig"
    return "gb18030"


def _is_utf8(data: bytes, *, final: bool) -> bool:
    try:
        codecs.getincrementaldecoder("utf-8")().decode(data, final=final)
    except UnicodeDecodeError:
        return False
    return True


def _rest_is_utf8(stream: BinaryIO, chunk: int = 1024 * 1024) -> bool:
    start = stream.tell()
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        while block := stream.read(chunk):
            decoder.decode(block)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    finally:
        stream.seek(start)
    return True


class _Prefixed(io.RawIOBase):
    """The already-read prefix followed by the rest of a non-seekable stream."""

    def __init__(self, prefix: bytes, rest: BinaryIO) -> None:
        self._prefix = memoryview(prefix)
        self._rest = rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        if self._prefix:
            n = min(len(buffer), len(self._prefix))
            buffer[:n] = self._prefix[:n]
            self._prefix = self._prefix[n:]
            return n
        data = self._rest.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


def _rejoin(prefix: bytes, stream: BinaryIO) -> BinaryIO:
    if stream.seekable():
        stream.seek(stream.tell() - len(prefix))
        return stream
    return io.BufferedReader(_Prefixed(prefix, stream))


# --- text lines -----------------------------------------------------------------------


_LONE_CR = re.compile(r"(?<=\r)(?!\n)")


class _TextLines:
    """Physical lines of a text file, each decoded as it is read (so a decoding error
    names its own line), checked for NUL bytes and length. Splitting on the byte 0x0A is
    safe in UTF-8 and GB18030 alike: neither uses it inside a multi-byte character."""

    def __init__(self, stream: BinaryIO, encoding: str, limits: ReaderLimits) -> None:
        self._stream = stream
        self._encoding = encoding
        self._limit = limits.max_line_bytes
        self.line_number = 0

    def __iter__(self) -> Iterator[str]:
        decoder = codecs.getincrementaldecoder(self._encoding)()
        while True:
            raw = self._stream.readline(self._limit + 1)
            if len(raw) > self._limit:
                raise FileRejected(
                    f"line {self.line_number + 1}: longer than {self._limit} bytes", TOO_LARGE
                )
            try:
                text = decoder.decode(raw, final=not raw)
            except UnicodeDecodeError as exc:
                raise FileRejected(
                    f"line {self.line_number + 1}: bytes that are neither UTF-8 nor "
                    f"GB18030/GBK text (read as {self._encoding})"
                ) from exc
            if not raw:
                return
            for line in _LONE_CR.split(text) if "\r" in text else (text,):
                if not line:
                    continue
                self.line_number += 1
                if "\x00" in line:
                    raise FileRejected(
                        f"line {self.line_number}: NUL bytes - binary data, not a text file"
                    )
                yield line


# --- CSV ------------------------------------------------------------------------------


def sniff_delimiter(header_line: str) -> str:
    """The most frequent of , TAB ; | in the header line (comma when none appear)."""
    counts = {d: header_line.count(d) for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def _open_csv(
    lines: _TextLines, encoding: str, filename: str | None, limits: ReaderLimits
) -> RowSource:
    line_iter = iter(lines)
    pending: list[str] = []
    for line in line_iter:  # the delimiter comes from the first non-blank line
        pending.append(line)
        if line.strip():
            break
    delimiter = sniff_delimiter(pending[-1]) if pending else ","

    def all_lines() -> Iterator[str]:
        yield from pending
        yield from line_iter

    reader = csv.reader(all_lines(), delimiter=delimiter)
    records = _csv_records(reader, lines, limits)
    for _number, values in records:
        if any(v.strip() for v in values):
            headers = [v.strip() for v in values]
            break
    else:
        raise FileRejected("the file has no header row")
    while headers and not headers[-1]:
        headers.pop()
    width = len(headers)
    rows = ((n, v + [""] * (width - len(v))) for n, v in records if any(c.strip() for c in v))
    return RowSource("csv", headers, rows, encoding=encoding, filename=filename)


def _csv_records(
    reader: Iterator[list[str]], lines: _TextLines, limits: ReaderLimits
) -> Iterator[tuple[int, list[str]]]:
    """Records numbered from 1 (blank records count, so numbers match the bank's sheet)."""
    number = 0
    while True:
        try:
            values = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise FileRejected(f"line {lines.line_number}: {exc}") from exc
        number += 1
        if len(values) > limits.max_columns:
            raise FileRejected(f"row {number}: more than {limits.max_columns} columns", MALFORMED)
        yield number, values


# --- JSON Lines -----------------------------------------------------------------------


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return ",".join(_cell_text(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _open_jsonl(lines: _TextLines, encoding: str, filename: str | None) -> RowSource:
    headers: list[str] = []
    index: dict[str, int] = {}

    def objects() -> Iterator[tuple[int, list[str]]]:
        for line in lines:
            if not line.strip():
                continue
            try:
                obj = json.loads(line, parse_float=str)  # keep decimals exactly as written
            except ValueError as exc:
                raise FileRejected(f"line {lines.line_number}: not valid JSON ({exc})") from exc
            if not isinstance(obj, dict):
                raise FileRejected(f"line {lines.line_number}: not a JSON object")
            values = [""] * len(headers)
            for key, value in obj.items():
                if key not in index:
                    index[key] = len(headers)
                    headers.append(key)
                    values.append("")
                values[index[key]] = _cell_text(value)
            yield lines.line_number, values

    rows = objects()
    first = next(rows, None)
    if first is None:
        raise FileRejected("the file has no JSON objects")

    def all_rows() -> Iterator[tuple[int, list[str]]]:
        yield first
        yield from rows

    return RowSource("jsonl", headers, all_rows(), encoding=encoding, filename=filename)
