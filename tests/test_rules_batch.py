"""X rules: across the files of one batch."""

from __future__ import annotations

import copy

from _rules_util import flat
from stdnum.cn import uscc

from perfxl.check import CheckOptions, check_file, check_files
from perfxl.rulebook import default_rulebook
from perfxl.spec import PROFILE

S = PROFILE.name
CODE, NAME, YEAR = PROFILE.cell("credit_code"), PROFILE.cell("name"), PROFILE.cell("year")


def other_code(n: int) -> str:
    body = f"1343072500643{n:04d}"
    return body + uscc.calc_check_digit(body)


def unit(seed, *, name=None, code=None, year=None):
    d = copy.deepcopy(seed)
    if name:
        d["profile"]["name"] = name
    if code:
        d["profile"]["credit_code"] = code
    if year:
        d["profile"]["year"] = year
    return d


def run(paths, **opts):
    report = check_files(paths, CheckOptions(default_rulebook(), debug=True, **opts))
    return [flat(fr.findings) for fr in report.files]


def test_x001_same_credit_code_in_both_files(make_xlsx, seed_data):
    a = make_xlsx(seed_data, name="a.xlsx")
    b = make_xlsx(seed_data, name="b.xlsx")
    # same unit twice: the code finding only, not also the name finding
    assert run([a, b]) == [[("X001", S, CODE)], [("X001", S, CODE)]]


def test_x002_same_name_different_code(make_xlsx, seed_data):
    a = make_xlsx(seed_data, name="a.xlsx")
    b = make_xlsx(unit(seed_data, code=other_code(1)), name="b.xlsx")
    assert run([a, b]) == [[("X002", S, NAME)], [("X002", S, NAME)]]


def test_x_quiet_for_different_units(make_xlsx, seed_data):
    a = make_xlsx(seed_data, name="a.xlsx")
    b = make_xlsx(unit(seed_data, name="桃源县科技传播服务中心", code=other_code(2)), name="b.xlsx")
    assert run([a, b]) == [[], []]


def test_x003_year_differs_from_the_given_year(make_xlsx, seed_data):
    path = make_xlsx(seed_data)
    got = check_file(path, CheckOptions(default_rulebook(), year=2024))
    assert flat(got.findings) == [("X003", S, YEAR)]
    assert flat(check_file(path, CheckOptions(default_rulebook(), year=2023)).findings) == []


def test_x003_mixed_years_flags_the_odd_one(make_xlsx, seed_data):
    paths = [
        make_xlsx(unit(seed_data, name=f"单位{i}", code=other_code(10 + i), year=y), name=f"{i}.xlsx")
        for i, y in enumerate((2023, 2022, 2023))
    ]
    assert run(paths) == [[], [("X003", S, YEAR)], []]


def test_x003_given_year_is_not_reported_twice(make_xlsx, seed_data):
    paths = [
        make_xlsx(unit(seed_data, name=f"单位{i}", code=other_code(20 + i), year=y), name=f"{i}.xlsx")
        for i, y in enumerate((2023, 2022))
    ]
    assert run(paths, year=2023) == [[], [("X003", S, YEAR)]]
