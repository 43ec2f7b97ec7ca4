"""The desk's first screen in headless Chromium, on the platform started as ``make run``
starts it (five service processes on SQLite and the local broker) with ``cases`` cases in
it (100,000 by default) spread over the phone collectors as the pipeline bench spreads them.

One collector (holding a quarter of the cases) signs in through the page's form; then,
``LOADS`` times over, the desk is opened and timed until its queue is drawn, then its
first case is opened from the queue and timed until every card on the case is drawn:
once reloaded in the signed-in page (assets revalidated from the cache), once in a new
browser context each time (nothing cached; signed in by the token as the page keeps it).
The figures come from the page's own marks (``performance.mark`` at each view's start and
end, see ``web/desk/desk.js``), so the browser driver's own round trips are not counted:
the queue's figure runs from the navigation's start, the case's from the click.
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

from bench.casefile import write_case_file
from bench.pipeline import ADMIN, _post, _prepare, running_platform
from deploy.run_local import LocalPlatform

LOADS = 10
AIM_MS = 1000
WAIT_SECONDS = 1800
COLLECTOR = ("bench.collector0", "a-long-password")

_MARKS = """() => Object.fromEntries(performance.getEntriesByType("mark")
  .map((m) => [m.name, m.startTime]))"""


def _until_every_case_is_placed(http: httpx.Client, platform: LocalPlatform, cases: int) -> float:
    """Seconds until reporting counts every case imported and assigned."""
    token = http.post(
        f"{platform.url('assignment')}/auth/token",
        data={"username": ADMIN[0], "password": ADMIN[1]},
    ).json()["access_token"]
    admin = {"Authorization": f"Bearer {token}"}
    url = f"{platform.url('reporting')}/reports/case-counts/BENCH"
    started = time.perf_counter()
    while time.perf_counter() - started < WAIT_SECONDS:
        answer = http.get(url, headers=admin)
        seen = answer.json() if answer.status_code == 200 else {}
        if seen.get("cases_imported") == seen.get("cases_assigned") == cases:
            return time.perf_counter() - started
        time.sleep(2)
    raise RuntimeError(f"not every case placed after {WAIT_SECONDS} s; logs in {platform.log_dir}")


def _contact_holds(http: httpx.Client, platform: LocalPlatform) -> str:
    """Wait until contact knows the collector's most urgent case (the one the desk opens);
    the collector's token."""
    token = http.post(
        f"{platform.url('assignment')}/auth/token",
        data={"username": COLLECTOR[0], "password": COLLECTOR[1]},
    ).json()["access_token"]
    me = {"Authorization": f"Bearer {token}"}
    first = http.get(f"{platform.url('assignment')}/work-queue?limit=20", headers=me).json()
    case_id = first["items"][0]["case_id"]
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        if http.get(f"{platform.url('contact')}/cases/{case_id}", headers=me).status_code == 200:
            return token
        time.sleep(1)
    raise RuntimeError("contact never heard of the collector's first case")


def _open_desk(page: Any, url: str) -> dict[str, float]:
    """The desk opened at the queue, then its first case: both in ms from the page's marks."""
    page.goto(f"{url}#/queue")
    page.wait_for_selector("body[data-page=queue][data-loaded=yes]", timeout=60_000)
    page.locator("#queue tbody tr a").first.click()
    page.wait_for_selector("body[data-page=case][data-loaded=yes]", timeout=60_000)
    if page.locator("#not-found, #page-error").count():
        raise RuntimeError(f"the first case did not open: {page.locator('#view').inner_text()}")
    marks = page.evaluate(_MARKS)
    queue = marks["desk-loaded:queue"]
    case = marks["desk-loaded:case"] - marks["desk-route:case"]
    return {"queue_ms": queue, "case_ms": case, "first_screen_ms": queue + case}


def _summary(runs: list[dict[str, float]]) -> dict[str, float]:
    def median(key: str) -> float:
        return round(statistics.median(r[key] for r in runs))

    return {
        "loads": len(runs),
        "queue_p50_ms": median("queue_ms"),
        "case_p50_ms": median("case_ms"),
        "first_screen_p50_ms": median("first_screen_ms"),
        "first_screen_max_ms": round(max(r["first_screen_ms"] for r in runs)),
    }


def _browse(url: str, token: str) -> dict[str, Any]:
    """Cold: a new browser context each time (nothing cached, signed in by the stored token
    as the page keeps it); warm: the same page reloaded (assets revalidated)."""
    from playwright.sync_api import sync_playwright

    from shared.devtools.browser import launch_chromium

    with sync_playwright() as pw:
        browser = launch_chromium(pw)
        try:
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            page = context.new_page()
            page.goto(url)
            page.get_by_label("用户名 username").fill(COLLECTOR[0])
            page.get_by_label("密码 password").fill(COLLECTOR[1])
            started = time.perf_counter()
            page.get_by_role("button", name="登录 sign in", exact=True).click()
            page.wait_for_selector("body[data-page=queue][data-loaded=yes]", timeout=60_000)
            sign_in_ms = (time.perf_counter() - started) * 1000
            warm = []
            for _ in range(LOADS):
                page.goto(f"{url}#/queue")
                page.reload()
                warm.append(_open_desk(page, url))
            context.close()
            cold = []
            for _ in range(LOADS):
                context = browser.new_context(viewport={"width": 1280, "height": 900})
                context.add_init_script(f"sessionStorage.setItem('desk_token', {token!r})")
                cold.append(_open_desk(context.new_page(), url))
                context.close()
        finally:
            browser.close()
    return {
        "sign_in_to_queue_ms": round(sign_in_ms),
        "cold": _summary(cold),
        "warm": _summary(warm),
        "aim_ms": AIM_MS,
    }


def measure(cases: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="bench-desk-screen-") as scratch:
        work = Path(scratch)
        path = write_case_file(work / f"cases-{cases}.csv", cases)
        env = {"INTAKE_MAX_FILE_BYTES": str(4 * 1024**3)}
        with running_platform(work, env) as platform:
            with httpx.Client(timeout=httpx.Timeout(3600, connect=10), trust_env=False) as http:
                _, bank = _prepare(http, platform, cases)
                _post(http, platform, bank, path)
                placed = _until_every_case_is_placed(http, platform, cases)
                token = _contact_holds(http, platform)
            load_before = os.getloadavg()[0]
            figures = _browse(f"{platform.url('assignment')}/desk", token)
            figures["load_average_1m"] = [round(load_before, 1), round(os.getloadavg()[0], 1)]
    return {"cases": cases, "placed_after_seconds": round(placed), **figures}


def report(figures: dict[str, Any]) -> str:
    cold, warm = figures["cold"], figures["warm"]
    return (
        f"desk first screen (Chromium, make run, SQLite)  cases={figures['cases']:,}  "
        f"queue + first case, nothing cached: p50={cold['first_screen_p50_ms']} ms "
        f"(queue {cold['queue_p50_ms']} + case {cold['case_p50_ms']}; "
        f"max {cold['first_screen_max_ms']} ms of {cold['loads']})  "
        f"reloaded: p50={warm['first_screen_p50_ms']} ms (max {warm['first_screen_max_ms']})  "
        f"sign-in to queue={figures['sign_in_to_queue_ms']} ms  aim < {figures['aim_ms']} ms  "
        f"(load average {figures['load_average_1m'][0]} before, "
        f"{figures['load_average_1m'][1]} after, on {os.cpu_count()} cores)"
    )


if __name__ == "__main__":
    import sys

    print(report(measure(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)))
