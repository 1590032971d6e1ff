"""Property tests of the balance logic shared by 预算执行 and 三公经费: one wrong cell in a
balanced table gives exactly one reported failure, at the right total."""

from __future__ import annotations

from dataclasses import dataclass

from hypothesis import given, settings
from hypothesis import strategies as st

from perfxl.model import Field
from perfxl.rules.registry import balance_failures, candidates
from perfxl.spec import BUDGET, THREE_PUBLIC

TOL = 0.01


@dataclass
class Row:
    cells: dict

    def amount(self, col):
        return self.cells[col]


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
    assert balance_failures(BUDGET, rows, ["actual"], TOL) == []
    rows[key] = Row({"actual": Field(round(values[key] + delta, 2), BUDGET.name, "A1")})
    reported = [b for b in balance_failures(BUDGET, rows, ["actual"], TOL) if b.report]
    assert [b.total for b in reported] == [WHERE[key]]
    b = reported[0]
    assert abs(b.actual - b.expected) > TOL
    # the true value of the total is among its candidates
    cands = candidates(balance_failures(BUDGET, rows, ["actual"], TOL), rows, "total", "actual", BUDGET)
    assert any(abs(c - values["total"]) <= TOL for c in cands)


@settings(max_examples=100, deadline=None)
@given(st.tuples(amounts, amounts, amounts, amounts),
       st.sampled_from(["total", "cars", "abroad", "reception", "car_purchase", "car_maint"]), deltas)
def test_one_wrong_three_public_cell_one_reported_failure(leaves, key, delta):
    abroad, reception, purchase, maint = leaves
    rows, values = table(THREE_PUBLIC, {"abroad": abroad, "reception": reception,
                                        "car_purchase": purchase, "car_maint": maint})
    rows[key] = Row({"actual": Field(round(values[key] + delta, 2), THREE_PUBLIC.name, "A1")})
    reported = [b for b in balance_failures(THREE_PUBLIC, rows, ["actual"], TOL) if b.report]
    where = {"car_purchase": "cars", "car_maint": "cars", "cars": "cars"}.get(key, "total")
    assert [b.total for b in reported] == [where]


def test_unreadable_part_silences_its_total():
    rows, _ = table(BUDGET, budget_leaves((1.0, 2.0, 3.0)))
    rows["general"] = Row({"actual": Field(None, BUDGET.name, "D5", raw="abc", status="invalid")})
    rows["total"] = Row({"actual": Field(0.0, BUDGET.name, "D4", formula=True)})  # SUM skipped the text
    fails = balance_failures(BUDGET, rows, ["actual"], TOL)
    assert fails and not any(b.report for b in fails)
