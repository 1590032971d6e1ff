"""``perfxl batch``: check a folder of workbooks, annotate each, write the bureau's summary.

::

    from perfxl.batch import BatchOptions, run_batch
    result = run_batch([Path("收件箱")], Path("out"), BatchOptions(jobs=4))
    result.exit_code  # 0: every file passed; 1: a file has errors or could not be read

Steps: :func:`~perfxl.inputs.discover` the workbooks (folders recursively; lock files, other
file types and perfxl's own outputs are skipped and listed), give each a safe unique
annotated-copy name, check every file in a pool of worker processes, run the cross-file
rules, write each file's annotated copy with all its findings in the same pool, then
write 汇总表.xlsx, summary.json and findings.csv (:mod:`perfxl.summary`), swap in the new
``annotated/`` folder and mark the folder as perfxl's output (:func:`~perfxl.inputs.write_marker`).

Isolation: each file runs in a worker process; a worker that raises, crashes or runs past
the per-file time limit (the rulebook's ``limits.timeout_seconds`` or
``BatchOptions.timeout``) is killed and replaced, and the file gets an F901/F902 finding
(无法读取) — the batch always finishes.  ``jobs=1`` runs in this process, with the time
limit enforced by ``SIGALRM`` where the platform has it (best effort: a parser stuck
inside native code is interrupted only when it returns).

Memory: a worker returns a compact :class:`FileResult` (the summary row, the findings and
the score card as a dict — never the read Unit); the parent keeps only the rows and
spools the rest to a temporary file, so its memory stays flat as the batch grows.

Output is deterministic whatever order the workers finish in (everything is ordered by
input path).  The outputs are published as one set (:mod:`perfxl.publish`): a run writes
its 汇总表.xlsx, summary.json, findings.csv and annotated/ into a folder of its own under
``OUTDIR/.perfxl/runs/`` and swaps one link, so after a kill at any moment OUTDIR holds the
whole previous set or the whole new one.  The previous set's files are then removed —
only files perfxl wrote: anything else put into the set is carried into the new one, or
the run refuses to start when the new set would replace it.  What a run killed half-way
left behind is removed by the next run (and so are the ``.perfxl-run-<pid>-…`` staging
folders and ``.<name>.<hex>.tmp.<ext>`` temporaries of earlier versions).

Exit codes (:attr:`BatchResult.exit_code`): 0 when every file was read and has no error;
1 when any file has an error *or could not be read* (the batch itself completed and lists
it as 无法读取 — unlike ``perfxl check``, where an unreadable file exits 2); 2 (raised as
:class:`~perfxl.errors.UsageError`) for bad arguments, an input that does not exist, or no
workbook found at all.
"""

from __future__ import annotations

import contextlib
import dataclasses
import multiprocessing as mp
import os
import pickle
import re
import shutil
import signal
import sys
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from multiprocessing.connection import wait as mp_wait
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterator, Sequence

from perfxl.errors import UsageError
from perfxl.findings import Finding
from perfxl.inputs import SPREADSHEET_SUFFIXES, NoWorkbook, discover, is_lock_file, write_marker
from perfxl.publish import MANIFEST, STATE_DIR, Conflict, OutputSet, running
from perfxl.safe import unique_names
from perfxl.summary import (
    STATUS_FIX,
    STATUS_OK,
    STATUS_UNREADABLE,
    RunInfo,
    Skipped,
    SummaryRow,
    UnitDetail,
    rank_rows,
    write_outputs,
)

if TYPE_CHECKING:  # pragma: no cover
    from perfxl.rulebook import Rulebook
    from perfxl.writeup import ReportOptions, ReportsResult

__all__ = [
    "SPREADSHEET_SUFFIXES",
    "ANNOTATED_DIR",
    "BatchOptions",
    "BatchProgress",
    "BatchResult",
    "FileResult",
    "Task",
    "WorkerPool",
    "discover",
    "is_lock_file",
    "process_file",
    "worst_status",
    "run_batch",
    "rich_progress",
]

ANNOTATED_DIR = "annotated"
_STAGING_PREFIX = ".perfxl-run-"
# A worker process is replaced after this many files, so a slow leak in a parser cannot
# grow a long batch's memory.
_TASKS_PER_WORKER = 200


@dataclass(frozen=True)
class BatchProgress:
    """One step of a batch, for a progress display: ``done`` of ``total`` files."""

    done: int
    total: int
    path: str  # the file just finished
    status: str  # 通过 / 需修改 / 无法读取


@dataclass
class BatchOptions:
    """How a batch runs.

    ``jobs``: worker processes (None: the CPUs available; 1: in this process, no pool).
    ``rulebook``: None for the default.  ``year``: the evaluation year every file should
    have (a mismatch is a finding).  ``timeout``: seconds per file (None: the rulebook's
    ``limits.timeout_seconds``).  ``progress``: called in this process after each file.
    ``worker``: replaces :func:`process_file` (a module-level function taking a
    :class:`Task`; for tests and embedding).  ``reports``: also write each unit's 自评报告
    draft and the county report into ``OUTDIR/reports`` (:mod:`perfxl.writeup`).
    """

    jobs: int | None = None
    rulebook: Rulebook | None = None
    year: int | None = None
    timeout: float | None = None
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    progress: Callable[[BatchProgress], None] | None = None
    worker: Callable[[Task], FileResult] | None = None
    reports: ReportOptions | None = None


