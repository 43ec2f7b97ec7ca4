"""Pure approval rules: what each kind of request must say, and the pending → granted |
rejected state machine. Only a granted request takes effect."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum


class Kind(StrEnum):
    EXTENSION = "extension"
    LEGAL_ACTION = "legal_action"
    SETTLEMENT_IN_KIND = "settlement_in_kind"
    SECURED_ARRANGEMENT = "secured_arrangement"
    WRITE_OFF = "write_off"
    WAIVER = "waiver"
    CLIENT_REQUEST = "client_request"
    VISIT_DELAY = "visit_delay"
    AGENCY_PLACEMENT = "agency_placement"


class Status(StrEnum):
    PENDING = "pending"
    GRANTED = "granted"
    REJECTED = "rejected"


SPECIAL_PROCEDURES = frozenset(
    {Kind.LEGAL_ACTION, Kind.SETTLEMENT_IN_KIND, Kind.SECURED_ARRANGEMENT, Kind.WRITE_OFF}
)
# Several may wait at once for these; of any other kind, one per case at a time.
MANY_AT_ONCE = frozenset({Kind.CLIENT_REQUEST, Kind.VISIT_DELAY})


class RequestInvalid(ValueError):
    """The request lacks what its kind needs (422)."""


class DecisionRefused(ValueError):
    """The request is not pending, or the decider asked for it themselves (409)."""


@dataclass(frozen=True)
class Request:
    kind: Kind
    reason: str
    requested_by: str
    next_steps: str | None = None
    amount: Decimal | None = None
    until: date | None = None


def check_request(request: Request, today: date) -> None:
    if not request.reason.strip():
        raise RequestInvalid("say why: reason is empty")
    if request.kind is Kind.EXTENSION:
        if not (request.next_steps or "").strip():
            raise RequestInvalid("an extension needs a next-step plan (next_steps)")
        if request.until is None or request.until <= today:
            raise RequestInvalid("an extension needs a future date to extend to (until)")
    if request.kind is Kind.VISIT_DELAY and (request.until is None or request.until < today):
        raise RequestInvalid("a visit delay needs the date the visit will be done by (until)")
    if request.kind is Kind.WAIVER and (request.amount is None or request.amount <= 0):
        raise RequestInvalid("a waiver needs the amount waived (amount > 0)")


def decide(status: Status, requested_by: str, decider: str, *, grant: bool) -> Status:
    """The status after a decision. A request is decided once, and never by its requester."""
    if status is not Status.PENDING:
        raise DecisionRefused(f"the request was already {status.value}")
    if decider == requested_by:
        raise DecisionRefused("a request is decided by someone other than its requester")
    return Status.GRANTED if grant else Status.REJECTED
