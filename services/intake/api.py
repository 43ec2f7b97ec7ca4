"""Intake's HTTP routes for the back office: clients and their API keys.

Every route says who may call it (``access``); every route naming a client resolves it
through ``ClientInScopeDep``, so a bank reaches only its own client and anything else
answers 404, the same as a client that does not exist.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Response, status
from pydantic import BaseModel, Field

from services.intake import service, store
from services.intake.api_common import (
    BACK_OFFICE,
    BACK_OFFICE_OR_OWN_BANK,
    NOT_FOUND,
    problem,
)
from services.intake.models import ApiKey, Client
from shared.auth.web import CLIENT_ID_PATTERN, ClientInScopeDep
from shared.clock import UtcDatetime
from shared.errors import NotFound
from shared.web.deps import ReaderDep, WorkDep

clients_router = APIRouter(prefix="/clients", tags=["clients"])


# ---------------------------------------------------------------- clients


class ClientCreate(BaseModel):
    id: str = Field(pattern=CLIENT_ID_PATTERN, description="The client's code, e.g. ICBC-SH")
    name: str = Field(min_length=1, max_length=200)
    kind: Literal["bank", "creditor"] = Field(
        default="bank", description="A bank, or another creditor"
    )


class ClientPublic(BaseModel):
    id: str
    name: str
    kind: str
    active: bool
    created_at: UtcDatetime

    @classmethod
    def of(cls, client: Client) -> ClientPublic:
        return cls.model_validate(client, from_attributes=True)


@clients_router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=ClientPublic,
    summary="Register a client (admins and HQ)",
    dependencies=[BACK_OFFICE],
    responses={409: problem("A client with this code exists")},
)
def register_client(body: ClientCreate, uow: WorkDep) -> ClientPublic:
    return ClientPublic.of(service.register_client(uow, body.id, body.name.strip(), body.kind))


@clients_router.get(
    "",
    response_model=list[ClientPublic],
    summary="List clients (admins and HQ)",
    dependencies=[BACK_OFFICE],
)
def list_clients(session: ReaderDep) -> list[ClientPublic]:
    return [ClientPublic.of(c) for c in store.list_clients(session)]


@clients_router.get(
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


# ---------------------------------------------------------------- API keys


class ApiKeyCreate(BaseModel):
    label: str = Field(
        min_length=1, max_length=100, description="What the key is for, e.g. 'nightly upload'"
    )


class ApiKeyPublic(BaseModel):
    id: str
    client_id: str
    prefix: str = Field(description="The 8 characters after `ck_`; the rest is never shown")
    label: str
    created_at: UtcDatetime
    revoked_at: UtcDatetime | None
    last_used_at: UtcDatetime | None = Field(description="Updated at most once a minute")

    @classmethod
    def of(cls, api_key: ApiKey) -> ApiKeyPublic:
        return cls.model_validate(api_key, from_attributes=True)


class ApiKeyCreated(ApiKeyPublic):
    key: str = Field(description="The key itself: shown this once, never stored or shown again")


@clients_router.post(
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
    dependencies=[BACK_OFFICE],
    responses=NOT_FOUND,
)
def create_api_key(scoped: ClientInScopeDep, body: ApiKeyCreate, uow: WorkDep) -> ApiKeyCreated:
    api_key, made = service.create_api_key(uow, scoped, body.label.strip())
    return ApiKeyCreated(**ApiKeyPublic.of(api_key).model_dump(), key=made.key)


@clients_router.get(
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


@clients_router.delete(
    "/{client_id}/api-keys/{key_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    tags=["api keys"],
    summary="Revoke an API key at once (admins and HQ)",
    description="The key stops working immediately. Revoking a revoked key changes nothing.",
    dependencies=[BACK_OFFICE],
    responses=NOT_FOUND,
)
def revoke_api_key(
    scoped: ClientInScopeDep,
    key_id: Annotated[str, Path(max_length=36)],
    uow: WorkDep,
) -> Response:
    service.revoke_api_key(uow, scoped, key_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
