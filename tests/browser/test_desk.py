"""The desk in a real headless Chromium, offline, against the platform as `make run` starts it:
a collector's day, a supervisor's decisions, a bank's files and statement, and nobody seeing
a case that is not theirs."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
import pytest
from playwright.sync_api import Page, expect

from deploy.run_local import LocalPlatform
from tests.e2e.test_thin_slice import ADMIN_PASSWORD, eventually, new_bank, sign_in

from .conftest import OffLine, Pages

pytestmark = [pytest.mark.e2e, pytest.mark.broker, pytest.mark.browser]

# Addresses whose words put the debtor in a zone (contact's timezones.py), by zone.
PLACES = {
    "Asia/Tokyo": "日本东京都港区1-1",
    "Asia/Shanghai": "上海市浦东新区1号",
    "Asia/Urumqi": "新疆乌鲁木齐市天山区1号",
    "Europe/London": "1 High St, London, United Kingdom",
    "America/New_York": "1 Main St, New York",
    "America/Chicago": "1 Lake St, Chicago",
    "America/Los_Angeles": "1 Sunset Blvd, Los Angeles",
}
NIGHT_HOURS = {22, 23, 0, 1, 2, 3, 4, 5, 6}  # inside cn_default's quiet hours 21:00–08:00
DAY_HOURS = set(range(10, 19))
PHONE = "13800138000"


def zone_at(hours: set[int]) -> str:
    """A place where the local hour is now one of ``hours`` (the zones span 17 hours, so any
    9 consecutive hours hold one of them)."""
    now = datetime.now(UTC)
    return next(z for z in PLACES if now.astimezone(ZoneInfo(z)).hour in hours)


@dataclass(frozen=True)
class Person:
    id: str
    username: str
    password: str


@dataclass(frozen=True)
class Desk:
    url: str
    client_id: str
    bank_key: str
    batch_id: str
    night_case: str
    night_zone: str
    day_case: str
    collector: Person
    outsider: Person
    successor: Person
    supervisor: Person
    field: Person


@pytest.fixture(scope="module")
def http() -> Iterator[httpx.Client]:
    with httpx.Client(timeout=15, trust_env=False) as client:
        yield client


def _person(http: httpx.Client, platform: LocalPlatform, admin: dict, role: str, team: str | None):
    username = f"desk.{uuid.uuid4().hex[:6]}"
    password = f"{username}-secret-pw"
    body = {"username": username, "name": "柜台" + role[:2], "role": role, "password": password}
    if team:
        body["team_id"] = team
    made = http.post(f"{platform.url('assignment')}/staff", headers=admin, json=body)
    assert made.status_code == 201, made.text
    return Person(made.json()["id"], username, password)


@pytest.fixture(scope="module")
def desk(platform: LocalPlatform, http: httpx.Client) -> Iterator[Desk]:
    """One bank, one team (a supervisor, the collector, a successor) and an outsider; two cases
    of the collector's, one debtor where it is night now and one where it is day, and a third
    row the file's validation report rejects."""
    a = platform.url("assignment")
    admin = sign_in(http, platform, "admin", ADMIN_PASSWORD)
    client_id, bank = new_bank(http, platform, admin)
    team = f"DESK-{uuid.uuid4().hex[:6]}"
    supervisor = _person(http, platform, admin, "supervisor", None)
    made = http.post(
        f"{a}/teams",
        headers=admin,
        json={"id": team, "name": "柜台组", "supervisor_id": supervisor.id},
    )
    assert made.status_code == 201, made.text
    collector = _person(http, platform, admin, "phone_collector", team)
    rule = {"name": f"desk {client_id}", "team_id": team, "client_id": client_id, "position": 0}
    assert http.post(f"{a}/rules", headers=admin, json=rule).status_code == 201
    night_zone = zone_at(NIGHT_HOURS)
    night, day = PLACES[night_zone], PLACES[zone_at(DAY_HOURS)]
    rows = [
        "卡号,姓名,欠款总额,手机号,家庭地址,逾期日期",
        f'N1,夜一,"1,200.50",{PHONE},"{night}",2026-10-01',
        f'D1,日二,"880.00",{PHONE},"{day}",2026-10-20',
        'X1,,"-5",13800138000,"上海",2026-10-01',
    ]
    posted = http.post(
        f"{platform.url('intake')}/clients/{client_id}/case-files",
        files={"file": ("desk.csv", ("\n".join(rows) + "\n").encode(), "text/csv")},
        headers=bank,
    )
    assert posted.status_code == 201, posted.text
    ids = {}
    for ref in ("N1", "D1"):
        found = http.get(f"{platform.url('intake')}/clients/{client_id}/cases/{ref}", headers=bank)
        ids[ref] = found.json()["id"]
    me = sign_in(http, platform, collector.username, collector.password)
    for case_id in ids.values():
        for service in ("contact", "letters"):
            eventually(
                lambda s=service, c=case_id: (
                    http.get(f"{platform.url(s)}/cases/{c}", headers=me).status_code == 200
                )
            )
    head = {"name": "柜台银行", "address": "上海", "phone": "021-1", "dispute_phone": "400-1"}
    put = http.put(
        f"{platform.url('letters')}/clients/{client_id}/letterhead", json=head, headers=admin
    )
    assert put.status_code == 200, put.text
    successor = _person(http, platform, admin, "phone_collector", team)
    outsider = _person(http, platform, admin, "phone_collector", None)
    field = _person(http, platform, admin, "field_collector", team)
    yield Desk(
        url=f"{a}/desk",
        client_id=client_id,
        bank_key=bank["X-API-Key"],
        batch_id=posted.json()["id"],
        night_case=ids["N1"],
        night_zone=night_zone,
        day_case=ids["D1"],
        collector=collector,
        outsider=outsider,
        successor=successor,
        supervisor=supervisor,
        field=field,
    )
    # Cases of later tests' banks must not land on these collectors.
    for person in (collector, successor, outsider, field):
        http.patch(f"{a}/staff/{person.id}", headers=admin, json={"status": "left"})


