"""What the issuing routes take and give."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from services.letters.issuing.service import KindCode
from services.letters.proof.schemas import EvidencePublic
from shared.clock import UtcDatetime


class IssueLetter(BaseModel):
    kind: KindCode = Field(description="One of GET /letter-kinds, e.g. overdue_notice")
    fields: dict[str, Any] = Field(default_factory=dict, description="The kind's own fields")
    recipient_party: Literal["debtor", "guarantor"] | None = None
    recipient_name: str | None = Field(default=None, max_length=200)
    recipient_address: str | None = Field(default=None, max_length=500)
    yuan: Literal["元", "圆"] = "元"


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


class BatchIn(BaseModel):
    kind: KindCode
    case_ids: list[str] = Field(
        min_length=1, description="Cases to write to (at most LETTERS_BATCH_MAX_CASES)"
    )
    fields: dict[str, Any] = Field(
        default_factory=dict, description="The same fields for every letter"
    )


class BatchOutcome(BaseModel):
    issued: dict[str, str] = Field(description="case id → letter id")
    skipped: dict[str, str] = Field(description="case id → why no letter")
