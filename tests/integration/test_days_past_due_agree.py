"""Every service counts the same days past due and bucket for the same cases.

Two bank files go through intake's real upload route — one with only 逾期天数 (days past
due, as of the day it was extracted), one with only 首次逾期日 (the first overdue date) —
and the CaseImported events intake wrote to its outbox are fed, as they are, to the real
handlers of assignment, contact, letters and reporting (``runtime.dispatch``). Each
service is then asked through its own routes on two days in a row: 0, 1, 30, 31, 90, 91,
200 and 800 days past due on the first, one more on the next.

The reconciliation part files an agreement with a rate for every bucket through intake,
reports a payment on a case in each bucket, and checks each statement line is charged at
its bucket's rate on the day it was paid.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from shared.auth.principal import Role
from shared.clock import SHANGHAI
from shared.events import Envelope, decode
from shared.pastdue import BUCKETS, bucket_of
from tests.conftest import DatabaseFactory
from tests.security.kit import StaffKeys, staff
from tests.service_desk import MovingClock, service_app

ADMIN = staff("admin-1", Role.ADMIN)
HQ = staff("hq-1", Role.HQ)
DAY = date(2026, 11, 27)  # a Friday: the receivables report counts to it too
DAYS = (0, 1, 30, 31, 90, 91, 200, 800)
EXTRACTED = DAY - timedelta(days=3)  # the days-only file was extracted 3 days before
SERVICES = ("intake", "assignment", "contact", "letters", "reporting")


def at_noon(day: date) -> datetime:
    return datetime.combine(day, time(12), SHANGHAI)


@dataclass
class Platform:
    apps: dict[str, TestClient]
    clock: MovingClock
    keys: StaffKeys
    bank: dict[str, str]

    def get(self, service: str, path: str, **params: Any) -> Any:
        who = ADMIN if service == "letters" else HQ  # the letters desk is not HQ's
        answer = self.apps[service].get(path, params=params, headers=self.keys.headers(who))
        assert answer.status_code == 200, (service, path, answer.text)
        return answer.json()

    def intake_events(self, *types: str) -> list[Envelope[Any]]:
        runtime = self.apps["intake"].app.state.runtime  # type: ignore[attr-defined]
        outbox = runtime.parts.tables.outbox
        with runtime.db.reader() as session:
            bodies = session.execute(
                select(outbox.c.body).where(outbox.c.event_type.in_(types)).order_by(outbox.c.id)
            ).scalars()
            return [decode(body.encode()) for body in bodies]

    def feed(self, events: list[Envelope[Any]]) -> None:
        """The events as intake wrote them, through every other service's real handlers."""
        for service in SERVICES[1:]:
            outcome = self.apps[service].app.state.runtime.dispatch(events)  # type: ignore[attr-defined]
            assert not outcome.rejected, (service, outcome.rejected)


@pytest.fixture
def platform(databases: DatabaseFactory, tmp_path: Path) -> Platform:
    keys = StaffKeys(tmp_path / "keys")
    clock = MovingClock(at_noon(DAY))
    apps = {}
    for service in SERVICES:
        main = importlib.import_module(f"services.{service}.main")
        settings = getattr(
            importlib.import_module(f"services.{service}.settings"),
            f"{service.capitalize()}Settings",
        )
        app = service_app(main.create_app, settings, service, databases, tmp_path, keys, clock)
        apps[service] = TestClient(app)
    admin = keys.headers(ADMIN)
    intake = apps["intake"]
    assert intake.post("/clients", json={"id": "BOC", "name": "BOC"}, headers=admin).is_success
    made = intake.post("/clients/BOC/api-keys", json={"label": "files"}, headers=admin)
    return Platform(apps, clock, keys, {"X-API-Key": made.json()["key"]})


def upload(platform: Platform, header: str, rows: list[str], **form: str) -> dict[str, Any]:
    """Post a file; answers the batch. Every row is new unless ``form`` says ``updates``."""
    updates = form.pop("updates", None)
    content = ("卡号,姓名,欠款总额,手机号," + header + "\n" + "\n".join(rows) + "\n").encode()
    answer = platform.apps["intake"].post(
        "/clients/BOC/case-files",
        files={"file": ("cases.csv", content, "text/csv")},
        data=form,
        headers=platform.bank,
    )
    assert answer.status_code in (200, 201), answer.text
    if updates is None:
        assert answer.json()["rows_imported"] == len(rows), answer.text
    return answer.json()


