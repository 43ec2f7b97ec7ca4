"""Who may work a case's letters: its collector, their team's lead and supervisor, and
admins; a bank reads the letters and evidence packs of its own client's cases. To anyone
else the case does not exist (404)."""

from __future__ import annotations

from typing import Annotated, cast

from fastapi import Depends, Request

from services.letters.issuing.models import Letter
from services.letters.issuing.store import letter_of
from services.letters.models import LetterCase
from services.letters.settings import LettersSettings
from services.letters.store import case_of
from shared.auth.principal import COLLECTORS, Role, Scope
from shared.auth.web import access, current_principal, visible_case
from shared.errors import NotFound

DESK = frozenset({*COLLECTORS, Role.TEAM_LEAD, Role.SUPERVISOR, Role.ADMIN})
BATCH = frozenset({Role.TEAM_LEAD, Role.SUPERVISOR, Role.ADMIN})
READERS = access(DESK, banks=True)
WRITERS = access(DESK, scope=Scope.TEAM)


def _case(request: Request, case_id: str) -> LetterCase:
    principal = current_principal(request)
    scope = visible_case(request, case_id)
    if not principal.is_bank and principal.role not in DESK:
        raise NotFound("case")
    with request.app.state.runtime.db.reader() as session:
        case = case_of(session, scope.case_id)
    if case is None:
        raise NotFound("case")
    return case


def _letter(request: Request, case_id: str, letter_id: str) -> Letter:
    case = _case(request, case_id)
    with request.app.state.runtime.db.reader() as session:
        letter = letter_of(session, letter_id)
    if letter is None or letter.case_id != case.id:
        raise NotFound("letter")
    return letter


def letters_settings(request: Request) -> LettersSettings:
    return cast(LettersSettings, request.app.state.runtime.settings)


DeskCaseDep = Annotated[LetterCase, Depends(_case)]
LetterDep = Annotated[Letter, Depends(_letter)]
SettingsDep = Annotated[LettersSettings, Depends(letters_settings)]
