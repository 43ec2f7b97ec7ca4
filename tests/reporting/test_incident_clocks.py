"""Incidents' clocks as SLA breaches: an outage must be resolved within 12 hours of when it
began (one still open counts once the report's end is past that); a field emergency's
supervisor must be told within 30 minutes of when it happened."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from shared.events.catalog import IncidentReported, IncidentResolved
from tests.reporting.conftest import ADMIN, SUPERVISOR_T1, Desk
from tests.reporting.scenario import cst, october


def reported(
    incident: str, kind: str, began: datetime, raised: datetime, **extra
) -> IncidentReported:
    return IncidentReported(
        incident_id=incident, kind=kind, what="…", raised_by=extra.pop("by", "admin-1"),
        occurred_at=began, raised_at=raised, **extra,
    )  # fmt: skip


def resolved(incident: str, kind: str, began: datetime, at: datetime) -> IncidentResolved:
    return IncidentResolved(
        incident_id=incident, kind=kind, occurred_at=began, resolved_at=at, resolved_by="hq-1",
        resolution="restored", outcome="no data lost",
    )  # fmt: skip


def test_outages_past_12_hours_and_emergencies_told_late_are_breaches(
    make_desk: Callable[..., Desk],
) -> None:
    s = october()
    began = cst("10-08", "08:00")
    # in time: resolved after 11 hours; resolved first in the log, reported after it
    s.add(resolved("O-1", "outage", began, cst("10-08", "19:00")), cst("10-08", "19:00"))
    s.add(reported("O-1", "outage", began, cst("10-08", "08:10")), cst("10-08", "08:10"))
    # late: resolved after 14 hours
    s.add(reported("O-2", "outage", began, cst("10-08", "08:10")), cst("10-08", "08:10"))
    s.add(resolved("O-2", "outage", began, cst("10-08", "22:00")), cst("10-08", "22:00"))
    # still open at the end of the month
    s.add(
        reported("O-3", "outage", cst("10-30", "09:00"), cst("10-30", "09:05")),
        cst("10-30", "09:05"),
    )
    # field emergencies: raised 10 minutes after (in time) and 2 hours after (late)
    for name, raised in (("F-1", cst("10-09", "10:10")), ("F-2", cst("10-09", "12:00"))):
        s.add(
            reported(name, "field_emergency", cst("10-09", "10:00"), raised, by="f-1",
                     team_id="T1", supervisor_id="s-1", supervisor_told_at=raised),
            raised,
            "B",
        )  # fmt: skip
    desk = make_desk(s)

    rows = desk.json("/reports/sla-breaches", ADMIN, period="month", on="2026-10-09")
    rows = rows["sections"][0]["rows"]
    found = [
        (b["kind"], b["who"], b["due"], b["actual"])
        for b in rows
        if b["kind"].startswith("incident")
    ]
    assert found == [
        ("incident_outage", "admin-1", "2026-10-08T20:00:00+08:00", "2026-10-08T22:00:00+08:00"),
        (
            "incident_tell_supervisor",
            "f-1",
            "2026-10-09T10:30:00+08:00",
            "2026-10-09T12:00:00+08:00",
        ),
        ("incident_outage", "admin-1", "2026-10-30T21:00:00+08:00", None),
    ]
    team = desk.json("/reports/sla-breaches", SUPERVISOR_T1, period="month", on="2026-10-09")
    kinds = [b["kind"] for b in team["sections"][0]["rows"] if b["kind"].startswith("incident")]
    assert kinds == [], "scoped like every breach: f-1 is outside the supervisor's collectors"
