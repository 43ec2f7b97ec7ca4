"""Operation ids that read as names: a route's function name in camelCase (``list_cases`` ->
``listCases``, ``post_case_file`` -> ``postCaseFile``), the same on every service, so
generated clients get methods a person would have named."""

from __future__ import annotations

from collections import Counter

from fastapi import FastAPI
from fastapi.routing import APIRoute

from shared.auth.web import api_routes


def operation_id(route: APIRoute) -> str:
    """Every service's ``generate_unique_id_function``."""
    head, *rest = route.name.split("_")
    return head + "".join(word[:1].upper() + word[1:] for word in rest)


def assert_unique_operation_ids(app: FastAPI) -> None:
    """Refuse to build an app in which two operations would share an id."""
    counts = Counter(
        operation_id(route)
        for route in api_routes(app)
        if route.include_in_schema
        for _ in route.methods or ()
    )
    repeated = sorted(name for name, n in counts.items() if n > 1)
    if repeated:
        raise RuntimeError(f"operation ids used twice (rename the route functions): {repeated}")
