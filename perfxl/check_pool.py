"""`perfxl check` over many files, on several processes when there are many.

:func:`check_paths` and :func:`check_files` are those of :mod:`perfxl.check` with a
``jobs`` count (they sit above both it and :mod:`perfxl.batch`, whose workers they use).
The batch's workers (:mod:`perfxl.batch`: forkserver, per-file time limit, a worker that
dies or hangs named for what happened) check the files and write no copy; each sends back
its summary row and findings, small to pickle, never the read unit.  The reports are put
back in the files' order, and the cross-file rules run here on a skeleton of each unit
(name, year, credit code, 主管部门, the spending they add up), as in a batch.  So the
findings are those of checking the files one by one, and the memory of the run does not
grow with the units read.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Sequence

from perfxl.check import CheckOptions, check_batch_rules
from perfxl.errors import UsageError
from perfxl.report import Report

if TYPE_CHECKING:  # pragma: no cover
    from perfxl.batch import FileResult
    from perfxl.report import FileReport
    from perfxl.summary_rows import SummaryRow, UnitDetail

__all__ = ["check_paths", "check_files", "check_in_workers", "auto_jobs", "PARALLEL_FROM"]

# From how many files `perfxl check` uses every CPU: starting the workers costs about what
# checking 60 workbooks does (scripts/bench.py), so a clerk's few files stay in-process.
PARALLEL_FROM = 200

# A check worker imports the reader, the rules and scoring, not openpyxl.
_CHECK_PRELOAD = ("__main__", "perfxl.batch", "perfxl.check", "perfxl.read.unit", "perfxl.rules", "perfxl.score")
# A worker is replaced after this many files (a slow leak in a parser stays bounded).  A
# file costs a check worker a thirtieth of what it costs a batch worker, so replacing it
# as often as the batch's (each new one starts cold: about 80 ms) would cost a tenth of
# the run.
_FILES_PER_WORKER = 2000


def check_paths(inputs: Sequence[str | Path], options: CheckOptions, jobs: int | None = 1) -> Report:
    """What ``perfxl check`` does: :func:`perfxl.check.check_paths` on ``jobs`` processes
    (None: :func:`auto_jobs`)."""
    from perfxl.inputs import discover

    files, skipped = discover(inputs)
    report = check_files(files, options, jobs)
    report.skipped = skipped
    return report


def check_files(paths: Sequence[str | Path], options: CheckOptions, jobs: int | None = 1) -> Report:
    """:func:`perfxl.check.check_files` on ``jobs`` worker processes (None: every CPU for
    a large run).  With more than one the findings are the same; each report's unit is a
    skeleton of what the cross-file rules compare, and its score card is not kept.
    ``options.debug`` checks in-process (a bug then shows its traceback)."""
    from perfxl import check

    if jobs is None:
        jobs = auto_jobs(len(paths))
    if jobs < 1:
        raise UsageError(f"--jobs 必须 ≥ 1，得到 {jobs}", message_en=f"--jobs must be at least 1, got {jobs}")
    if jobs == 1 or len(paths) < 2 or options.debug:
        return check.check_files(paths, options)
    reports = check_in_workers(paths, options, jobs)
    check_batch_rules(reports, options)
    return Report(files=reports, rulebook=options.rulebook)


def auto_jobs(n_files: int) -> int:
    """The processes `perfxl check` uses for ``n_files`` files when not told: every CPU it
    may use for a large run, one otherwise."""
    from perfxl.batch import _default_jobs

    return _default_jobs() if n_files >= PARALLEL_FROM else 1


def check_in_workers(paths: Sequence[str | Path], options: CheckOptions, jobs: int) -> list[FileReport]:
    """One report per unit of each file, in the files' order, checked on ``jobs`` worker
    processes.  Each report holds the findings and a skeleton unit (see the module); its
    score card is not sent back."""
    from perfxl.batch import Task, _run_pool, process_file

    timeout = options.rulebook.limits.timeout_seconds
    tasks = [Task(index=i, path=str(p), abspath=str(Path(p).resolve()), annotated_dest=None, annotated_rel=None,
                  options=options, timeout=timeout, score_card=False) for i, p in enumerate(paths)]
    results: dict[int, FileResult] = {}

    def deliver(result: FileResult) -> None:
        results[result.row.index] = result

    _run_pool(tasks, jobs, process_file, deliver, preload=_CHECK_PRELOAD, limit=_FILES_PER_WORKER,
              fork=_may_fork())
    return [_report(row, detail) for i in range(len(tasks)) for row, detail in results[i].units]


def _may_fork() -> bool:
    """Whether the check's workers can be forked from this process: a process with one
    thread (a fork copies no other thread's half-held lock) on a system that forks.  Forked
    workers start with this process's imports, where the forkserver's import them again
    first (about half a second before the first file); a caller's process with threads gets
    the forkserver, as the batch always does (its progress bar is a thread)."""
    import multiprocessing as mp
    import threading

    return threading.active_count() == 1 and "fork" in mp.get_all_start_methods()


def _report(row: SummaryRow, detail: UnitDetail) -> FileReport:
    from perfxl.summary_rows import cross_file_view

    p = row.path
    return cross_file_view(row, [f if f.path == p else f.with_path(p) for f in detail.findings])
