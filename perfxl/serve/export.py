"""The bureau's downloads: ``perfxl batch`` over the submitted versions.

The submitted version of each department is linked (hard link, else copied) into an
input folder under the department's name, and :func:`perfxl.run_batch` writes the same
outputs as ``perfxl batch`` — 汇总表.xlsx, summary.json, findings.csv, annotated/ — with
the same checks across files (the same unit twice, mixed years).  Beside them:
``explanations.csv`` (the clerks' explanations of their warnings, guarded against
formulas like every CSV perfxl writes), ``annotated.zip`` and ``all.zip`` (everything,
so the summary's links to the annotated copies work once unpacked).  Any other folder
the batch writes (such as ``reports/``) is offered as ``<folder>.zip`` too.

An export is built once per set of submitted versions, in a folder named by their
fingerprint (so the 文件 column of 汇总表 names files that exist); a marker written last
says it is complete, and a folder without it is built again.  Older exports are removed.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import os
import shutil
import threading
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

from perfxl import __version__
from perfxl.safe import atomic_path, csv_text, unique_names

from perfxl.serve.store import Store

__all__ = ["Exporter", "Export", "EXPORTS_DIR", "EXPLANATIONS_CSV"]

EXPORTS_DIR = "exports"
EXPLANATIONS_CSV = "explanations.csv"
_INPUTS = "提交"  # the submitted workbooks, named by department
_OUT = "out"
_COMPLETE = ".complete"
_ZIP_TIME = (2000, 1, 1, 0, 0, 0)  # fixed member times: the same outputs give the same zip


@dataclass(frozen=True)
class Export:
    """A built export: its fingerprint and the files that may be downloaded, by name."""

    fingerprint: str
    files: dict[str, Path]


class Exporter:
    """Builds and finds the export of the current submissions (one build at a time)."""

    def __init__(self, store: Store, rulebook: Any, jobs: int):
        self.store = store
        self.rulebook = rulebook
        self.jobs = jobs
        self.root = store.root / EXPORTS_DIR
        self._lock = threading.Lock()

    def _submitted(self) -> list[tuple[Any, Any, Any]]:
        """(department, submission, version) of every department that has submitted."""
        subs = self.store.submissions()
        out = []
        for d in self.store.departments():
            sub = subs.get(d.id)
            if sub is not None:
                v = self.store.version_by_id(sub.version_id)
                if v is not None:
                    out.append((d, sub, v))
        return out

    def fingerprint(self, submitted: Sequence[tuple[Any, Any, Any]] | None = None) -> str | None:
        """Names the set of submitted versions (and the rulebook and perfxl version that
        check them); None when nothing has been submitted."""
        submitted = self._submitted() if submitted is None else submitted
        if not submitted:
            return None
        h = hashlib.sha256(f"{__version__}|{self.rulebook.id}|{self.rulebook.source}".encode())
        for d, sub, v in submitted:
            h.update(f"|{d.id}:{d.name}:{sub.id}:{v.id}".encode())
        return h.hexdigest()[:20]

    def current(self) -> Export | None:
        """The export of the current submissions if it is already built."""
        fp = self.fingerprint()
        if fp is None:
            return None
        folder = self.root / fp
        return _listing(fp, folder) if (folder / _COMPLETE).is_file() else None

    def build(self) -> Export | None:
        """The export of the current submissions, built if needed (blocking: call it
        from a thread).  None when nothing has been submitted."""
        with self._lock:
            submitted = self._submitted()
            fp = self.fingerprint(submitted)
            if fp is None:
                return None
            folder = self.root / fp
            if not (folder / _COMPLETE).is_file():
                self._build(folder, submitted)
            self._prune(keep=fp)
            return _listing(fp, folder)

    def _build(self, folder: Path, submitted: Sequence[tuple[Any, Any, Any]]) -> None:
        from perfxl.batch import BatchOptions, run_batch

        if folder.exists():  # an interrupted build
            shutil.rmtree(folder)
        inputs = folder / _INPUTS
        inputs.mkdir(parents=True)
        names = unique_names([d.name for d, _, _ in submitted])
        for (d, sub, v), name in zip(submitted, names):
            src = self.store.path_of(v.stored)
            dest = inputs / f"{name}{src.suffix}"
            try:
                os.link(src, dest)
            except OSError:
                shutil.copyfile(src, dest)
        out = folder / _OUT
        # jobs ≥ 2: the batch then runs every file in a worker process, never in this
        # server thread (where its in-process time limit cannot work).
        # Every folder the batch adds beside annotated/ (reports/: each unit's draft and the
        # county report) is offered as a zip.
        from perfxl.writeup.run import ReportOptions

        run_batch([inputs], out, BatchOptions(jobs=max(2, self.jobs), rulebook=self.rulebook,
                                              reports=ReportOptions()))
        _write_explanations(out / EXPLANATIONS_CSV, submitted)
        _zip_folder(out / "annotated", out / "annotated.zip", "annotated")
        _zip_folder(out, out / "all.zip", "perfxl-汇总", skip_zips=True)
        for sub_dir in sorted(p for p in out.iterdir() if p.is_dir() and p.name != "annotated"):
            _zip_folder(sub_dir, out / f"{sub_dir.name}.zip", sub_dir.name)
        (folder / _COMPLETE).write_text(__version__ + "\n", encoding="utf-8")

    def _prune(self, keep: str) -> None:
        """Remove older exports and what an interrupted build left behind."""
        if not self.root.is_dir():
            return
        for p in self.root.iterdir():
            if p.name != keep and p.is_dir() and not p.is_symlink():
                shutil.rmtree(p, ignore_errors=True)


def _listing(fp: str, folder: Path) -> Export:
    """The downloadable files of an export, by name: every file at the top of its
    output folder (the batch's files, the zips), never anything below."""
    out = folder / _OUT
    files = {p.name: p for p in sorted(out.iterdir()) if p.is_file() and not p.name.startswith(".")}
    return Export(fp, files)


def _write_explanations(path: Path, submitted: Sequence[tuple[Any, Any, Any]]) -> None:
    """The clerks' explanations of their warnings, one row per warning."""
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["部门", "版本", "提交时间", "工作表", "单元格", "代码", "说明", "单位的解释"])
    for d, sub, v in submitted:
        for f in v.findings:
            if f["severity"] != "warning":
                continue
            w.writerow([csv_text(x) for x in (d.name, v.number, sub.submitted_at, f.get("sheet"), f.get("cell"),
                                              f["code"], f["message"], sub.explanations.get(f["key"], ""))])
    with atomic_path(path) as tmp:
        tmp.write_text(buf.getvalue(), encoding="utf-8-sig")


def _zip_folder(folder: Path, dest: Path, arcroot: str, skip_zips: bool = False) -> None:
    """Zip ``folder`` (sorted, fixed times) under ``arcroot/`` into ``dest``, atomically."""
    if not folder.is_dir():
        return
    with atomic_path(dest) as tmp:
        with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zf:
            for p in sorted(folder.rglob("*")):
                if not p.is_file() or p.name.startswith(".") or (skip_zips and p.suffix == ".zip"):
                    continue
                info = zipfile.ZipInfo(f"{arcroot}/{p.relative_to(folder).as_posix()}", _ZIP_TIME)
                info.compress_type = zipfile.ZIP_DEFLATED
                with contextlib.suppress(FileNotFoundError):
                    zf.writestr(info, p.read_bytes())
