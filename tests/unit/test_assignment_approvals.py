"""The approval state machine and what each kind of request must say; the field visit's
steps and deadline."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from services.assignment.approvals.domain import (
    DecisionRefused,
    Kind,
    Request,
    RequestInvalid,
    Status,
    check_request,
    decide,
)
from services.assignment.field_visits.domain import (
    StepRefused,
    VisitStatus,
    advance,
    is_overdue,
    plan_needs_approval,
)

TODAY = date(2026, 11, 23)


@pytest.mark.parametrize(
    ("request_", "message"),
    [
        (Request(Kind.EXTENSION, "月底未结清", "c1", until=date(2026, 12, 31)), "next-step plan"),
        (Request(Kind.EXTENSION, "x", "c1", next_steps="再访", until=TODAY), "future date"),
        (Request(Kind.WAIVER, "提前还款活动", "c1"), "amount waived"),
        (Request(Kind.WAIVER, "x", "c1", amount=Decimal("0")), "amount waived"),
        (Request(Kind.VISIT_DELAY, "路远", "f1"), "visit will be done by"),
        (Request(Kind.LEGAL_ACTION, "  ", "c1"), "reason is empty"),
    ],
)
def test_a_request_lacking_what_its_kind_needs_is_refused(request_: Request, message: str) -> None:
    with pytest.raises(RequestInvalid, match=message):
        check_request(request_, TODAY)


def test_complete_requests_pass() -> None:
    for ok in (
        Request(Kind.EXTENSION, "x", "c1", next_steps="再访担保人", until=date(2026, 12, 31)),
        Request(Kind.WAIVER, "提前还款活动", "c1", amount=Decimal("120.00")),
        Request(Kind.WRITE_OFF, "无财产可执行", "c1"),
        Request(Kind.VISIT_DELAY, "路远", "f1", until=TODAY),
    ):
        check_request(ok, TODAY)


def test_a_pending_request_is_granted_or_rejected_once_by_someone_else() -> None:
    assert decide(Status.PENDING, "c1", "boss", grant=True) is Status.GRANTED
    assert decide(Status.PENDING, "c1", "boss", grant=False) is Status.REJECTED
    for done in (Status.GRANTED, Status.REJECTED):
        with pytest.raises(DecisionRefused, match="already"):
            decide(done, "c1", "boss", grant=True)
    with pytest.raises(DecisionRefused, match="other than its requester"):
        decide(Status.PENDING, "boss", "boss", grant=True)


def test_a_visit_goes_through_its_steps_in_order() -> None:
    status = VisitStatus.ORDERED
    for step in (VisitStatus.PLANNED, VisitStatus.PLANNED, VisitStatus.REPORTED):
        status = advance(status, step)
    with pytest.raises(StepRefused, match="reported; it cannot become signed_off"):
        advance(status, VisitStatus.SIGNED_OFF)
    status = advance(advance(status, VisitStatus.COMPLETED), VisitStatus.SIGNED_OFF)
    with pytest.raises(StepRefused):
        advance(status, VisitStatus.PLANNED)
    with pytest.raises(StepRefused):
        advance(VisitStatus.ORDERED, VisitStatus.COMPLETED)


def test_only_an_unreported_visit_past_its_due_time_is_overdue() -> None:
    due = datetime(2026, 11, 25, 2, tzinfo=UTC)
    later = due + timedelta(minutes=1)
    assert is_overdue(VisitStatus.ORDERED, due, later)
    assert is_overdue(VisitStatus.PLANNED, due, later)
    assert not is_overdue(VisitStatus.PLANNED, due, due)
    assert not is_overdue(VisitStatus.REPORTED, due, later)
    assert plan_needs_approval(later, due) and not plan_needs_approval(due, due)
