"""Computed cells: a workbook gets the same findings whether or not its formulas were
calculated (issue 11, point 1).

A workbook as a program writes it (xlsxwriter or openpyxl: formulas without cached values)
and the same workbook after a recalculating save — by perfxl's template writer, which
caches what Excel would, and by LibreOffice (``soffice --headless --convert-to xlsx``) —
give the same findings apart from V003 ("formula not calculated"), over every sample and
every planted mistake.  And the mistakes hidden behind uncalculated formulas are found.
"""

from __future__ import annotations

import copy
import shutil
import subprocess
import uuid
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from perfxl.check import CheckOptions, check_file
from perfxl.computed import BLANK, values
from perfxl.reader import read_unit
from perfxl.rulebook import default_rulebook
from samplegen.dept import _county, seed_data
from perfxl.spec import (
    BUDGET,
    DEPT,
    GOALS,
    INDICATOR_LEVEL1_HELPER_COL,
    INDICATORS,
    PROFILE,
    SELF_SCORE,
    THREE_PUBLIC,
    addr,
)
from perfxl.template import write_template, write_workbook

RB = default_rulebook()
OPTIONS = CheckOptions(RB)


def _plant(**changes: Any) -> dict[str, Any]:
    """The seed unit with ``changes``: dotted paths ('budget.total.actual') → value."""
    d = seed_data()
    for path, value in changes.items():
        *head, last = path.split(".")
        node = d
        for k in head:
            node = node.setdefault(k, {}) if isinstance(node, dict) else node[int(k)]
        if isinstance(node, list):
            node[int(last)] = value
        else:
            node[last] = value
    return d


# Mistakes planted in the seed unit, beyond the samples' own: figures typed over formulas,
# text and words in parts, zero budgets — each hides behind an uncalculated formula.
PLANTED: dict[str, dict[str, Any]] = {
    "seed": seed_data(),
    "total-typed-over": _plant(**{"budget.total.actual": 800}),
    "score-total-typed-over": _plant(**{"scores.total": {"self_score": 98}}),
    "grade-mismatch": _plant(grade="良"),
    "basic-typed-over": _plant(**{"budget.basic.actual": 200}),
    "rate-typed-over": _plant(**{"budget.total.rate": 1.5}),
    "change-typed-over": _plant(**{"budget.project.change": 5}),
    "subtotal-typed-over": _plant(**{"scores.output": {"self_score": 48}}),
    "weight-total-typed-over": _plant(**{"scores.total": {"weight": 90}}),
    "cars-typed-over": _plant(**{"three_public.cars": {"actual": 9}}),
    "text-number-part": _plant(**{"budget.general.actual": "309.39万元"}),
    "comma-number-part": _plant(**{"budget.staff.actual": "1,58.36"}),
    "words-in-part": _plant(**{"budget.staff.actual": "完成"}),
    "blank-part": _plant(**{"budget.staff.adjusted": None}),
    "zero-budget-row": _plant(**{"budget.project.adjusted": 0}),
    "text-self-score": _plant(**{"indicators.0.self_score": "5分"}),
}


def _cases() -> dict[str, tuple[dict[str, Any], bool]]:
    """name → (data, merge_levels): the seed, every planted mistake, every sample."""
    out = {name: (d, False) for name, d in PLANTED.items()}
    for fname, data, mistakes in _county(30, 2023):
        out[Path(fname).stem] = (data, any(m["tag"] == "merged-levels" for m in mistakes))
    return out


CASES = _cases()


def _findings(path: Path) -> list[tuple]:
    """Everything a finding says, but V003 (which only says the file was not calculated)."""
    report = check_file(path, OPTIONS)
    return [(f.code, f.severity.value, f.sheet, f.cell, f.message("zh")) for f in report.findings if f.code != "V003"]


def _uncalculated(tmp: Path, name: str) -> Path:
    data, merge = CASES[name]
    return write_workbook(tmp / f"{name}.xlsx", copy.deepcopy(data), merge_levels=merge, cached=False)


