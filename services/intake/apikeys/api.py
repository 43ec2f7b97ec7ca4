"""Clients' API keys (back office: create, list, revoke), and a bank's exchange of its key
for a short-lived bank token that every service accepts.

``router`` sits under a client (so a bank reaches only its own, anything else 404);
``tokens`` is the exchange at ``/auth``.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Path, Request, Response, status

from services.intake.access import BACK_OFFICE, BACK_OFFICE_WRITES, NOT_FOUND, problem
from services.intake.apikeys import service, store
from services.intake.apikeys.schemas import ApiKeyCreate, ApiKeyCreated, ApiKeyPublic, BankToken
from services.intake.clients import store as clients
from shared.auth.principal import Scope
from shared.auth.tokens import issue_token
from shared.auth.web import API_KEY_HEADER, ClientInScopeDep, PrincipalDep, access
from shared.errors import NotFound, ProblemError
from shared.web.deps import ReaderDep, WorkDep

router = APIRouter(prefix="/clients", tags=["clients"])
tokens = APIRouter(prefix="/auth", tags=["api keys"])


@router.post(
    "/{client_id}/api-keys",
    status_code=status.HTTP_201_CREATED,
    response_model=ApiKeyCreated,
    tags=["api keys"],
    summary="Create an API key for a client (admins and HQ); the key is shown once",
    description=(
        "Answers the new key in `key`, in the form `ck_<prefix>_<secret>`. Only its hash is "
        "kept: copy it now, it cannot be shown again. The bank sends it as the `X-API-Key` "
        "header; it reaches that client's resources only.\n\n"
        "**Rotation**: create a new key, switch the bank over to it, then revoke the old one "
        "with `DELETE /clients/{client_id}/api-keys/{key_id}`; both work in between."
    ),
    dependencies=[BACK_OFFICE_WRITES],
    responses=NOT_FOUND,
)
def create_api_key(scoped: ClientInScopeDep, body: ApiKeyCreate, uow: WorkDep) -> ApiKeyCreated:
    api_key, made = service.create_api_key(uow, scoped, body.label.strip())
    return ApiKeyCreated(**ApiKeyPublic.of(api_key).model_dump(), key=made.key)


@router.get(
    "/{client_id}/api-keys",
    response_model=list[ApiKeyPublic],
    tags=["api keys"],
    summary="List a client's API keys, without their secrets (admins and HQ)",
    dependencies=[BACK_OFFICE],
    responses=NOT_FOUND,
)
def list_api_keys(scoped: ClientInScopeDep, session: ReaderDep) -> list[ApiKeyPublic]:
    if clients.get_client(session, scoped) is None:
        raise NotFound("client")
    return [ApiKeyPublic.of(k) for k in store.keys_of_client(session, scoped)]


@router.delete(
    "/{client_id}/api-keys/{key_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    tags=["api keys"],
    summary="Revoke an API key at once (admins and HQ)",
    description="The key stops working immediately. Revoking a revoked key changes nothing.",
    dependencies=[BACK_OFFICE_WRITES],
    responses=NOT_FOUND,
)
def revoke_api_key(
    scoped: ClientInScopeDep,
    key_id: Annotated[str, Path(max_length=36)],
    uow: WorkDep,
) -> Response:
    service.revoke_api_key(uow, scoped, key_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@tokens.post(
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
