"""What an attempt's outcome leaves behind (counted from when the call happened, its
stated time, not from when it was logged): a payment claim and its re-check, a dispute
(a fraud claim is one, and gives the case its own status), a statement to send, a number
not to call again, a request to stop, the collector's own next action."""

from __future__ import annotations

import uuid
from datetime import datetime

from services.contact.attempts.claims import open_claim
from services.contact.attempts.models import ContactAttempt, FollowUp, PaymentClaim
from services.contact.attempts.schemas import AttemptCreate
from services.contact.details.service import number_found_wrong
from services.contact.disputes.service import raise_dispute
from services.contact.models import ContactCase
from shared.bus.work import UnitOfWork


def follow_up(
    uow: UnitOfWork, case: ContactCase, attempt: ContactAttempt, body: AttemptCreate
) -> None:
    outcome = body.outcome
    if outcome == "already_paid" and body.already_paid is not None:
        paid = body.already_paid
        open_claim(
            uow,
            PaymentClaim(
                id=str(uuid.uuid4()),
                case_id=case.id,
                attempt_id=attempt.id,
                paid_on=paid.paid_on,
                amount=paid.amount,
                bank=paid.bank,
                payee=paid.payee,
                slip_ref=paid.slip_ref,
                recheck_due_at=attempt.started_at,
            ),
            attempt.started_at,
        )
    elif outcome in ("dispute", "fraud_claimed"):
        raise_dispute(
            uow,
            case,
            attempt.id,
            fraud=outcome == "fraud_claimed",
            reason=body.dispute_reason or "fraud or stolen card claimed",
            evidence=body.police_report_ref,
            raised_at=attempt.started_at,
        )
    elif outcome == "invoice_not_received":
        _task(
            uow, attempt, "statement_letter", attempt.started_at, "send a statement of the account"
        )
    elif outcome == "reorganising":
        _task(uow, attempt, "escalate", attempt.started_at, "escalate to a more senior manager")
    elif outcome == "cease_requested" and case.cease_requested_at is None:
        case.cease_requested_at = attempt.started_at
        uow.session.add(case)
    elif outcome == "debtor_unreachable_claimed":
        who = body.party_name or body.party
        _task(
            uow,
            attempt,
            "verify_claim",
            attempt.started_at,
            f"{who} says the debtor cannot be reached — a claim to verify, not a fact",
        )
    if outcome == "wrong_number" and body.used and body.channel in ("phone", "sms", "fax"):
        number_found_wrong(uow, case.id, body.used, outcome)
    if attempt.next_action and attempt.next_action_at:
        _task(uow, attempt, "next_action", attempt.next_action_at, attempt.next_action)


def _task(
    uow: UnitOfWork, attempt: ContactAttempt, kind: str, due_at: datetime, detail: str
) -> None:
    uow.session.add(
        FollowUp(
            id=str(uuid.uuid4()),
            case_id=attempt.case_id,
            attempt_id=attempt.id,
            kind=kind,
            due_at=due_at,
            detail=detail[:500],
        )
    )