def noon_tomorrow(zone: str) -> str:
    """Tomorrow 12:00 at the debtor, in Shanghai time as the desk's fields take it: a visit
    plan outside the visit quiet hours wherever the debtor lives."""
    there = ZoneInfo(zone)
    day = datetime.now(there).date() + timedelta(days=1)
    noon = datetime.combine(day, time(12, 0), tzinfo=there)
    return noon.astimezone(ZoneInfo("Asia/Shanghai")).strftime("%Y-%m-%dT%H:%M")


def signed_in(page: Page, desk: Desk, person: Person, path: str = "") -> Page:
    page.goto(desk.url)
    page.get_by_label("用户名 username").fill(person.username)
    page.get_by_label("密码 password").fill(person.password)
    page.get_by_role("button", name="登录 sign in", exact=True).click()
    loaded(page)
    if path:
        page.goto(f"{desk.url}#/{path}")
        loaded(page)
    return page


def loaded(page: Page) -> None:
    page.wait_for_selector("body[data-loaded=yes]:not([data-page=signin])", timeout=30_000)


def notice(page: Page) -> str:
    return page.locator("#notice").inner_text()


def test_a_collectors_day(pages: Pages, desk: Desk, offline: OffLine, artefacts: Path) -> None:
    page = signed_in(pages("collector"), desk, desk.collector)
    queue = page.locator("#queue")
    expect(queue).to_be_visible()
    assert page.locator(f"tr[data-case='{desk.night_case}']").count() == 1
    assert page.locator(f"tr[data-case='{desk.day_case}'] .why").inner_text().strip()
    page.screenshot(path=artefacts / "desk-collector-queue.png", full_page=True)

    # The night case: blocked, with the quiet-hours reason in the debtor's own time.
    page.locator(f"tr[data-case='{desk.night_case}'] a").click()
    loaded(page)
    assert page.locator("#debtor").inner_text() == "夜一"
    assert "13800138000" in page.locator("#contacts").inner_text()  # the holder sees it whole
    assert page.locator("#owed").inner_text() == "¥ 1200.50"
    assert int(page.locator("#dpd").inner_text()) > 30
    page.get_by_role("button", name="拨打前检查 Check before calling").click()
    verdict = page.locator("#verdict")
    expect(verdict).to_have_attribute("data-allowed", "no")
    assert verdict.locator("li[data-rule=quiet_hours]").count() == 1
    assert "debtor's local time" in verdict.inner_text()

    # The day case: allowed; then the call, a promise in two instalments, a letter preview.
    page.goto(f"{desk.url}#/case/{desk.day_case}")
    loaded(page)
    page.get_by_role("button", name="拨打前检查 Check before calling").click()
    expect(page.locator("#verdict")).to_have_attribute("data-allowed", "yes")
    form = page.locator("#attempt-form")
    # Date-and-time fields are Shanghai time whatever zone the browser is in.
    started = form.get_by_label("开始时间 started at").input_value()
    shanghai = datetime.fromisoformat(started).replace(tzinfo=ZoneInfo("Asia/Shanghai"))
    assert abs(shanghai - datetime.now(UTC)) < timedelta(minutes=5), started
    form.get_by_label("结果 outcome").select_option("promise_to_pay")
    form.get_by_label("备注 note").fill("答应月底前分两次还")
    form.get_by_role("button", name="记录联系 Log the attempt").click()
    expect(page.locator("#notice")).to_have_text("已记录 Attempt logged")
    expect(page.locator("#attempts")).to_contain_text("promise_to_pay")

    promise = page.locator("#promise-form")
    for _ in range(2):
        promise.get_by_role("button", name="加分期 add an instalment").click()
    dates = promise.get_by_label("分期日期 instalment date")
    amounts = promise.get_by_label("分期金额 instalment amount")
    for i, (day, amount) in enumerate((("2026-12-20", "400.00"), ("2026-12-31", "480.00"))):
        dates.nth(i).fill(day)
        amounts.nth(i).fill(amount)
    promise.get_by_role("button", name="记录承诺 Record the promise").click()
    loaded(page)
    expect(page.locator("#promises")).to_contain_text("2026-12-31 ¥480.00")

    page.locator("#letter-kind").select_option("overdue_notice")
    page.get_by_role("button", name="预览 Preview").click()
    page.wait_for_selector("#letter-preview[data-shown=yes] img")
    width = page.locator("#letter-preview img").evaluate("img => img.naturalWidth")
    assert width > 300, width
    assert notice(page) == ""
    page.screenshot(path=artefacts / "desk-collector-case.png", full_page=True)
    page.get_by_role("button", name="开具 Issue the letter").click()
    expect(page.locator("#notice")).to_have_text("函件已开具 Letter issued")
    expect(page.locator("#letters")).to_contain_text("逾期催收函")
    assert offline.blocked == []