@dataclass(frozen=True)
class Task:
    """One file for a worker: where to read it, where to write its annotated copy."""

    index: int
    path: str  # as discovered (shown in outputs)
    abspath: str  # what the worker opens (workers may not share our working directory)
    annotated_dest: str | None  # absolute path of the annotated copy to write
    annotated_rel: str | None  # the same, relative to the output folder ('annotated/x.xlsx')
    options: Any  # perfxl.check.CheckOptions
    timeout: float | None = None
    # Findings made across files (X codes) that the annotated copy must show too: the
    # copies are written after the batch rules ran.
    extra: tuple[Finding, ...] = ()
    # Whether the result carries each unit's score card (UnitDetail.score): the summary
    # needs it; `perfxl check` on workers does not, and building it is a twentieth of
    # checking a project form.
    score_card: bool = True
    # The batch's two passes (see :func:`_carry`): the check pass writes the file's reports
    # to ``carry_out``; the copy pass reads them from ``carry_in`` instead of checking the
    # file again, when the file's (size, mtime) is still ``stamp``.
    carry_out: str | None = None
    carry_in: str | None = None
    stamp: tuple[int, int] | None = None


@dataclass
class FileResult:
    """What a worker sends back: small and picklable.  ``row`` and ``detail`` are the
    file's first unit; ``more`` the others of a workbook of several project forms."""

    row: SummaryRow
    detail: UnitDetail
    more: list[tuple[SummaryRow, UnitDetail]] = field(default_factory=list)
    # (size, modification time) of the file as the worker found it before reading it: the
    # batch compares the check's with the copy's to tell a file changed in between (F905).
    stamp: tuple[int, int] | None = None

    @property
    def units(self) -> list[tuple[SummaryRow, UnitDetail]]:
        """Every unit of the file: (summary row, detail), in the file's order."""
        return [(self.row, self.detail), *self.more]


@dataclass
class BatchResult:
    """The outcome of :func:`run_batch`."""

    outdir: Path
    rows: list[SummaryRow]  # 汇总 order: ranked, then unscored and unreadable
    skipped: list[Skipped]
    outputs: list[Path]  # 汇总表.xlsx, summary.json, findings.csv
    annotated: list[Path] = field(default_factory=list)
    elapsed: float = 0.0
    reports: ReportsResult | None = None  # with BatchOptions.reports

    @property
    def counts(self) -> dict[str, int]:
        """Files per status: 通过, 需修改, 无法读取."""
        out = {STATUS_OK: 0, STATUS_FIX: 0, STATUS_UNREADABLE: 0}
        for r in self.rows:
            out[r.status] = out.get(r.status, 0) + 1
        return out

    @property
    def exit_code(self) -> int:
        """0 every file passed; 1 a file has errors or could not be read."""
        return 0 if all(r.status == STATUS_OK for r in self.rows) else 1


# ---------------------------------------------------------------------------
# The worker
# ---------------------------------------------------------------------------


def _failure(task: Task, finding: Finding) -> FileResult:
    """The result of a file that could not be processed (timeout, crash, internal error)."""
    from perfxl.report import FileReport

    finding = finding.with_path(task.abspath)
    report = FileReport(path=task.path, findings=[finding], readable=False)
    row = SummaryRow.from_report(report, task.index)
    return FileResult(row, UnitDetail([finding], None))


def _internal_error(task: Task, exc: BaseException, where: str = "batch") -> FileResult:
    """An exception while processing the file: a bug in perfxl (F902), or out of memory (F904)."""
    from perfxl.codes.run import failure

    return _failure(task, failure(where, exc))


def _died(task: Task, exitcode: int | None, before: bool = False) -> FileResult:
    """A worker process that died under a file.  Killed by SIGKILL (not by the batch): the
    system's out-of-memory killer, almost always — its own answer (F904); any other
    death is a crash (F902).  ``before``: it had died before the file was sent to it (the
    file is not the cause; F902 says so)."""
    from perfxl.codes.run import F904

    if before:
        return _internal_error(task, RuntimeError(f"the worker process had exited (code {exitcode}) "
                                                  "before the file was sent to it"))
    if exitcode == -signal.SIGKILL:
        return _failure(task, F904(None, None, detail="处理进程被系统终止（通常是内存耗尽）the worker process was "
                                                      "killed by the system, usually for running out of memory"))
    return _internal_error(task, RuntimeError(f"worker process exited with code {exitcode}"))


def _timed_out(task: Task) -> FileResult:
    from perfxl.codes.run import F901

    return _failure(task, F901(None, None, expected=task.timeout))


