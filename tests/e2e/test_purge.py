"""The 5-year purge on the running platform (five processes, the local broker; PostgreSQL
under TEST_POSTGRES): a client with cases, contacts, calls with recordings, promises,
payments, letters with proofs and raw files; intake's clock moved past retention; the
purge ordered; then every table of every database and every file store is searched for
the client's ID numbers, names and phones and for its files — none remain — while another
client's material is untouched and the month's report totals are as before."""

from __future__ import annotations

import hashlib
import os
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import inspect, text
from sqlalchemy.engine import Engine

from deploy import purges_cli
from deploy.run_local import SERVICES, LocalPlatform
from services.intake.examples import EXAMPLES
from shared.clock import to_local
from shared.devtools.postgres import LocalPostgres
from tests.e2e.test_thin_slice import ADMIN_PASSWORD, eventually, json_when, new_bank, sign_in
from tests.faults.kit import service_databases
from tests.platform_kit import running_platform

pytestmark = [pytest.mark.e2e, pytest.mark.broker]

SAMPLES = Path(__file__).resolve().parents[2] / "docs" / "samples"
CONSUMERS = ("assignment", "contact", "letters", "reporting")


def _debtor(tag: str, n: int) -> dict[str, str]:
    """Unmistakable personal data: found anywhere, it was not purged."""
    return {
        "account": f"{tag}-{n}",
        "name": f"{'欧阳' if tag == 'OLD' else '司马'}{'一二三'[n]}旧{tag}",
        "id_number": f"3101011980{n}{'1' if tag == 'OLD' else '2'}0{n}123X",
        "phone": f"13{'5' if tag == 'OLD' else '6'}0077{n}{n}{n}{n}",
        "contact": f"{'诸葛' if tag == 'OLD' else '上官'}联系{n}",
        "contact_phone": f"13{'7' if tag == 'OLD' else '8'}1166{n}{n}{n}{n}",
        "address": f"{tag}市幸福路{n}号",
        "guarantor": f"{'皇甫' if tag == 'OLD' else '东方'}保证{n}",
        "guarantor_id": f"4401011975{n}{'1' if tag == 'OLD' else '2'}1{n}456X",
    }


def _case_file(debtors: list[dict[str, str]]) -> bytes:
    lines = [
        "卡号,姓名,证件号码,手机号,欠款总额,家庭地址,联系人,联系人电话,担保人,担保人证件号码,"
        "逾期日期"
    ]
    lines += [
        f'{d["account"]},{d["name"]},{d["id_number"]},{d["phone"]},"1,000.00",'
        f"{d['address']},{d['contact']},{d['contact_phone']},{d['guarantor']},"
        f"{d['guarantor_id']},2026-09-01"
        for d in debtors
    ]
    return ("\n".join(lines) + "\n").encode()


@pytest.fixture(scope="module")
def platform(
    tmp_path_factory: pytest.TempPathFactory, local_postgres: LocalPostgres | None
) -> Iterator[LocalPlatform]:
    # scheduled recordings backups every few seconds, so dated copies exist to purge
    env = {"CONTACT_RECORDINGS_BACKUP_HOURS": "0.001"}
    with running_platform(tmp_path_factory.mktemp("purge_e2e"), local_postgres, env) as running:
        yield running


def _call(case_id: str) -> bytes:
    """The sample call with the case's id after its data: each case's recording is its own."""
    return (SAMPLES / "call.wav").read_bytes() + case_id.encode()


