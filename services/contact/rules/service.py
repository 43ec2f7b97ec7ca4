"""Contact rules applied to a case: the facts gathered from the log, the decision kept."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Row, and_, bindparam, literal, or_, select, union_all
from sqlalchemy.orm import Session

from services.contact.attempts.models import BarredNumber, ContactAttempt, Dispute
from services.contact.models import ContactCase
from services.contact.rules.domain import Decision, PastAttempt, Proposal, Situation, decide
from services.contact.rules.models import ContactDecision
from services.contact.rules.profiles import RuleProfile, profile_for
from services.contact.settings import ContactSettings
from shared.bus.work import UnitOfWork
from shared.clock import as_utc
from shared.places import zone

STOPPING_STATUSES = frozenset({"not_owed"})
"""A case in one of these stands still: a fraud claim found true, the debt not owed."""


@dataclass(frozen=True)
class Judged:
    decision: Decision
    profile: RuleProfile
    situation: Situation
    record: ContactDecision


def profile_of(settings: ContactSettings, case: ContactCase) -> RuleProfile:
    return profile_for(
        settings.contact_profiles,
        settings.default_contact_profile,
        case.client_id,
        case.product_type,
    )


_ATTEMPTS = ContactAttempt.__table__.c
_RECENT = select(
    _ATTEMPTS.started_at,
    _ATTEMPTS.channel,
    _ATTEMPTS.party,
    _ATTEMPTS.direction,
    _ATTEMPTS.conversation,
    (_ATTEMPTS.case_id == bindparam("case_id")).label("here"),
).where(
    _ATTEMPTS.started_at <= bindparam("until"),
    or_(
        and_(_ATTEMPTS.case_id == bindparam("case_id"), _ATTEMPTS.started_at >= bindparam("since")),
        and_(
            _ATTEMPTS.debtor_key == bindparam("debtor_key"),
            _ATTEMPTS.party == "debtor",
            _ATTEMPTS.started_at >= bindparam("day_before"),
            _ATTEMPTS.case_id != bindparam("case_id"),
        ),
    ),
)
"""The case's attempts the caps and the cooldown look at, and the debtor's attempts on
their other cases of the last day (for the per-debtor daily cap): one statement, built
once (the check runs before every call)."""
_BARRED = BarredNumber.__table__.c
_DISPUTES = Dispute.__table__.c
_STANDING = union_all(
    select(literal("barred").label("kind"), _BARRED.number.label("value")).where(
        _BARRED.case_id == bindparam("case_id")
    ),
    select(literal("dispute").label("kind"), _DISPUTES.id.label("value")).where(
        _DISPUTES.case_id == bindparam("case_id"), _DISPUTES.resolved_at.is_(None)
    ),
)


def situation_of(
    session: Session,
    settings: ContactSettings,
    case: ContactCase,
    profile: RuleProfile,
    at: datetime,
    until: datetime | None = None,
) -> Situation:
    """What the rules need to judge an attempt at ``at``: the attempts of the days before
    that the caps and the cooldown look at (and, for a call logged after the fact, those
    logged up to ``until``, the logging time), and what stands in the way of any contact
    as it stands now."""
    look_back = timedelta(days=max(8, (profile.conversation_cooldown_days or 0) + 1))
    rows = session.execute(
        _RECENT,
        {
            "case_id": case.id,
            "until": max(at, until or at),
            "since": at - look_back,
            "debtor_key": case.debtor_key,
            "day_before": at - timedelta(days=1),
        },
    ).all()
    standing = session.execute(_STANDING, {"case_id": case.id}).all()
    return Situation(
        timezone=zone(case.timezone, settings.default_timezone),
        attempts=_past(r for r in rows if r[5]),
        named_contacts=frozenset(json.loads(case.named_contacts or "[]")),
        dispute_open=any(kind == "dispute" for kind, _ in standing),
        cease_requested=case.cease_requested_at is not None,
        do_not_call=frozenset(value for kind, value in standing if kind == "barred"),
        debtor_elsewhere=_past(r for r in rows if not r[5]),
        standing=(case.status,) if case.status in STOPPING_STATUSES else (),
    )


def _past(rows: Iterable[Row[Any]]) -> tuple[PastAttempt, ...]:
    """Rows of ``_RECENT``, unpacked by position (a row's attribute costs a lookup each, and
    a check reads a hundred rows)."""
    return tuple(
        PastAttempt(as_utc(at), channel, party, direction, conversation)
        for at, channel, party, direction, conversation, _ in rows
    )


def judge(
    uow: UnitOfWork,
    settings: ContactSettings,
    case: ContactCase,
    proposal: Proposal,
    at: datetime,
    *,
    actor_id: str,
    purpose: str,
) -> Judged:
    """Decide, and keep the decision for audit (the caller adds the attempt it allowed)."""
    profile = profile_of(settings, case)
    situation = situation_of(uow.session, settings, case, profile, at, uow.now)
    decision = decide(profile, situation, proposal, at)
    record = ContactDecision(
        id=str(uuid.uuid4()),
        case_id=case.id,
        actor_id=actor_id,
        purpose=purpose,
        profile=profile.name,
        channel=proposal.channel,
        direction=proposal.direction,
        party=proposal.party,
        allowed=decision.allowed,
        rules=",".join(decision.rules),
        decided_at=uow.now,
    )
    uow.session.add(record)
    return Judged(decision, profile, situation, record)
