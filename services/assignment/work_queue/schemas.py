"""What the work queue routes take and give."""

from __future__ import annotations

from decimal import Decimal

from pydantic import BaseModel, Field

from shared.clock import UtcDatetime
from shared.pastdue import Bucket
from shared.web.paging import CURSOR_PATTERN


class QueueItem(BaseModel):
    case_id: str
    client_id: str
    collector_id: str
    team_id: str | None
    next_action: str | None
    next_channel: str | None
    next_action_due: UtcDatetime | None
    overdue: bool = Field(description="The next action's due time has passed")
    product_type: str | None
    bucket: Bucket = Field(description="Today (shared.pastdue): M0, M1 (1–30 days) … M7+")
    amount: Decimal | None
    treatment: str | None
    assigned_at: UtcDatetime | None


class QueuePage(BaseModel):
    items: list[QueueItem]
    next_cursor: str | None = Field(
        description="Pass as `after` for the next page; null at the end", pattern=CURSOR_PATTERN
    )
