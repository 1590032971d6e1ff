"""Property tests of the balance logic shared by 预算执行 and 三公经费: one wrong cell in a
calculated, balanced table gives exactly one reported failure, at the right total.

The tables are built as a calculated workbook holds them: every total shows the sum of
its parts; then one cell (an input, or a total whose formula was typed over) is changed
without recalculating the rest, as a figure typed over a formula or a stale cached value.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from perfxl.computed import Values
from perfxl.model import BudgetRow, Field, ThreePublicRow, Unit
from perfxl.rulebook import default_rulebook
from perfxl.rules.registry import balance_failures, candidates
from perfxl.spec import BUDGET, DEPT, THREE_PUBLIC

TOL = 0.01
RB = default_rulebook()


class Rows(dict):
    """row key → {column key: Field}; ``rows[key] = Row({...})`` sets one cell."""


def Row(cells: dict) -> dict:  # noqa: N802 - reads like the old constructor
    return cells


def _unit(sheet, rows: dict) -> Unit:
    unit = Unit(path=__import__("pathlib").Path("t.xlsx"))
    blank = Field(None, sheet.name, "A1", None, "blank")
    for rs in sheet.rows:
        cells = rows.get(rs.key, {})
        f = {c.key: cells.get(c.key, blank) for c in sheet.columns}
        if sheet is BUDGET:
            unit.budget[rs.key] = BudgetRow(rs.key, rs.label, None, f["initial"], f["adjusted"], f["actual"],
                                            f["last_year"], f["rate"], f["change"], f["note"])
        else:
            unit.three_public[rs.key] = ThreePublicRow(rs.key, rs.label, None, f["budget"], f["actual"],
                                                       f["last_year"], f["batches"], f["persons"])
    return unit


def vals(sheet, rows: dict) -> Values:
    return Values(_unit(sheet, rows), DEPT, RB)


def table(sheet, leaves: dict[str, float], col: str = "actual"):
    """Rows of ``sheet`` with the leaves given and every total the sum of its parts."""
    values = dict(leaves)
    for total, parts in reversed(sheet.balances):  # subtotals before totals
        if all(p in values for p in parts):
            values[total] = round(sum(values[p] for p in parts), 2)
    return {k: Row({col: Field(v, sheet.name, "A1")}) for k, v in values.items()}, values


amounts = st.decimals(min_value=0, max_value=5000, places=2).map(float)
deltas = st.decimals(min_value=-100, max_value=100, places=2).map(float).filter(lambda d: abs(d) > TOL)


def budget_leaves(basic):
    """Leaves whose two decompositions agree: sources (general only) = staff + public + project."""
    staff, public, project = basic
    return {"general": round(staff + public + project, 2), "fund": 0.0, "special": 0.0, "other": 0.0,
            "staff": staff, "public": public, "project": project}


# The row where one wrong cell shows: a total shows at itself; a part shows at the total
# whose balance it breaks (staff/public at 基本支出; sources and 项目支出 at 资金总额).
WHERE = {"total": "total", "basic": "basic", "staff": "basic", "public": "basic",
         "general": "total", "project": "total"}


@settings(max_examples=150, deadline=None)
@given(st.tuples(amounts, amounts, amounts), st.sampled_from(sorted(WHERE)), deltas)
def test_one_wrong_budget_cell_one_reported_failure(basic, key, delta):
    rows, values = table(BUDGET, budget_leaves(basic))
    assert balance_failures(BUDGET, vals(BUDGET, rows), ["actual"], TOL) == []
    rows[key] = Row({"actual": Field(round(values[key] + delta, 2), BUDGET.name, "A1")})
    v = vals(BUDGET, rows)
    reported = [b for b in balance_failures(BUDGET, v, ["actual"], TOL) if b.report]
    assert [b.total for b in reported] == [WHERE[key]]
    b = reported[0]
    assert abs(b.actual - b.expected) > TOL
    # the true value of the total is among its candidates
    cands = candidates(balance_failures(BUDGET, v, ["actual"], TOL), v, BUDGET, "total", "actual")
    assert any(abs(c - values["total"]) <= TOL for c in cands)


@settings(max_examples=100, deadline=None)
@given(st.tuples(amounts, amounts, amounts, amounts),
       st.sampled_from(["total", "cars", "abroad", "reception", "car_purchase", "car_maint"]), deltas)
def test_one_wrong_three_public_cell_one_reported_failure(leaves, key, delta):
    abroad, reception, purchase, maint = leaves
    rows, values = table(THREE_PUBLIC, {"abroad": abroad, "reception": reception,
                                        "car_purchase": purchase, "car_maint": maint})
    rows[key] = Row({"actual": Field(round(values[key] + delta, 2), THREE_PUBLIC.name, "A1")})
    reported = [b for b in balance_failures(THREE_PUBLIC, vals(THREE_PUBLIC, rows), ["actual"], TOL) if b.report]
    where = {"car_purchase": "cars", "car_maint": "cars", "cars": "cars"}.get(key, "total")
    assert [b.total for b in reported] == [where]


def test_unreadable_part_silences_its_total():
    rows, _ = table(BUDGET, budget_leaves((1.0, 2.0, 3.0)))
    rows["general"] = Row({"actual": Field(None, BUDGET.name, "D5", raw="abc", status="invalid")})
    rows["total"] = Row({"actual": Field(0.0, BUDGET.name, "D4", formula=True)})  # SUM skipped the text
    assert balance_failures(BUDGET, vals(BUDGET, rows), ["actual"], TOL) == []


def test_text_part_is_not_a_typed_over_total():
    """A source typed as text ('6.00万元', read as 6): Excel's SUM skips it, so the calculated
    total shows 0 — not a figure typed over the formula; the total is 6, and balances."""
    rows, _ = table(BUDGET, budget_leaves((1.0, 2.0, 3.0)))
    rows["general"] = Row({"actual": Field(6.0, BUDGET.name, "D5", raw="6.00万元", converted=True)})
    rows["total"] = Row({"actual": Field(0.0, BUDGET.name, "D4", formula=True)})
    v = vals(BUDGET, rows)
    assert balance_failures(BUDGET, v, ["actual"], TOL) == []
    assert v.true(BUDGET.name, "total", "actual") == 6.0 and not v.state(BUDGET.name, "total", "actual").typed_over


def test_a_missing_cell_is_unknown_not_zero():
    rows, _ = table(BUDGET, budget_leaves((1.0, 2.0, 3.0)))
    rows["project"] = Row({"actual": Field.absent(BUDGET.name, "D12")})  # its row was not found
    v = vals(BUDGET, rows)
    assert v.true(BUDGET.name, "project", "actual") is None
    assert balance_failures(BUDGET, v, ["actual"], TOL) == []
