"""Intake over HTTP: back office registers clients and keys; banks reach only their own."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable

from fastapi.testclient import TestClient
from sqlalchemy import select, update

from services.intake.clients.models import Client
from services.intake.models import SECURITY
from shared.auth.principal import Role
from shared.errors import PROBLEM_JSON
from tests.intake.conftest import case_file, post_file, register_bank

ID_NUMBER = "110101199003077571"
PHONE = "13800138000"


def _problem(answer, status: int) -> dict:  # type: ignore[no-untyped-def]
    assert answer.status_code == status, answer.text
    assert answer.headers["content-type"].startswith(PROBLEM_JSON)
    body = answer.json()
    assert body["status"] == status and body["title"]
    return body


def test_admin_registers_a_client_and_creates_a_key_shown_once(
    intake: TestClient, admin: dict[str, str]
) -> None:
    created = intake.post(
        "/clients", json={"id": "ICBC-SH", "name": "ICBC Shanghai", "kind": "bank"}, headers=admin
    )
    assert created.status_code == 201, created.text
    assert created.json()["active"] is True
    _problem(intake.post("/clients", json={"id": "ICBC-SH", "name": "again"}, headers=admin), 409)
    _problem(intake.post("/clients", json={"id": "bad id!", "name": "x"}, headers=admin), 422)

    made = intake.post("/clients/ICBC-SH/api-keys", json={"label": "nightly"}, headers=admin)
    assert made.status_code == 201, made.text
    body = made.json()
    key = body["key"]
    assert key.startswith(f"ck_{body['prefix']}_") and len(body["prefix"]) == 8
    assert len(key) > 40

    listing = intake.get("/clients/ICBC-SH/api-keys", headers=admin)
    assert listing.status_code == 200
    [entry] = listing.json()
    assert entry["id"] == body["id"] and entry["prefix"] == body["prefix"]
    assert "key" not in entry and "key_hash" not in entry
    assert key not in listing.text and key[12:] not in listing.text
    assert [c["id"] for c in intake.get("/clients", headers=admin).json()["items"]] == ["ICBC-SH"]
    assert intake.get("/clients/ICBC-SH", headers=admin).json()["name"] == "ICBC Shanghai"
    _problem(intake.post("/clients/NOPE/api-keys", json={"label": "x"}, headers=admin), 404)


def test_bank_posts_a_file_and_reads_its_batch_and_case(
    intake: TestClient, admin: dict[str, str]
) -> None:
    bank = register_bank(intake, admin, "ICBC-SH")
    posted = post_file(intake, "ICBC-SH", case_file(("A-1", "张三", "1,234.50")), bank)
    assert posted.status_code == 201, posted.text
    batch = posted.json()
    assert batch["rows_imported"] == 1 and batch["state"] == "completed"
    again = post_file(intake, "ICBC-SH", case_file(("A-1", "张三", "1,234.50")), bank)
    assert again.status_code == 200 and again.json()["id"] == batch["id"]

    read = intake.get(f"/clients/ICBC-SH/case-files/{batch['id']}", headers=bank)
    assert read.status_code == 200 and read.json()["rows_total"] == 1
    case = intake.get("/clients/ICBC-SH/cases/A-1", headers=bank)
    assert case.status_code == 200, case.text
    assert case.json()["id_number"] == ID_NUMBER  # the bank sent it: it sees it in full
    assert case.json()["phone"] == PHONE
    assert case.json()["debtor_name"] == "张三"
    assert intake.get("/clients/ICBC-SH", headers=bank).json()["id"] == "ICBC-SH"

    runtime = intake.app.state.runtime  # type: ignore[attr-defined]
    table = SECURITY.case_visibility
    with runtime.db.reader() as session:
        rows = session.execute(select(table.c.case_id, table.c.client_id)).all()
    assert [(r.case_id, r.client_id) for r in rows] == [(case.json()["id"], "ICBC-SH")]


def test_another_bank_gets_404_on_every_resource_of_the_first(
    intake: TestClient, admin: dict[str, str]
) -> None:
    first = register_bank(intake, admin, "ICBC-SH")
    second = register_bank(intake, admin, "CMB-BJ")
    batch = post_file(intake, "ICBC-SH", case_file(("A-1", "张三", "100")), first).json()
    key_id = intake.get("/clients/ICBC-SH/api-keys", headers=admin).json()[0]["id"]

    def as_second(client_id: str) -> list:  # type: ignore[type-arg]
        return [
            post_file(intake, client_id, case_file(("B-1", "李四", "5")), second),
            intake.get(f"/clients/{client_id}/case-files/{batch['id']}", headers=second),
            intake.get(f"/clients/{client_id}/cases/A-1", headers=second),
            intake.get(f"/clients/{client_id}", headers=second),
        ]

    others = as_second("ICBC-SH")
    missing = as_second("NO-SUCH-CLIENT")
    for other, absent in zip(others, missing, strict=True):
        body = _problem(other, 404)
        body.pop("instance")  # the caller's own path, echoed
        assert body == {k: v for k, v in _problem(absent, 404).items() if k != "instance"}
        assert "张三" not in str(body) and "A-1" not in str(body)  # no existence leak
    for denied in (
        intake.get("/clients/ICBC-SH/api-keys", headers=second),
        intake.post("/clients/ICBC-SH/api-keys", json={"label": "x"}, headers=second),
        intake.delete(f"/clients/ICBC-SH/api-keys/{key_id}", headers=second),
        intake.get("/clients", headers=second),
        intake.post("/clients", json={"id": "X", "name": "x"}, headers=second),
        intake.get("/audit", headers=second),
    ):
        assert denied.status_code in (403, 404), denied.text
    # nothing of the second bank's attempt landed with the first
    assert intake.get("/clients/ICBC-SH/cases/B-1", headers=first).status_code == 404
    assert intake.get("/clients/ICBC-SH/cases/A-1", headers=first).status_code == 200


def test_revoked_key_gets_401_and_rotation_keeps_the_bank_working(
    intake: TestClient, admin: dict[str, str]
) -> None:
    old = register_bank(intake, admin, "ICBC-SH")
    assert intake.get("/clients/ICBC-SH", headers=old).status_code == 200
    new = intake.post("/clients/ICBC-SH/api-keys", json={"label": "rotated"}, headers=admin)
    new_headers = {"X-API-Key": new.json()["key"]}
    old_id = next(
        k["id"]
        for k in intake.get("/clients/ICBC-SH/api-keys", headers=admin).json()
        if k["label"] == "uploads"
    )
    assert intake.delete(f"/clients/ICBC-SH/api-keys/{old_id}", headers=admin).status_code == 204
    assert intake.delete(f"/clients/ICBC-SH/api-keys/{old_id}", headers=admin).status_code == 204
    _problem(intake.delete("/clients/ICBC-SH/api-keys/nope", headers=admin), 404)

    body = _problem(intake.get("/clients/ICBC-SH", headers=old), 401)
    assert "revoked" in body["detail"]
    _problem(post_file(intake, "ICBC-SH", case_file(("A-1", "张三", "1")), old), 401)
    assert intake.get("/clients/ICBC-SH", headers=new_headers).status_code == 200
    listed = {k["id"]: k for k in intake.get("/clients/ICBC-SH/api-keys", headers=admin).json()}
    assert listed[old_id]["revoked_at"] is not None
    assert listed[new.json()["id"]]["revoked_at"] is None


def test_a_deactivated_client_loses_its_keys_and_takes_no_files(
    intake: TestClient, admin: dict[str, str]
) -> None:
    bank = register_bank(intake, admin, "ICBC-SH")
    runtime = intake.app.state.runtime  # type: ignore[attr-defined]
    with runtime.db.transaction() as session:
        session.execute(update(Client).where(Client.id == "ICBC-SH").values(active=False))
    _problem(intake.get("/clients/ICBC-SH", headers=bank), 401)
    body = _problem(post_file(intake, "ICBC-SH", case_file(("A-1", "张三", "1")), admin), 404)
    assert body["detail"] == "client not found"


def test_case_files_only_for_registered_clients(intake: TestClient, admin: dict[str, str]) -> None:
    body = _problem(post_file(intake, "NOBODY", case_file(("A-1", "张三", "1")), admin), 404)
    assert body["detail"] == "client not found"
    register_bank(intake, admin, "ICBC-SH")
    assert post_file(intake, "ICBC-SH", case_file(("A-1", "张三", "1")), admin).status_code == 201


def test_every_intake_route_refuses_the_unauthenticated_with_401(intake: TestClient) -> None:
    spec = intake.get("/openapi.json").json()
    checked = 0
    for path, operations in spec["paths"].items():
        if path in ("/health", "/ready", "/metrics"):
            continue
        url = path.replace("{client_id}", "ICBC-SH").replace("{batch_id}", "b")
        url = url.replace("{account_ref}", "A-1").replace("{key_id}", "k")
        for method in operations:
            for headers in ({}, {"Authorization": "Bearer not-a-token"}, {"X-API-Key": "ck_x"}):
                answer = intake.request(method.upper(), url, headers=headers)
                body = _problem(answer, 401)
                assert body["detail"]
                checked += 1
    assert checked >= 3 * 9


def test_a_collector_gets_403_on_intake(
    intake: TestClient, admin: dict[str, str], token_for: Callable[..., dict[str, str]]
) -> None:
    bank = register_bank(intake, admin, "ICBC-SH")
    post_file(intake, "ICBC-SH", case_file(("A-1", "张三", "1")), bank)
    for role in (Role.PHONE_COLLECTOR, Role.TEAM_LEAD, Role.BRANCH_MANAGER):
        collector = token_for(role)
        for answer in (
            intake.get("/clients", headers=collector),
            intake.get("/clients/ICBC-SH", headers=collector),
            intake.get("/clients/ICBC-SH/cases/A-1", headers=collector),
            post_file(intake, "ICBC-SH", case_file(("A-2", "李四", "1")), collector),
        ):
            _problem(answer, 403)


def test_hq_sees_the_case_in_full(
    intake: TestClient, admin: dict[str, str], token_for: Callable[..., dict[str, str]]
) -> None:
    bank = register_bank(intake, admin, "ICBC-SH")
    post_file(intake, "ICBC-SH", case_file(("A-1", "张三", "1")), bank)
    case = intake.get("/clients/ICBC-SH/cases/A-1", headers=token_for(Role.HQ)).json()
    assert (case["id_number"], case["phone"], case["debtor_name"]) == (ID_NUMBER, PHONE, "张三")


def test_upload_over_the_limit_answers_413(small_intake: TestClient, admin: dict[str, str]) -> None:
    bank = register_bank(small_intake, admin, "ICBC-SH")
    rows = [(f"A-{i}", "张三", "100") for i in range(200)]
    body = _problem(post_file(small_intake, "ICBC-SH", case_file(*rows), bank), 413)
    assert "2048" in body["detail"]
    assert post_file(small_intake, "ICBC-SH", case_file(rows[0]), bank).status_code == 201


def test_binary_upload_answers_415_whatever_its_declared_type(
    intake: TestClient, admin: dict[str, str]
) -> None:
    bank = register_bank(intake, admin, "ICBC-SH")
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))
    body = _problem(post_file(intake, "ICBC-SH", png, bank, name="cases.csv"), 415)
    assert "NUL" in body["detail"]
    not_text = b"\x80\xff\xfd\x80\x81 account,name\n"
    body = _problem(post_file(intake, "ICBC-SH", not_text, bank), 415)
    assert "neither UTF-8 nor GB18030" in body["detail"]
    utf16 = "卡号,姓名,欠款总额\n".encode("utf-16")
    body = _problem(post_file(intake, "ICBC-SH", utf16, bank), 415)
    assert "UTF-16" in body["detail"]
    assert intake.get("/clients/ICBC-SH/cases/A-1", headers=bank).status_code == 404


def test_the_banks_read_of_a_case_is_audited(intake: TestClient, admin: dict[str, str]) -> None:
    bank = register_bank(intake, admin, "ICBC-SH")
    key_id = intake.get("/clients/ICBC-SH/api-keys", headers=admin).json()[0]["id"]
    post_file(intake, "ICBC-SH", case_file(("A-1", "张三", "1")), bank)
    case_id = intake.get("/clients/ICBC-SH/cases/A-1", headers=bank).json()["id"]

    entries = intake.get("/audit", params={"case_id": case_id}, headers=admin)
    assert entries.status_code == 200, entries.text
    [entry] = entries.json()
    assert entry["subject"] == f"apikey:{key_id}"
    assert entry["subject_kind"] == "bank"
    assert entry["client_id"] == "ICBC-SH"
    assert entry["action"] == "read" and entry["outcome"] == "200"
    assert entry["path"] == "/clients/ICBC-SH/cases/A-1"
    subjects = {e["subject"] for e in intake.get("/audit", headers=admin).json()}
    assert "admin-1" in subjects  # the back office's own calls are on the trail too


def test_a_client_code_outside_the_pattern_is_refused(
    intake: TestClient, admin: dict[str, str]
) -> None:
    for path in ("/clients/a.b", "/clients/a.b/cases/A-1", "/clients/" + "x" * 65):
        _problem(intake.get(path, headers=admin), 422)


def test_a_file_refused_for_its_shape_is_not_an_unsupported_type(
    intake: TestClient, admin: dict[str, str]
) -> None:
    """A zip bomb and an over-long line are too large (413), too many columns invalid
    (422); each with the reason. Only what is no CSV/XLSX/JSONL at all is 415."""
    bank = register_bank(intake, admin, "ICBC-SH")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"\x00" * (8 * 1024 * 1024))
    bomb = _problem(post_file(intake, "ICBC-SH", buffer.getvalue(), bank, name="c.xlsx"), 413)
    assert "zip bomb" in bomb["detail"] and bomb["title"] == "Case file too large"
    long_line = "卡号,姓名,欠款总额\n".encode() + b"A-1," + b"x" * (1024 * 1024 + 10) + b",1\n"
    line = _problem(post_file(intake, "ICBC-SH", long_line, bank), 413)
    assert "line 2: longer than" in line["detail"]
    wide = ",".join(["卡号", "姓名", "欠款总额", *(f"c{i}" for i in range(1000))]).encode()
    columns = _problem(post_file(intake, "ICBC-SH", wide + b"\n", bank), 422)
    assert "more than 1000 columns" in columns["detail"]
    assert intake.get("/clients/ICBC-SH/cases/A-1", headers=bank).status_code == 404
