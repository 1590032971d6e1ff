"""The score card as text (rich): one block per unit, in one language, fitting 80 columns.

Per unit: the indicator table (target, actual, 分值, self-score, computed score and the
difference), with what is worth knowing about an indicator (over-completion, a
qualitative band, why it could not be scored) listed under the table by cell; then the
parts (预算执行率 and the three 一级指标) with the total and grade beside the clerk's; then
the common indicators (rates as 81.82%, amounts in 万元); then the notes and — for a unit
that could not be scored — the reasons.  Headers are short and never wrap, so the tables
read at 80 columns; long indicator names fold.  Everything comes from the
:class:`~perfxl.report.Report` that the JSON output also renders.
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
from perfxl.i18n import tr

if TYPE_CHECKING:  # pragma: no cover
    from perfxl.report import FileReport, Report
    from perfxl.score import IndicatorScore, ScoreCard

__all__ = ["render_scores", "fmt_rate", "fmt_score", "fmt_diff"]

# Column headers and labels: (Chinese, English).
_W = {
    "indicators": ("绩效指标", "Indicators"),
    "cell": ("单元格", "cell"),
    "name": ("三级指标", "indicator"),
    "dir": ("性质", "dir."),
    "target": ("目标", "target"),
    "actual": ("实际", "actual"),
    "weight": ("分值", "weight"),
    "self": ("自评", "self"),
    "score": ("复核", "score"),
    "diff": ("差异", "diff"),
    "scores": ("得分汇总", "Scores"),
    "part": ("评价内容", "part"),
    "total": ("总分", "total"),
    "grade": ("等级", "grade"),
    "common": ("共性指标", "Common indicators"),
    "indicator": ("指标", "indicator"),
    "value": ("值", "value"),
    "formula": ("算法", "formula"),
    "status": ("状态：", "status: "),
    "scored": ("已评分", "scored"),
    "not scored": ("无法评分", "not scored"),
    "unreadable": ("无法读取", "unreadable"),
    "no name": ("（未填单位名称）", "(no unit name)"),
    "level?": ("（一级指标无法识别）", "(level-1 indicator not recognised)"),
    "notes_h": ("说明：", "Notes:"),
    "note": ("说明：", "note: "),
    "reason": ("无法评分：", "not scored: "),
    "rate": ("执行率", "execution"),
    "line": ("计算总分 {total}（{grade}）；自评总分 {self_total}（{self_grade}）；差异 {diff}",
             "computed total {total} ({grade}); self-assessed {self_total} ({self_grade}); difference {diff}"),
    "over": ("大幅超额完成", "large over-completion"),
    "capped": ("封顶", "capped"),
    "band": ("{short}区间 {lo}–{hi}", "band {lo}–{hi}"),
    "clamped": ("自评得分不在区间内", "self-score outside the band"),
    "declared": ("自评得分表填报 {declared}，与指标自评得分之和 {sum} 不符",
                 "the 自评得分 sheet says {declared}, the indicators' self-scores add up to {sum}"),
}
_LEVELS_EN = {"预算执行率": "budget execution", "产出指标": "output", "效益指标": "benefit", "满意度指标": "satisfaction"}


def _w(key: str, lang: str) -> str:
    zh, en = _W[key]
    return en if lang == "en" else zh


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


def _flags(s: IndicatorScore, lang: str) -> str:
    out = []
    if s.over_completed:
        out.append(_w("over", lang))
    if s.capped:
        out.append(_w("capped", lang))
    if s.band:
        comp = s.indicator.completion.value
        short = comp.split("年度指标")[0] if isinstance(comp, str) else ""
        out.append(_w("band", lang).format(short=short, lo=f"{s.band[0]:.2f}", hi=f"{s.band[1]:.2f}"))
        if s.clamped:
            out.append(_w("clamped", lang))
    out.extend(tr(r, lang) for r in s.reasons)
    return ("; " if lang == "en" else "；").join(out)


def _style_diff(diff: float | None, tol: float) -> str:
    if diff is None:
        return ""
    if diff > tol:
        return "bold red"
    if diff < -tol:
        return "yellow"
    return ""


def _table(title: str) -> Table:
    # No vertical rules and one space between columns: the tables fit 80 columns.
    return Table(title=title, box=box.SIMPLE_HEAD, title_justify="left", pad_edge=False, padding=(0, 1),
                 show_edge=False)


def _indicator_table(card: ScoreCard, tol: float, lang: str) -> tuple[Table, list[tuple[str, str]]]:
    """The indicator table and the notes listed under it: (cell, text)."""
    t = _table(_w("indicators", lang))
    t.expand = True  # the folding columns share the width by their ratios
    t.add_column(_w("cell", lang), no_wrap=True)
    # Chinese text has no spaces to wrap at: names and 定性 values fold, sharing what the
    # numbers (which never wrap, nor do the headers) leave of the width.
    t.add_column(_w("name", lang), overflow="fold", min_width=8, ratio=4)
    t.add_column(_w("dir", lang), justify="center", no_wrap=True)
    t.add_column(_w("target", lang), justify="right", overflow="fold", min_width=6, ratio=2)
    t.add_column(_w("actual", lang), justify="right", overflow="fold", min_width=6, ratio=2)
    for key in ("weight", "self", "score", "diff"):
        t.add_column(_w(key, lang), justify="right", no_wrap=True)
    notes: list[tuple[str, str]] = []
    level = None
    for s in card.indicators:
        ind = s.indicator
        if s.level1 != level:  # one heading per 一级指标, like the merged cells of the form
            level = s.level1
            shown = (_LEVELS_EN.get(level, level) if lang == "en" else level) if level else _w("level?", lang)
            t.add_row("", Text(shown, style="bold"))
        cell = s.cell.split("!")[-1]
        unit = ind.unit.value if ind.unit.ok else None
        t.add_row(
            cell,
            str(ind.name.value) if ind.name.ok else "—",
            str(ind.direction.value) if ind.direction.value is not None else "—",
            _value_cell(ind.target.value if ind.target.ok else None, unit, ind.percent),
            _value_cell(ind.actual.value if ind.actual.ok else None, unit, ind.percent),
            fmt_score(s.weight),
            fmt_score(s.self_score),
            fmt_score(s.score),
            Text(fmt_diff(s.diff), style=_style_diff(s.diff, tol)),
        )
        flags = _flags(s, lang)
        if flags:
            notes.append((cell, flags))
    return t, notes


def _levels_table(card: ScoreCard, tol: float, lang: str) -> tuple[Table, list[str]]:
    """The parts with the total and grade; notes where the 自评得分 sheet says otherwise."""
    t = _table(_w("scores", lang))
    t.add_column(_w("part", lang), no_wrap=True)
    for key in ("weight", "self", "score", "diff"):
        t.add_column(_w(key, lang), justify="right", no_wrap=True)
    notes = []
    for label, lv in card.levels.items():
        name = _LEVELS_EN.get(label, label) if lang == "en" else label
        if label == "预算执行率":
            name += f"（{_w('rate', lang)} {fmt_rate(card.execution.rate)}）" if lang != "en" else \
                f" ({_w('rate', lang)} {fmt_rate(card.execution.rate)})"
        elif lv.declared_self is not None and lv.self_score is not None and abs(lv.declared_self - lv.self_score) > tol:
            notes.append(f"{name}: " + _w("declared", lang).format(declared=fmt_score(lv.declared_self),
                                                                  sum=fmt_score(lv.self_score)))
        t.add_row(name, fmt_score(lv.weight), fmt_score(lv.self_score), fmt_score(lv.score),
                  Text(fmt_diff(lv.diff), style=_style_diff(lv.diff, tol)))
    weight = sum(lv.weight for lv in card.levels.values())
    t.add_row(Text(_w("total", lang), style="bold"), fmt_score(weight), fmt_score(card.self_total),
              Text(fmt_score(card.total), style="bold"), Text(fmt_diff(card.diff), style=_style_diff(card.diff, tol)))
    t.add_row(Text(_w("grade", lang), style="bold"), "", card.self_grade or "—", Text(card.grade or "—", style="bold"), "")
    return t, notes


def _common_table(card: ScoreCard, lang: str) -> Table:
    en = lang == "en"
    t = _table(_w("common", lang))
    t.add_column(_w("indicator", lang), overflow="fold")
    t.add_column(_w("value", lang), justify="right", no_wrap=True)
    t.add_column(_w("formula", lang), overflow="fold")
    for c in COMMON_INDICATORS:
        v = card.common.get(c.key)
        unit = " 万元" if not en else ""
        shown = fmt_rate(v) if c.kind == "rate" else ("—" if v is None else f"{v + 0.0:.2f}{unit}")
        t.add_row(c.name_en if en else c.key, shown, (c.formula_en or c.formula) if en else c.formula)
    return t


def _render_file(fr: FileReport, console: Console, tol: float, lang: str) -> None:
    name = fr.unit_name or _w("no name", lang)
    console.rule(Text(f"{name}  {fr.where}", style="bold"))
    if not fr.readable or fr.score is None:
        console.print(Text(_w("unreadable", lang), style="bold red"))
        for f in fr.findings:
            where = f"{f.ref} " if f.ref else ""
            console.print(f"  [{f.code}] {where}{f.message(lang)}", markup=False, highlight=False)
        return
    card = fr.score
    status = Text(_w("scored", lang), style="green") if card.scored else Text(_w("not scored", lang), style="bold red")
    console.print(Text(_w("status", lang)) + status)
    table, notes = _indicator_table(card, tol, lang)
    console.print(table)
    if notes:
        console.print(Text(_w("notes_h", lang), style="bold"))
        for cell, text in notes:
            console.print(Text(f"  {cell}  ") + Text(text))
    levels, level_notes = _levels_table(card, tol, lang)
    console.print(levels)
    for n in level_notes:
        console.print(Text(_w("note", lang) + n, style="yellow"))
    console.print(Text(_w("line", lang).format(total=fmt_score(card.total), grade=card.grade or "—",
                                               self_total=fmt_score(card.self_total),
                                               self_grade=card.self_grade or "—", diff=fmt_diff(card.diff))))
    if card.common:  # the 部门整体 kind's own indicators; a project form has none
        console.print(_common_table(card, lang))
    for n in card.notes:
        console.print(_w("note", lang) + tr(n, lang), markup=False, highlight=False)
    for r in card.reasons:
        console.print(Text(_w("reason", lang) + tr(r, lang), style="red"))


def render_scores(report: Report, console: Console | None = None, lang: str = "zh") -> None:
    """Print the score cards of a report (one block per file) to ``console``.

    Without a console, one is made on stdout: the terminal's width, or 100 columns when
    not a terminal (unless COLUMNS says otherwise).
    """
    if console is None:
        console = Console(highlight=False)
        if not console.is_terminal and not os.environ.get("COLUMNS"):
            console = Console(highlight=False, width=100)
    tol = report.rulebook.score_tolerance if report.rulebook is not None else 0.1
    for fr in report.files:
        _render_file(fr, console, tol, lang)
