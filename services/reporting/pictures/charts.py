"""Charts with Chinese labels, as SVG or PNG: matplotlib figures (no pyplot state) with
Noto Sans SC from the `pylopdf-fonts-zh-cn` package registered once, so no system font is
needed. SVG text is drawn as outlines: it looks the same in any browser, offline."""

from __future__ import annotations

import io
import threading
from collections.abc import Sequence
from decimal import Decimal
from typing import Literal

from matplotlib import font_manager
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator
from pylopdf_fonts_zh_cn import sans_path

ImageFormat = Literal["svg", "png"]
NO_DATA_ID = "no-data"  # the element an empty chart draws instead of its axes
_font_lock = threading.Lock()
_font_name: str | None = None


def chinese_font() -> str:
    global _font_name
    with _font_lock:
        if _font_name is None:
            font_manager.fontManager.addfont(str(sans_path()))
            _font_name = font_manager.FontProperties(fname=str(sans_path())).get_name()
    return _font_name


def _figure(title: str, size: tuple[float, float] = (6.4, 3.6)) -> Figure:
    figure = Figure(figsize=size, dpi=100, layout="constrained")
    figure.suptitle(title, fontfamily=chinese_font(), fontsize=12)
    return figure


def render(figure: Figure, fmt: ImageFormat) -> bytes:
    out = io.BytesIO()
    figure.savefig(out, format=fmt, metadata={"Date": None} if fmt == "svg" else None)
    return out.getvalue()


def _empty(values: Sequence[object]) -> bool:
    return not any(v for v in values if v is not None)


def _no_data(axes: object) -> None:
    """Say so, instead of axes around nothing (matplotlib then spans ±0.04)."""
    axes.set_axis_off()  # type: ignore[attr-defined]
    axes.text(  # type: ignore[attr-defined]
        0.5, 0.5, "暂无数据 no data", transform=axes.transAxes,  # type: ignore[attr-defined]
        ha="center", va="center", fontsize=14, color="#777", fontfamily=chinese_font(),
        gid=NO_DATA_ID,
    )  # fmt: skip


def _style(axes: object) -> None:
    for label in axes.get_xticklabels() + axes.get_yticklabels():  # type: ignore[attr-defined]
        label.set_fontfamily(chinese_font())


def recovered_vs_target(
    months: Sequence[str], recovered: Sequence[Decimal], target: Sequence[Decimal | None]
) -> Figure:
    figure = _figure("回收金额与目标 recovered vs target")
    axes = figure.subplots()
    if _empty([*recovered, *target]):
        _no_data(axes)
        return figure
    axes.bar(months, [float(v) for v in recovered], color="#2b7bb9", label="回收 recovered")
    axes.plot(
        months,
        [None if t is None else float(t) for t in target],
        color="#d9534f",
        marker="o",
        label="目标 target",
    )
    axes.set_ylabel("元 CNY", fontfamily=chinese_font())
    axes.legend(prop={"family": chinese_font()})
    _style(axes)
    return figure


def aging(buckets: Sequence[str], balances: Sequence[Decimal], cases: Sequence[int]) -> Figure:
    figure = _figure("账龄分布 aging by days past due")
    axes = figure.subplots()
    if _empty([*balances, *cases]):
        _no_data(axes)
        return figure
    bars = axes.bar(buckets, [float(b) for b in balances], color="#5cb85c")
    axes.bar_label(bars, labels=[f"{n}户" for n in cases], fontfamily=chinese_font())
    axes.margins(y=0.12)
    axes.set_ylabel("余额 balance (元)", fontfamily=chinese_font())
    _style(axes)
    return figure


def collector_ranking(names: Sequence[str], recovered: Sequence[Decimal]) -> Figure:
    figure = _figure("催收员排名 collector ranking", (6.4, max(2.4, 0.45 * len(names) + 1.2)))
    axes = figure.subplots()
    if _empty(recovered):
        _no_data(axes)
        return figure
    axes.barh(list(names)[::-1], [float(v) for v in recovered][::-1], color="#f0ad4e")
    axes.set_xlabel("回收金额 recovered (元)", fontfamily=chinese_font())
    _style(axes)
    return figure


SLA_LABELS = {
    "entry": "录入 entry",
    "assignment": "分案 assignment",
    "first_contact": "首次联系 first contact",
    "field_visit": "外访 field visit",
    "letter_notice": "催收函 notice",
}


def sla_per_week(weeks: Sequence[str], counts: dict[str, Sequence[int]]) -> Figure:
    figure = _figure("每周时限违规 SLA breaches per week")
    axes = figure.subplots()
    if _empty([v for series in counts.values() for v in series]):
        _no_data(axes)
        return figure
    bottom = [0] * len(weeks)
    for kind, label in SLA_LABELS.items():
        values = list(counts.get(kind, [0] * len(weeks)))
        axes.bar(weeks, values, bottom=bottom, label=label)
        bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    axes.legend(prop={"family": chinese_font(), "size": 8})
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.tick_params(axis="x", labelrotation=30, labelsize=8)
    _style(axes)
    return figure