def process_file(task: Task) -> FileResult:
    """Check one file and write its annotated copy (runs in a worker process).

    Never raises for a problem with the file: check errors become an F902 finding, a copy
    that cannot be written an F903 warning.  A workbook of several project forms gives one
    summary row per form (:attr:`FileResult.units`) and one annotated copy.
    """
    from perfxl.check import check_file_units
    from perfxl.codes.run import F903

    try:
        st = os.stat(task.abspath)
        stamp: tuple[int, int] | None = (st.st_size, st.st_mtime_ns)
    except OSError:
        stamp = None  # the read below names what is wrong with the path
    reports = _carried(task) if stamp is not None and stamp == task.stamp else None
    if reports is None:
        try:
            reports = check_file_units(Path(task.abspath), task.options)
        except Exception as e:  # noqa: BLE001 - one bad file must not stop the batch
            return _internal_error(task, e, "check_file")
        _carry(task, reports)
    first = reports[0]
    annotated = None
    if first.readable and task.annotated_dest:
        from perfxl.annotate import annotate  # (openpyxl: only a worker that writes copies needs it)

        try:
            # One copy of the file marks every unit's findings (every form sheet).
            annotate(first, task.annotated_dest, rulebook=getattr(task.options, "rulebook", None),
                     extra=task.extra, others=reports[1:])
            annotated = task.annotated_rel
        except Exception as e:  # noqa: BLE001 - the findings stand without the copy; F903 says what was not done
            first.findings.append(F903(None, None, detail=f"{type(e).__name__}: {e}"[:300]).with_path(task.abspath))
    units = []
    for i, report in enumerate(reports):
        report.path = task.path
        row = SummaryRow.from_report(report, task.index, annotated, unit=i)
        score = report.score.to_dict() if report.score is not None and task.score_card else None
        units.append((row, UnitDetail(list(report.findings), score)))
    return FileResult(*units[0], more=units[1:], stamp=stamp)


def _carry(task: Task, reports: list[Any]) -> None:
    """The check pass keeps the file's reports (pickled to ``task.carry_out``, in the run's
    own folder) for the copy pass, which then need not check the file again: a tenth of a
    copy's cost, paid once.  A file that cannot be written is no loss: the copy pass
    checks again."""
    if task.carry_out is None or not reports[0].readable:
        return
    with contextlib.suppress(OSError):  # (disk full): the copy pass re-checks the file
        with open(task.carry_out, "wb") as fh:
            pickle.dump(reports, fh, protocol=pickle.HIGHEST_PROTOCOL)


def _carried(task: Task) -> list[Any] | None:
    """The reports the check pass kept for this file (and the file they came from is
    removed: it is read once), or None: re-check."""
    if task.carry_in is None:
        return None
    try:
        with open(task.carry_in, "rb") as fh:
            reports = pickle.load(fh)  # noqa: S301 - written by this run's check pass, in its own folder
    except (OSError, EOFError, pickle.UnpicklingError):  # not written (see _carry), or cut short
        return None
    finally:
        with contextlib.suppress(OSError):
            os.unlink(task.carry_in)
    return reports


def worst_status(result: FileResult) -> str:
    """The status of a file of several units, for the progress display: its worst."""
    order = (STATUS_UNREADABLE, STATUS_FIX, STATUS_OK)
    return min((row.status for row, _d in result.units), key=lambda st: order.index(st) if st in order else 0)


def _call(fn: Callable[[Task], FileResult], task: Task) -> FileResult:
    """Run ``fn`` on ``task``; an exception becomes an F902 (or F904) result."""
    from perfxl.gctune import one_file

    try:
        with one_file():
            result = fn(task)
    except Exception as e:  # noqa: BLE001 - named for what it is, and the batch goes on
        return _internal_error(task, e)
    return result


def _worker_main(conn: Any, fn: Callable[[Task], FileResult]) -> None:
    """A worker process: receive tasks, send results, until told to stop (None)."""
    from perfxl.gctune import tune

    tune(freeze=True)  # its imports live as long as it does (see perfxl.gctune)
    # The parent handles Ctrl-C and terminates workers; a worker must not die of it
    # half-way through writing a copy.
    with contextlib.suppress(ValueError, OSError):
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    # Its own process group: a worker killed on time-out takes the parser child it forked
    # (perfxl.reader.run_isolated) with it.
    with contextlib.suppress(AttributeError, OSError):
        os.setpgid(0, 0)
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        result = _call(fn, task)
        try:
            conn.send(result)
        except Exception as e:  # noqa: BLE001 - e.g. an unpicklable value in a finding
            conn.send(_internal_error(task, e))


class _Timeout(BaseException):
    """Raised by SIGALRM in the in-process runner (BaseException: not caught by rules)."""


