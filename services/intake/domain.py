"""Pure rules for reading a bank's case file: decoding, header mapping, row validation."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    "account_ref": ("account_ref", "卡号", "账号", "合同号", "借据号"),
    "debtor_name": ("debtor_name", "name", "姓名", "客户姓名"),
    "id_number": ("id_number", "证件号码", "身份证号", "身份证号码"),
    "phone": ("phone", "手机号", "联系电话", "手机号码"),
    "total_owed": ("total_owed", "欠款总额", "逾期金额", "欠款金额"),
    "overdue_since": ("overdue_since", "首次逾期日", "逾期日期"),
}
REQUIRED = ("account_ref", "debtor_name", "total_owed")
_MONEY_NOISE = re.compile(r"[\s￥¥元]")
_MONEY = re.compile(r"^(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$")


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    value: str
    reason: str

    def as_dict(self) -> dict[str, str | int]:
        return {"row": self.row, "column": self.column, "value": self.value, "reason": self.reason}


@dataclass(frozen=True)
class CaseRow:
    row: int
    account_ref: str
    debtor_name: str
    id_number: str | None
    phone: str | None
    total_owed: Decimal
    overdue_since: date | None


@dataclass
class ParsedFile:
    rows: list[CaseRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


def decode_text(content: bytes) -> str:
    """Banks send UTF-8 (with or without BOM) or GB18030/GBK."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValueError("file is neither UTF-8 nor GB18030 text")


def not_text_reason(content: bytes) -> str | None:
    """Why the bytes are not a text case file, judged by content (the declared type is
    not trusted), or None when they are."""
    if b"\x00" in content:
        return "the file contains NUL bytes: it is binary, not a text (CSV) case file"
    try:
        decode_text(content)
    except ValueError:
        return "the file is not text: it is neither UTF-8 nor GB18030/GBK"
    return None


def map_headers(headers: list[str]) -> tuple[dict[str, int], list[str]]:
    """Map the bank's column headers to our fields; returns (field -> index, missing required)."""
    lookup = {alias.lower(): name for name, aliases in HEADER_ALIASES.items() for alias in aliases}
    mapping: dict[str, int] = {}
    for index, header in enumerate(headers):
        name = lookup.get(header.strip().lower())
        if name and name not in mapping:
            mapping[name] = index
    return mapping, [f for f in REQUIRED if f not in mapping]


def parse_money(text: str) -> Decimal:
    cleaned = _MONEY_NOISE.sub("", text)
    if cleaned.startswith("-") and _MONEY.match(cleaned[1:]):
        raise ValueError("amount is negative")
    if not _MONEY.match(cleaned):
        raise ValueError("not an amount")
    cleaned = cleaned.replace(",", "")
    try:
        amount = Decimal(cleaned)
    except InvalidOperation as exc:
        raise ValueError("not an amount") from exc
    if not amount.is_finite():
        raise ValueError("not an amount")
    if amount < 0:
        raise ValueError("amount is negative")
    if amount != amount.quantize(Decimal("0.01")):
        raise ValueError("more than 2 decimal places")
    return amount.quantize(Decimal("0.01"))


def parse_date(text: str) -> date:
    for fmt in ("%Y-%m-%d", "%Y/%m/%d", "%Y%m%d"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError("not a date (use YYYY-MM-DD)")


def parse_case_file(content: bytes) -> ParsedFile:
    """Validate every row; the caller imports only when ``errors`` is empty."""
    result = ParsedFile()
    try:
        text = decode_text(content)
    except ValueError as exc:
        result.errors.append(RowError(0, "", "", str(exc)))
        return result
    reader = csv.reader(io.StringIO(text))
    headers = next(reader, None)
    if not headers:
        result.errors.append(RowError(0, "", "", "file is empty"))
        return result
    mapping, missing = map_headers(headers)
    if missing:
        for name in missing:
            result.errors.append(RowError(1, name, "", "required column missing"))
        return result
    seen: dict[str, int] = {}
    for line_no, cells in enumerate(reader, start=2):
        if not any(c.strip() for c in cells):
            continue
        row = _parse_row(line_no, cells, headers, mapping, result.errors)
        if row is None:
            continue
        if row.account_ref in seen:
            result.errors.append(
                RowError(
                    line_no,
                    headers[mapping["account_ref"]],
                    row.account_ref,
                    f"duplicate account reference (first on row {seen[row.account_ref]})",
                )
            )
            continue
        seen[row.account_ref] = line_no
        result.rows.append(row)
    return result


def _parse_row(
    line_no: int,
    cells: list[str],
    headers: list[str],
    mapping: dict[str, int],
    errors: list[RowError],
) -> CaseRow | None:
    def cell(name: str) -> str:
        index = mapping.get(name)
        return cells[index].strip() if index is not None and index < len(cells) else ""

    before = len(errors)
    for name in REQUIRED:
        if not cell(name):
            errors.append(RowError(line_no, headers[mapping[name]], "", "required value missing"))
    total: Decimal | None = None
    if cell("total_owed"):
        try:
            total = parse_money(cell("total_owed"))
        except ValueError as exc:
            errors.append(
                RowError(line_no, headers[mapping["total_owed"]], cell("total_owed"), str(exc))
            )
    overdue: date | None = None
    if cell("overdue_since"):
        try:
            overdue = parse_date(cell("overdue_since"))
        except ValueError as exc:
            errors.append(
                RowError(
                    line_no, headers[mapping["overdue_since"]], cell("overdue_since"), str(exc)
                )
            )
    if len(errors) > before or total is None:
        return None
    return CaseRow(
        row=line_no,
        account_ref=cell("account_ref"),
        debtor_name=cell("debtor_name"),
        id_number=cell("id_number") or None,
        phone=cell("phone") or None,
        total_owed=total,
        overdue_since=overdue,
    )
