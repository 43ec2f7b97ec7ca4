"""Which of a bank's columns feed which of our case fields.

Every bank exports case files in its own layout, mostly with Chinese headers. A default
alias table covers the common ones; an agreement may carry its own mapping (the bank's
header -> our field) that takes precedence header by header. Pure code: no I/O.

Phones come from several columns (mobile, home, work, generic "联系电话"). Each phone
column keeps a *slot* naming its kind, because a mobile column must hold a mobile number
while home and work columns may hold landlines; all slots feed the one ``phones`` field.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Protocol

FIELDS: tuple[str, ...] = (
    "account_ref",
    "product_type",
    "debtor_name",
    "id_type",
    "id_number",
    "phones",
    "home_address",
    "work_address",
    "employer",
    "guarantor_name",
    "guarantor_id_number",
    "guarantor_phone",
    "contact_name",
    "contact_relation",
    "contact_phone",
    "principal",
    "interest",
    "penalty",
    "fees",
    "total_owed",
    "overdue_since",
    "days_past_due",
    "bucket",
    "branch",
    "bank_notes",
    "as_of",
    "bank_row",
)
REQUIRED_FIELDS: tuple[str, ...] = ("account_ref", "debtor_name", "total_owed")

# Phone slots: "phones" is the generic kind (mobile or landline); the others say what the
# column holds. All of them feed the ``phones`` field.
MOBILE_SLOT = "mobile_phone"
PHONE_SLOTS: tuple[str, ...] = ("phones", MOBILE_SLOT, "home_phone", "work_phone")
# What an agreement's custom mapping may point a header at ("" ignores the column).
MAPPING_TARGETS: frozenset[str] = frozenset(FIELDS) | frozenset(PHONE_SLOTS)

DEFAULT_ALIASES: dict[str, tuple[str, ...]] = {
    "account_ref": (
        "卡号",
        "账号",
        "合同号",
        "借据号",
        "账户号",
        "信用卡号",
        "贷款账号",
        "account_ref",
        "account",
        "account_no",
        "account_number",
        "card_no",
    ),
    "product_type": ("产品类型", "产品", "业务类型", "product_type", "product"),
    "debtor_name": (
        "姓名",
        "客户姓名",
        "债务人",
        "借款人",
        "持卡人",
        "debtor_name",
        "name",
        "customer_name",
    ),
    "id_type": ("证件类型", "id_type"),
    "id_number": ("证件号码", "身份证号", "身份证号码", "证件号", "id_number", "id_no", "id_card"),
    "mobile_phone": (
        "手机号",
        "手机号码",
        "移动电话",
        "手机",
        "mobile",
        "mobile_phone",
        "cell_phone",
    ),
    "phones": ("联系电话", "电话", "电话号码", "phone", "phones", "telephone"),
    "home_phone": ("家庭电话", "住宅电话", "家庭座机", "home_phone"),
    "work_phone": ("单位电话", "公司电话", "办公电话", "work_phone", "office_phone"),
    "home_address": ("家庭地址", "住址", "居住地址", "现住址", "home_address", "address"),
    "work_address": ("单位地址", "公司地址", "工作地址", "work_address", "office_address"),
    "employer": ("单位名称", "工作单位", "公司名称", "employer", "company"),
    "guarantor_name": (
        "担保人",
        "担保人姓名",
        "保证人",
        "保证人姓名",
        "guarantor_name",
        "guarantor",
    ),
    "guarantor_id_number": (
        "担保人证件号码",
        "担保人身份证号",
        "保证人证件号码",
        "guarantor_id_number",
    ),
    "guarantor_phone": ("担保人电话", "担保人手机", "保证人电话", "guarantor_phone"),
    "contact_name": ("联系人", "联系人姓名", "紧急联系人", "contact_name", "contact"),
    "contact_relation": ("联系人关系", "与债务人关系", "关系", "contact_relation", "relation"),
    "contact_phone": ("联系人电话", "联系人手机", "紧急联系人电话", "contact_phone"),
    "principal": ("本金", "逾期本金", "欠款本金", "principal"),
    "interest": ("利息", "逾期利息", "interest"),
    "penalty": ("违约金", "罚息", "penalty", "penalty_interest"),
    "fees": ("滞纳金", "手续费", "费用", "fees", "fee", "late_fee"),
    "total_owed": (
        "逾期金额",
        "欠款总额",
        "欠款金额",
        "委案金额",
        "应还总额",
        "total_owed",
        "total",
        "amount_owed",
        "balance",
    ),
    "overdue_since": (
        "首次逾期日",
        "逾期日期",
        "逾期起始日",
        "首次逾期日期",
        "逾期开始日期",
        "overdue_since",
        "overdue_date",
    ),
    "days_past_due": ("逾期天数", "days_past_due", "dpd", "overdue_days"),
    "bucket": ("账龄", "逾期阶段", "账龄阶段", "bucket", "aging"),
    "branch": ("分行", "机构", "网点", "所属机构", "支行", "branch", "region"),
    "bank_notes": ("备注", "银行备注", "bank_notes", "notes", "remarks", "remark"),
    # The day the bank extracted the file: its 逾期天数 and dates are as of that day.
    "as_of": (
        "委案日期",
        "数据日期",
        "截止日期",
        "数据截止日期",
        "统计日期",
        "提取日期",
        "as_of",
        "as_of_date",
        "data_date",
    ),
    # The bank's own row number, repeated in the error report beside the file line.
    "bank_row": ("序号", "行号", "row_no", "seq"),
}

_SEPARATORS = re.compile(r"[\s_\-]+")
_TRAILING_MARKS = ":*"  # after NFKC, full-width ：and ＊ are these too


def header_key(header: str) -> str:
    """How headers are compared: NFKC (full-width spaces, letters, colon and asterisk become
    ASCII), no BOM, no surrounding spaces, no trailing colon/asterisk, case-folded, and runs
    of spaces, underscores and hyphens count as one space ("Account Ref" == "account_ref")."""
    text = unicodedata.normalize("NFKC", header).replace("\ufeff", "").strip()
    text = text.rstrip(_TRAILING_MARKS + " ").lstrip("*").strip()
    return _SEPARATORS.sub(" ", text).casefold()


_DEFAULT_LOOKUP: dict[str, str] = {
    header_key(alias): target for target, aliases in DEFAULT_ALIASES.items() for alias in aliases
}


def slot_field(slot: str) -> str:
    """The case field a column slot feeds: every phone slot feeds ``phones``."""
    base = slot.split("#", 1)[0]
    return "phones" if base in PHONE_SLOTS else base


@dataclass(frozen=True)
class MappedRow:
    """One row keyed the way :func:`validation.validate_row` reads it.

    ``raw`` keys are fields, or phone slots; a second column of the same slot is keyed
    ``slot#<column index>`` so every value keeps its own header. ``extra`` holds non-empty
    cells beyond the last header (often an unquoted comma in the bank's export)."""

    raw: dict[str, str]
    headers_for_field: dict[str, str]
    extra: tuple[str, ...] = ()


@dataclass(frozen=True)
class HeaderMap:
    headers: tuple[str, ...]
    columns: dict[int, str]  # column index -> field (several columns may feed "phones")
    slots: dict[int, str]  # column index -> raw key used in MappedRow.raw
    unmapped: list[str] = field(default_factory=list)
    missing_required: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)  # a 2nd column for a single field

    def header_of(self, name: str) -> str | None:
        """The bank's header of the column feeding ``name``, if any."""
        return next((self.headers[i] for i, f in self.columns.items() if f == name), None)

    @cached_property
    def _slot_headers(self) -> dict[str, str]:
        """Each raw key's header: the same for every row, so every row shares it."""
        return {slot: self.headers[index] for index, slot in self.slots.items()}

    def extract(self, values: Sequence[str]) -> MappedRow:
        width, slots = len(self.headers), self.slots.items()
        if len(values) >= width:
            raw = {slot: values[index] for index, slot in slots}
        else:
            raw = {slot: values[index] if index < len(values) else "" for index, slot in slots}
        extra = tuple(v for v in values[width:] if v.strip()) if len(values) > width else ()
        return MappedRow(raw, self._slot_headers, extra)


