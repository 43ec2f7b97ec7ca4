"""Letters from real events: its case copy, the day-7 overdue notice, a statement after an
"invoice not received" call, and the limitation clock moved by promises and payments."""

from __future__ import annotations

import uuid
from datetime import timedelta
from decimal import Decimal

from sqlalchemy import func, select

from services.letters.issuing.periodic import send_overdue_notices
from services.letters.limitation.models import Guarantee
from services.letters.models import LetterCase
from services.letters.waiting import WAITING
from shared.clock import as_utc
from shared.events import new_event
from shared.events.catalog import ContactAttempted, PaymentPromised
from tests.conftest import FIXED_NOW
from tests.events_kit import case_assigned, case_imported, case_reassigned, payment_received

from .conftest import COLLECTOR_A, OVERDUE_SINCE, Desk, new_case


def test_the_case_copy_keeps_debtor_amounts_and_collector(service_runtime) -> None:
    runtime = service_runtime("letters")
    imported = case_imported(
        FIXED_NOW, total="98765.43", overdue_since=OVERDUE_SINCE, guarantors=("李保证",)
    )
    outcome = runtime.dispatch([imported, case_assigned(FIXED_NOW, imported.case_id, "c-9")])
    assert outcome.handled_count == 2 and not outcome.rejected
    with runtime.db.reader() as session:
        case = session.get(LetterCase, imported.case_id)
        (guarantee,) = session.query(Guarantee).all()
    assert case is not None and case.total_owed == Decimal("98765.43")
    assert case.collector_id == "c-9" and case.debtor_name == "张三"
    assert str(case.limitation_ends_on) == "2029-11-10"
    assert (guarantee.guarantor_name, str(guarantee.ends_on)) == ("李保证", "2027-05-10")


def test_a_handed_over_case_names_its_new_collector(desk: Desk) -> None:
    case_id = new_case(desk)
    desk.dispatch(case_reassigned(FIXED_NOW, case_id, COLLECTOR_A.subject, "c-new"))
    with desk.runtime.db.reader() as session:
        case = session.get(LetterCase, case_id)
    assert case is not None and case.collector_id == "c-new"


def test_assigned_before_imported_still_gets_its_limitation_date(service_runtime) -> None:
    runtime = service_runtime("letters")
    imported = case_imported(FIXED_NOW, overdue_since=OVERDUE_SINCE)
    runtime.dispatch([case_assigned(FIXED_NOW, imported.case_id, "c-9"), imported])
    with runtime.db.reader() as session:
        case = session.get(LetterCase, imported.case_id)
    assert case is not None and str(case.limitation_ends_on) == "2029-11-10"


def test_day_7_overdue_notice_once_and_not_after_a_payment(desk: Desk) -> None:
    paid_case = new_case(desk)
    desk.dispatch(payment_received(paid_case, "100.00", FIXED_NOW - timedelta(days=2)))
    fresh = case_imported(FIXED_NOW, overdue_since=FIXED_NOW.date() - timedelta(days=6))
    desk.dispatch(fresh, case_assigned(FIXED_NOW, fresh.case_id, COLLECTOR_A.subject))
    assert send_overdue_notices(desk.runtime) == 1
    (issued,) = desk.events("LetterIssued")
    assert issued.kind == "overdue_notice"
    (letter,) = desk.get("/letters").json()["items"]
    assert letter["issued_by"] == "rule" and letter["issued_why"] == "day_7_overdue"
    assert send_overdue_notices(desk.runtime) == 0, "once per case"
    desk.clock.advance(days=1)
    assert send_overdue_notices(desk.runtime) == 1, "the fresh case reaches day 7 a day later"


def test_no_letterhead_no_automatic_letter(make_desk) -> None:
    desk = make_desk(letterhead=False)
    assert send_overdue_notices(desk.runtime) == 0


def attempt(case_id: str, outcome: str):
    return new_event(
        ContactAttempted(
            attempt_id=str(uuid.uuid4()),
            collector_id=COLLECTOR_A.subject,
            channel="phone",
            party="debtor",
            outcome=outcome,
            attempted_at=FIXED_NOW,
        ),
        occurred_at=FIXED_NOW,
        case_id=case_id,
    )


