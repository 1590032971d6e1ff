"""I rules (绩效指标): one planted mistake gives exactly its finding, at its cell.

Seed layout (0-based index → row 4 + index): 0 科技志愿服务活动 ≥10 actual 151, 1 注册率 ≥5%,
2 表彰 ≥20 actual 45, 3 表彰单位数, 4 党建活动 ≥12, 5 人员经费保障人数 =9, …, 7 普及率 ≥90%
actual 92, 11 公民科学素质水平 定性 达成 15/15, 12 氛围 定性 部分达成 10/15, 13 满意度 ≥90%.
"""

from __future__ import annotations

import dataclasses

import pytest
from _rules_util import ind_cell, planted

from perfxl.rulebook import default_rulebook
from perfxl.spec import INDICATORS

S = INDICATORS.name


def ind(i, **values):
    return lambda d: d["indicators"][i].update(values)


def both(*fs):
    def run(d):
        for f in fs:
            f(d)
    return run


def drop_satisfaction(d):
    d["indicators"] = [x for x in d["indicators"] if x["level1"] != "满意度指标"]
    d["grade"] = "良"  # 85 without the 10 satisfaction points


def no_indicators(d):
    d["indicators"] = []
    d["grade"] = "差"


def missed(i=7, actual=80, **more):
    """Indicator i (≥90 %, 分值 5) misses its target with actual 80."""
    return ind(i, actual=actual, **more)


CASES = [
    ("I001 no 满意度 indicator", drop_satisfaction, [("I001", S, ind_cell(0, "level1"))]),
    ("I002 no indicators", no_indicators, [("I002", S, ind_cell(0, "level1"))]),
    ("I003 level-2 of another level-1", ind(0, level2="经济效益指标"), [("I003", S, ind_cell(0, "level2"))]),
    ("I003 misspelt level-1", ind(13, level1="满意度"), [("I003", S, ind_cell(13, "level1"))]),
    ("I003 quiet: valid pair", ind(4, level2="时效指标"), []),
    ("I004 weight blank", ind(4, weight=None), [("I004", S, ind_cell(4, "weight"))]),
    ("I004 name blank", ind(3, name=None), [("I004", S, ind_cell(3, "name"))]),
    ("I005 weight 0", ind(4, weight=0, self_score=0), [("I005", S, ind_cell(4, "weight"))]),
    ("I006 output weights add to 52", ind(4, weight=6, self_score=6), [("I006", S, ind_cell(0, "weight"))]),
    ("I006 quiet: moved between rows", both(ind(4, weight=5, self_score=5), ind(5, weight=3, self_score=3)), []),
    ("I008 self-score above weight", ind(0, self_score=6), [("I008", S, ind_cell(0, "self_score"))]),
    ("I008 negative self-score", both(ind(3, self_score=-1), lambda d: d.update(grade="良")),
     [("I008", S, ind_cell(3, "self_score"))]),
    ("I009 full marks for a miss", missed(self_score=5, reason="部分村尚未建立组织，明年推进。"),
     [("I009", S, ind_cell(7, "self_score"))]),
    ("I009 quiet: within 0.1", missed(self_score=4.44, reason="部分村尚未建立组织，明年推进。"), []),
    ("I010 qualitative below its band", ind(11, self_score=10), [("I010", S, ind_cell(11, "self_score"))]),
    ("I010 partly met scored as met", ind(12, self_score=13), [("I010", S, ind_cell(12, "self_score"))]),
    ("I010 quiet: bottom of the band", ind(11, self_score=12), []),
    ("I011 completion blank", ind(11, completion=None), [("I011", S, ind_cell(11, "completion"))]),
    ("I011 completion not a choice", ind(11, completion="完成"), [("I011", S, ind_cell(11, "completion"))]),
    ("I012 miss without a reason", missed(self_score=4.44, reason=None), [("I012", S, ind_cell(7, "reason"))]),
    ("I012 miss with 无", missed(self_score=4.44, reason="无"), [("I012", S, ind_cell(7, "reason"))]),
    ("I012 partly met qualitative without a reason", ind(12, reason=None), [("I012", S, ind_cell(12, "reason"))]),
    ("I013 % target above 100", ind(1, target=120, actual=121), [("I013", S, ind_cell(1, "target"))]),
    ("I013 quiet: 100%", ind(1, target=100, actual=100), []),
    ("I014 cost indicator with ≥", ind(4, level2="成本指标"), [("I014", S, ind_cell(4, "direction"))]),
    ("I014 quiet: cost indicator with ≤", ind(4, level2="成本指标", direction="≤"), []),
    ("I015 same indicator twice", ind(4, name="基层科普行动表彰单位数"), [("I015", S, ind_cell(4, "name"))]),
]


@pytest.mark.parametrize("plant, expected", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_indicator_rules(make_xlsx, seed_data, plant, expected):
    plant(seed_data)
    assert planted(make_xlsx, seed_data) == sorted(expected)


def test_i007_weights_must_total_100(make_xlsx, seed_data):
    """With weights 10/50/30/20 every level adds up, yet the whole is 110."""
    rb = dataclasses.replace(default_rulebook(), weights={"预算执行率": 10.0, "产出指标": 50.0, "效益指标": 30.0,
                                                          "满意度指标": 20.0})
    seed_data["indicators"][13].update(weight=20, self_score=20)
    assert planted(make_xlsx, seed_data, rulebook=rb) == [("I007", S, ind_cell(13, "weight"))]


def test_i016_over_completion_is_the_seed_warning(make_xlsx, seed_data):
    """The seed's own warnings: 科技志愿服务活动 151 vs 10 and 表彰 45 vs 20 (at 实际完成值)."""
    from _rules_util import findings_of

    got = [(f.code, f.sheet, f.cell, f.severity.value) for f in findings_of(make_xlsx(seed_data))]
    assert got == [("I016", S, ind_cell(0, "actual"), "warning"), ("I016", S, ind_cell(2, "actual"), "warning")]


def test_i016_quiet_below_the_threshold(make_xlsx, seed_data):
    from _rules_util import findings_of

    rb = dataclasses.replace(default_rulebook(), over_completion=20.0)
    assert findings_of(make_xlsx(seed_data), rb) == []