def _run_inline(tasks: Sequence[Task], fn: Callable[[Task], FileResult],
                deliver: Callable[[FileResult], None]) -> None:
    """jobs=1: run each task here; the time limit by SIGALRM where possible."""
    use_alarm = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    for task in tasks:
        if not (use_alarm and task.timeout):
            deliver(_call(fn, task))
            continue

        def on_alarm(signum: int, frame: Any) -> None:
            raise _Timeout()

        old = signal.signal(signal.SIGALRM, on_alarm)
        try:
            signal.setitimer(signal.ITIMER_REAL, task.timeout)
            try:
                result = _call(fn, task)
            finally:
                signal.setitimer(signal.ITIMER_REAL, 0)
        except _Timeout:
            result = _timed_out(task)
        finally:
            signal.signal(signal.SIGALRM, old)
        deliver(result)


class _Worker:
    """One worker process and its pipe; knows the task it is busy with."""

    def __init__(self, ctx: Any, fn: Callable[[Task], FileResult], limit: int = _TASKS_PER_WORKER):
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_worker_main, args=(child, fn), daemon=True, name="perfxl-worker")
        self.proc.start()
        child.close()
        self.task: Task | None = None
        self.deadline = float("inf")
        self.done = 0
        self.unsent = False  # the busy task could not be sent: the worker had died already
        self.limit = limit  # files before it is replaced

    def give(self, task: Task) -> None:
        self.task = task
        self.deadline = time.monotonic() + task.timeout if task.timeout else float("inf")
        self.unsent = False
        try:
            self.conn.send(task)
        except (BrokenPipeError, ConnectionResetError):
            self.unsent = True  # the worker is gone: its sentinel is ready, and outcome() says so

    def outcome(self, ready: Any, now: float) -> tuple[FileResult | None, bool]:
        """The result of the busy task once ``ready`` (from ``mp_wait``) or the clock
        says so, or None while it runs; and whether this worker must be replaced (it
        died, overran, or has done its share of files; it is then stopped)."""
        task = self.task
        assert task is not None
        result: FileResult | None = None
        replace = False
        if self.conn in ready:
            try:
                result = self.conn.recv()
            except (EOFError, OSError):  # the worker died: its pipe closed
                self.proc.join(timeout=5)
                result, replace = _died(task, self.proc.exitcode, before=self.unsent), True
            except Exception as e:  # noqa: BLE001 - a result that cannot be unpickled
                result = _internal_error(task, e)
            self.task, self.done = None, self.done + 1
            replace = replace or self.done >= self.limit
        elif self.proc.sentinel in ready:
            self.task = None
            self.proc.join(timeout=5)
            result, replace = _died(task, self.proc.exitcode, before=self.unsent), True
        elif now >= self.deadline:
            self.task = None
            self.stop(kill=True)
            result, replace = _timed_out(task), True
        if replace:
            self.stop(kill=self.proc.is_alive() and self.task is not None)
        return result, replace

    def stop(self, kill: bool = False) -> None:
        if not kill:
            with contextlib.suppress(OSError, ValueError, BrokenPipeError):
                self.conn.send(None)
            self.proc.join(timeout=5)
        if self.proc.is_alive() or kill:
            # The whole process group: the worker and any parser child it forked.
            pid = self.proc.pid
            if pid is not None and hasattr(os, "killpg"):
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.killpg(pid, signal.SIGKILL)
            if self.proc.is_alive():
                self.proc.kill()
            self.proc.join(timeout=5)
        with contextlib.suppress(OSError):
            self.conn.close()


