"""A case's timeline for the people who may see the case (a bank: its own, limited)."""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter

from services.reporting.timeline.domain import for_bank
from services.reporting.timeline.schemas import TimelineEntry
from services.reporting.timeline.store import entries_of
from shared.auth.principal import ALL_STAFF
from shared.auth.web import PrincipalDep, VisibleCaseDep, access
from shared.errors import Problem
from shared.web.deps import ReaderDep

router = APIRouter(tags=["timeline"])


@router.get(
    "/cases/{case_id}/timeline",
    response_model=list[TimelineEntry],
    summary="Every event of one case, in order (banks: their own case, without internal steps)",
    responses={404: {"model": Problem}},
    dependencies=[access(ALL_STAFF, banks=True)],
)
def timeline(case: VisibleCaseDep, principal: PrincipalDep, session: ReaderDep) -> list[Any]:
    entries = []
    for event_id, event_type, at, detail in entries_of(session, case.case_id):
        facts = json.loads(detail)
        if principal.is_bank:
            facts = for_bank(event_type, facts)
            if facts is None:
                continue
        entries.append(TimelineEntry(event_id=event_id, event_type=event_type, at=at, detail=facts))
    return entries
