"""The score card as text (rich): one block per unit.

Per unit: the indicator table (target, actual, 分值, self-score, computed score and the
difference), then the parts (预算执行率 and the three 一级指标) with the total and grade
beside the clerk's, then the common indicators (rates as 81.82%, amounts in 万元), then
the notes and — for a unit that could not be scored — the reasons.  Everything comes from
the :class:`~perfxl.report.Report` that the JSON output also renders.
"""

from __future__ import annotations

import math
import os
from typing import TYPE_CHECKING, Any

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from perfxl.common import COMMON_INDICATORS

if TYPE_CHECKING:  # pragma: no cover
    from perfxl.report import FileReport, Report
    from perfxl.score import IndicatorScore, ScoreCard

__all__ = ["render_scores", "fmt_rate", "fmt_score", "fmt_diff"]


def fmt_score(v: float | None) -> str:
    """A score to two decimals, '—' when there is none."""
    return "—" if v is None else f"{v + 0.0:.2f}"


def fmt_diff(v: float | None) -> str:
    """A self − computed gap with its sign ('+5.00'), '—' when there is none."""
    if v is None:
        return "—"
    v = round(v, 2) + 0.0
    return f"{v:+.2f}" if v else "0.00"


def fmt_rate(v: float | None) -> str:
    """A fraction as a percentage ('81.82%'), '—' when there is none."""
    return "—" if v is None else f"{v * 100 + 0.0:.2f}%"


def _value_cell(v: Any, unit: Any, percent: bool) -> Text:
    """A value for the table: numbers right-aligned, 定性 text left-aligned."""
    numeric = isinstance(v, (int, float)) and not isinstance(v, bool)
    return Text(_fmt_value(v, unit, percent), justify="right" if numeric or v is None else "left")


def _fmt_value(v: Any, unit: Any = None, percent: bool = False) -> str:
    """A target or actual as read (indicator values keep their written scale: 95% is 95),
    without trailing zeros, followed by the 度量单位 ('%' when written as a percentage)."""
    if v is None:
        return "—"
    if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v):
        return str(v)  # 定性 text
    text = f"{v:.4f}".rstrip("0").rstrip(".")
    if isinstance(unit, str) and unit:
        return text + unit
    return text + "%" if percent else text


def _flags(s: IndicatorScore) -> str:
    out = []
    if s.over_completed:
        out.append("大幅超额完成")
    if s.capped:
        out.append("封顶")
    if s.band:
        comp = s.indicator.completion.value
        short = comp.split("年度指标")[0] if isinstance(comp, str) else ""
        out.append(f"{short} 区间 {s.band[0]:.2f}–{s.band[1]:.2f}")
        if s.clamped:
            out.append("自评得分不在区间内")
    out.extend(s.reasons)
    return "；".join(out)


def _style_diff(diff: float | None, tol: float) -> str:
    if diff is None:
        return ""
    if diff > tol:
        return "bold red"
    if diff < -tol:
        return "yellow"
    return ""


def _indicator_table(card: ScoreCard, tol: float) -> Table:
    t = Table(title="绩效指标 indicators", box=box.SIMPLE_HEAVY, title_justify="left", pad_edge=False)
    # Chinese text has no spaces to wrap at: long columns fold; numbers never wrap.
    t.add_column("单元格", no_wrap=True)
    t.add_column("三级指标", overflow="fold", min_width=16, ratio=3)
    t.add_column("性质", justify="center", no_wrap=True)
    t.add_column("年度指标值", justify="right", overflow="fold", max_width=12)
    t.add_column("实际完成值", justify="right", overflow="fold", max_width=12)
    for col in ("分值", "自评得分", "计算得分", "差异"):
        t.add_column(col, justify="right", no_wrap=True)
    t.add_column("说明", overflow="fold", min_width=12, ratio=2)
    level = None
    for s in card.indicators:
        ind = s.indicator
        if s.level1 != level:  # one heading per 一级指标, like the merged cells of the form
            level = s.level1
            t.add_row("", Text(level or "（一级指标无法识别）", style="bold"))
        unit = ind.unit.value if ind.unit.ok else None
        t.add_row(
            s.cell.split("!")[-1],
            str(ind.name.value) if ind.name.ok else "—",
            str(ind.direction.value) if ind.direction.value is not None else "—",
            _value_cell(ind.target.value if ind.target.ok else None, unit, ind.percent),
            _value_cell(ind.actual.value if ind.actual.ok else None, unit, ind.percent),
            fmt_score(s.weight),
            fmt_score(s.self_score),
            fmt_score(s.score),
            Text(fmt_diff(s.diff), style=_style_diff(s.diff, tol)),
            _flags(s),
        )
    return t


