"""Checking an upload: the batch's worker processes, time limit and memory cap.

An upload is checked and annotated by :func:`perfxl.batch.process_file` — the very
function ``perfxl batch`` runs per file — in a :class:`perfxl.batch.WorkerPool` process,
so a hostile or broken file costs a worker, never the server: a worker that runs past
the rulebook's ``limits.timeout_seconds`` is killed (F901), one that dies is replaced
(F902).  Each worker caps its own address space as the batch caps its parser children.

The result is turned into a plain record for the database: counts, scores, the summary
row, and every finding with its message in Chinese and in English (a page can then be
shown in either language without the worker's objects).
"""

from __future__ import annotations

import math
import time
from pathlib import Path
from typing import Any

from perfxl.batch import FileResult, Task, WorkerPool, process_file, worst_status

__all__ = ["Checker", "check_upload", "finding_key"]

_capped = False


def check_upload(task: Task) -> FileResult:
    """:func:`perfxl.batch.process_file` in a worker whose memory is capped (once per
    process, as the batch caps the children that parse xls and ods)."""
    global _capped
    if not _capped:
        from perfxl.read.isolate import _cap_memory

        _cap_memory()
        _capped = True
    return process_file(task)


def finding_key(f: dict[str, Any]) -> str:
    """What identifies a finding across versions: code and place.  A finding whose
    figures changed but which is still at the same cell is 'still open'."""
    return f"{f['code']}@{f.get('sheet') or ''}!{f.get('cell') or ''}"


def _number(v: Any) -> Any:
    if isinstance(v, float) and not math.isfinite(v):
        return None
    return v


class Checker:
    """Checks uploads in a pool of ``jobs`` worker processes."""

    def __init__(self, rulebook: Any, jobs: int | None = None):
        from perfxl.check import CheckOptions

        self.rulebook = rulebook
        self.options = CheckOptions(rulebook)
        self.timeout = rulebook.limits.timeout_seconds
        self.pool = WorkerPool(jobs, check_upload)

    @property
    def jobs(self) -> int:
        return self.pool.jobs

    def check(self, upload: Path, annotated: Path, display_name: str) -> tuple[dict[str, Any], bool]:
        """Check ``upload`` (blocking; call it from a thread) and write its annotated copy
        to ``annotated``.  Returns the record for :meth:`Store.add_version` and whether
        the annotated copy was written."""
        started = time.monotonic()
        task = Task(index=0, path=display_name, abspath=str(upload.resolve()),
                    annotated_dest=str(annotated.resolve()), annotated_rel=annotated.name,
                    options=self.options, timeout=self.timeout)
        result = self.pool.run(task)
        elapsed = int((time.monotonic() - started) * 1000)
        return record_of(result, elapsed), bool(result.row.annotated) and annotated.exists()

    def close(self) -> None:
        self.pool.close()


def record_of(result: FileResult, check_ms: int) -> dict[str, Any]:
    """The database record of one checked file.  A workbook of several project forms is one
    record: its counts and findings are every form's, with one summary per form
    in ``summary["units"]``; the first form's stands as ``summary``, as for a 部门整体 workbook)."""
    row = result.row
    findings = []
    for _row, detail in result.units:
        for f in detail.findings:
            d = f.to_dict("zh")
            d["message_en"] = f.message("en")
            d["key"] = finding_key(d)
            findings.append(d)
    summaries = []
    for r, _detail in result.units:
        summary = r.to_dict()
        summary.pop("path", None)  # the clerk's file name is kept in its own column
        summaries.append(summary)
    return {
        "status": worst_status(result),
        "errors": sum(r.errors for r, _d in result.units),
        "warnings": sum(r.warnings for r, _d in result.units),
        "infos": sum(r.infos for r, _d in result.units),
        "unit_name": row.name,
        "year": row.year,
        "self_total": _number(row.self_total),
        "total": _number(row.total),
        "self_grade": row.self_grade,
        "grade": row.grade,
        "findings": findings,
        # Kept with the version: the first form's summary, and every form's when there are several.
        "summary": {**summaries[0], "units": summaries} if len(summaries) > 1 else summaries[0],
        "check_ms": check_ms,
    }
