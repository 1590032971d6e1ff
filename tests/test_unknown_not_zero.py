"""A value that could not be read is unknown, never 0 (issue 11, point 4).

The sweep: rename or delete, in turn, every binding label and header of the template (and
every sheet, and every table's whole header row) in the seed workbook — calculated, and as
a program wrote it.  Each gives its F-code at the right place, and no other error appears:
a cell that could not be located is never read as 0 or as blank by any rule or score.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from perfxl.check import CheckOptions, check_file
from perfxl.rulebook import default_rulebook
from samplegen.dept import seed_data
from perfxl.score import score_unit
from perfxl.reader import read_unit
from perfxl.spec import BUDGET, DEPT, FormSheet, TableSheet, addr
from perfxl.template import write_workbook

OPTIONS = CheckOptions(default_rulebook())


def _labels() -> list[tuple[str, str, str]]:
    """(sheet, cell, the F-code its loss gives) for every binding label and header."""
    out = []
    for s in DEPT.sheets:
        if isinstance(s, FormSheet):
            out += [(s.name, addr(s.row_of(f.key), 1), "F017") for f in s.fields]
        elif isinstance(s, TableSheet):
            out += [(s.name, addr(s.header_row, i + 1), "F014") for i in range(len(s.columns))]
            out += [(s.name, addr(s.row_of(r.key), 1), "F017") for r in s.rows]
            out += [(s.name, addr(s.after_row_of(f.key), 1), "F017") for f in s.after]
    return out


LABELS = _labels()


@pytest.fixture(scope="module", params=[True, False], ids=["calculated", "uncalculated"])
def seed(request, tmp_path_factory) -> tuple[Path, set]:
    path = write_workbook(tmp_path_factory.mktemp("seed") / "seed.xlsx", seed_data(), cached=request.param)
    return path, {(f.code, f.sheet, f.cell) for f in check_file(path, OPTIONS).findings}


def _errors_beyond(path: Path, base: set) -> set:
    return {(f.code, f.sheet, f.cell) for f in check_file(path, OPTIONS).findings
            if f.severity.value == "error"} - base


@pytest.mark.parametrize("how", ["rename", "delete"])
def test_each_label_lost_gives_its_f_code_and_nothing_else(tmp_path: Path, seed, how: str) -> None:
    path, base = seed
    wrong = []
    for sheet, cell, code in LABELS:
        wb = openpyxl.load_workbook(path)
        ws = wb[sheet]
        ws[cell] = f"{ws[cell].value}（改）" if how == "rename" else None
        edited = tmp_path / "edited.xlsx"
        wb.save(edited)
        got = _errors_beyond(edited, base)
        if got != {(code, sheet, cell)}:
            wrong.append((sheet, cell, code, sorted(got)))
    assert wrong == []


@pytest.mark.parametrize("how", ["rename", "delete", "header"])
def test_each_sheet_lost_gives_its_f_code_and_nothing_else(tmp_path: Path, seed, how: str) -> None:
    path, base = seed
    wrong = []
    for s in DEPT.sheets:
        if not isinstance(s, (FormSheet, TableSheet)) or (how == "header" and not isinstance(s, TableSheet)):
            continue
        wb = openpyxl.load_workbook(path)
        if how == "rename":
            wb[s.name].title = f"{s.name}(2)"
        elif how == "delete":
            wb.remove(wb[s.name])
        else:  # the whole header row cleared
            for c in range(1, len(s.columns) + 1):
                wb[s.name].cell(s.header_row, c).value = None
        edited = tmp_path / "edited.xlsx"
        wb.save(edited)
        want = {("F016", s.name, addr(s.header_row, 1))} if how == "header" else {("F013", s.name, None)}
        got = _errors_beyond(edited, base)
        if got != want:
            wrong.append((s.name, sorted(got)))
    assert wrong == []


def test_a_missing_budget_column_leaves_the_score_unknown(tmp_path: Path, seed) -> None:
    """全年预算数 renamed: the execution score is not a guess (never 0 ÷ 0, never 100%)."""
    path, _ = seed
    wb = openpyxl.load_workbook(path)
    wb[BUDGET.name][addr(BUDGET.header_row, BUDGET.col_of("adjusted"))] = "调整后预算"
    wb.save(tmp_path / "e.xlsx")
    rb = OPTIONS.rulebook
    card = score_unit(read_unit(tmp_path / "e.xlsx", rb), rb)
    assert card.execution.score is None and card.total is None
    assert card.common["预算执行率"] is None
