"""Header resolution: the bank's headers, Chinese or English, or an agreement's own
mapping, to our case fields."""

from __future__ import annotations

import pytest

from services.intake.case_files.parsing.mapping import (
    DEFAULT_ALIASES,
    FIELDS,
    MAPPING_TARGETS,
    header_key,
    mapped_rows,
    resolve_headers,
)


def test_every_alias_target_is_a_field_or_phone_slot() -> None:
    assert set(DEFAULT_ALIASES) <= MAPPING_TARGETS
    assert set(FIELDS) <= MAPPING_TARGETS


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("姓名", "debtor_name"), ("客户姓名", "debtor_name"), ("证件号码", "id_number"),
        ("身份证号", "id_number"), ("身份证号码", "id_number"), ("证件类型", "id_type"),
        ("手机号", "phones"), ("手机号码", "phones"), ("联系电话", "phones"),
        ("移动电话", "phones"), ("家庭电话", "phones"), ("住宅电话", "phones"),
        ("单位电话", "phones"), ("卡号", "account_ref"), ("账号", "account_ref"),
        ("合同号", "account_ref"), ("借据号", "account_ref"), ("产品类型", "product_type"),
        ("逾期金额", "total_owed"), ("欠款总额", "total_owed"), ("欠款金额", "total_owed"),
        ("本金", "principal"), ("利息", "interest"), ("违约金", "penalty"), ("罚息", "penalty"),
        ("滞纳金", "fees"), ("手续费", "fees"), ("费用", "fees"),
        ("逾期天数", "days_past_due"), ("首次逾期日", "overdue_since"),
        ("逾期日期", "overdue_since"), ("逾期起始日", "overdue_since"),
        ("家庭地址", "home_address"), ("住址", "home_address"), ("单位名称", "employer"),
        ("工作单位", "employer"), ("单位地址", "work_address"), ("担保人", "guarantor_name"),
        ("担保人姓名", "guarantor_name"), ("担保人证件号码", "guarantor_id_number"),
        ("担保人电话", "guarantor_phone"), ("联系人", "contact_name"),
        ("联系人姓名", "contact_name"), ("联系人关系", "contact_relation"),
        ("联系人电话", "contact_phone"), ("账龄", "bucket"), ("逾期阶段", "bucket"),
        ("分行", "branch"), ("机构", "branch"), ("网点", "branch"), ("备注", "bank_notes"),
        ("account_ref", "account_ref"), ("Account Ref", "account_ref"),
        ("TOTAL_OWED", "total_owed"), ("Days Past Due", "days_past_due"),
        ("Overdue Since", "overdue_since"), ("Debtor Name", "debtor_name"),
    ],
)  # fmt: skip
def test_default_aliases_resolve(header: str, field: str) -> None:
    assert resolve_headers([header]).columns == {0: field}


@pytest.mark.parametrize("header", [" 姓名 ", "\u3000姓名\u3000", "姓名：", "姓名:", "姓名*",
                                    "*姓名", "ＮＡＭＥ", "\ufeff姓名", "Name"])  # fmt: skip
def test_header_matching_ignores_case_spaces_and_marks(header: str) -> None:
    assert header_key(header) in (header_key("姓名"), "name")
    assert resolve_headers([header]).columns == {0: "debtor_name"}


def test_required_unmapped_and_duplicate_columns_are_reported() -> None:
    resolved = resolve_headers(["客户姓名", "姓名", "不认识的列", "", "逾期金额"])
    assert resolved.columns == {0: "debtor_name", 4: "total_owed"}
    assert resolved.duplicates == ["姓名"]
    assert resolved.unmapped == ["不认识的列"]
    assert resolved.missing_required == ["account_ref"]


def test_several_phone_columns_all_feed_phones_with_their_kind() -> None:
    resolved = resolve_headers(["卡号", "手机号", "家庭电话", "单位电话", "联系电话", "移动电话"])
    assert [resolved.columns[i] for i in range(1, 6)] == ["phones"] * 5
    assert resolved.slots == {
        0: "account_ref", 1: "mobile_phone", 2: "home_phone", 3: "work_phone", 4: "phones",
        5: "mobile_phone#5",
    }  # fmt: skip


def test_custom_mapping_overrides_defaults_and_adds_headers() -> None:
    custom = {
        "客户编号": "account_ref",
        "备注": "",
        "金额（元）": "total_owed",
        "电话1": "mobile_phone",
    }
    resolved = resolve_headers(["客户编号", "卡号", "金额（元）", "备注", "户名", "电话1"], custom)
    assert resolved.columns == {0: "account_ref", 2: "total_owed", 5: "phones"}
    assert resolved.duplicates == ["卡号"]  # the default alias loses to the agreement's column
    assert resolved.unmapped == ["户名"]
    assert resolved.missing_required == ["debtor_name"]


def test_custom_mapping_keys_are_matched_leniently_too() -> None:
    assert resolve_headers(["Client No："], {"client no": "account_ref"}).columns == {
        0: "account_ref"
    }


def test_custom_mapping_to_unknown_field_is_refused() -> None:
    with pytest.raises(ValueError, match="debtor"):
        resolve_headers(["x"], {"x": "debtor"})


def test_extract_keys_values_by_slot_and_reports_extra_cells() -> None:
    resolved = resolve_headers(["卡号", "姓名", "手机号", "手机号码"])
    mapped = resolved.extract(["A1", "张三", "13812345678", "", "1", " "])
    assert mapped.raw == {
        "account_ref": "A1", "debtor_name": "张三", "mobile_phone": "13812345678",
        "mobile_phone#3": "",
    }  # fmt: skip
    assert mapped.headers_for_field["mobile_phone#3"] == "手机号码"
    assert mapped.extra == ("1",)


class _GrowingSource:
    def __init__(self) -> None:
        self.headers = ["account_ref"]

    def __iter__(self):  # type: ignore[no-untyped-def]
        yield 1, ["A1"]
        self.headers.append("total_owed")
        yield 2, ["A2", "10"]


def test_mapped_rows_follows_growing_json_lines_headers() -> None:
    rows = list(mapped_rows(_GrowingSource()))
    assert rows[0][2].raw == {"account_ref": "A1"}
    assert rows[1][2].raw == {"account_ref": "A2", "total_owed": "10"}
    assert rows[1][1].missing_required == ["debtor_name"]
