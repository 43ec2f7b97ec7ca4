"""What every reader of a case file hands back, whatever the format: rows from a source,
within limits, or the whole file refused with a reason for the bank."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

UNSUPPORTED, TOO_LARGE, MALFORMED = 415, 413, 422


class FileRejected(Exception):
    """The file as a whole cannot be read; ``reason`` is meant for the bank. ``status``
    says why over HTTP: not a CSV/XLSX/JSONL file (415), or one refused for its shape: too
    big once unpacked or a line too long (413), too many columns (422)."""

    def __init__(self, reason: str, status: int = UNSUPPORTED) -> None:
        super().__init__(reason)
        self.reason = reason
        self.status = status


@dataclass(frozen=True)
class ReaderLimits:
    max_total_uncompressed: int = 500 * 1024 * 1024  # XLSX: sum of member sizes
    max_compression_ratio: float = 100.0  # XLSX: per member ...
    ratio_min_member_size: int = 1024 * 1024  # ... larger than this (tiny parts vary wildly)
    max_members: int = 1000  # XLSX
    prefix_bytes: int = 64 * 1024  # text: bytes read to detect the encoding
    max_line_bytes: int = 1024 * 1024  # text: one physical line
    max_columns: int = 1000


class RowSource:
    """Iterate for ``(row_number, values)``; ``headers`` grows for JSON Lines as new keys
    appear. Close it (or use ``with``) to release the workbook of an XLSX file."""

    def __init__(
        self,
        fmt: str,
        headers: list[str],
        rows: Iterator[tuple[int, list[str]]],
        *,
        encoding: str | None = None,
        filename: str | None = None,
        close: Callable[[], None] | None = None,
    ) -> None:
        self.format = fmt
        self.headers = headers
        self.encoding = encoding
        self.filename = filename
        self._rows = rows
        self._close = close

    def __iter__(self) -> Iterator[tuple[int, list[str]]]:
        return self._rows

    def close(self) -> None:
        if self._close is not None:
            self._close()
            self._close = None

    def __enter__(self) -> RowSource:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
