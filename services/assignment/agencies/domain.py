"""Pure outsourcing rules: whether placing a case with an agency waits for an approval."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Terms:
    """What one agreement of the client says of outsourcing."""

    agreement_id: str
    status: str
    needs_approval: bool


def needs_approval(agreement_id: str | None, client_terms: Iterable[Terms]) -> bool:
    """The case's own agreement decides. A case that names none (it arrived before the
    client's agreement was filed) waits if any active agreement of its client requires an
    approval. An agreement assignment has not heard of requires none."""
    terms = list(client_terms)
    if agreement_id is not None:
        return any(t.needs_approval for t in terms if t.agreement_id == agreement_id)
    return any(t.needs_approval and t.status == "active" for t in terms)