def _default_jobs() -> int:
    """The CPUs this process may use (a container may allow fewer than the machine has)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


# What a batch worker imports on its first file; the forkserver imports it once for all.
# "__main__" (the forkserver's default, which a list of our own replaces): the program
# that started the run — the perfxl command line — is imported once there, not by every
# new worker (about 50 ms each).
BATCH_PRELOAD = ("__main__", "perfxl.batch", "perfxl.check", "perfxl.annotate", "openpyxl",
                 "perfxl.read.unit", "perfxl.rules", "perfxl.score")


def _mp_context(preload: Sequence[str] = BATCH_PRELOAD) -> Any:
    methods = mp.get_all_start_methods()
    if "forkserver" in methods:
        # forkserver: workers fork from a clean server process (no threads of ours, such
        # as the progress bar's, are copied), and the heavy imports are done once there.
        ctx = mp.get_context("forkserver")
        # Not pandas: no worker code imports it, and preloading it cost ~0.7 s of CPU per
        # batch and ~30 MB of every worker's peak RSS (scripts/bench.py).  The modules
        # check_file imports on its first call (the reader, the rules, scoring) are
        # preloaded too: a worker is replaced every _TASKS_PER_WORKER files, and each new
        # one otherwise imported them again on its first file.  (The server is started
        # once per process: the first caller's list stands.)
        ctx.set_forkserver_preload(list(preload))
        return ctx
    return mp.get_context("spawn")


def _run_pool(tasks: Sequence[Task], jobs: int, fn: Callable[[Task], FileResult],
              deliver: Callable[[FileResult], None], preload: Sequence[str] = BATCH_PRELOAD,
              limit: int = _TASKS_PER_WORKER, fork: bool = False) -> None:
    """Run tasks on ``jobs`` worker processes; kill and replace a worker past its deadline
    or after ``limit`` files.  ``deliver`` gets each result as it comes (not in task order).
    ``fork``: the workers are forked from this process (which must have no other thread)
    rather than from the forkserver."""
    ctx = mp.get_context("fork") if fork else _mp_context(preload)
    pending = deque(tasks)
    workers: list[_Worker] = []
    try:
        workers = [_Worker(ctx, fn, limit) for _ in range(min(jobs, len(tasks)))]
        while True:
            for w in workers:
                if w.task is None and pending:
                    w.give(pending.popleft())
            busy = [w for w in workers if w.task is not None]
            if not busy:
                break
            now = time.monotonic()
            wait_for = max(0.0, min(w.deadline for w in busy) - now)
            ready = set(mp_wait([w.conn for w in busy] + [w.proc.sentinel for w in busy],
                                timeout=None if wait_for == float("inf") else wait_for + 0.01))
            now = time.monotonic()
            for i, w in enumerate(workers):
                if w.task is None:
                    continue
                result, replace = w.outcome(ready, now)
                if result is not None:
                    deliver(result)
                if replace:
                    workers[i] = _Worker(ctx, fn, limit) if pending else _Idle()
    finally:
        for w in workers:
            if isinstance(w, _Worker):
                w.stop(kill=w.task is not None)


class _Idle:
    """A retired worker slot (no more work to give it)."""

    task = None
    deadline = float("inf")

    def give(self, task: Task) -> None:  # pragma: no cover - never given work
        raise RuntimeError("idle slot")


class WorkerPool:
    """Worker processes that outlive one batch, for a caller that checks files as they
    arrive (``perfxl serve``): the batch's workers, time limit and replacement rules, one
    task at a time per worker.  Thread-safe: :meth:`run` blocks its calling thread, and
    at most ``jobs`` tasks run at once (other callers wait for a free worker).

    ::

        pool = WorkerPool(2)
        result = pool.run(task)   # a FileResult; F901 on time-out, F902 if the worker died
        pool.close()
    """

    def __init__(self, jobs: int | None = None, fn: Callable[[Task], FileResult] | None = None):
        self.jobs = jobs or _default_jobs()
        self._fn = fn or process_file
        self._ctx: Any = None
        self._idle: list[_Worker] = []
        self._lock = threading.Lock()
        self._slots = threading.BoundedSemaphore(self.jobs)
        self._closed = False

    def _take(self) -> _Worker:
        with self._lock:
            if self._closed:
                raise RuntimeError("the worker pool is closed")
            if self._idle:
                return self._idle.pop()
            if self._ctx is None:
                self._ctx = _mp_context()
            ctx = self._ctx
        return _Worker(ctx, self._fn)

    def start(self) -> None:
        """Start the workers now rather than on the first task (a server's first
        upload then does not wait for the processes to start)."""
        with self._lock:
            missing = self.jobs - len(self._idle)
        started = [self._take() for _ in range(missing)]
        with self._lock:
            self._idle.extend(started)

    def run(self, task: Task) -> FileResult:
        """Run ``task`` on a free worker and return its result (never raises for the file)."""
        with self._slots:
            w = self._take()
            keep = False
            try:
                w.give(task)
                result: FileResult | None = None
                while result is None:
                    wait_for = max(0.0, w.deadline - time.monotonic())
                    ready = mp_wait([w.conn, w.proc.sentinel],
                                    timeout=None if wait_for == float("inf") else wait_for + 0.01)
                    result, replace = w.outcome(set(ready), time.monotonic())
                keep = not replace
                return result
            finally:
                with self._lock:
                    if keep and not self._closed:
                        self._idle.append(w)
                        w = None  # type: ignore[assignment]
                if w is not None:
                    w.stop(kill=w.task is not None)

    def close(self) -> None:
        """Stop the idle workers; a task still running finishes and its worker is stopped."""
        with self._lock:
            self._closed = True
            idle, self._idle = self._idle, []
        for w in idle:
            w.stop()


# ---------------------------------------------------------------------------
# The spool: findings and score cards on disk until the outputs are written
# ---------------------------------------------------------------------------


class _Spool:
    """Append-only pickles in one temporary file, read back by index."""

    def __init__(self, path: Path):
        self.fh = open(path, "w+b")  # noqa: SIM115 - closed in close()
        self.where: dict[tuple[int, int], tuple[int, int]] = {}

    def put(self, index: tuple[int, int], detail: UnitDetail) -> None:
        data = pickle.dumps(detail, protocol=pickle.HIGHEST_PROTOCOL)
        self.fh.seek(0, os.SEEK_END)
        self.where[index] = (self.fh.tell(), len(data))
        self.fh.write(data)

    def get(self, index: tuple[int, int]) -> UnitDetail:
        if index not in self.where:
            return UnitDetail()
        offset, size = self.where[index]
        self.fh.seek(offset)
        return pickle.loads(self.fh.read(size))  # noqa: S301 - our own file, written above

    def close(self) -> None:
        self.fh.close()


# ---------------------------------------------------------------------------
# The batch
# ---------------------------------------------------------------------------


def _check_options(options: BatchOptions, rulebook: Rulebook) -> Any:
    from perfxl.check import CheckOptions

    return CheckOptions(rulebook, select=tuple(options.select), ignore=tuple(options.ignore), year=options.year)


def _batch_findings(rows: list[SummaryRow], spool: _Spool, options: Any) -> dict[tuple[int, int], list[Finding]]:
    """Add findings across files (X codes: the same unit twice, mixed years, a
    department's projects against its 部门整体 workbook) to the rows; returns them by
    row key.

    The workers hold the read units; here each unit is represented by a skeleton
    (:func:`perfxl.summary_rows.skeleton`).  The findings go into the summary, the CSV and the JSON, and
    :func:`_annotate` writes them into the annotated copies of the files they concern.
    """
    from perfxl.check import check_batch_rules
    from perfxl.summary_rows import cross_file_view

    reports = [cross_file_view(row) for row in rows]
    check_batch_rules(reports, options)
    added: dict[tuple[int, int], list[Finding]] = {}
    for row, report in zip(rows, reports):
        if not report.findings:
            continue
        added[row.key] = list(report.findings)
        detail = spool.get(row.key)
        detail.findings.extend(report.findings)
        spool.put(row.key, detail)
        for f in report.findings:
            if f.severity.value == "error":
                row.errors += 1
            elif f.severity.value == "warning":
                row.warnings += 1
            else:
                row.infos += 1
        if row.status == STATUS_OK and row.errors:
            row.status = STATUS_FIX
    return added


def _annotate(rows: list[SummaryRow], added: dict[tuple[int, int], list[Finding]], tasks: Sequence[Task],
              spool: _Spool, run: Callable[[Sequence[Task], Callable[[FileResult], None]], None],
              progress: Callable[[FileResult], None], stamps: dict[int, tuple[int, int] | None]) -> None:
    """Write the annotated copy of every readable file, with the findings the cross-file
    rules added to it (``added``), so that the copy a clerk receives shows the same
    findings as the summary.

    It runs as the check did (``run``: the same workers, time limit and isolation; the
    worker takes the reports the check pass kept for the file — or checks it again when
    they are missing or the file changed since; its summary rows are those of the check,
    so it sends no score card), and nothing of a workbook is held in this process.  A
    copy that could not be written leaves the file an F903 saying why; a file whose size
    or modification time differs from the check's (``stamps``) an F905 (and its copy
    shows the file as it is now, checked again)."""
    from perfxl.codes.run import F903, F905

    first: dict[int, SummaryRow] = {}
    extra: dict[int, list[Finding]] = {}
    for row in rows:
        first.setdefault(row.index, row)
        extra.setdefault(row.index, []).extend(added.get(row.key, ()))
    todo = [dataclasses.replace(tasks[i], extra=tuple(extra[i]), score_card=False, carry_out=None,
                                carry_in=tasks[i].carry_out, stamp=stamps.get(i))
            for i, row in first.items() if row.status != STATUS_UNREADABLE]
    units: dict[int, list[SummaryRow]] = {}
    for row in rows:
        units.setdefault(row.index, []).append(row)

    def warn(index: int, finding: Finding) -> None:
        """Add a warning to the file's first unit (its summary row and spooled findings)."""
        row = first[index]
        detail = spool.get(row.key)
        detail.findings.append(finding.with_path(tasks[index].abspath))
        spool.put(row.key, detail)
        row.warnings += 1

    def deliver(result: FileResult) -> None:
        index, copy = result.row.index, result.row.annotated
        for row in units[index]:
            row.annotated = copy
        if copy is None:  # the worker says why: F903 from the copy, F901/F902/F904 from the worker
            why = next((f for f in result.detail.findings if f.code in ("F901", "F902", "F903", "F904")), None)
            reason = dict(why.params).get("detail") if why is not None and why.code == "F903" else None
            text = reason or (f"{why.code} {why.message()}" if why is not None else "unknown")
            warn(index, F903(None, None, detail=str(text)[:300]))
        before, after = stamps.get(index), result.stamp
        if before is not None and after is not None and before != after:
            warn(index, F905(None, None, detail=_stamp_change(before, after)))
        progress(result)

    run(todo, deliver)


