"""``/admin/purges``: this service's purge runs, and the dry run of a client's purge
(what would go here, per table and file store; nothing is changed)."""

from __future__ import annotations

import json
from datetime import date

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, Field

from shared.auth.principal import EVERYTHING
from shared.auth.web import access
from shared.clock import UtcDatetime
from shared.purge import plan as engine
from shared.web.deps import runtime_of

# Admins and HQ order purges, so both see what one would remove and what went.
BACK_OFFICE = access(EVERYTHING)
PURGES_TAG = {
    "name": "purges",
    "description": "The 5-year purge: what a client's purge would remove here, and the runs.",
}


class PurgePreview(BaseModel):
    service: str
    client_id: str
    cases: int = Field(description="The client's cases this service holds")
    would_remove: dict[str, int] = Field(
        description="Per table '<table> (deleted|blanked)' rows, per store 'files: <kind>' files"
    )


class PurgeRunOut(BaseModel):
    purge_id: str
    client_id: str
    ordered_by: str
    ordered_at: UtcDatetime
    reason: str
    retention_until: date
    finished_at: UtcDatetime = Field(description="When this service finished its part")
    removed: dict[str, int]


class PurgeRuns(BaseModel):
    service: str
    items: list[PurgeRunOut]


def purges_router() -> APIRouter:
    router = APIRouter(prefix="/admin/purges", tags=["purges"])

    @router.get(
        "/preview",
        response_model=PurgePreview,
        summary="Dry run: what a purge of the client would remove in this service",
        dependencies=[BACK_OFFICE],
    )
    def preview_purge(
        request: Request,
        client_id: str = Query(min_length=1, max_length=64, description="The client"),
    ) -> PurgePreview:
        runtime = runtime_of(request)
        plan = runtime.parts.purge
        assert plan is not None
        with runtime.db.reader() as session:
            cases = len(engine.case_ids(session, plan, client_id))
            counts = engine.preview(session, plan, runtime.settings, client_id)
        return PurgePreview(
            service=runtime.settings.service_name,
            client_id=client_id,
            cases=cases,
            would_remove=counts,
        )

    @router.get(
        "",
        response_model=PurgeRuns,
        summary="The purges this service carried out, newest first",
        dependencies=[BACK_OFFICE],
    )
    def list_purges(
        request: Request,
        client_id: str | None = Query(default=None, min_length=1, max_length=64),
    ) -> PurgeRuns:
        runtime = runtime_of(request)
        plan = runtime.parts.purge
        assert plan is not None
        runs = plan.runs
        query = runs.select().order_by(runs.c.finished_at.desc()).limit(1000)
        if client_id is not None:
            query = query.where(runs.c.client_id == client_id)
        with runtime.db.reader() as session:
            rows = session.execute(query).all()
        return PurgeRuns(
            service=runtime.settings.service_name,
            items=[
                PurgeRunOut(
                    **{k: v for k, v in row._mapping.items() if k != "removed"},
                    removed=json.loads(row.removed),
                )
                for row in rows
            ],
        )

    return router
