"""A bank exchanges its API key for a short-lived bank token that every service accepts."""

from __future__ import annotations

from datetime import timedelta

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field

from services.intake.api.common import problem
from shared.auth.principal import Scope
from shared.auth.tokens import issue_token
from shared.auth.web import API_KEY_HEADER, PrincipalDep, access
from shared.errors import ProblemError

router = APIRouter(prefix="/auth", tags=["api keys"])


class BankToken(BaseModel):
    access_token: str
    token_type: str = "bearer"
    expires_in: int = Field(description="Seconds until the token expires")
    client_id: str


@router.post(
    "/bank-token",
    response_model=BankToken,
    summary="Exchange a bank's API key for a short-lived bank token (banks)",
    description=(
        "Send the API key as the `X-API-Key` header. The answer is a bearer token for that "
        "client only, accepted by every service (`Authorization: Bearer <token>`) until it "
        "expires (15 minutes by default) — or at once no longer, once the key is revoked. "
        "Ask for a new one when it expires; a token cannot be exchanged for another."
    ),
    dependencies=[access(banks=True, scope=Scope.OWN)],
    responses={401: problem("Unknown or revoked API key"), 403: problem("Not an API key")},
)
def bank_token(principal: PrincipalDep, request: Request) -> BankToken:
    if not request.headers.get(API_KEY_HEADER):
        raise ProblemError(403, "a bank token is issued for an API key: send it as X-API-Key")
    runtime = request.app.state.runtime
    ttl = timedelta(minutes=runtime.settings.bank_token_minutes)
    token = issue_token(request.app.state.bank_signing_key, principal, runtime.clock(), ttl)
    assert principal.client_id is not None
    return BankToken(
        access_token=token, expires_in=int(ttl.total_seconds()), client_id=principal.client_id
    )
