"""Each service's docs page in a real browser: it renders, signs in, and its calls work."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from playwright.sync_api import Page

from deploy.run_local import SERVICES, LocalPlatform
from tests.e2e.test_thin_slice import (
    ADMIN_PASSWORD,
    case_file,
    counts,
    eventually,
    json_when,
    new_bank,
    sign_in,
)

from . import swagger
from .conftest import OffLine, Pages

pytestmark = [pytest.mark.e2e, pytest.mark.broker, pytest.mark.browser]


@dataclass(frozen=True)
class Seeded:
    """One bank, one case held by one of two phone collectors."""

    client_id: str
    bank_key: str
    account_ref: str
    case_id: str
    holder: tuple[str, str]
    outsider: tuple[str, str]


@pytest.fixture(scope="module")
def http() -> Iterator[httpx.Client]:
    with httpx.Client(timeout=10, trust_env=False) as client:
        yield client


@pytest.fixture(scope="module")
def seeded(platform: LocalPlatform, http: httpx.Client) -> Seeded:
    admin = sign_in(http, platform, "admin", ADMIN_PASSWORD)
    client_id, bank = new_bank(http, platform, admin)
    accounts: dict[str, tuple[str, str]] = {}
    for _ in range(2):
        username = f"docs.{uuid.uuid4().hex[:6]}"
        password = f"{username}-secret-pw"
        made = http.post(
            f"{platform.url('assignment')}/staff",
            headers=admin,
            json={
                "username": username,
                "name": "文档",
                "role": "phone_collector",
                "password": password,
            },
        )
        assert made.status_code == 201, made.text
        accounts[made.json()["id"]] = (username, password)
    posted = http.post(
        f"{platform.url('intake')}/clients/{client_id}/case-files",
        files={"file": ("d.csv", case_file(("D1", "钱七", "300")), "text/csv")},
        headers=bank,
    )
    assert posted.status_code == 201, posted.text
    eventually(lambda: counts(http, platform, client_id, admin).get("cases_assigned") == 1)
    case = http.get(f"{platform.url('intake')}/clients/{client_id}/cases/D1", headers=bank).json()
    holder_id = http.get(f"{platform.url('assignment')}/cases/{case['id']}", headers=admin).json()[
        "collector_id"
    ]
    for service in ("contact", "letters"):
        json_when(
            http,
            f"{platform.url(service)}/cases/{case['id']}",
            admin,
            lambda body: body.get("collector_id") == holder_id,
        )
    outsider = next(account for cid, account in accounts.items() if cid != holder_id)
    return Seeded(client_id, bank["X-API-Key"], "D1", case["id"], accounts[holder_id], outsider)


def words(text: str) -> str:
    return " ".join(text.split())


def first_sentence(text: str) -> str:
    return words(text.split(".")[0])


def shown_operation_ids(page: Page) -> list[str]:
    return page.eval_on_selector_all(".opblock", "blocks => blocks.map(b => b.id)")


@pytest.mark.parametrize("service", SERVICES)
def test_docs_page_shows_every_operation_by_tag(
    service: str, platform: LocalPlatform, http: httpx.Client, page: Page, offline: OffLine
) -> None:
    spec = http.get(f"{platform.url(service)}/openapi.json").json()
    operations: list[dict[str, Any]] = [
        op for item in spec["paths"].values() for op in item.values()
    ]

    swagger.open_docs(page, platform.url(service))

    text = page.locator("body").inner_text()
    assert "Unable to render" not in text
    assert page.title() == f"{spec['info']['title']} — API"
    assert first_sentence(spec["info"]["description"]) in words(page.locator(".info").inner_text())
    tags = page.eval_on_selector_all(".opblock-tag[data-tag]", "hs => hs.map(h => h.dataset.tag)")
    assert sorted(tags) == sorted({tag for op in operations for tag in op["tags"]})
    shown = shown_operation_ids(page)
    assert len(shown) == sum(len(op["tags"]) for op in operations), "each op under each tag"
    missing = [
        op["operationId"]
        for op in operations
        if not any(block.endswith(f"-{op['operationId']}") for block in shown)
    ]
    assert not missing
    assert offline.blocked == [], "the page asked the internet for something"


@pytest.mark.parametrize("service", SERVICES)
def test_redoc_page_renders_offline(
    service: str, platform: LocalPlatform, http: httpx.Client, page: Page
) -> None:
    spec = http.get(f"{platform.url(service)}/openapi.json").json()
    page.goto(f"{platform.url(service)}/redoc")
    title = spec["info"]["title"]
    page.locator("h1", has_text=title).wait_for(timeout=swagger.RENDER_TIMEOUT_MS)
    menu = page.locator(".menu-content").inner_text()
    used = {tag for item in spec["paths"].values() for op in item.values() for tag in op["tags"]}
    assert [tag for tag in used if tag not in menu] == []
    assert first_sentence(spec["info"]["description"]) in words(page.locator("body").inner_text())


# service: (operationId, its parameters, text the answer must show), all staff-only routes.
ADMIN_CALLS: dict[str, tuple[str, Callable[[Seeded], dict[str, str]], Callable[[Seeded], str]]] = {
    "intake": ("listClients", lambda s: {}, lambda s: s.client_id),
    "assignment": ("me", lambda s: {}, lambda s: '"admin"'),
    "contact": (
        "getCase",
        lambda s: {"case_id": s.case_id},
        lambda s: s.client_id,
    ),
    "letters": (
        "getCase",
        lambda s: {"case_id": s.case_id},
        lambda s: s.client_id,
    ),
    "reporting": (
        "clientCaseCounts",
        lambda s: {"client_id": s.client_id},
        lambda s: '"cases_assigned": 1',
    ),
}


@pytest.mark.parametrize("service", SERVICES)
def test_signing_in_on_the_docs_page_lets_try_it_out_call(
    service: str, platform: LocalPlatform, seeded: Seeded, page: Page
) -> None:
    """Authorize posts to assignment's /auth/token (cross-origin bar on assignment itself)."""
    operation_id, params, shown = ADMIN_CALLS[service]
    swagger.open_docs(page, platform.url(service))
    with page.expect_response(lambda r: r.url == f"{platform.url('assignment')}/auth/token") as t:
        swagger.sign_in(page, "admin", ADMIN_PASSWORD)
    assert t.value.status == 200

    answer = swagger.try_it_out(page, operation_id, **params(seeded))

    assert answer.status == 200, answer.body
    assert shown(seeded) in answer.body


