"""Rules stay quiet on values the reader could not read: the reader's V finding stands
alone (no cascade through totals, scores or grades)."""

from __future__ import annotations

import pytest
from _rules_util import ind_cell, planted

from perfxl.spec import BUDGET, INDICATORS, PROFILE, SELF_SCORE, THREE_PUBLIC

CASES = [
    ("words as an indicator's actual", lambda d: d["indicators"][0].update(actual="完成"),
     [("V002", INDICATORS.name, ind_cell(0, "actual"))]),
    ("words as a target", lambda d: d["indicators"][7].update(target="较好"),
     [("V002", INDICATORS.name, ind_cell(7, "target"))]),
    ("words as an amount", lambda d: d["budget"]["general"].update(actual="abc"),
     [("V002", BUDGET.name, BUDGET.cell("general", "actual"))]),
    ("words as a weight", lambda d: d["indicators"][4].update(weight="四"),
     [("V002", INDICATORS.name, ind_cell(4, "weight"))]),
    ("words as a self-score", lambda d: d["indicators"][4].update(self_score="满分"),
     [("V002", INDICATORS.name, ind_cell(4, "self_score"))]),
    ("unknown direction", lambda d: d["indicators"][4].update(direction="大约"),
     [("V013", INDICATORS.name, ind_cell(4, "direction"))]),
    ("words as staff", lambda d: d["profile"].update(staff_on_post="九"),
     [("V002", PROFILE.name, PROFILE.cell("staff_on_post"))]),
    ("words as the car count", lambda d: d.update(car_count="无"),
     [("V002", THREE_PUBLIC.name, THREE_PUBLIC.after_cell("car_count"))]),
    ("words as the execution self-score", lambda d: d["scores"]["budget_execution"].update(self_score="十"),
     [("V002", SELF_SCORE.name, SELF_SCORE.cell("budget_execution", "self_score"))]),
]


@pytest.mark.parametrize("plant, expected", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_reader_findings_stand_alone(make_xlsx, seed_data, plant, expected):
    plant(seed_data)
    assert planted(make_xlsx, seed_data) == sorted(expected)


def test_text_numbers_do_not_break_formula_totals(make_xlsx, seed_data):
    """'1,680.23' typed as text is read (V001, info); Excel's SUM skipped it, so the cached
    资金总额 is short — a consequence, not a second finding."""
    seed_data["budget"]["general"]["actual"] = "309.39万元"
    assert planted(make_xlsx, seed_data) == []
