"""Scoring by hand-computed cases: each direction and method at its edges, the
qualitative bands, over-completion, units that cannot be scored, and the seed unit."""

from __future__ import annotations

import dataclasses
import json

import pytest

from _scoring_units import fld, indicator, seed_unit
from perfxl.model import Field
from perfxl.rulebook import default_rulebook
from perfxl.score import NOT_SCORED, SCORED, score_indicator, score_unit
from perfxl.spec import BUDGET, INDICATORS, SELF_SCORE

RB = default_rulebook()
LINEAR = dataclasses.replace(RB, reverse_method="linear")
CAP = dataclasses.replace(RB, over_completion_policy="cap")

ACHIEVED, PARTIAL, MISSED = "达成年度指标", "部分达成年度指标并具有一定效果", "未达成年度指标且效果较差"


def q(direction: str, target: float, actual: float, weight: float = 10.0, rb=RB):
    return score_indicator(indicator(direction=direction, target=target, actual=actual, weight=weight), rb)


def qual(completion: str | None, self_score: float | None, weight: float = 10.0, rb=RB):
    return score_indicator(indicator(direction="定性", target="提高", actual="有所提高", weight=weight,
                                     completion=completion, self_score=self_score), rb)


# --- ≥ ------------------------------------------------------------------------------

@pytest.mark.parametrize("target, actual, expected", [
    (10, 10, 10.0),      # exactly at target: full
    (10, 9.99, 9.99),    # just under: 9.99 ÷ 10 × 10
    (10, 5, 5.0),
    (10, 12, 10.0),      # above target, below over-completion
    (10, -3, 0.0),       # a negative actual counts as 0
    (0, 0, 10.0),        # target 0: anything ≥ 0 is full
    (0, 4, 10.0),
    (0, -1, 0.0),
    (-5, -5, 10.0),      # negative target, met
    (-5, -3, 10.0),
    (-5, -10, 5.0),      # missed by a larger fall: −5 ÷ −10 × 10
])
def test_at_least(target, actual, expected):
    s = q("≥", target, actual)
    assert s.score == pytest.approx(expected)
    assert s.method == "≥" and s.reasons == []


def test_at_least_ratio_and_weight():
    s = q("≥", 90, 85, weight=5)
    assert s.score == pytest.approx(85 / 90 * 5)
    assert s.ratio == pytest.approx(85 / 90)


# --- ≤ ------------------------------------------------------------------------------

@pytest.mark.parametrize("target, actual, expected", [
    (10, 10, 10.0),     # at target
    (10, 4, 10.0),      # below target
    (10, 12.5, 8.0),    # ratio: 10 ÷ 12.5 × 10
    (10, 20, 5.0),      # ratio at 2× target is still half
    (10, 40, 2.5),
    (0, 0, 10.0),       # target 0: full if actual ≤ 0
    (0, -2, 10.0),
    (0, 0.5, 0.0),      # else 0
    (-5, -3, 6.0),      # a cut of 3% of a required 5%
    (-5, 1, 0.0),
])
def test_at_most_ratio(target, actual, expected):
    s = q("≤", target, actual)
    assert s.score == pytest.approx(expected)
    assert s.method == "≤ ratio"


@pytest.mark.parametrize("target, actual, expected", [
    (10, 10, 10.0),
    (10, 10.01, 9.99),  # just over: (1 − 0.01 ÷ 10) × 10
    (10, 11, 9.0),
    (10, 15, 5.0),      # 1.5× target: half
    (10, 20, 0.0),      # 2× target: 0
    (10, 25, 0.0),      # beyond: still 0
    (0, 0, 10.0),
    (0, 1, 0.0),
])
def test_at_most_linear(target, actual, expected):
    s = q("≤", target, actual, rb=LINEAR)
    assert s.score == pytest.approx(expected, abs=1e-9)
    assert s.method == "≤ linear"


# --- = ------------------------------------------------------------------------------

@pytest.mark.parametrize("target, actual, expected", [
    (10, 10, 10.0),
    (0.3, 0.1 + 0.2, 10.0),  # float noise is equality
    (10, 8, 8.0),            # min ÷ max
    (10, 12.5, 8.0),
    (0, 0, 10.0),
    (0, 1, 0.0),
    (2, -2, 0.0),            # opposite signs
    (-10, -8, 8.0),
])
def test_equal(target, actual, expected):
    assert q("=", target, actual).score == pytest.approx(expected)


def test_equal_tolerance():
    rb = dataclasses.replace(RB, equal_tolerance=0.05)
    assert q("=", 10, 10.5, rb=rb).score == pytest.approx(10.0)   # on the tolerance: equal
    assert q("=", 10, 9.5, rb=rb).score == pytest.approx(10.0)
    assert q("=", 10, 10.6, rb=rb).score == pytest.approx(10 / 10.6 * 10)
    assert q("=", 10, 10.5).score == pytest.approx(10 / 10.5 * 10)  # default: exact


