"""What a fault scenario posts through the APIs (payments, promises), and the exact figures
every service must end with: counted and summed to the fen in each service's own tables."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
from typing import Any

import httpx
from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from deploy.run_local import LocalPlatform
from services.assignment.closing.models import CaseBalance
from services.contact.promises.models import Promise
from services.intake.payments.models import Payment
from services.letters.limitation.models import LimitationFact
from services.letters.models import LetterCase
from services.reporting.models import LIVE
from shared.clock import to_local, utc_now
from tests.e2e.test_thin_slice import sign_in

COLLECTOR = ("fault.collector", "a-long-password")


def until_ok(call: Any, what: str, timeout: float = 120) -> httpx.Response:
    """Retry a request while the answering service is away or has not caught up yet."""
    deadline = time.monotonic() + timeout
    last: Any = None
    while time.monotonic() < deadline:
        try:
            last = call()
            if last.status_code in (200, 201):
                return last
        except httpx.HTTPError as exc:
            last = exc
        time.sleep(0.5)
    raise AssertionError(f"{what} never succeeded: {getattr(last, 'text', last)}")


@dataclass
class Ledger:
    """One client's posted payments and promises, to compare every service against."""

    client_id: str
    bank: dict[str, str]
    cases: int
    payments: dict[str, Decimal] = field(default_factory=dict)
    promises: dict[str, Decimal] = field(default_factory=dict)
    collector: dict[str, str] = field(default_factory=dict)

    def pay_all(self, platform: LocalPlatform, amounts: dict[int, Decimal]) -> None:
        """Payments posted 8 at a time, as a bank's batch job would."""
        with ThreadPoolExecutor(8) as posters:
            for done in [posters.submit(self.pay, platform, n, a) for n, a in amounts.items()]:
                done.result()

    def pay(self, platform: LocalPlatform, n: int, amount: Decimal) -> None:
        """Payment ``n`` on account ``n % cases`` (the same reference makes a retry harmless)."""
        ref = f"TXN-{n:05d}"
        body = {
            "account_ref": f"6222{n % self.cases:012d}",
            "transaction_ref": ref,
            "amount": str(amount),
            "paid_at": "2026-12-01T10:00:00+08:00",
        }
        url = f"{platform.url('intake')}/clients/{self.client_id}/payments"
        with httpx.Client(timeout=30, trust_env=False) as http:
            until_ok(lambda: http.post(url, headers=self.bank, json=body), f"payment {ref}")
        self.payments[ref] = amount

    def promise(self, platform: LocalPlatform, case_id: str, amount: Decimal) -> None:
        """A promise to pay, recorded by the collector holding every case."""
        due_on = (to_local(utc_now()).date() + timedelta(days=5)).isoformat()
        with httpx.Client(timeout=30, trust_env=False) as http:
            self.collector = self.collector or sign_in(http, platform, *COLLECTOR)
            made = until_ok(
                lambda: http.post(
                    f"{platform.url('contact')}/cases/{case_id}/promises",
                    headers=self.collector,
                    json={"amount": str(amount), "due_on": due_on},
                ),
                f"a promise on {case_id}",
            )
        self.promises[made.json()["id"]] = amount

    def expected(self) -> dict[str, tuple[int, Decimal]]:
        paid = (len(self.payments), sum(self.payments.values(), Decimal("0")))
        promised = (len(self.promises), sum(self.promises.values(), Decimal("0")))
        return {
            "intake payments": paid,
            "assignment balances paid": (self.cases, paid[1]),
            "reporting payments": paid,
            "reporting promises": promised,
            "contact promises": promised,
            "letters payment facts": (paid[0], Decimal("0")),
            "letters promise facts": (promised[0], Decimal("0")),
            "letters cases": (self.cases, Decimal("0")),
        }

    def found(self, engines: dict[str, Engine]) -> dict[str, tuple[int, Decimal]]:
        client = self.client_id
        intake, balances = Payment.__table__, CaseBalance.__table__
        contact_promises, letter_cases = Promise.__table__, LetterCase.__table__
        facts = LimitationFact.__table__
        reporting_cases = select(LIVE.cases.c.case_id).where(LIVE.cases.c.client_id == client)
        letters_cases = select(letter_cases.c.id).where(letter_cases.c.client_id == client)

        def facts_of(kind: str) -> Any:
            return (facts.c.kind == kind) & facts.c.case_id.in_(letters_cases)

        return {
            "intake payments": _count_sum(
                engines["intake"], intake.c.amount, intake.c.client_id == client
            ),
            "assignment balances paid": _count_sum(
                engines["assignment"], balances.c.paid, balances.c.client_id == client
            ),
            "reporting payments": _count_sum(
                engines["reporting"], LIVE.payments.c.amount, LIVE.payments.c.client_id == client
            ),
            "reporting promises": _count_sum(
                engines["reporting"],
                LIVE.promises.c.amount,
                LIVE.promises.c.case_id.in_(reporting_cases),
            ),
            "contact promises": _count_sum(
                engines["contact"],
                contact_promises.c.amount,
                contact_promises.c.id.in_(list(self.promises) or [""]),
            ),
            "letters payment facts": (
                _count(engines["letters"], facts_of("payment_received")),
                Decimal("0"),
            ),
            "letters promise facts": (
                _count(engines["letters"], facts_of("payment_promised")),
                Decimal("0"),
            ),
            "letters cases": (
                _count(
                    engines["letters"],
                    (letter_cases.c.client_id == client) & letter_cases.c.account_ref.is_not(None),
                ),
                Decimal("0"),
            ),
        }

    def assert_exact(self, engines: dict[str, Engine], timeout: float = 180) -> None:
        """Every service's figures equal what was posted, to the fen (waiting while the
        consumers catch up)."""
        deadline = time.monotonic() + timeout
        expected = self.expected()
        found = self.found(engines)
        while found != expected and time.monotonic() < deadline:
            time.sleep(1)
            found = self.found(engines)
        wrong = {
            name: (found[name], want) for name, want in expected.items() if found[name] != want
        }
        assert not wrong, f"(found, posted) per figure: {wrong}"


def _count_sum(engine: Engine, column: Any, where: Any) -> tuple[int, Decimal]:
    with engine.connect() as conn:
        amounts = [Decimal(str(v)) for v in conn.execute(select(column).where(where)).scalars()]
    return len(amounts), sum(amounts, Decimal("0"))


def _count(engine: Engine, where: Any) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).where(where)).scalar_one())
