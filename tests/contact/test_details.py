"""Contact details through the API and the handlers: seeded from the bank file, added by
skip tracing, confirmed or marked wrong (a wrong number is barred for the rules and a
confirmed one callable again), every change announced; a contact saying the debtor
cannot be reached leaves a claim to verify, not a changed fact; logs mask the numbers."""

from __future__ import annotations

from typing import Any

import pytest

from shared.events.catalog import ContactDetailsChanged
from shared.logging import configure_logging
from tests.conftest import FIXED_NOW
from tests.events_kit import case_assigned, case_imported

from .conftest import COLLECTOR_A, COLLECTOR_B, Desk
from .test_attempts_api import call

BANK_NUMBER = "13911112222"
FOUND_NUMBER = "13733334444"


@pytest.fixture
def seeded(desk: Desk) -> Desk:
    imported = case_imported(
        FIXED_NOW, phones=(BANK_NUMBER,), contacts=("李四",), home_address="上海市浦东新区1号"
    )
    desk.case_id = imported.case_id
    desk.dispatch(imported, case_assigned(FIXED_NOW, desk.case_id, COLLECTOR_A.subject))
    return desk


def details(desk: Desk) -> list[tuple[str, str, str, str, str]]:
    listed = desk.get("/contact-details").json()
    return [(d["party"], d["kind"], d["value"], d["status"], d["source"]) for d in listed]


def test_the_bank_files_phones_and_addresses_are_seeded_unverified(seeded: Desk) -> None:
    assert sorted(details(seeded)) == [
        ("debtor", "address", "上海市浦东新区1号", "unverified", "bank_file"),
        ("debtor", "phone", BANK_NUMBER, "unverified", "bank_file"),
    ]
    assert seeded.events("ContactDetailsChanged") == [], "the bank's own data is not a change"


def test_a_number_found_by_skip_tracing_is_added_then_marked_wrong_and_barred(
    seeded: Desk, capsys: pytest.CaptureFixture[str]
) -> None:
    added = seeded.post(
        "/contact-details",
        {"kind": "phone", "value": FOUND_NUMBER, "source": "skip_tracing", "label": "mobile"},
    )
    assert added.status_code == 201, added.text
    detail = added.json()
    assert (detail["status"], detail["source"], detail["added_by"]) == (
        "unverified", "skip_tracing", COLLECTOR_A.subject
    )  # fmt: skip
    again = seeded.post(
        "/contact-details", {"kind": "phone", "value": FOUND_NUMBER, "source": "debtor"}
    )
    assert again.status_code == 409

    configure_logging("contact", "INFO")
    capsys.readouterr()
    try:
        wrong = seeded.client.patch(
            f"/cases/{seeded.case_id}/contact-details/{detail['id']}",
            json={"status": "invalid", "note": "a noodle shop"},
            headers=seeded.as_(COLLECTOR_A),
        )
        logged = capsys.readouterr().out
    finally:
        configure_logging("contact", "WARNING")
    assert wrong.status_code == 200 and wrong.json()["status"] == "invalid"
    assert "contact_detail_changed" in logged
    assert FOUND_NUMBER not in logged and "137****4444" in logged
    check = seeded.post("/contact-check", {"used": FOUND_NUMBER}).json()
    assert [b["rule"] for b in check["blocks"]] == ["do_not_call"]

    confirmed = seeded.client.patch(
        f"/cases/{seeded.case_id}/contact-details/{detail['id']}",
        json={"status": "valid"},
        headers=seeded.as_(COLLECTOR_A),
    )
    assert confirmed.json()["status"] == "valid"
    assert seeded.post("/contact-check", {"used": FOUND_NUMBER}).json()["allowed"] is True
    changes: list[ContactDetailsChanged] = seeded.events("ContactDetailsChanged")
    assert [(c.status, c.field, c.source, c.detail_id) for c in changes] == [
        ("added", "phone", "skip_tracing", detail["id"]),
        ("invalid", "phone", "skip_tracing", detail["id"]),
        ("confirmed", "phone", "skip_tracing", detail["id"]),
    ]


def test_a_wrong_number_call_makes_the_detail_invalid(seeded: Desk) -> None:
    logged = seeded.post("/attempts", call(seeded, used=BANK_NUMBER, outcome="wrong_number"))
    assert logged.status_code == 201, logged.text
    statuses = {value: status for _, kind, value, status, _ in details(seeded) if kind == "phone"}
    assert statuses == {BANK_NUMBER: "invalid"}
    (change,) = seeded.events("ContactDetailsChanged")
    assert change.status == "invalid" and change.source == "bank_file"


def test_a_contact_saying_the_debtor_cannot_be_reached_is_a_claim_to_verify(
    seeded: Desk,
) -> None:
    said = call(seeded, used="13600001111", party="contact", party_name="李四",
                direction="inbound", outcome="debtor_unreachable_claimed")  # fmt: skip
    assert seeded.post("/attempts", said).status_code == 201
    (task,) = seeded.get("/follow-ups").json()
    assert task["kind"] == "verify_claim" and "李四 says" in task["detail"]
    assert {d[3] for d in details(seeded)} == {"unverified"}, "nothing was taken as fact"
    assert seeded.events("ContactDetailsChanged") == []
    assert seeded.post("/contact-check", {"used": BANK_NUMBER}).json()["allowed"] is True


def test_details_belong_to_the_cases_desk_only(seeded: Desk) -> None:
    assert seeded.get("/contact-details", who=COLLECTOR_B).status_code == 404
    body: dict[str, Any] = {"kind": "phone", "value": FOUND_NUMBER, "source": "skip_tracing"}
    assert seeded.post("/contact-details", body, who=COLLECTOR_B).status_code == 404
    a_detail = seeded.get("/contact-details").json()[0]["id"]
    patched = seeded.client.patch(
        f"/cases/{seeded.case_id}/contact-details/{a_detail}",
        json={"status": "invalid"},
        headers=seeded.as_(COLLECTOR_B),
    )
    assert patched.status_code == 404