@pytest.mark.parametrize("name", sorted(CASES))
def test_calculated_or_not_the_same_findings(tmp_path: Path, name: str) -> None:
    """perfxl's writer caches what Excel computes (``cached=True``) or nothing, as a script does."""
    data, merge = CASES[name]
    raw = write_workbook(tmp_path / "raw.xlsx", copy.deepcopy(data), merge_levels=merge, cached=False)
    calc = write_workbook(tmp_path / "calc.xlsx", copy.deepcopy(data), merge_levels=merge, cached=True)
    assert any(f.code == "V003" for f in check_file(raw, OPTIONS).findings)  # the formulas really are empty
    assert _findings(raw) == _findings(calc)


def _fill_with_openpyxl(template: Path, dest: Path, data: dict[str, Any]) -> Path:
    """Fill the blank template as a program would: openpyxl, no calculation.  A value given
    for a computed cell replaces its formula (typed over)."""
    wb = openpyxl.load_workbook(template)
    for key, value in data["profile"].items():
        wb[PROFILE.name][PROFILE.cell(key)] = value
    for sheet, rows in ((BUDGET, data["budget"]), (THREE_PUBLIC, data["three_public"]),
                        (SELF_SCORE, data.get("scores", {}))):
        for key, cells in rows.items():
            for col, value in cells.items():
                wb[sheet.name][sheet.cell(key, col)] = value
    wb[THREE_PUBLIC.name][THREE_PUBLIC.after_cell("car_count")] = data["car_count"]
    wb[SELF_SCORE.name][SELF_SCORE.after_cell("grade")] = data["grade"]
    for table, items in ((GOALS, data["goals"]), (INDICATORS, data["indicators"])):
        for i, item in enumerate(items):
            for col, value in item.items():
                if value is not None:
                    wb[table.name][addr(table.first_row + i, table.col_of(col))] = value
    wb.save(dest)
    return dest