def import_both_files(platform: Platform) -> dict[str, int]:
    """Account -> days past due on DAY; returns them."""
    # Only 逾期天数, extracted 3 days before receipt: the bank's count is 3 days short.
    days_only = {f"D{d:03}": d for d in DAYS if d >= 3}
    upload(
        platform,
        "逾期天数",
        [f"{ref},张三,1000.00,13800138000,{d - 3}" for ref, d in days_only.items()],
        as_of=EXTRACTED.isoformat(),
    )
    # Only the first overdue date.
    dates_only = {f"S{d:03}": d for d in DAYS}
    upload(
        platform,
        "首次逾期日",
        [
            f"{ref},李四,1000.00,13800138001,{DAY - timedelta(days=d)}"
            for ref, d in dates_only.items()
        ],
    )
    return days_only | dates_only


def views(platform: Platform, case_ids: dict[str, str], on: date) -> dict[str, dict[str, Any]]:
    """Each service's (days past due, bucket) per account on ``on``, through its routes."""
    platform.clock.now = at_noon(on)
    found: dict[str, dict[str, Any]] = {s: {} for s in SERVICES}
    for ref, case_id in case_ids.items():
        seen = platform.get("intake", f"/clients/BOC/cases/{ref}")
        found["intake"][ref] = (seen["days_past_due"], seen["bucket"])
        for service, path in (
            ("assignment", f"/cases/{case_id}/strategy"),
            ("contact", f"/cases/{case_id}"),
            ("letters", f"/cases/{case_id}"),
        ):
            seen = platform.get(service, path)
            found[service][ref] = (seen["days_past_due"], seen["bucket"])
    aging = platform.get("reporting", "/reports/kpis", period="day", on=on.isoformat())["aging"]
    found["reporting_aging"] = {row["bucket"]: row["cases"] for row in aging}
    return found


def test_every_service_counts_the_same_days_and_bucket(platform: Platform) -> None:
    expected_days = import_both_files(platform)
    imported = platform.intake_events("CaseImported")
    assert {e.version for e in imported} == {2}
    platform.feed(imported)
    case_ids = {e.payload.account_ref: e.case_id for e in imported}

    for shift in (0, 1):
        on = DAY + timedelta(days=shift)
        seen = views(platform, case_ids, on)
        want = {ref: (d + shift, bucket_of(d + shift)) for ref, d in expected_days.items()}
        for service in SERVICES[:-1]:
            assert seen[service] == want, (service, on)
        spread = {b: sum(1 for _, bucket in want.values() if bucket == b) for b in BUCKETS}
        assert seen["reporting_aging"] == spread, on

    # The boundaries themselves, on DAY, by the first-overdue-date file.
    first_day = {ref[1:]: b for ref, (_, b) in views(platform, case_ids, DAY)["letters"].items()
                 if ref.startswith("S")}  # fmt: skip
    assert first_day == {"000": "M0", "001": "M1", "030": "M1", "031": "M2", "090": "M3",
                         "091": "M4", "200": "M7+", "800": "M7+"}  # fmt: skip

    friday = platform.get("reporting", "/reports/receivables/friday", on=DAY.isoformat())
    overdue = {r["account_ref"]: r["days_past_due"] for r in friday["sections"][1]["rows"]}
    assert overdue == {ref: d for ref, d in expected_days.items() if d > 0}


RATES = {b: Decimal("0.10") + Decimal("0.01") * i for i, b in enumerate(BUCKETS)}
# One case per bucket, days past due on the day of its payment.
PAID_AT_DAYS = {"M0": 0, "M1": 15, "M2": 45, "M3": 75, "M4": 105, "M5": 135, "M6": 165,
                "M7+": 400}  # fmt: skip