def test_a_case_answers_its_collector_and_is_hidden_from_another(
    platform: LocalPlatform, seeded: Seeded, pages: Pages
) -> None:
    operation_id = "getCase"
    holder = pages("holder")
    swagger.open_docs(holder, platform.url("contact"))
    assert swagger.try_it_out(holder, operation_id, case_id=seeded.case_id).status == 401

    swagger.sign_in(holder, *seeded.holder)
    answer = swagger.try_it_out(holder, operation_id, case_id=seeded.case_id)
    assert answer.status == 200, answer.body
    assert seeded.case_id in answer.body

    # persistAuthorization: opening the page again keeps the sign-in
    swagger.open_docs(holder, platform.url("contact"))
    assert swagger.try_it_out(holder, operation_id, case_id=seeded.case_id).status == 200

    outsider = pages("outsider")
    swagger.open_docs(outsider, platform.url("contact"))
    swagger.sign_in(outsider, *seeded.outsider)
    answer = swagger.try_it_out(outsider, operation_id, case_id=seeded.case_id)
    assert answer.status == 404, answer.body
    assert "collector_id" not in answer.body


def test_a_bank_key_entered_in_the_docs_reaches_only_its_own_cases(
    platform: LocalPlatform, seeded: Seeded, page: Page
) -> None:
    operation_id = "getCase"
    swagger.open_docs(page, platform.url("intake"))
    swagger.use_api_key(page, seeded.bank_key)

    own = swagger.try_it_out(
        page, operation_id, client_id=seeded.client_id, account_ref=seeded.account_ref
    )
    assert own.status == 200, own.body
    assert seeded.case_id in own.body

    other = swagger.try_it_out(page, operation_id, client_id="BANK-OTHER", account_ref="D1")
    assert other.status == 404, other.body