@pytest.fixture(scope="module")
def template_2023(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_template(tmp_path_factory.mktemp("tpl") / "t.xlsx", year=2023)


def test_mistakes_behind_uncalculated_formulas_are_found(tmp_path: Path, template_2023: Path) -> None:
    """The issue's three: 资金总额 typed over as 800 (the sources add to 309.39), 总分 typed
    as 98 (the parts add to 95), 自评等级 良 on a total of 95 — in a template filled by
    openpyxl, whose formulas carry no value."""
    got = {}
    for name in ("total-typed-over", "score-total-typed-over", "grade-mismatch"):
        path = _fill_with_openpyxl(template_2023, tmp_path / f"{name}.xlsx", PLANTED[name])
        got[name] = {(f.code, f.sheet, f.cell): f for f in check_file(path, OPTIONS).findings}
        assert ("V003", SELF_SCORE.name, "C5") in got[name]  # uncalculated indeed
    b001 = got["total-typed-over"][("B001", BUDGET.name, BUDGET.cell("total", "actual"))]
    assert (b001.expected, b001.actual) == (309.39, 800)
    t003 = got["score-total-typed-over"][("T003", SELF_SCORE.name, SELF_SCORE.cell("total", "self_score"))]
    assert (t003.expected, t003.actual) == (95, 98)
    t004 = got["grade-mismatch"][("T004", SELF_SCORE.name, SELF_SCORE.after_cell("grade"))]
    assert (t004.expected, t004.actual) == ("优", "良")


def test_the_score_uses_computed_totals(tmp_path: Path, template_2023: Path) -> None:
    from perfxl.score import score_unit

    path = _fill_with_openpyxl(template_2023, tmp_path / "seed.xlsx", seed_data())
    card = score_unit(read_unit(path, RB), RB)
    assert card.total == 95.0 and card.self_total == 95.0 and card.execution.rate == pytest.approx(1.0)


# ---------------------------------------------------------------------------
# The evaluator itself
# ---------------------------------------------------------------------------


def test_typed_over_and_blank_formulas(make_xlsx) -> None:
    d = _plant(**{"budget.total.actual": 800, "budget.project.adjusted": 0})
    unit = read_unit(make_xlsx(d, cached=False), RB)
    v = values(unit, RB)
    st = v.state(BUDGET.name, "total", "actual")
    assert st.typed_over and st.shown == 800 and st.true == pytest.approx(309.39)
    assert v.judged(BUDGET.name, "total", "actual") == 800
    assert v.readings(BUDGET.name, "total", "actual") == [pytest.approx(309.39), 800]
    # 执行率 over a budget of 0: the template shows blank, perfxl knows it cannot be computed
    assert v.state(BUDGET.name, "project", "rate").true is BLANK
    assert v.true(BUDGET.name, "project", "rate") is None
    # a SUMIF subtotal and 总分, from the indicators
    assert v.true(SELF_SCORE.name, "output", "self_score") == 50.0
    assert v.true(SELF_SCORE.name, "total", "self_score") == 95.0


def test_every_template_formula_is_a_declared_computed_cell(tmp_path: Path) -> None:
    """The spec's declarations and the template's formulas describe the same cells."""
    wb = openpyxl.load_workbook(write_template(tmp_path / "t.xlsx", year=2023))
    for t in DEPT.tables:
        formulas = {c.coordinate for row in wb[t.name].iter_rows() for c in row
                    if isinstance(c.value, str) and c.value.startswith("=")
                    and not (t is INDICATORS and c.column == INDICATOR_LEVEL1_HELPER_COL)}
        declared = {t.cell(c.row, c.col) for c in t.computed}
        assert formulas == declared, t.name


# ---------------------------------------------------------------------------
# LibreOffice: a real recalculating save
# ---------------------------------------------------------------------------


def _soffice_all(files: list[Path], outdir: Path, profile: Path) -> None:
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if exe is None:
        pytest.skip("LibreOffice (soffice) not installed")
    proc = subprocess.run(
        [exe, f"-env:UserInstallation={profile.resolve().as_uri()}", "--headless", "--norestore",
         "--convert-to", "xlsx", "--outdir", str(outdir), *map(str, files)],
        capture_output=True, text=True, timeout=900,
    )
    missing = [f.name for f in files if not (outdir / f.name).exists()]
    assert proc.returncode == 0 and not missing, (proc.stdout, proc.stderr, missing)


@pytest.fixture(scope="module")
def recalculated(tmp_path_factory: pytest.TempPathFactory, template_2023: Path) -> dict[str, tuple[Path, Path]]:
    """name → (as a program wrote it, after LibreOffice recalculated and saved it), for
    every case written by perfxl's writer and the planted ones filled by openpyxl."""
    raw = tmp_path_factory.mktemp("raw")
    out = {name: _uncalculated(raw, name) for name in CASES}
    for name in PLANTED:
        out[f"openpyxl-{name}"] = _fill_with_openpyxl(template_2023, raw / f"openpyxl-{name}.xlsx", PLANTED[name])
    lo = tmp_path_factory.mktemp("lo")
    # One soffice process converts them all (a process per file would cost minutes).
    _soffice_all(sorted(out.values()), lo, tmp_path_factory.mktemp("profile") / f"lo-{uuid.uuid4().hex}")
    return {name: (path, lo / path.name) for name, path in out.items()}


@pytest.mark.lo
def test_libreoffice_recalculation_changes_no_finding(recalculated: dict[str, tuple[Path, Path]]) -> None:
    differ = {}
    for name, (raw, lo) in sorted(recalculated.items()):
        assert not any(f.code == "V003" for f in check_file(lo, OPTIONS).findings), name  # recalculated indeed
        a, b = _findings(raw), _findings(lo)
        if a != b:
            differ[name] = (sorted(set(a) - set(b)), sorted(set(b) - set(a)))
    assert differ == {}
