"""perfxl.check: the library call behind ``perfxl check``."""

from __future__ import annotations

import dataclasses

import pytest
from _rules_util import BASELINE, flat, ind_cell

import perfxl.check as check_mod
from perfxl.check import (
    CheckOptions,
    check_batch_rules,
    check_file,
    check_files,
    check_unit,
)
from perfxl.findings import Severity
from perfxl.reader import read_unit
from perfxl.rulebook import default_rulebook
from perfxl.rules.registry import CHECKS, Check
from perfxl.spec import BUDGET, DEPT, PROFILE


def opts(**kw):
    return CheckOptions(default_rulebook(), **kw)


@pytest.fixture
def messy(make_xlsx, seed_data):
    """The seed with an error (a wrong check character) besides its two warnings."""
    import copy

    data = copy.deepcopy(seed_data)
    data["profile"]["credit_code"] = "13430725006431661G"
    data["profile"]["preparer"] = None
    return make_xlsx(data, name="messy.xlsx")


def test_seed_has_no_errors_only_its_over_completion_warnings(make_xlsx, seed_data):
    fr = check_file(make_xlsx(seed_data), opts())
    assert fr.readable and fr.errors == 0
    assert {(f.code, f.sheet, f.cell) for f in fr.findings if f.severity != Severity.INFO} == BASELINE
    assert fr.unit is not None and fr.unit.name == "桃源县科学技术协会"
    assert fr.score is not None and fr.score.total is not None


def test_findings_are_sorted_by_sheet_order_then_cell(messy):
    fr = check_file(messy, opts())
    order = {n: i for i, n in enumerate(DEPT.sheet_names)}
    keys = [(order[f.sheet], *PROFILE_rowcol(f.cell)) for f in fr.findings]
    assert keys == sorted(keys)
    assert [f.code for f in fr.findings][:2] == ["P003", "P001"]  # B5 before B14
    assert all(f.path == str(messy) for f in fr.findings)


def PROFILE_rowcol(cell):
    from perfxl.spec import split_addr

    return split_addr(cell)


def test_select_and_ignore_by_code_and_prefix(messy):
    assert {f.code for f in check_file(messy, opts(select=("P",))).findings} == {"P001", "P003"}
    assert {f.code for f in check_file(messy, opts(select=("I016",))).findings} == {"I016"}
    assert {f.code for f in check_file(messy, opts(ignore=("P", "I"))).findings} == set()
    assert {f.code for f in check_file(messy, opts(select=("P",), ignore=("P001",))).findings} == {"P003"}


def test_rulebook_severity_override_and_off(messy):
    rb = dataclasses.replace(default_rulebook(), severities={"I016": "error", "P003": "off"})
    fr = check_file(messy, CheckOptions(rb))
    assert {f.code: f.severity for f in fr.findings} == {"P001": Severity.ERROR, "I016": Severity.ERROR}


def test_deselected_checks_are_not_run(monkeypatch, messy):
    ran = []

    def spy(unit, ctx):
        ran.append(1)
        return []

    monkeypatch.setattr(check_mod, "CHECKS", CHECKS + [Check(spy, ("B999",))])
    check_file(messy, opts(select=("P",)))
    assert ran == []
    check_file(messy, opts())
    assert ran == [1]


def test_a_rule_that_raises_becomes_an_internal_error_finding(monkeypatch, messy):
    def broken(unit, ctx):
        raise ZeroDivisionError("boom")
        yield  # pragma: no cover

    monkeypatch.setattr(check_mod, "CHECKS", [Check(broken, ("B001",))] + CHECKS)
    fr = check_file(messy, opts())
    internal = [f for f in fr.findings if f.code == "F902"]
    assert len(internal) == 1 and "ZeroDivisionError" in internal[0].message("en")
    assert {"P001", "P003", "I016"} <= {f.code for f in fr.findings}  # the other rules still ran
    with pytest.raises(ZeroDivisionError):
        check_file(messy, opts(debug=True))


def test_unreadable_file_is_a_report_not_an_exception(tmp_path):
    bad = tmp_path / "x.xlsx"
    bad.write_text("not a workbook", "utf-8")
    report = check_files([bad, tmp_path / "missing.xlsx"], opts())
    assert [fr.readable for fr in report.files] == [False, False]
    assert all(fr.findings and all(f.code.startswith("F") for f in fr.findings) for fr in report.files)
    assert report.exit_code() == 2


def test_check_unit_includes_reader_findings_and_scores_itself(make_xlsx, seed_data):
    seed_data["budget"]["general"]["actual"] = "309.39万元"  # text read as a number: V001 (info)
    unit = read_unit(make_xlsx(seed_data))
    got = check_unit(unit, opts())
    assert ("V001", BUDGET.name, BUDGET.cell("general", "actual")) in flat(got, infos=True)
    assert ("I016", "绩效指标", ind_cell(0, "actual")) in flat(got, baseline=True)


def test_check_batch_rules_appends_and_resorts(make_xlsx, seed_data):
    a, b = make_xlsx(seed_data, name="a.xlsx"), make_xlsx(seed_data, name="b.xlsx")
    reports = [check_file(p, opts()) for p in (a, b)]
    check_batch_rules(reports, opts())
    for fr in reports:
        assert [f.code for f in fr.findings] == ["X001", "I016", "I016"]  # 基本信息 sorts first
        assert fr.findings[0].cell == PROFILE.cell("credit_code")


def test_report_exit_codes(make_xlsx, seed_data, messy):
    clean = make_xlsx(seed_data, name="clean.xlsx")
    assert check_files([clean], opts()).exit_code() == 0
    assert check_files([clean], opts()).exit_code(strict=True) == 1  # the seed's warnings
    assert check_files([clean, messy], opts()).exit_code() == 1


def test_a_scoring_failure_is_reported_and_the_rules_still_run(monkeypatch, messy):
    import perfxl.score

    def broken(unit, rulebook):
        raise RuntimeError("no card")

    monkeypatch.setattr(perfxl.score, "score_unit", broken)
    fr = check_file(messy, opts())
    assert [f.code for f in fr.findings if f.code == "F902"] == ["F902"]
    assert "no card" in next(f for f in fr.findings if f.code == "F902").message("en")
    assert {"P001", "P003", "I016"} <= {f.code for f in fr.findings}
    assert fr.score is None


def test_the_blank_template_lists_what_to_fill(tmp_path):
    """A clerk checking the untouched template sees the required blanks, nothing crashes."""
    from perfxl.template import write_template

    path = write_template(tmp_path / "blank.xlsx", year=2023)
    fr = check_file(path, opts())
    codes = {f.code for f in fr.findings}
    assert {"P001", "B006", "S007", "G001", "I002", "T006"} <= codes
    assert "F902" not in codes and fr.readable
    assert not any(f.code == "P001" and f.cell == PROFILE.cell("year") for f in fr.findings)  # year prefilled
