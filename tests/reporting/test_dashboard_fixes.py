"""The dashboard as HQ reads it: recovered agrees with vs target (a payment before the case
was assigned counts for the platform and the client), a name in the header, empty charts
that say so."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from services.reporting.pictures import charts
from tests.reporting.conftest import C1, Desk
from tests.reporting.scenario import cst, october


def _october_with_an_unassigned_payment():  # type: ignore[no-untyped-def]
    s = october()
    s.import_case("E", "300.00", date(2026, 9, 25), "M1", "card", cst("10-05", "09:00"))
    s.pay("E", "120.00", cst("10-05", "10:00"))  # paid before anyone held the case
    return s


def test_recovered_agrees_with_vs_target_when_no_collector_is_credited(
    make_desk: Callable[..., Desk],
) -> None:
    desk = make_desk(_october_with_an_unassigned_payment())
    k = desk.json("/reports/kpis", period="month", on="2026-10-09")
    assert k["recovered"] == "1020.00"  # 900.00 of the scenario + 120.00
    assert [row["recovered"] for row in k["vs_target"]] == ["1020.00"]
    dashboard = desk.json("/dashboard/data", period="month", on="2026-10-09")
    assert dashboard["recovered"] == "1020.00"
    mine = desk.json("/reports/kpis", C1, period="month", on="2026-10-09")
    assert mine["recovered"] == "650.50", "a collector is credited only with their own"


def test_the_header_names_the_caller_not_their_id(desk: Desk) -> None:
    assert desk.json("/dashboard/data", C1, period="month", on="2026-10-09")["who"] == "王芳"
    hq = desk.json("/dashboard/data", period="month", on="2026-10-09")["who"]
    assert "hq" in hq.lower()


def test_an_empty_chart_says_no_data_instead_of_drawing_axes() -> None:
    empty = charts.render(charts.aging(["M1", "M2"], [0, 0], [0, 0]), "svg")  # type: ignore[list-item]
    full = charts.render(charts.aging(["M1", "M2"], [100, 50], [1, 1]), "svg")  # type: ignore[list-item]
    assert charts.NO_DATA_ID.encode() in empty
    assert charts.NO_DATA_ID.encode() not in full
