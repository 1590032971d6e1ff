"""J rules: the 项目支出绩效自评表 kind's own checks (项目资金, required fields, 总分).

The goals and indicator rules (G, I), the year rules (P007/P008) are the 部门整体 kind's,
applied to project forms too (their checks declare both kinds).  Money totals are judged
by what the project template's formulas give (:data:`perfxl.spec_project.MONEY_TABLE`),
whether the form was written by perfxl (formulas) or typed by hand (others' copies).
"""

from __future__ import annotations

import math
import re
from typing import Iterable

from perfxl.codes.project import F024, I017, J001, J002, J003, J004, J005, J006, J007, J008, J009
from perfxl.findings import Finding, percent
from perfxl.kinds import PROJECT_KIND
from perfxl.model import Field, Unit
from perfxl.rules.registry import BOTH, RuleContext, check, computed_values, is_empty_text, number, text
from perfxl.spec_project import MONEY, MONEY_TABLE, PROJECT_FIELDS

__all__ = ["F024", "J001", "J002", "J003", "J004", "J005", "J006", "J007", "J008", "J009", "I017"]

PROJECT = (PROJECT_KIND.name,)
_T = MONEY_TABLE.name  # the key of the money table among the kind's computed cells


_COL_EN = {c.key: c.label_en for c in MONEY.columns}
_COL_ZH = {c.key: c.label for c in MONEY.columns}
_AMOUNTS = ("initial", "adjusted", "actual")
# A rate written to two decimals of a percent ('92.56%') is within this of the exact one.
_RATE_TOL = 0.0005
_PLACEHOLDER = re.compile(r"^(?:指标\s*\d+\s*[:：]?|…+|\.{3,}|。{3,}|[无/／\-—]+)$")


def _total(unit: Unit) -> object | None:
    row = unit.budget.get("total")
    return row if row is not None and row.row is not None else None


@check("J001", "J003", "J004", kinds=PROJECT)
def check_money_totals(unit: Unit, ctx: RuleContext) -> Iterable[Finding]:
    """年度资金总额 = its sources in each amount column: left at 0 or blank while the sources
    hold money (J001), blank with its sources (J003), another figure (J004)."""
    row = _total(unit)
    if row is None:
        return
    vals = computed_values(unit, ctx)
    tol = ctx.rulebook.amount_tolerance
    sheet = unit.form_sheet
    for col in _AMOUNTS:
        f: Field = row.amount(col)  # type: ignore[attr-defined]
        if f.cell is None or f.status == "missing":
            continue
        true = vals.true(_T, "total", col)
        parts_blank = all(r.amount(col).status == "blank" for k, r in unit.budget.items() if k != "total")
        empty = f.status in ("blank", "uncalculated") or (f.ok and f.number is not None and abs(f.number) <= tol)
        if empty and parts_blank and col != "initial":
            yield J003(sheet, f.cell, column=_COL_ZH[col], column_en=_COL_EN[col])
            continue
        if true is None or not isinstance(true, float) or f.status not in ("ok", "blank"):
            continue  # unknown sources (their own findings) or an uncalculated formula (computed here)
        shown = f.number if f.ok else None
        if (shown is None or abs(shown) <= tol) and true > tol:
            yield J001(sheet, f.cell, expected=round(true, 2), actual=shown if shown is not None else 0,
                       column=_COL_ZH[col], column_en=_COL_EN[col])
        elif shown is not None and abs(shown - true) > tol:
            yield J004(sheet, f.cell, expected=round(true, 2), actual=shown, column=_COL_ZH[col], column_en=_COL_EN[col])


def _rates(unit: Unit, ctx: RuleContext) -> list[float]:
    """执行率 under each reading of the totals: from the sums of the sources and, where the
    form types other totals (J001/J004 report those), from the typed totals.  A rate or
    score is wrong only when it is wrong under every reading: no cascade from one slip."""
    vals = computed_values(unit, ctx)
    tol = ctx.rulebook.amount_tolerance
    out = []
    for judged in (False, True):
        get = vals.judged if judged else vals.true
        a, b = get(_T, "total", "actual"), get(_T, "total", "adjusted")
        if isinstance(a, float) and isinstance(b, float) and b > tol:
            out.append(a / b)
    return out


def _rate(unit: Unit, ctx: RuleContext) -> float | None:
    rates = _rates(unit, ctx)
    return rates[0] if rates else None


@check("J005", "J006", kinds=PROJECT)
def check_execution(unit: Unit, ctx: RuleContext) -> Iterable[Finding]:
    """执行率 as the amounts give it (J005); the execution 得分 as the rulebook gives it (J006)."""
    row = _total(unit)
    rates = _rates(unit, ctx)
    if row is None or not rates:
        return
    rate = rates[0]
    sheet = unit.form_sheet
    r: Field = row.amount("rate")  # type: ignore[attr-defined]
    shown = r.number if r.ok else None
    if shown is not None and r.cell:
        # 0.909 in a percent-formatted cell or '90.9%' read as 0.909; 90.9 typed bare is a percentage too.
        as_fraction = shown / 100 if shown > 1.5 else shown
        if all(abs(as_fraction - x) > _RATE_TOL for x in rates):
            yield J005(r.sheet or sheet, r.cell, expected=round(rate, 6), actual=as_fraction, kind="rate",
                       actual_shown=percent(as_fraction), expected_shown=percent(rate))
    s: Field = row.amount("score")  # type: ignore[attr-defined]
    got = s.number if s.ok else None
    if got is None or not s.cell:
        return
    weight = PROJECT_KIND.weight(ctx.rulebook, "预算执行率")
    wants = [min(max(x, 0.0), 1.0) * weight for x in rates]
    if all(abs(got - w) > ctx.rulebook.score_tolerance for w in wants):
        yield J006(sheet, s.cell, expected=round(wants[0], 2), actual=got, rate=percent(rate), weight=f"{weight:g}")


