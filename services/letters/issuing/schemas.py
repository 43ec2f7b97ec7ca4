"""What the issuing routes take and give."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field, RootModel

from services.letters.issuing.service import per_kind
from services.letters.proof.schemas import EvidencePublic
from shared.clock import UtcDatetime


class LetterOptions(BaseModel):
    recipient_party: Literal["debtor", "guarantor"] | None = None
    recipient_name: str | None = Field(default=None, max_length=200)
    recipient_address: str | None = Field(default=None, max_length=500)
    yuan: Literal["元", "圆"] = "元"


class IssueLetter(RootModel[per_kind("IssueLetter", LetterOptions)]):  # type: ignore[misc]
    """``kind`` (one of GET /letter-kinds) with that kind's own ``fields``."""


class LetterPublic(BaseModel):
    id: str
    case_id: str
    kind: str
    title: str
    template_version: int
    recipient_party: str
    recipient_name: str
    content_sha256: str
    size_bytes: int
    issued_at: UtcDatetime
    issued_by: str | None = Field(description="The member of staff; not shown to banks")
    issued_why: str
    dispatch: dict[str, Any] | None = None
    delivery: dict[str, Any] | None = None
    evidence: list[EvidencePublic] = []


class BatchCases(BaseModel):
    case_ids: list[str] = Field(
        min_length=1, description="Cases to write to (at most LETTERS_BATCH_MAX_CASES)"
    )


class BatchIn(RootModel[per_kind("BatchIn", BatchCases)]):  # type: ignore[misc]
    """One ``kind`` with that kind's own ``fields``, the same for every letter."""


class BatchOutcome(BaseModel):
    issued: dict[str, str] = Field(description="case id → letter id")
    skipped: dict[str, str] = Field(description="case id → why no letter")
