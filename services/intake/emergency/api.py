"""The emergency channel over HTTP: an agreement's endpoint and chosen events, the client's
secret and its rotation, the delivery log, and the failed notifications admins follow up."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Literal

from fastapi import APIRouter, Query
from sqlmodel import Session

from services.intake.access import (
    BACK_OFFICE,
    BACK_OFFICE_OR_OWN_BANK,
    BACK_OFFICE_WRITES,
    NOT_FOUND,
    OWN_BANK_WRITES,
    ObjectId,
)
from services.intake.agreements import store as agreements
from services.intake.clients import store as clients
from services.intake.emergency import service, store
from services.intake.emergency.models import EmergencyEndpoint, EmergencyNotification
from services.intake.emergency.schemas import (
    AttemptPublic,
    EndpointBody,
    EndpointPublic,
    NotificationPublic,
    SecretPublic,
    TopicsBody,
)
from shared.auth.web import ClientInScopeDep
from shared.errors import NotFound
from shared.web.deps import ReaderDep, RuntimeDep, WorkDep

router = APIRouter(tags=["emergency channel"])
AGREEMENT = "/clients/{client_id}/agreements/{agreement_id}/emergency-endpoint"


def _agreement(session: Session, client_id: str, agreement_id: str) -> None:
    if agreements.get_agreement(session, client_id, agreement_id) is None:
        raise NotFound("agreement")


def _endpoint(session: Session, client_id: str, agreement_id: str) -> EmergencyEndpoint:
    _agreement(session, client_id, agreement_id)
    found = store.endpoint(session, agreement_id)
    if found is None:
        raise NotFound("emergency endpoint")
    return found


def _with_log(session: Session, rows: list[EmergencyNotification]) -> list[NotificationPublic]:
    attempts: dict[str, list[AttemptPublic]] = {}
    for a in store.attempts_of(session, [r.id for r in rows]):
        attempts.setdefault(a.notification_id, []).append(
            AttemptPublic(
                at=a.at, status_code=a.status_code, latency_ms=a.latency_ms, error=a.error
            )
        )
    return [
        NotificationPublic(
            **r.model_dump(exclude={"body", "client_id"}), log=attempts.get(r.id, [])
        )
        for r in rows
    ]


@router.put(
    AGREEMENT,
    response_model=EndpointPublic,
    summary="Set an agreement's emergency endpoint (admins and HQ)",
    dependencies=[BACK_OFFICE_WRITES],
    responses=NOT_FOUND,
)
def set_endpoint(
    scoped: ClientInScopeDep,
    agreement_id: ObjectId,
    body: EndpointBody,
    uow: WorkDep,
    runtime: RuntimeDep,
) -> EndpointPublic:
    _agreement(uow.session, scoped, agreement_id)
    had_secret = bool(store.secrets_in_force(uow.session, scoped, uow.now))
    found = service.save_endpoint(
        uow.session,
        uow.now,
        scoped,
        agreement_id,
        body.url,
        [t.value for t in body.topics],
        production=runtime.settings.is_production,
    )
    secret = None if had_secret else store.secrets_in_force(uow.session, scoped, uow.now)[0]
    return EndpointPublic.of(found, secret)


@router.get(
    AGREEMENT,
    response_model=EndpointPublic,
    summary="Read an agreement's emergency endpoint (admins and HQ, or the client's own key)",
    dependencies=[BACK_OFFICE_OR_OWN_BANK],
    responses=NOT_FOUND,
)
def get_endpoint(
    scoped: ClientInScopeDep, agreement_id: ObjectId, session: ReaderDep
) -> EndpointPublic:
    return EndpointPublic.of(_endpoint(session, scoped, agreement_id))


@router.put(
    AGREEMENT + "/topics",
    response_model=EndpointPublic,
    summary="Choose the events the bank also receives (admins and HQ, or the client's own key)",
    dependencies=[OWN_BANK_WRITES],
    responses=NOT_FOUND,
)
def choose_topics(
    scoped: ClientInScopeDep, agreement_id: ObjectId, body: TopicsBody, uow: WorkDep
) -> EndpointPublic:
    found = _endpoint(uow.session, scoped, agreement_id)
    service.choose_topics(uow.session, uow.now, found, [t.value for t in body.topics])
    return EndpointPublic.of(found)


@router.get(
    AGREEMENT + "/deliveries",
    response_model=list[NotificationPublic],
    summary="The agreement's delivery log: each notification with its attempts, newest first",
    dependencies=[BACK_OFFICE_OR_OWN_BANK],
    responses=NOT_FOUND,
)
def delivery_log(
    scoped: ClientInScopeDep,
    agreement_id: ObjectId,
    session: ReaderDep,
    state: Literal["pending", "delivered", "failed"] | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> list[NotificationPublic]:
    _endpoint(session, scoped, agreement_id)
    rows = store.notifications(session, agreement_id=agreement_id, state=state, limit=limit)
    return _with_log(session, rows)


@router.post(
    "/clients/{client_id}/emergency-secret",
    response_model=SecretPublic,
    status_code=201,
    summary="Rotate the client's signing secret; the previous one stays valid for a grace period",
    dependencies=[OWN_BANK_WRITES],
    responses=NOT_FOUND,
)
def rotate_secret(scoped: ClientInScopeDep, uow: WorkDep, runtime: RuntimeDep) -> SecretPublic:
    if clients.get_client(uow.session, scoped) is None:
        raise NotFound("client")
    grace = timedelta(hours=runtime.settings.emergency_secret_grace_hours)
    fresh = service.rotate_secret(uow.session, uow.now, scoped, grace)
    return SecretPublic(
        secret=fresh.secret, created_at=fresh.created_at, previous_valid_until=uow.now + grace
    )


@router.get(
    "/emergency-notifications",
    response_model=list[NotificationPublic],
    summary="Notifications across agreements, e.g. the failed ones to follow up (admins and HQ)",
    dependencies=[BACK_OFFICE],
)
def notifications(
    session: ReaderDep,
    state: Literal["pending", "delivered", "failed"] = "failed",
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> list[NotificationPublic]:
    return _with_log(session, store.notifications(session, state=state, limit=limit))
