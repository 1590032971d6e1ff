"""B rules: 预算执行 (budget execution, 万元)."""

from __future__ import annotations

from typing import Callable, Iterable

from perfxl.codes.budget import B001, B002, B003, B004, B005, B006
from perfxl.findings import Finding, percent
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
