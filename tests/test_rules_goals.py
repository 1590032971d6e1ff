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
    ("G quiet: one goal is enough", lambda d: d.update(goals=d["goals"][:1]), []),
    ("G quiet: no 序号", set_goal(3, seq=None), []),
]


@pytest.mark.parametrize("plant, expected", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_goal_rules(make_xlsx, seed_data, plant, expected):
    plant(seed_data)
    assert planted(make_xlsx, seed_data) == sorted(expected)