# --- 定性 ---------------------------------------------------------------------------

@pytest.mark.parametrize("completion, self_score, score, clamped", [
    (ACHIEVED, 8.0, 8.0, False),     # 80%: the closed lower end
    (ACHIEVED, 10.0, 10.0, False),   # the top band is closed above
    (ACHIEVED, 9.0, 9.0, False),
    (ACHIEVED, 7.95, 8.0, False),    # within the 0.1 score tolerance
    (ACHIEVED, 7.5, 8.0, True),      # outside: clamped to the nearest bound
    (ACHIEVED, 10.05, 10.0, False),
    (ACHIEVED, 11.0, 10.0, True),
    (PARTIAL, 6.0, 6.0, False),      # 60%: inside
    (PARTIAL, 7.99, 7.99, False),
    (PARTIAL, 8.0, 8.0, True),       # 80% belongs to 达成: outside [60%, 80%)
    (PARTIAL, 9.0, 8.0, True),
    (PARTIAL, 5.95, 6.0, False),
    (PARTIAL, 5.0, 6.0, True),
    (MISSED, 0.0, 0.0, False),
    (MISSED, 5.99, 5.99, False),
    (MISSED, 6.0, 6.0, True),        # 60% belongs to 部分达成
    (MISSED, -1.0, 0.0, True),
])
def test_qualitative_bands(completion, self_score, score, clamped):
    s = qual(completion, self_score)
    assert s.score == pytest.approx(score)
    assert s.clamped is clamped
    assert s.method == "定性 band"
    lo, hi = RB.qualitative[completion]
    assert s.band == pytest.approx((lo * 10, hi * 10))


def test_qualitative_band_float_noise():
    # 0.8 × 3 = 2.4000000000000004: a self-score of 2.4 is on the band's edge, not outside.
    assert not qual(ACHIEVED, 2.4, weight=3).clamped
    # 0.6 × 3 = 1.7999999999999998 is the open upper end of 未达成: 1.8 is outside.
    assert qual(MISSED, 1.8, weight=3).clamped


def test_qualitative_needs_completion_and_self_score():
    s = qual(None, 8.0)
    assert s.score is None
    assert s.reasons == [f"{INDICATORS.name}!J4 完成情况未填写（定性指标按完成情况计分）"]
    s = qual(ACHIEVED, None)
    assert s.score is None and s.reasons[0].startswith(f"{INDICATORS.name}!I4 自评得分未填写")
    s = qual("差不多", 8.0)
    assert s.score is None and "无法识别（差不多）" in s.reasons[0]


# --- over-completion ----------------------------------------------------------------

def test_over_completion_warn_flags_at_threshold():
    s = q("≥", 10, 15)  # exactly 150%
    assert s.over_completed and not s.capped
    assert s.score == pytest.approx(10.0)
    s = q("≥", 10, 14.99)
    assert not s.over_completed and s.score == pytest.approx(10.0)


def test_over_completion_cap():
    s = q("≥", 10, 15, rb=CAP)
    assert s.over_completed and s.capped
    assert s.score == pytest.approx(8.0)  # over_completion_cap 0.8 × 分值
    s = q("≥", 10, 14.99, rb=CAP)
    assert not s.capped and s.score == pytest.approx(10.0)


def test_over_completion_only_for_positive_at_least_targets():
    assert not q("≤", 10, 1).over_completed
    assert not q("≥", 0, 100).over_completed
    assert not q("=", 10, 20).over_completed


# --- not scorable -------------------------------------------------------------------

def test_missing_target_names_the_cell():
    s = score_indicator(indicator(row=7, target=None), RB)
    assert s.score is None
    assert s.reasons == [f"{INDICATORS.name}!E7 年度指标值未填写"]


def test_unreadable_actual_and_weight():
    ind = indicator(row=9, actual=Field(None, INDICATORS.name, "G9", "完成", "invalid"),
                    weight=Field(None, INDICATORS.name, "H9", None, "uncalculated"))
    s = score_indicator(ind, RB)
    assert s.score is None
    assert s.reasons == [f"{INDICATORS.name}!H9 分值为未计算的公式", f"{INDICATORS.name}!G9 实际完成值无法读取（完成）"]


def test_unknown_direction():
    s = score_indicator(indicator(direction=Field(None, INDICATORS.name, "D4", "大约", "invalid")), RB)
    assert s.score is None and s.reasons == [f"{INDICATORS.name}!D4 指标性质无法读取（大约）"]


def test_missing_self_score_still_scores():
    s = score_indicator(indicator(self_score=None), RB)
    assert s.score == pytest.approx(10.0) and s.diff is None


