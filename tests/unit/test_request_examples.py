"""Every JSON or form request body of every service has an example in its OpenAPI
document, and each example is one its route accepts."""

from __future__ import annotations

import importlib

import pytest
from pydantic import TypeAdapter

from shared.auth.web import api_routes

SERVICES = ("intake", "assignment", "contact", "letters", "reporting")
UPLOADS = "multipart/form-data"  # a file: the docs page offers a file picker instead


@pytest.mark.parametrize("service", SERVICES)
def test_every_request_body_has_an_example_its_route_accepts(service: str) -> None:
    app = importlib.import_module(f"services.{service}.main").create_app()
    spec = app.openapi()
    schemas = spec["components"]["schemas"]
    models = {}
    for route in api_routes(app):
        if route.body_field is not None:
            models[route.body_field.field_info.annotation] = route
    by_name = {getattr(model, "__name__", ""): model for model in models}
    missing = []
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            for media_type, media in operation.get("requestBody", {}).get("content", {}).items():
                if media_type == UPLOADS:
                    continue
                name = media["schema"]["$ref"].rsplit("/", 1)[1]
                examples = schemas[name].get("examples")
                if not examples:
                    missing.append(f"{method.upper()} {path} ({name})")
                    continue
                if media_type == "application/json":
                    TypeAdapter(by_name[name]).validate_python(examples[0])
    assert not missing, f"request bodies without an example: {missing}"
