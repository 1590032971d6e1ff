"""Every failure is named for what it is (issue 11, points 6–8): a time-out is F901, memory
exhaustion F904, a bug in perfxl F902 — never F001 "文件已损坏", which is only for a file
the parser really cannot read — in every mode, and nothing is swallowed silently."""

from __future__ import annotations

import dataclasses
import os
import time
from pathlib import Path
from typing import Any

import pytest

import perfxl.read.grids as grids
import perfxl.read.unit as reader_unit
import perfxl.score  # noqa: F401 - imported before any test patches what it imports by name
from perfxl.batch import BatchOptions, Task, process_file, run_batch
from perfxl.check import CheckOptions, check_file
from perfxl.reader import read_unit
from perfxl.rulebook import default_rulebook

RB = default_rulebook()
ROOT = Path(__file__).resolve().parent.parent
XLS = ROOT / "tests" / "data" / "formats" / "000_桃源县科学技术协会.xls"
needs_fork = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")


@pytest.fixture
def seed(make_xlsx, seed_data) -> Path:
    return make_xlsx(seed_data, name="seed.xlsx")


def codes(findings) -> list[str]:
    return [f.code for f in findings]


def _fast_rulebook(seconds: float):
    return dataclasses.replace(RB, limits=dataclasses.replace(RB.limits, timeout_seconds=seconds))


# --- time-outs: F901 -------------------------------------------------------------------


def test_a_time_out_inside_the_reader_with_jobs_1_is_f901(seed: Path, tmp_path: Path, monkeypatch) -> None:
    """The batch's SIGALRM fires while calamine reads: a time-out, not a damaged file."""
    monkeypatch.setattr(grids, "read_workbook_grids", lambda *a, **k: time.sleep(30))
    started = time.monotonic()
    result = run_batch([seed], tmp_path / "out", BatchOptions(jobs=1, timeout=1))
    assert time.monotonic() - started < 20
    (row,) = result.rows
    assert row.status == "无法读取" and row.note.startswith("F901"), row.note


@needs_fork
def test_the_isolated_parser_running_out_of_time_is_f901(monkeypatch) -> None:
    monkeypatch.setattr(grids, "read_workbook_grids", lambda *a, **k: time.sleep(30))
    u = read_unit(XLS, _fast_rulebook(1))
    assert codes(u.findings) == ["F901"] and not u.readable


# --- memory: F904 ----------------------------------------------------------------------


def _no_memory(*a: Any, **k: Any) -> None:
    raise MemoryError("cannot allocate 1099511627776 bytes")


def test_memory_exhaustion_in_process_is_f904(seed: Path, monkeypatch) -> None:
    monkeypatch.setattr(grids, "read_workbook_grids", _no_memory)
    report = check_file(seed, CheckOptions(RB))
    assert codes(report.findings) == ["F904"] and not report.readable
    assert "内存不足" in report.findings[0].message("zh")


@needs_fork
def test_memory_exhaustion_in_the_isolated_parser_is_f904(monkeypatch) -> None:
    monkeypatch.setattr(grids, "read_workbook_grids", _no_memory)
    assert codes(read_unit(XLS, RB).findings) == ["F904"]


@needs_fork
def test_a_rust_allocation_failure_in_the_isolated_parser_is_f904(monkeypatch) -> None:
    """What calamine does on a failed allocation: a message on stderr, then abort."""

    def oom_abort(*a: Any, **k: Any) -> None:
        os.write(2, b"memory allocation of 1099511627776 bytes failed\n")
        os.abort()

    monkeypatch.setattr(grids, "read_workbook_grids", oom_abort)
    assert codes(read_unit(XLS, RB).findings) == ["F904"]


@needs_fork
def test_a_parser_crash_is_still_an_unreadable_file(monkeypatch) -> None:
    monkeypatch.setattr(grids, "read_workbook_grids", lambda *a, **k: os.abort())
    u = read_unit(XLS, RB)
    assert codes(u.findings) == ["F001"] and "crashed" in u.findings[0].message("en")


# --- bugs in perfxl: F902 --------------------------------------------------------------


def _bug(*a: Any, **k: Any) -> None:
    raise KeyError("a bug in perfxl")


