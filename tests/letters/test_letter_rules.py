"""The rules a court and a regulator hold letters to: proof dated only when it can have
happened, every name printed as itself (or no letter), no demand for nothing, a seal that
hides no text, a case's list showing each letter's dispatch and delivery, and the penalty's
day count stated on the letter."""

from __future__ import annotations

from typing import Any

from tests.conftest import FIXED_NOW

from .conftest import ADMIN, SUPERVISOR_T1, Desk, new_case
from .pdf_kit import layout, opaque_png, pdf_text

EXT_A, EXT_B, COMPAT = "䶮", "𠀀𡈽", "﨑豈"
"""U+4DAE (Extension A), U+20000 and U+2123D (Extension B), U+FA11 and U+F900 (the
compatibility block)."""
MAIL = {"channel": "ems", "carrier": "中国邮政 EMS", "tracking_number": "EA1CN"}


def _mail(desk: Desk, letter: dict[str, Any], on: str) -> Any:
    return desk.post(f"/letters/{letter['id']}/dispatch", {**MAIL, "mailed_on": on})


def _deliver(desk: Desk, letter: dict[str, Any], on: str, outcome: str = "signed") -> Any:
    return desk.post(f"/letters/{letter['id']}/delivery", {"outcome": outcome, "outcome_on": on})


def _acknowledge(desk: Desk, letter: dict[str, Any], on: str) -> Any:
    return desk.client.post(
        f"/cases/{desk.case_id}/letters/{letter['id']}/evidence",
        data={"kind": "acknowledgment", "signed_on": on},
        files={"file": ("signed.jpg", b"\xff\xd8\xffscan", "image/jpeg")},
        headers=desk.as_(ADMIN),
    )


def test_proof_dated_after_today_in_shanghai_is_refused_and_moves_no_clock(desk: Desk) -> None:
    desk.clock.now = FIXED_NOW.replace(month=12, day=4)  # 2026-12-04 10:00 Shanghai
    letter = desk.issue("final_notice")
    before = desk.get("/limitation").json()
    future_mail = _mail(desk, letter, "2027-01-13")
    assert future_mail.status_code == 422
    assert (
        "mailed_on 2027-01-13 is after today (2026-12-04 in Shanghai)"
        in (future_mail.json()["detail"])
    )
    assert _mail(desk, letter, "2026-12-04").status_code == 201
    future_signature = _deliver(desk, letter, "2027-01-13")
    assert (
        future_signature.status_code == 422
        and "outcome_on 2027-01-13" in (future_signature.json()["detail"])
    )
    future_ack = _acknowledge(desk, letter, "2026-12-05")
    assert future_ack.status_code == 422 and "signed_on 2026-12-05" in future_ack.json()["detail"]
    after = desk.get("/limitation").json()
    assert after == before
    assert all(step["on"] <= "2026-12-04" for step in after["history"])
    assert desk.events("LetterDelivered") == []


def test_a_proof_date_just_past_midnight_is_within_the_clock_tolerance(desk: Desk) -> None:
    desk.clock.now = FIXED_NOW.replace(hour=15, minute=55)  # 23:55 Shanghai on 23 Nov
    letter = desk.issue("final_notice")
    assert _mail(desk, letter, "2026-11-24").status_code == 201
    assert _deliver(desk, letter, "2026-11-25").status_code == 422


def test_proof_dated_before_the_letter_was_issued_is_refused(desk: Desk) -> None:
    letter = desk.issue("final_notice")
    early = _mail(desk, letter, "2026-11-22")
    assert early.status_code == 422
    assert (
        "mailed_on 2026-11-22 is before the letter was issued on 2026-11-23"
        in (early.json()["detail"])
    )
    assert _acknowledge(desk, letter, "2026-11-01").status_code == 422


def test_a_delivery_before_its_mailing_is_refused(desk: Desk) -> None:
    letter = desk.issue("final_notice")
    desk.clock.advance(days=3)
    assert _mail(desk, letter, "2026-11-25").status_code == 201
    early = _deliver(desk, letter, "2026-11-24")
    assert early.status_code == 422
    assert "outcome_on 2026-11-24 is before the mailing date 2026-11-25" in early.json()["detail"]
    signed = _deliver(desk, letter, "2026-11-26")
    assert signed.status_code == 201, signed.text
    history = desk.get("/limitation").json()["history"]
    assert (history[-1]["fact"], history[-1]["on"]) == ("demand_delivered", "2026-11-26")


def test_names_from_extensions_a_b_and_the_compatibility_block_are_printed(desk: Desk) -> None:
    name = f"王{EXT_A}{EXT_B}{COMPAT}"
    letter = desk.issue("overdue_notice", recipient_name=name)
    pdf = desk.get(f"/letters/{letter['id']}/pdf").content
    assert f"{name}（债务人）" in pdf_text(pdf)
    assert letter["recipient_name"] == name


def test_a_character_no_font_has_is_refused_by_name(desk: Desk) -> None:
    refused = desk.post(
        "/letters", {"kind": "overdue_notice", "recipient_name": "李\U00030000"}
    )  # U+30000, CJK Extension G
    assert refused.status_code == 422
    detail = refused.json()["detail"]
    assert "U+30000" in detail and "recipient.name" in detail
    assert desk.events("LetterIssued") == []
    preview = desk.post("/letters/preview", {"kind": "overdue_notice", "recipient_name": "\ue000"})
    assert preview.status_code == 422 and "U+E000" in preview.json()["detail"]


