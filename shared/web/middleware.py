"""Correlation ids and request metrics, as plain ASGI middleware (no per-request task)."""

from __future__ import annotations

import time
from typing import Any

from prometheus_client import Counter, Histogram
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shared.logging import correlation_id_var, new_correlation_id

HEADER = b"x-correlation-id"
REQUESTS = Counter("http_requests_total", "HTTP requests", ["service", "method", "status"])
LATENCY = Histogram("http_request_seconds", "HTTP request latency", ["service", "method"])


class CorrelationMiddleware:
    """Takes ``X-Correlation-ID`` from the caller or makes one, and echoes it back."""

    def __init__(self, app: ASGIApp, service: str) -> None:
        self.app = app
        self.service = service

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
            REQUESTS.labels(self.service, method, str(status["code"])).inc()
            LATENCY.labels(self.service, method).observe(time.perf_counter() - started)
