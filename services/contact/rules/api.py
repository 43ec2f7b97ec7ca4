"""Ask before calling: may this party be contacted now, and if not, why and from when."""

from __future__ import annotations

from fastapi import APIRouter, Request

from services.contact.access import CASE_WRITES, DeskCaseDep, DeskPrincipalDep, SettingsDep
from services.contact.rules.domain import Proposal, suggested_call_at
from services.contact.rules.schemas import ContactCheck, ContactVerdict, RuleBlock
from services.contact.rules.service import judge
from shared.bus.work import UnitOfWork
from shared.errors import Problem
from shared.web.sessions import write

router = APIRouter(prefix="/cases", tags=["contact rules"])


@router.post(
    "/{case_id}/contact-check",
    response_model=ContactVerdict,
    summary="May this party be contacted now? (checked before every call; kept for audit)",
    dependencies=[CASE_WRITES],
    responses={404: {"model": Problem}},
)
async def contact_check(
    request: Request,
    body: ContactCheck,
    case: DeskCaseDep,
    principal: DeskPrincipalDep,
    settings: SettingsDep,
) -> ContactVerdict:
    proposal = Proposal(body.channel, body.party, body.direction, body.used, body.party_name)

    def check(uow: UnitOfWork) -> ContactVerdict:
        judged = judge(
            uow, settings, case, proposal, uow.now, actor_id=principal.subject, purpose="check"
        )
        decision, profile = judged.decision, judged.profile
        suggested = suggested_call_at(
            profile, judged.situation, proposal, uow.now, settings.workday_starts
        )
        return ContactVerdict(
            allowed=decision.allowed,
            profile=profile.name,
            disclosure=decision.disclosure,
            blocks=[
                RuleBlock(rule=b.rule, detail=b.detail, until=b.until) for b in decision.blocks
            ],
            next_allowed_at=decision.next_allowed_at,
            suggested_call_at=suggested,
            decision_id=judged.record.id,
            checked_at=uow.now,
        )

    return await write(request, check)
