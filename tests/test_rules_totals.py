"""T rules (自评得分): one planted mistake gives exactly its finding, at its cell."""

from __future__ import annotations

import pytest
from _rules_util import planted

from perfxl.spec import SELF_SCORE

S = SELF_SCORE.name
C = SELF_SCORE.cell
GRADE = SELF_SCORE.after_cell("grade")


def score(row, **values):
    return lambda d: d["scores"].setdefault(row, {}).update(values)


CASES = [
    ("T001 execution self-score", score("budget_execution", self_score=9), [("T001", S, C("budget_execution", "self_score"))]),
    ("T001 quiet: within 0.1", score("budget_execution", self_score=9.95), []),
    ("T002 subtotal typed over", score("output", self_score=45), [("T002", S, C("output", "self_score"))]),
    ("T002 quiet: typed right", score("output", self_score=50), []),
    ("T003 total typed over", score("total", self_score=99), [("T003", S, C("total", "self_score"))]),
    ("T004 grade of 95 is 优", lambda d: d.update(grade="良"), [("T004", S, GRADE)]),
    ("T005 weight column edited", score("output", weight=60), [("T005", S, C("output", "weight"))]),
    ("T005 total weight edited", score("total", weight=90), [("T005", S, C("total", "weight"))]),
    ("T006 grade blank", lambda d: d.update(grade=None), [("T006", S, GRADE)]),
    ("T006 execution self-score blank", score("budget_execution", self_score=None),
     [("T006", S, C("budget_execution", "self_score"))]),
    ("T007 grade not a grade", lambda d: d.update(grade="优秀"), [("T007", S, GRADE)]),
]


@pytest.mark.parametrize("plant, expected", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_total_rules(make_xlsx, seed_data, plant, expected):
    plant(seed_data)
    assert planted(make_xlsx, seed_data) == sorted(expected)


def test_grade_bands_come_from_the_rulebook(make_xlsx, seed_data):
    import dataclasses

    from perfxl.rulebook import default_rulebook

    rb = dataclasses.replace(default_rulebook(), grades={"优": 96.0, "良": 80.0, "中": 60.0})
    assert planted(make_xlsx, seed_data, rulebook=rb) == [("T004", S, GRADE)]