def _stamp_change(before: tuple[int, int], after: tuple[int, int]) -> str:
    """What changed between two (size, mtime_ns) stamps, in both languages."""
    import datetime as dt

    def when(ns: int) -> str:
        return dt.datetime.fromtimestamp(ns / 1e9).strftime("%Y-%m-%d %H:%M:%S")

    size = f"{before[0]} → {after[0]} 字节 bytes"
    return f"{size}; 修改时间 modified {when(before[1])} → {when(after[1])}"


_STALE_TEMP_RE = re.compile(r"\.(.+)\.[0-9a-f]{8}\.tmp(\.\w+)")  # perfxl.safe's temporary names


def _clean_leftovers(out: Path) -> None:
    """Remove what a batch killed half-way left in ``out``: its staging folder (and the
    previous ``annotated/`` an interrupted swap set aside) and the summary files'
    temporaries, so a rerun leaves exactly its outputs.  The folder of a batch still
    running is left alone, and then so are the temporaries (they may be its own)."""
    from perfxl.summary import FINDINGS_CSV, SUMMARY_JSON, SUMMARY_XLSX

    live = False
    for d in out.glob(f"{_STAGING_PREFIX}*"):
        if d.name.startswith(_STAGING_PREFIX) and running(d.name[len(_STAGING_PREFIX):], d):
            live = True
        elif d.is_dir() and not d.is_symlink():
            shutil.rmtree(d, ignore_errors=True)
    if live:
        return
    ours = {(Path(n).stem, Path(n).suffix) for n in (SUMMARY_XLSX, SUMMARY_JSON, FINDINGS_CSV)}
    for p in out.glob(".*"):
        m = _STALE_TEMP_RE.fullmatch(p.name)
        if m and (m.group(1), m.group(2)) in ours and p.is_file():
            with contextlib.suppress(OSError):
                p.unlink()


