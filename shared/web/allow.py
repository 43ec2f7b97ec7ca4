"""``OPTIONS`` on any path answers which methods it takes (``Allow``), and a 405 names all
of them, not only those of the first route that matched the path."""

from __future__ import annotations

import re
from collections.abc import Iterable

from starlette.routing import Route, compile_path
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shared.auth.web import api_routes

PathMethods = list[tuple[re.Pattern[str], frozenset[str]]]


def path_methods(app: object) -> PathMethods:
    """Each path the app serves with its methods (HEAD with GET, OPTIONS everywhere)."""
    pairs: dict[str, set[str]] = {}
    routes: Iterable[object] = [*api_routes(app), *getattr(app, "routes", [])]  # type: ignore[arg-type]
    for route in routes:
        path, methods = getattr(route, "path", None), getattr(route, "methods", None)
        if path and methods and (isinstance(route, Route) or hasattr(route, "dependant")):
            pairs.setdefault(path, set()).update(methods)
    out = []
    for path, methods in pairs.items():
        if "GET" in methods:
            methods.add("HEAD")
        out.append((compile_path(path)[0], frozenset(methods | {"OPTIONS"})))
    return out


def allowed(table: PathMethods, path: str) -> frozenset[str]:
    found: set[str] = set()
    for regex, methods in table:
        if regex.match(path):
            found |= methods
    return frozenset(found)


class AllowHeader:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.table: PathMethods | None = None

    def _allowed(self, scope: Scope) -> frozenset[str]:
        if self.table is None:
            self.table = path_methods(scope["app"])
        return allowed(self.table, scope.get("path", ""))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if scope["method"] == "OPTIONS":
            methods = self._allowed(scope)
            if methods:
                await _answer(send, 204, methods)
                return

        async def with_allow(message: Message) -> None:
            if message["type"] == "http.response.start" and message["status"] == 405:
                header = _header(self._allowed(scope))
                rest = [(k, v) for k, v in message.get("headers", []) if k.lower() != b"allow"]
                message = {**message, "headers": [*rest, (b"allow", header)]}
            await send(message)

        await self.app(scope, receive, with_allow)


def _header(methods: frozenset[str]) -> bytes:
    return ", ".join(sorted(methods)).encode()


async def _answer(send: Send, status: int, methods: frozenset[str]) -> None:
    headers = [(b"allow", _header(methods)), (b"content-length", b"0")]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": b""})
