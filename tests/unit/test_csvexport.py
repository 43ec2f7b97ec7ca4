"""Exports cannot smuggle formulas into a spreadsheet."""

from __future__ import annotations

import csv
import io

import pytest

from shared.csvexport import UTF8_BOM, csv_lines, safe_cell


@pytest.mark.parametrize(
    "dangerous",
    [
        "=1+1",
        '=HYPERLINK("http://x","click")',
        "+SUM(A1)",
        "-2+3",
        "@cmd",
        "\tx",
        "\rx",
        "=cmd|' /C calc'!A0",
    ],
)
def test_formulas_are_turned_into_text(dangerous: str) -> None:
    assert safe_cell(dangerous) == "'" + dangerous


@pytest.mark.parametrize("plain", ["-12.50", "12", "张三", "", "a=b", "1+1"])
def test_ordinary_values_are_kept(plain: str) -> None:
    assert safe_cell(plain) == plain


def test_none_is_empty() -> None:
    assert safe_cell(None) == ""


def test_an_export_starts_with_a_bom_and_round_trips() -> None:
    text = "".join(csv_lines(["行", "原因"], [[2, "=SUM(A1)"], [3, '含逗号, "引号"']]))
    assert text.startswith(UTF8_BOM)
    rows = list(csv.reader(io.StringIO(text.removeprefix(UTF8_BOM))))
    assert rows == [["行", "原因"], ["2", "'=SUM(A1)"], ["3", '含逗号, "引号"']]
