"""S rules (三公经费): one planted mistake gives exactly its finding, at its cell."""

from __future__ import annotations

import pytest
from _rules_util import planted

from perfxl.spec import THREE_PUBLIC

S = THREE_PUBLIC.name
C = THREE_PUBLIC.cell
CARS = THREE_PUBLIC.after_cell("car_count")


def set_(d, row, **values):
    d["three_public"].setdefault(row, {}).update(values)


CASES = [
    ("S001 typed-over total", lambda d: set_(d, "total", actual=4.75), [("S001", S, C("total", "actual"))]),
    ("S001 typed-over car subtotal", lambda d: set_(d, "cars", actual=1.0), [("S001", S, C("cars", "actual"))]),
    ("S001 quiet: typed right", lambda d: set_(d, "total", actual=3.75), []),
    ("S002 reception over budget", lambda d: set_(d, "reception", actual=4.5, last_year=5.0),
     [("S002", S, C("total", "actual")), ("S002", S, C("reception", "actual"))]),
    ("S002 quiet: at the budget", lambda d: set_(d, "reception", actual=4.0, last_year=5.0), []),
    ("S003 above last year", lambda d: set_(d, "reception", last_year=3.0),
     [("S003", S, C("total", "actual")), ("S003", S, C("reception", "actual"))]),
    ("S003 quiet: equal to last year", lambda d: set_(d, "reception", last_year=3.75), []),
    ("S004 trips without groups", lambda d: set_(d, "abroad", budget=2.0, actual=2.0, last_year=2.0, batches=0, persons=0),
     [("S004", S, C("abroad", "batches"))]),
    ("S004 groups without money", lambda d: set_(d, "abroad", batches=2, persons=3), [("S004", S, C("abroad", "actual"))]),
    ("S004 quiet: 0.004 is no money (within the tolerance)",
     lambda d: set_(d, "abroad", budget=0.004, actual=0.004, last_year=0.004), []),
    ("S004 quiet: trips with groups",
     lambda d: set_(d, "abroad", budget=2.0, actual=2.0, last_year=2.0, batches=1, persons=3), []),
    ("S005 persons below batches", lambda d: set_(d, "reception", persons=20), [("S005", S, C("reception", "persons"))]),
    ("S005 quiet: one person per batch", lambda d: set_(d, "reception", persons=26), []),
    ("S006 running costs without a car", lambda d: set_(d, "car_maint", budget=1.2, actual=1.2, last_year=1.2),
     [("S006", S, CARS)]),
    ("S006 quiet: with a car",
     lambda d: (set_(d, "car_maint", budget=1.2, actual=1.2, last_year=1.2), d.update(car_count=1)), []),
    ("S007 car count blank", lambda d: d.update(car_count=None), [("S007", S, CARS)]),
]


@pytest.mark.parametrize("plant, expected", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_three_public_rules(make_xlsx, seed_data, plant, expected):
    plant(seed_data)
    assert planted(make_xlsx, seed_data) == sorted(expected)
