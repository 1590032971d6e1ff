"""Cell value parsers: every accepted and refused form of numbers, dates, codes, signs."""

from __future__ import annotations

import math
from datetime import date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from perfxl.numbers import (
    norm_label,
    parse_amount,
    parse_code,
    parse_date,
    parse_direction,
    parse_int,
    parse_number,
    parse_rate,
    parse_text,
    parse_value,
    parse_year,
    split_value,
)


@pytest.mark.parametrize(
    "raw, expected",
    [
        (309.39, 309.39),
        (0, 0.0),
        ("1,234.50", 1234.5),
        ("１２３", 123.0),
        ("１,２３４．５", 1234.5),
        ("309.39万元", 309.39),
        ("309.39 万元", 309.39),
        ("12万", 12.0),
        (" 12 ", 12.0),
        ("-16.89", -16.89),
        ("+3", 3.0),
        (".5", 0.5),
        ("1,234,567", 1234567.0),
    ],
)
def test_amount_accepted(raw, expected):
    p = parse_amount(raw)
    assert p.status == "ok"
    assert p.value == pytest.approx(expected)
    assert p.converted == isinstance(raw, str)


@pytest.mark.parametrize("raw", ["—", "-", "/", "－", "——", "－－"])
def test_amount_dash_reads_zero(raw):
    p = parse_amount(raw)
    assert (p.status, p.value, p.dash) == ("ok", 0.0, True)


@pytest.mark.parametrize(
    "raw, reason",
    [
        ("abc", "not-a-number"),
        ("完成", "not-a-number"),
        ("较好", "not-a-number"),
        ("1,23", "ambiguous"),
        ("1.234,5", "ambiguous"),
        ("3093900元", "unit"),
        ("95%", "unit"),
        ("1 234", "ambiguous"),
        (True, "boolean"),
        (date(2024, 3, 15), "date"),
        (datetime(2024, 3, 15, 8, 0), "date"),
        (float("inf"), "not-a-number"),
    ],
)
def test_amount_refused(raw, reason):
    p = parse_amount(raw)
    assert p.status == "invalid"
    assert p.reason == reason
    assert p.value is None


@pytest.mark.parametrize("raw", [None, "", "   ", "\u3000", float("nan")])
def test_blank(raw):
    for fn in (parse_amount, parse_int, parse_text, parse_date, parse_value, parse_direction, parse_code):
        assert fn(raw).status == "blank", fn.__name__


@pytest.mark.parametrize("raw", ["#DIV/0!", "#REF!", "#N/A", "#VALUE!", "#NAME?", " #div/0! "])
def test_error_literals(raw):
    for fn in (parse_amount, parse_number, parse_int, parse_text, parse_value):
        p = fn(raw)
        assert p.status == "error", fn.__name__
        assert p.value == raw.strip().upper()


@pytest.mark.parametrize("raw, expected", [("95%", 0.95), (0.95, 0.95), ("９５％", 0.95), ("100.5%", 1.005)])
def test_rate(raw, expected):
    p = parse_rate(raw)
    assert p.status == "ok" and p.value == pytest.approx(expected)


@pytest.mark.parametrize("raw, expected", [(9, 9), (9.0, 9), ("９", 9), ("11人", 11), ("3个", 3), ("0辆", 0)])
def test_int_accepted(raw, expected):
    p = parse_int(raw)
    assert p.status == "ok" and p.value == expected and isinstance(p.value, int)


@pytest.mark.parametrize("raw, reason", [(9.5, "not-integer"), ("9.5", "not-integer"), ("九", "not-a-number"),
                                          ("11元", "unit")])
def test_int_refused(raw, reason):
    p = parse_int(raw)
    assert (p.status, p.reason) == ("invalid", reason)


@pytest.mark.parametrize("raw", [2023, 2023.0, "2023", "2023年", "2023年度", "２０２３"])
def test_year_accepted(raw):
    assert parse_year(raw).value == 2023


