"""Contact rules applied to a case: the facts gathered from the log, the decision kept."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Row
from sqlalchemy.orm import Session

from services.contact.models import ContactCase
from services.contact.rules import store
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
    rows = store.recent_attempts(
        session,
        case.id,
        case.debtor_key,
        since=at - look_back,
        until=max(at, until or at),
        day_before=at - timedelta(days=1),
    )
    standing = store.standing(session, case.id)
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
    """Rows of ``store.recent_attempts``, unpacked by position (a row's attribute costs a
    lookup each, and a check reads a hundred rows)."""
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
