"""X004/X005 (a department's projects against its 部门整体 workbook) and X001–X003 in a
batch of both kinds."""

from __future__ import annotations

import json
from pathlib import Path

from _projects import project, write_projects

from perfxl.check import CheckOptions, check_files
from perfxl.rulebook import default_rulebook

SEED = "桃源县科学技术协会"  # the seed's 单位名称; its 项目支出 全年执行数 is 112.87


def _check(*paths: Path, year: int | None = None):  # noqa: ANN202
    return check_files(list(paths), CheckOptions(default_rulebook(), year=year)).files


def _x(reports, code: str) -> list:  # noqa: ANN001
    return [(r, f) for r in reports for f in r.findings if f.code == code]


def test_x004_fires_at_the_departments_project_spending_when_its_projects_add_up_to_more(make_xlsx, seed_data,
                                                                                        tmp_path):
    dept = make_xlsx(seed_data, name="dept.xlsx")
    forms = write_projects(tmp_path / "p.xlsx", project("养护", actual=60.0), project("科普", actual=60.0))
    reports = _check(dept, forms)
    [(r, f)] = _x(reports, "X004")
    assert r.kind == "dept" and (f.sheet, f.cell) == ("预算执行", "D12")
    assert f.severity.value == "warning"
    assert (f.actual, f.expected) == (120.0, 112.87)
    assert "桃源县科学技术协会各项目全年执行数合计 120.00 万元" in f.message()


def test_x004_quiet_when_the_projects_fit_and_when_a_projects_spending_is_unknown(make_xlsx, seed_data, tmp_path):
    dept = make_xlsx(seed_data, name="dept.xlsx")
    fits = write_projects(tmp_path / "fits.xlsx", project("养护", actual=60.0), project("科普", actual=52.87))
    assert not _x(_check(dept, fits), "X004")
    unknown = project("科普", actual=90.0)
    unknown["budget"]["total"]["actual"] = "九十"  # unreadable: the sum is unknown, never a guess
    unknown["budget"]["current"]["actual"] = "九十"
    assert not _x(_check(dept, write_projects(tmp_path / "u.xlsx", project("养护", actual=60.0), unknown)), "X004")


def test_x005_fires_once_per_project_of_a_department_without_its_overall_workbook(make_xlsx, seed_data, tmp_path):
    other = make_xlsx(seed_data, name="dept.xlsx")  # another department's 部门整体 workbook
    forms = write_projects(tmp_path / "p.xlsx", project("养护", department="示例县商务局"),
                           project("科普", department="示例县商务局"))
    found = _x(_check(other, forms), "X005")
    assert [(r.sheet, f.sheet, f.cell, f.severity.value) for r, f in found] == [
        ("养护", "养护", "B4", "info"), ("科普", "科普", "B4", "info")]
    assert "示例县商务局" in found[0][1].message()


def test_x005_quiet_when_the_run_holds_no_overall_workbook_at_all(tmp_path):
    """A clerk checking their own project forms, or a folder of project forms alone: no
    部门整体 workbook to compare with, so no form is told its department sent none."""
    forms = write_projects(tmp_path / "p.xlsx", project("养护", department="示例县商务局"),
                           project("科普", department="示例县商务局"))
    reports = _check(forms)
    assert len(reports) == 2 and not _x(reports, "X005") and not _x(reports, "X004")


def test_x005_quiet_when_the_department_sent_its_workbook_even_spaced_differently(make_xlsx, seed_data, tmp_path):
    dept = make_xlsx(seed_data, name="dept.xlsx")
    forms = write_projects(tmp_path / "p.xlsx", project("养护", department="桃源县 科学技术协会", actual=10.0))
    assert not _x(_check(dept, forms), "X005")


def test_project_forms_of_one_department_are_no_duplicates_and_take_no_part_in_x001(make_xlsx, seed_data, tmp_path):
    dept = make_xlsx(seed_data, name="dept.xlsx")
    a = write_projects(tmp_path / "a.xlsx", project("养护", actual=10.0), project("科普", actual=10.0))
    b = write_projects(tmp_path / "b.xlsx", project("养护", actual=10.0))  # the same project name again
    reports = _check(dept, a, b)
    assert len(reports) == 4
    assert not _x(reports, "X001") and not _x(reports, "X002")


def test_x003_applies_to_project_forms_at_their_title(make_xlsx, seed_data, tmp_path):
    dept = make_xlsx(seed_data, name="dept.xlsx")
    forms = write_projects(tmp_path / "p.xlsx", project("养护", actual=10.0, year=2022))
    reports = _check(dept, forms, year=2023)
    [(r, f)] = _x(reports, "X003")
    assert r.kind == "project" and f.sheet == "养护" and f.actual == 2022
    # Without a batch year the most common year wins: here a tie, the latest (2023).
    [(r, f)] = _x(_check(dept, forms), "X003")
    assert r.kind == "project" and f.expected == 2023


def test_x004_takes_a_projects_spending_as_its_review_does_in_every_path(make_xlsx, seed_data, tmp_path):
    """A project's 年度资金总额 typed below the sum of its sources (J004) counts as that sum
    — as its 执行率, score and 项目 row take it — whether the files are checked in one
    process, on the check's workers or in a batch."""
    from perfxl.batch import BatchOptions, run_batch
    from perfxl.check_pool import check_files as check_on

    dept = make_xlsx(seed_data, name="dept.xlsx")  # its 项目支出 全年执行数: 112.87
    typed = project("养护", actual=120.0, budget=120.0)
    typed["budget"]["total"]["actual"] = 100.0  # typed under the sources' 120
    forms = write_projects(tmp_path / "p.xlsx", typed)

    def x004(reports):  # noqa: ANN001, ANN202
        return [(Path(r.path).name, f.cell, f.expected, f.actual) for r, f in _x(reports, "X004")]

    one = x004(_check(dept, forms))
    assert [(name, expected, actual) for name, _cell, expected, actual in one] == [("dept.xlsx", 112.87, 120.0)]
    assert x004(check_on([dept, forms], CheckOptions(default_rulebook()), jobs=2).files) == one
    run_batch([dept, forms], tmp_path / "out", BatchOptions(jobs=1))
    summary = json.loads((tmp_path / "out" / "summary.json").read_text("utf-8"))
    assert [(f["cell"], f["actual"]) for u in summary["units"] for f in u["findings"] if f["code"] == "X004"] == [
        (one[0][1], 120.0)]