class World:
    """One client's material, made over HTTP as people make it."""

    def __init__(self, http: httpx.Client, platform: LocalPlatform, admin: dict) -> None:
        self.http, self.platform, self.admin = http, platform, admin

    def url(self, service: str, path: str) -> str:
        return f"{self.platform.url(service)}{path}"

    def client(self, tag: str, ends_on: date) -> dict[str, Any]:
        client_id, bank = new_bank(self.http, self.platform, self.admin)
        agreement = self.http.post(
            self.url("intake", f"/clients/{client_id}/agreements"),
            headers=self.admin,
            json={
                **EXAMPLES["AgreementCreate"],
                "number": f"HT-{tag}",
                "end_date": ends_on.isoformat(),
                "column_mapping": {},
            },
        )
        assert agreement.status_code == 201, agreement.text
        debtors = [_debtor(tag, n) for n in range(2)]
        content = _case_file(debtors)
        posted = self.http.post(
            self.url("intake", f"/clients/{client_id}/case-files"),
            files={"file": (f"{tag}.csv", content, "text/csv")},
            headers=bank,
        )
        assert posted.status_code == 201 and posted.json()["rows_imported"] == 2, posted.text
        head = {"name": f"{tag}银行", "address": "上海", "phone": "021-1", "dispute_phone": "400-1"}
        made = self.http.put(
            self.url("letters", f"/clients/{client_id}/letterhead"), json=head, headers=self.admin
        )
        assert made.status_code == 200, made.text
        world: dict[str, Any] = {
            "client_id": client_id,
            "debtors": debtors,
            "files": {hashlib.sha256(content).hexdigest()},
            "cases": [],
        }
        for n, debtor in enumerate(debtors):
            case_id = self.http.get(
                self.url("intake", f"/clients/{client_id}/cases/{debtor['account']}"),
                headers=bank,
            ).json()["id"]
            world["cases"].append(case_id)
            self.work_case(case_id, debtor, world, bank, client_id, n)
        return world

    def work_case(
        self,
        case_id: str,
        debtor: dict[str, str],
        world: dict[str, Any],
        bank: dict[str, str],
        client_id: str,
        n: int,
    ) -> None:
        http, admin = self.http, self.admin
        json_when(
            http, self.url("contact", f"/cases/{case_id}"), admin, lambda b: b.get("collector_id")
        )
        json_when(
            http, self.url("letters", f"/cases/{case_id}"), admin, lambda b: b.get("collector_id")
        )
        recording = http.post(
            self.url("contact", f"/cases/{case_id}/recordings"),
            headers=admin,
            files={"file": ("call.wav", _call(case_id), "audio/wav")},
        )
        assert recording.status_code == 201, recording.text
        sha = recording.json()["sha256"]
        world["files"].add(sha)
        now = datetime.now(UTC)
        attempt = http.post(
            self.url("contact", f"/cases/{case_id}/attempts"),
            headers=admin,
            json={
                "channel": "phone",
                "direction": "inbound",
                "party": "debtor",
                "used": debtor["phone"],
                "started_at": (now - timedelta(seconds=5)).isoformat(),
                "ended_at": now.isoformat(),
                "outcome": "promise_to_pay",
                "excuse": f"{debtor['name']}说工资晚发",
                "notes": f"{debtor['name']} 住 {debtor['address']}",
                "recording_sha256": sha,
            },
        )
        assert attempt.status_code == 201, attempt.text
        promise = http.post(
            self.url("contact", f"/cases/{case_id}/promises"),
            headers=admin,
            json={
                "amount": "300.00",
                "due_on": (to_local(now).date() + timedelta(days=3)).isoformat(),
                "attempt_id": attempt.json()["id"],
            },
        )
        assert promise.status_code == 201, promise.text
        paid = http.post(
            self.url("intake", f"/clients/{client_id}/payments"),
            headers=bank,
            json={
                "account_ref": debtor["account"],
                "transaction_ref": f"TX-{uuid.uuid4().hex[:8]}",
                "amount": f"{100 + n}.25",
                "paid_at": now.isoformat(),
            },
        )
        assert paid.status_code == 201, paid.text
        letters = self.url("letters", f"/cases/{case_id}/letters")
        issued = http.post(letters, headers=admin, json={"kind": "final_notice"})
        assert issued.status_code == 201, issued.text
        letter = issued.json()
        world["files"].add(letter["content_sha256"])
        today = to_local(datetime.fromisoformat(letter["issued_at"])).date().isoformat()
        base = f"{letters}/{letter['id']}"
        sent = http.post(
            f"{base}/dispatch",
            headers=admin,
            json={
                "channel": "registered_mail",
                "carrier": "中国邮政",
                "tracking_number": f"XA{n}CN",
                "mailed_on": today,
            },
        )
        assert sent.status_code == 201, sent.text
        stub = f"\xff\xd8\xffstub of {case_id}".encode()
        proof = http.post(
            f"{base}/evidence",
            headers=admin,
            data={"kind": "mailing_stub"},
            files={"file": ("stub.jpg", stub, "image/jpeg")},
        )
        assert proof.status_code == 201, proof.text
        world["files"].add(hashlib.sha256(stub).hexdigest())


def _needles(world: dict[str, Any]) -> set[str]:
    found = set()
    for d in world["debtors"]:
        found |= {d["name"], d["id_number"], d["phone"], d["contact"], d["contact_phone"]}
        found |= {d["address"], d["guarantor"], d["guarantor_id"]}
    return found


