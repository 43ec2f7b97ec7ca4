"""What the admin commands (`make dead-letters`, `make purges`, …) share: signing in as an
admin and the address of each service.

Environment: INTAKE_URL … REPORTING_URL (http://127.0.0.1:8001 … 8005), AUTH_TOKEN_URL
(http://127.0.0.1:8002/auth/token), ADMIN_USERNAME / ADMIN_PASSWORD (the development admin
of `make run` by default).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

import httpx

SERVICES = {"intake": 8001, "assignment": 8002, "contact": 8003, "letters": 8004, "reporting": 8005}


def service_urls() -> Iterator[tuple[str, str]]:
    for service, port in SERVICES.items():
        yield service, os.environ.get(f"{service.upper()}_URL", f"http://127.0.0.1:{port}")


@contextmanager
def signed_in(timeout: float) -> Iterator[tuple[httpx.Client, dict[str, str]]]:
    """An HTTP client and the headers of an admin's bearer token."""
    token_url = os.environ.get("AUTH_TOKEN_URL", "http://127.0.0.1:8002/auth/token")
    credentials = {
        "username": os.environ.get("ADMIN_USERNAME", "admin"),
        "password": os.environ.get("ADMIN_PASSWORD", "change-me-admin"),
    }
    with httpx.Client(timeout=timeout) as http:
        token = http.post(token_url, data=credentials)
        token.raise_for_status()
        yield http, {"Authorization": f"Bearer {token.json()['access_token']}"}
