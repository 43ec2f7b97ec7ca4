"""A file of payments (CSV, XLSX or JSON Lines): each row recorded as one payment report."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, time
from itertools import islice
from pathlib import Path

from services.intake.case_files.parsing import readers
from services.intake.case_files.parsing.mapping import header_key
from services.intake.case_files.parsing.values import parse_amount, parse_date
from services.intake.payments.service import PaymentReport, record_payment
from shared.clock import SHANGHAI
from shared.errors import ProblemError
from shared.runtime import Runtime

ALIASES = {
    "account_ref": ("卡号", "账号", "合同号", "借据号", "account_ref", "account"),
    "transaction_ref": ("交易流水号", "流水号", "交易号", "transaction_ref", "transaction_id"),
    "amount": ("还款金额", "金额", "入账金额", "amount"),
    "paid_at": ("还款日期", "还款时间", "入账日期", "paid_at", "paid_on"),
}
_LOOKUP = {header_key(a): name for name, aliases in ALIASES.items() for a in aliases}
CHUNK = 500
MAX_FILE_BYTES = 20 * 1024 * 1024


@dataclass
class Outcome:
    rows_total: int = 0
    recorded: int = 0
    repeated: int = 0
    errors: list[dict[str, object]] = field(default_factory=list)


def parse_paid_at(text: str, today: datetime) -> datetime:
    """A date (taken as midnight in Shanghai) or an ISO date-time (Shanghai if no zone)."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        day = parse_date(text, today=today.date())
        moment = datetime.combine(day, time(0))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=SHANGHAI)
    return moment.astimezone(UTC)


def import_payments(runtime: Runtime, client_id: str, path: Path, cid: str | None) -> Outcome:
    outcome = Outcome()
    with path.open("rb") as stream:
        try:
            rows = readers.open_rows(stream, path.name)
        except readers.FileRejected as exc:
            title = {413: "Payment file too large", 422: "Invalid payment file"}.get(exc.status)
            raise ProblemError(
                exc.status, exc.reason, title=title or "Unsupported payment file"
            ) from exc
        with rows:
            columns = {i: _LOOKUP.get(header_key(h)) for i, h in enumerate(rows.headers)}
            missing = set(ALIASES) - {c for c in columns.values() if c}
            if missing:
                raise ProblemError(422, f"required column(s) missing: {', '.join(sorted(missing))}")
            headers = {name: rows.headers[i] for i, name in columns.items() if name}
            numbered: Iterator[tuple[int, list[str]]] = iter(rows)
            while chunk := list(islice(numbered, CHUNK)):
                with runtime.work(cid) as uow:
                    for number, values in chunk:
                        outcome.rows_total += 1
                        cells = {n: values[i].strip() for i, n in columns.items() if n}
                        _one(uow, client_id, number, cells, headers, outcome)
    return outcome


def _one(uow, client_id, number, cells, headers, outcome) -> None:  # type: ignore[no-untyped-def]
    def fail(name: str, reason: str) -> None:
        outcome.errors.append(
            {
                "row": number,
                "column": headers.get(name, ""),
                "value": cells.get(name, ""),
                "reason": reason,
            }
        )

    try:
        amount = parse_amount(cells["amount"])
    except ValueError as exc:
        return fail("amount", str(exc))
    if amount <= 0:
        return fail("amount", "a payment must be more than zero")
    try:
        paid_at = parse_paid_at(cells["paid_at"], uow.now)
    except ValueError as exc:
        return fail("paid_at", str(exc))
    for name in ("account_ref", "transaction_ref"):
        if not cells[name] or len(cells[name]) > 64:
            return fail(name, "required, at most 64 characters")
    report = PaymentReport(cells["account_ref"], cells["transaction_ref"], amount, paid_at)
    try:
        _payment, new = record_payment(uow, client_id, report, source="file")
    except ProblemError as exc:
        return fail("transaction_ref" if exc.status == 409 else "account_ref", exc.detail)
    if new:
        outcome.recorded += 1
    else:
        outcome.repeated += 1
    return None