def test_another_collector_sees_not_found(pages: Pages, desk: Desk, artefacts: Path) -> None:
    page = signed_in(pages("outsider"), desk, desk.outsider, f"case/{desk.day_case}")
    expect(page.locator("#not-found")).to_contain_text("未找到 Not found")
    assert "1200" not in page.content() and "880" not in page.content()
    assert page.locator(f"tr[data-case='{desk.day_case}']").count() == 0
    page.screenshot(path=artefacts / "desk-not-found.png")


def test_a_visit_ordered_planned_and_seen_by_the_supervisor(
    pages: Pages, desk: Desk, artefacts: Path
) -> None:
    page = signed_in(pages("visit-list"), desk, desk.collector, "visit-list")
    form = page.locator("#visit-list-form")
    form.get_by_label("外访员 field collector id").fill(desk.field.id)
    form.get_by_label("案件 case id").fill(desk.night_case)
    form.get_by_label("目的 purpose").fill("核实住址")
    form.get_by_role("button", name="提交今日外访清单 File today's list").click()
    expect(page.locator("table.visits")).to_contain_text("核实住址")
    page.screenshot(path=artefacts / "desk-collector-visit-list.png", full_page=True)

    field = signed_in(pages("field"), desk, desk.field)
    expect(field.locator("table.visits")).to_contain_text("核实住址")
    field.get_by_role("button", name="处理 work on it").first.click()
    plan = field.locator("#plan-form")
    plan.get_by_label("计划时间 planned for").fill(noon_tomorrow(desk.night_zone))
    plan.get_by_label("地点 place").fill("债务人住址")
    plan.get_by_label("人员 people").fill("外访员两人")
    plan.get_by_role("button", name="备案计划 File the plan").click()
    expect(field.locator("#notice")).to_contain_text("计划已备案 Plan filed")
    field.screenshot(path=artefacts / "desk-field-visits.png", full_page=True)

    review = signed_in(pages("visits-review"), desk, desk.supervisor, "visits-review")
    expect(review.locator("table.visits")).to_contain_text("债务人住址")  # the filed plan
    review.screenshot(path=artefacts / "desk-supervisor-visits.png", full_page=True)


