"""Every write of every service, tried by the wrong people with a valid body, changes
nothing.

The writes come from each service's own OpenAPI document, and each must have a valid
body below (a write added later fails the first test until it gets one). Each is sent
by every caller outside the seeded objects' reach: a collector of the same team who does
not hold the case, team 2's collector, field collector, lead and supervisor (real staff,
team 2 really theirs), branch 2's manager, and the other bank by key and by token. None
may succeed, and each service's whole database (its audit trail aside) is compared
before and after: nothing may have changed. A caller whose reach on the write is ``all``
(the declared scope says so, e.g. a supervisor setting a product's ladder) is not a
wrong person for it; the right callers' success is what the service tests show.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import MetaData, select

from shared.auth.policy import reach
from shared.auth.principal import Principal, Role, Scope
from shared.auth.web import WRITES, AccessRule, access_rule_of, api_routes, declared_scope

from .conftest import AGREEMENT, World
from .kit import staff

# Writes a caller makes about themselves: the wrong person is nobody but the anonymous.
ABOUT_ONESELF = {
    ("POST", "/auth/bank-token"): "a bank exchanges its own key for a token",
    ("POST", "/reports/submissions"): "a member of staff submits their own report",
    ("POST", "/blacklist/search"): "a search: a bank sees only its own entries",
}
# Writes on many objects at once answer for each: a case out of reach is skipped, named.
PER_ITEM = {("POST", "/letters/batches"): "skipped"}
# Refused for who the caller is, before the body is looked at in any detail: a 422 would
# mean the body is not valid, so the walk would not have tried the write at all.
REFUSALS = {401, 403, 404}
NOT_COMPARED = {"audit_log"}  # the refused call is recorded there, as it should be
WAV = b"RIFF\x24\x08\x00\x00WAVEfmt " + bytes(64)
PNG = b"\x89PNG\r\n\x1a\n" + bytes(64)
TODAY = datetime.now(UTC).date()
SOON = (TODAY + timedelta(days=1)).isoformat()
RULE = {"name": "take BANK-A", "team_id": "T2", "client_id": "BANK-A", "position": 0}
LETTER = {"kind": "overdue_notice"}
Body = Callable[[World], dict[str, Any]]
# Path ids of objects the world does not make: filled with ids that name nothing.
NAMING_NOTHING = ("incident_id", "agency_id", "placement_id", "branch_id")


def _json(body: dict[str, Any] | Callable[[World], dict[str, Any]]) -> Body:
    return lambda w: {"json": body(w) if callable(body) else body}


def _file(name: str, content: bytes, **data: str) -> Body:
    return lambda _w: {"files": {"file": (name, content)}, "data": data or None}


BODIES: dict[tuple[str, str], Body] = {
    ("POST", "/clients"): _json({"id": "BANK-Z", "name": "Z bank"}),
    ("POST", "/clients/{client_id}/api-keys"): _json({"label": "mine now"}),
    ("DELETE", "/clients/{client_id}/api-keys/{key_id}"): _json({}),
    ("POST", "/clients/{client_id}/agreements"): _json({**AGREEMENT, "number": "HT-X"}),
    ("POST", "/clients/{client_id}/purges"): _json({"reason": "retention ended"}),
    ("PATCH", "/clients/{client_id}/agreements/{agreement_id}"): _json({"status": "ended"}),
    ("POST", "/clients/{client_id}/case-files"): _file(
        "b.csv", "卡号,姓名,欠款总额\nB-1,某人,10.00\n".encode()
    ),
    ("POST", "/clients/{client_id}/cases/{account_ref}/recall"): _json({"reason": "x"}),
    ("POST", "/clients/{client_id}/cases/{account_ref}/adjustments"): _json({"total_owed": "1.00"}),
    ("POST", "/clients/{client_id}/payments"): _json(
        {
            "account_ref": "A-1",
            "transaction_ref": "T-1",
            "amount": "10.00",
            "paid_at": datetime.now(UTC).isoformat(),
        }
    ),
    ("POST", "/clients/{client_id}/payment-files"): _file(
        "p.csv", b"account_ref,transaction_ref,amount,paid_at\nA-1,T-2,1.00,2026-11-01\n"
    ),
    ("POST", "/auth/bank-token"): _json({}),
    ("POST", "/staff"): _json(
        {"username": "mole", "name": "mole", "role": "admin", "password": "a-long-password"}
    ),
    ("PATCH", "/staff/{staff_id}"): _json({"team_id": "T2", "capacity": 1}),
    ("POST", "/teams"): _json({"id": "T9", "name": "T9"}),
    ("PATCH", "/teams/{team_id}"): _json({"name": "renamed"}),
    ("POST", "/rules"): _json(RULE),
    ("PUT", "/rules/{rule_id}"): _json(RULE),
    ("DELETE", "/rules/{rule_id}"): _json({}),
    ("POST", "/cases/{case_id}/assignment"): _json(
        lambda w: {"collector_id": w.staff_ids["lead_two"], "reason": "mine"}
    ),
    ("POST", "/handovers"): _json(
        lambda w: {"from_collector_id": w.params["staff_id"], "reason": "left"}
    ),
    ("POST", "/field-visits"): _json(
        lambda w: {
            "field_collector_id": w.staff_ids["field_b"],
            "visits": [{"case_id": w.params["case_id"], "purpose": "x"}],
        }
    ),
    ("PUT", "/field-visits/{visit_id}/plan"): _json(
        {"planned_for": f"{SOON}T02:00:00Z", "place": "x", "people": "x"}
    ),
    ("POST", "/field-visits/{visit_id}/delay"): _json({"until": SOON, "reason": "x"}),
    ("POST", "/field-visits/{visit_id}/result"): _json({"result": "x"}),
    ("POST", "/field-visits/{visit_id}/sign-off"): _json({}),
    ("POST", "/field-visits/{visit_id}/quiet-hours"): _json(
        {"planned_for": f"{SOON}T14:00:00Z", "reason": "x"}
    ),
    ("PUT", "/strategy/ladders/{product_type}"): _json({"steps": []}),
    ("PUT", "/cases/{case_id}/strategy"): _json({"debtor_type": "unwilling"}),
    ("POST", "/cases/{case_id}/approvals"): _json({"kind": "waiver", "reason": "x"}),
    ("POST", "/approvals/{approval_id}/grant"): _json({"note": "x"}),
    ("POST", "/approvals/{approval_id}/reject"): _json({"reason": "x"}),
    ("POST", "/cases/{case_id}/costs"): _json(
        {"kind": "travel", "amount": "1.00", "incurred_on": TODAY.isoformat()}
    ),
    ("POST", "/blacklist/search"): _json({"id_number": "110101199003071233"}),
    ("POST", "/calendar/years/{year}"): _json({"days": []}),
    ("POST", "/calendar/years/{year}/file"): _file("c.csv", b"date,kind,name\n"),
    ("POST", "/cases/{case_id}/contact-check"): _json({"channel": "phone", "party": "debtor"}),
    ("POST", "/cases/{case_id}/attempts"): _json(
        {
            "channel": "phone",
            "direction": "inbound",
            "party": "debtor",
            "started_at": datetime.now(UTC).isoformat(),
            "outcome": "no_answer",
            "late_reason": "walk",
        }
    ),
    ("POST", "/cases/{case_id}/recordings"): _file("b.wav", WAV),
    ("POST", "/cases/{case_id}/promises"): _json({"amount": "10.00", "due_on": SOON}),
    ("POST", "/cases/{case_id}/contact-details"): _json(
        {"kind": "phone", "value": "13800138000", "source": "debtor"}
    ),
    ("PATCH", "/cases/{case_id}/contact-details/{detail_id}"): _json({"status": "invalid"}),
    ("POST", "/cases/{case_id}/disputes/{dispute_id}/resolution"): _json(
        {"outcome": "rejected", "resolution": "x"}
    ),
    ("POST", "/field-visits/{visit_id}/recordings"): _file("v.wav", WAV),
    ("POST", "/field-visits/{visit_id}/report"): _json(
        {
            "visited_at": datetime.now(UTC).isoformat(),
            "place": "x",
            "outcome": "not_found",
            "found": "x",
        }
    ),
    ("POST", "/cases/{case_id}/guarantees"): _json({"guarantor_name": "x", "starts_on": SOON}),
    ("POST", "/cases/{case_id}/letters"): _json(LETTER),
    ("POST", "/cases/{case_id}/letters/preview"): _json(LETTER),
    ("POST", "/cases/{case_id}/letters/{letter_id}/dispatch"): _json(
        {"channel": "registered_mail", "carrier": "x", "mailed_on": TODAY.isoformat()}
    ),
    ("POST", "/cases/{case_id}/letters/{letter_id}/delivery"): _json(
        {"outcome": "signed", "outcome_on": TODAY.isoformat()}
    ),
    ("POST", "/cases/{case_id}/letters/{letter_id}/evidence"): _file(
        "s.pdf", b"%PDF-1.4 x", kind="mailing_stub"
    ),
    ("PUT", "/clients/{client_id}/letterhead"): _json(
        {"name": "x", "address": "x", "phone": "x", "dispute_phone": "x"}
    ),
    ("PUT", "/clients/{client_id}/letterhead/seal"): _file("seal.png", PNG),
    ("POST", "/letters/batches"): _json(
        lambda w: {"kind": "overdue_notice", "case_ids": [w.params["case_id"]]}
    ),
    ("POST", "/reports/submissions"): _json({"report": "collector_weekly", "on": "2026-11-23"}),
    ("POST", "/reports/submissions/{submission_id}/approve"): _json({"note": "x"}),
    ("POST", "/reports/submissions/{submission_id}/return"): _json({"note": "x"}),
    ("POST", "/admin/rebuild"): _json({}),
    # The emergency channel (intake)
    ("PUT", "/clients/{client_id}/agreements/{agreement_id}/emergency-endpoint"): _json(
        {"url": "https://alerts.bank.example/hook"}
    ),
    ("PUT", "/clients/{client_id}/agreements/{agreement_id}/emergency-endpoint/topics"): _json(
        {"topics": []}
    ),
    ("POST", "/clients/{client_id}/emergency-secret"): _json({}),
    # Incidents and agencies (assignment); objects not made by the world are looked up by
    # ids that name nothing, so these are refused as the wrong person or as not found.
    ("POST", "/incidents"): _json(
        lambda w: {"kind": "outage", "what": "x", "case_id": w.params["case_id"]}
    ),
    ("POST", "/field-visits/{visit_id}/emergency"): _json({"what": "x"}),
    ("POST", "/incidents/{incident_id}/log"): _json({"entry": "action", "note": "x"}),
    ("POST", "/incidents/{incident_id}/resolve"): _json({"resolution": "x", "outcome": "x"}),
    ("PUT", "/agencies/{agency_id}"): _json(
        {"name": "x", "commission_rate": "0.1000", "term_days": 30}
    ),
    ("POST", "/agencies/{agency_id}/placements"): _json(
        lambda w: {"reason": "x", "case_ids": [w.params["case_id"]]}
    ),
    ("POST", "/agency-placements/{placement_id}/recall"): _json({"reason": "x"}),
    # Recordings' custody (contact)
    ("PUT", "/recordings/custodians/{branch_id}"): _json({"admin_id": "x"}),
    ("POST", "/recordings/backups"): _json({"branch_id": "B1"}),
    # Dead letters (every consuming service)
    ("POST", "/admin/dead-letters/{letter_id}/replay"): _json({}),
    ("POST", "/admin/dead-letters/{letter_id}/discard"): _json({"reason": "not needed"}),
}


def _wrong_people(world: World) -> dict[str, Principal | dict[str, str]]:
    ids = world.staff_ids
    return {
        "team 1's other collector": staff("collector-a2", Role.PHONE_COLLECTOR, "T1", "B1"),
        "team 2's collector": staff("collector-b", Role.PHONE_COLLECTOR, "T2", "B2"),
        "team 2's field collector": staff(ids["field_b"], Role.FIELD_COLLECTOR, "T2", "B2"),
        "team 2's lead": staff(ids["lead_two"], Role.TEAM_LEAD, "T2", "B2"),
        "team 2's supervisor": staff(ids["sup_two"], Role.SUPERVISOR, "T2", "B2"),
        "branch 2's manager": staff("manager-2", Role.BRANCH_MANAGER, None, "B2"),
        "the other bank's key": {"X-API-Key": world.bank_b_key},
        "the other bank's token": world.bank("other"),
    }


def _writes(world: World) -> list[tuple[str, str, str, AccessRule, Scope | None]]:
    found = []
    for name, client in world.clients.items():
        for route in api_routes(client.app):
            rule = access_rule_of(route.dependant)
            for method in sorted(route.methods & WRITES):
                if rule is not None and not rule.public:
                    found.append((name, method, route.path, rule, declared_scope(route.dependant)))
    return found


def _fill(world: World, path: str) -> str:
    for key, value in world.params.items():
        path = path.replace("{" + key + "}", value)
    for key in NAMING_NOTHING:
        path = path.replace("{" + key + "}", "no-such-" + key.removesuffix("_id"))
    return path.replace("{year}", str(TODAY.year + 1))


def _may_anyway(who: Principal | dict[str, str], rule: AccessRule, scope: Scope | None) -> bool:
    """Whether the declaration lets this caller act on anything (their reach is all)."""
    if not isinstance(who, Principal) or who.role not in rule.roles:
        return False
    return reach(who, scope) is Scope.ALL


def _snapshot(client: TestClient) -> dict[str, list[tuple[Any, ...]]]:
    runtime = client.app.state.runtime  # type: ignore[attr-defined]
    with runtime.db.reader() as session:
        tables = MetaData()
        tables.reflect(session.get_bind())
        return {
            name: sorted(map(tuple, session.execute(select(table)).all()), key=repr)
            for name, table in tables.tables.items()
            if name not in NOT_COMPARED
        }


def _changed(before: dict[str, list], after: dict[str, list]) -> list[str]:
    return [
        name for name in sorted(before.keys() | after.keys()) if before.get(name) != after.get(name)
    ]


def test_every_write_has_a_valid_body_to_try(world: World) -> None:
    writes = {(method, path) for _, method, path, _, _ in _writes(world)}
    assert writes - BODIES.keys() == set(), "add a valid body for each new write"
    assert BODIES.keys() - writes == set(), "a write listed here no longer exists"


def test_the_wrong_people_change_nothing_by_any_write(world: World) -> None:
    people = _wrong_people(world)
    failures: list[str] = []
    tried = 0
    for service, method, path, rule, scope in _writes(world):
        if (method, path) in ABOUT_ONESELF:
            continue
        client = world.clients[service]
        before = _snapshot(client)
        for label, who in people.items():
            if _may_anyway(who, rule, scope):
                continue
            headers = world.keys.headers(who) if isinstance(who, Principal) else who
            answer = client.request(
                method, _fill(world, path), headers=headers, **BODIES[(method, path)](world)
            )
            tried += 1
            if (method, path) in PER_ITEM and answer.status_code == 201:
                passed_over = answer.json()[PER_ITEM[(method, path)]]
                if passed_over == {world.params["case_id"]: "case not found"}:
                    continue
            if answer.status_code not in REFUSALS:
                failures.append(f"{label}: {method} {path} -> {answer.status_code} {answer.text}")
        changed = _changed(before, _snapshot(client))
        if changed:
            failures.append(f"{service} {method} {path} changed {changed}")
    assert failures == []
    assert tried > 300


def test_the_right_person_changes_what_the_walk_compares(world: World) -> None:
    """The comparison can fail: the same kind of write by the case's holder changes the
    database."""
    assert world.collector_a is not None
    contact = world.clients["contact"]
    before = _snapshot(contact)
    path = _fill(world, "/cases/{case_id}/contact-details")
    body = BODIES[("POST", "/cases/{case_id}/contact-details")](world)
    answer = contact.post(path, headers=world.keys.headers(world.collector_a), **body)
    assert answer.status_code == 201, answer.text
    assert "contact_details" in " ".join(_changed(before, _snapshot(contact)))
