"""Who may work a case's contact log: its collector, their team's lead and supervisor, and
admins. Anyone else, even one who may see the case elsewhere, is told it does not exist."""

from __future__ import annotations

from typing import Annotated, cast

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from services.contact.cases import store
from services.contact.models import ContactCase
from services.contact.settings import ContactSettings
from shared.auth.policy import CaseScope
from shared.auth.principal import (
    ALL_STAFF,
    BRANCH_WIDE,
    COLLECTORS,
    EVERYTHING,
    TEAM_WIDE,
    Principal,
    Role,
    Scope,
)
from shared.auth.web import access, case_in_view, current_principal, principal_of
from shared.errors import NotFound
from shared.web.sessions import read

DESK = frozenset({*COLLECTORS, Role.TEAM_LEAD, Role.SUPERVISOR, Role.ADMIN})
OVERRIDERS = frozenset({Role.SUPERVISOR, Role.ADMIN})
OVERSEERS = TEAM_WIDE | BRANCH_WIDE | EVERYTHING
# Writes on a case reach the collector's own cases, the team's for its lead and supervisor.
# A visit is reached by its field collector or as its case is; only the field collector
# named in the order files its report (403 for the others who see it).
CASE_WRITES = access(ALL_STAFF, scope=Scope.TEAM)
VISIT_WRITES = CASE_WRITES


async def desk_case(request: Request, case_id: str) -> ContactCase:
    """The case named in the path, if the caller works its contact log; 404 otherwise.
    A dependency, so a case the caller cannot reach answers 404 before the body is read
    (``shared.web.sessions.read``: no thread-pool hop on SQLite)."""
    return await read(request, lambda session: desk_case_in(request, session, case_id))


def desk_case_in(request: Request, session: Session, case_id: str) -> ContactCase:
    """`desk_case` inside a session the caller holds (``shared.web.sessions.read``)."""
    scope: CaseScope = case_in_view(request, session, case_id)
    if current_principal(request).role not in DESK:
        raise NotFound("case")
    case = store.case(session, scope.case_id)
    if case is None:
        raise NotFound("case")
    return case


async def contact_settings(request: Request) -> ContactSettings:
    return cast(ContactSettings, request.app.state.runtime.settings)


DeskCaseDep = Annotated[ContactCase, Depends(desk_case)]
DeskPrincipalDep = Annotated[Principal, Depends(principal_of)]
SettingsDep = Annotated[ContactSettings, Depends(contact_settings)]
