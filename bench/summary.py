"""The closing table of a bench run: one row per stage measured, with its figures.

Built from the record that is written to ``bench/results``, so the table and the file
always agree; every number a stage kept is shown (nested figures by their path), so a
stage that adds a figure needs nothing here.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

STAGES = {
    "pipeline": "pipeline, whole platform",
    "consumers_alone": "each consumer alone",
    "reporting_alone": "reporting alone",
    "reporting_exports": "reporting exports",
    "letters": "letters",
    "intake_alone": "intake alone",
    "assignment": "assignment alone",
    "contact_alone": "contact's API alone",
    "desk_reads": "the desk's reads",
    "desk_first_screen": "the desk's first screen",
}
_LEFT_OUT = {"database"}


def figures(value: Any, path: str = "") -> Iterator[str]:
    """``path=value`` for every number (and short text) under ``value``."""
    if isinstance(value, Mapping):
        for key, inner in value.items():
            if key not in _LEFT_OUT:
                yield from figures(inner, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list | tuple):
        if value and all(isinstance(v, int | float) for v in value):
            yield f"{path}={'–'.join(_number(v) for v in value)}"
            return
        for index, inner in enumerate(value):
            yield from figures(inner, f"{path}[{index}]")
    elif isinstance(value, bool) or value is None:
        return
    elif isinstance(value, int | float):
        yield f"{path}={_number(value)}"
    elif isinstance(value, str) and len(value) <= 24:
        yield f"{path}={value}"


def _number(value: float) -> str:
    if isinstance(value, int) or value.is_integer():
        return f"{int(value):,}"
    if abs(value) < 1:
        return f"{value:.3g}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def table(record: Mapping[str, Any], width: int = 100) -> str:
    """Every stage the run measured, its figures wrapped under it."""
    label_width = max(len(label) for label in STAGES.values())
    lines = [
        f"summary ({record.get('database', 'sqlite')}, {record.get('machine', '')}, "
        f"load {record.get('load_average', '?')})",
        f"{'stage':<{label_width}} | figures",
        f"{'-' * label_width}-+-{'-' * (width - label_width - 3)}",
    ]
    for key, label in STAGES.items():
        if key not in record:
            continue
        row: list[str] = []
        for figure in figures(record[key]):
            if row and len(" · ".join([*row, figure])) > width - label_width - 3:
                lines.append(f"{label:<{label_width}} | {' · '.join(row)}")
                label, row = "", []
            row.append(figure)
        lines.append(f"{label:<{label_width}} | {' · '.join(row) or '(no figures)'}")
    return "\n".join(lines)
