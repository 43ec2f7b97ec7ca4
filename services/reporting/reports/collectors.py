"""Collectors' weekly and monthly reports and the branch's monthly report for HQ."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.reporting.directory import Collector
from services.reporting.models import LIVE
from services.reporting.periods import Period
from services.reporting.reports.activity import FIGURES, Activity, collector_activity
from services.reporting.reports.shape import Report, Section

LABELS = {
    "cases_worked": "处理案件数 cases worked",
    "calls": "电话 calls",
    "sms": "短信 SMS",
    "faxes": "传真 faxes",
    "letters": "信函 letters",
    "visits": "外访 visits",
    "right_party_contacts": "本人接触 right-party contacts",
    "promises_made": "承诺还款 promises made",
    "promises_kept": "承诺兑现 promises kept",
    "promises_broken": "承诺未兑现 promises broken",
    "extension_requests": "延期申请 extension requests",
    "recovered": "回收金额 recovered",
}
WHO = [
    ("collector_id", "催收员 collector"),
    ("name", "姓名 name"),
    ("team_id", "组 team"),
    ("branch_id", "分公司 branch"),
]
CHINESE_KIND = {"week": "周", "month": "月", "day": "日"}
FIGURE_COLUMNS = [(f, LABELS[f]) for f in FIGURES]


def _row(c: Collector, activity: Activity) -> dict[str, object]:
    return {
        "collector_id": c.collector_id,
        "name": c.name,
        "team_id": c.team_id,
        "branch_id": c.branch_id,
        **activity.as_row(),
    }


def progress(session: Session, period: Period, collectors: dict[str, Collector]) -> Report:
    """Per collector: what was worked and recovered in the period."""
    activity = collector_activity(session, period)
    rows = [_row(c, activity.get(k, Activity())) for k, c in sorted(collectors.items())]
    total = Activity()
    for key in collectors:
        total.add(activity.get(key, Activity()))
    kind = {"week": "weekly", "month": "monthly", "day": "daily"}[period.kind]
    return Report(
        report=f"collector_{kind}",
        title=f"催收员{CHINESE_KIND[period.kind]}报 collector {kind} report",
        period=period.label,
        scope=", ".join(sorted(collectors)) or "-",
        sections=[Section("progress", WHO + FIGURE_COLUMNS, rows)],
        summary=total.as_row(),
    )


EXTENSION_COLUMNS = [
    ("approval_id", "申请 request"),
    ("case_id", "案件 case"),
    ("requested_by", "申请人 requested by"),
    ("requested_at", "时间 requested at"),
    ("reason", "原因 reason"),
    ("next_steps", "下一步计划 next steps"),
    ("decision", "审批 decision"),
]


def monthly(session: Session, period: Period, collectors: dict[str, Collector]) -> Report:
    """The monthly report: progress plus each extension request with reason and next steps."""
    report = progress(session, period, collectors)
    ap = LIVE.approvals
    rows = [
        dict(r._mapping)
        for r in session.execute(
            select(*(ap.c[k] for k, _ in EXTENSION_COLUMNS))
            .where(
                ap.c.kind == "extension",
                ap.c.requested_at >= period.start,
                ap.c.requested_at < period.end,
                ap.c.requested_by.in_(list(collectors)),
            )
            .order_by(ap.c.requested_at, ap.c.approval_id)
        )
    ]
    report.sections.append(Section("extensions", EXTENSION_COLUMNS, rows))
    return report


def branch_monthly(
    session: Session, period: Period, branch_id: str, collectors: dict[str, Collector]
) -> Report:
    """For HQ: each collector of the branch, each team's subtotal, the branch total."""
    members = {k: c for k, c in collectors.items() if c.branch_id == branch_id}
    activity = collector_activity(session, period)
    teams: dict[str, Activity] = defaultdict(Activity)
    total = Activity()
    rows = []
    for key, c in sorted(members.items(), key=lambda kv: (kv[1].team_id or "", kv[0])):
        done = activity.get(key, Activity())
        rows.append(_row(c, done))
        teams[c.team_id or "-"].add(done)
        total.add(done)
    team_rows = [{"team_id": t, **a.as_row()} for t, a in sorted(teams.items())]
    return Report(
        report="branch_monthly",
        title="分公司月报 branch monthly report",
        period=period.label,
        scope=branch_id,
        sections=[
            Section("collectors", WHO + FIGURE_COLUMNS, rows),
            Section("teams", [("team_id", "组 team"), *FIGURE_COLUMNS], team_rows),
        ],
        summary=total.as_row(),
    )
