"""Structured logs: debtors' personal data masked, correlation id attached.

Logs leave the process (files, collectors, support tickets); under PIPL a debtor's ID
number, mobile number or name must not appear in them, while amounts, dates and the
correlation id must stay readable for whoever debugs a case.
"""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal

import pytest
import structlog

from shared.logging import configure_logging, correlation_id_var, mask_pii, mask_text

ID_NUMBER = "110105194912310021"
ID_NUMBER_X = "11010519491231002X"
MOBILE = "13812345678"
CARD = "6222021234567890123"
NOISY_LOGGERS = ("aiokafka", "alembic", "httpx", "uvicorn.access", "matplotlib", "fontTools")


# --- free text ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "masked"),
    [
        (ID_NUMBER, "110105********0021"),
        (ID_NUMBER_X, "110105********002X"),
        ("11010519491231002x", "110105********002x"),
        (f"身份证{ID_NUMBER}已核实", "身份证110105********0021已核实"),
        (f"id={ID_NUMBER_X}, ok", "id=110105********002X, ok"),
    ],
)
def test_masks_resident_id_numbers_keeping_first_6_and_last_4(raw: str, masked: str) -> None:
    assert mask_text(raw) == masked


@pytest.mark.parametrize(
    ("raw", "masked"),
    [
        (MOBILE, "138****5678"),
        ("call 19912345678 today", "call 199****5678 today"),
        (f"手机{MOBILE}", "手机138****5678"),
        ("+86 13912345678", "+86 139****5678"),
    ],
)
def test_masks_mainland_mobiles_keeping_3_and_4(raw: str, masked: str) -> None:
    assert mask_text(raw) == masked


@pytest.mark.parametrize(
    ("raw", "masked"),
    [
        ("6222021234567890", "6222********7890"),
        (CARD, "6222********0123"),
        (f"card {CARD} charged", "card 6222********0123 charged"),
    ],
)
def test_masks_card_numbers(raw: str, masked: str) -> None:
    assert mask_text(raw) == masked


@pytest.mark.parametrize(
    "text",
    [
        "case 42 of 123456",
        "amount 1234.56",
        "￥12,345,678.90",
        "overdue since 20261101",
        "2026-11-01T09:30:00+00:00",
        "landline 0755-12345678",
        "12812345678",  # 11 digits but not a mobile prefix
        "1234567890",  # 10 digits: neither mobile nor card
    ],
)
def test_leaves_short_numbers_amounts_and_dates_alone(text: str) -> None:
    assert mask_text(text) == text


def test_masks_mobile_with_country_code() -> None:
    assert MOBILE not in mask_text(f"+86{MOBILE}")


# --- event dicts ----------------------------------------------------------------------


@pytest.mark.parametrize("key", ["name", "debtor_name", "guarantor_name", "姓名", "Full_Name"])
def test_names_under_name_keys_keep_only_the_surname(key: str) -> None:
    assert mask_pii(None, "info", {key: "张三丰"}) == {key: "张**"}


@pytest.mark.parametrize("key", ["password", "token", "api_key", "Authorization", "secret"])
def test_secrets_are_replaced_whole(key: str) -> None:
    assert mask_pii(None, "info", {key: "s3cr3t-value"}) == {key: "***"}


def test_nested_dicts_and_lists_are_masked() -> None:
    event = {
        "event": f"imported case for {ID_NUMBER}",
        "case": {
            "debtor_name": "王五",
            "id_number": ID_NUMBER_X,
            "headers": {"authorization": "Bearer abc"},
        },
        "contacts": [{"name": "赵六", "phone": MOBILE}],
        "phones": [MOBILE, "13912345678"],
        "name": ["李四", "钱七"],
    }
    assert mask_pii(None, "info", event) == {
        "event": "imported case for 110105********0021",
        "case": {
            "debtor_name": "王*",
            "id_number": "110105********002X",
            "headers": {"authorization": "***"},
        },
        "contacts": [{"name": "赵*", "phone": "138****5678"}],
        "phones": ["138****5678", "139****5678"],
        "name": ["李*", "钱*"],
    }