@pytest.mark.parametrize("raw", [23, "23", "二〇二三", 2023.5, "3023", "abc"])
def test_year_refused(raw):
    p = parse_year(raw)
    assert (p.status, p.reason) == ("invalid", "bad-year")


@pytest.mark.parametrize(
    "raw",
    [date(2024, 3, 15), datetime(2024, 3, 15, 9, 30), 45366, 45366.0, "2024-03-15", "2024/3/15", "2024.3.15",
     "2024年3月15日", "2024 年 3 月 15 日", "20240315", "2024-03-15 10:00:00", "２０２４-０３-１５"],
)
def test_date_accepted(raw):
    p = parse_date(raw)
    assert p.status == "ok" and p.value == date(2024, 3, 15)


@pytest.mark.parametrize("raw", ["2024-02-30", "三月中旬", "15/03/2024", -5, 1e9, True])
def test_date_refused(raw):
    p = parse_date(raw)
    assert (p.status, p.reason) == ("invalid", "bad-date")


@pytest.mark.parametrize(
    "raw, kw, expected",
    [
        (13912345678, {}, "13912345678"),
        (13912345678.0, {}, "13912345678"),
        ("0736-7223456", {}, "0736-7223456"),
        (" 13430725006431661h ", {"upper": True}, "13430725006431661H"),
        ("１３４３ ０７２５００６４３１６６１Ｈ", {"upper": True}, "13430725006431661H"),
        ("13912345678.0", {}, "13912345678"),
    ],
)
def test_codes_are_text(raw, kw, expected):
    assert parse_code(raw, **kw).value == expected


def test_text_numbers_and_limit():
    assert parse_text(13.0).value == "13"
    assert parse_text(13.5).value == "13.5"
    assert parse_text("  abc ").value == "abc"
    long = parse_text("字" * 11, max_chars=10)
    assert (long.status, long.reason, len(long.value)) == ("ok", "too-long", 11)
    assert parse_text("字" * 10, max_chars=10).reason == ""


@pytest.mark.parametrize(
    "raw, expected",
    [("≥", "≥"), (">=", "≥"), ("≧", "≥"), ("大于等于", "≥"), ("不低于", "≥"), ("＞＝", "≥"),
     ("≤", "≤"), ("<=", "≤"), ("≦", "≤"), ("小于等于", "≤"), ("不高于", "≤"),
     ("=", "="), ("等于", "="), ("＝", "="), ("定性", "定性"), (" ≥ ", "≥")],
)
def test_direction(raw, expected):
    assert parse_direction(raw).value == expected


@pytest.mark.parametrize("raw", ["大约", "正负", 1, "≥≥"])
def test_direction_refused(raw):
    p = parse_direction(raw)
    assert (p.status, p.reason) == ("invalid", "direction")


@pytest.mark.parametrize(
    "raw, value, direction, unit, percent",
    [
        ("≥10次", 10.0, "≥", "次", False),
        ("≤90万元", 90.0, "≤", "万元", False),
        ("100%", 100.0, None, "%", True),
        (">=95%", 95.0, "≥", "%", True),
        ("≧ 95 ％", 95.0, "≥", "%", True),
        ("90%以上", 90.0, "≥", "%", True),
        ("大于等于5个", 5.0, "≥", "个", False),
        ("=9人", 9.0, "=", "人", False),
        ("10", 10.0, None, None, False),
        (12.0, 12.0, None, None, False),
        ("1,234.5", 1234.5, None, None, False),
    ],
)
def test_indicator_value(raw, value, direction, unit, percent):
    p = parse_value(raw)
    assert p.status == "ok"
    assert (p.value, p.direction, p.unit, p.percent) == (value, direction, unit, percent)


def test_indicator_value_text_depends_on_direction():
    assert parse_value("完成", numeric=True).status == "invalid"
    assert parse_value("较好", numeric=True).reason == "not-a-number"
    assert parse_value("完成", numeric=None).value == "完成"  # direction unknown: keep text
    assert parse_value("进一步提高", numeric=False).value == "进一步提高"
    assert parse_value(95, numeric=False).value == "95"  # 定性: text
    assert parse_value("-", numeric=True).status == "blank"
    assert parse_value(date(2024, 1, 1), numeric=True).reason == "date"


