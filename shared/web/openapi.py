"""The OpenAPI document says how errors look and how to sign in, on every route."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI

from shared.auth.web import access_rule_of, api_routes
from shared.errors import PROBLEM_JSON, Problem

PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}
_PROBLEM_REFS = {"#/components/schemas/Problem", "#/components/schemas/HTTPValidationError"}
_COMMON = {
    "401": "Not signed in, or the token or API key is invalid",
    "403": "Your role may not use this operation",
    "404": "Not found, or not yours to see",
    "413": "Request body larger than the limit",
    "422": "Invalid request",
}


def _problem(description: str) -> dict[str, Any]:
    return {"description": description, "content": {PROBLEM_JSON: {"schema": PROBLEM_REF}}}


def _expected_errors(app: FastAPI) -> dict[tuple[str, str], set[str]]:
    """The error statuses the shared layers add to each route (auth, lookups, bodies)."""
    expected: dict[tuple[str, str], set[str]] = {}
    for route in api_routes(app):
        if not route.include_in_schema:
            continue
        rule = access_rule_of(route.dependant)
        codes = {"422"} if route.dependant.query_params or route.body_field else set()
        if rule is not None and not rule.public:
            codes |= {"401", "403"}
        if route.dependant.path_params:
            codes |= {"404", "422"}
        if route.body_field is not None:
            codes |= {"413", "422"}
        for method in route.methods or ():
            expected[(route.path_format, method.lower())] = codes
    return expected


def _security_by_route(
    app: FastAPI, banks: bool
) -> dict[tuple[str, str], list[dict[str, list[str]]]]:
    """Each route's own sign-in options, so the docs show no lock on public routes and
    send a bank's key only where a bank may call."""
    security: dict[tuple[str, str], list[dict[str, list[str]]]] = {}
    for route in api_routes(app):
        if not route.include_in_schema:
            continue
        rule = access_rule_of(route.dependant)
        if rule is None:
            continue
        options: list[dict[str, list[str]]] = []
        if not rule.public:
            if rule.roles:
                options.append({"staffToken": []})
            if rule.banks and banks:
                options.append({"bankKey": []})
        for method in route.methods or ():
            security[(route.path_format, method.lower())] = options
    return security


def _document_problems(schema: dict[str, Any], expected: dict[tuple[str, str], set[str]]) -> None:
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    components["Problem"] = Problem.model_json_schema(ref_template="#/components/schemas/{model}")
    for path, item in schema.get("paths", {}).items():
        for method, operation in item.items():
            responses = operation.setdefault("responses", {})
            for code, response in responses.items():
                if code == "default" or code[:1] not in "45":
                    continue
                content = response.get("content") or {}
                ref = (content.get("application/json") or {}).get("schema", {}).get("$ref")
                if not content or (set(content) == {"application/json"} and ref in _PROBLEM_REFS):
                    response["content"] = {PROBLEM_JSON: {"schema": PROBLEM_REF}}
            for code in sorted(expected.get((path, method), ())):
                responses.setdefault(code, _problem(_COMMON[code]))
            if "default" in responses:
                responses["default"]["content"] = {PROBLEM_JSON: {"schema": PROBLEM_REF}}
    for unused in ("HTTPValidationError", "ValidationError"):
        if unused not in str(schema["paths"]):
            components.pop(unused, None)


def _security_schemes(token_url: str, banks: bool) -> dict[str, Any]:
    schemes: dict[str, Any] = {
        "staffToken": {
            "type": "oauth2",
            "description": "Staff sign in at the assignment service.",
            "flows": {"password": {"tokenUrl": token_url, "scopes": {}}},
        }
    }
    if banks:
        schemes["bankKey"] = {
            "type": "apiKey",
            "in": "header",
            "name": "X-API-Key",
            "description": "A bank's API key; reaches only its own data.",
        }
    return schemes


TEXT_RULE = (
    "Text must not hold the NUL character (U+0000): PostgreSQL, the production database, "
    "cannot store it, and a value with one is refused with 422."
)


def complete_openapi(app: FastAPI, token_url: str, *, banks: bool) -> None:
    """Wrap the app's OpenAPI generator: problem documents and sign-in on every route."""
    expected = _expected_errors(app)
    security = _security_by_route(app, banks)
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is not None:
            return app.openapi_schema
        schema = generate()
        _document_problems(schema, expected)
        schemes = _security_schemes(token_url, banks)
        schema.setdefault("components", {})["securitySchemes"] = schemes
        schema["security"] = [{name: []} for name in schemes]
        info = schema.setdefault("info", {})
        info["description"] = f"{info.get('description') or ''}\n\n{TEXT_RULE}".strip()
        for path, item in schema.get("paths", {}).items():
            for method, operation in item.items():
                if (path, method) in security:
                    operation["security"] = security[(path, method)]
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
