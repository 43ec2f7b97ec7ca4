"""The emergency channel's bodies and answers: an endpoint and its topics, a rotated
secret, a notification with its delivery attempts."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from services.intake.emergency.domain import Topic
from services.intake.emergency.models import EmergencyEndpoint
from shared.clock import UtcDatetime


class EndpointBody(BaseModel):
    url: str = Field(
        max_length=500,
        description="The bank's HTTPS endpoint (plain HTTP to loopback outside production)",
        examples=["https://alerts.bank.example/collections"],
    )
    topics: list[Topic] = Field(
        default_factory=list,
        max_length=len(Topic),
        description="Events the bank also wants; the incidents it must be told of always go",
    )


class TopicsBody(BaseModel):
    topics: list[Topic] = Field(max_length=len(Topic))


class EndpointPublic(BaseModel):
    agreement_id: str
    client_id: str
    url: str
    topics: list[str]
    active: bool
    updated_at: UtcDatetime
    secret: str | None = Field(
        default=None, description="The client's signing secret: shown once, when it is made"
    )

    @classmethod
    def of(cls, found: EmergencyEndpoint, secret: str | None = None) -> EndpointPublic:
        return cls(
            agreement_id=found.agreement_id,
            client_id=found.client_id,
            url=found.url,
            topics=found.topics,
            active=found.active,
            updated_at=found.updated_at,
            secret=secret,
        )


class SecretPublic(BaseModel):
    secret: str = Field(description="Shown once; sign-checks use it from now on")
    created_at: UtcDatetime
    previous_valid_until: UtcDatetime = Field(
        description="Until when notifications also carry a signature by the secrets before it"
    )


class AttemptPublic(BaseModel):
    at: UtcDatetime
    status_code: int | None
    latency_ms: int
    error: str | None


class NotificationPublic(BaseModel):
    id: str
    event_id: str = Field(description="Sent as webhook-id: the bank de-duplicates on it")
    event_type: str
    agreement_id: str
    case_id: str | None
    state: Literal["pending", "delivered", "failed"]
    attempts: int
    created_at: UtcDatetime
    next_attempt_at: UtcDatetime | None
    delivered_at: UtcDatetime | None
    failed_at: UtcDatetime | None
    last_status: int | None
    last_error: str | None
    log: list[AttemptPublic]
