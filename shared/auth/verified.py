"""Tokens already verified, remembered for a short while so a signature is checked once per
token and minute rather than once per request.

An entry lives until its token expires or ``keep_seconds`` pass, whichever is first, so a
key removed from the ring stops working within that time; the table is bounded and
forgets its oldest entries first. Only verified tokens go in: an entry is the principal
the signature proved, keyed by the exact token text."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable

from shared.auth.principal import Principal


class VerifiedTokens:
    def __init__(
        self,
        keep_seconds: float = 60.0,
        max_entries: int = 10_000,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.keep_seconds = keep_seconds
        self.max_entries = max_entries
        self.clock = clock
        self._entries: OrderedDict[str, tuple[Principal, float]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, token: str) -> Principal | None:
        with self._lock:
            found = self._entries.get(token)
            if found is None:
                return None
            principal, until = found
            if self.clock() >= until:
                del self._entries[token]
                return None
            return principal

    def put(self, token: str, principal: Principal, expires_at: float) -> None:
        until = min(expires_at, self.clock() + self.keep_seconds)
        with self._lock:
            self._entries[token] = (principal, until)
            self._entries.move_to_end(token)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)
