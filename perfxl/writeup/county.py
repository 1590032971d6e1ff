"""The figures of the bureau's county report, from a batch's summary rows and findings.

:func:`county_context` reads what ``perfxl batch`` already keeps per file — the
:class:`~perfxl.summary.SummaryRow` (unit, money, scores, grades, counts, common
indicators) and the findings — so the county report never re-reads a workbook.  The fields
are listed in :data:`perfxl.writeup.fields.COUNTY_FIELDS`.

The projects' roll-up (项目支出绩效自评表) is a hook: :class:`ProjectLine` records passed as
``projects`` fill the 项目支出 section; without them the section is left out of the report.
"""

from __future__ import annotations

import math
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable, Sequence

from perfxl.catalogue import get_rule
from perfxl.findings import Severity
from perfxl.spec import GRADES
from perfxl.writeup import phrasing as ph

if TYPE_CHECKING:  # pragma: no cover
    from perfxl.rulebook import Rulebook
    from perfxl.summary import SummaryRow, UnitDetail

__all__ = ["ProjectLine", "county_context", "TOP_N"]

TOP_N = 10  # rows of the 得分差异 and 主要问题 tables
_NOT_SCORED = "未评分"


@dataclass(frozen=True)
class ProjectLine:
    """One project's line in the county report (the 项目支出 section)."""

    name: str
    unit: str
    budget: float | None
    actual: float | None
    score: float | None
    grade: str | None

    @classmethod
    def of_row(cls, row: SummaryRow) -> ProjectLine:
        """The line of a project form's summary row (``unit``: its 主管部门)."""
        return cls(row.label, row.department or "—", row.budget, row.actual, row.total, row.grade)


def _project_rollup(projects: Sequence[ProjectLine]) -> dict[str, str]:
    """The projects' totals, money-weighted mean 复核得分 and lowest project (unknown: '—')."""
    weighted = [(p.score, p.actual) for p in projects if p.score is not None and p.actual]
    money = sum(a for _s, a in weighted)
    scored = [p for p in projects if p.score is not None]
    low = min(scored, key=lambda p: p.score) if scored else None  # type: ignore[arg-type,return-value]

    def total(values: list[float | None]) -> str:  # unknown when any project's figure is
        return (None if None in values else ph.amount(_sum(values))) or "—"

    return {
        "项目全年预算数合计": total([p.budget for p in projects]),
        "项目全年执行数合计": total([p.actual for p in projects]),
        "项目平均复核得分": ph.points(sum(s * a for s, a in weighted) / money) if money else "—",
        "最低得分项目": f"{low.unit}“{low.name}”（{ph.points(low.score, True)}分）" if low is not None else "—",
    }


def _statuses() -> tuple[str, str, str]:
    from perfxl.summary import STATUS_FIX, STATUS_OK, STATUS_UNREADABLE

    return STATUS_OK, STATUS_FIX, STATUS_UNREADABLE


def _year(rows: Sequence[SummaryRow]) -> str:
    years = Counter(r.year for r in rows if r.year is not None)
    if not years:
        return ph.fill("评价年度")
    # The most frequent year; ties go to the later year (the batch being reviewed).
    return str(max(years, key=lambda y: (years[y], y)))


def _sum(values: list[float | None]) -> float | None:
    vals = [v for v in values if v is not None]
    return math.fsum(vals) if vals else None


def _grades(rows: Sequence[SummaryRow]) -> list[dict[str, str]]:
    readable = [r for r in rows if r.status != _statuses()[2]]
    n = len(readable)
    review = Counter(r.grade or _NOT_SCORED for r in readable)
    own = Counter(r.self_grade or _NOT_SCORED for r in readable)

    def share(k: int) -> str:
        return ph.rate(k / n, fixed=True) if n else "—"

    out = []
    for g in (*GRADES, _NOT_SCORED):
        if g == _NOT_SCORED and not review[g] and not own[g]:
            continue
        out.append({"等级": g, "复核单位数": str(review[g]), "复核占比": share(review[g]),
                    "自评单位数": str(own[g]), "自评占比": share(own[g])})
    return out


