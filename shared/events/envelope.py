"""The envelope every event travels in (attribute names after CloudEvents where they fit)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, ClassVar, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field


class Payload(BaseModel):
    """Base of every event payload: immutable, and tolerant of fields added in later versions."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    event_type: ClassVar[str]
    event_version: ClassVar[int] = 1
    producer: ClassVar[str]
    summary: ClassVar[str] = ""


P = TypeVar("P", bound=Payload)


class Envelope(BaseModel, Generic[P]):
    """Routing and tracing facts about one event. It never carries personal data."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    event_id: uuid.UUID = Field(description="Unique id; consumers deduplicate on it.")
    type: str = Field(description="Event type, e.g. CaseImported.")
    version: int = Field(default=1, ge=1, description="Payload schema version.")
    occurred_at: datetime = Field(description="When the fact happened, UTC.")
    producer: str = Field(description="Service that published the event.")
    correlation_id: str | None = Field(
        default=None, description="Id of the request or flow that started the chain."
    )
    causation_id: str | None = Field(
        default=None, description="event_id of the event that caused this one, if any."
    )
    case_id: str | None = Field(
        default=None, description="Case the event is about; also the partition key."
    )
    payload: P


class RawEnvelope(Envelope[Any]):
    """An envelope read before its type is known (payload still a plain mapping)."""

    payload: dict[str, Any]
