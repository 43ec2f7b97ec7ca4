"""What every intake router shares: who may call, path parameters, documented problems."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Path

from shared.auth.principal import EVERYTHING, Scope
from shared.auth.web import access
from shared.errors import PROBLEM_JSON, Problem

ObjectId = Annotated[str, Path(max_length=36)]
AccountRef = Annotated[str, Path(max_length=64, description="The client's account reference")]
BACK_OFFICE = access(EVERYTHING)
BACK_OFFICE_OR_OWN_BANK = access(EVERYTHING, banks=True)
# Writes: clients, keys and agreements are the back office's (all clients); a bank writes
# only to its own client (client_in_scope).
BACK_OFFICE_WRITES = access(EVERYTHING, scope=Scope.ALL)
OWN_BANK_WRITES = access(EVERYTHING, banks=True, scope=Scope.OWN)


def problem(description: str) -> dict[str, Any]:
    """An error response as documented in OpenAPI: a problem document (RFC 9457)."""
    return {
        "model": Problem,
        "description": description,
        "content": {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}},
    }


NOT_FOUND: dict[int | str, dict[str, Any]] = {404: problem("Not found, or not yours to see")}
