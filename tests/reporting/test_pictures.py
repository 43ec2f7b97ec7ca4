"""Charts: the numbers behind them, and Chinese labels drawn with the packaged font."""

from __future__ import annotations

import warnings

import pytest

from tests.reporting.conftest import C1, Desk

OCTOBER = {"period": "month", "on": "2026-10-15"}


@pytest.mark.parametrize(
    "chart", ["recovered-vs-target", "aging", "collector-ranking", "sla-breaches"]
)
def test_each_chart_renders_as_svg_and_png_with_every_chinese_glyph(desk: Desk, chart: str) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # matplotlib warns "Glyph … missing from font"
        svg = desk.get(f"/charts/{chart}", format="svg", **OCTOBER)
        png = desk.get(f"/charts/{chart}", format="png", **OCTOBER)
    assert svg.status_code == 200 and svg.headers["content-type"] == "image/svg+xml"
    assert svg.text.lstrip().startswith("<?xml") and "<svg" in svg.text
    assert png.status_code == 200 and png.content[:8] == b"\x89PNG\r\n\x1a\n"


def test_chart_figures_follow_the_scope(desk: Desk) -> None:
    from datetime import date

    from services.reporting.periods import period_of
    from services.reporting.pictures import data

    with desk.runtime.db.reader() as session:
        from services.reporting.directory import collectors, visible

        everyone = collectors(session)
        month = period_of("month", date(2026, 10, 15))
        found = data.recovered_by_month(session, month, everyone, True)
        assert found["months"][-2:] == ["2026-09", "2026-10"]
        assert [str(v) for v in found["recovered"][-2:]] == ["0.00", "900.00"]
        assert str(found["target"][-1]) == "1000.00"
        mine = data.recovered_by_month(session, month, visible(C1, session), False)
        assert str(mine["recovered"][-1]) == "650.50" and str(mine["target"][-1]) == "500.00"
        ranked = data.ranking(session, month, everyone)
        assert [(n, str(v)) for n, v in ranked] == [
            ("王芳", "650.50"),
            ("李强", "249.50"),
            ("赵敏", "0.00"),
        ]
        weekly = data.breaches_per_week(session, month, everyone, True, desk.runtime.clock())
        # October's 4, and D's first contact (assigned 09-20 10:00, never attempted)
        assert sum(sum(v) for v in weekly["counts"].values()) == 5
        assert weekly["counts"]["first_contact"][1] == 1  # week ending Friday 09-25


def test_the_dashboard_page_is_public_but_its_figures_are_not(desk: Desk) -> None:
    page = desk.client.get("/dashboard")
    assert page.status_code == 200 and "催收看板" in page.text
    assert "http" not in page.text.replace(desk.runtime.settings.auth_token_url, "")
    assert "default-src 'self'" in page.headers["content-security-policy"]
    assert desk.client.get("/dashboard/data").status_code == 401
    mine = desk.json("/dashboard/data", C1, **OCTOBER)
    assert mine["recovered"] == "650.50" and mine["who"] == "王芳"
