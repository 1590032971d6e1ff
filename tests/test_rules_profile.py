"""P rules (基本信息): each fires at its cell on a planted mistake and stays quiet otherwise."""

from __future__ import annotations

import datetime as dt

import pytest
from _rules_util import findings_of, flat, planted

from perfxl.spec import PROFILE

S = PROFILE.name


def cell(key: str) -> str:
    return PROFILE.cell(key)


CASES = [
    # (id, profile changes, expected findings)
    ("P001 required blank", {"preparer": None}, [("P001", S, cell("preparer"))]),
    ("P001 phone blank", {"phone": "  "}, [("P001", S, cell("phone"))]),
    ("P001 quiet: optional blank", {"retirees": None, "department": None}, []),
    ("P002 placeholder 无", {"duties": "无"}, [("P002", S, cell("duties"))]),
    ("P002 placeholder /", {"preparer": "/"}, [("P002", S, cell("preparer"))]),
    ("P002 placeholder * in a number cell", {"staff_quota": "-"}, [("P002", S, cell("staff_quota"))]),
    ("P002 quiet: text starting with 无", {"duties": "无偿开展科普服务"}, []),
    ("P003 check character", {"credit_code": "13430725006431661G"}, [("P003", S, cell("credit_code"))]),
    ("P003 quiet: lower case valid", {"credit_code": "13430725006431661h"}, []),
    ("P004 too short", {"credit_code": "1343072500643166"}, [("P004", S, cell("credit_code"))]),
    ("P004 letter I", {"credit_code": "1343072500643166IH"}, [("P004", S, cell("credit_code"))]),
    ("P005 staff over quota", {"staff_on_post": 12}, [("P005", S, cell("staff_on_post"))]),
    ("P005 quiet: equal to quota", {"staff_on_post": 11}, []),
    ("P006 unit type", {"unit_type": "社会团体"}, [("P006", S, cell("unit_type"))]),
    ("P006 quiet: another valid type", {"unit_type": "事业单位"}, []),
    ("P007 year 1923", {"year": 1923}, [("P007", S, cell("year"))]),
    ("P007 year 2014", {"year": 2014}, [("P007", S, cell("year"))]),
    ("P007 next year", {"year": dt.date.today().year + 1}, [("P007", S, cell("year"))]),
    ("P007 quiet: 2015", {"year": 2015}, []),
    ("P007 quiet: this year", {"year": dt.date.today().year}, []),
]


@pytest.mark.parametrize("changes, expected", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_profile_rules(make_xlsx, seed_data, changes, expected):
    seed_data["profile"].update(changes)
    assert planted(make_xlsx, seed_data) == sorted(expected)


def test_p008_a_year_other_than_the_templates(make_xlsx, seed_data):
    """The 2022 template filled in for 2023: the year in _perfxl differs (P008, error)."""
    path = make_xlsx(seed_data, year=2022)  # titles and _perfxl say 2022; 评价年度 says 2023
    assert flat(findings_of(path)) == [("P008", S, cell("year"))]
    assert flat(findings_of(make_xlsx(seed_data, name="ok.xlsx", year=2023))) == []
