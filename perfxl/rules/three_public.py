"""S rules: 三公经费 (the "three public" costs, 万元)."""

from __future__ import annotations

from typing import Iterable

from perfxl.codes.three_public import S001, S002, S003, S004, S005, S006, S007
from perfxl.findings import Finding
from perfxl.model import ThreePublicRow, Unit
from perfxl.rules.registry import (
    RuleContext,
    always,
    amount,
    balance_failures,
    balance_inputs,
    check,
    computed_values,
    number,
)
from perfxl.spec import THREE_PUBLIC, THREE_PUBLIC_AMOUNT_COLS

SHEET = THREE_PUBLIC.name
__all__ = [
    "S001", "S002", "S003", "S004", "S005", "S006", "S007", "check_balances", "check_over_budget",
    "check_above_last_year", "check_groups", "check_cars",
]



def _cell(row: ThreePublicRow, col: str) -> str:
    return row.amount(col).cell or THREE_PUBLIC.cell(row.key, col)


def _failures(unit: Unit, ctx: RuleContext):  # type: ignore[no-untyped-def]
    return ctx.memo("three-public-balances", balance_failures, THREE_PUBLIC, computed_values(unit, ctx),
                    THREE_PUBLIC_AMOUNT_COLS, ctx.rulebook.amount_tolerance)


def _always(unit: Unit, ctx: RuleContext, key: str, cols: tuple[str, ...], pred) -> bool:  # type: ignore[no-untyped-def]
    """``pred`` holds for every candidate value (see :func:`perfxl.rules.registry.candidates`)."""
    return always(unit, ctx, THREE_PUBLIC, _failures, key, cols, pred)


@check("S001")
def check_balances(unit: Unit, ctx: RuleContext) -> Iterable[Finding]:
    """合计 = 出国 + 接待 + 公车; 公车 = 购置 + 运行维护, in every amount column."""
    for b in _failures(unit, ctx):
        if not b.report:
            continue
        row = unit.three_public[b.total]
        cell = _cell(row, b.col)
        related, hint, hint_en = balance_inputs(THREE_PUBLIC, unit.three_public, b, cell)
        yield S001(
            SHEET, cell, expected=b.expected, actual=b.actual, related=related, hint=hint, hint_en=hint_en,
            row=row.label, column=THREE_PUBLIC.column(b.col).label,
            parts="、".join(THREE_PUBLIC.row_spec(p).label for p in b.parts),
            row_en=THREE_PUBLIC.row_en(b.total), column_en=THREE_PUBLIC.col_en(b.col),
            parts_en=", ".join(THREE_PUBLIC.row_en(p) for p in b.parts), diff=round(b.actual - b.expected, 2),
        )


def _above(unit: Unit, ctx: RuleContext, col: str) -> list[str]:
    """Rows whose 决算数 is above ``col`` (预算数 or 上年决算数) under every reading."""
    tol = ctx.rulebook.amount_tolerance
    return [key for key in unit.three_public
            if _always(unit, ctx, key, ("actual", col), lambda a, ref: a > ref + tol)]


@check("S002")
def check_over_budget(unit: Unit, ctx: RuleContext) -> Iterable[Finding]:
    """决算 > 预算, on every row where it holds."""
    vals = computed_values(unit, ctx)
    for key in _above(unit, ctx, "budget"):
        row = unit.three_public[key]
        yield S002(SHEET, _cell(row, "actual"), expected=vals.judged(SHEET, key, "budget"),
                   actual=vals.judged(SHEET, key, "actual"), row=row.label, row_en=THREE_PUBLIC.row_en(key))


@check("S003")
def check_above_last_year(unit: Unit, ctx: RuleContext) -> Iterable[Finding]:
    """决算 > 上年决算 (warning), on every row where it holds."""
    vals = computed_values(unit, ctx)
    for key in _above(unit, ctx, "last_year"):
        row = unit.three_public[key]
        a, b = vals.judged(SHEET, key, "actual"), vals.judged(SHEET, key, "last_year")
        if a is None or b is None:
            continue
        yield S003(SHEET, _cell(row, "actual"), expected=b, actual=a,
                   row=row.label, row_en=THREE_PUBLIC.row_en(key), diff=round(a - b, 2))


_COUNTED = ("abroad", "reception")  # the rows that carry 批次 and 人次


def _count(f) -> float | None:  # type: ignore[no-untyped-def]
    # blank 批次/人次 mean none, like blank amounts
    return amount(f)


@check("S004", "S005")
def check_groups(unit: Unit, ctx: RuleContext) -> Iterable[Finding]:
    """Money needs groups and groups need money (S004); 人次 ≥ 批次 (S005)."""
    tol = ctx.rulebook.amount_tolerance
    for key in _COUNTED:
        row = unit.three_public.get(key)
        if row is None:
            continue
        money, batches, persons = amount(row.actual), _count(row.batches), _count(row.persons)
        if money is not None and batches is not None:
            # 批次 are whole numbers (the reader refuses 2.5 with V009); money has a tolerance.
            if money > tol and batches == 0:
                yield S004(SHEET, row.batches.cell or THREE_PUBLIC.cell(key, "batches"), expected=None, actual=0,
                           row=row.label, row_en=THREE_PUBLIC.row_en(key), money=money, batches=0)
                continue
            if abs(money) <= tol and batches > 0:
                yield S004(SHEET, _cell(row, "actual"), expected=None, actual=money,
                           row=row.label, row_en=THREE_PUBLIC.row_en(key), money=money, batches=int(batches))
                continue
        if batches is not None and persons is not None and persons < batches:
            yield S005(SHEET, row.persons.cell or THREE_PUBLIC.cell(key, "persons"),
                       expected=int(batches), actual=int(persons), row=row.label, row_en=THREE_PUBLIC.row_en(key))


@check("S006", "S007")
def check_cars(unit: Unit, ctx: RuleContext) -> Iterable[Finding]:
    """公务用车保有量 required (S007); running costs with no car (S006)."""
    f = unit.car_count
    if f.status == "blank":
        yield S007(SHEET, f.cell or THREE_PUBLIC.after_cell("car_count"))
        return
    count = number(f)
    row = unit.three_public.get("car_maint")
    if count is None or row is None:
        return
    maint = amount(row.actual)
    if count == 0 and maint is not None and maint > ctx.rulebook.amount_tolerance:
        yield S006(SHEET, f.cell or THREE_PUBLIC.after_cell("car_count"), expected=None, actual=maint)
