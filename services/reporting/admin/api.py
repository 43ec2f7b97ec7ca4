"""Rebuilding the read models from offset zero (admins)."""

from __future__ import annotations

from fastapi import APIRouter, Request

from services.reporting.admin.schemas import RebuildStatusOut
from services.reporting.readmodel.rebuild import Rebuilder
from shared.auth.principal import EVERYTHING, Scope
from shared.auth.web import access
from shared.errors import Conflict, Problem
from shared.web.deps import runtime_of

router = APIRouter(prefix="/admin", tags=["admin"], dependencies=[access(EVERYTHING)])


def _rebuilder(request: Request) -> Rebuilder:
    found = getattr(request.app.state, "rebuilder", None)
    if found is None:
        runtime = runtime_of(request)
        found = Rebuilder(runtime, runtime.settings.rebuild_idle_seconds)  # type: ignore[attr-defined]
        request.app.state.rebuilder = found
    return found


@router.post(
    "/rebuild",
    status_code=202,
    response_model=RebuildStatusOut,
    summary="Rebuild the read models from offset zero; swapped in when caught up",
    dependencies=[access(EVERYTHING, scope=Scope.ALL)],
    responses={409: {"model": Problem}},
)
async def start_rebuild(request: Request) -> RebuildStatusOut:
    rebuilder = _rebuilder(request)
    if rebuilder.running:
        raise Conflict("a rebuild is already running")
    rebuilder.start()
    return RebuildStatusOut.model_validate(rebuilder.status, from_attributes=True)


@router.get("/rebuild", response_model=RebuildStatusOut, summary="The latest rebuild's progress")
async def rebuild_status(request: Request) -> RebuildStatusOut:
    return RebuildStatusOut.model_validate(_rebuilder(request).status, from_attributes=True)
