"""The one app factory: docs, health, readiness, metrics, errors, correlation, lifespan."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import asynccontextmanager, suppress
from typing import Any

from fastapi import APIRouter, FastAPI, Request
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from pydantic import BaseModel, Field

from shared.auth.audit import AuditMiddleware, audit_router
from shared.auth.web import PUBLIC, assert_every_route_declares_access
from shared.bus.dead_letters_api import DEAD_LETTERS_TAG, dead_letters_router
from shared.errors import PROBLEM_JSON, install_problem_handlers
from shared.logging import configure_logging, get_logger
from shared.purge.api import PURGES_TAG, purges_router
from shared.runtime import Runtime, ServiceParts
from shared.web.allow import AllowHeader
from shared.web.docs import install_offline_docs
from shared.web.examples import attach_examples
from shared.web.middleware import BodySizeLimit, CorrelationMiddleware
from shared.web.openapi import complete_openapi
from shared.web.operation_ids import assert_unique_operation_ids, operation_id

log = get_logger(__name__)

OPS_TAG = {"name": "operations", "description": "Liveness, readiness and metrics."}
AUDIT_TAG = {"name": "audit", "description": "Who read or changed what (admins and HQ)."}


class Health(BaseModel):
    status: str
    service: str


class Readiness(BaseModel):
    status: str
    service: str
    checks: dict[str, bool]
    details: dict[str, Any] = Field(
        default_factory=dict, description="Facts for people, e.g. estimated calendar years"
    )


def _ops_router(service: str) -> APIRouter:
    router = APIRouter(tags=["operations"], dependencies=[PUBLIC])

    @router.get("/health", response_model=Health, summary="Liveness: the process answers")
    async def health() -> Health:
        return Health(status="ok", service=service)

    @router.get(
        "/ready",
        response_model=Readiness,
        summary="Readiness: database and broker reachable",
        responses={503: {"model": Readiness, "description": "Not ready yet"}},
    )
    async def ready(request: Request) -> JSONResponse:
        runtime: Runtime = request.app.state.runtime
        checks = await runtime.readiness()
        ok = all(checks.values())
        body = Readiness(
            status="ready" if ok else "not ready",
            service=service,
            checks=checks,
            details=await runtime.readiness_details(),
        )
        return JSONResponse(body.model_dump(), status_code=200 if ok else 503)

    @router.get("/metrics", summary="Prometheus metrics", response_class=Response)
    async def metrics() -> Response:
        return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)

    return router


def build_service_app(
    parts: ServiceParts,
    *,
    title: str,
    description: str,
    routers: Sequence[APIRouter],
    tags: Sequence[dict[str, str]] = (),
    version: str = "0.1.0",
    examples: Mapping[str, Mapping[str, Any]] | None = None,
) -> FastAPI:
    settings = parts.settings
    service = settings.service_name
    configure_logging(service, settings.log_level, settings.log_json)
    runtime = Runtime(parts)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        stop = asyncio.Event()
        task = asyncio.create_task(runtime.run(stop), name=f"{service}-runtime")
        log.info("service_started", port=settings.port)
        try:
            yield
        finally:
            stop.set()
            try:
                await asyncio.wait_for(task, timeout=15)
            except TimeoutError:
                task.cancel()
                with suppress(asyncio.CancelledError):
                    await task
            runtime.db.dispose()
            log.info("service_stopped")

    app = FastAPI(
        title=title,
        description=description,
        version=version,
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
        openapi_tags=[*tags, OPS_TAG, AUDIT_TAG, DEAD_LETTERS_TAG, PURGES_TAG],
        responses={"default": {"content": {PROBLEM_JSON: {}}, "description": "Problem details"}},
        generate_unique_id_function=operation_id,
    )
    app.state.runtime = runtime
    install_problem_handlers(app)
    install_offline_docs(app, settings.auth_token_url)
    app.add_middleware(AuditMiddleware)
    app.add_middleware(AllowHeader)
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_request_bytes)
    app.add_middleware(CorrelationMiddleware, service=service)
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["*"],
            allow_headers=["*"],
            expose_headers=["X-Correlation-ID"],
        )
    app.include_router(_ops_router(service))
    for router in routers:
        app.include_router(router)
    app.include_router(audit_router())
    if runtime.handlers and parts.tables.dead_letters is not None:
        app.include_router(dead_letters_router())
    if parts.purge is not None:
        app.include_router(purges_router())
    assert_every_route_declares_access(app)
    assert_unique_operation_ids(app)
    complete_openapi(app, settings.auth_token_url, banks=parts.bank_keys is not None)
    attach_examples(app, examples or {})
    if settings.is_production and not runtime.authenticator.ring.known():
        raise RuntimeError(
            "production: no public key for staff tokens; set AUTH_PUBLIC_KEYS or AUTH_KEY_DIR"
        )
    return app