def test_split_value():
    assert split_value("≥10次") == ("≥", "10次")
    assert split_value("不高于 5") == ("≤", "5")
    assert split_value("10次") == (None, "10次")


@pytest.mark.parametrize(
    "raw, expected",
    [("公务用车保有量（辆）", "公务用车保有量(辆)"), (" 公务用车保有量(辆)： ", "公务用车保有量(辆)"),
     ("*单位名称", "单位名称"), ("单位名称*：", "单位名称"), ("其中：人员经费", "人员经费"),
     ("1.基本支出", "基本支出"), ("（一）项目支出", "项目支出"), ("一般公共预算拨款", "一般公共预算拨款"),
     ("年度 指标值", "年度指标值"), (None, "")],
)
def test_norm_label(raw, expected):
    assert norm_label(raw) == expected


# -- round trips -------------------------------------------------------------

amounts = st.decimals(min_value=-10**9, max_value=10**9, places=2, allow_nan=False, allow_infinity=False)


def _grouped(x: float) -> str:
    return f"{x:,.2f}"


def _fullwidth(s: str) -> str:
    return s.translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789,.-+%"})


@given(amounts, st.sampled_from(["plain", "grouped", "fullwidth", "wan", "spaces", "fullgrouped"]))
def test_amount_round_trip(d, style):
    x = float(d)
    text = {
        "plain": f"{x:.2f}",
        "grouped": _grouped(x),
        "fullwidth": _fullwidth(f"{x:.2f}"),
        "wan": f"{x:.2f}万元",
        "spaces": f"  {x:.2f}\u3000",
        "fullgrouped": _fullwidth(_grouped(x)),
    }[style]
    p = parse_amount(text)
    assert p.status == "ok", text
    assert math.isclose(p.value, x, abs_tol=1e-9), text


@given(st.decimals(min_value=0, max_value=1000, places=2), st.sampled_from(["≥", "≤", "=", ">=", "<=", ""]),
       st.sampled_from(["", "%", "次", "万元", "人"]))
def test_indicator_value_round_trip(d, sign, unit):
    x = float(d)
    p = parse_value(f"{sign}{x:g}{unit}")
    assert p.status == "ok"
    assert math.isclose(p.value, x)
    assert p.direction == ({"": None, ">=": "≥", "<=": "≤"}.get(sign, sign))
    assert p.unit == (unit or None)
    assert p.percent == (unit == "%")


@given(st.floats(allow_nan=False, allow_infinity=False, min_value=-1e12, max_value=1e12))
def test_numbers_pass_through(x):
    p = parse_number(x)
    assert p.status == "ok" and p.value == x and not p.converted


@given(st.text(max_size=12))
def test_parsers_never_raise(s):
    for fn in (parse_amount, parse_rate, parse_int, parse_year, parse_date, parse_text, parse_code, parse_direction,
               parse_value):
        p = fn(s)
        assert p.status in ("ok", "blank", "invalid", "error")


@pytest.mark.parametrize("raw", ["≥95%", "好", "按时完成", " 10次 ", "#DIV/0!", "—", "1,234.5", "95%以上", "≤ 3 天"])
@pytest.mark.parametrize("numeric", [True, False, None])
def test_text_values_parse_the_same_from_the_cache(raw, numeric):
    """Indicator values written as text are parsed once per process; a repeat gives
    an equal result, equal to parsing afresh."""
    from perfxl.numbers import _parse_value, parse_value

    first = parse_value(raw, numeric=numeric)
    assert first == parse_value(raw, numeric=numeric) == _parse_value(raw, numeric)


@pytest.mark.parametrize("raw", [1.0, -0.0, 95.5, 1e300])
def test_float_values_take_the_fast_path_unchanged(raw):
    from perfxl.numbers import _parse_value, parse_number, parse_value

    assert parse_value(raw) == _parse_value(raw, None) == parse_number(raw)
    assert parse_value(raw, numeric=False).value == parse_text(raw).value