def test_a_supervisor_grants_an_approval_and_hands_over(
    pages: Pages, desk: Desk, http: httpx.Client, platform: LocalPlatform, artefacts: Path
) -> None:
    a = platform.url("assignment")
    me = sign_in(http, platform, desk.collector.username, desk.collector.password)
    asked = http.post(
        f"{a}/cases/{desk.night_case}/approvals",
        headers=me,
        json={"kind": "legal_action", "reason": "多次承诺未兑现，申请起诉"},
    )
    assert asked.status_code == 201, asked.text
    approval = asked.json()["id"]

    page = signed_in(pages("supervisor"), desk, desk.supervisor, "team")
    expect(page.locator("#workload")).to_contain_text(desk.collector.id[:8])
    page.screenshot(path=artefacts / "desk-supervisor-team.png", full_page=True)

    page.goto(f"{desk.url}#/approvals")
    loaded(page)
    row = page.locator(f"tr[data-approval='{approval}']")
    row.get_by_label("备注/理由 note or reason").fill("同意，转法务")
    page.screenshot(path=artefacts / "desk-supervisor-approvals.png", full_page=True)
    row.get_by_role("button", name="批准 grant").click()
    expect(page.locator("#notice")).to_have_text("已批准 Granted")
    expect(page.locator(f"tr[data-approval='{approval}']")).to_have_count(0)
    decided = http.get(f"{a}/cases/{desk.night_case}/approvals", headers=me).json()
    assert [x["status"] for x in decided if x["id"] == approval] == ["granted"]

    page.goto(f"{desk.url}#/handover")
    loaded(page)
    form = page.locator("#handover-form")
    form.get_by_label("离开的催收员 leaving collector id").fill(desk.collector.id)
    form.get_by_label("接手人 successors").fill(desk.successor.id)
    form.get_by_label("备注 notes").fill("离职交接")
    form.get_by_role("button", name="交接 Hand over").click()
    result = page.locator("#handover-result")
    expect(result).to_contain_text(desk.successor.id[:8])
    assert result.locator("tr").count() == 3  # header + both cases
    page.screenshot(path=artefacts / "desk-supervisor-handover.png", full_page=True)
    admin = sign_in(http, platform, "admin", ADMIN_PASSWORD)
    held = http.get(f"{a}/cases/{desk.day_case}", headers=admin).json()
    assert held["collector_id"] == desk.successor.id


