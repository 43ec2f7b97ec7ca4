"""Every route of every service, called by the wrong people, gives them nothing.

The routes come from each service's own OpenAPI document, so a route added later is
walked without this file changing. Each is called unauthenticated, as a collector who
does not hold the case, and as a bank that does not own it (by API key and by bank
token), and with the bank token of a revoked key. None of them may get a success or any
trace of the seeded case. The right caller, for contrast, does.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from fastapi.testclient import TestClient

from shared.auth.principal import Role

from .conftest import DEBTOR_NAME, PUBLIC_ROUTES, SERVICE_NAMES, World
from .kit import staff


def _routes(world: World) -> list[tuple[str, str, str]]:
    found = []
    for name, client in world.clients.items():
        for path, operations in client.app.openapi()["paths"].items():
            for method in operations:
                found.append((name, method.upper(), path))
    return found


def _fill(world: World, path: str) -> str:
    filled = path
    for key, value in world.params.items():
        filled = filled.replace("{" + key + "}", value)
    while "{" in filled:
        start, end = filled.index("{"), filled.index("}")
        filled = filled[:start] + "unknown-value" + filled[end + 1 :]
    return filled


def _call(client: TestClient, method: str, path: str, headers: dict[str, str]) -> Any:
    kwargs: dict[str, Any] = {"headers": headers}
    if method in ("POST", "PUT", "PATCH"):
        kwargs["json"] = {}
    return client.request(method, path, **kwargs)


def _leaks(world: World, response: Any) -> list[str]:
    try:
        body = response.json()
    except ValueError:
        text = response.text
    else:
        if isinstance(body, dict):
            body.pop("instance", None)  # a problem document echoes the path asked for
        text = json.dumps(body, ensure_ascii=False)
    return [m for m in world.markers if m in text]


def _walk(
    world: World, caller: str, headers: Callable[[str], dict[str, str]], *, signed_in: bool
) -> list[str]:
    """Failures: any trace of the seeded case; any success on a route naming an object;
    and, for a caller who is not signed in at all, any success whatsoever."""
    failures = []
    for service, method, path in _routes(world):
        if (method, path) in PUBLIC_ROUTES:
            continue
        response = _call(world.clients[service], method, _fill(world, path), headers(service))
        succeeded_wrongly = response.is_success and (not signed_in or "{" in path)
        if succeeded_wrongly or _leaks(world, response):
            failures.append(
                f"{caller}: {service} {method} {path} -> {response.status_code} "
                f"{_leaks(world, response)}"
            )
    return failures


def test_the_walk_covers_every_service_and_the_seed_is_real(world: World) -> None:
    routes = _routes(world)
    assert {s for s, _, _ in routes} == set(SERVICE_NAMES)
    assert world.collector_a is not None
    holder = world.keys.headers(world.collector_a)
    for service in ("assignment", "contact", "letters"):
        answer = world.clients[service].get(f"/cases/{world.params['case_id']}", headers=holder)
        assert answer.status_code == 200, f"{service}: {answer.text}"
    own = world.clients["intake"].get(
        "/clients/BANK-A/cases/A-1", headers={"X-API-Key": world.bank_a_key}
    )
    assert own.status_code == 200 and DEBTOR_NAME in own.text


def test_only_the_known_routes_are_public(world: World) -> None:
    anonymous_successes = {
        (method, path)
        for service, method, path in _routes(world)
        if _call(world.clients[service], method, _fill(world, path), {}).is_success
    }
    assert anonymous_successes <= PUBLIC_ROUTES


def test_unauthenticated_callers_get_nothing(world: World) -> None:
    assert _walk(world, "anonymous", lambda _s: {}, signed_in=False) == []


def test_a_collector_who_does_not_hold_the_case_gets_nothing(world: World) -> None:
    outsider = staff("collector-b", Role.PHONE_COLLECTOR, "T2", "B2")
    headers = world.keys.headers(outsider)
    assert _walk(world, "wrong collector", lambda _s: headers, signed_in=True) == []


def test_a_bank_that_does_not_own_the_case_gets_nothing(world: World) -> None:
    wrong_bank = {"X-API-Key": world.bank_b_key}
    assert _walk(world, "wrong bank", lambda _s: wrong_bank, signed_in=True) == []


def test_an_expired_or_forged_token_gets_nothing(world: World) -> None:
    expired = world.keys.token(staff("admin-1", Role.ADMIN), ttl=timedelta(seconds=-60))
    forged = world.keys.token(staff("admin-1", Role.ADMIN))[:-4] + "AAAA"
    for token in (expired, forged):
        bad = {"Authorization": f"Bearer {token}"}
        assert _walk(world, "bad token", lambda _s, h=bad: h, signed_in=False) == []


def test_a_bank_token_of_another_client_gets_nothing(world: World) -> None:
    other = world.bank("other")
    assert _walk(world, "other bank's token", lambda _s: other, signed_in=True) == []


def test_a_revoked_bank_token_is_refused_everywhere(world: World) -> None:
    revoked = world.bank("revoked")
    assert _walk(world, "revoked bank token", lambda _s: revoked, signed_in=False) == []
    not_refused = [
        f"{service} {method} {path} -> {response.status_code}"
        for service, method, path in _routes(world)
        if (method, path) not in PUBLIC_ROUTES
        and (response := _call(world.clients[service], method, _fill(world, path), revoked))
        and response.status_code != 401
    ]
    assert not_refused == []


def test_the_own_bank_token_is_accepted_on_every_service(world: World) -> None:
    """Every service verifies it (no 401); routes not open to banks answer 403."""
    own = world.bank("own")
    refused = [
        f"{service} {method} {path}"
        for service, method, path in _routes(world)
        if (method, path) not in PUBLIC_ROUTES
        and _call(world.clients[service], method, _fill(world, path), own).status_code == 401
    ]
    assert refused == []
    case = world.clients["intake"].get("/clients/BANK-A/cases/A-1", headers=own)
    assert case.status_code == 200 and DEBTOR_NAME in case.text
