"""Reading case files by content: CSV in every encoding banks send, JSON Lines, XLSX,
and the files that must be refused as a whole."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date, datetime, time
from typing import BinaryIO

import openpyxl
import pytest

from services.intake.case_files.parsing.readers import detect_encoding, open_rows, sniff_delimiter
from services.intake.case_files.parsing.source import FileRejected, ReaderLimits, RowSource
from services.intake.case_files.parsing.xlsx import excel_value_text

HEADER = "卡号,客户姓名,手机号,欠款总额"
ROWS = ["A1,张三丰,13812345678,100", "A2,李四,,2,000.50"]


class OneWay(io.RawIOBase):
    """A stream that cannot seek, like a request body read as it arrives."""

    def __init__(self, data: bytes) -> None:
        self._data = io.BytesIO(data)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray) -> int:  # type: ignore[override]
        chunk = self._data.read(len(buffer))
        buffer[: len(chunk)] = chunk
        return len(chunk)


def one_way(data: bytes) -> BinaryIO:
    return io.BufferedReader(OneWay(data))  # type: ignore[return-value]


def read_all(data: bytes | BinaryIO, **kwargs: object) -> tuple[RowSource, list]:
    stream = io.BytesIO(data) if isinstance(data, bytes) else data
    source = open_rows(stream, **kwargs)  # type: ignore[arg-type]
    with source:
        return source, list(source)


def csv_bytes(*lines: str, encoding: str = "utf-8") -> bytes:
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


# --- CSV encodings --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("encoding", "prefix", "detected"),
    [("utf-8", b"", "utf-8-sig"), ("utf-8", b"\xef\xbb\xbf", "utf-8-sig"),
     ("gbk", b"", "gb18030"), ("gb18030", b"", "gb18030")],
)  # fmt: skip
def test_csv_in_every_encoding(encoding: str, prefix: bytes, detected: str) -> None:
    source, rows = read_all(prefix + csv_bytes(HEADER, *ROWS, encoding=encoding))
    assert source.format == "csv"
    assert source.encoding == detected
    assert source.headers == ["卡号", "客户姓名", "手机号", "欠款总额"]  # no BOM on 卡号
    assert rows[0] == (2, ["A1", "张三丰", "13812345678", "100"])


def test_gb18030_character_outside_gbk_survives() -> None:
    name = "王𠮷"  # 𠮷 (U+20BB7) has no GBK code: only GB18030 encodes it
    with pytest.raises(UnicodeEncodeError):
        name.encode("gbk")
    _, rows = read_all(csv_bytes(HEADER, f"A1,{name},,1", encoding="gb18030"))
    assert rows[0][1][1] == name


def test_gbk_after_a_long_ascii_prefix_is_still_detected() -> None:
    filler = [f"X{i},name,,1" for i in range(20_000)]  # > the 64 KiB detection prefix
    data = csv_bytes("account_ref,debtor_name,phone,total_owed", *filler, "Z9,张三,,1",
                     encoding="gbk")  # fmt: skip
    source, rows = read_all(data)
    assert source.encoding == "gb18030"
    assert rows[-1][1][1] == "张三"


def test_non_seekable_ascii_prefix_then_gbk_is_rejected_naming_the_line() -> None:
    filler = [f"X{i},name,,1" for i in range(20_000)]
    data = csv_bytes("account_ref,debtor_name,phone,total_owed", *filler, "Z9,张三,,1",
                     encoding="gbk")  # fmt: skip
    with pytest.raises(FileRejected, match="line 20002"):
        read_all(one_way(data))


def test_detect_encoding_on_prefix() -> None:
    assert detect_encoding("卡号".encode()) == "utf-8-sig"
    assert detect_encoding("卡号".encode()[:-1]) == "utf-8-sig"  # cut mid-character
    assert detect_encoding("卡号".encode("gbk")) == "gb18030"


def test_non_seekable_csv_stream_reads_the_same() -> None:
    data = csv_bytes(HEADER, *ROWS, encoding="gbk")
    assert read_all(one_way(data))[1] == read_all(data)[1]


# --- CSV records ----------------------------------------------------------------------


def test_rows_are_records_numbered_with_header_as_row_1() -> None:
    data = csv_bytes(HEADER, 'A1,"张\r\n三",,1', "", "A2,李四,,2")
    _, rows = read_all(data)
    # the quoted line break stays inside one record; the blank record is counted, not yielded
    assert rows == [(2, ["A1", "张\r\n三", "", "1"]), (4, ["A2", "李四", "", "2"])]


def test_short_rows_are_padded_and_long_rows_kept() -> None:
    _, rows = read_all(csv_bytes("a,b,c,,", "1", "1,2,3,4,5"))
    assert rows == [(2, ["1", "", ""]), (3, ["1", "2", "3", "4", "5"])]


def test_old_mac_line_endings_are_lines_too() -> None:
    _, rows = read_all(b"a,b\rA1,x\rA2,y\r")
    assert rows == [(2, ["A1", "x"]), (3, ["A2", "y"])]


@pytest.mark.parametrize("delimiter", ["\t", ";", "|"])
def test_other_delimiters_are_sniffed_from_the_header(delimiter: str) -> None:
    source, rows = read_all(csv_bytes(f"卡号{delimiter}姓名", f"A1{delimiter}张,三"))
    assert source.headers == ["卡号", "姓名"]
    assert rows == [(2, ["A1", "张,三"])]


def test_sniff_delimiter_defaults_to_comma() -> None:
    assert sniff_delimiter("卡号") == ","


def test_nul_bytes_are_rejected_naming_the_line() -> None:
    with pytest.raises(FileRejected, match=r"line 4: NUL"):
        read_all(csv_bytes(HEADER, *ROWS) + b"A3,\x00\x00,,1\r\n")


def test_undecodable_bytes_are_rejected_naming_the_line() -> None:
    data = csv_bytes(HEADER, "A1,x,,1", encoding="gbk") + b"A2,\xff\xff,,1\r\n"
    with pytest.raises(FileRejected, match=r"line 3: bytes that are neither"):
        read_all(data)


@pytest.mark.parametrize("data", [b"", b"  \r\n\r\n", b"\xef\xbb\xbf"])
def test_empty_file_is_rejected(data: bytes) -> None:
    with pytest.raises(FileRejected, match="empty"):
        read_all(data)


def test_file_without_header_row_is_rejected() -> None:
    with pytest.raises(FileRejected, match="no header row"):
        read_all(b",,,\r\n , ,\r\n")


def test_overlong_line_is_rejected() -> None:
    with pytest.raises(FileRejected, match="line 2: longer than"):
        read_all(csv_bytes(HEADER, "A" * 200), limits=ReaderLimits(max_line_bytes=100))


@pytest.mark.parametrize(
    ("data", "reason"),
    [(b"\xff\xfeA\x00", "UTF-16"), (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 20, ".xls")],
)
def test_other_office_formats_are_named(data: bytes, reason: str) -> None:
    with pytest.raises(FileRejected, match=reason):
        read_all(data)


# --- JSON Lines -----------------------------------------------------------------------


def test_json_lines_headers_are_the_union_of_keys_and_rows_the_line_numbers() -> None:
    lines = [
        {"卡号": "A1", "姓名": "张三", "欠款总额": 1234.50},
        {},
        {"卡号": "A2", "手机号": ["13812345678", "13912345678"], "欠款总额": 7, "备注": None},
    ]
    text = "\n".join(json.dumps(x, ensure_ascii=False) for x in lines).replace("{}", "")
    source, rows = read_all(("  " + text + "\n").encode())
    assert source.format == "jsonl"
    assert source.headers == ["卡号", "姓名", "欠款总额", "手机号", "备注"]
    assert rows == [
        (1, ["A1", "张三", "1234.5"]),
        (3, ["A2", "", "7", "13812345678,13912345678", ""]),
    ]


def test_json_lines_keep_decimal_text_exactly() -> None:
    _, rows = read_all(b'{"total_owed": 1234.50, "x": true, "o": {"k": 1}}\n')
    assert rows == [(1, ["1234.50", "true", '{"k": 1}'])]


def test_json_lines_with_bom_and_gbk() -> None:
    assert read_all(b"\xef\xbb\xbf" + '{"姓名": "张三"}'.encode())[1] == [(1, ["张三"])]
    assert read_all('{"姓名": "张三"}'.encode("gbk"))[1] == [(1, ["张三"])]


def test_malformed_json_line_is_rejected_naming_the_line() -> None:
    data = b'{"a": 1}\n{"a": 2}\n{"a": 3,,}\n{"a": 4}\n'
    source = open_rows(io.BytesIO(data))
    with pytest.raises(FileRejected, match="line 3: not valid JSON"):
        list(source)


def test_a_json_array_is_not_json_lines() -> None:
    with pytest.raises(FileRejected, match="JSON Lines"):
        read_all(b'[{"a": 1}]')


def test_json_line_that_is_no_object_is_rejected() -> None:
    with pytest.raises(FileRejected, match="line 2: not a JSON object"):
        read_all(b'{"a": 1}\n[1, 2]\n')


# --- XLSX -----------------------------------------------------------------------------


def workbook_bytes(*rows: list[object], title_rows: int = 0) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for _ in range(title_rows):
        sheet.append([])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


XLSX_HEADER: list[object] = ["卡号", "身份证号", "首次逾期日", "逾期日期", "欠款总额", "利息"]


def test_xlsx_cells_become_text_without_losing_data() -> None:
    data = workbook_bytes(
        XLSX_HEADER,
        ["6222000011112222333", "11010519491231002X", date(2026, 11, 1), 46327, 1234, 12.5],
        ["A2", "110105194912310021", datetime(2026, 10, 31, 9, 30), None, 0.1 + 0.2, 1e20],
    )
    source, rows = read_all(data, filename="cases.xlsx")
    assert source.format == "xlsx"
    assert source.headers == XLSX_HEADER
    assert rows == [
        (2, ["6222000011112222333", "11010519491231002X", "2026-11-01", "46327", "1234", "12.5"]),
        (3, ["A2", "110105194912310021", "2026-10-31 09:30:00", "", "0.3",
             "100000000000000000000"]),
    ]  # fmt: skip


def test_xlsx_rows_keep_excel_numbers_past_blank_rows() -> None:
    data = workbook_bytes(["卡号", "姓名"], [], ["A1", "张三"], title_rows=2)
    source, rows = read_all(data)
    assert source.headers == ["卡号", "姓名"]
    assert rows == [(5, ["A1", "张三"])]


def test_xlsx_from_a_non_seekable_stream() -> None:
    data = workbook_bytes(["卡号"], ["A1"])
    assert read_all(one_way(data))[1] == [(2, ["A1"])]


def test_xlsx_with_empty_first_sheet_has_no_header_row() -> None:
    with pytest.raises(FileRejected, match="no header row"):
        read_all(workbook_bytes())


def test_zip_that_is_not_a_workbook_is_rejected() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("cases.csv", "卡号\nA1\n")
    with pytest.raises(FileRejected, match="not a readable XLSX"):
        read_all(buffer.getvalue())


def test_broken_zip_is_rejected() -> None:
    with pytest.raises(FileRejected, match="not a valid one"):
        read_all(b"PK\x03\x04" + b"garbage" * 10)


@pytest.mark.parametrize(
    ("value", "text"),
    [(None, ""), (True, "TRUE"), (42, "42"), (42.0, "42"), (1234.56, "1234.56"),
     (0.1 + 0.2, "0.3"), (1e-7, "0.0000001"), (date(2026, 1, 2), "2026-01-02"),
     (datetime(2026, 1, 2), "2026-01-02"), (time(8, 30), "08:30:00"), ("0012", "0012")],
)  # fmt: skip
def test_excel_value_text(value: object, text: str) -> None:
    assert excel_value_text(value) == text


# --- zip bombs ------------------------------------------------------------------------


def bomb(member_size: int, members: int = 1) -> bytes:
    """A zip whose first member is ``member_size`` zero bytes (about 1000:1 deflated)."""
    buffer = io.BytesIO()
    zeros = b"\x00" * (1024 * 1024)
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        with archive.open("xl/worksheets/sheet1.xml", "w") as member:
            for _ in range(member_size // len(zeros)):
                member.write(zeros)
        for n in range(members - 1):
            archive.writestr(f"part{n}.xml", "<x/>")
    return buffer.getvalue()


@pytest.fixture
def no_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the workbook was parsed before the zip limits were checked")

    monkeypatch.setattr(openpyxl, "load_workbook", refuse)


@pytest.mark.usefixtures("no_parsing")
def test_highly_compressed_member_is_rejected_before_parsing() -> None:
    data = bomb(32 * 1024 * 1024)
    assert len(data) < 100_000
    with pytest.raises(FileRejected, match="zip bomb"):
        read_all(data)


@pytest.mark.usefixtures("no_parsing")
def test_total_uncompressed_size_limit() -> None:
    limits = ReaderLimits(max_total_uncompressed=4 * 1024 * 1024, max_compression_ratio=1e9)
    with pytest.raises(FileRejected, match="unpacks to more than"):
        read_all(bomb(8 * 1024 * 1024), limits=limits)


@pytest.mark.usefixtures("no_parsing")
def test_member_count_limit() -> None:
    with pytest.raises(FileRejected, match="12 parts"):
        read_all(bomb(0, members=12), limits=ReaderLimits(max_members=10))


def test_an_ordinary_workbook_passes_the_zip_limits() -> None:
    rows = [["卡号", "姓名"]] + [[f"A{i}", "张三" * 10] for i in range(5000)]
    assert len(read_all(workbook_bytes(*rows))[1]) == 5000
