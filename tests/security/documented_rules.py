"""Rules an operation's document states in words because JSON Schema cannot: a rule between
fields (``min_amount`` below ``max_amount``), between the path and the body (days of the
path's year), uniqueness by one member (one ladder step a day), or what an uploaded file
holds (a case file's columns, a seal's image format, a schedule's lines).

Schemathesis' valid requests are made to follow them, as a client that read the description
would; invalid requests are left as generated. Each rule changes only what its documented
rule forbids and keeps the rest of the generated request.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import schemathesis
from hypothesis import strategies as st
from schemathesis.core.file_samples import FILE_SAMPLES

Rule = Callable[[st.DrawFn, schemathesis.Case], None]

MONEY = st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False)
PAID = st.decimals(min_value=Decimal("0.01"), max_value=10**7, places=2, allow_nan=False)
REF = st.text("ABCDEFGHJKLMNPQRSTUVWXYZ0123456789", min_size=1, max_size=20)
HAN = st.text(st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5), min_size=2, max_size=4)
TEXT = st.characters(codec="utf-8", exclude_categories=["Cs", "Cc", "Zl", "Zp"])
NOTE = st.text(TEXT, max_size=20)


def _today() -> date:
    return datetime.now(UTC).date()


def _csv(header: list[str], rows: list[list[str]]) -> bytes:
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return text.getvalue().encode("utf-8")


def _file(case: schemathesis.Case, content: bytes) -> None:
    if isinstance(case.body, dict):
        case.body["file"] = content


# --- intake ------------------------------------------------------------------------------


def case_file(draw: st.DrawFn, case: schemathesis.Case) -> None:
    """CSV with the default headers (卡号, 姓名, 欠款总额), each account once; the as-of date
    not after the day received, as the description says."""
    refs = draw(st.lists(REF, min_size=1, max_size=5, unique=True))
    rows = [[ref, draw(HAN), str(draw(MONEY))] for ref in refs]
    _file(case, _csv(["卡号", "姓名", "欠款总额"], rows))
    if isinstance(case.body, dict) and "as_of" in case.body:
        latest = _today() - timedelta(days=1)
        if str(case.body["as_of"]) > latest.isoformat():
            case.body["as_of"] = latest.isoformat()


def payment_file(draw: st.DrawFn, case: schemathesis.Case) -> None:
    """CSV with the four required columns; rows naming no case are reported per row."""
    count = draw(st.integers(1, 5))
    rows = [
        [
            draw(REF),
            draw(REF),
            str(draw(PAID)),
            (_today() - timedelta(days=draw(st.integers(0, 400)))).isoformat(),
        ]
        for _ in range(count)
    ]
    _file(case, _csv(["account_ref", "transaction_ref", "amount", "paid_at"], rows))


def agreement_terms(draw: st.DrawFn, case: schemathesis.Case) -> None:
    """Each of our fields named by one header at most; the end not before the start (when
    both are sent)."""
    body = case.body
    if not isinstance(body, dict):
        return
    mapping = body.get("column_mapping")
    if isinstance(mapping, dict):
        named: set[str] = set()
        for header, field in list(mapping.items()):
            if field and field in named:
                del mapping[header]
            named.add(field)
    start, end = body.get("start_date"), body.get("end_date")
    if isinstance(start, str) and isinstance(end, str) and end < start:
        body["start_date"], body["end_date"] = end, start


# --- assignment --------------------------------------------------------------------------


def _not_later_than_now(name: str) -> Rule:
    """``name``, a time, not later than now (a past or present fact)."""

    def rule(draw: st.DrawFn, case: schemathesis.Case) -> None:
        body = case.body
        value = body.get(name) if isinstance(body, dict) else None
        if not isinstance(value, str):
            return
        try:
            later = datetime.fromisoformat(value) > datetime.now(UTC) - timedelta(minutes=1)
        except (ValueError, OverflowError):
            return
        if later:
            body[name] = (datetime.now(UTC) - timedelta(hours=1)).isoformat()

    return rule


def amount_band(draw: st.DrawFn, case: schemathesis.Case) -> None:
    """``min_amount`` below ``max_amount`` when both are given."""
    body = case.body
    if not isinstance(body, dict):
        return
    low, high = body.get("min_amount"), body.get("max_amount")
    if isinstance(low, str) and isinstance(high, str) and Decimal(low) >= Decimal(high):
        del body["max_amount"]


def steps_on_own_days(draw: st.DrawFn, case: schemathesis.Case) -> None:
    """One ladder step a day: a later step on a day already taken is left out."""
    body = case.body
    if isinstance(body, dict) and isinstance(body.get("steps"), list):
        taken: set[Any] = set()
        kept = []
        for step in body["steps"]:
            day = step.get("day") if isinstance(step, dict) else None
            if day not in taken:
                taken.add(day)
                kept.append(step)
        body["steps"] = kept


def _in_year(value: str, year: int) -> str:
    day = date.fromisoformat(value)
    try:
        return day.replace(year=year).isoformat()
    except ValueError:  # 29 February of a year that has none
        return date(year, 2, 28).isoformat()


def days_of_the_year(draw: st.DrawFn, case: schemathesis.Case) -> None:
    """Every day in the path's year, each once, at least one holiday."""
    year = int(case.path_parameters["year"])
    body = case.body
    if not isinstance(body, dict) or not isinstance(body.get("days"), list):
        return
    seen: set[str] = set()
    kept = []
    for entry in body["days"]:
        entry["day"] = _in_year(entry["day"], year)
        if entry["day"] not in seen:
            seen.add(entry["day"])
            kept.append(entry)
    if not any(entry["kind"] == "holiday" for entry in kept):
        kept[0]["kind"] = "holiday"
    body["days"] = kept


