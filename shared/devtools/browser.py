"""A headless Chromium for browser tests, from Debian's packages rather than a download.

Playwright's own browser download cannot reach its servers from our machines, so tests
drive the distro's build through ``executable_path``. `find_browser` installs it the same
way `shared.devtools.postgres` installs PostgreSQL: `deploy/ensure_browser.sh` runs apt
when nothing is found, which is the path a fresh machine or CI takes.

    with sync_playwright() as pw:
        browser = launch_chromium(pw)

`python -m shared.devtools.browser` installs it if needed and prints its path.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Playwright

__all__ = ["LAUNCH_ARGS", "BrowserMissing", "find_browser", "launch_chromium"]

ENSURE_SCRIPT = Path(__file__).resolve().parents[2] / "deploy" / "ensure_browser.sh"
PATH_ENV = "CHROMIUM_PATH"
CANNOT_INSTALL = 3  # ensure_browser.sh: neither root nor sudo
# Debian's binaries themselves; /usr/bin holds wrapper scripts that do not exec.
KNOWN_PATHS = (
    Path("/usr/lib/chromium/chromium-headless-shell"),
    Path("/usr/lib/chromium/chromium"),
)
# Known to work on these machines: no sandbox (root, containers), no GPU, and nothing
# that phones home (component updates, sync, QUIC) and would hang without internet.
LAUNCH_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-quic",
    "--disable-sync",
    "--no-first-run",
)


class BrowserMissing(RuntimeError):
    """No Chromium here and installing one failed; the message says why."""

    def __init__(self, message: str, *, installable: bool = True) -> None:
        super().__init__(message)
        self.installable = installable


def find_browser(install: bool = True) -> Path:
    """Path of a headless Chromium binary; `CHROMIUM_PATH` wins, then Debian's packages."""
    override = os.environ.get(PATH_ENV)
    if override:
        if not os.access(override, os.X_OK):
            raise BrowserMissing(f"{PATH_ENV}={override} is not an executable")
        return Path(override)
    for path in KNOWN_PATHS:
        if os.access(path, os.X_OK):
            return path
    if not install:
        raise BrowserMissing("no Chromium found; run deploy/ensure_browser.sh")
    result = subprocess.run(
        ["bash", str(ENSURE_SCRIPT)], capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise BrowserMissing(
            f"{ENSURE_SCRIPT} failed:\n{result.stderr[-4000:]}",
            installable=result.returncode != CANNOT_INSTALL,
        )
    lines = result.stdout.strip().splitlines()
    if not lines or not os.access(lines[-1], os.X_OK):
        raise BrowserMissing(f"{ENSURE_SCRIPT} printed no usable browser: {result.stdout!r}")
    return Path(lines[-1])


def launch_chromium(playwright: Playwright, *, install: bool = True) -> Browser:
    """Launch the distro's Chromium headless.

    Playwright gives every launch a fresh temporary profile (``--user-data-dir``) and
    deletes it on close, so no state leaks between runs.
    """
    return playwright.chromium.launch(
        executable_path=str(find_browser(install)),
        headless=True,
        args=list(LAUNCH_ARGS),
    )


if __name__ == "__main__":
    print(find_browser())