def test_a_bank_reads_its_validation_report_and_downloads_its_statement(
    pages: Pages, desk: Desk, artefacts: Path, offline: OffLine
) -> None:
    page = pages("bank")
    page.goto(desk.url)
    page.get_by_label("API 密钥 API key").fill(desk.bank_key)
    page.get_by_role("button", name="用密钥登录 sign in with the key").click()
    loaded(page)
    page.get_by_label("批次编号 batch id").fill(desk.batch_id)
    page.get_by_role("button", name="查看报告 Show its report").click()
    page.wait_for_selector("#validation-report")
    loaded(page)
    assert page.locator("#rows-imported").inner_text() == "2"
    assert page.locator("#rows-rejected").inner_text() == "1"
    report = page.locator("#report-rows").inner_text()
    assert "姓名" in report and "欠款总额" in report
    page.screenshot(path=artefacts / "desk-bank-report.png", full_page=True)

    page.goto(f"{desk.url}#/bank-case")
    loaded(page)
    cases = page.locator("#bank-cases tbody tr")
    assert [cases.nth(i).get_attribute("data-ref") for i in range(cases.count())] == ["D1", "N1"]
    page.get_by_label("按账号开头筛选").fill("N")
    page.get_by_role("button", name="筛选 Filter").click()
    expect(cases).to_have_count(1)
    cases.first.locator("a").click()
    loaded(page)
    expect(page.locator("#bank-case")).to_contain_text("1200.50")
    assert page.locator("#timeline tr").count() > 1
    page.screenshot(path=artefacts / "desk-bank-case.png", full_page=True)

    page.goto(f"{desk.url}#/bank-statement")
    loaded(page)
    with page.expect_download() as got:
        page.get_by_role("button", name="下载 Download (CSV)").click()
    saved = artefacts / got.value.suggested_filename
    got.value.save_as(saved)
    assert desk.client_id in saved.name
    assert saved.read_bytes().strip(), "the statement has content"
    page.get_by_role("button", name="查看 Show", exact=True).click()
    expect(page.locator("#statement .report")).to_contain_text(desk.client_id)
    assert "[object" not in page.locator("#statement").inner_text()
    page.screenshot(path=artefacts / "desk-bank-statement.png", full_page=True)
    assert offline.blocked == []


def test_signing_in_is_the_first_screen(page: Page, desk: Desk, artefacts: Path) -> None:
    page.goto(desk.url)
    expect(page.locator("#signin")).to_be_visible()
    assert page.locator("#view").is_hidden()
    policy = page.request.get(desk.url).headers["content-security-policy"]
    assert "script-src 'self';" in policy and "http" in policy.split("connect-src")[1]
    page.screenshot(path=artefacts / "desk-sign-in.png")


def bank_signed_in(page: Page, desk: Desk, key: str, path: str = "") -> Page:
    page.goto(desk.url)
    page.get_by_label("API 密钥 API key").fill(key)
    page.get_by_role("button", name="用密钥登录 sign in with the key").click()
    loaded(page)
    if path:
        page.goto(f"{desk.url}#/{path}")
        loaded(page)
    return page


def test_a_bank_lists_only_its_own_case_files_a_page_at_a_time(
    pages: Pages, desk: Desk, http: httpx.Client, platform: LocalPlatform, artefacts: Path
) -> None:
    admin = sign_in(http, platform, "admin", ADMIN_PASSWORD)
    other, other_key = new_bank(http, platform, admin)
    posted = []
    for n in range(21):  # one more than a page; every row refused, so nothing is imported
        text = f"卡号,姓名,欠款总额,手机号,家庭地址,逾期日期\nR{n},,-5,{PHONE},上海,2026-10-01\n"
        answer = http.post(
            f"{platform.url('intake')}/clients/{other}/case-files",
            files={"file": (f"file-{n:02d}.csv", text.encode(), "text/csv")},
            headers=other_key,
        )
        assert answer.status_code in (201, 422), answer.text
        where = answer.headers.get("Location") or answer.json()["url"]
        posted.append(where.rsplit("/", 1)[1])

    mine = bank_signed_in(pages("own"), desk, desk.bank_key)
    expect(mine.locator(f"tr[data-batch='{desk.batch_id}']")).to_have_count(1)
    assert mine.locator("#batches tbody tr").count() == 1  # the other bank's 21 are not here
    mine.locator(f"tr[data-batch='{desk.batch_id}'] a").click()
    loaded(mine)
    assert mine.locator("#rows-rejected").inner_text() == "1"
    expect(mine.locator(f"tr[data-batch='{desk.batch_id}']")).to_have_attribute(
        "aria-current", "true"
    )

    page = bank_signed_in(pages("other"), desk, other_key["X-API-Key"])
    rows = page.locator("#batches tbody tr")
    expect(rows).to_have_count(20)
    newest_first = [rows.nth(i).get_attribute("data-batch") for i in range(20)]
    assert newest_first == posted[::-1][:20]
    page.screenshot(path=artefacts / "desk-bank-case-files.png", full_page=True)
    assert page.get_by_role("button", name="上一页 previous").is_disabled()
    page.get_by_role("button", name="下一页 next page").press("Enter")  # the keyboard pages too
    expect(rows).to_have_count(1)
    assert rows.first.get_attribute("data-batch") == posted[0]
    assert page.get_by_role("button", name="下一页 next page").is_disabled()
    expect(page.get_by_role("button", name="上一页 previous")).to_be_focused()

    rows.first.locator("a").click()  # its report opens, and the list stays on its page
    loaded(page)
    expect(page.locator("#validation-report")).to_contain_text("file-00.csv")
    assert page.locator("#report-rows").inner_text().count("error") >= 1
    expect(rows).to_have_count(1)
    page.get_by_role("button", name="上一页 previous").click()
    expect(rows).to_have_count(20)
    assert rows.first.get_attribute("data-batch") == posted[-1]

    page.goto(f"{desk.url}#/bank/{desk.batch_id}")  # another bank's file: not found
    loaded(page)
    expect(page.locator("#not-found")).to_contain_text("未找到 Not found")


