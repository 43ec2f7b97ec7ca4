"""Large files stream: reading a ~50 MB case file keeps memory far below the file size."""

from __future__ import annotations

import tracemalloc
from pathlib import Path

from services.intake.case_files.parsing.mapping import mapped_rows
from services.intake.case_files.parsing.readers import open_rows

TARGET_BYTES = 50 * 1024 * 1024
PEAK_LIMIT = 20 * 1024 * 1024


def write_large_csv(path: Path, encoding: str) -> int:
    header = "卡号,客户姓名,身份证号,手机号,家庭地址,欠款总额,首次逾期日,逾期天数,备注\r\n"
    notes = "客户称下月还款" * 40
    rows = 0
    with path.open("wb") as out:
        out.write(header.encode(encoding))
        chunk: list[str] = []
        while out.tell() < TARGET_BYTES:
            chunk = [
                f"A{rows + i:09d},张三丰,11010519491231002X,13812345678,"
                f'"北京市朝阳区建国路{i}号",{i}.50,2026-11-01,14,{notes}\r\n'
                for i in range(2000)
            ]
            out.write("".join(chunk).encode(encoding))
            rows += len(chunk)
    return rows


def test_a_50_mb_csv_streams_in_bounded_memory(tmp_path: Path) -> None:
    path = tmp_path / "large.csv"
    expected_rows = write_large_csv(path, "gb18030")
    assert path.stat().st_size >= TARGET_BYTES
    tracemalloc.start()
    try:
        with path.open("rb") as stream, open_rows(stream, path.name) as source:
            count, last = 0, None
            for row_number, _header_map, mapped in mapped_rows(source):
                count += 1
                last = (row_number, mapped.raw["account_ref"])
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == expected_rows
    assert last == (expected_rows + 1, f"A{expected_rows - 1:09d}")
    assert peak < PEAK_LIMIT, f"peak {peak / 1e6:.1f} MB while reading a 50 MB file"