def _gaps(rows: Sequence[SummaryRow], tolerance: float) -> tuple[list[SummaryRow], list[dict[str, str]]]:
    both = [r for r in rows if r.total is not None and r.self_total is not None]
    differ = [r for r in both if r.diff is not None and abs(r.diff) > tolerance]
    differ.sort(key=lambda r: (-abs(r.diff or 0.0), r.label, r.path))
    table = [{"单位": r.label, "自评得分": ph.points(r.self_total, True) or "—", "复核得分": ph.points(r.total, True) or "—",
              "差异": f"{r.diff:+.2f}" if r.diff is not None else "—",
              "自评等级": r.self_grade or "—", "复核等级": r.grade or "—"} for r in differ[:TOP_N]]
    return both, table


def _problems(rows: Sequence[SummaryRow], detail: Callable[[SummaryRow], UnitDetail]
              ) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    """(主要问题 by rule, 整改清单) — one pass over every file's findings."""
    _, fix, unreadable = _statuses()
    units: dict[str, set[int]] = defaultdict(set)
    count: Counter[str] = Counter()
    sev: dict[str, Severity] = {}
    to_fix = []
    for r in sorted(rows, key=lambda x: x.index):
        findings = detail(r).findings
        for f in findings:
            if f.severity == Severity.INFO:
                continue
            units[f.code].add(r.index)
            count[f.code] += 1
            if f.code not in sev or f.severity.rank < sev[f.code].rank:
                sev[f.code] = f.severity
        if r.status in (fix, unreadable):
            errors = [f for f in findings if f.severity == Severity.ERROR]
            if r.status == unreadable or not errors:
                main = r.note or (errors[0].message("zh") if errors else "")
            else:
                first = errors[0]
                where = f"{first.ref}：" if first.ref else ""
                main = f"{where}{first.message('zh')}" + (f"（共{len(errors)}项错误）" if len(errors) > 1 else "")
            to_fix.append({"序号": str(len(to_fix) + 1), "单位": r.label, "状态": r.status, "错误数": str(r.errors),
                           "警告数": str(r.warnings), "主要问题": main})
    ordered = sorted(count, key=lambda c: (-len(units[c]), -count[c], c))[:TOP_N]
    by_rule = []
    for code in ordered:
        try:
            title = get_rule(code).title
        except KeyError:
            title = ""
        by_rule.append({"代码": code, "问题": title, "严重程度": sev[code].zh, "单位数": str(len(units[code])),
                        "问题数": str(count[code])})
    return by_rule, to_fix


def _watch(rulebook: Rulebook) -> dict[str, tuple[str, Callable[[float], bool]]]:
    """Which values of a common indicator call for attention, and the criterion in words."""
    below = rulebook.explain_below
    return {
        "在职人员控制率": ("超过100%", lambda v: v > 1 + 1e-9),
        "预算执行率": (f"低于{ph.rate(below)}", lambda v: v < below - 1e-9),
        "公用经费控制率": ("超过100%", lambda v: v > 1 + 1e-9),
        "三公经费控制率": ("超过100%", lambda v: v > 1 + 1e-9),
        "三公经费变动率": ("高于上年", lambda v: v > 1e-9),
    }


def _common(rows: Sequence[SummaryRow], rulebook: Rulebook) -> list[dict[str, str]]:
    from perfxl.common import COMMON_INDICATORS

    watch = _watch(rulebook)
    out = []
    for ci in COMMON_INDICATORS:
        values = [r.common.get(ci.key) for r in rows]
        vals = [v for v in values if v is not None and math.isfinite(v)]
        fmt = (lambda v: ph.rate(v, fixed=True)) if ci.kind == "rate" else (lambda v: f"{ph.amount(v)}万元")
        note = ""
        if ci.key in watch and vals:
            words, test = watch[ci.key]
            note = f"{sum(1 for v in vals if test(v))}个（{words}）"
        out.append({"指标": ci.key, "算法": ci.formula, "单位数": str(len(vals)),
                    "平均值": fmt(statistics.fmean(vals)) if vals else "—",
                    "最低": fmt(min(vals)) if vals else "—", "最高": fmt(max(vals)) if vals else "—",
                    "关注": note})
    return out


