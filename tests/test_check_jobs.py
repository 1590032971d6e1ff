"""`perfxl check` on several processes (--jobs): the same findings, in the same order, as
checking the files one by one — cross-file findings included — and a usage error for a
count below one."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from _cli import run
from perfxl.check import CheckOptions
from perfxl.check_pool import PARALLEL_FROM, auto_jobs, check_paths
from perfxl.rulebook import default_rulebook

SAMPLES = Path(__file__).resolve().parent.parent / "samples"


@pytest.fixture(scope="module")
def inbox(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two copies of one 部门整体 workbook (the same unit twice), two others, a workbook of
    project forms whose department sent nothing, and a file that is no workbook."""
    d = tmp_path_factory.mktemp("inbox")
    dept = sorted(SAMPLES.glob("0*.xlsx"))
    shutil.copy(dept[0], d / "a.xlsx")
    shutil.copy(dept[0], d / "a-again.xlsx")
    for f in dept[1:3]:
        shutil.copy(f, d / f.name)
    shutil.copy(sorted((SAMPLES / "projects").glob("p0*.xlsx"))[-1], d / "projects.xlsx")
    (d / "broken.xlsx").write_bytes(b"PK\x03\x04 not a zip")
    return d


def test_several_processes_find_what_one_finds(inbox: Path, monkeypatch: pytest.MonkeyPatch,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    one = run(monkeypatch, capsys, "check", "--format", "json", "--year", "2022", "-j", "1", inbox)
    two = run(monkeypatch, capsys, "check", "--format", "json", "--year", "2022", "-j", "2", inbox)
    assert two == one
    code, out, _err = one
    assert code == 2  # broken.xlsx cannot be read
    codes = [f["code"] for file in json.loads(out)["files"] for f in file["findings"]]
    assert {"X001", "X003", "X005", "F001"} <= set(codes)  # cross-file findings made from the workers' results
    text_one = run(monkeypatch, capsys, "check", "--year", "2022", "-j", "1", inbox)
    assert run(monkeypatch, capsys, "check", "--year", "2022", "-j", "2", inbox) == text_one


def test_a_report_from_the_workers_carries_a_skeleton_of_its_unit(inbox: Path) -> None:
    opts = CheckOptions(default_rulebook())
    alone = check_paths([inbox], opts)
    pooled = check_paths([inbox], opts, jobs=2)
    assert [r.to_dict() for r in pooled.files] == [r.to_dict() for r in alone.files]
    full = next(r for r in alone.files if r.readable and r.kind == "dept")
    light = next(r for r in pooled.files if r.path == full.path)
    assert full.unit.indicators and full.score is not None
    assert light.unit.name == full.unit.name and not light.unit.indicators and light.score is None


def test_a_check_worker_sends_no_score_card_a_batch_worker_does(inbox: Path) -> None:
    """`perfxl check` on workers drops the score card (it prints findings only), so the
    workers do not build it; the batch's summary needs it, and gets it."""
    from perfxl.batch import Task, process_file

    opts = CheckOptions(default_rulebook())
    path = str(inbox / "a.xlsx")
    task = Task(index=0, path=path, abspath=path, annotated_dest=None, annotated_rel=None, options=opts)
    assert process_file(task).detail.score is not None
    light = process_file(Task(index=0, path=path, abspath=path, annotated_dest=None, annotated_rel=None,
                              options=opts, score_card=False))
    full = process_file(task)
    assert light.detail.score is None and full.row.total is not None and light.row.total == full.row.total


def test_jobs_below_one_is_a_usage_error(inbox: Path, monkeypatch: pytest.MonkeyPatch,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(monkeypatch, capsys, "check", "-j", "0", inbox)
    assert code == 2 and "--jobs" in err and out == ""


def test_a_large_run_uses_every_cpu_a_small_one_stays_in_process(monkeypatch: pytest.MonkeyPatch) -> None:
    import perfxl.batch

    monkeypatch.setattr(perfxl.batch, "_default_jobs", lambda: 8)
    assert auto_jobs(PARALLEL_FROM - 1) == 1
    assert auto_jobs(PARALLEL_FROM) == 8
    assert auto_jobs(1) == 1


def test_debug_checks_in_process(inbox: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """--debug shows tracebacks: the files are checked here, not in workers."""
    import perfxl.check_pool

    def no_workers(*args: object) -> None:
        raise AssertionError("workers started under --debug")

    monkeypatch.setattr(perfxl.check_pool, "check_in_workers", no_workers)
    report = check_paths([inbox], CheckOptions(default_rulebook(), debug=True), jobs=2)
    assert report.files and all(r.score is not None for r in report.files if r.readable)


def test_check_workers_are_forked_only_from_a_process_with_one_thread(monkeypatch) -> None:
    """Forked from a single-threaded `perfxl check` (no second import of perfxl before the
    first file); from a caller's process with a thread running, the forkserver."""
    import threading

    from perfxl.check_pool import _may_fork

    stop = threading.Event()
    t = threading.Thread(target=stop.wait)
    t.start()
    try:
        assert not _may_fork()
    finally:
        stop.set()
        t.join()
    monkeypatch.setattr(threading, "active_count", lambda: 1)  # the command line's one thread
    assert _may_fork()
