"""What the bank file gives as contact details, and the debtor across cases."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from services.contact.details.domain import debtor_key, detail_id, from_bank_file
from shared.events.catalog import CaseImported, Debt, Person, Phone

AT = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)
NAMESPACE = uuid.UUID("6f1c2a52-9d1e-4c1b-9a51-3c0de7a11e5a")


def case(**facts: object) -> CaseImported:
    return CaseImported(
        client_id="BANK-A",
        batch_id="b",
        account_ref="A-1",
        debtor=Person(
            name="张三",
            id_number="11010119900307123x",
            phones=(Phone(number="13911112222"), Phone(number="021-55556666", kind="work")),
        ),
        contacts=(
            Person(name="李四", relation="担保人", phones=(Phone(number="13733334444"),)),
            Person(name=" 王五 ", relation="friend", phones=(Phone(number="13600001111"),)),
        ),
        home_address="上海市浦东新区1号",
        work_address="  ",
        debt=Debt(total_owed=Decimal("100")),
        received_at=AT,
        **facts,
    )


def test_every_phone_and_address_of_the_file_becomes_an_unverified_detail() -> None:
    rows = from_bank_file("case-1", case(), AT)
    shown = sorted((r["party"], r["party_name"], r["kind"], r["label"], r["value"]) for r in rows)
    assert shown == [
        ("contact", "王五", "phone", "mobile", "13600001111"),
        ("debtor", None, "address", "home", "上海市浦东新区1号"),
        ("debtor", None, "phone", "mobile", "13911112222"),
        ("debtor", None, "phone", "work", "021-55556666"),
        ("guarantor", "李四", "phone", "mobile", "13733334444"),
    ]  # fmt: skip
    assert {(r["status"], r["source"]) for r in rows} == {("unverified", "bank_file")}
    assert [r["id"] for r in rows] == [r["id"] for r in from_bank_file("case-1", case(), AT)]
    assert detail_id("case-1", "phone", "13911112222") != detail_id(
        "case-2", "phone", "13911112222"
    )


def test_the_debtor_key_is_the_hashed_id_number_and_ignores_case_and_spaces() -> None:
    same = Person(name="张三", id_number=" 11010119900307123X ")
    key = debtor_key(case().debtor)
    assert key == debtor_key(same) and key is not None and len(key) == 64
    assert "110101" not in key
    assert debtor_key(Person(name="张三", id_number="110101199003071241")) != key
    assert debtor_key(Person(name="张三")) is None


@given(st.text(max_size=40), st.sampled_from(["phone", "address"]), st.text(max_size=300))
def test_a_detail_id_is_the_uuid5_of_case_kind_and_value(
    case_id: str, kind: str, value: str
) -> None:
    name = f"{case_id}|{kind}|{value}"
    assert detail_id(case_id, kind, value) == str(uuid.uuid5(NAMESPACE, name))
