"""An example for every request body, kept per service beside its routes (``examples.py``:
schema name -> example) and written into the OpenAPI document, so the docs pages' "Try it
out" starts from a body that works. A test validates each example against its model."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from fastapi import FastAPI


def attach_examples(app: FastAPI, examples: Mapping[str, Mapping[str, Any]]) -> None:
    """Each example lands on its schema in ``components.schemas`` (Swagger UI and ReDoc
    fill a request body from it)."""
    if not examples:
        return
    build: Callable[[], dict[str, Any]] = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is not None:
            return app.openapi_schema
        schema = build()
        components = schema.get("components", {}).get("schemas", {})
        for name, example in examples.items():
            if name in components:
                components[name]["examples"] = [dict(example)]
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
