"""perfxl is a library: ``read_unit`` and ``check_files`` from several threads give the same
findings, at the same cells, as one thread (issue 11, point 10).

The shared tables perfxl fills on first use (the reader's A1 addresses) are emptied before
the threads start together, and the interpreter switches threads as often as it can, so a
race shows rather than hides.
"""

from __future__ import annotations

import sys
import threading
from pathlib import Path
from typing import Any, Callable

import pytest

import perfxl.read.cells as read_cells
from perfxl.check import CheckOptions, check_files
from perfxl.reader import read_unit
from perfxl.rulebook import default_rulebook

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
RB = default_rulebook()
THREADS = 8


def _cells(unit: Any) -> list[tuple]:
    """Every finding and the cell every value was read from."""
    out = [(f.code, f.sheet, f.cell) for f in unit.findings]
    for ind in unit.indicators:
        out += [(ind.row, k, getattr(ind, k).cell) for k in ("level1", "name", "target", "actual", "weight", "self_score")]
    for key, row in unit.budget.items():
        out += [(key, c, row.amount(c).cell) for c in ("initial", "adjusted", "actual", "last_year", "rate", "note")]
    return out


def _together(n: int, work: Callable[[int], Any]) -> list[Any]:
    """``work(i)`` for i < n in n threads released at once, switching as often as possible."""
    barrier = threading.Barrier(n)
    results: list[Any] = [None] * n
    errors: list[BaseException] = []

    def run(i: int) -> None:
        try:
            barrier.wait()
            results[i] = work(i)
        except BaseException as e:  # noqa: BLE001 - reported by the test
            errors.append(e)

    old = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(120)
    finally:
        sys.setswitchinterval(old)
    assert not errors, errors
    return results


@pytest.fixture(scope="module")
def files() -> list[Path]:
    paths = sorted(SAMPLES.glob("*.xlsx"))[:THREADS * 2]
    assert len(paths) == THREADS * 2, "run python scripts/make_samples.py"
    return paths


def test_the_shared_address_table_grows_right_under_threads() -> None:
    """The reader's A1 table, grown by many threads at once, holds each row once, in order
    (two threads appending the same row shifted every later address: row 118 read as A47)."""
    for _ in range(3):
        read_cells._A1_TABLE.clear()
        _together(THREADS, lambda i: read_cells._a1_row(1500 + i))
        assert len(read_cells._A1_TABLE) == 1500 + THREADS
        assert all(row[0] == f"A{r + 1}" and row[1] == f"B{r + 1}" for r, row in enumerate(read_cells._A1_TABLE))


@pytest.mark.parametrize("rounds", [range(5)])
def test_read_unit_from_threads_reads_every_cell_where_one_thread_does(files: list[Path], rounds) -> None:
    alone = {p: _cells(read_unit(p, RB)) for p in files}
    for _ in rounds:
        read_cells._A1_TABLE.clear()  # regrown by the threads, concurrently
        got = _together(THREADS, lambda i: [(p, _cells(read_unit(p, RB))) for p in files[i::THREADS]])
        for pairs in got:
            for p, cells in pairs:
                assert cells == alone[p], p.name


def test_check_files_from_threads_gives_the_same_report(files: list[Path]) -> None:
    options = CheckOptions(RB)

    def summary(paths: list[Path]) -> list[tuple]:
        report = check_files(paths, options)
        return [(f.path, f.code, f.sheet, f.cell, f.message("zh")) for fr in report.files for f in fr.findings]

    alone = summary(files)
    read_cells._A1_TABLE.clear()
    for got in _together(THREADS, lambda i: summary(files)):
        assert got == alone
