"""The blacklist, queried by ID number: a bank for its own debtors, admins and HQ for all."""

from __future__ import annotations

from fastapi import APIRouter, Request

from services.assignment.blacklist import store
from services.assignment.blacklist.domain import debtor_key
from services.assignment.blacklist.schemas import (
    BlacklistAnswer,
    BlacklistEntryPublic,
    BlacklistQuery,
)
from shared.auth.principal import EVERYTHING, Scope
from shared.auth.web import PrincipalDep, access
from shared.errors import ProblemError
from shared.web.deps import ReaderDep

blacklist = APIRouter(prefix="/blacklist", tags=["blacklist"])


@blacklist.post(
    "/search",
    response_model=BlacklistAnswer,
    summary="Is this debtor on the blacklist? (banks: their own debtors; admins and HQ: all)",
    description=(
        "A debtor goes on the blacklist when a case of theirs that was at least 90 days past "
        "due is settled (paid in full or by agreement). A bank sends its bank token "
        "(`POST /auth/bank-token` on intake) and sees only entries from its own cases: a "
        "debtor listed only by another client answers `listed: false`. The ID number goes "
        "in the body, never in the URL, so it stays out of access logs."
    ),
    dependencies=[access(EVERYTHING, banks=True, scope=Scope.OWN)],
    responses={422: {"description": "Not an ID number"}},
)
def search(
    body: BlacklistQuery, principal: PrincipalDep, request: Request, session: ReaderDep
) -> BlacklistAnswer:
    key = debtor_key(request.app.state.blacklist_secret, body.id_number)
    if key is None:
        raise ProblemError(422, "id_number is empty")
    only = principal.client_id if principal.is_bank else None
    if principal.is_bank and only is None:
        raise ProblemError(403, "a bank token without its client")
    rows = store.entries(session, key, only)
    entries = [BlacklistEntryPublic.model_validate(r, from_attributes=True) for r in rows]
    return BlacklistAnswer(listed=bool(entries), entries=entries)