def test_no_demand_overdue_or_penalty_notice_for_a_balance_of_zero(desk: Desk) -> None:
    desk.case_id = new_case(desk, total="0.00")
    penalty = {
        "amount_due": "100.00",
        "due_on": "2026-10-01",
        "penalty_from": "2026-10-01",
        "pay_by": "2026-12-10",
    }
    for kind, fields in (("overdue_notice", {}), ("penalty_notice", penalty)):
        refused = desk.post("/letters", {"kind": kind, "fields": fields})
        assert refused.status_code == 409, refused.text
        assert "owes 0.00" in refused.json()["detail"] and kind in refused.json()["detail"]
    assert desk.post("/letters/preview", {"kind": "overdue_notice"}).status_code == 409
    statement = {"lines": [{"period": "2026-11", "amount": "0"}]}
    assert desk.issue("statement", fields=statement)["kind"] == "statement"
    assert desk.events("LetterIssued") and len(desk.events("LetterIssued")) == 1


def test_a_batch_skips_a_case_owing_nothing_with_the_reason(desk: Desk) -> None:
    nothing = new_case(desk, total="0.00")
    made = desk.client.post(
        "/letters/batches",
        json={"kind": "overdue_notice", "case_ids": [desk.case_id, nothing]},
        headers=desk.as_(SUPERVISOR_T1),
    )
    assert made.status_code == 201, made.text
    assert list(made.json()["issued"]) == [desk.case_id]
    assert "owes 0.00" in made.json()["skipped"][nothing]


def test_the_day_7_rule_sends_no_notice_for_a_balance_of_zero(desk: Desk) -> None:
    from services.letters.issuing.periodic import send_overdue_notices

    nothing = new_case(desk, total="0.00")
    assert send_overdue_notices(desk.runtime) == 1
    assert [e.letter_id for e in desk.events("LetterIssued")]
    listed = desk.client.get(f"/cases/{nothing}/letters", headers=desk.as_(SUPERVISOR_T1))
    assert listed.json()["items"] == []


def test_a_penalty_notice_refuses_nothing_due_and_a_penalty_before_the_due_date(
    desk: Desk,
) -> None:
    base = {"due_on": "2026-10-15", "pay_by": "2026-12-10"}
    zero = desk.post(
        "/letters",
        {
            "kind": "penalty_notice",
            "fields": {**base, "amount_due": "0", "penalty_from": "2026-10-15"},
        },
    )
    assert zero.status_code == 422 and "fields.amount_due" in zero.json()["detail"]
    early = desk.post(
        "/letters",
        {
            "kind": "penalty_notice",
            "fields": {**base, "amount_due": "100", "penalty_from": "2026-10-14"},
        },
    )
    assert early.status_code == 422
    assert "penalty_from 2026-10-14 is before the due date 2026-10-15" in early.json()["detail"]


def test_a_reminder_fax_with_nothing_overdue_is_refused(desk: Desk) -> None:
    fax = {
        "to_fax": "021-1",
        "from_fax": "021-2",
        "our_contract_no": "C-1",
        "payable": "500",
        "paid": "500",
        "object_by": "2026-12-01",
    }
    refused = desk.post("/letters", {"kind": "payment_reminder_fax", "fields": fax})
    assert refused.status_code == 422 and "nothing is overdue" in refused.json()["detail"]


def test_the_penalty_counts_from_the_day_after_penalty_from_and_the_letter_says_so(
    desk: Desk,
) -> None:
    desk.clock.now = FIXED_NOW.replace(month=12, day=4)
    fields = {
        "amount_due": "10000.00",
        "due_on": "2026-10-15",
        "penalty_from": "2026-10-15",
        "daily_rate": "0.0004",
        "pay_by": "2026-12-20",
    }
    letter = desk.issue("penalty_notice", fields=fields)
    text = pdf_text(desk.get(f"/letters/{letter['id']}/pdf").content)
    assert "50天" in text and "200.00" in text  # 16 Oct … 4 Dec
    assert "自2026年10月15日次日起算至2026年12月4日" in text


def test_the_seal_covers_no_text_whatever_image_is_uploaded(desk: Desk) -> None:
    for width, height in ((40, 400), (400, 40), (300, 300)):
        sealed = desk.client.put(
            "/clients/BANK-A/letterhead/seal",
            files={"file": ("seal.png", opaque_png(width, height), "image/png")},
            headers=desk.as_(ADMIN),
        )
        assert sealed.status_code == 200, sealed.text
        letter = desk.issue("overdue_notice")
        pdf = desk.get(f"/letters/{letter['id']}/pdf").content
        pages = layout(pdf)
        images = [image for _, page_images in pages for image in page_images]
        assert len(images) == 1, (width, height, images)
        for chars, page_images in pages:
            hidden = [c for c, box in chars for image in page_images if image.overlaps(box)]
            assert hidden == [], (width, height, "".join(hidden))
        text = pdf_text(pdf)
        assert "021-55550100" in text and "400-555-0199" in text


def test_the_case_list_carries_each_letters_dispatch_and_delivery(desk: Desk) -> None:
    letter = desk.issue("final_notice")
    desk.issue("overdue_notice")
    desk.clock.advance(days=2)
    assert _mail(desk, letter, "2026-11-23").status_code == 201
    single = _deliver(desk, letter, "2026-11-25").json()
    listed = {x["id"]: x for x in desk.get("/letters").json()["items"]}
    assert listed[letter["id"]]["dispatch"] == single["dispatch"]
    assert listed[letter["id"]]["delivery"] == single["delivery"]
    assert listed[letter["id"]]["delivery"]["deadline_on"] == "2026-12-07"
    others = [x for x in listed.values() if x["id"] != letter["id"]]
    assert [(x["dispatch"], x["delivery"]) for x in others] == [(None, None)]
    assert listed[letter["id"]] == desk.get(f"/letters/{letter['id']}").json()
