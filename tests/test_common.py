"""Common indicators (财预〔2013〕53号): the seed's published figures, zero and missing
denominators, and the fallback to parts for blank computed totals."""

from __future__ import annotations

import pytest

from _scoring_units import fld, seed_unit
from perfxl.common import COMMON_INDICATORS, budget_amount, common_indicators
from perfxl.model import Field
from perfxl.spec import BUDGET, PROFILE, THREE_PUBLIC


def test_keys_are_stable_and_ordered():
    assert tuple(common_indicators(seed_unit())) == tuple(c.key for c in COMMON_INDICATORS)


def test_seed_figures():
    c = common_indicators(seed_unit())
    assert round(c["在职人员控制率"] * 100, 2) == 81.82          # 9 ÷ 11
    assert round(c["执行数占年初预算"] * 100, 2) == 108.24       # 309.39 ÷ 285.84
    assert round(c["预算执行率"] * 100, 2) == 100.00
    assert round(c["较上年增减"], 2) == -16.89                   # 309.39 − 326.28
    assert round(c["较上年增减率"] * 100, 2) == -5.18            # −16.89 ÷ 326.28
    assert round(c["基本支出较上年增减"], 2) == -18.02
    assert round(c["项目支出较上年增减"], 2) == 1.13
    assert c["预算调整率"] == pytest.approx((309.39 - 285.84) / 285.84)
    assert c["公用经费控制率"] == pytest.approx(1.0)
    assert c["三公经费控制率"] == pytest.approx(3.75 / 4.00)
    assert c["三公经费变动率"] == pytest.approx((3.75 - 4.10) / 4.10)


def test_zero_denominators_give_none():
    unit = seed_unit()
    unit.profile["staff_quota"] = fld(0, PROFILE.name, PROFILE.cell("staff_quota"))
    # 资金总额 and 三公经费合计 are sums of their parts: the parts are 0.
    unit.budget["general"].initial = fld(0.0, BUDGET.name, BUDGET.cell("general", "initial"))
    for key in ("abroad", "reception", "car_purchase", "car_maint"):
        unit.three_public[key].last_year = fld(0.0, THREE_PUBLIC.name, THREE_PUBLIC.cell(key, "last_year"))
    c = common_indicators(unit)
    assert c["在职人员控制率"] is None
    assert c["预算调整率"] is None and c["执行数占年初预算"] is None
    assert c["三公经费变动率"] is None
    assert c["预算执行率"] == pytest.approx(1.0)  # unaffected


def test_missing_inputs_give_none():
    unit = seed_unit()
    unit.profile.pop("staff_on_post")
    unit.budget.pop("public")
    unit.budget["general"].last_year = Field(None, BUDGET.name, "E5", "很多", "invalid")
    c = common_indicators(unit)
    assert c["在职人员控制率"] is None
    assert c["公用经费控制率"] is None
    assert c["较上年增减"] is None and c["较上年增减率"] is None


def test_blank_total_uses_the_four_sources():
    unit = seed_unit()
    cell = BUDGET.cell("total", "adjusted")
    unit.budget["total"].adjusted = Field(None, BUDGET.name, cell, None, "blank")
    unit.budget["fund"].adjusted = fld(10.0, BUDGET.name, BUDGET.cell("fund", "adjusted"))
    value, note = budget_amount(unit, "adjusted")
    assert value == pytest.approx(319.39)
    assert note is not None and note.startswith(f"{BUDGET.name}!{cell} 资金总额全年预算数未填写")
    assert common_indicators(unit)["预算执行率"] == pytest.approx(309.39 / 319.39)


def test_text_in_a_computed_total_is_not_trusted():
    """Text typed over 资金总额's formula (the reader's V002 stands there): the total is
    still the sum of its sources, with a note; text in a source leaves it unknown."""
    unit = seed_unit()
    unit.budget["total"].adjusted = Field(None, BUDGET.name, "C4", "约三百万", "invalid")
    value, note = budget_amount(unit, "adjusted")
    assert value == pytest.approx(309.39) and "无法读取（约三百万）" in note
    unit = seed_unit()
    unit.budget["general"].adjusted = Field(None, BUDGET.name, "C5", "约三百万", "invalid")
    assert budget_amount(unit, "adjusted") == (None, None)
    assert common_indicators(unit)["预算执行率"] is None


def test_three_public_total_from_parts_when_uncalculated():
    unit = seed_unit()
    unit.three_public["total"].actual = Field(None, THREE_PUBLIC.name, "C4", None, "uncalculated", formula=True)
    unit.three_public["cars"].actual = Field(None, THREE_PUBLIC.name, "C7", None, "uncalculated", formula=True)
    unit.three_public["car_maint"].actual = fld(1.25, THREE_PUBLIC.name, THREE_PUBLIC.cell("car_maint", "actual"))
    c = common_indicators(unit)
    assert c["三公经费控制率"] == pytest.approx((3.75 + 1.25) / 4.00)


def test_computed_total_is_recomputed_from_its_parts():
    """资金总额 is a template formula: a cached 0 (SUM over a part typed as text) or a
    stale figure is not trusted; the parts are, and a note says so."""
    unit = seed_unit()
    cell = BUDGET.cell("total", "actual")
    unit.budget["total"].actual = Field(0.0, BUDGET.name, cell, 0.0, "ok", formula=True)
    value, note = budget_amount(unit, "actual")
    assert value == pytest.approx(309.39)
    assert note is not None and note.startswith(f"{BUDGET.name}!{cell} 资金总额全年执行数为计算单元格，显示值 0.00")
    assert "之和 309.39 计" in note


def test_a_project_forms_total_typed_over_its_sources_is_their_sum_and_says_so(tmp_path):
    from _projects import project, write_projects

    from perfxl.reader import read_units

    form = project("养护", actual=50.0, budget=50.0)
    form["budget"]["total"]["actual"] = 40.0
    [unit] = read_units(write_projects(tmp_path / "p.xlsx", form))
    value, note = budget_amount(unit, "actual")
    assert value == pytest.approx(50.0)
    assert note is not None and "显示值 40.00" in note and "按当年财政拨款、上年结转资金" in note and "其中" not in note


def test_computed_total_that_agrees_needs_no_note():
    unit = seed_unit()
    unit.budget["total"].actual = Field(309.39, BUDGET.name, "D4", 309.39, "ok", formula=True)
    assert budget_amount(unit, "actual") == (309.39, None)


def test_computed_total_with_an_error_value_uses_the_parts():
    unit = seed_unit()
    unit.budget["total"].adjusted = Field("#REF!", BUDGET.name, "C4", "#REF!", "error", formula=True)
    value, note = budget_amount(unit, "adjusted")
    assert value == pytest.approx(309.39) and "#REF!" in note
