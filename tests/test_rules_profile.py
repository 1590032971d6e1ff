"""P rules (基本信息): each fires at its cell on a planted mistake and stays quiet otherwise."""

from __future__ import annotations

import pytest
from _rules_util import planted

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
]


@pytest.mark.parametrize("changes, expected", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_profile_rules(make_xlsx, seed_data, changes, expected):
    seed_data["profile"].update(changes)
    assert planted(make_xlsx, seed_data) == sorted(expected)
