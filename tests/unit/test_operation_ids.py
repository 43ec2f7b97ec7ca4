"""Every service names its operations the same way (one generate_unique_id_function):
camelCase function names, unique per service; and the latency metric's Prometheus name."""

from __future__ import annotations

import importlib
import re

import pytest
from fastapi import APIRouter, FastAPI
from prometheus_client import generate_latest

from shared.web.middleware import LATENCY
from shared.web.operation_ids import assert_unique_operation_ids, operation_id

SERVICES = ("intake", "assignment", "contact", "letters", "reporting")
CAMEL = re.compile(r"^[a-z][a-zA-Z0-9]*$")


@pytest.fixture(scope="module")
def specs() -> dict[str, dict]:
    return {
        name: importlib.import_module(f"services.{name}.main").create_app().openapi()
        for name in SERVICES
    }


def _ids(spec: dict) -> list[str]:
    return [op["operationId"] for path in spec["paths"].values() for op in path.values()]


def test_operation_ids_read_as_names(specs: dict[str, dict]) -> None:
    for name, spec in specs.items():
        ids = _ids(spec)
        assert all(CAMEL.match(i) for i in ids), (name, [i for i in ids if not CAMEL.match(i)])
        assert len(ids) == len(set(ids)), name
    assert {"postCaseFile", "listCases", "listCaseFiles", "listPayments"} <= set(
        _ids(specs["intake"])
    )
    assert "listStaff" in _ids(specs["assignment"])


def test_two_operations_with_one_name_are_refused() -> None:
    app = FastAPI(generate_unique_id_function=operation_id)
    first, second = APIRouter(prefix="/a"), APIRouter(prefix="/b")

    def list_cases() -> None: ...

    first.get("")(list_cases)
    second.get("")(list_cases)
    app.include_router(first)
    app.include_router(second)
    with pytest.raises(RuntimeError, match="listCases"):
        assert_unique_operation_ids(app)


def test_the_latency_metric_has_its_prometheus_name() -> None:
    LATENCY.labels(service="test", method="GET").observe(0.01)
    text = generate_latest().decode()
    assert 'http_request_duration_seconds_bucket{le="0.01",method="GET",service="test"}' in text
    assert "http_request_seconds_bucket" not in text