def resolve_headers(headers: list[str], custom: Mapping[str, str] | None = None) -> HeaderMap:
    """Map the bank's headers to our fields. ``custom`` (the agreement's mapping: bank header
    -> field or phone slot, "" to ignore a column) wins over the defaults for the headers it
    names; other headers still resolve through :data:`DEFAULT_ALIASES`. The first column
    for a single-valued field wins; later ones are listed in ``duplicates``."""
    custom_lookup = _custom_lookup(custom or {})
    columns: dict[int, str] = {}
    slots: dict[int, str] = {}
    unmapped: list[str] = []
    duplicates: list[str] = []
    taken: set[str] = set()
    used_slots: set[str] = set()
    for index, header in enumerate(headers):
        key = header_key(header)
        if not key:
            continue
        target = custom_lookup[key] if key in custom_lookup else _DEFAULT_LOOKUP.get(key)
        if target == "":
            continue
        if target is None:
            unmapped.append(header)
            continue
        name = slot_field(target)
        if name != "phones" and name in taken:
            duplicates.append(header)
            continue
        slot = target if target not in used_slots else f"{target}#{index}"
        taken.add(name)
        used_slots.add(target)
        columns[index] = name
        slots[index] = slot
    missing = [f for f in REQUIRED_FIELDS if f not in taken]
    return HeaderMap(tuple(headers), columns, slots, unmapped, missing, duplicates)


def _custom_lookup(custom: Mapping[str, str]) -> dict[str, str]:
    unknown = sorted({t for t in custom.values() if t and t not in MAPPING_TARGETS})
    if unknown:
        raise ValueError(f"unknown target field(s) in column mapping: {', '.join(unknown)}")
    return {header_key(header): target for header, target in custom.items()}


class _Rows(Protocol):
    headers: list[str]

    def __iter__(self) -> Iterator[tuple[int, list[str]]]: ...


def mapped_rows(
    source: _Rows, custom: Mapping[str, str] | None = None
) -> Iterable[tuple[int, HeaderMap, MappedRow]]:
    """Rows of a reader keyed by field. JSON Lines headers grow as new keys appear, so the
    header map is resolved again whenever the header list has grown."""
    header_map = resolve_headers(list(source.headers), custom)
    for row_number, values in source:
        if len(source.headers) != len(header_map.headers):
            header_map = resolve_headers(list(source.headers), custom)
        yield row_number, header_map, header_map.extract(values)