def test_statement_after_invoice_not_received(desk: Desk) -> None:
    desk.dispatch(attempt(desk.case_id, "no_answer"))
    assert desk.events("LetterIssued") == []
    desk.dispatch(attempt(desk.case_id, "invoice_not_received"))
    (issued,) = desk.events("LetterIssued")
    assert issued.kind == "statement"
    (letter,) = desk.get("/letters").json()["items"]
    assert letter["issued_why"] == "invoice_not_received"


def test_promise_and_payment_interrupt_the_limitation_clock(desk: Desk) -> None:
    promised = new_event(
        PaymentPromised(
            promise_id="p-1",
            collector_id=COLLECTOR_A.subject,
            amount=Decimal("500"),
            due_on=FIXED_NOW.date() + timedelta(days=10),
            promised_at=FIXED_NOW + timedelta(days=30),
        ),
        occurred_at=FIXED_NOW,
        case_id=desk.case_id,
    )
    payment = payment_received(desk.case_id, "200.00", FIXED_NOW + timedelta(days=400), ref="TX-9")
    desk.clock.advance(days=400)
    desk.dispatch(promised, payment, payment)
    history = desk.get("/limitation").json()["history"]
    assert [(h["fact"], h["on"], h["effect"]) for h in history] == [
        ("default_known", "2026-11-10", "started"),
        ("payment_promised", "2026-12-23", "interrupted"),
        ("payment_received", "2027-12-28", "interrupted"),
    ]
    assert desk.get("/limitation").json()["ends_on"] == "2030-12-28"


def test_ems_notice_to_a_guarantor_within_the_guarantee_period(desk: Desk) -> None:
    (guarantee,) = desk.get("/guarantees").json()
    assert guarantee["ends_on"] == "2027-05-10"
    letter = desk.issue("guarantor_notice", fields={"guarantor_name": "李保证"})
    base = f"/letters/{letter['id']}"
    desk.clock.advance(days=1)
    sent = desk.post(
        f"{base}/dispatch",
        {"channel": "ems", "carrier": "EMS", "tracking_number": "EE1", "mailed_on": "2026-11-24"},
    )
    assert sent.status_code == 201
    facts = lambda: [h["fact"] for h in desk.get("/limitation").json()["history"]]  # noqa: E731
    assert facts() == ["default_known"], "the mailing stub is still missing"
    desk.client.post(
        f"/cases/{desk.case_id}{base}/evidence",
        data={"kind": "mailing_stub"},
        files={"file": ("stub.jpg", b"\xff\xd8\xffstub", "image/jpeg")},
        headers=desk.as_(COLLECTOR_A),
    )
    assert facts() == ["default_known", "guarantor_notice"]
    desk.clock.now = FIXED_NOW.replace(year=2027, month=6, day=1)
    late = desk.issue("guarantor_notice", fields={"guarantor_name": "李保证"})
    desk.post(
        f"/letters/{late['id']}/dispatch",
        {"channel": "ems", "carrier": "EMS", "mailed_on": "2027-06-01"},
    )
    desk.client.post(
        f"/cases/{desk.case_id}/letters/{late['id']}/evidence",
        data={"kind": "mailing_stub"},
        files={"file": ("stub2.jpg", b"\xff\xd8\xffstub2", "image/jpeg")},
        headers=desk.as_(COLLECTOR_A),
    )
    assert facts() == ["default_known", "guarantor_notice"], "outside the guarantee period"