@check("J007", kinds=PROJECT)
def check_over_budget(unit: Unit, ctx: RuleContext) -> Iterable[Finding]:
    """全年执行数 > 全年预算数 on the total row and on each source row that has both."""
    tol = ctx.rulebook.amount_tolerance
    vals = computed_values(unit, ctx)
    for key, row in unit.budget.items():
        if row.row is None:
            continue
        b, a = vals.true(_T, key, "adjusted"), vals.true(_T, key, "actual")
        if isinstance(b, float) and isinstance(a, float) and b > tol and a > b + tol and row.actual.cell:
            yield J007(unit.form_sheet, row.actual.cell, expected=round(b, 2), actual=round(a, 2),
                       row=MONEY_TABLE.row_spec(key).name, row_en=MONEY_TABLE.row_en(key), rate=percent(a / b))


@check("J008", "J009", kinds=PROJECT)
def check_fields(unit: Unit, ctx: RuleContext) -> Iterable[Finding]:
    """项目名称, 主管部门, 实施单位 filled (J008); the year in the title (J009)."""
    for spec in PROJECT_FIELDS.fields:
        f = unit.profile.get(spec.key)
        if f is None or not is_empty_text(f, ctx.rulebook.placeholders) and f.status != "missing":
            continue
        label_en = {"name": "Project name", "department": "Supervising department", "implementer": "Implementing unit"}
        missing = f.status == "missing" and f.cell is None
        blank = f.status in ("blank", "missing")
        yield J008(unit.form_sheet, f.cell, field=spec.label, field_en=label_en.get(spec.key, spec.key),
                   problem="一栏在表中找不到" if missing else ("未填写" if blank else "只填了占位符"),
                   problem_en="is not on the form" if missing else ("is blank" if blank else "is only a placeholder"))
    y = unit.profile.get("year")
    if y is None or y.status == "missing":
        yield J009(unit.form_sheet, None)


@check("J002", kinds=PROJECT)
def check_scorable(unit: Unit, ctx: RuleContext) -> Iterable[Finding]:
    """A form whose indicator table has no 分值 column cannot be scored: said once."""
    if unit.indicators and all(i.weight.status == "missing" for i in unit.indicators):
        yield J002(unit.form_sheet, None)


@check("I017", kinds=BOTH)
def check_placeholder_names(unit: Unit, ctx: RuleContext) -> Iterable[Finding]:
    """A 三级指标 that is only the form's placeholder ('指标1：', '……', '无') on a row that
    carries a 分值 or 得分."""
    for ind in unit.indicators:
        name = text(ind.name)
        raw = ind.name.raw if isinstance(ind.name.raw, str) else name
        if name is None or raw is None or not ind.name.cell:
            continue
        if not _PLACEHOLDER.match(re.sub(r"\s+", "", raw)):
            continue
        if (number(ind.weight) or 0) > 0 or (number(ind.self_score) or 0) > 0:
            yield I017(ind.name.sheet, ind.name.cell, row=ind.row, actual=raw.strip())


def _total_parts(unit: Unit, ctx: RuleContext) -> float | None:
    """执行得分 + the indicators' 得分, as the form declares them (None when one is unreadable)."""
    row = _total(unit)
    exe = row.amount("score") if row is not None else None  # type: ignore[attr-defined]
    parts = [number(i.self_score) if i.self_score.status != "blank" else 0.0 for i in unit.indicators]
    if exe is None or exe.status not in ("ok", "blank") or any(v is None for v in parts):
        return None
    execution = number(exe) if exe.ok else None
    if execution is None:
        rate = _rate(unit, ctx)
        execution = min(max(rate, 0.0), 1.0) * PROJECT_KIND.weight(ctx.rulebook, "预算执行率") if rate is not None else None
    if execution is None:
        return None
    return execution + math.fsum(parts)  # type: ignore[arg-type]


@check("T003", kinds=PROJECT)
def check_total(unit: Unit, ctx: RuleContext) -> Iterable[Finding]:
    """总分 = the execution 得分 plus every indicator's 得分."""
    from perfxl.rules.totals import T003

    row = unit.scores.get("total")
    got = number(row.self_score) if row is not None else None
    if row is None or got is None or not row.self_score.cell:
        return
    want = _total_parts(unit, ctx)
    if want is not None and abs(got - want) > ctx.rulebook.score_tolerance:
        yield T003(unit.form_sheet, row.self_score.cell, expected=round(want, 2), actual=got)
