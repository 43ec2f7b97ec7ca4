"""Every error of every service is an RFC 9457 problem document.

Banks' integrators and our own services read these bodies by machine, so the shape must
hold for domain errors, validation errors, unknown routes and crashes alike, and a crash
must not leak what went wrong inside.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from fastapi import FastAPI, HTTPException
from fastapi.testclient import TestClient
from httpx import Response
from pydantic import BaseModel, Field
from sqlalchemy.exc import DataError

from shared.errors import NotFound, ProblemError, install_problem_handlers

LEAKY = "password=hunter2 host=10.1.2.3"


class PromiseIn(BaseModel):
    amount: Decimal = Field(gt=0)
    due: date


def build_app() -> FastAPI:
    app = FastAPI()
    install_problem_handlers(app)

    @app.post("/cases/{case_id}/assign")
    def assign(case_id: str) -> None:
        raise ProblemError(
            409,
            f"case {case_id} is already assigned",
            type_="https://collections.example/problems/already-assigned",
            errors=[{"case_id": case_id}],
        )

    @app.get("/cases/{case_id}")
    def get_case(case_id: str) -> None:
        raise NotFound("case")

    @app.post("/staff")
    def add_staff() -> None:
        raise DataError(
            "INSERT INTO staff",
            {},
            ValueError("PostgreSQL text fields cannot contain NUL (0x00) bytes"),
        )

    @app.get("/boom")
    def boom() -> None:
        raise RuntimeError(LEAKY)

    @app.get("/private")
    def private() -> None:
        raise HTTPException(401, "missing API key", headers={"WWW-Authenticate": "ApiKey"})

    @app.post("/promises")
    def promise(body: PromiseIn, limit: int = 10) -> dict[str, str]:
        return {"amount": str(body.amount)}

    return app


@pytest.fixture
def client() -> TestClient:
    return TestClient(build_app(), raise_server_exceptions=False)


def problem(response: Response) -> dict[str, object]:
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert set(body) >= {"type", "title", "status", "detail", "instance"}
    assert body["status"] == response.status_code
    return body


def test_problem_error_carries_status_type_detail_and_instance(client: TestClient) -> None:
    response = client.post("/cases/C-7/assign")
    assert response.status_code == 409
    assert problem(response) == {
        "type": "https://collections.example/problems/already-assigned",
        "title": "Conflict",
        "status": 409,
        "detail": "case C-7 is already assigned",
        "instance": "/cases/C-7/assign",
        "errors": [{"case_id": "C-7"}],
    }


def test_not_found_names_what_was_missing(client: TestClient) -> None:
    response = client.get("/cases/C-404")
    assert response.status_code == 404
    assert problem(response) == {
        "type": "about:blank",
        "title": "Not Found",
        "status": 404,
        "detail": "case not found",
        "instance": "/cases/C-404",
    }


def test_unexpected_exception_is_a_500_problem_that_leaks_nothing(client: TestClient) -> None:
    response = client.get("/boom")
    assert response.status_code == 500
    body = problem(response)
    assert body["title"] == "Internal Server Error"
    assert body["instance"] == "/boom"
    for secret in ("hunter2", "10.1.2.3", "RuntimeError", "Traceback"):
        assert secret not in response.text


def test_validation_error_lists_every_location(client: TestClient) -> None:
    response = client.post("/promises?limit=many", json={"amount": "-5", "due": "someday"})
    assert response.status_code == 422
    body = problem(response)
    assert body["title"] == "Invalid request"
    errors = body["errors"]
    assert isinstance(errors, list)
    assert {e["location"] for e in errors} == {"body.amount", "body.due", "query.limit"}
    assert all(e["message"] for e in errors)
    for location in ("body.amount", "body.due", "query.limit"):
        assert location in str(body["detail"])


def test_missing_body_fields_are_each_reported(client: TestClient) -> None:
    response = client.post("/promises", json={})
    body = problem(response)
    assert response.status_code == 422
    assert sorted(e["location"] for e in body["errors"]) == ["body.amount", "body.due"]


def test_valid_request_is_not_affected(client: TestClient) -> None:
    response = client.post("/promises", json={"amount": "12.50", "due": "2026-11-01"})
    assert response.status_code == 200
    assert response.json() == {"amount": "12.50"}


def test_unknown_route_is_a_404_problem(client: TestClient) -> None:
    response = client.get("/no/such/route")
    assert response.status_code == 404
    body = problem(response)
    assert body["title"] == "Not Found"
    assert body["instance"] == "/no/such/route"


def test_wrong_method_is_a_405_problem_keeping_allow(client: TestClient) -> None:
    response = client.delete("/promises")
    assert response.status_code == 405
    assert problem(response)["title"] == "Method Not Allowed"
    assert response.headers["allow"] == "POST"


def test_http_exception_keeps_its_headers(client: TestClient) -> None:
    response = client.get("/private")
    assert response.status_code == 401
    assert problem(response)["detail"] == "missing API key"
    assert response.headers["www-authenticate"] == "ApiKey"


def test_a_value_the_database_refuses_is_the_callers_422_not_a_500(client: TestClient) -> None:
    answer = client.post("/staff")
    assert answer.status_code == 422
    assert answer.headers["content-type"] == "application/problem+json"
    assert answer.json()["detail"] == (
        "a value cannot be stored: text may not contain NUL (\\u0000) characters"
    )
