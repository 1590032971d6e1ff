"""An annotated copy is saved with each sheet's XML in memory (perfxl.annotate.inmemory):
its parts must be those openpyxl's own saving writes, byte for byte, and a workbook perfxl
did not mark is saved by openpyxl's own code, temporary files and all."""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import openpyxl.worksheet._writer as sheet_writer
import pytest

import perfxl.annotate
from perfxl.annotate import annotate
from perfxl.annotate.inmemory import in_memory
from perfxl.check import CheckOptions, check_file_units
from perfxl.rulebook import default_rulebook

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
# 部门整体 workbooks with and without planted mistakes, project forms of perfxl's template and
# of the national layout, .xls (a values-only copy), several forms to a workbook.
CASES = [*sorted(SAMPLES.glob("*.xls*"))[:3], *sorted((SAMPLES / "projects").glob("p0[0-4]*.xls*"))[::4]]


def _parts(path: Path) -> dict[str, bytes]:
    """The parts of a saved workbook; docProps (which hold the time of saving) left out."""
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist() if not n.startswith("docProps/")}


@pytest.fixture
def temp_files(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The temporary files openpyxl's sheet writer creates."""
    made: list[str] = []
    real = sheet_writer.create_temporary_file

    def counting(suffix: str = "") -> str:
        made.append(name := real(suffix))
        return name

    monkeypatch.setattr(sheet_writer, "create_temporary_file", counting)
    return made


@pytest.mark.parametrize("src", CASES, ids=lambda p: p.name)
def test_a_copy_saved_in_memory_is_what_openpyxl_writes(src: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                        temp_files: list[str]) -> None:
    options = CheckOptions(default_rulebook())
    reports = check_file_units(src, options)
    annotate(reports[0], tmp_path / "fast.xlsx", rulebook=options.rulebook, others=reports[1:])
    assert temp_files == []  # no sheet went through a file of its own
    monkeypatch.setattr(perfxl.annotate, "in_memory", lambda wb: None)  # openpyxl's own saving
    annotate(reports[0], tmp_path / "plain.xlsx", rulebook=options.rulebook, others=reports[1:])
    assert temp_files  # (the reference did)
    fast, plain = _parts(tmp_path / "fast.xlsx"), _parts(tmp_path / "plain.xlsx")
    assert sorted(fast) == sorted(plain)
    assert [n for n in fast if fast[n] != plain[n]] == []


def _workbook() -> Any:
    wb = openpyxl.Workbook()
    wb.active["A1"] = "值"
    wb.create_sheet("二")["B2"] = 1.5
    return wb


def test_a_workbook_perfxl_did_not_mark_is_saved_by_openpyxl(tmp_path: Path, temp_files: list[str]) -> None:
    marked = _workbook()
    in_memory(marked)  # (installs the writer)
    marked.save(tmp_path / "marked.xlsx")
    assert temp_files == []
    _workbook().save(tmp_path / "theirs.xlsx")
    assert len(temp_files) == 2  # one per sheet: openpyxl's own writing
    assert _parts(tmp_path / "marked.xlsx") == _parts(tmp_path / "theirs.xlsx")
    assert openpyxl.load_workbook(tmp_path / "marked.xlsx")["二"]["B2"].value == 1.5
