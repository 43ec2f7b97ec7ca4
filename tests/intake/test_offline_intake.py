"""Offline intake: after a bank's data transfer failed, the admin posts the file carried in
and the batch names the incident; a bank cannot mark its own upload offline."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.intake.conftest import case_file, register_bank


def test_the_admin_posts_the_file_carried_in_as_offline_intake(
    intake: TestClient, admin: dict[str, str]
) -> None:
    bank = register_bank(intake, admin, "ICBC-SH")
    content = case_file(("A-1", "张三", "100"))
    form = {"offline_incident_id": "in-transfer-1"}
    upload = {"file": ("carried-in.csv", content, "text/csv")}
    refused = intake.post("/clients/ICBC-SH/case-files", files=upload, data=form, headers=bank)
    assert refused.status_code == 403 and "admin" in refused.json()["detail"]

    posted = intake.post("/clients/ICBC-SH/case-files", files=upload, data=form, headers=admin)
    assert posted.status_code == 201, posted.text
    assert posted.json()["offline_incident_id"] == "in-transfer-1"
    assert posted.json()["rows_imported"] == 1
    again = intake.get(posted.json()["url"], headers=bank)
    assert again.json()["offline_incident_id"] == "in-transfer-1"
