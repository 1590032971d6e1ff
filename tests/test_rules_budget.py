"""B rules (预算执行): one planted mistake gives exactly its finding, at its cell."""

from __future__ import annotations

import pytest
from _rules_util import planted

from perfxl.spec import BUDGET

S = BUDGET.name
C = BUDGET.cell


def set_(data, row, **values):
    data["budget"].setdefault(row, {}).update(values)


def typed_total(d):  # 资金总额 全年执行数 typed over its formula, 1.00 too high
    set_(d, "total", actual=310.39)


def typed_total_within_tolerance(d):
    set_(d, "total", actual=309.395)


def typed_basic(d):  # 基本支出 typed over: reported there, not again at 资金总额
    set_(d, "basic", actual=200.0)


def staff_off(d):  # a part is wrong: 资金总额 ≠ 基本 + 项目 shows at the total
    set_(d, "staff", last_year=171.25)


def typed_rate(d):
    set_(d, "total", rate=0.95)


def typed_change(d):
    set_(d, "general", change=0)


def typed_rate_right(d):  # typed over, but with the right value
    set_(d, "total", rate=1.0)


def zero_budget_spent(d):  # 政府性基金 spent 5 with no budget; sources still add up
    set_(d, "fund", actual=5.0, adjusted=0, initial=0)
    set_(d, "general", actual=304.39)


def almost_zero_budget_spent(d):  # a budget of 0.004 万元 is 0 within the amount tolerance
    set_(d, "fund", actual=5.0, adjusted=0.004, initial=0)
    set_(d, "general", actual=304.39, adjusted=309.386)


def zero_budget_quiet(d):
    set_(d, "fund", actual=5.0, adjusted=5.0)
    set_(d, "general", actual=304.39, adjusted=304.39)


def over_budget(d):  # 项目支出 overspent by 10: shows on 项目, its source and the total
    set_(d, "project", actual=122.87)
    set_(d, "general", actual=319.39)


def over_budget_within_tolerance(d):
    set_(d, "project", actual=112.875)
    set_(d, "general", actual=309.395)


def low_execution(d, notes=False):
    set_(d, "general", actual=270.0)
    set_(d, "project", actual=73.48)
    d["scores"]["budget_execution"]["self_score"] = round(270 / 309.39 * 10, 2)
    if notes:
        set_(d, "general", note="年末项目资金未拨付，结转下年。")
        set_(d, "project", note="项目进度滞后，结转下年继续实施。")


def empty_budget(d):
    d["budget"] = {}
    d["scores"]["budget_execution"]["self_score"] = 0
    d["grade"] = "良"  # 85 without the execution part


CASES = [
    ("B001 typed-over total", typed_total, [("B001", S, C("total", "actual"))]),
    ("B001 quiet within 0.01", typed_total_within_tolerance, []),
    ("B001 subtotal once", typed_basic, [("B001", S, C("basic", "actual"))]),
    ("B001 part off shows at total", staff_off, [("B001", S, C("total", "last_year"))]),
    ("B002 rate typed over", typed_rate, [("B002", S, C("total", "rate"))]),
    ("B002 change typed over", typed_change, [("B002", S, C("general", "change"))]),
    ("B002 quiet: typed right", typed_rate_right, []),
    ("B003 zero budget spent", zero_budget_spent, [("B003", S, C("fund", "adjusted"))]),
    ("B003 zero within the tolerance", almost_zero_budget_spent, [("B003", S, C("fund", "adjusted"))]),
    ("B003 quiet with a budget", zero_budget_quiet, []),
    ("B004 over budget per row", over_budget,
     [("B004", S, C("total", "actual")), ("B004", S, C("general", "actual")), ("B004", S, C("project", "actual"))]),
    ("B004 quiet within 0.01", over_budget_within_tolerance, []),
    ("B005 low execution without note", low_execution,
     [("B005", S, C("general", "note")), ("B005", S, C("project", "note"))]),
    ("B005 quiet with notes", lambda d: low_execution(d, notes=True), []),
    ("B006 empty table", empty_budget, [("B006", S, C("total", "adjusted"))]),
]


@pytest.mark.parametrize("plant, expected", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_budget_rules(make_xlsx, seed_data, plant, expected):
    plant(seed_data)
    assert planted(make_xlsx, seed_data) == sorted(expected)


def test_low_total_rate_needs_its_own_note(make_xlsx, seed_data):
    """The 资金总额 row is judged like any other: without its note it is reported too."""
    low_execution(seed_data)
    seed_data["budget"]["total"]["note"] = None
    got = planted(make_xlsx, seed_data)
    assert ("B005", S, C("total", "note")) in got
    assert [g for g in got if g[0] != "B005"] == []


def test_execution_threshold_comes_from_the_rulebook(make_xlsx, seed_data):
    import dataclasses

    from perfxl.rulebook import default_rulebook

    low_execution(seed_data)
    rb = dataclasses.replace(default_rulebook(), explain_below=0.6)
    assert planted(make_xlsx, seed_data, rulebook=rb) == []


def test_empty_table_quiet_when_the_sheet_cannot_be_found(make_xlsx, seed_data, tmp_path):
    """No 预算执行 sheet (or no header in it) is the reader's F013/F016, not an empty table."""
    import openpyxl

    from _rules_util import findings_of

    path = make_xlsx(seed_data)
    wb = openpyxl.load_workbook(path)
    del wb[BUDGET.name]
    wb.save(tmp_path / "no-budget.xlsx")
    codes = [f.code for f in findings_of(tmp_path / "no-budget.xlsx", None)]
    assert "F013" in codes and "B006" not in codes