def schedule_file(draw: st.DrawFn, case: schemathesis.Case) -> None:
    """``date,kind,name`` lines of the path's year, each day once, at least one holiday."""
    year = int(case.path_parameters["year"])
    first = date(year, 1, 1)
    length = (date(year + 1, 1, 1) - first).days
    offsets = draw(st.lists(st.integers(0, length - 1), min_size=1, max_size=30, unique=True))
    kinds = ["holiday"] + [draw(st.sampled_from(["holiday", "workday"])) for _ in offsets[1:]]
    rows = [
        [(first + timedelta(days=offset)).isoformat(), kind, draw(NOTE)]
        for offset, kind in zip(offsets, kinds, strict=True)
    ]
    _file(case, _csv(["date", "kind", "name"], rows))


# --- letters -----------------------------------------------------------------------------


def seal_image(draw: st.DrawFn, case: schemathesis.Case) -> None:
    """A PNG or JPEG, as the part's ``encoding`` says (told by content)."""
    _file(case, FILE_SAMPLES[draw(st.sampled_from(["png", "jpg"]))])


def _number(value: Any) -> Decimal:
    return Decimal(str(value))


def letter_fields(draw: st.DrawFn, case: schemathesis.Case) -> None:
    """A fax asks for something overdue (``payable`` above ``paid``); a penalty runs from
    ``due_on`` or later."""
    body = case.body
    fields = body.get("fields") if isinstance(body, dict) else None
    if not isinstance(fields, dict):
        return
    if body.get("kind") == "payment_reminder_fax" and {"payable", "paid"} <= fields.keys():
        payable, paid = _number(fields["payable"]), _number(fields["paid"])
        if payable < paid:
            fields["payable"], fields["paid"] = fields["paid"], fields["payable"]
        elif payable == paid:
            fields["paid"], fields["payable"] = "0", "1" if payable == 0 else fields["payable"]
    if body.get("kind") == "penalty_notice" and {"penalty_from", "due_on"} <= fields.keys():
        fields["penalty_from"] = max(fields["penalty_from"], fields["due_on"])


def acknowledgment_signed(draw: st.DrawFn, case: schemathesis.Case) -> None:
    """A signed acknowledgment says the day it was signed."""
    body = case.body
    if isinstance(body, dict) and body.get("kind") == "acknowledgment" and "signed_on" not in body:
        body["signed_on"] = (_today() - timedelta(days=draw(st.integers(0, 30)))).isoformat()


# (service, "METHOD /path") -> the documented rule its valid requests follow.
RULES: dict[tuple[str, str], Rule] = {
    ("intake", "POST /clients/{client_id}/case-files"): case_file,
    ("intake", "POST /clients/{client_id}/payment-files"): payment_file,
    ("intake", "POST /clients/{client_id}/agreements"): agreement_terms,
    ("intake", "PATCH /clients/{client_id}/agreements/{agreement_id}"): agreement_terms,
    ("assignment", "POST /rules"): amount_band,
    ("assignment", "PUT /rules/{rule_id}"): amount_band,
    ("assignment", "PUT /strategy/ladders/{product_type}"): steps_on_own_days,
    ("assignment", "POST /calendar/years/{year}"): days_of_the_year,
    ("assignment", "POST /calendar/years/{year}/file"): schedule_file,
    ("assignment", "POST /incidents"): _not_later_than_now("occurred_at"),
    ("assignment", "POST /field-visits/{visit_id}/emergency"): _not_later_than_now("occurred_at"),
    ("assignment", "POST /incidents/{incident_id}/log"): _not_later_than_now("at"),
    ("letters", "PUT /clients/{client_id}/letterhead/seal"): seal_image,
    ("letters", "POST /letters/batches"): letter_fields,
    ("letters", "POST /cases/{case_id}/letters"): letter_fields,
    ("letters", "POST /cases/{case_id}/letters/preview"): letter_fields,
    ("letters", "POST /cases/{case_id}/letters/{letter_id}/evidence"): acknowledgment_signed,
}


def following(
    cases: st.SearchStrategy[schemathesis.Case], rule: Rule
) -> st.SearchStrategy[schemathesis.Case]:
    """The valid cases of ``cases`` made to follow the operation's documented ``rule``."""

    @st.composite
    def followed(draw: st.DrawFn) -> schemathesis.Case:
        case = draw(cases)
        rule(draw, case)
        return case

    return followed()
