"""G rules (绩效目标)."""

from __future__ import annotations

import pytest
from _rules_util import planted

from perfxl.spec import GOALS, addr

S = GOALS.name


def goal_cell(i: int, key: str) -> str:
    return addr(GOALS.first_row + i, GOALS.col_of(key))


def set_goal(i, **values):
    return lambda d: d["goals"][i].update(values)


CASES = [
    ("G001 no goals", lambda d: d.update(goals=[]), [("G001", S, goal_cell(0, "goal"))]),
    ("G002 goal text blank", set_goal(1, goal=None), [("G002", S, goal_cell(1, "goal"))]),
    ("G002 goal text placeholder", set_goal(2, goal="无"), [("G002", S, goal_cell(2, "goal"))]),
    ("G003 result blank", set_goal(0, result=None), [("G003", S, goal_cell(0, "result"))]),
    *[(f"G003 result placeholder {ph}", set_goal(1, result=ph), [("G003", S, goal_cell(1, "result"))])
      for ph in ("无", "/", "-", "*", "略")],
    ("G quiet: one goal is enough", lambda d: d.update(goals=d["goals"][:1]), []),
    ("G quiet: no 序号", set_goal(3, seq=None), []),
]


@pytest.mark.parametrize("plant, expected", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_goal_rules(make_xlsx, seed_data, plant, expected):
    plant(seed_data)
    assert planted(make_xlsx, seed_data) == sorted(expected)


def test_a_goal_without_its_result_is_an_error(make_xlsx, seed_data):
    """The review systems refuse a goal whose 实际完成情况 is blank or a placeholder."""
    from _rules_util import findings_of

    seed_data["goals"][0]["result"] = "略"
    found = [f for f in findings_of(make_xlsx(seed_data)) if f.code == "G003"]
    assert [(f.severity.value, f.cell) for f in found] == [("error", goal_cell(0, "result"))]
    assert "占位符" in found[0].message("zh") and "placeholder" in found[0].message("en")
