"""Clients and their API keys (back office; a bank reads its own client).

Every route says who may call it (``access``); every route naming a client resolves it
through ``ClientInScopeDep``, so a bank reaches only its own client and anything else
answers 404, the same as a client that does not exist.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Response, status

from services.intake import service, store
from services.intake.api.common import (
    BACK_OFFICE,
    BACK_OFFICE_OR_OWN_BANK,
    BACK_OFFICE_WRITES,
    NOT_FOUND,
    problem,
)
from services.intake.schemas import (
    ApiKeyCreate,
    ApiKeyCreated,
    ApiKeyPublic,
    ClientCreate,
    ClientPublic,
)
from shared.auth.web import ClientInScopeDep
from shared.errors import NotFound
from shared.web.deps import ReaderDep, WorkDep
from shared.web.paging import After, Limit, Page

router = APIRouter(prefix="/clients", tags=["clients"])


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=ClientPublic,
    summary="Register a client (admins and HQ)",
    dependencies=[BACK_OFFICE_WRITES],
    responses={409: problem("A client with this code exists")},
)
def register_client(body: ClientCreate, uow: WorkDep) -> ClientPublic:
    return ClientPublic.of(service.register_client(uow, body.id, body.name.strip(), body.kind))


@router.get(
    "",
    response_model=Page[ClientPublic],
    summary="List clients (admins and HQ), by id",
    description="Keyset pages: pass `next_cursor` as `after`.",
    dependencies=[BACK_OFFICE],
)
def list_clients(session: ReaderDep, limit: Limit = 50, after: After = None) -> Page[ClientPublic]:
    clients, cursor = store.page_clients(session, limit, after)
    return Page(items=[ClientPublic.of(c) for c in clients], next_cursor=cursor)


@router.get(
    "/{client_id}",
    response_model=ClientPublic,
    summary="Read a client (admins and HQ, or the client's own key)",
    dependencies=[BACK_OFFICE_OR_OWN_BANK],
    responses=NOT_FOUND,
)
def get_client(scoped: ClientInScopeDep, session: ReaderDep) -> ClientPublic:
    client = store.get_client(session, scoped)
    if client is None:
        raise NotFound("client")
    return ClientPublic.of(client)


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
    if store.get_client(session, scoped) is None:
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
