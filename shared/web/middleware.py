"""Correlation ids and request metrics, as plain ASGI middleware (no per-request task)."""

from __future__ import annotations

import json
import time
from typing import Any

from fastapi import HTTPException
from prometheus_client import Counter, Histogram
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shared.logging import correlation_id_var, new_correlation_id

HEADER = b"x-correlation-id"
REQUESTS = Counter("http_requests_total", "HTTP requests", ["service", "method", "status"])
LATENCY = Histogram("http_request_duration_seconds", "HTTP request latency", ["service", "method"])


class CorrelationMiddleware:
    """Takes ``X-Correlation-ID`` from the caller or makes one, and echoes it back."""

    def __init__(self, app: ASGIApp, service: str) -> None:
        self.app = app
        self.service = service
        self._series: dict[tuple[str, int], tuple[Any, Any]] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = dict(scope.get("headers") or ()).get(HEADER)
        cid = incoming.decode("latin-1")[:128] if incoming else new_correlation_id()
        token = correlation_id_var.set(cid)
        started = time.perf_counter()
        status: dict[str, Any] = {"code": 500}

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
                message.setdefault("headers", [])
                message["headers"] = [*message["headers"], (HEADER, cid.encode("latin-1"))]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            correlation_id_var.reset(token)
            method = scope.get("method", "")
            counted, timed = self._metrics(method, status["code"])
            counted.inc()
            timed.observe(time.perf_counter() - started)

    def _metrics(self, method: str, status: int) -> tuple[Any, Any]:
        """The labelled series of a method and status, looked up once (``labels`` takes a
        lock and checks its arguments on every call)."""
        key = (method, status)
        found = self._series.get(key)
        if found is None:
            found = (
                REQUESTS.labels(self.service, method, str(status)),
                LATENCY.labels(self.service, method),
            )
            self._series[key] = found
        return found


class BodySizeLimit:
    """Refuse request bodies over a limit before they are read into memory.

    Routes that take bigger uploads (case files) raise the limit for their own path
    prefix via ``overrides``.
    """

    def __init__(self, app: ASGIApp, max_bytes: int, overrides: dict[str, int] | None = None):
        self.app = app
        self.max_bytes = max_bytes
        self.overrides = overrides or {}
        self._joined: dict[str, int] | None = None

    def _limit_for(self, scope: Scope) -> int:
        path = scope.get("path", "")
        for suffix, size in self._limits(scope).items():
            if path.endswith(suffix):
                return size
        return self.max_bytes

    def _limits(self, scope: Scope) -> dict[str, int]:
        """The overrides and the app's ``state.body_limits`` (set when the app is built),
        joined on the first request."""
        if self._joined is None:
            state = getattr(scope.get("app"), "state", None)
            extra = getattr(state, "body_limits", {}) if state is not None else {}
            self._joined = {**self.overrides, **extra}
        return self._joined

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self._limit_for(scope)
        declared = dict(scope.get("headers") or ()).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            await _too_large(send, limit)
            return
        received = 0

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise _TooLarge(limit)
            return message

        try:
            await self.app(scope, counted, send)
        except _TooLarge:
            await _too_large(send, limit)


class _TooLarge(HTTPException):
    """An HTTPException, so FastAPI's body parsing re-raises it instead of answering 400."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"request body larger than {limit} bytes")


async def _too_large(send: Send, limit: int) -> None:
    body = json.dumps(
        {
            "type": "about:blank",
            "title": "Content Too Large",
            "status": 413,
            "detail": f"request body larger than {limit} bytes",
        }
    ).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [
                (b"content-type", b"application/problem+json"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
