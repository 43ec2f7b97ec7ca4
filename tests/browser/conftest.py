"""What a person sees: Debian's headless Chromium driven by playwright, against the platform
running as processes. Any browser test (docs pages, dashboards) takes `chromium` and `page`.

The browser is package-scoped on purpose: playwright's sync API keeps its asyncio loop
marked as running in this thread while it is open, which would break the async tests that
run after this package.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Request, Route, sync_playwright

from deploy.run_local import REPO_ROOT, LocalPlatform
from shared.devtools.browser import BrowserMissing, launch_chromium
from shared.devtools.postgres import LocalPostgres
from tests.platform_kit import running_platform

ARTEFACTS_ENV = "BROWSER_ARTEFACTS"
LOOPBACK = {"127.0.0.1", "localhost"}
_ARTEFACTS_KEY = pytest.StashKey[Path]()
_NOT_RUN_KEY = pytest.StashKey[str]()


@pytest.fixture(scope="session")
def artefacts(request: pytest.FixtureRequest) -> Path:
    """Screenshots land here (var/test-artefacts/browser, emptied per run); printed at the end."""
    folder = Path(os.environ.get(ARTEFACTS_ENV) or REPO_ROOT / "var/test-artefacts/browser")
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    request.config.stash[_ARTEFACTS_KEY] = folder
    return folder


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    folder = terminalreporter.config.stash.get(_ARTEFACTS_KEY, None)
    if folder is not None:
        shots = len(list(folder.glob("*.png")))
        terminalreporter.write_line(f"browser screenshots ({shots}): {folder}")
    not_run = terminalreporter.config.stash.get(_NOT_RUN_KEY, None)
    if not_run is not None:
        terminalreporter.write_line(not_run, red=True, bold=True)


@pytest.fixture(scope="package")
def chromium(request: pytest.FixtureRequest) -> Iterator[Browser]:
    """Debian's Chromium, installed by deploy/ensure_browser.sh when missing.

    Only a machine where installing is impossible (neither root nor sudo) skips, loudly;
    a failed install fails, and CI never skips.
    """
    with sync_playwright() as pw:
        try:
            browser = launch_chromium(pw)
        except BrowserMissing as exc:
            if exc.installable or os.environ.get("CI"):
                raise
            message = f"BROWSER TESTS NOT RUN: cannot install Chromium here: {exc}"
            request.config.stash[_NOT_RUN_KEY] = message
            pytest.skip(message)
        try:
            yield browser
        finally:
            browser.close()


class OffLine:
    """Aborts every request that would leave this machine, and remembers them."""

    def __init__(self) -> None:
        self.blocked: list[str] = []

    def __call__(self, route: Route, request: Request) -> None:
        if urlsplit(request.url).hostname in LOOPBACK:
            route.continue_()
        else:
            self.blocked.append(request.url)
            route.abort("internetdisconnected")


@pytest.fixture
def offline() -> OffLine:
    return OffLine()


class Pages:
    """Fresh pages, each in its own context (no cookies, no storage) and with no internet.

    Every page's last state is saved as ``<test>[-<label>].png``, pass or fail.
    """

    def __init__(self, browser: Browser, offline: OffLine, folder: Path, test: str) -> None:
        self.browser = browser
        self.offline = offline
        self.folder = folder
        self.test = re.sub(r"[^\w.-]+", "-", test).strip("-")
        self.opened: list[tuple[str, BrowserContext, Page]] = []

    def __call__(self, label: str = "") -> Page:
        context = self.browser.new_context(viewport={"width": 1280, "height": 900})
        context.route("**/*", self.offline)
        page = context.new_page()
        self.opened.append((label, context, page))
        return page

    def close(self) -> None:
        for label, context, page in self.opened:
            name = f"{self.test}-{label}" if label else self.test
            try:
                page.screenshot(path=self.folder / f"{name}.png")
            finally:
                context.close()


@pytest.fixture
def pages(
    chromium: Browser, offline: OffLine, artefacts: Path, request: pytest.FixtureRequest
) -> Iterator[Pages]:
    opened = Pages(chromium, offline, artefacts, request.node.name)
    yield opened
    opened.close()


@pytest.fixture
def page(pages: Pages) -> Page:
    return pages()


@pytest.fixture(scope="package")
def platform(
    tmp_path_factory: pytest.TempPathFactory, local_postgres: LocalPostgres | None
) -> Iterator[LocalPlatform]:
    """The broker and the five services as processes, as `make run` starts them."""
    with running_platform(tmp_path_factory.mktemp("browser"), local_postgres) as running:
        yield running