def _results(rows: Sequence[SummaryRow]) -> list[dict[str, str]]:
    from perfxl.summary import rank_rows

    return [{"排名": str(r.rank) if r.rank is not None else "—", "单位": r.label,
             "全年执行数": ph.amount(r.actual) or "—", "执行率": ph.rate(r.rate, fixed=True) or "—",
             "自评得分": ph.points(r.self_total, True) or "—", "复核得分": ph.points(r.total, True) or "—",
             "复核等级": r.grade or "—", "状态": r.status} for r in rank_rows(list(rows))]


def _projects(projects: Sequence[ProjectLine]) -> list[dict[str, str]]:
    return [{"项目名称": p.name, "实施单位": p.unit, "全年预算数": ph.amount(p.budget) or "—",
             "全年执行数": ph.amount(p.actual) or "—",
             "执行率": ph.rate(p.actual / p.budget, fixed=True) if p.actual is not None and p.budget else "—",
             "得分": ph.points(p.score, True) or "—", "等级": p.grade or "—"} for p in projects]


def county_context(rows: Sequence[SummaryRow], detail: Callable[[SummaryRow], UnitDetail], rulebook: Rulebook,
                   projects: Sequence[ProjectLine] = (), charts: bool = True) -> dict[str, Any]:
    """The fields of the county report (see :data:`perfxl.writeup.fields.COUNTY_FIELDS`).

    ``rows`` are the batch's summary rows (any order), ``detail`` gives a row's findings.
    ``charts`` False leaves the two chart fields empty (no plotting library needed).
    """
    from perfxl.writeup import charts as ch

    ok, fix, unreadable = _statuses()
    readable = [r for r in rows if r.status != unreadable]
    budget = _sum([r.budget for r in readable])
    actual = _sum([r.actual for r in readable])
    both, gap_table = _gaps(readable, rulebook.score_tolerance)
    by_rule, to_fix = _problems(rows, detail)
    grades = _grades(rows)
    pictures: dict[str, Any] = {"等级分布图": None, "得分对比图": None, "图表说明": ""}
    if charts and readable:
        pictures = ch.county_charts(readable, rulebook.score_tolerance)
    return {
        "年度": _year(rows),
        "规则库": rulebook.name,
        "单位数": str(len(rows)),
        "可读取数": str(len(readable)),
        "通过数": str(sum(1 for r in rows if r.status == ok)),
        "需修改数": str(sum(1 for r in rows if r.status == fix)),
        "无法读取数": str(len(rows) - len(readable)),
        "已评分数": str(sum(1 for r in readable if r.total is not None)),
        "全年预算数合计": ph.amount(budget) or "—",
        "全年执行数合计": ph.amount(actual) or "—",
        "总体执行率": ph.rate(actual / budget) if actual is not None and budget else "—",
        "等级分布": grades,
        **pictures,
        "平均自评得分": ph.points(statistics.fmean(r.self_total for r in both)) if both else "—",
        "平均复核得分": ph.points(statistics.fmean(r.total for r in both)) if both else "—",
        "得分一致数": str(sum(1 for r in both if r.diff is not None and abs(r.diff) <= rulebook.score_tolerance)),
        "得分差异数": str(sum(1 for r in both if r.diff is not None and abs(r.diff) > rulebook.score_tolerance)),
        "得分差异": gap_table,
        "主要问题": by_rule,
        "整改清单": to_fix,
        "共性指标": _common(readable, rulebook),
        "单位结果": _results(rows),
        "项目支出": _projects(projects),
        "项目数": str(len(projects)),
        **_project_rollup(projects),
    }