def test_a_supervisor_approves_a_submitted_report_from_the_page(
    pages: Pages, desk: Desk, http: httpx.Client, platform: LocalPlatform, artefacts: Path
) -> None:
    admin = sign_in(http, platform, "admin", ADMIN_PASSWORD)
    # The successor: the first collector has left by the handover.
    collector = desk.successor
    team = http.get(f"{platform.url('assignment')}/staff/{collector.id}", headers=admin)
    lead = _person(http, platform, admin, "supervisor", team.json()["team_id"])
    reports = f"{platform.url('reporting')}/reports/submissions"
    me = sign_in(http, platform, collector.username, collector.password)
    submitted = {}
    for report in ("collector_weekly", "collector_monthly"):
        made = http.post(
            reports, headers=me, json={"report": report, "on": "2026-10-15", "remarks": report}
        )
        assert made.status_code == 201, made.text
        submitted[report] = made.json()["submission_id"]

    # The collector sees their own reports; deciding one is refused, in words.
    own = signed_in(pages("collector"), desk, collector, "reports")
    row = own.locator(f"tr[data-submission='{submitted['collector_weekly']}']")
    row.get_by_role("button", name="批准 approve").click()
    expect(own.locator("#notice")).to_contain_text("您的角色不能这样做 Your role may not do this")
    expect(own.locator("#notice")).to_contain_text("you may not review this report")

    page = signed_in(pages("supervisor"), desk, lead, "reports")
    weekly = page.locator(f"tr[data-submission='{submitted['collector_weekly']}']")
    expect(weekly).to_contain_text("催收员周报")
    expect(page.locator(f"tr[data-submission='{submitted['collector_monthly']}']")).to_have_count(1)
    weekly.get_by_label("意见 note").fill("数据核对无误")
    page.screenshot(path=artefacts / "desk-supervisor-reports.png", full_page=True)
    weekly.get_by_role("button", name="批准 approve").click()
    expect(page.locator("#notice")).to_have_text("已批准 Approved")
    expect(weekly).to_have_count(0)  # no longer waiting
    read = http.get(f"{reports}/{submitted['collector_weekly']}", headers=me).json()
    assert read["status"] == "approved"
    assert [(r["decision"], r["note"]) for r in read["reviews"]] == [("approved", "数据核对无误")]

    monthly = page.locator(f"tr[data-submission='{submitted['collector_monthly']}']")
    monthly.locator("a").click()  # its snapshot, then returned from there
    loaded(page)
    expect(page.locator("#submission")).to_contain_text("提交时的报告")
    page.locator("#submission").get_by_label("意见 note").fill("请补充外访记录")
    page.locator("#submission").get_by_role("button", name="退回 return").click()
    expect(page.locator("#notice")).to_have_text("已退回 Returned")
    expect(page.locator("#submission-status")).to_have_text("returned")
    page.get_by_label("显示 show").select_option("returned")
    expect(page.locator(f"tr[data-submission='{submitted['collector_monthly']}']")).to_have_count(1)
