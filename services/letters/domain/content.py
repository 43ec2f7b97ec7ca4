"""What a letter says, as plain data for its template: amounts with their capital
numerals, dates the Chinese way, the penalty worked out, the deadline in words."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from services.letters.domain.kinds import LetterKind
from services.letters.domain.money_words import YuanSign, amount_in_words, to_fen
from services.letters.domain.penalty import penalty_to_date
from shared.pastdue import days_past_due

PARTS = (("principal", "本金"), ("interest", "利息"), ("penalty", "罚息及违约金"), ("fees", "费用"))
ROLES = {"debtor": "债务人", "guarantor": "保证人"}


@dataclass(frozen=True)
class Sender:
    name: str
    address: str
    phone: str
    dispute_phone: str
    email: str | None = None
    website: str | None = None
    payment_account: str | None = None


@dataclass(frozen=True)
class CaseFacts:
    client_id: str
    debtor_name: str
    account_ref: str
    total_owed: Decimal
    overdue_since: date | None
    parts: dict[str, Decimal | None]


def chinese_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def money(amount: Decimal, yuan: YuanSign = "元") -> dict[str, str]:
    return {"figure": f"{to_fen(amount):,.2f}", "words": amount_in_words(amount, yuan=yuan)}


def _plain(value: Any, yuan: YuanSign) -> Any:
    if isinstance(value, Decimal):
        return money(value, yuan)
    if isinstance(value, date):
        return chinese_date(value)
    if isinstance(value, list):
        return [_plain(v, yuan) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v, yuan) for k, v in value.items()}
    return value


def kind_fields(
    kind: LetterKind, fields: dict[str, Any], case: CaseFacts, as_of: date, rate: Decimal
) -> dict[str, Any]:
    """The kind's own fields plus what follows from them (totals, the penalty)."""
    extra: dict[str, Any] = {}
    if kind.code == "payment_reminder_fax":
        extra["overdue"] = max(fields["payable"] - fields["paid"], Decimal("0"))
    elif kind.code == "penalty_notice":
        daily = fields.get("daily_rate") or rate
        worked = penalty_to_date(fields["amount_due"], daily, fields["penalty_from"], as_of)
        extra = {
            "penalty_days": worked.days_overdue,
            "penalty_total": worked.total,
            "per_day": worked.per_day,
            "rate_text": f"{(daily * 100).normalize():f}%",
        }
        fields = {**fields, "daily_rate": str(daily)}
    elif kind.code == "statement":
        extra["total"] = sum((line["amount"] for line in fields["lines"]), Decimal("0"))
    return {**fields, **extra}


def letter_content(
    *,
    kind: LetterKind,
    fields: dict[str, Any],
    case: CaseFacts,
    sender: Sender,
    recipient: dict[str, Any],
    reference: str,
    as_of: date,
    daily_rate: Decimal,
    seal: str | None = None,
    yuan: YuanSign = "元",
) -> dict[str, Any]:
    since = case.overdue_since
    parts = [
        {"label": label, "figure": money(value)["figure"]}
        for key, label in PARTS
        if (value := case.parts.get(key))
    ] or [{"label": "欠款", "figure": money(case.total_owed)["figure"]}]
    rule = kind.deadline
    return {
        "title": kind.title,
        "reference": reference,
        "issued_on": chinese_date(as_of),
        "as_of": chinese_date(as_of),
        "creditor": sender.name,
        "letterhead": sender.__dict__,
        "seal": seal,
        "recipient": {
            "name": recipient["name"],
            "address": recipient.get("address"),
            "role": ROLES[recipient["party"]],
        },
        "debtor": {"name": case.debtor_name},
        "account_ref": case.account_ref,
        "owed": money(case.total_owed, yuan),
        "parts": parts,
        "overdue_since": chinese_date(since) if since else "—",
        "days_overdue": days_past_due(since, as_of),
        "deadline": None
        if rule is None
        else {"days": rule.days, "unit": "工作日" if rule.count == "working" else "自然日"},
        "fields": _plain(kind_fields(kind, fields, case, as_of, daily_rate), yuan),
    }