def _cells_holding(engines: dict[str, Engine], needles: set[str]) -> list[str]:
    """Every place in every table of every service holding one of the needles."""
    hits = []
    for service, engine in engines.items():
        with engine.connect() as conn:
            for table in inspect(engine).get_table_names():
                for row in conn.execute(text(f'SELECT * FROM "{table}"')):
                    for column, value in row._mapping.items():
                        shown = (
                            value.decode("utf-8", "replace")
                            if isinstance(value, bytes)
                            else str(value)
                        )
                        hits += [f"{service}.{table}.{column}: {n}" for n in needles if n in shown]
    return hits


def _stored_files(data_dir: Path) -> Iterator[Path]:
    for folder, _dirs, names in os.walk(data_dir):
        if Path(folder).name in {"logs", "keys"}:
            continue
        for name in names:
            if ".db" not in name:
                yield Path(folder) / name


def _files_of(data_dir: Path, world: dict[str, Any]) -> list[str]:
    """Stored files that are the client's (by SHA-256, by owner folder, by content)."""
    owners = {*world["cases"], world["client_id"]}
    needles = {n.encode() for n in _needles(world)}
    hits = []
    for path in _stored_files(data_dir):
        content = path.read_bytes()
        if hashlib.sha256(content).hexdigest() in world["files"]:
            hits.append(f"{path}: a file of the client")
        if owners & set(path.relative_to(data_dir).parts):
            hits.append(f"{path}: in the client's folder")
        hits += [f"{path}: holds {n.decode()}" for n in needles if n in content]
    return hits


def _totals(http: httpx.Client, platform: LocalPlatform, admin: dict, client_id: str) -> Any:
    month = to_local(datetime.now(UTC)).strftime("%Y-%m")
    on = to_local(datetime.now(UTC)).date().isoformat()
    base = platform.url("reporting")
    statement = http.get(f"{base}/reports/reconciliation/{client_id}?month={month}", headers=admin)
    kpis = http.get(f"{base}/reports/kpis?period=month&on={on}", headers=admin)
    counts = http.get(f"{base}/reports/case-counts/{client_id}", headers=admin)
    assert statement.status_code == kpis.status_code == counts.status_code == 200
    kpi = {k: v for k, v in kpis.json().items() if k not in {"generated_at"}}
    return statement.json()["summary"], kpi, counts.json()


