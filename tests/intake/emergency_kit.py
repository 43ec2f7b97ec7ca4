"""A bank's receiver for emergency notifications: a real HTTP server on 127.0.0.1 that
checks each request with the verification snippet the README gives banks (read from the
README itself, so the documented check is the one tested) and answers 204 or 401."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from shared.devtools.broker import free_port

README = Path(__file__).resolve().parents[2] / "README.md"
SNIPPET = re.compile(r"```python\n(# verify a notification \(Standard Webhooks\)\n.*?)```", re.S)


def documented_verify() -> Callable[..., bool]:
    """``verify(secret, headers, body, now)`` exactly as the README shows it."""
    found = SNIPPET.search(README.read_text(encoding="utf-8"))
    assert found, "the README's verification snippet"
    scope: dict[str, Any] = {}
    exec(compile(found.group(1), "README.md", "exec"), scope)
    return scope["verify"]


@dataclass
class Received:
    headers: dict[str, str]
    body: bytes
    verified: bool


@dataclass
class Receiver:
    """``secret``: what the bank checks with; ``clock``: the bank's time (Unix seconds)."""

    secret: str
    clock: Callable[[], float]
    port: int = field(default_factory=free_port)
    received: list[Received] = field(default_factory=list)
    _server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hooks/collections"

    def start(self) -> Receiver:
        verify, receiver = documented_verify(), self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["content-length"]))
                headers = {k.lower(): v for k, v in self.headers.items()}
                ok = verify(receiver.secret, headers, body, now=receiver.clock())
                receiver.received.append(Received(headers, body, ok))
                self.send_response(204 if ok else 401)
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def ids(self) -> list[str]:
        return [r.headers["webhook-id"] for r in self.received if r.verified]
