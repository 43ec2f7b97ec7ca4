"""The desk's page, its config and its policy, quickly; the pages at work are tested in
tests/browser/test_desk.py."""

from __future__ import annotations

import re

from fastapi import FastAPI
from fastapi.testclient import TestClient

from shared.auth.web import assert_every_route_declares_access
from shared.web.desk import desk_policy, install_desk

URLS = {"assignment": "http://127.0.0.1:8002", "contact": "http://127.0.0.1:8003/"}
TOKEN_URL = "http://127.0.0.1:8002/auth/token"


def client() -> TestClient:
    app = FastAPI()
    install_desk(app, URLS, TOKEN_URL)
    assert_every_route_declares_access(app)
    return TestClient(app)


def test_the_page_loads_only_its_own_assets_under_its_policy() -> None:
    http = client()
    page = http.get("/desk")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    sources = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    assert sorted(sources) == ["/desk/assets/desk.css", "/desk/assets/desk.js"]
    for source in sources:
        assert http.get(source).status_code == 200, source
    assert page.headers["content-security-policy"] == desk_policy(URLS, TOKEN_URL)


def test_connections_go_only_to_the_platforms_services() -> None:
    policy = dict(part.split(" ", 1) for part in desk_policy(URLS, TOKEN_URL).split("; "))
    assert policy["connect-src"] == "'self' http://127.0.0.1:8002 http://127.0.0.1:8003"
    assert policy["script-src"] == "'self'", "no inline script, no other origin"
    assert policy["frame-ancestors"] == "'none'"


def test_the_config_names_every_service_and_the_sign_in() -> None:
    config = client().get("/desk/config.json").json()
    assert config == {"services": URLS, "token_url": TOKEN_URL}
