"""Properties of scoring (hypothesis): bounds, monotonicity, and totals that add up."""

from __future__ import annotations

import dataclasses
import json
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from _scoring_units import indicator, seed_unit
from perfxl.rulebook import default_rulebook
from perfxl.score import score_indicator, score_unit
from perfxl.spec import COMPLETIONS, INDICATORS, LEVELS

RB = default_rulebook()
RULEBOOKS = [dataclasses.replace(RB, reverse_method=m, over_completion_policy=p, equal_tolerance=e)
             for m in ("ratio", "linear") for p in ("warn", "cap") for e in (0.0, 0.05)]

values = st.one_of(st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False),
                   st.floats(allow_nan=False, allow_infinity=False))  # incl. extremes and subnormals
weights = st.floats(min_value=0, max_value=100, allow_nan=False, allow_infinity=False)
rulebooks = st.sampled_from(RULEBOOKS)


@settings(max_examples=300, deadline=None)
@given(direction=st.sampled_from(["≥", "≤", "="]), target=values, actual=values, weight=weights, rb=rulebooks)
def test_quantitative_score_lies_within_its_weight(direction, target, actual, weight, rb):
    s = score_indicator(indicator(direction=direction, target=target, actual=actual, weight=weight), rb)
    assert s.score is not None and s.reasons == []
    assert -1e-9 <= s.score <= weight + 1e-9
    json.dumps(s.to_dict(), allow_nan=False)  # valid JSON whatever the figures


@settings(max_examples=200, deadline=None)
@given(completion=st.sampled_from(COMPLETIONS), self_score=st.floats(-50, 150), weight=weights, rb=rulebooks)
def test_qualitative_score_lies_within_its_band(completion, self_score, weight, rb):
    s = score_indicator(indicator(direction="定性", target="提高", actual="提高", weight=weight,
                                  completion=completion, self_score=self_score), rb)
    lo, hi = rb.qualitative[completion]
    assert s.score is not None
    assert lo * weight - 1e-9 <= s.score <= hi * weight + 1e-9
    assert 0 <= s.score <= weight + 1e-9
    if not s.clamped:  # accepted: the self-score (within tolerance of the band) is kept or nudged in
        assert abs(s.score - self_score) <= rb.score_tolerance + 1e-9


@settings(max_examples=300, deadline=None)
@given(target=values, a1=values, a2=values, weight=weights,
       method=st.sampled_from(["ratio", "linear"]))
def test_monotone_in_actual(target, a1, a2, weight, method):
    lo, hi = sorted((a1, a2))
    # the cap policy marks down over-completion on purpose, so monotonicity is with 'warn'
    rb = dataclasses.replace(RB, reverse_method=method, over_completion_policy="warn")

    def sc(direction: str, a: float) -> float:
        s = score_indicator(indicator(direction=direction, target=target, actual=a, weight=weight), rb).score
        assert s is not None
        return s

    assert sc("≥", lo) <= sc("≥", hi) + 1e-9   # more is never worse
    assert sc("≤", lo) + 1e-9 >= sc("≤", hi)   # less is never worse


_indicator_rows = st.lists(
    st.tuples(
        st.sampled_from(list(LEVELS)),
        st.sampled_from(["≥", "≤", "=", "定性"]),
        st.floats(0.1, 1000),
        st.floats(0, 2000),
        st.floats(0, 30),
        st.sampled_from(COMPLETIONS),
        st.floats(0, 30),
    ),
    min_size=1, max_size=20,
)


@settings(max_examples=100, deadline=None)
@given(rows=_indicator_rows, rb=rulebooks)
def test_total_is_the_sum_of_its_parts(rows, rb):
    inds = []
    for i, (level1, direction, target, actual, weight, completion, self_score) in enumerate(rows):
        row = INDICATORS.first_row + i
        if direction == "定性":
            inds.append(indicator(row, level1=level1, direction="定性", target="提高", actual="提高",
                                  weight=weight, completion=completion, self_score=self_score))
        else:
            inds.append(indicator(row, level1=level1, direction=direction, target=target, actual=actual,
                                  weight=weight, self_score=self_score))
    card = score_unit(seed_unit(indicators=inds), rb)
    assert card.status == "scored", card.reasons
    for label in LEVELS:
        mine = [s.score for s in card.indicators if s.level1 == label]
        assert card.levels[label].score == pytest.approx(math.fsum(mine))
    parts = math.fsum(lv.score for lv in card.levels.values())
    assert card.total == round(parts, 2)
    assert card.grade == rb.grade(card.total)
    json.dumps(card.to_dict(), allow_nan=False)
    assert 0 <= card.total <= rb.weight("预算执行率") + math.fsum(s.weight for s in card.indicators) + 0.01
