"""The reporting dashboard in a real headless Chromium, offline: signed in as HQ, it shows
the figures the October scenario gives and draws every chart."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
import uvicorn
from playwright.sync_api import Page

from services.reporting.main import create_app
from services.reporting.settings import ReportingSettings
from shared.auth.principal import Role
from shared.db import migrate
from tests.conftest import FIXED_NOW, DatabaseFactory
from tests.reporting.scenario import october
from tests.security.kit import StaffKeys, staff

pytestmark = pytest.mark.browser
HQ = staff("hq-1", Role.HQ)
C1 = staff("c-1", Role.PHONE_COLLECTOR, "T1", "B1")


@dataclass
class Served:
    url: str
    keys: StaffKeys


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def reporting(databases: DatabaseFactory, tmp_path: Path) -> Iterator[Served]:
    """Reporting alone, seeded through its real handlers, served over HTTP on loopback."""
    keys = StaffKeys(tmp_path / "keys")
    app = create_app(
        ReportingSettings(
            environment="test",
            database_url=databases.new("reporting"),
            data_dir=tmp_path / "reporting",
            auth_key_dir=keys.key_dir,
            kafka_bootstrap_servers="127.0.0.1:1",
            log_json=False,
            log_level="WARNING",
        ),
        clock=lambda: FIXED_NOW,
    )
    runtime = app.state.runtime
    migrate(runtime.db, runtime.parts.migrations)
    assert not runtime.dispatch(october().events).rejected
    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, lifespan="off", log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/health", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.1)
    try:
        yield Served(url, keys)
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def _open(page: Page, served: Served, token: str, query: str) -> dict[str, str]:
    page.add_init_script(f"sessionStorage.setItem('reporting_token', {token!r});")
    page.goto(f"{served.url}/dashboard?{query}")
    page.wait_for_selector("body[data-loaded=yes]", timeout=30_000)
    return {
        box.get_attribute("data-key") or "": box.locator(".value").inner_text()
        for box in page.locator(".figure").all()
    }


def test_hq_sees_octobers_figures_and_every_chart(
    page: Page, reporting: Served, offline, artefacts: Path
) -> None:
    figures = _open(page, reporting, reporting.keys.token(HQ), "period=month&on=2026-10-15")
    assert figures["recovered"] == "900.00"
    assert figures["recovery_rate"] == "23.68 %"  # 900 / 3800
    assert figures["promise_kept_rate"] == "50.00 %"
    assert figures["cost_per_case"] == "26.67"
    assert figures["target:BANK-A"] == "90.00 %"
    charts = page.locator("img[data-chart]")
    assert charts.count() == 4
    widths = charts.evaluate_all("imgs => imgs.map(i => i.naturalWidth)")
    assert all(w > 300 for w in widths), widths
    assert page.locator("#error").inner_text() == ""
    assert offline.blocked == []  # nothing asked of the internet
    page.screenshot(path=artefacts / "reporting-dashboard-hq.png", full_page=True)


def test_a_collector_sees_their_own_figures(page: Page, reporting: Served) -> None:
    figures = _open(page, reporting, reporting.keys.token(C1), "period=month&on=2026-10-15")
    assert figures["recovered"] == "650.50"
    assert not any(key.startswith("target:") for key in figures)


def test_without_a_token_the_page_asks_to_sign_in(page: Page, reporting: Served) -> None:
    page.goto(f"{reporting.url}/dashboard")
    assert page.locator("#signin").is_visible()
    assert not page.locator("#board").is_visible()
