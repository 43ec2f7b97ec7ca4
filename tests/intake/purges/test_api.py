"""Ordering a client's purge at intake: refused (a problem naming the date) before the
latest agreement's end date + 5 years, and without an agreement; afterwards intake
removes its part at once — personal fields, rejected rows' values, both raw-file
copies — and announces the order; a second order is refused."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import text

from services.intake.models import BUS
from shared.auth.principal import Role
from tests.intake.conftest import (
    AGREEMENT,
    case_file,
    intake_settings,
    outbox_payloads,
    post_file,
    register_bank,
    running,
)

SEVEN_YEARS = 7 * 366


def _files(root: Path) -> list[str]:
    return [name for _, _, names in os.walk(root) for name in names]


def test_a_purge_is_refused_before_retention_and_done_once_after(
    database_url: str,
    tmp_path: Path,
    key_dir: Path,
    signing_key: Ed25519PrivateKey,
    token_for: Callable[..., dict[str, str]],
) -> None:
    admin = token_for(Role.ADMIN, "admin-1")
    order = {"reason": "retention ended"}
    for client in running(intake_settings(database_url, tmp_path, key_dir)):
        assert client.post("/clients/NOBODY/purges", json=order, headers=admin).status_code == 404
        bank = register_bank(client, admin, "OLD-BANK")
        refused = client.post("/clients/OLD-BANK/purges", json=order, headers=admin)
        assert refused.status_code == 409 and "no agreement" in refused.json()["detail"]
        assert client.post("/clients/OLD-BANK/agreements", json=AGREEMENT, headers=admin)
        content = case_file(("A1", "欧阳修", "100"), ("A2", "", "-1"))
        posted = post_file(client, "OLD-BANK", content, bank)
        assert posted.status_code == 201 and posted.json()["rows_rejected"] == 1
        refused = client.post("/clients/OLD-BANK/purges", json=order, headers=admin)
        assert refused.status_code == 409, refused.text
        assert refused.headers["content-type"].startswith("application/problem+json")
        assert "kept until 2032-12-31" in refused.json()["detail"]
        assert client.post("/clients/OLD-BANK/purges", json=order, headers=bank).status_code in (
            403,
            404,
        )
    assert len(_files(tmp_path / "data")) >= 2  # the raw file, in both copies

    moved = intake_settings(database_url, tmp_path, key_dir, clock_offset_days=SEVEN_YEARS)
    for client in running(moved):
        done = client.post("/clients/OLD-BANK/purges", json=order, headers=admin)
        assert done.status_code == 202, done.text
        body = done.json()
        assert body["retention_until"] == "2032-12-31" and body["ordered_by"] == "admin-1"
        assert body["removed_here"]["cases (blanked)"] == 1
        assert body["removed_here"]["files: case files"] == 2
        (announced,) = outbox_payloads(client, "ClientPurgeOrdered")
        assert announced["payload"]["purge_id"] == body["purge_id"]
        runs = client.get("/admin/purges", headers=admin).json()["items"]
        assert [r["purge_id"] for r in runs] == [body["purge_id"]]
        again = client.post("/clients/OLD-BANK/purges", json=order, headers=admin)
        assert again.status_code == 409 and body["purge_id"] in again.json()["detail"]
        runtime = client.app.state.runtime  # type: ignore[attr-defined]
        with runtime.db.engine.connect() as conn:
            case = conn.execute(text("SELECT * FROM cases")).one()
            errors = conn.execute(text("SELECT count(*) FROM batch_errors")).scalar_one()
            sent = conn.execute(
                BUS.outbox.select().where(BUS.outbox.c.event_type == "CaseImported")
            ).all()
        assert (case.debtor_name, case.id_number, case.account_ref) == ("", None, case.id)
        assert case.total_owed == 10000, "the amount stays (whole fen)"
        assert errors == 0
        assert sent, "events not yet sent stay in the outbox"
    assert _files(tmp_path / "data") == []
