"""Clients (back office; a bank reads its own client).

Every route says who may call it (``access``); every route naming a client resolves it
through ``ClientInScopeDep``, so a bank reaches only its own client and anything else
answers 404, the same as a client that does not exist.
"""

from __future__ import annotations

from fastapi import APIRouter, status

from services.intake.access import (
    BACK_OFFICE,
    BACK_OFFICE_OR_OWN_BANK,
    BACK_OFFICE_WRITES,
    NOT_FOUND,
    problem,
)
from services.intake.clients import service, store
from services.intake.clients.schemas import ClientCreate, ClientPublic
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
