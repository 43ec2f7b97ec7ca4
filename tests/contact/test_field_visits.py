"""A visit ordered in assignment (FieldVisitOrdered) is reported here by the field collector
named in the order — not the case's collector — with its recording; the report becomes a
field-visit attempt and FieldVisitReported. Nobody else sees the visit."""

from __future__ import annotations

import hashlib
from datetime import timedelta
from typing import Any

import pytest

from shared.auth.principal import Role
from tests.events_kit import field_visit_ordered
from tests.security.kit import staff

from .conftest import ADMIN, COLLECTOR_A, COLLECTOR_B, SUPERVISOR_T1, Desk

FIELD = staff("field-1", Role.FIELD_COLLECTOR, "T3", "B1")
OTHER_FIELD = staff("field-2", Role.FIELD_COLLECTOR, "T3", "B1")
M4A = b"\x00\x00\x00\x20ftypM4A \x00\x00\x02\x00" + b"visit audio" * 300


@pytest.fixture
def visit(desk: Desk) -> str:
    ordered = field_visit_ordered(desk.clock.now, desk.case_id, FIELD.subject)
    desk.dispatch(ordered, ordered)  # redelivered: one visit
    return ordered.payload.visit_id


def report(desk: Desk, **fields: Any) -> dict[str, Any]:
    return {
        "visited_at": (desk.clock.now - timedelta(hours=1)).isoformat(),
        "place": "上海市浦东新区1号",
        "people_met": "the debtor's mother",
        "outcome": "third_party",
        "found": "debtor works in Suzhou now; mother gave a new number",
        **fields,
    }


def test_the_named_field_collector_files_the_report_with_its_recording(
    desk: Desk, visit: str
) -> None:
    mine = desk.client.get("/field-visits", headers=desk.as_(FIELD)).json()
    assert [(v["id"], v["status"]) for v in mine] == [(visit, "ordered")]
    uploaded = desk.client.post(
        f"/field-visits/{visit}/recordings",
        files={"file": ("visit.m4a", M4A, "audio/mp4")},
        headers=desk.as_(FIELD),
    )
    assert uploaded.status_code == 201, uploaded.text
    sha = uploaded.json()["sha256"]
    assert sha == hashlib.sha256(M4A).hexdigest() and uploaded.json()["visit_id"] == visit

    desk.clock.advance(hours=5)
    filed = desk.client.post(
        f"/field-visits/{visit}/report",
        json=report(desk, recording_sha256=sha),
        headers=desk.as_(FIELD),
    )
    assert filed.status_code == 200, filed.text
    kept = filed.json()
    assert (kept["status"], kept["recording_sha256"], kept["rule_breaches"]) == (
        "reported", sha, None
    )  # fmt: skip

    (reported,) = desk.events("FieldVisitReported")
    assert (reported.visit_id, reported.field_collector_id, reported.recording_sha256) == (
        visit, FIELD.subject, sha
    )  # fmt: skip
    (attempted,) = desk.events("ContactAttempted")
    assert (attempted.channel, attempted.collector_id, attempted.recording_sha256) == (
        "field_visit", FIELD.subject, sha
    )  # fmt: skip
    (logged,) = desk.get("/attempts").json()
    assert logged["id"] == kept["attempt_id"] and logged["used"] == "上海市浦东新区1号"
    heard = desk.client.get(
        f"/cases/{desk.case_id}/recordings/{sha}", headers=desk.as_(COLLECTOR_A)
    )
    assert heard.status_code == 200 and heard.content == M4A
    again = desk.client.post(
        f"/field-visits/{visit}/report", json=report(desk), headers=desk.as_(FIELD)
    )
    assert again.status_code == 409


def test_only_the_named_field_collector_reports_and_strangers_see_nothing(
    desk: Desk, visit: str
) -> None:
    for who in (COLLECTOR_A, SUPERVISOR_T1, ADMIN):
        assert desk.client.get(f"/field-visits/{visit}", headers=desk.as_(who)).status_code == 200
        refused = desk.client.post(
            f"/field-visits/{visit}/report", json=report(desk), headers=desk.as_(who)
        )
        assert refused.status_code == 403, who
    for who in (OTHER_FIELD, COLLECTOR_B):
        assert desk.client.get(f"/field-visits/{visit}", headers=desk.as_(who)).status_code == 404
        hidden = desk.client.post(
            f"/field-visits/{visit}/report", json=report(desk), headers=desk.as_(who)
        )
        assert hidden.status_code == 404
        assert desk.client.get("/field-visits", headers=desk.as_(who)).json() == []
    assert desk.get("/attempts").json() == [] and desk.events("FieldVisitReported") == []
    assert desk.client.get(f"/cases/{desk.case_id}", headers=desk.as_(FIELD)).status_code == 404


def test_a_visit_in_quiet_hours_is_recorded_with_the_rule_it_broke(desk: Desk, visit: str) -> None:
    night = desk.clock.now.replace(hour=14)  # 22:00 in Shanghai
    desk.clock.now = night + timedelta(hours=2)
    filed = desk.client.post(
        f"/field-visits/{visit}/report",
        json=report(desk, visited_at=night.isoformat()),
        headers=desk.as_(FIELD),
    )
    assert filed.status_code == 200, filed.text
    assert filed.json()["rule_breaches"] == "quiet_hours"
