"""One known month of events (October 2026, Shanghai time) whose figures are worked out by
hand in the tests: partial payments, a reassignment and a recall mid-month, a payment at
23:59 on the last day of the month and one a minute into the next.

Cases (BANK-A, agreement AG-1: 12 %, 15 % for M3, reconciliation day 1, target 1,000.00):
  A  card 1,000.00 overdue since 09-01, bucket M1 — c-1 from 10-01 10:00
  B  loan 2,000.00 overdue since 07-15, bucket M3 — c-1 from 10-01 10:00, c-2 from 10-15 12:00
  C  loan   500.00 overdue since 07-01, bucket M3 — c-3 from 10-01 10:00, recalled 10-20
  D  card   800.00 overdue since 09-10, bucket M1 — imported 09-20, c-3 from 09-20 10:00
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from shared.clock import SHANGHAI, as_utc
from shared.events import Envelope, Payload, new_event
from shared.events import catalog as ev


def cst(day: str, clock: str = "12:00") -> datetime:
    """A Shanghai wall-clock time as UTC: cst("10-31", "23:59") is 2026-10-31 23:59 +08."""
    return as_utc(datetime.fromisoformat(f"2026-{day}T{clock}").replace(tzinfo=SHANGHAI))


@dataclass
class Scenario:
    events: list[Envelope[Any]] = field(default_factory=list)
    cases: dict[str, str] = field(default_factory=dict)
    accounts: dict[str, str] = field(default_factory=dict)

    @property
    def accounts_by_case(self) -> dict[str, str]:
        return {case_id: name for name, case_id in self.cases.items()}

    def add(self, payload: Payload, at: datetime, case: str | None = None) -> Envelope[Any]:
        event = new_event(payload, occurred_at=at, case_id=self.cases.get(case or ""))
        self.events.append(event)
        return event

    def import_case(
        self,
        name: str,
        owed: str,
        overdue: date,
        bucket: str,
        product: str,
        at: datetime,
        received: datetime | None = None,
    ) -> None:
        self.cases[name] = str(uuid.uuid4())
        self.accounts[name] = f"ACC-{name}"
        self.add(
            ev.CaseImported(
                client_id="BANK-A",
                agreement_id="AG-1",
                batch_id="b-1",
                account_ref=f"ACC-{name}",
                product_type=product,
                debtor=ev.Person(name="张三"),
                debt=ev.Debt(total_owed=Decimal(owed)),
                overdue_since=overdue,
                bucket=bucket,
                received_at=received or at,
            ),
            at,
            name,
        )

    def assign(self, name: str, collector: str, team: str, at: datetime) -> None:
        self.add(
            ev.CaseAssigned(
                client_id="BANK-A",
                collector_id=collector,
                team_id=team,
                branch_id="B1",
                assigned_at=at,
                due_first_action_by=at + timedelta(hours=2),
            ),
            at,
            name,
        )

    def reassign(self, name: str, old: str, new: str, team: str, at: datetime) -> None:
        self.add(
            ev.CaseReassigned(
                client_id="BANK-A",
                from_collector_id=old,
                collector_id=new,
                team_id=team,
                branch_id="B1",
                reason="handover",
                reassigned_at=at,
            ),
            at,
            name,
        )

    def pay(self, name: str, amount: str, at: datetime) -> None:
        self.add(
            ev.PaymentReceived(
                client_id="BANK-A",
                account_ref=self.accounts[name],
                transaction_ref=f"TX-{uuid.uuid4().hex[:8]}",
                amount=Decimal(amount),
                paid_at=at,
            ),
            at,
            name,
        )

    def attempt(
        self,
        name: str,
        collector: str,
        channel: str,
        outcome: str,
        at: datetime,
        party: str = "debtor",
    ) -> None:
        self.add(
            ev.ContactAttempted(
                attempt_id=str(uuid.uuid4()),
                collector_id=collector,
                channel=channel,
                party=party,
                outcome=outcome,
                attempted_at=at,
            ),  # type: ignore[arg-type]
            at,
            name,
        )


def october() -> Scenario:
    s = Scenario()
    s.add(
        ev.AgreementSaved(
            agreement_id="AG-1",
            client_id="BANK-A",
            number="HZ-2026-01",
            status="active",
            starts_on=date(2026, 1, 1),
            ends_on=date(2027, 12, 31),
            commission_rate=Decimal("0.12"),
            bucket_rates={"M3": Decimal("0.15")},
            reconciliation_day=1,
            recovery_target=Decimal("1000.00"),
            saved_at=cst("09-01"),
        ),
        cst("09-01"),
    )
    for collector, name, team, quota in (
        ("c-1", "王芳", "T1", "500"),
        ("c-2", "李强", "T1", "800"),
        ("c-3", "赵敏", "T2", "300"),
    ):
        s.add(
            ev.CollectorUpdated(
                collector_id=collector,
                name=name,
                role="phone_collector",
                team_id=team,
                branch_id="B1",
                monthly_quota=Decimal(quota),
                changed_at=cst("09-01"),
            ),
            cst("09-01"),
        )
    s.import_case("D", "800.00", date(2026, 9, 10), "M1", "card", cst("09-20", "09:00"))
    s.assign("D", "c-3", "T2", cst("09-20", "10:00"))
    s.import_case("A", "1000.00", date(2026, 9, 1), "M1", "card", cst("10-01", "09:00"))
    s.import_case("B", "2000.00", date(2026, 7, 15), "M3", "loan", cst("10-01", "09:00"))
    s.import_case(
        "C",
        "500.00",
        date(2026, 7, 1),
        "M3",
        "loan",
        cst("10-01", "09:00"),
        received=cst("10-01", "06:00"),
    )
    for name, collector, team in (("A", "c-1", "T1"), ("B", "c-1", "T1"), ("C", "c-3", "T2")):
        s.assign(name, collector, team, cst("10-01", "10:00"))
    s.attempt("A", "c-1", "phone", "right_party_contact", cst("10-01", "11:00"))
    s.attempt("A", "c-1", "sms", "message_left", cst("10-03"))
    s.attempt("B", "c-1", "phone", "no_answer", cst("10-04"))
    s.attempt("C", "c-3", "phone", "third_party", cst("10-05"), party="contact")
    s.add(
        ev.LetterIssued(
            letter_id="L-1",
            kind="overdue_notice",
            recipient_party="debtor",
            content_sha256="0" * 64,
            issued_at=cst("10-02"),
        ),
        cst("10-02"),
        "A",
    )
    s.add(
        ev.PaymentPromised(
            promise_id="P-1",
            collector_id="c-1",
            amount=Decimal("300"),
            due_on=date(2026, 10, 9),
            promised_at=cst("10-01", "11:00"),
        ),
        cst("10-01", "11:00"),
        "A",
    )
    s.pay("B", "150.50", cst("10-05"))
    s.add(
        ev.PromiseBroken(
            promise_id="P-1", amount_missing=Decimal("300"), broken_at=cst("10-10", "00:30")
        ),
        cst("10-10", "00:30"),
        "A",
    )
    s.pay("A", "300.00", cst("10-10"))
    s.reassign("B", "c-1", "c-2", "T1", cst("10-15"))
    s.attempt("B", "c-2", "phone", "promise_to_pay", cst("10-16"))
    s.add(
        ev.PaymentPromised(
            promise_id="P-2",
            collector_id="c-2",
            amount=Decimal("249.50"),
            due_on=date(2026, 10, 20),
            promised_at=cst("10-16", "12:05"),
        ),
        cst("10-16", "12:05"),
        "B",
    )
    s.attempt("B", "c-2", "fax", "other", cst("10-17"))
    s.add(
        ev.CaseCostRecorded(
            cost_id="K-1",
            client_id="BANK-A",
            kind="travel",
            amount=Decimal("80.00"),
            incurred_on=date(2026, 10, 18),
            approved_by="s-1",
            recorded_at=cst("10-18"),
        ),
        cst("10-18"),
        "B",
    )
    s.add(
        ev.FieldVisitOrdered(
            visit_id="V-1", field_collector_id="f-1", ordered_by="c-2", due_by=cst("10-21", "18:00")
        ),
        cst("10-19"),
        "B",
    )
    s.pay("B", "249.50", cst("10-20"))
    s.add(
        ev.PromiseKept(promise_id="P-2", kept_at=cst("10-20", "12:01")), cst("10-20", "12:01"), "B"
    )
    s.add(
        ev.CaseRecalled(client_id="BANK-A", account_ref="ACC-C", reason="bank"), cst("10-20"), "C"
    )
    s.add(
        ev.FieldVisitReported(
            visit_id="V-1",
            field_collector_id="f-1",
            visited_at=cst("10-22"),
            found="见到本人",
            reported_at=cst("10-22", "15:00"),
        ),
        cst("10-22", "15:00"),
        "B",
    )
    s.add(
        ev.ApprovalRequested(
            approval_id="X-1",
            kind="extension",
            reason="客户失业",
            next_steps="每周电话跟进",
            requested_by="c-2",
            requested_at=cst("10-25"),
        ),
        cst("10-25"),
        "B",
    )
    s.pay("A", "200.00", cst("10-31", "23:59"))
    s.pay("A", "100.00", cst("11-01", "00:00:30"))
    return s