def test_a_client_purged_after_retention_leaves_no_trace_and_the_figures_stand(
    platform: LocalPlatform,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    http = httpx.Client(timeout=60, trust_env=False)
    admin = sign_in(http, platform, "admin", ADMIN_PASSWORD)
    assignment, contact = platform.url("assignment"), platform.url("contact")
    team = {"id": "PT1", "name": "清理组", "branch_id": "PB1"}
    assert http.post(f"{assignment}/teams", headers=admin, json=team).status_code == 201
    made = http.post(
        f"{assignment}/staff",
        headers=admin,
        json={"username": "purge.collector", "name": "周九", "role": "phone_collector",
              "team_id": "PT1", "branch_id": "PB1", "password": "a-long-password",
              "capacity": 50},
    )  # fmt: skip
    assert made.status_code == 201, made.text
    admin_id = http.get(f"{assignment}/auth/me", headers=admin).json()["id"]
    custodian = http.put(
        f"{contact}/recordings/custodians/PB1", headers=admin, json={"admin_id": admin_id}
    )
    assert custodian.status_code == 200, custodian.text
    world = World(http, platform, admin)
    ends_on = to_local(datetime.now(UTC)).date()
    old = world.client("OLD", ends_on)
    new = world.client("NEW", ends_on + timedelta(days=3650))
    client_id = old["client_id"]
    order_url = f"{platform.url('intake')}/clients/{client_id}/purges"

    def settled() -> bool:  # every payment and letter reached reporting
        summary = _totals(http, platform, admin, client_id)[0]
        return summary["payments"] == 2

    eventually(settled, timeout=120)
    time.sleep(4)  # a scheduled recordings backup has copied the recordings by now
    backed_up = http.post(f"{contact}/recordings/backups", headers=admin, json={"branch_id": "PB1"})
    assert backed_up.status_code == 201 and backed_up.json()["backed_up"] == 4, backed_up.text
    before = _totals(http, platform, admin, client_id)
    assert before[0]["recovered"] in ("201.50", 201.5)

    refused = http.post(order_url, headers=admin, json={"reason": "too early"})
    assert refused.status_code == 409, refused.text
    assert refused.headers["content-type"].startswith("application/problem+json")
    retention = (ends_on.replace(year=ends_on.year + 5)).isoformat()
    assert f"kept until {retention}" in refused.json()["detail"]

    data_dir = platform.data_dir
    with service_databases(platform) as engines:
        assert len(_cells_holding(engines, _needles(old))) > 10, "the search finds the data"
        stored = " ".join(_files_of(data_dir, old))
        for copy in (
            "/archive/",
            "/backup/",
            "/recordings/",
            "/hq-backup/",
        ):
            assert copy in stored, f"the search finds the client's files in {copy}"

        offset = (ends_on.replace(year=ends_on.year + 5) - ends_on).days + 2
        platform.restart("intake", {"INTAKE_CLOCK_OFFSET_DAYS": str(offset)})
        assert platform.wait_ready(timeout=60) == []

        for service in SERVICES:  # make purge-preview / make purges, against this platform
            monkeypatch.setenv(f"{service.upper()}_URL", platform.url(service))
        monkeypatch.setenv("AUTH_TOKEN_URL", f"{platform.url('assignment')}/auth/token")
        monkeypatch.setenv("CLIENT", client_id)
        assert purges_cli.main("preview") == 0
        shown = capsys.readouterr().out
        assert "contact: 2 cases" in shown and "evidence_files (deleted): 2" in shown

        previews = {}
        for service in SERVICES:
            answer = http.get(
                f"{platform.url(service)}/admin/purges/preview",
                params={"client_id": client_id},
                headers=admin,
            )
            assert answer.status_code == 200, answer.text
            previews[service] = answer.json()
            assert previews[service]["cases"] == 2
        assert previews["intake"]["would_remove"]["files: case files"] == 2  # both copies
        assert previews["contact"]["would_remove"]["contact_details (deleted)"] >= 2
        assert previews["contact"]["would_remove"]["files: recordings"] >= 4
        assert previews["letters"]["would_remove"]["evidence_files (deleted)"] == 2
        assert previews["reporting"]["would_remove"]["rm_cases (blanked)"] == 2
        assert _cells_holding(engines, _needles(old)), "a dry run changes nothing"

        ordered = http.post(order_url, headers=admin, json={"reason": "retention ended"})
        assert ordered.status_code == 202, ordered.text
        purge_id = ordered.json()["purge_id"]
        assert ordered.json()["retention_until"] == retention

        def finished() -> dict[str, Any]:
            runs = {}
            for service in SERVICES:
                items = http.get(f"{platform.url(service)}/admin/purges", headers=admin).json()[
                    "items"
                ]
                mine = [i for i in items if i["purge_id"] == purge_id]
                if mine:
                    runs[service] = mine[0]
            return runs if len(runs) == len(SERVICES) else {}

        runs = eventually(finished, timeout=120)
        assert purges_cli.main("runs") == 0
        assert capsys.readouterr().out.count(purge_id) == len(SERVICES)
        assert {r["ordered_by"] for r in runs.values()} == {ordered.json()["ordered_by"]}
        assert (
            runs["contact"]["removed"]["contact_details (deleted)"]
            == previews["contact"]["would_remove"]["contact_details (deleted)"]
        )

        assert _cells_holding(engines, _needles(old)) == []
        assert _files_of(data_dir, old) == []
        assert len(_cells_holding(engines, _needles(new))) > 10, "the other client is kept"
        assert {f for f in new["files"]} <= {
            hashlib.sha256(p.read_bytes()).hexdigest() for p in _stored_files(data_dir)
        }

    # reporting rebuilt from the topics (which still carry the client's events) stays purged
    reporting = platform.url("reporting")
    assert http.post(f"{reporting}/admin/rebuild", headers=admin).status_code in (200, 202)
    eventually(
        lambda: http.get(f"{reporting}/admin/rebuild", headers=admin).json()["state"] == "done",
        timeout=120,
    )
    with service_databases(platform) as engines, engines["reporting"].connect() as conn:
        refs = conn.execute(
            text("SELECT case_id, account_ref FROM rm_cases WHERE client_id = :c"),
            {"c": client_id},
        ).all()
    assert len(refs) == 2 and all(r.account_ref == r.case_id for r in refs)

    again = http.post(order_url, headers=admin, json={"reason": "once more"})
    assert again.status_code == 409 and purge_id in again.json()["detail"]
    assert _totals(http, platform, admin, client_id) == before
    for service in SERVICES:  # each service's part is in its audit trail, with who ordered it
        audit = http.get(
            f"{platform.url(service)}/audit",
            headers=admin,
            params={"subject": ordered.json()["ordered_by"], "limit": 1000},
        )
        assert audit.status_code == 200, audit.text
        assert [a["path"] for a in audit.json() if a["action"] == "purge"] == [
            f"ClientPurgeOrdered/{purge_id}"
        ], service