def test_a_case_update_moves_amounts_and_the_limitation_start(desk: Desk) -> None:
    from shared.events.catalog import CaseUpdated, Debt

    update = new_event(
        CaseUpdated(
            client_id="BANK-A",
            account_ref="ACC-1",
            changes={
                "total_owed": ("1200.50", "800.00"),
                "overdue_since": ("2026-11-10", "2026-10-01"),
            },
            debt=Debt(total_owed=Decimal("800.00"), principal=Decimal("800.00")),
        ),
        occurred_at=FIXED_NOW,
        case_id=desk.case_id,
    )
    desk.dispatch(update)
    case = desk.get("").json()
    assert (
        Decimal(case["total_owed"]) == Decimal("800.00") and case["overdue_since"] == "2026-10-01"
    )
    assert case["debtor_name"], "the desk shows the holder whom the case names"
    limitation = desk.get("/limitation").json()
    assert [(h["fact"], h["on"]) for h in limitation["history"]] == [
        ("default_known", "2026-10-01")
    ]
    assert limitation["ends_on"] == "2029-10-01"


def promise(case_id: str, promise_id: str = "p-early"):
    return new_event(
        PaymentPromised(
            promise_id=promise_id,
            collector_id=COLLECTOR_A.subject,
            amount=Decimal("300"),
            due_on=FIXED_NOW.date() + timedelta(days=10),
            promised_at=FIXED_NOW,
        ),
        occurred_at=FIXED_NOW,
        case_id=case_id,
    )


def waiting_rows(desk: Desk) -> int:
    with desk.runtime.db.reader() as session:
        return session.execute(select(func.count()).select_from(WAITING)).scalar_one()


def test_a_promise_and_a_call_read_before_their_case_wait_for_it_then_apply_once(
    desk: Desk,
) -> None:
    """Contact's topic read ahead of intake's, then a restart (the case in a later batch)."""
    imported = case_imported(FIXED_NOW - timedelta(days=13), overdue_since=OVERDUE_SINCE)
    desk.case_id = imported.case_id
    early = [promise(imported.case_id), attempt(imported.case_id, "invoice_not_received")]
    desk.dispatch(*early)
    assert desk.events("LetterIssued") == [] and waiting_rows(desk) == 2
    desk.dispatch(*early)  # delivered again before the case: kept once
    assert waiting_rows(desk) == 2
    desk.dispatch(imported, case_assigned(FIXED_NOW, imported.case_id, COLLECTOR_A.subject))
    (issued,) = desk.events("LetterIssued")
    assert issued.kind == "statement" and waiting_rows(desk) == 0
    history = desk.get("/limitation").json()["history"]
    assert [(h["fact"], h["effect"]) for h in history] == [
        ("default_known", "started"),
        ("payment_promised", "interrupted"),
    ]
    desk.dispatch(*early, imported)  # everything again: nothing doubles
    assert len(desk.events("LetterIssued")) == 1 and waiting_rows(desk) == 0
    assert len(desk.get("/limitation").json()["history"]) == 2


def test_a_call_after_only_the_assignment_waits_for_the_import_in_the_same_batch(
    desk: Desk,
) -> None:
    imported = case_imported(FIXED_NOW - timedelta(days=13), overdue_since=OVERDUE_SINCE)
    desk.case_id = imported.case_id
    desk.dispatch(
        case_assigned(FIXED_NOW, imported.case_id, COLLECTOR_A.subject),
        attempt(imported.case_id, "invoice_not_received"),
        imported,
    )
    (issued,) = desk.events("LetterIssued")
    assert issued.kind == "statement" and waiting_rows(desk) == 0
    (letter,) = desk.get("/letters").json()["items"]
    assert letter["issued_why"] == "invoice_not_received"


def test_a_second_payment_on_a_case_is_kept_too(desk: Desk) -> None:
    """The case's last payment is read back from the database (naive on SQLite) and
    compared with the next one's time."""
    first, later = FIXED_NOW - timedelta(days=3), FIXED_NOW - timedelta(days=1)
    desk.dispatch(payment_received(desk.case_id, "1.00", first, ref="TXN-1"))
    desk.dispatch(payment_received(desk.case_id, "2.00", later, ref="TXN-2"))
    desk.dispatch(payment_received(desk.case_id, "3.00", first, ref="TXN-3"))
    history = desk.get("/limitation").json()["history"]
    assert [h["fact"] for h in history].count("payment_received") == 3
    with desk.runtime.db.reader() as session:
        case = session.get(LetterCase, desk.case_id)
    assert case is not None and as_utc(case.last_paid_at) == later