def test_non_text_values_pass_through() -> None:
    event = {"amount": Decimal("1234.56"), "count": 3, "ok": True, "none": None}
    assert mask_pii(None, "info", dict(event)) == event


# --- end to end through configure_logging ---------------------------------------------


@contextmanager
def configured_logging(level: str = "INFO") -> Iterator[None]:
    """configure_logging for one test body, then put back what pytest had installed.

    Used inside the test (not as a fixture) so the handlers saved and restored are the
    ones of the test's own call phase.
    """
    root = logging.getLogger()
    handlers, root_level = root.handlers[:], root.level
    noisy = {name: logging.getLogger(name).level for name in NOISY_LOGGERS}
    try:
        configure_logging("test", level=level)
        yield
    finally:
        structlog.reset_defaults()
        structlog.contextvars.clear_contextvars()
        root.handlers = handlers
        root.setLevel(root_level)
        for name, noisy_level in noisy.items():
            logging.getLogger(name).setLevel(noisy_level)


def test_chart_libraries_log_warnings_only() -> None:
    """matplotlib and fontTools log at info for every chart drawn."""
    with configured_logging("INFO"):
        assert not logging.getLogger("matplotlib.font_manager").isEnabledFor(logging.INFO)
        assert not logging.getLogger("fontTools.subset").isEnabledFor(logging.INFO)
        assert logging.getLogger("matplotlib").isEnabledFor(logging.WARNING)


@contextmanager
def correlation(cid: str) -> Iterator[None]:
    token = correlation_id_var.set(cid)
    try:
        yield
    finally:
        correlation_id_var.reset(token)


def _json_lines(out: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in out.splitlines() if line.strip()]


def test_log_line_is_json_without_raw_pii_and_with_correlation_id(
    capsys: pytest.CaptureFixture[str],
) -> None:
    cid = uuid.uuid4().hex
    with configured_logging(), correlation(cid):
        structlog.get_logger("intake").info(
            f"case imported for {ID_NUMBER}",
            id_number=ID_NUMBER_X,
            phone=MOBILE,
            debtor_name="张三丰",
            amount="1234.56",
        )
    out = capsys.readouterr().out
    (record,) = _json_lines(out)
    for raw in (ID_NUMBER, ID_NUMBER_X, MOBILE, "张三丰"):
        assert raw not in out
    assert record["event"] == "case imported for 110105********0021"
    assert record["id_number"] == "110105********002X"
    assert record["phone"] == "138****5678"
    assert record["debtor_name"] == "张**"
    assert record["amount"] == "1234.56"
    assert record["correlation_id"] == cid
    assert record["service"] == "test"
    assert record["level"] == "info"
    assert "timestamp" in record


def test_no_correlation_id_field_when_none_is_set(capsys: pytest.CaptureFixture[str]) -> None:
    with configured_logging():
        structlog.get_logger().info("startup")
    (record,) = _json_lines(capsys.readouterr().out)
    assert "correlation_id" not in record


def test_stdlib_log_records_are_masked_too(capsys: pytest.CaptureFixture[str]) -> None:
    with configured_logging():
        logging.getLogger("somelib").warning("retrying for %s", MOBILE)
    out = capsys.readouterr().out
    (record,) = _json_lines(out)
    assert MOBILE not in out
    assert record["event"] == "retrying for 138****5678"
    assert record["level"] == "warning"


def test_levels_below_the_configured_one_are_dropped(capsys: pytest.CaptureFixture[str]) -> None:
    with configured_logging(level="WARNING"):
        structlog.get_logger().info("quiet")
        structlog.get_logger().warning("loud")
    assert [r["event"] for r in _json_lines(capsys.readouterr().out)] == ["loud"]


def test_correlation_id_is_logged_unaltered(capsys: pytest.CaptureFixture[str]) -> None:
    cid = "abcdefabcdef" + "4" + "c" + "13812345678" + "d" + "abcdef"
    assert uuid.UUID(hex=cid).version == 4  # a value new_correlation_id() can produce
    with configured_logging(), correlation(cid):
        structlog.get_logger().info("case assigned")
    (record,) = _json_lines(capsys.readouterr().out)
    assert record["correlation_id"] == cid
