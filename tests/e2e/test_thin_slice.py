"""The platform as a person runs it: broker and five service processes, driven over HTTP."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from deploy.run_local import SERVICES, LocalPlatform
from shared.devtools.postgres import LocalPostgres
from tests.platform_kit import running_platform

pytestmark = [pytest.mark.e2e, pytest.mark.broker]


@pytest.fixture(scope="module")
def platform(
    tmp_path_factory: pytest.TempPathFactory, local_postgres: LocalPostgres | None
) -> Iterator[LocalPlatform]:
    with running_platform(tmp_path_factory.mktemp("e2e"), local_postgres) as running:
        yield running


@pytest.fixture(scope="module")
def http() -> Iterator[httpx.Client]:
    with httpx.Client(timeout=10, trust_env=False) as client:
        yield client


ADMIN_PASSWORD = "change-me-admin"


def sign_in(http: httpx.Client, platform: LocalPlatform, username: str, password: str) -> dict:
    answer = http.post(
        f"{platform.url('assignment')}/auth/token",
        data={"username": username, "password": password},
    )
    assert answer.status_code == 200, answer.text
    return {"Authorization": f"Bearer {answer.json()['access_token']}"}


@pytest.fixture(scope="module")
def admin(platform: LocalPlatform, http: httpx.Client) -> dict:
    return sign_in(http, platform, "admin", ADMIN_PASSWORD)


def new_bank(http: httpx.Client, platform: LocalPlatform, admin: dict) -> tuple[str, dict]:
    client_id = f"BANK-{uuid.uuid4().hex[:6]}"
    made = http.post(
        f"{platform.url('intake')}/clients",
        headers=admin,
        json={"id": client_id, "name": "测试银行"},
    )
    assert made.status_code == 201, made.text
    key = http.post(
        f"{platform.url('intake')}/clients/{client_id}/api-keys",
        headers=admin,
        json={"label": "e2e"},
    )
    assert key.status_code == 201, key.text
    return client_id, {"X-API-Key": key.json()["key"]}


def eventually(check: Callable[[], Any], timeout: float = 60.0) -> Any:
    deadline = time.monotonic() + timeout
    last: Any = None
    while time.monotonic() < deadline:
        last = check()
        if last:
            return last
        time.sleep(0.3)
    raise AssertionError(f"condition not met in {timeout}s; last value {last!r}")


def json_when(http: httpx.Client, url: str, headers: dict, ready: Callable[[dict], bool]) -> dict:
    """GET ``url`` until it answers 200 with a body that satisfies ``ready``."""

    def attempt() -> dict | None:
        answer = http.get(url, headers=headers)
        return answer.json() if answer.status_code == 200 and ready(answer.json()) else None

    return eventually(attempt)


def case_file(*rows: tuple[str, str, str]) -> bytes:
    lines = ["卡号,姓名,欠款总额,手机号"] + [f'{a},{n},"{t}",13800138000' for a, n, t in rows]
    return ("\n".join(lines) + "\n").encode()


def counts(
    http: httpx.Client, platform: LocalPlatform, client_id: str, admin: dict
) -> dict[str, int]:
    answer = http.get(f"{platform.url('reporting')}/reports/case-counts/{client_id}", headers=admin)
    return answer.json() if answer.status_code == 200 else {}


def test_every_service_is_alive_and_documents_itself(
    platform: LocalPlatform, http: httpx.Client
) -> None:
    for name in SERVICES:
        base = platform.url(name)
        assert http.get(f"{base}/health").json() == {"status": "ok", "service": name}
        assert http.get(f"{base}/ready").status_code == 200
        docs = http.get(f"{base}/docs")
        assert docs.status_code == 200
        assert "/docs-assets/swagger-ui-bundle.js" in docs.text, "docs must not need a CDN"
        assert http.get(f"{base}/docs-assets/swagger-ui-bundle.js").status_code == 200
        spec = http.get(f"{base}/openapi.json").json()
        assert spec["info"]["description"].strip()
        assert all(op.get("tags") for path in spec["paths"].values() for op in path.values())


def test_a_posted_case_file_ends_assigned_in_reporting(
    platform: LocalPlatform, http: httpx.Client, admin: dict
) -> None:
    client_id, bank = new_bank(http, platform, admin)
    collectors = {}
    for username, name in (("wang.wu", "王五"), ("zhao.liu", "赵六")):
        made = http.post(
            f"{platform.url('assignment')}/staff",
            headers=admin,
            json={
                "username": username,
                "name": name,
                "role": "phone_collector",
                "password": f"{username}-secret-pw",
            },
        )
        assert made.status_code == 201, made.text
        collectors[made.json()["id"]] = sign_in(http, platform, username, f"{username}-secret-pw")
    correlation = uuid.uuid4().hex
    posted = http.post(
        f"{platform.url('intake')}/clients/{client_id}/case-files",
        files={
            "file": (
                "cases.csv",
                case_file(("A1", "张三", "1,200.50"), ("A2", "李四", "99"), ("A3", "王二", "5.5")),
                "text/csv",
            )
        },
        headers={"X-Correlation-ID": correlation, **bank},
    )
    assert posted.status_code == 201, posted.text
    assert posted.headers["x-correlation-id"] == correlation
    assert posted.json()["rows_imported"] == 3

    final = eventually(
        lambda: (c := counts(http, platform, client_id, admin)).get("cases_assigned") == 3 and c
    )
    assert final == {"client_id": client_id, "cases_imported": 3, "cases_assigned": 3}

    holders = []
    for ref in ("A1", "A2", "A3"):
        case = http.get(
            f"{platform.url('intake')}/clients/{client_id}/cases/{ref}", headers=bank
        ).json()
        holder = http.get(f"{platform.url('assignment')}/cases/{case['id']}", headers=admin).json()
        holders.append(holder["collector_id"])
        as_holder = collectors[holder["collector_id"]]
        seen_by_contact = json_when(
            http,
            f"{platform.url('contact')}/cases/{case['id']}",
            as_holder,
            lambda body: body.get("collector_id") is not None,
        )
        assert seen_by_contact["collector_id"] == holder["collector_id"]
        seen_by_letters = json_when(
            http, f"{platform.url('letters')}/cases/{case['id']}", as_holder, lambda body: True
        )
        assert seen_by_letters["client_id"] == client_id
        outsider = next(h for cid, h in collectors.items() if cid != holder["collector_id"])
        assert (
            http.get(f"{platform.url('contact')}/cases/{case['id']}", headers=outsider).status_code
            == 404
        )
    assert set(holders) == set(collectors), "round robin uses every active collector"
    assert sorted(holders.count(c) for c in collectors) == [1, 2]


def test_same_file_twice_imports_once(
    platform: LocalPlatform, http: httpx.Client, admin: dict
) -> None:
    client_id, bank = new_bank(http, platform, admin)
    url = f"{platform.url('intake')}/clients/{client_id}/case-files"
    content = case_file(("B1", "周一", "10"), ("B2", "吴二", "20"))
    first = http.post(url, files={"file": ("b.csv", content, "text/csv")}, headers=bank)
    second = http.post(url, files={"file": ("b-again.csv", content, "text/csv")}, headers=bank)
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["id"] == second.json()["id"]
    eventually(lambda: counts(http, platform, client_id, admin).get("cases_imported") == 2)
    time.sleep(2)
    assert counts(http, platform, client_id, admin)["cases_imported"] == 2


def test_a_bad_file_is_rejected_whole_with_reasons(
    platform: LocalPlatform, http: httpx.Client, admin: dict
) -> None:
    client_id, bank = new_bank(http, platform, admin)
    content = case_file(("C1", "郑三", "10"), ("C2", "", "-5"))
    answer = http.post(
        f"{platform.url('intake')}/clients/{client_id}/case-files",
        files={"file": ("c.csv", content, "text/csv")},
        data={"all_or_nothing": "true"},
        headers=bank,
    )
    assert answer.status_code == 422
    assert answer.headers["content-type"].startswith("application/problem+json")
    problems = {(e["row"], e["column"]) for e in answer.json()["errors"]}
    assert problems == {(3, "姓名"), (3, "欠款总额")}
    ref = http.get(f"{platform.url('intake')}/clients/{client_id}/cases/C1", headers=bank)
    assert ref.status_code == 404, "the valid row must not be half-imported"