# --- the unit ------------------------------------------------------------------------

def test_seed_unit_scores_95():
    card = score_unit(seed_unit(), RB)
    assert card.status == SCORED and card.reasons == []
    assert card.total == 95.0 and card.grade == "优"
    assert card.self_total == 95.0 and card.self_grade == "优"
    assert card.execution.rate == pytest.approx(1.0)
    assert card.execution.score == pytest.approx(10.0)
    assert {k: round(v.score, 2) for k, v in card.levels.items()} == {
        "预算执行率": 10.0, "产出指标": 50.0, "效益指标": 25.0, "满意度指标": 10.0}
    assert all(s.diff == 0 for s in card.indicators)


def test_total_is_sum_of_parts_and_graded():
    unit = seed_unit()
    unit.indicators[7] = indicator(row=11, level1="产出指标", target=90.0, actual=85.0, weight=5.0, self_score=5.0)
    card = score_unit(unit, RB)
    expected = 10 + (45 + 85 / 90 * 5) + 25 + 10
    assert card.total == round(expected, 2) == 94.72
    assert card.levels["产出指标"].score == pytest.approx(45 + 85 / 90 * 5)
    assert card.levels["产出指标"].self_score == pytest.approx(50.0)
    assert card.levels["产出指标"].diff == pytest.approx(0.28)
    assert card.grade == "优"


def test_inflated_self_score_shows_a_positive_gap():
    unit = seed_unit()
    unit.indicators[0] = indicator(row=4, target=10.0, actual=5.0, weight=5.0, self_score=5.0)
    card = score_unit(unit, RB)
    assert card.indicators[0].diff == pytest.approx(2.5)
    assert card.levels["产出指标"].diff == pytest.approx(2.5)
    assert card.total == 92.5 and card.self_total == 95.0 and card.diff == pytest.approx(2.5)


def test_grade_uses_the_rounded_total():
    unit = seed_unit()
    # 满意度 99.96 ÷ 100 × 10 = 9.996; 效益 14 + 6 = 20 (a 未达成 indicator at 6 of 15).
    unit.indicators[-1] = indicator(row=17, level1="满意度指标", target=100.0, actual=99.96, weight=10.0)
    unit.indicators[12] = indicator(row=16, level1="效益指标", direction="定性", weight=15.0, self_score=6.0,
                                    completion=MISSED, target="x", actual="y")
    card = score_unit(unit, RB)
    assert card.total == 90.0  # 10 + 50 + 20 + 9.996 = 89.996 → 90.00 → 优
    assert card.grade == "优"


def test_missing_target_makes_the_unit_not_scored_but_fills_the_rest():
    unit = seed_unit()
    unit.indicators[2] = indicator(row=6, direction="=", target=None, actual=20.0, weight=5.0, self_score=5.0)
    card = score_unit(unit, RB)
    assert card.status == NOT_SCORED
    assert card.total is None and card.grade is None
    assert card.reasons == [f"{INDICATORS.name}!E6 年度指标值未填写"]
    assert card.levels["产出指标"].score is None
    assert card.levels["效益指标"].score == pytest.approx(25.0)
    assert card.execution.score == pytest.approx(10.0)
    assert card.self_total == 95.0


def test_zero_budget_is_not_scored():
    unit = seed_unit()
    unit.budget["total"].adjusted = fld(0.0, BUDGET.name, BUDGET.cell("total", "adjusted"))
    unit.budget["general"].adjusted = fld(0.0, BUDGET.name, BUDGET.cell("general", "adjusted"))  # the sources add to 0
    card = score_unit(unit, RB)
    assert card.status == NOT_SCORED
    assert card.execution.score is None and card.execution.rate is None
    assert card.reasons == [f"{BUDGET.name}!{BUDGET.cell('total', 'adjusted')} 资金总额全年预算数为 0.00，无法计算预算执行率"]
    assert card.levels["产出指标"].score == pytest.approx(50.0)


def test_uncalculated_total_falls_back_to_the_parts():
    unit = seed_unit()
    cell = BUDGET.cell("total", "actual")
    unit.budget["total"].actual = Field(None, BUDGET.name, cell, None, "uncalculated", formula=True)
    unit.budget["general"].actual = fld(300.0, BUDGET.name, BUDGET.cell("general", "actual"))
    card = score_unit(unit, RB)
    assert card.status == SCORED
    assert card.execution.rate == pytest.approx(300 / 309.39)
    assert card.execution.score == pytest.approx(300 / 309.39 * 10)
    assert any(n.startswith(f"{BUDGET.name}!{cell} 资金总额全年执行数为未计算的公式") and "300.00" in n
               for n in card.notes)


