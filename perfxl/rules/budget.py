"""B rules: 预算执行 (budget execution, 万元)."""

from __future__ import annotations

from typing import Callable, Iterable

from perfxl.findings import Finding, percent, rule
from perfxl.model import BudgetRow, Unit
from perfxl.rules.registry import (
    Balance,
    RuleContext,
    always,
    amount,
    balance_failures,
    balance_inputs,
    check,
    computed_values,
    is_empty_text,
)
from perfxl.spec import BUDGET, BUDGET_AMOUNT_COLS

SHEET = BUDGET.name
__all__ = [
    "B001", "B002", "B003", "B004", "B005", "B006", "check_balances", "check_computed",
    "check_zero_budget", "check_over_budget", "check_explained", "check_empty",
    "budget_balance_failures", "budget_always",
]
B001 = rule(
    "B001", "budget-balance", "error",
    "预算执行表合计数与明细不符", "budget total does not equal its parts",
    "{row}{column} {actual} 不等于{parts}之和 {expected}（差 {diff}）。{hint}",
    "{row_en} {column_en} {actual} does not equal the sum of {parts_en}, {expected} (off by {diff}). {hint_en}",
    "资金总额应等于四项资金来源之和，也应等于基本支出加项目支出；基本支出应等于人员经费加公用经费。"
    "合计与明细不符说明有数抄错或公式被覆盖，后续执行率和评分都会算错。",
    "资金总额全年执行数填 310.39，而四项来源之和为 309.39。",
    SHEET,
)
B002 = rule(
    "B002", "computed-cell-typed-over", "error",
    "计算单元格数值与重算结果不符", "computed cell disagrees with its formula",
    "{row}{column}显示为 {actual_shown}，按表内数据应为 {expected_shown}（公式可能被手工覆盖），请恢复公式或改正数值。",
    "{row_en} {column_en} shows {actual_shown} but the table gives {expected_shown} (the formula was probably typed over); restore the formula or fix the value.",
    "执行率和较上年增减是公式单元格，perfxl 总是重新计算；但审核人员和汇总表看到的是表上的数，两者不一致会造成误判。",
    "执行率单元格被手工改成 100%，而全年执行数 ÷ 全年预算数 = 95.20%。",
    SHEET,
)
B003 = rule(
    "B003", "budget-zero-but-spent", "error",
    "全年预算数为 0 却有支出", "no full-year budget but money spent",
    "{row}全年预算数为 0，全年执行数却为 {actual}，请填写全年预算数（调整后预算）。",
    "{row_en}: the full-year budget is 0 but {actual} was spent; fill in the full-year (adjusted) budget.",
    "无预算不得支出；全年预算数为 0 时执行率无法计算，通常是漏填了调整后预算。",
    "项目支出全年预算数空白，全年执行数 120.00。",
    SHEET,
)
B004 = rule(
    "B004", "over-budget", "error",
    "超预算支出", "spending above the budget",
    "{row}全年执行数 {actual} 超过全年预算数 {expected}（执行率 {rate}），属超预算支出，请核对或说明。",
    "{row_en}: spending {actual} exceeds the full-year budget {expected} (execution {rate}): spending above the budget; check or explain it.",
    "支出不得超过调整后的全年预算；超支多为漏报预算调整或数据填错，是审核的强制性检查。",
    "资金总额全年预算数 300.00，全年执行数 309.39。",
    SHEET,
)
B005 = rule(
    "B005", "execution-unexplained", "warning",
    "执行率偏离未说明", "execution rate off without an explanation",
    "{row}执行率 {rate} {side}，偏差说明未填写，请说明原因。",
    "{row_en}: execution rate {rate} is {side_en}, and its explanation (偏差说明) is blank; explain why.",
    "执行率低于 90%（或高于 100%，按规则库）说明预算编制或执行有问题，审核要求写明原因。",
    "资金总额执行率 82.00%，偏差说明留空或填“无”。",
    SHEET,
)
B006 = rule(
    "B006", "budget-empty", "error",
    "预算执行表未填写", "budget table empty",
    "预算执行表没有任何金额，请填写年初预算数、全年预算数、全年执行数和上年执行数。",
    "The budget table holds no amounts; fill in the initial and full-year budgets, spending and last year's spending.",
    "预算执行率占 10 分，也是部门整体绩效的基础数据；空表无法评分。",
    "预算执行表整张空白。",
    SHEET,
)


def budget_balance_failures(unit: Unit, ctx: RuleContext) -> list[Balance]:
    """The 预算执行 balance failures, computed once per unit (other rules use them to
    stay quiet where their conclusion hangs on a total that does not balance)."""
    return ctx.memo("budget-balances", balance_failures, BUDGET, computed_values(unit, ctx), BUDGET_AMOUNT_COLS,
                    ctx.rulebook.amount_tolerance)


def budget_always(unit: Unit, ctx: RuleContext, key: str, cols: tuple[str, ...],
                  pred: Callable[..., bool]) -> bool:
    """True when ``pred(*values)`` holds for every candidate value of the row's ``cols``
    (an input as read; a computed total as computed, as shown and, where it does not
    balance, as the sum of its parts); False when a value is unknown."""
    return always(unit, ctx, BUDGET, budget_balance_failures, key, cols, pred)


def _cell(row: BudgetRow, col: str) -> str:
    return row.amount(col).cell or BUDGET.cell(row.key, col)