def test_a_statement_charges_each_payment_at_its_buckets_rate(platform: Platform) -> None:
    admin = platform.keys.headers(ADMIN)
    agreement = {
        "number": "HT-1", "status": "active", "start_date": "2026-01-01",
        "end_date": "2027-12-31", "reconciliation_day": 1, "recovery_target": "100000.00",
        "commission": {"rate": "0.05", "by_bucket": {b: str(r) for b, r in RATES.items()}},
        "regular_channel": {"contact_person": "王敏", "phone": "021-12345678", "email": "a@b.cn"},
        "emergency_channel": {"contact_person": "李强", "phone": "13900139000", "email": "e@b.cn"},
    }  # fmt: skip
    made = platform.apps["intake"].post("/clients/BOC/agreements", json=agreement, headers=admin)
    assert made.status_code == 201, made.text
    paid_on = date(2026, 11, 20)
    rows = [
        f"P-{b},王五,5000.00,13800138002,{paid_on - timedelta(days=d)}"
        for b, d in PAID_AT_DAYS.items()
    ]
    upload(platform, "首次逾期日", rows, agreement_id=made.json()["id"])
    amounts = {b: Decimal("1234.56") + i for i, b in enumerate(BUCKETS)}
    for b in BUCKETS:
        answer = platform.apps["intake"].post(
            "/clients/BOC/payments",
            json={"account_ref": f"P-{b}", "transaction_ref": f"TX-{b}",
                  "amount": str(amounts[b]), "paid_at": at_noon(paid_on).isoformat()},
            headers=platform.bank,
        )  # fmt: skip
        assert answer.status_code == 201, answer.text
    platform.feed(platform.intake_events("AgreementSaved", "CaseImported", "PaymentReceived"))

    statement = platform.get("reporting", "/reports/reconciliation/BOC", month="2026-11")
    lines = {line["account_ref"]: line for line in statement["sections"][0]["rows"]}
    assert len(lines) == len(BUCKETS)
    total = Decimal("0.00")
    for b in BUCKETS:
        line = lines[f"P-{b}"]
        want = (amounts[b] * RATES[b]).quantize(Decimal("0.01"), ROUND_HALF_UP)
        assert (line["bucket"], line["rate"]) == (b, f"{RATES[b]:.4f}"), b
        assert Decimal(line["commission"]) == want, b
        total += want
    assert Decimal(statement["summary"]["commission"]) == total
    assert all(line["rate"] != "0.0500" for line in lines.values()), "no line at the general rate"


def test_with_neither_column_a_case_is_not_past_due_anywhere(platform: Platform) -> None:
    upload(platform, "备注", ["N-1,赵六,100.00,13800138003,无"])
    imported = platform.intake_events("CaseImported")
    platform.feed(imported)
    (case_id,) = [e.case_id for e in imported]
    seen = views(platform, {"N-1": case_id}, DAY)
    assert seen["intake"]["N-1"] == (None, None), "intake shows what the bank did not say"
    for service in ("assignment", "contact", "letters"):
        assert seen[service]["N-1"] == (0, "M0"), service
    assert seen["reporting_aging"]["M0"] == 1


def test_a_later_file_moves_the_first_overdue_day_in_every_service(platform: Platform) -> None:
    upload(platform, "逾期天数", ["L-1,孙七,100.00,13800138004,40"])
    platform.clock.advance(days=1)  # the same count a day later moves nothing
    again = upload(platform, "逾期天数", ["L-1,孙七,100.00,13800138004,41"], updates="yes")
    assert (again["rows_unchanged"], platform.intake_events("CaseUpdated")) == (1, [])
    moved = f"L-1,孙七,100.00,13800138004,{DAY - timedelta(days=95)}"
    assert upload(platform, "首次逾期日", [moved], updates="yes")["rows_updated"] == 1
    (updated,) = platform.intake_events("CaseUpdated")
    assert updated.payload.past_due is not None
    platform.feed([*platform.intake_events("CaseImported"), updated])
    seen = views(platform, {"L-1": updated.case_id}, DAY + timedelta(days=1))
    for service in SERVICES[:-1]:
        assert seen[service]["L-1"] == (96, "M4"), service
    assert seen["reporting_aging"]["M4"] == 1
