"""A report as data: sections of rows with labelled columns, and a summary. Every format
(JSON, CSV, XLSX) and every snapshot is made from this one shape."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from shared.clock import to_local


@dataclass
class Section:
    name: str
    columns: list[tuple[str, str]]  # (key, label shown to people)
    rows: Iterable[dict[str, Any]] = field(default_factory=list)
    """A list, or rows read as they are written out (a large export stays flat in
    memory; a report's summary may then be complete only once its rows are consumed)."""


@dataclass
class Report:
    report: str
    title: str
    period: str
    scope: str
    sections: list[Section]
    summary: dict[str, Any] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        sections = [
            {"name": s.name, "columns": [k for k, _ in s.columns], "rows": list(s.rows)}
            for s in self.sections
        ]
        return plain(
            {
                "report": self.report,
                "title": self.title,
                "period": self.period,
                "scope": self.scope,
                "summary": self.summary,
                "sections": sections,
            }
        )


def plain(value: Any) -> Any:
    """JSON-ready: amounts as strings to the fen, times in Shanghai with their offset."""
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime):
        return to_local(value).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value