@check("B001")
def check_balances(unit: Unit, ctx: RuleContext) -> Iterable[Finding]:
    """Totals equal their parts in every amount column."""
    for b in budget_balance_failures(unit, ctx):
        if not b.report:
            continue
        row = unit.budget[b.total]
        names = "、".join(BUDGET.row_spec(p).label for p in b.parts)
        cell = _cell(row, b.col)
        related, hint, hint_en = balance_inputs(BUDGET, unit.budget, b, cell)
        yield B001(
            SHEET, cell, expected=b.expected, actual=b.actual, related=related, hint=hint, hint_en=hint_en,
            row=row.label, column=BUDGET.column(b.col).label, parts=names,
            row_en=BUDGET.row_en(b.total), column_en=BUDGET.col_en(b.col),
            parts_en=", ".join(BUDGET.row_en(p) for p in b.parts), diff=round(b.actual - b.expected, 2),
        )


@check("B002")
def check_computed(unit: Unit, ctx: RuleContext) -> Iterable[Finding]:
    """执行率 and 较上年增减 hold what their formulas give (a figure typed over one does not)."""
    for st in computed_values(unit, ctx).typed_over("B002"):
        key, col = st.decl.row, st.decl.col
        row = unit.budget.get(key)
        want = st.true if isinstance(st.true, float) else st.display
        if row is None or not isinstance(want, float) or st.shown is None:
            continue  # the formula shows nothing here (a budget of 0) or is not known
        shown, expected = ((percent(st.shown), percent(want)) if col == "rate"
                           else (f"{st.shown:.2f}", f"{want:.2f}"))
        yield B002(
            SHEET, _cell(row, col), expected=round(want, 6), actual=st.shown, kind="rate" if col == "rate" else "",
            row=row.label, column=BUDGET.column(col).label, row_en=BUDGET.row_en(key),
            column_en=BUDGET.col_en(col), actual_shown=shown, expected_shown=expected,
        )


@check("B003")
def check_zero_budget(unit: Unit, ctx: RuleContext) -> Iterable[Finding]:
    """全年预算数 0 (or blank) while 全年执行数 > 0."""
    tol = ctx.rulebook.amount_tolerance
    vals = computed_values(unit, ctx)
    for key, row in unit.budget.items():
        if budget_always(unit, ctx, key, ("adjusted", "actual"), lambda b, a: abs(b) <= tol and a > tol):
            yield B003(SHEET, _cell(row, "adjusted"), expected=None, actual=vals.judged(BUDGET.name, key, "actual"),
                       row=row.label, row_en=BUDGET.row_en(key))


def _rate(unit: Unit, ctx: RuleContext, key: str) -> float | None:
    """A row's 执行率 as perfxl computes it (None where it cannot be computed)."""
    return computed_values(unit, ctx).true(BUDGET.name, key, "rate")


@check("B004")
def check_over_budget(unit: Unit, ctx: RuleContext) -> Iterable[Finding]:
    """全年执行数 > 全年预算数 (超预算支出), on every row where it holds."""
    tol = ctx.rulebook.amount_tolerance
    vals = computed_values(unit, ctx)
    for key, row in unit.budget.items():
        if budget_always(unit, ctx, key, ("adjusted", "actual"), lambda b, a: b > tol and a > b + tol):
            rate = _rate(unit, ctx, key)
            yield B004(SHEET, _cell(row, "actual"), expected=vals.judged(BUDGET.name, key, "adjusted"),
                       actual=vals.judged(BUDGET.name, key, "actual"), row=row.label, row_en=BUDGET.row_en(key),
                       rate=percent(rate) if rate is not None else "—")


@check("B005")
def check_explained(unit: Unit, ctx: RuleContext) -> Iterable[Finding]:
    """执行率 outside [explain_below, explain_above] needs a 偏差说明, on every such row.

    Over-budget rows are B004's; a rate that is out of band only under one reading of a
    total that does not balance is left to B001.
    """
    rb = ctx.rulebook
    tol = rb.amount_tolerance
    for key, row in unit.budget.items():
        rate = _rate(unit, ctx, key)
        if rate is None or not is_empty_text(row.note, rb.placeholders):
            continue
        if budget_always(unit, ctx, key, ("adjusted", "actual"), lambda b, a: b > tol and a > b + tol):
            continue  # B004
        # Within the amount tolerance of the threshold is on it (0.005 万元 over is not "above").
        low = budget_always(unit, ctx, key, ("adjusted", "actual"),
                            lambda b, a: b > tol and a < b * rb.explain_below - tol - 1e-9)
        high = budget_always(unit, ctx, key, ("adjusted", "actual"),
                             lambda b, a: b > tol and a > b * rb.explain_above + tol + 1e-9)
        if not (low or high):
            continue
        yield B005(
            SHEET, row.note.cell or BUDGET.cell(key, "note"), expected=None, actual=round(rate, 6), kind="rate",
            row=row.label, row_en=BUDGET.row_en(key), rate=percent(rate),
            side=f"低于 {percent(rb.explain_below)}" if low else f"高于 {percent(rb.explain_above)}",
            side_en=f"below {percent(rb.explain_below)}" if low else f"above {percent(rb.explain_above)}",
        )


@check("B006")
def check_empty(unit: Unit, ctx: RuleContext) -> Iterable[Finding]:
    """A budget table with no amount anywhere (all blank or 0)."""
    if not unit.budget or "total" not in unit.budget:
        return  # sheet missing: the reader reports it
    # Formula totals never calculated (a blank template saved by a program) say nothing.
    fields = [r.amount(c) for r in unit.budget.values() for c in BUDGET_AMOUNT_COLS]
    if all(f.status == "missing" for f in fields):
        return  # the sheet or its header is missing: the reader's F013/F016 says so
    fields = [f for f in fields if f.status not in ("uncalculated", "missing")]
    if any(f.status not in ("blank", "ok") for f in fields):
        return  # something is there but unreadable: the reader reports it
    tol = ctx.rulebook.amount_tolerance
    if all(abs(amount(f) or 0.0) <= tol for f in fields):
        yield B006(SHEET, _cell(unit.budget["total"], "adjusted"))
