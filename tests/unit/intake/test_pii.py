"""Masking of debtors' personal data in intake's answers, by role."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from services.intake.cases.models import Case
from services.intake.cases.pii import mask_id_number, mask_phone, shown_id_number, shown_phone
from services.intake.cases.schemas import CasePublic
from shared.auth.principal import Principal, Role

TODAY = date(2026, 11, 23)  # the day days past due are counted to

ID_NUMBER = "110101199003077571"
PHONE = "13800138000"


def staff(role: Role) -> Principal:
    return Principal(subject=f"{role.value}-1", kind="staff", role=role)


BANK = Principal(subject="apikey:k1", kind="bank", client_id="ICBC-SH")


def test_an_id_number_keeps_region_and_last_four() -> None:
    assert mask_id_number(ID_NUMBER) == "110101********7571"
    assert mask_id_number("11010119900307757X") == "110101********757X"


def test_a_mobile_keeps_its_first_three_and_last_four() -> None:
    assert mask_phone(PHONE) == "138****8000"


@pytest.mark.parametrize("value", ["12345678901234", "010-12345678", "A1234567", "ABC"])
def test_values_the_patterns_do_not_know_are_still_masked(value: str) -> None:
    for masked in (mask_id_number(value), mask_phone(value)):
        assert masked is not None and masked != value and "*" in masked
        assert value[3:-4] not in masked or len(value) <= 7


def test_nothing_to_mask() -> None:
    assert mask_id_number(None) is None and mask_phone("") == ""


@pytest.mark.parametrize(
    ("viewer", "full_id", "full_phone"),
    [
        (BANK, True, True),
        (staff(Role.ADMIN), True, True),
        (staff(Role.HQ), True, True),
        (staff(Role.PHONE_COLLECTOR), False, True),
        (staff(Role.SUPERVISOR), False, True),
        (staff(Role.BRANCH_MANAGER), False, False),
    ],
)
def test_who_sees_what(viewer: Principal, full_id: bool, full_phone: bool) -> None:
    assert (shown_id_number(viewer, ID_NUMBER) == ID_NUMBER) is full_id
    assert (shown_phone(viewer, PHONE) == PHONE) is full_phone


def _case() -> Case:
    return Case(
        id="c1",
        client_id="ICBC-SH",
        account_ref="A-1",
        batch_id="b1",
        debtor_name="张三丰",
        id_number=ID_NUMBER,
        phones=[PHONE],
        total_owed=Decimal("10.00"),
        received_at=datetime(2026, 11, 1, tzinfo=UTC),
    )


def test_the_case_answer_masks_for_a_branch_manager() -> None:
    shown = CasePublic.of(_case(), staff(Role.BRANCH_MANAGER), TODAY)
    assert shown.id_number == "110101********7571"
    assert shown.phone == "138****8000"
    assert shown.debtor_name == "张**"
    assert ID_NUMBER not in shown.model_dump_json() and PHONE not in shown.model_dump_json()


def test_the_case_answer_is_full_for_the_bank_and_admins() -> None:
    for viewer in (BANK, staff(Role.ADMIN)):
        shown = CasePublic.of(_case(), viewer, TODAY)
        assert (shown.id_number, shown.phone, shown.debtor_name) == (ID_NUMBER, PHONE, "张三丰")
