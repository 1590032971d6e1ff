"""部门整体 common indicators (财预〔2013〕53号 framework), computed from a read unit.

:func:`common_indicators` returns a dict with stable Chinese keys (the names the bureau
uses; JSON and the summary use the same keys).  :data:`COMMON_INDICATORS` lists them in
order with their English name and kind: ``rate`` values are fractions (0.8182 is shown as
81.82%), ``amount`` values are 万元.  A value is None when an input is missing or
unreadable, or when a denominator is 0 — never a made-up 0.

:func:`budget_amount` is the one place the 资金总额 row is read, shared with scoring: that
row is a computed cell, so its value is the sum of its parts (:mod:`perfxl.computed`), with a
note when the cell shows something else or nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from perfxl.computed import values
from perfxl.i18n import Text
from perfxl.model import Field, Unit
from perfxl.rulebook import Rulebook
from perfxl.spec import BUDGET, THREE_PUBLIC, TableSheet

__all__ = [
    "CommonIndicator",
    "COMMON_INDICATORS",
    "common_indicators",
    "budget_amount",
    "three_public_amount",
    "field_number",
    "field_ref",
    "describe_problem",
]


@dataclass(frozen=True)
class CommonIndicator:
    """One common indicator: its key (Chinese), English name, kind and formula (both languages)."""

    key: str
    name_en: str
    kind: Literal["rate", "amount"]
    formula: str
    formula_en: str = ""


COMMON_INDICATORS: tuple[CommonIndicator, ...] = (
    CommonIndicator("在职人员控制率", "staff control rate", "rate", "在职人数 ÷ 编制人数",
                    "staff on post ÷ authorised headcount"),
    CommonIndicator("预算调整率", "budget adjustment rate", "rate", "(全年预算数 − 年初预算数) ÷ 年初预算数",
                    "(full-year budget − initial budget) ÷ initial budget"),
    CommonIndicator("预算执行率", "budget execution rate", "rate", "全年执行数 ÷ 全年预算数",
                    "spending ÷ full-year budget"),
    CommonIndicator("执行数占年初预算", "spending ÷ initial budget", "rate", "全年执行数 ÷ 年初预算数",
                    "spending ÷ initial budget"),
    CommonIndicator("公用经费控制率", "running-cost control rate", "rate", "公用经费全年执行数 ÷ 公用经费全年预算数",
                    "running costs spent ÷ their full-year budget"),
    CommonIndicator("三公经费控制率", "three-public control rate", "rate", "三公经费决算数 ÷ 三公经费预算数",
                    "three-public spending ÷ its budget"),
    CommonIndicator("三公经费变动率", "three-public change rate", "rate", "(三公经费决算数 − 上年决算数) ÷ 上年决算数",
                    "(three-public spending − last year's) ÷ last year's"),
    CommonIndicator("较上年增减", "change on last year (万元)", "amount", "全年执行数 − 上年执行数",
                    "spending − last year's spending"),
    CommonIndicator("较上年增减率", "change on last year (rate)", "rate", "(全年执行数 − 上年执行数) ÷ 上年执行数",
                    "(spending − last year's) ÷ last year's"),
    CommonIndicator("基本支出较上年增减", "basic spending change (万元)", "amount", "基本支出全年执行数 − 上年执行数",
                    "basic spending − last year's"),
    CommonIndicator("项目支出较上年增减", "project spending change (万元)", "amount", "项目支出全年执行数 − 上年执行数",
                    "project spending − last year's"),
)
COMMON_KINDS: dict[str, str] = {c.key: c.kind for c in COMMON_INDICATORS}


def field_number(f: Field | None) -> float | None:
    """The numeric value of a readable field, or None (blank, text, unreadable, NaN)."""
    return None if f is None else f.number


def field_ref(f: Field | None, sheet: str, cell: str | None) -> str:
    """'sheet!cell' of a field, falling back to the template address when unknown."""
    if f is not None and f.ref is not None:
        return f.ref
    return f"{sheet}!{cell}" if cell else sheet


def describe_problem(f: Field | None) -> Text:
    """Why a field gives no number: '未填写', '无法读取（完成）' … (the English in ``.en``:
    'is blank', 'cannot be read (完成)' …)."""
    if f is None or f.status == "missing":
        return Text("缺失", "is missing")
    if f.status == "blank":
        return Text("未填写", "is blank")
    if f.status == "uncalculated":
        return Text("为未计算的公式", "is a formula that was never calculated")
    if f.status == "error":
        if f.raw is not None:
            return Text(f"为错误值 {f.raw}", f"is the error value {f.raw}")
        return Text("为错误值", "is an error value")
    raw = f.raw if f.raw is not None else f.value
    if raw not in (None, ""):
        return Text(f"无法读取（{raw}）", f"cannot be read ({raw})")
    return Text("无法读取", "cannot be read")


def budget_table(unit: Unit) -> TableSheet:
    """The table of the unit's kind that holds its money by source (预算执行 of a 部门整体
    workbook, 项目资金 of a project form): the rows of ``unit.budget``."""
    from perfxl.kinds import kind_of

    return next(t for t in kind_of(unit).spec.tables if t.model == "budget")


def _budget_field(unit: Unit, row_key: str, col: str) -> Field | None:
    row = unit.budget.get(row_key)
    return row.amount(col) if row is not None else None


def _budget_ref(unit: Unit, row_key: str, col: str) -> str:
    f = _budget_field(unit, row_key, col)
    t = budget_table(unit)
    if unit.form_sheet is not None:  # a form has no template address to fall back on
        return field_ref(f, unit.form_sheet, f.cell if f is not None and f.cell else "")
    return field_ref(f, t.name, t.cell(row_key, col) if f is None or f.cell is None else f.cell)


def budget_amount(unit: Unit, col: str, row_key: str = "total",
                  rulebook: Rulebook | None = None) -> tuple[float | None, Text | None]:
    """An amount of 预算执行 (``col``: initial/adjusted/actual/last_year) and a note.

    A row with parts (资金总额, 基本支出) is a computed cell, and a computed cell is never
    trusted as input: its value is what its formula gives over the input cells
    (:mod:`perfxl.computed`), whether or not the file was calculated.  The note says so
    when that differs from what the cell shows (a figure typed over the formula, a cached
    0 over a part typed as text — the balance rules report those) or when the cell shows
    no number.  An input row is taken as read (None when blank or unreadable).
    Returns (None, None) when nothing usable is found.
    """
    vals = values(unit, rulebook)
    table = budget_table(unit)
    got = vals.shown(table.name, row_key, col)
    if got is None:
        return field_number(_budget_field(unit, row_key, col)), None
    total, own, typed_over = got
    if total is None:
        return None, None
    if own is not None and not typed_over:
        return total, None  # the cell shows what its formula gives
    f = _budget_field(unit, row_key, col)
    label = table.row_spec(row_key).label
    col_label = table.column(col).label
    if own is not None:
        why = Text(f"为计算单元格，显示值 {own:.2f} 与各项之和不符",
                   f"is a computed cell whose figure {own:.2f} differs from the sum of its parts")
    else:
        why = describe_problem(f)
    parts = table.row_spec(row_key).parts
    names = "、".join(table.row_spec(p).name for p in parts)
    names_en = ", ".join(table.row_en(p) for p in parts)
    ref = _budget_ref(unit, row_key, col)
    note = Text(f"{ref} {label}{col_label}{why}，按{names}之和 {total:.2f} 计",
                f"{ref} {table.row_en(row_key)} {table.col_en(col)} {why.en}; the sum of {names_en}, "
                f"{total:.2f}, is used")
    return total, note


def _div(a: float | None, b: float | None) -> float | None:
    if a is None or b is None or b == 0:
        return None
    return a / b


def _sub(a: float | None, b: float | None) -> float | None:
    if a is None or b is None:
        return None
    return a - b


def common_indicators(unit: Unit, rulebook: Rulebook | None = None) -> dict[str, float | None]:
    """The common indicators of a unit, keyed as in :data:`COMMON_INDICATORS` (in order).

    Rates are fractions (not rounded); amounts are 万元.  None where an input is missing
    or a denominator is 0.  Totals are computed from their parts (:mod:`perfxl.computed`).
    """
    rulebook = rulebook or values(unit).rulebook
    quota = field_number(unit.profile.get("staff_quota"))
    on_post = field_number(unit.profile.get("staff_on_post"))
    initial, _ = budget_amount(unit, "initial", rulebook=rulebook)
    adjusted, _ = budget_amount(unit, "adjusted", rulebook=rulebook)
    actual, _ = budget_amount(unit, "actual", rulebook=rulebook)
    last, _ = budget_amount(unit, "last_year", rulebook=rulebook)
    pub_adj = field_number(_budget_field(unit, "public", "adjusted"))
    pub_act = field_number(_budget_field(unit, "public", "actual"))
    # 三公经费合计 is a computed row: like 资金总额, the sum of its parts.
    tp_budget = three_public_amount(unit, "budget", rulebook=rulebook)
    tp_actual = three_public_amount(unit, "actual", rulebook=rulebook)
    tp_last = three_public_amount(unit, "last_year", rulebook=rulebook)
    basic_act, _ = budget_amount(unit, "actual", "basic", rulebook)
    basic_last, _ = budget_amount(unit, "last_year", "basic", rulebook)
    proj_act = field_number(_budget_field(unit, "project", "actual"))
    proj_last = field_number(_budget_field(unit, "project", "last_year"))

    change = _sub(actual, last)
    out: dict[str, float | None] = {
        "在职人员控制率": _div(on_post, quota),
        "预算调整率": _div(_sub(adjusted, initial), initial),
        "预算执行率": _div(actual, adjusted),
        "执行数占年初预算": _div(actual, initial),
        "公用经费控制率": _div(pub_act, pub_adj),
        "三公经费控制率": _div(tp_actual, tp_budget),
        "三公经费变动率": _div(_sub(tp_actual, tp_last), tp_last),
        "较上年增减": change,
        "较上年增减率": _div(change, last),
        "基本支出较上年增减": _sub(basic_act, basic_last),
        "项目支出较上年增减": _sub(proj_act, proj_last),
    }
    return out


def three_public_amount(unit: Unit, col: str, row_key: str = "total",
                        rulebook: Rulebook | None = None) -> float | None:
    """An amount of 三公经费 (``col``: budget/actual/last_year) as the common indicators
    use it: a computed row (合计, 公务用车) is what its formula gives from its parts
    (:mod:`perfxl.computed`).  None when unknown."""
    return values(unit, rulebook).true(THREE_PUBLIC.name, row_key, col)
