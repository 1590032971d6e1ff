"""The report's figures in words: the seed's phrasing, and placeholders for what is unknown."""

from __future__ import annotations

import math

import pytest

from perfxl.writeup import phrasing as ph


def test_the_seed_phrasing_of_a_change_on_last_year():
    assert ph.change(309.39 - 326.28, 326.28) == "减少16.89万元，减少5.18%"
    assert ph.change(1.13, 111.74) == "增加1.13万元，增加1.01%"


def test_a_change_without_a_base_gives_the_amount_only():
    assert ph.change(12.5, 0) == "增加12.50万元"
    assert ph.change(12.5, None) == "增加12.50万元"


def test_no_change_is_said_as_such():
    assert ph.change(0.001, 100) == "持平"
    assert ph.change_amount(-0.004) == "持平"


@pytest.mark.parametrize("value", [None, math.nan, math.inf, "12", True])
def test_an_unknown_figure_is_none_never_zero(value):
    assert ph.amount(value) is None
    assert ph.rate(value) is None
    assert ph.change(value, 100) is None
    assert ph.change_amount(value) is None


def test_rates_drop_trailing_zeros_and_amounts_keep_two_decimals():
    assert ph.rate(309.39 / 285.84) == "108.24%"
    assert ph.rate(1.0) == "100%"
    assert ph.rate(0.0) == "0%"
    assert ph.rate(0.129, fixed=True) == "12.90%" and ph.rate(1, fixed=True) == "100.00%"
    assert ph.amount(0) == "0.00"
    assert ph.amount(-0.001) == "0.00"
    assert ph.points(95.0) == "95"
    assert ph.points(87.456) == "87.46"
    assert ph.count(26.0) == "26"


def test_shares_of_a_zero_whole():
    assert ph.share(3.75, 3.75) == "100%"
    assert ph.share(0, 3.75) == "0%"
    assert ph.share(0, 0) == "0%"
    assert ph.share(1, 0) is None  # a part of nothing: unknown, not 0%


def test_placeholders():
    assert ph.fill("单位负责人") == "【请填写：单位负责人】"
    assert ph.unknown("上年执行数") == "【请填写：上年执行数（自评表中未能读取）】"
