"""Errors as RFC 9457 problem details, one shape for every service."""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy.exc import DataError
from starlette.exceptions import HTTPException as StarletteHTTPException

from shared.logging import get_logger

PROBLEM_JSON = "application/problem+json"
log = get_logger(__name__)


class Problem(BaseModel):
    """RFC 9457 problem details as served by every endpoint on error."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str | None = None
    instance: str | None = None
    errors: list[dict[str, Any]] | None = None


class ProblemError(Exception):
    """Raise from domain or API code to answer with a problem document."""

    def __init__(
        self,
        status: int,
        detail: str,
        *,
        title: str | None = None,
        type_: str = "about:blank",
        errors: list[dict[str, Any]] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail)
        self.headers = headers or {}
        self.status = status
        self.detail = detail
        self.title = title or HTTPStatus(status).phrase
        self.type = type_
        self.errors = errors


class NotFound(ProblemError):
    def __init__(self, what: str) -> None:
        super().__init__(404, f"{what} not found")


class Conflict(ProblemError):
    def __init__(self, detail: str) -> None:
        super().__init__(409, detail)


def problem_response(request: Request, problem: Problem) -> JSONResponse:
    body = problem.model_copy(update={"instance": problem.instance or request.url.path})
    return JSONResponse(
        body.model_dump(exclude_none=True), status_code=problem.status, media_type=PROBLEM_JSON
    )


def _validation_errors(exc: RequestValidationError) -> list[dict[str, Any]]:
    return [
        {"location": ".".join(str(p) for p in err.get("loc", ())), "message": err.get("msg", "")}
        for err in exc.errors()
    ]


def install_problem_handlers(app: FastAPI) -> None:
    @app.exception_handler(ProblemError)
    async def _problem(request: Request, exc: ProblemError) -> JSONResponse:
        response = problem_response(
            request,
            Problem(
                type=exc.type,
                title=exc.title,
                status=exc.status,
                detail=exc.detail,
                errors=exc.errors,
            ),
        )
        response.headers.update(exc.headers)
        return response

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = _validation_errors(exc)
        summary = "; ".join(f"{e['location']}: {e['message']}" for e in errors[:5])
        return problem_response(
            request,
            Problem(title="Invalid request", status=422, detail=summary, errors=errors),
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        response = problem_response(
            request,
            Problem(
                title=HTTPStatus(exc.status_code).phrase,
                status=exc.status_code,
                detail=str(exc.detail),
            ),
        )
        for name, value in (exc.headers or {}).items():
            response.headers[name] = value
        return response

    @app.exception_handler(DataError)
    async def _unstorable(request: Request, exc: DataError) -> JSONResponse:
        """The database refused a value the request carried (PostgreSQL takes no NUL in
        text, nor a number out of its column's range): the caller's input, not our fault."""
        reason = str(exc.orig).splitlines()[0] if exc.orig is not None else "value refused"
        if "NUL" in reason or "0x00" in reason:
            reason = "text may not contain NUL (\\u0000) characters"
        log.info("value_refused_by_database", path=request.url.path, reason=reason[:200])
        return problem_response(
            request,
            Problem(
                title="Invalid request",
                status=422,
                detail=f"a value cannot be stored: {reason[:300]}",
            ),
        )

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled_error", path=request.url.path)
        return problem_response(
            request,
            Problem(title="Internal Server Error", status=500, detail="unexpected error; logged"),
        )
