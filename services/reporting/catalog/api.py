"""Counts per client, the event tally, and the published event catalogue."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from services.reporting.catalog import store
from services.reporting.catalog.schemas import ClientCaseCounts, EventTallyPublic
from shared.auth.principal import BRANCH_WIDE, EVERYTHING, Role
from shared.auth.web import PUBLIC, access
from shared.errors import NotFound, Problem
from shared.events.schema import asyncapi_document, event_json_schemas
from shared.web.deps import ReaderDep

REPORT_READERS = access(EVERYTHING | BRANCH_WIDE | {Role.SUPERVISOR})
counts = APIRouter(prefix="/reports", tags=["reports"], dependencies=[REPORT_READERS])
catalog = APIRouter(prefix="/events", tags=["event catalogue"], dependencies=[PUBLIC])


@counts.get(
    "/case-counts",
    response_model=list[ClientCaseCounts],
    summary="Cases imported and assigned, per client",
)
def case_counts(session: ReaderDep) -> list[ClientCaseCounts]:
    return [
        ClientCaseCounts(client_id=c, cases_imported=i, cases_assigned=a)
        for c, i, a in store.case_counts_by_client(session)
    ]


@counts.get(
    "/case-counts/{client_id}",
    response_model=ClientCaseCounts,
    summary="Cases imported and assigned for one client",
    responses={404: {"model": Problem}},
)
def client_case_counts(client_id: str, session: ReaderDep) -> ClientCaseCounts:
    rows = store.case_counts_by_client(session, client_id)
    if not rows:
        raise NotFound("client")
    c, i, a = rows[0]
    return ClientCaseCounts(client_id=c, cases_imported=i, cases_assigned=a)


@counts.get(
    "/event-tally",
    response_model=list[EventTallyPublic],
    summary="How many events of each type reporting has seen",
)
def event_tally(session: ReaderDep) -> list[EventTallyPublic]:
    return [
        EventTallyPublic.model_validate(t, from_attributes=True)
        for t in store.event_tallies(session)
    ]


@catalog.get("/asyncapi.json", summary="AsyncAPI document of every event")
def asyncapi() -> dict[str, Any]:
    return asyncapi_document()


@catalog.get("/schemas", summary="JSON Schema of every event, by type")
def schemas() -> dict[str, Any]:
    return event_json_schemas()


@catalog.get(
    "/schemas/{event_type}", summary="JSON Schema of one event", responses={404: {"model": Problem}}
)
def schema(event_type: str) -> dict[str, Any]:
    found = event_json_schemas().get(event_type)
    if found is None:
        raise NotFound("event type")
    return found
