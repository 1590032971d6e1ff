"""A kind is data: a third template kind, defined here in the test alone, is read, checked
and annotated by the same reader, checks and annotator — nothing in perfxl names it."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterable, Iterator

import openpyxl
import pytest

from perfxl import findings as findings_mod
from perfxl.annotate import annotate
from perfxl.check import CheckOptions, check_file
from perfxl.kinds import KINDS, Kind
from perfxl.model import Unit
from perfxl.reader import read_units
from perfxl.rulebook import default_rulebook
from perfxl.rules import registry
from perfxl.spec import Column, FormField, RowSpec, TableSheet, TemplateSpec, sums_of_parts
from perfxl.spec_project import FormBlock, FormPage, TableBlock

ROWS = (RowSpec("total", "经费合计", parts=("teaching", "board")), RowSpec("teaching", "授课费"), RowSpec("board", "食宿费"))
COLUMNS = (Column("item", "项目", "label"), Column("adjusted", "预算数", "amount"), Column("actual", "支出数", "amount"))
PAGE = FormPage(
    name="培训经费表", title="培训经费绩效表", year_label="（{year}年度）",
    blocks=(FormBlock("profile", (FormField("name", "培训名称", "text", True),)),
            TableBlock(role="budget", title="培训经费（万元）", columns=COLUMNS, rows=ROWS, key_columns=("adjusted", "actual"),
                       model="budget")),
    aliases={"支出数": ("实际支出",)},
    anchors=("budget",),
)
SPEC = TemplateSpec(template_id="test.training", version=1, title=PAGE.title, sheets=(
    TableSheet(name=PAGE.name, title=PAGE.title, columns=COLUMNS, rows=ROWS,
               computed=sums_of_parts(ROWS, ("adjusted", "actual"), code="J900"), model="budget"),))
TRAINING = Kind("training", PAGE.title, "training costs", SPEC, "weights", page=PAGE, common_indicators=False)


def check_training_total(unit: Unit, ctx: registry.RuleContext) -> Iterable[findings_mod.Finding]:
    """经费合计 = its parts, in each column (the computed cells the spec declares)."""
    vals = registry.computed_values(unit, ctx)
    for st in vals.typed_over("J900"):
        yield J900(unit.form_sheet, st.field.cell, expected=round(st.true, 2), actual=st.shown)


J900: Any = None


@pytest.fixture
def training_kind(monkeypatch: pytest.MonkeyPatch) -> Iterator[Kind]:
    global J900
    from perfxl import catalogue

    monkeypatch.setitem(KINDS, TRAINING.name, TRAINING)
    J900 = findings_mod.rule("J900", "training-total-differs", "error", "经费合计与明细不符", "total differs",
                             "经费合计 {actual} 不等于明细之和 {expected}。", "The total {actual} is not the sum, {expected}.",
                             "合计应等于明细之和。", "合计 10，明细 9。", kinds=(TRAINING.name,))
    entries = {**catalogue._entries(), "J900": J900}
    monkeypatch.setattr(catalogue, "_entries", lambda: entries)
    registry.check("J900", kinds=(TRAINING.name,))(check_training_total)
    try:
        yield TRAINING
    finally:
        registry.CHECKS[:] = [c for c in registry.CHECKS if c.func is not check_training_total]


def _workbook(path: Path) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "一班"
    ws.append(["培训经费绩效表（2023年度）"])
    ws.append(["培训名称", "新任干部培训"])
    ws.append(["项目", "预算数", "实际支出"])  # an alias of 支出数
    ws.append(["经费合计", 10, 9.5])  # the parts add up to 9
    ws.append(["授课费", 5, 5])
    ws.append(["食宿费", 5, 4])
    notes = wb.create_sheet("说明")
    notes["A1"] = "本表由培训主办单位填写。"
    wb.save(path)
    return path


def test_a_kind_defined_in_a_test_is_read_checked_and_annotated(training_kind: Kind, tmp_path: Path) -> None:
    path = _workbook(tmp_path / "培训.xlsx")
    units = read_units(path)
    assert [(u.kind, u.form_sheet, u.name, u.year) for u in units] == [("training", "一班", "新任干部培训", 2023)]
    assert units[0].budget["total"].actual.cell == "C4"

    report = check_file(path, CheckOptions(default_rulebook()))
    codes = {(f.code, f.sheet, f.cell) for f in report.findings}
    assert ("J900", "一班", "C4") in codes
    assert ("F024", "说明", None) in codes  # the notes sheet is no form: said, not read
    # no rule of another kind ran on it
    assert not {c for c, _s, _a in codes if c[0] in "BSGIT" or c in ("J001", "J004")}

    copy = openpyxl.load_workbook(annotate(report, tmp_path / "out" / "培训.xlsx"))
    assert copy["一班"]["C4"].comment is not None and "J900" in copy["一班"]["C4"].comment.text


def test_without_the_kind_the_same_workbook_is_no_template(tmp_path: Path) -> None:
    report = check_file(_workbook(tmp_path / "培训.xlsx"), CheckOptions(default_rulebook()))
    assert [f.code for f in report.findings if f.severity.value == "error"] == ["F022"]