def test_over_budget_execution_caps_at_full():
    unit = seed_unit()
    unit.budget["general"].actual = fld(400.0, BUDGET.name, BUDGET.cell("general", "actual"))
    card = score_unit(unit, RB)
    assert card.execution.rate == pytest.approx(400 / 309.39)
    assert card.execution.score == pytest.approx(10.0)


def test_no_indicators_is_not_scored():
    card = score_unit(seed_unit(indicators=[]), RB)
    assert card.status == NOT_SCORED
    assert card.reasons == [f"{INDICATORS.name} 没有填写任何绩效指标"]
    assert card.execution.score == pytest.approx(10.0)


def test_unknown_level1_is_not_scored():
    unit = seed_unit()
    unit.indicators[0] = indicator(row=4, level1="其他指标", weight=5.0)
    card = score_unit(unit, RB)
    assert card.status == NOT_SCORED
    assert card.reasons == [f"{INDICATORS.name}!A4 一级指标无法识别（其他指标），该指标无法计入小计"]


def test_level_without_indicators_scores_zero_with_a_note():
    unit = seed_unit()
    unit.indicators = [i for i in unit.indicators if i.level1.value != "满意度指标"]
    card = score_unit(unit, RB)
    assert card.status == SCORED
    assert card.levels["满意度指标"].score == 0.0
    assert card.total == 85.0
    assert "满意度指标下没有指标，该项计 0 分" in card.notes


def test_self_total_falls_back_to_the_declared_parts():
    unit = seed_unit()
    key = "total"
    unit.scores[key].self_score = Field(None, SELF_SCORE.name, SELF_SCORE.cell(key, "self_score"), None, "blank")
    card = score_unit(unit, RB)
    assert card.self_total == 95.0
    assert any("按各项自评得分之和 95.00 计" in n for n in card.notes)


def test_declared_self_beside_the_indicator_sum():
    unit = seed_unit()
    unit.scores["benefit"].self_score = fld(28.0, SELF_SCORE.name, SELF_SCORE.cell("benefit", "self_score"))
    lv = score_unit(unit, RB).levels["效益指标"]
    assert lv.declared_self == 28.0 and lv.self_score == pytest.approx(25.0) and lv.score == pytest.approx(25.0)


def test_to_dict_shape():
    card = score_unit(seed_unit(), RB)
    d = card.to_dict()
    json.dumps(d, ensure_ascii=False)  # serialisable
    assert {"status", "reasons", "total", "grade", "self_total", "self_grade", "budget_execution", "levels",
            "indicators", "common"} <= set(d)
    assert d["budget_execution"] == {"rate": 1.0, "score": 10.0, "weight": 10.0}
    assert set(d["levels"]) == {"预算执行率", "产出指标", "效益指标", "满意度指标"}
    assert set(d["levels"]["产出指标"]) == {"weight", "score", "self_score", "declared_self", "diff"}
    first = d["indicators"][0]
    assert first["cell"] == f"{INDICATORS.name}!I4" and first["row"] == 4
    assert {"name", "cell", "row", "level1", "direction", "target", "actual", "weight", "self_score", "score", "diff",
            "method", "over_completed", "capped", "clamped"} <= set(first)
    assert d["common"]["在职人员控制率"] == 0.8182


def test_rendering_shows_the_figures():
    from io import StringIO

    from rich.console import Console

    from perfxl.render_score import render_scores
    from perfxl.report import FileReport, Report

    unit = seed_unit()
    unit.indicators[0] = indicator(row=4, target=10.0, actual=5.0, weight=5.0, self_score=5.0)
    buf = StringIO()
    report = Report(files=[FileReport(path="seed.xlsx", unit=unit, score=score_unit(unit, RB))], rulebook=RB)
    render_scores(report, Console(file=buf, width=160, color_system=None))
    out = buf.getvalue()
    for text in ("92.50", "95.00", "+2.50", "81.82%", "108.24%", "-16.89 万元", "-5.18%", "优"):
        assert text in out, text


def test_rendering_shows_reasons_and_clamped_bands():
    from io import StringIO

    from rich.console import Console

    from perfxl.render_score import render_scores
    from perfxl.report import FileReport, Report

    unit = seed_unit()
    unit.indicators[11] = indicator(row=15, level1="效益指标", direction="定性", target="提高", actual="提高",
                                    weight=15.0, self_score=11.0, completion=ACHIEVED)
    unit.indicators[2] = indicator(row=6, direction="=", target=None, actual=20.0, weight=5.0, self_score=5.0)
    buf = StringIO()
    report = Report(files=[FileReport(path="x.xlsx", unit=unit, score=score_unit(unit, RB))], rulebook=RB)
    render_scores(report, Console(file=buf, width=200, color_system=None))
    out = buf.getvalue()
    assert "无法评分" in out
    assert f"{INDICATORS.name}!E6 年度指标值未填写" in out
    assert "自评得分不在区间内" in out and "12.00–15.00" in out
