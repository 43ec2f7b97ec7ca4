"""A case's timeline for the people who may see the case (a bank: its own, limited)."""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel
from sqlalchemy import select

from services.reporting.models import LIVE
from services.reporting.readmodel.timeline import for_bank
from shared.auth.principal import ALL_STAFF
from shared.auth.web import PrincipalDep, VisibleCaseDep, access
from shared.clock import UtcDatetime
from shared.errors import Problem
from shared.web.deps import ReaderDep

router = APIRouter(tags=["timeline"])


class TimelineEntry(BaseModel):
    event_id: str
    event_type: str
    at: UtcDatetime
    detail: dict[str, Any]


@router.get(
    "/cases/{case_id}/timeline",
    response_model=list[TimelineEntry],
    summary="Every event of one case, in order (banks: their own case, without internal steps)",
    responses={404: {"model": Problem}},
    dependencies=[access(ALL_STAFF, banks=True)],
)
def timeline(case: VisibleCaseDep, principal: PrincipalDep, session: ReaderDep) -> list[Any]:
    t = LIVE.timeline
    entries = []
    for event_id, event_type, at, detail in session.execute(
        select(t.c.event_id, t.c.event_type, t.c.at, t.c.detail)
        .where(t.c.case_id == case.case_id)
        .order_by(t.c.at, t.c.event_id)
    ):
        facts = json.loads(detail)
        if principal.is_bank:
            facts = for_bank(event_type, facts)
            if facts is None:
                continue
        entries.append(TimelineEntry(event_id=event_id, event_type=event_type, at=at, detail=facts))
    return entries
