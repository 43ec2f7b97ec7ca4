"""A file read as case rows: duplicates across the whole file (kept on disk, so memory
stays flat), and each finding named by its file line and the bank's own row number."""

from __future__ import annotations

import random
from datetime import date
from pathlib import Path

import pytest

from services.intake.case_files.parsing.file import SeenAccounts, case_rows, open_case_file
from services.intake.case_files.parsing.rows import ERROR, WARNING
from services.intake.case_files.parsing.validation import RowContext


@pytest.mark.parametrize(
    ("filter_bits", "flush_every"),
    [(1 << 24, 5_000), (1 << 24, 7), (64, 7)],
    ids=["held-back", "written-often", "filter-full"],
)
def test_a_repeat_is_found_whenever_it_comes(filter_bits: int, flush_every: int) -> None:
    """Whether the first sighting is still held back or already in the file, and whether
    the filter answers or (full, so always "perhaps") the file does."""
    rng = random.Random(3)
    refs = [f"A{rng.randrange(400)}" for _ in range(2_000)]
    first: dict[str, int] = {}
    seen = SeenAccounts(filter_bits=filter_bits, flush_every=flush_every)
    try:
        for line, ref in enumerate(refs, start=2):
            found = seen.check(line, ref, "卡号")
            earlier = first.setdefault(ref, line)
            assert (found is None) == (earlier == line)
            if found is not None:
                assert found.reason == f"duplicate account reference (first on line {earlier})"
    finally:
        seen.close()


def test_a_repeat_names_the_first_line() -> None:
    seen = SeenAccounts()
    try:
        assert seen.check(2, "6222-01", "卡号") is None
        assert seen.check(3, "6222-02", "卡号") is None
        repeat = seen.check(9, "6222-01", "卡号")
        assert repeat is not None
        assert (repeat.row, repeat.column, repeat.value) == (9, "卡号", "6222-01")
        assert "first on line 2" in repeat.reason
    finally:
        seen.close()


def test_findings_carry_the_file_line_and_the_bank_row_number(tmp_path: Path) -> None:
    text = (
        "序号,卡号,客户姓名,欠款总额,单位电话\r\n"
        "1,A1,张三,100,021-62345678\r\n"
        "\r\n"  # a blank line still counts: lines match the bank's sheet
        "2,A2,李四,100,6234\r\n"
        "3,A1,王五,100,\r\n"
    )
    path = tmp_path / "cases.csv"
    path.write_bytes(text.encode("gbk"))
    ctx = RowContext(received=date(2026, 12, 2))
    with open_case_file(path) as src:
        rows = list(case_rows(src, {}, ctx))
    found = [f for _line, _case, findings in rows for f in findings]
    assert [(f.row, f.bank_row, f.severity, f.column) for f in found] == [
        (4, "2", WARNING, "单位电话"),
        (5, "3", ERROR, "卡号"),
    ]
    cases = [case for _line, case, _f in rows if case is not None]
    assert [(c.line, c.bank_row, c.phones) for c in cases] == [
        (2, "1", ["021-62345678"]),
        (4, "2", []),
    ]