def _levels_table(card: ScoreCard, tol: float) -> Table:
    t = Table(title="得分汇总 scores", box=box.SIMPLE_HEAVY, title_justify="left")
    for col, just in (("评价内容", "left"), ("分值", "right"), ("自评得分", "right"), ("自评表填写", "right"),
                      ("计算得分", "right"), ("差异", "right")):
        t.add_column(col, justify=just)  # type: ignore[arg-type]
    for label, lv in card.levels.items():
        extra = f" (执行率 {fmt_rate(card.execution.rate)})" if label == "预算执行率" else ""
        t.add_row(label + extra, fmt_score(lv.weight), fmt_score(lv.self_score), fmt_score(lv.declared_self),
                  fmt_score(lv.score), Text(fmt_diff(lv.diff), style=_style_diff(lv.diff, tol)))
    weight = sum(lv.weight for lv in card.levels.values())
    t.add_row(Text("总分", style="bold"), fmt_score(weight), fmt_score(card.self_total), "",
              Text(fmt_score(card.total), style="bold"), Text(fmt_diff(card.diff), style=_style_diff(card.diff, tol)))
    t.add_row(Text("等级", style="bold"), "", card.self_grade or "—", "", Text(card.grade or "—", style="bold"), "")
    return t


def _common_table(card: ScoreCard) -> Table:
    t = Table(title="共性指标 common indicators", box=box.SIMPLE_HEAVY, title_justify="left")
    t.add_column("指标")
    t.add_column("值", justify="right")
    t.add_column("算法")
    for c in COMMON_INDICATORS:
        v = card.common.get(c.key)
        shown = fmt_rate(v) if c.kind == "rate" else ("—" if v is None else f"{v + 0.0:.2f} 万元")
        t.add_row(c.key, shown, c.formula)
    return t


def _render_file(fr: FileReport, console: Console, tol: float) -> None:
    name = fr.unit_name or "（未填单位名称）"
    console.rule(Text(f"{name}  {fr.path}", style="bold"))
    if not fr.readable or fr.score is None:
        console.print(Text("无法读取 unreadable", style="bold red"))
        for f in fr.findings:
            where = f"{f.ref} " if f.ref else ""
            console.print(f"  [{f.code}] {where}{f.message()}", markup=False, highlight=False)
        return
    card = fr.score
    status = Text("已评分 scored", style="green") if card.scored else Text("无法评分 not scored", style="bold red")
    console.print(Text("状态 status: ") + status)
    console.print(_indicator_table(card, tol))
    console.print(_levels_table(card, tol))
    line = Text(f"计算总分 {fmt_score(card.total)}  等级 {card.grade or '—'}    "
                f"自评总分 {fmt_score(card.self_total)}  自评等级 {card.self_grade or '—'}    差异 {fmt_diff(card.diff)}")
    console.print(line)
    console.print(_common_table(card))
    for n in card.notes:
        console.print(f"说明 note: {n}", markup=False, highlight=False)
    for r in card.reasons:
        console.print(Text(f"无法评分 reason: {r}", style="red"))


def render_scores(report: Report, console: Console | None = None) -> None:
    """Print the score cards of a report (one block per file) to ``console``.

    Without a console, one is made on stdout, 120 columns wide when not a terminal (unless
    COLUMNS says otherwise) so tables of Chinese text stay readable in files and pipes.
    """
    if console is None:
        console = Console(highlight=False)
        if not console.is_terminal and not os.environ.get("COLUMNS"):
            console = Console(highlight=False, width=120)
    tol = report.rulebook.score_tolerance if report.rulebook is not None else 0.1
    for fr in report.files:
        _render_file(fr, console, tol)