def test_a_bug_in_the_reader_is_f902_not_a_damaged_file(seed: Path, monkeypatch) -> None:
    monkeypatch.setattr(reader_unit, "_read_goals", _bug)
    u = read_unit(seed, RB)
    assert codes(u.findings) == ["F902"] and not u.readable
    msg = u.findings[0].message("zh")
    assert "程序错误" in msg and "维护人员" in msg and "另存" not in msg
    assert "KeyError" in msg


@needs_fork
def test_a_bug_in_the_isolated_reader_is_f902(monkeypatch) -> None:
    monkeypatch.setattr(grids, "read_workbook_grids", _bug)
    assert codes(read_unit(XLS, RB).findings) == ["F902"]


def test_what_the_parser_refuses_is_f001(tmp_path: Path) -> None:
    """A file that gets past the guards but that calamine cannot parse."""
    import zipfile

    bad = tmp_path / "bad.xlsx"
    with zipfile.ZipFile(bad, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook><sheets><sheet")  # not XML
    u = read_unit(bad, RB)
    assert codes(u.findings) == ["F001"], [f.message() for f in u.findings]


# --- nothing swallowed -----------------------------------------------------------------


def _batch_codes(path: Path, out: Path) -> tuple[Any, list[str]]:
    import json

    result = run_batch([path], out, BatchOptions(jobs=1))
    (unit,) = json.loads((out / "summary.json").read_text("utf-8"))["units"]
    return result.rows[0], [f["code"] for f in unit["findings"]]


def test_a_bug_in_the_summary_row_is_reported_not_skipped(seed: Path, tmp_path: Path, monkeypatch) -> None:
    """A figure the summary cannot compute because of a bug: the file is F902, not a row
    silently missing its budget and common indicators."""
    import perfxl.common

    monkeypatch.setattr(perfxl.common, "budget_amount", _bug)
    row, found = _batch_codes(seed, tmp_path / "out")
    assert found == ["F902"] and row.status == "无法读取" and "KeyError" in row.note


def test_a_bug_in_the_summary_row_of_perfxl_check_is_f902_and_the_check_goes_on(seed: Path, make_xlsx, seed_data,
                                                                                monkeypatch) -> None:
    """`perfxl check` in one process sees each unit across files as its summary row does;
    a bug there is F902 on that file, and the other files are checked across as before."""
    from perfxl.check import check_files
    from perfxl.summary_rows import SummaryRow

    twin = make_xlsx(seed_data, name="twin.xlsx")  # the same unit again: X001 between the two
    real = SummaryRow.from_report

    def flaky(report, *a, **k):  # noqa: ANN001, ANN002, ANN003, ANN202
        if report.path.endswith("seed.xlsx"):
            raise KeyError("budget")
        return real(report, *a, **k)

    monkeypatch.setattr(SummaryRow, "from_report", flaky)
    third = make_xlsx(seed_data, name="third.xlsx")
    reports = check_files([seed, twin, third], CheckOptions(RB)).files
    assert "F902" in codes(reports[0].findings) and "KeyError" in str(reports[0].findings)
    assert "X001" in codes(reports[1].findings) and "F902" not in codes(reports[1].findings)
    with pytest.raises(KeyError):
        check_files([seed, twin], CheckOptions(RB, debug=True))


def test_a_score_card_that_cannot_be_serialised_is_a_bug_not_a_null(seed: Path, tmp_path: Path, monkeypatch) -> None:
    import perfxl.score

    monkeypatch.setattr(perfxl.score.ScoreCard, "to_dict", _bug)
    row, found = _batch_codes(seed, tmp_path / "out")
    assert found == ["F902"] and "KeyError" in row.note, (found, row.note)


def test_a_part_the_probe_cannot_read_is_said_not_read_as_nothing(make_xlsx, seed_data, monkeypatch) -> None:
    """styles.xml (or a sheet part) that cannot be read: a reader error (F902), never 95%
    silently read as 0.95 or uncalculated formulas as blank."""
    from perfxl.xmlprobe import XmlProbe

    seed_data["indicators"][0].update(target=0.95, actual=0.96, unit=None)  # the probe is asked about formats
    path = make_xlsx(seed_data)
    assert "F902" not in codes(read_unit(path, RB).findings)

    def broken(self, name):  # noqa: ANN001
        raise OSError(f"{name} could not be inflated")

    monkeypatch.setattr(XmlProbe, "_read_part", broken)
    u = read_unit(path, RB)
    assert not u.readable and codes(u.findings) == ["F902"]
    assert "could not be inflated" in u.findings[0].message("en")
