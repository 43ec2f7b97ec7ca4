"""The docs pages, their offline assets, and what the OpenAPI document says about sign-in.

What the pages look like in a browser is tested in tests/browser; these check the parts a
browser test would only show indirectly, quickly.
"""

from __future__ import annotations

import re

import pytest
from fastapi import APIRouter, FastAPI
from fastapi.testclient import TestClient

from shared.auth.principal import Role, Scope
from shared.auth.web import PUBLIC, access, assert_every_route_declares_access
from shared.web.docs import content_policy, install_offline_docs
from shared.web.openapi import complete_openapi

TOKEN_URL = "http://127.0.0.1:8002/auth/token"


def docs_app() -> FastAPI:
    app = FastAPI(title="Test service", docs_url=None, redoc_url=None)
    install_offline_docs(app, TOKEN_URL)
    router = APIRouter(prefix="/things", tags=["things"])

    @router.get("/open", dependencies=[PUBLIC])
    def open_thing() -> dict:
        return {}

    @router.get("/staff", dependencies=[access(Role.ADMIN)])
    def staff_thing() -> dict:
        return {}

    @router.get("/{thing_id}", dependencies=[access(Role.ADMIN, banks=True)])
    def bank_thing(thing_id: str) -> dict:
        return {}

    app.include_router(router)
    return app


@pytest.fixture(scope="module")
def client() -> TestClient:
    return TestClient(docs_app())


@pytest.mark.parametrize("path", ["/docs", "/redoc"])
def test_docs_pages_load_everything_from_the_service(client: TestClient, path: str) -> None:
    page = client.get(path)
    assert page.status_code == 200
    sources = re.findall(r'(?:src|href)="([^"]+)"', page.text) + re.findall(
        r"url: '([^']+)'", page.text
    )
    assert sources, "the page loads its assets from somewhere"
    assert [s for s in sources if not s.startswith("/")] == []
    for source in sources:
        assert client.get(source).status_code == 200, source
    assert page.headers["content-security-policy"] == content_policy(TOKEN_URL)


def test_swagger_ui_is_a_version_that_reads_openapi_3_1(client: TestClient) -> None:
    page = client.get("/docs")
    assert "<title>Test service — API</title>" in page.text
    assert '"persistAuthorization": true' in page.text
    bundle = client.get("/docs-assets/swagger-ui-bundle.js").text
    # Swagger UI 3.x (swagger-ui-bundle) answered "does not specify a valid version field".
    assert "OpenAPI 3.1" in bundle or "isOAS31" in bundle


def test_content_policy_allows_only_this_service_and_the_sign_in() -> None:
    policy = dict(part.split(" ", 1) for part in content_policy(TOKEN_URL).split("; "))
    assert policy["default-src"] == "'self'"
    assert policy["img-src"] == "'self' data:"
    assert policy["connect-src"] == "'self' http://127.0.0.1:8002"
    assert (
        dict(p.split(" ", 1) for p in content_policy("/auth/token").split("; "))["connect-src"]
        == "'self'"
    )


def test_each_operation_offers_only_the_sign_in_its_route_accepts() -> None:
    app = docs_app()
    complete_openapi(app, TOKEN_URL, banks=True)
    paths = app.openapi()["paths"]
    assert paths["/things/open"]["get"]["security"] == []
    assert paths["/things/staff"]["get"]["security"] == [{"staffToken": []}]
    assert paths["/things/{thing_id}"]["get"]["security"] == [{"staffToken": []}, {"bankKey": []}]
    assert {"401", "403", "404"} <= set(paths["/things/{thing_id}"]["get"]["responses"])
    flows = app.openapi()["components"]["securitySchemes"]["staffToken"]["flows"]
    assert flows["password"]["tokenUrl"] == TOKEN_URL


def test_a_route_in_an_included_router_without_access_is_refused() -> None:
    app = docs_app()
    assert_every_route_declares_access(app)
    forgotten = APIRouter(prefix="/later")

    @forgotten.get("/open-by-mistake")
    def open_by_mistake() -> dict:
        return {}

    app.include_router(forgotten)
    with pytest.raises(RuntimeError, match="/later/open-by-mistake"):
        assert_every_route_declares_access(app)


def test_a_write_without_a_scope_is_refused() -> None:
    app = docs_app()
    later = APIRouter(prefix="/later")

    @later.post("/things", dependencies=[access(Role.ADMIN)])
    def unscoped() -> dict:
        return {}

    @later.post("/scoped", dependencies=[access(Role.ADMIN, scope=Scope.ALL)])
    def scoped() -> dict:
        return {}

    app.include_router(later)
    with pytest.raises(RuntimeError, match=r"writes without a scope: \['POST'\] /later/things$"):
        assert_every_route_declares_access(app)
