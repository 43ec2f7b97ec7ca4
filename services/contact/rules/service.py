"""Contact rules applied to a case: the facts gathered from the log, the decision kept."""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Row, select
from sqlalchemy.orm import Session

from services.contact.attempts.models import BarredNumber, ContactAttempt, Dispute
from services.contact.models import ContactCase
from services.contact.rules.domain import Decision, PastAttempt, Proposal, Situation, decide
from services.contact.rules.models import ContactDecision
from services.contact.rules.profiles import RuleProfile, profile_for
from services.contact.rules.timezones import zone
from services.contact.settings import ContactSettings
from shared.bus.work import UnitOfWork
from shared.clock import as_utc

STOPPING_STATUSES = frozenset({"not_owed"})
"""A case in one of these stands still: a fraud claim found true, the debt not owed."""
PAST_COLUMNS = (
    ContactAttempt.started_at,
    ContactAttempt.channel,
    ContactAttempt.party,
    ContactAttempt.direction,
    ContactAttempt.conversation,
)


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


def situation_of(
    session: Session,
    settings: ContactSettings,
    case: ContactCase,
    profile: RuleProfile,
    at: datetime,
) -> Situation:
    """What the rules need to judge an attempt at ``at``: the attempts of the days before
    that the caps and the cooldown look at, and what stands in the way of any contact."""
    look_back = timedelta(days=max(8, (profile.conversation_cooldown_days or 0) + 1))
    attempts = session.execute(
        select(*PAST_COLUMNS).where(
            ContactAttempt.case_id == case.id,
            ContactAttempt.started_at >= at - look_back,
            ContactAttempt.started_at < at,
        )
    ).all()
    dispute_open = session.execute(
        select(Dispute.id).where(Dispute.case_id == case.id, Dispute.resolved_at.is_(None)).limit(1)
    ).first()
    barred = session.execute(
        select(BarredNumber.number).where(BarredNumber.case_id == case.id)
    ).scalars()
    elsewhere: Sequence[Row[Any]] = ()
    if case.debtor_key:
        elsewhere = session.execute(
            select(*PAST_COLUMNS).where(
                ContactAttempt.debtor_key == case.debtor_key,
                ContactAttempt.started_at >= at - timedelta(days=1),
                ContactAttempt.started_at < at,
                ContactAttempt.case_id != case.id,
                ContactAttempt.party == "debtor",
            )
        ).all()
    return Situation(
        timezone=zone(case.timezone, settings.default_timezone),
        attempts=_past(attempts),
        named_contacts=frozenset(json.loads(case.named_contacts or "[]")),
        dispute_open=dispute_open is not None,
        cease_requested=case.cease_requested_at is not None,
        do_not_call=frozenset(barred),
        debtor_elsewhere=_past(elsewhere),
        standing=(case.status,) if case.status in STOPPING_STATUSES else (),
    )


def _past(rows: Sequence[Row[Any]]) -> tuple[PastAttempt, ...]:
    return tuple(
        PastAttempt(
            at=as_utc(a.started_at),
            channel=a.channel,
            party=a.party,
            direction=a.direction,
            conversation=a.conversation,
        )
        for a in rows
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
    situation = situation_of(uow.session, settings, case, profile, at)
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
