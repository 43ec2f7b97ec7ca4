"""A new case's CaseImported, serialised straight from its insert values, is byte for byte
what the pydantic model gives, and decodes to the same event."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest

from services.intake.case_files.parsing.rows import CaseRow
from services.intake.case_files.writer import Target, case_imported, case_insert, new_case_id
from shared.events import Envelope, decode, encode
from shared.events.catalog import CaseImported, Debt, Person, Phone

NOW = datetime(2026, 11, 23, 1, 30, 5, 123456, tzinfo=UTC)


def _model(case: dict[str, Any]) -> CaseImported:
    """The reference: CaseImported built as pydantic models."""

    def phones(numbers: list[str]) -> tuple[Phone, ...]:
        kinds = ["mobile" if len(n) == 11 and n.isdigit() else "other" for n in numbers]
        return tuple(Phone(number=n, kind=k) for n, k in zip(numbers, kinds, strict=True))  # type: ignore[arg-type]

    return CaseImported(
        client_id=case["client_id"], agreement_id=case["agreement_id"],
        batch_id=case["batch_id"], account_ref=case["account_ref"],
        product_type=case["product_type"],
        debtor=Person(name=case["debtor_name"], id_type=case["id_type"],
                      id_number=case["id_number"], phones=phones(case["phones"])),
        home_address=case["home_address"], work_address=case["work_address"],
        employer=case["employer"],
        contacts=tuple(
            Person(name=c["name"], id_type=c.get("id_type"), id_number=c.get("id_number"),
                   phones=phones(c["phones"]), relation=c.get("relation"))
            for c in case["contacts"]
        ),
        debt=Debt(currency=case["currency"], principal=case["principal"],
                  interest=case["interest"], penalty=case["penalty"], fees=case["fees"],
                  total_owed=case["total_owed"]),
        overdue_since=case["overdue_since"], days_past_due=case["days_past_due"],
        days_past_due_on=case["days_past_due_on"], bank_bucket=case["bucket"],
        bucket=EXPECTED_BUCKET.get(case["account_ref"]),
        branch=case["branch"], received_at=case["received_at"],
    )  # fmt: skip


FULL = CaseRow(
    line=2, account_ref="6222000000000001", debtor_name="张三", total_owed=Decimal("50000.00"),
    product_type="信用卡", id_type="resident_id", id_number="11010519491231002X",
    phones=["13812345678", "021-62345678-123"], home_address='上海市"浦东"新区\n一路1号',
    work_address="北京", employer="某某公司", principal=Decimal("48000.00"),
    interest=Decimal("1500.50"), fees=Decimal("499.50"),
    contacts=[{"name": "李四", "relation": "guarantor", "phones": ["13900139000"],
               "id_type": "resident_id", "id_number": "110105194912310021"},
              {"name": "", "relation": None, "phones": []}],
    overdue_since=date(2025, 12, 17), days_past_due=341, days_past_due_on=date(2026, 11, 23),
    bucket="逾期4期", branch="上海分行",
    notes="备注", bank_row="1",
)  # fmt: skip
# Ours on the day counted to, whatever the bank's label says; none without days past due.
EXPECTED_BUCKET = {"6222000000000001": "M7+"}
BARE = CaseRow(line=3, account_ref="A\\2", debtor_name="王五", total_owed=Decimal("0.00"))


@pytest.mark.parametrize("row", [FULL, BARE])
@pytest.mark.parametrize(
    "received_at",
    [datetime(2026, 11, 23, 1, 30, tzinfo=UTC), datetime(2026, 11, 23, 1, 30, 0, 5)],
    ids=["aware", "naive-from-sqlite"],
)
def test_the_fast_event_is_the_models_event_byte_for_byte(
    row: CaseRow, received_at: datetime
) -> None:
    values = case_insert(row, Target("BOC-SH", str(uuid.uuid4()), "batch-1"), received_at)
    fast = case_imported(values, NOW, "corr-1")
    decoded = decode(fast.body)
    assert isinstance(decoded.payload, CaseImported)
    assert decoded.payload == _model(values)
    reference = Envelope[CaseImported](
        event_id=uuid.UUID(fast.event_id), type="CaseImported", version=2, occurred_at=NOW,
        producer="intake", correlation_id="corr-1", case_id=values["id"],
        payload=_model(values),
    )  # fmt: skip
    assert fast.body == encode(reference).decode()
    assert (fast.case_id, fast.event_type, fast.occurred_at) == (values["id"], "CaseImported", NOW)
    assert json.loads(fast.body)["payload"]["debt"]["interest"] == str(values["interest"])


def test_a_new_case_id_is_a_random_version_4_uuid() -> None:
    ids = {new_case_id() for _ in range(1_000)}
    assert len(ids) == 1_000
    for text in ids:
        parsed = uuid.UUID(text)
        assert (str(parsed), parsed.version, parsed.variant) == (text, 4, uuid.RFC_4122)
