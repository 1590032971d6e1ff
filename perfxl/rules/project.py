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

from perfxl.findings import Finding, percent, rule
from perfxl.kinds import PROJECT_KIND
from perfxl.model import Field, Unit
from perfxl.rules.registry import BOTH, RuleContext, check, computed_values, is_empty_text, number, text
from perfxl.spec_project import MONEY, MONEY_TABLE, PROJECT_FIELDS

__all__ = ["F024", "J001", "J002", "J003", "J004", "J005", "J006", "J007", "J008", "J009", "I017"]

PROJECT = (PROJECT_KIND.name,)
_T = MONEY_TABLE.name  # the key of the money table among the kind's computed cells

F024 = rule(
    "F024", "sheet-not-a-form", "info",
    "工作表不是自评表，已跳过", "sheet is not a form; skipped",
    "工作表“{sheet_name}”不是项目支出绩效自评表（没有项目资金表和绩效指标表），未读取。",
    "Sheet “{sheet_name}” is not a project self-evaluation form (no money table, no indicator table); it was not read.",
    "封面、填表说明、附件目录等工作表不含自评数据；列出来是为了让审核人员知道这一页没有被读取。",
    "工作簿第一页是封面“2023年度项目支出绩效自评报告”。",
)
J001 = rule(
    "J001", "project-total-left-zero", "error",
    "年度资金总额未填", "total funds left at zero",
    "年度资金总额{column}为 {actual}，而各资金来源合计 {expected}：合计行未填写。",
    "Total funds {column_en} is {actual}, while the sources add up to {expected}: the total row was left unfilled.",
    "公开的项目自评表中常见合计行留 0 而明细有数；执行率、得分和汇总都按合计行计算，会全部算错。",
    "年度资金总额全年执行数 0，当年财政拨款全年执行数 86.40。",
)
J002 = rule(
    "J002", "project-not-scorable", "warning",
    "表样缺少分值列，无法评分", "no weight column: cannot be scored",
    "绩效指标表没有“分值”列，无法按规则库核对得分和权重；本表只做其他校验。请改用带分值列的国家表样。",
    "The indicator table has no weight (分值) column, so scores and weights cannot be checked; only the other "
    "checks ran. Use the national form with its weight column.",
    "没有分值就无法判断得分是否超出、各一级指标权重是否合规，复核得分也无从计算。",
    "某县自行简化的表样只有“得分”列。",
)
J003 = rule(
    "J003", "project-amount-blank", "error",
    "项目资金必填项未填写", "required project amount blank",
    "年度资金总额{column}未填写，各资金来源也未填写。", "Total funds {column_en} is blank, and so are its sources.",
    "全年预算数和全年执行数是计算执行率和预算执行得分的依据，不能空白。",
    "年度资金总额全年预算数留空。",
)
J004 = rule(
    "J004", "project-total-differs", "error",
    "年度资金总额与各资金来源之和不符", "total funds differ from their sources",
    "年度资金总额{column} {actual} 不等于当年财政拨款、上年结转资金、其他资金之和 {expected}。",
    "Total funds {column_en} {actual} does not equal the sum of the sources, {expected}.",
    "年度资金总额应等于各资金来源之和；不符说明有数抄错，执行率和得分都会算错。perfxl 按各来源之和计算。",
    "全年执行数合计 120.00，三项来源合计 118.50。",
)
J005 = rule(
    "J005", "project-rate-differs", "error",
    "执行率与计算不符", "execution rate differs from the figures",
    "执行率填写为 {actual_shown}，按全年执行数 ÷ 全年预算数应为 {expected_shown}。",
    "The execution rate reads {actual_shown}; spending ÷ full-year budget gives {expected_shown}.",
    "执行率 = 全年执行数 ÷ 全年预算数；手填的执行率与金额不符时，预算执行得分也会跟着错。",
    "全年预算数 100、全年执行数 90，执行率却填 95%。",
)
J006 = rule(
    "J006", "project-execution-score-differs", "error",
    "预算执行得分与规则不符", "execution score differs from the rule",
    "预算执行得分填写 {actual} 分，按 min(执行率 {rate}, 100%) × {weight} 应为 {expected} 分。",
    "The execution score reads {actual}; min(execution {rate}, 100%) × {weight} gives {expected}.",
    "预算执行率得分按规则库计算（执行率不超过 100% 时按比例得分），手工估分常常偏高。",
    "执行率 90.90%，分值 10，得分却填 10。",
)
J007 = rule(
    "J007", "project-over-budget", "error",
    "项目支出超预算", "project spending above its budget",
    "{row}全年执行数 {actual} 超过全年预算数 {expected}（执行率 {rate}），请核对或说明。",
    "{row_en}: spending {actual} exceeds the full-year budget {expected} (execution {rate}); check or explain it.",
    "项目支出不得超过全年预算数；超支多为漏报预算调整或数据填错。",
    "年度资金总额全年预算数 52.51，全年执行数 55.00。",
)
J008 = rule(
    "J008", "project-field-blank", "error",
    "项目基本信息未填写", "project detail blank",
    "项目基本信息“{field}”{problem}。", "Project detail {field_en} {problem_en}.",
    "项目名称、主管部门和实施单位用于汇总、按部门归集和与部门整体自评表核对，不能空白。",
    "实施单位一栏空白。",
)
J009 = rule(
    "J009", "project-year-missing", "error",
    "未写明评价年度", "the form does not say its year",
    "表头没有写明评价年度（如“（2023年度）”）。", "The title does not give the year (e.g. “（2023年度）”).",
    "年度用于汇总和与部门整体自评表核对；没有年度的表无法归入本次评价。",
    "表头只写“项目支出绩效自评表”。",
)
I017 = rule(
    "I017", "placeholder-indicator", "error",
    "三级指标是占位内容", "indicator name is a placeholder",
    "第 {row} 行三级指标“{actual}”是模板占位内容，请填写实际指标名称，或删除该行。",
    "Row {row}: the indicator name “{actual}” is the form's placeholder; enter the real indicator or delete the row.",
    "从模板复制来的“指标1：”“……”行若带了分值和得分，会被当作真实指标计分，分值合计也会出错。",
    "三级指标只写“指标1：”，分值 10，得分 10。",
)

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
            yield J007(unit.form_sheet, row.actual.cell, expected=round(b, 2), actual=round(a, 2), row=row.label,
                       row_en=MONEY_TABLE.row_en(key), rate=percent(a / b))


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
