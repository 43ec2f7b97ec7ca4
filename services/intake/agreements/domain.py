"""How long an agreement's material is kept, and so when a client may be purged (dates
in Asia/Shanghai; no clock: today is a parameter)."""

from __future__ import annotations

from datetime import date, timedelta

RETENTION_YEARS = 5


def retention_until(end_date: date) -> date:
    """All material is kept until 5 years after the agreement ends (29 Feb -> 28 Feb)."""
    try:
        return end_date.replace(year=end_date.year + RETENTION_YEARS)
    except ValueError:
        return end_date.replace(year=end_date.year + RETENTION_YEARS, day=28)


def purge_not_due(end_dates: list[date], today: date) -> str | None:
    """Why a client's material may not be purged yet on ``today`` (Asia/Shanghai), or None
    when it may: every agreement's material is kept until its end date + 5 years, that day
    included, so the latest agreement decides; a client with no agreement has no date."""
    if not end_dates:
        return "the client has no agreement, so no retention date: nothing may be purged"
    until = max(retention_until(end) for end in end_dates)
    if today <= until:
        return (
            f"material is kept until {until.isoformat()} (5 years after the latest agreement "
            f"ends, {max(end_dates).isoformat()}); a purge is possible from "
            f"{(until + timedelta(days=1)).isoformat()}"
        )
    return None


def latest_retention(end_dates: list[date]) -> date:
    return max(retention_until(end) for end in end_dates)