def _seed_reports(outset: OutputSet, folder: Path) -> None:
    """Start the new set's reports/ from the published one's (the same files under second
    names): the report writer then replaces the drafts it wrote and nobody edited, keeps
    edited ones and writes the new draft beside them (perfxl.writeup.publish)."""
    current = outset.current()
    old = current / folder.name if current is not None else None
    if old is None or not old.is_dir():
        return
    for src in sorted(old.rglob("*")):
        if src.is_file():
            dest = folder / src.relative_to(old)
            dest.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.link(src, dest)
            except OSError:
                shutil.copy2(src, dest)


def _as_published(reports: Any, stage: Path, out: Path) -> Any:
    """The report paths under their published names (OUTDIR/reports/…), not the run's folder."""
    def moved(p: Path | None) -> Path | None:
        if p is None:
            return None
        try:
            return out / Path(p).relative_to(stage)
        except ValueError:
            return p

    reports.outdir = moved(reports.outdir)
    reports.county, reports.county_pdf = moved(reports.county), moved(reports.county_pdf)
    for d in reports.drafts:
        d.path, d.pdf = moved(d.path), moved(d.pdf)
    reports.kept = [(moved(a), moved(b)) for a, b in reports.kept]
    return reports


def run_batch(inputs: Sequence[str | os.PathLike[str]], outdir: str | os.PathLike[str],
              options: BatchOptions | None = None) -> BatchResult:
    """Check, score and annotate every workbook under ``inputs``; write the summary to
    ``outdir``.  See the module docstring for what is written and the exit codes."""
    from perfxl.rulebook import default_rulebook

    started = time.monotonic()
    options = options or BatchOptions()
    if options.jobs is not None and options.jobs < 1:
        raise UsageError(f"--jobs 必须 ≥ 1，得到 {options.jobs}", message_en=f"--jobs must be at least 1, got {options.jobs}")
    if options.timeout is not None and options.timeout <= 0:
        raise UsageError(f"--timeout 必须 > 0，得到 {options.timeout}",
                         message_en=f"--timeout must be positive, got {options.timeout}")
    if not inputs:
        raise UsageError("没有给出输入文件或文件夹", message_en="no input given")
    out = Path(outdir)
    if out.exists() and not out.is_dir():
        raise UsageError("输出位置已存在且不是文件夹", message_en="the output exists and is not a folder", path=str(out))
    files, skipped = discover(inputs, out)
    if not files:
        raise NoWorkbook(skipped)
    rulebook = options.rulebook or default_rulebook()
    timeout = options.timeout if options.timeout is not None else rulebook.limits.timeout_seconds
    check_options = _check_options(options, rulebook)
    jobs = options.jobs or _default_jobs()
    fn = options.worker or process_file
    if options.reports is not None:  # a bad report template stops the run before any work
        from perfxl.writeup.run import load_templates

        load_templates(options.reports, county=True)

    from perfxl.summary import FINDINGS_CSV, SUMMARY_JSON, SUMMARY_XLSX

    out.mkdir(parents=True, exist_ok=True)
    _clean_leftovers(out)
    names = unique_names([p.stem for p in files], ".xlsx")
    outset = OutputSet(out)
    try:
        stage = outset.begin({SUMMARY_XLSX, SUMMARY_JSON, FINDINGS_CSV, *(f"{ANNOTATED_DIR}/{n}" for n in names)})
    except Conflict as e:
        raise UsageError("输出文件夹中有不是 perfxl 写的文件，本次输出会覆盖它们，请先移走："
                         f"{'、'.join(map(str, e.paths))} / files perfxl did not write are in the way",
                         path=str(e.paths[0])) from None
    staged_annotated = stage / ANNOTATED_DIR
    staged_annotated.mkdir()
    carry = stage / ".carry"  # the check pass's reports for the copy pass; removed before publishing
    carry.mkdir()
    info = RunInfo.for_rulebook(rulebook, inputs=[str(p) for p in inputs], skipped=skipped, jobs=jobs,
                                timeout=timeout, year=options.year)
    tasks = [
        Task(index=i, path=str(p), abspath=str(p.resolve()),
             annotated_dest=str((staged_annotated / name).resolve()),
             annotated_rel=f"{ANNOTATED_DIR}/{name}", options=check_options, timeout=timeout,
             carry_out=str((carry / f"{i}.pickle").resolve()))
        for i, (p, name) in enumerate(zip(files, names))
    ]
    rows: dict[tuple[int, int], SummaryRow] = {}
    spool = _Spool(stage / ".spool.bin")  # not part of the set: removed before it is published
    published = False
    try:
        done: set[int] = set()

        def progress(result: FileResult) -> None:
            done.add(result.row.index)
            if options.progress is not None:
                options.progress(BatchProgress(len(done), len(tasks), result.row.path, worst_status(result)))

        stamps: dict[int, tuple[int, int] | None] = {}

        def deliver(result: FileResult) -> None:
            for row, detail in result.units:
                rows[row.key] = row
                spool.put(row.key, detail)
            stamps[result.row.index] = result.stamp
            if result.row.status == STATUS_UNREADABLE:  # no copy to write: done now
                progress(result)

        def run(todo: Sequence[Task], deliver: Callable[[FileResult], None]) -> None:
            if jobs == 1:
                _run_inline(todo, fn, deliver)
            else:
                _run_pool(todo, jobs, fn, deliver)

        # Checked first, then the cross-file rules, then each copy written once with every
        # finding: a copy is never written twice, whatever share of the files a cross-file
        # rule flags; the copy pass takes the check pass's reports (Task.carry_in) rather
        # than checking each file again.
        run([dataclasses.replace(t, annotated_dest=None, annotated_rel=None) for t in tasks], deliver)
        ordered = [rows[i] for i in sorted(rows)]
        _annotate(ordered, _batch_findings(ordered, spool, check_options), tasks, spool, run, progress, stamps)
        shutil.rmtree(carry, ignore_errors=True)  # what the copy pass did not take (a file it could not copy)
        staged = write_outputs(stage, ordered, lambda r: spool.get(r.key), info)
        reports = None
        if options.reports is not None:
            from perfxl.writeup.run import REPORTS_DIR, write_batch_reports

            _seed_reports(outset, stage / REPORTS_DIR)
            reports = write_batch_reports(stage / REPORTS_DIR, ordered, lambda r: spool.get(r.key),
                                          [t.abspath for t in tasks], check_options, options.reports, jobs,
                                          work=stage)
        spool.close()
        (stage / ".spool.bin").unlink()
        # Marks what this run writes, so no later run reads it as input (perfxl.inputs);
        # written first, so a run stopped in between still leaves its outputs marked.
        write_marker(out, [p.name + "/" if p.is_dir() else p.name
                           for p in stage.iterdir() if p.name != MANIFEST] + [STATE_DIR + "/"])
        outset.publish(stage)  # the whole new set appears at once
        published = True
        if reports is not None:
            reports = _as_published(reports, stage, out)
    finally:
        spool.close()
        if not published:
            outset.discard(stage)
    outputs = [out / p.name for p in staged]
    ranked = rank_rows(ordered)
    annotated = [out / a for a in dict.fromkeys(r.annotated for r in ordered if r.annotated)]
    return BatchResult(out, ranked, skipped, outputs, annotated, time.monotonic() - started, reports)


@contextlib.contextmanager
def rich_progress(lang: str = "zh") -> Iterator[Callable[[BatchProgress], None]]:
    """A progress callback drawing a rich bar on stderr (counts, ETA), worded in ``lang``.

    Without a terminal the bar is not drawn; the counts are then printed every 10% so a
    log still shows the batch advancing.
    """
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, \
        TimeRemainingColumn

    console = Console(stderr=True)
    if not console.is_terminal:
        last = [-1]

        def plain(ev: BatchProgress) -> None:
            step = max(1, ev.total // 10)
            if ev.done == ev.total or ev.done // step != last[0]:
                last[0] = ev.done // step
                line = f"processed {ev.done}/{ev.total}" if lang == "en" else f"已处理 {ev.done}/{ev.total}"
                print(line, file=sys.stderr, flush=True)

        yield plain
        return
    progress = Progress(
        TextColumn("[bold]checking" if lang == "en" else "[bold]校验"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        TextColumn("ETA"), TimeRemainingColumn(), TextColumn("{task.fields[last]}", markup=False),
        console=console, transient=False,
    )
    task_id = None

    def update(ev: BatchProgress) -> None:
        nonlocal task_id
        if task_id is None:
            task_id = progress.add_task("batch", total=ev.total, last="")
        # The file just finished (statuses are final only after the cross-file checks).
        progress.update(task_id, completed=ev.done, last=Path(ev.path).name[:40])

    with progress:
        yield update
