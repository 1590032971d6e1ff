"""Which files a run reads: the workbooks among the paths given, and what is left out.

``perfxl check`` and ``perfxl batch`` take the same inputs — files and folders, folders
searched recursively, the way ``ruff check .`` or ``pytest dir/`` do — and skip the same
things, each with one line saying why:

* Office/WPS lock files (``~$x.xlsx``), LibreOffice lock files (``.~lock.x.xlsx#``) and
  macOS resource files (``._x.xlsx``): not workbooks, even when named on the command line;
* files of other types (only .xlsx .xlsm .xls .ods are read);
* hidden folders (``.git``, a run's staging folder);
* perfxl's own outputs, wherever they lie: a batch writes a marker file
  (:data:`MARKER`) into its output folder listing what it wrote there; those entries are
  never inputs (one line per output folder says so), so a batch whose output folder sits
  inside its input folder — or a second batch over a folder holding the first one's
  results — does not read annotated copies as units or 汇总表.xlsx as a workbook.

A path that does not exist is a usage error naming it (:class:`InputNotFound`, exit 2).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Sequence

from perfxl.errors import UsageError

__all__ = [
    "SPREADSHEET_SUFFIXES",
    "MARKER",
    "Skipped",
    "InputNotFound",
    "NoWorkbook",
    "is_lock_file",
    "discover",
    "write_marker",
    "output_entries",
]

SPREADSHEET_SUFFIXES: tuple[str, ...] = (".xlsx", ".xlsm", ".xls", ".ods")
# Written by a batch into its output folder: which entries of that folder perfxl wrote.
MARKER = ".perfxl-output.json"
# What a batch writes, for an output folder whose marker cannot be read.
_DEFAULT_OUTPUTS = ("汇总表.xlsx", "summary.json", "findings.csv", "annotated/", "reports/", ".perfxl/")


@dataclass(frozen=True)
class Skipped:
    """An input left out of the run, and why (lock file, not a spreadsheet, …)."""

    path: str
    reason: str  # Chinese
    reason_en: str = ""

    def text(self, lang: str = "zh") -> str:
        """The reason in ``lang`` ('zh' or 'en')."""
        return self.reason_en if lang == "en" and self.reason_en else self.reason


class InputNotFound(UsageError):
    """Paths given as inputs that do not exist."""

    def __init__(self, paths: Sequence[str]):
        self.paths = list(paths)
        shown = "、".join(self.paths)
        super().__init__(f"找不到输入 {shown}（文件或文件夹不存在）",
                         message_en=f"input not found: {', '.join(self.paths)} (no such file or folder)")


class NoWorkbook(UsageError):
    """No workbook among the inputs (everything was skipped, or the folders are empty)."""

    def __init__(self, skipped: Sequence[Skipped] = ()):
        n = len(skipped)
        super().__init__("没有找到可处理的工作簿（.xlsx .xlsm .xls .ods）" + (f"；跳过 {n} 个" if n else ""),
                         message_en="no workbook found (.xlsx .xlsm .xls .ods)" + (f"; {n} skipped" if n else ""))


def is_lock_file(name: str) -> bool:
    """True for an Office/WPS (``~$x.xlsx``) or LibreOffice (``.~lock.x.xlsx#``) lock file."""
    return name.startswith("~$") or (name.startswith(".~lock.") and name.endswith("#"))


def _skip_reason(path: Path) -> tuple[str, str] | None:
    """(Chinese, English) reason to leave a file out, or None to read it."""
    name = path.name
    if is_lock_file(name):
        return ("Office/WPS 锁定文件（文件正被打开时产生，不是工作簿）",
                "Office/WPS lock file (made while the workbook is open; not a workbook)")
    if name.startswith("._"):
        return "macOS 资源文件（拷贝时产生，不是工作簿）", "macOS resource file (made when copying; not a workbook)"
    suffix = path.suffix.lower()
    if suffix not in SPREADSHEET_SUFFIXES:
        return (f"不是电子表格（扩展名 {suffix or '无'}；只处理 .xlsx .xlsm .xls .ods）",
                f"not a spreadsheet (extension {suffix or 'none'}; only .xlsx .xlsm .xls .ods are read)")
    return None


def write_marker(outdir: str | os.PathLike[str], entries: Iterable[str]) -> Path:
    """Mark ``outdir`` as a perfxl output folder: ``entries`` are the names perfxl wrote in
    it (a folder with a trailing ``/``).  Written atomically; returns its path."""
    from perfxl import __version__
    from perfxl.safe import atomic_write_text

    data = {"written_by": "perfxl", "perfxl_version": __version__,
            "note": "perfxl 写出的文件，不作为 perfxl 的输入 / perfxl's own outputs, never read as inputs",
            "outputs": sorted(set(entries))}
    return atomic_write_text(Path(outdir) / MARKER, json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def output_entries(folder: Path) -> set[str] | None:
    """The names of the entries perfxl wrote in ``folder`` (folders without their slash),
    the marker itself included; None when ``folder`` holds no marker."""
    marker = folder / MARKER
    if not marker.is_file():
        return None
    try:
        listed = json.loads(marker.read_text("utf-8")).get("outputs")
    except (OSError, ValueError, AttributeError):
        listed = None  # a damaged marker still marks the folder: assume what a batch writes
    if not isinstance(listed, list) or not all(isinstance(x, str) for x in listed):
        listed = list(_DEFAULT_OUTPUTS)
    names = {x.strip("/").split("/")[0] for x in listed if x.strip("/")}
    return names | {MARKER}


def _listed(folder: Path) -> list[str]:
    """The entries of an output folder as its marker lists them ('annotated/', …)."""
    entries = output_entries(folder) or set()
    return [n + "/" if (folder / n).is_dir() else n for n in entries]


def _own_output(path: Path) -> Path | None:
    """The output folder (marked by a batch) that ``path`` lies in, or None."""
    resolved = path.resolve()
    child = resolved
    for parent in resolved.parents:
        entries = output_entries(parent)
        if entries is not None and child.name in entries:
            return parent
        child = parent
    return None


def _own_reason(folder: Path, names: Iterable[str]) -> tuple[str, str]:
    shown = sorted(n for n in names if not n.startswith("."))  # not the marker, not .perfxl/
    listed = "、".join(shown[:4]) + ("等" if len(shown) > 4 else "")
    listed_en = ", ".join(shown[:4]) + (", …" if len(shown) > 4 else "")
    return (f"perfxl 上次运行的输出（{listed}），不作为输入",
            f"perfxl's own output from an earlier run ({listed_en}); never read as input")


def discover(inputs: Sequence[str | os.PathLike[str]], outdir: str | os.PathLike[str] | None = None
             ) -> tuple[list[Path], list[Skipped]]:
    """The workbooks among ``inputs`` (files and folders, folders recursively), sorted, and
    the paths skipped with their reasons.  See the module docstring for what is skipped.

    ``outdir`` is the output folder of the run about to start (a batch): its outputs are
    skipped too, even before it holds a marker.  A path given twice counts once.  Raises
    :class:`InputNotFound` naming every input that does not exist.
    """
    missing = [str(p) for p in map(Path, inputs) if not p.exists()]
    if missing:
        raise InputNotFound(missing)
    out = Path(outdir).resolve() if outdir is not None else None
    # This run's own outputs, by resolved path (the run may not have written a marker yet).
    this_run: set[Path] = set()
    if out is not None:
        this_run = {out / n.rstrip("/") for n in _DEFAULT_OUTPUTS} | {out / MARKER}
    found: dict[Path, Path] = {}  # resolved → as discovered
    skipped: list[Skipped] = []

    def skip(path: str, reason: tuple[str, str]) -> None:
        skipped.append(Skipped(path, *reason))

    folders: dict[Path, Path] = {}  # folder → resolved: resolved once, not once per file in it

    def resolve(p: Path) -> Path:
        """``p.resolve()``, with its folder's resolution shared by the files in it (a
        thousand files of one folder would otherwise resolve every component of its path
        a thousand times over)."""
        if p.name in ("", "..") or p.is_symlink():
            return p.resolve()
        parent = folders.get(p.parent)
        if parent is None:
            parent = folders[p.parent] = p.parent.resolve()
        return parent / p.name

    def mine(p: Path, resolved: Path) -> bool:
        """One of this run's outputs: by its name (a link into the published set) or by
        what it leads to (perfxl.publish keeps the sets in OUTDIR/.perfxl)."""
        if out is None:  # no run about to start (perfxl check): nothing is its output
            return False
        return (resolve(p.parent) / p.name) in this_run or resolved in this_run or (
            (out / ".perfxl") in resolved.parents)

    def consider(p: Path) -> None:
        reason = _skip_reason(p)
        resolved = resolve(p)
        if reason is None and mine(p, resolved):
            reason = _own_reason(p.parent, [p.name])
        if reason:
            skip(str(p), reason)
        else:
            found.setdefault(resolved, p)

    reported: set[Path] = set()  # output folders already given their one line
    for item in inputs:
        p = Path(item)
        own = _own_output(p)
        if own is not None:
            if own not in reported:
                reported.add(own)
                skip(str(p) if p.is_file() else str(p) + os.sep, _own_reason(own, _listed(own)))
            continue
        if p.is_file():
            consider(p)
            continue
        for root, dirs, files in os.walk(p):
            rootp = Path(root)
            entries = output_entries(rootp)
            if entries is not None:
                ours = [d + "/" for d in dirs if d in entries] + [f for f in files if f in entries]
                if ours and rootp.resolve() not in reported:
                    reported.add(rootp.resolve())
                    skip(str(rootp) + os.sep, _own_reason(rootp, ours))
                dirs[:] = [d for d in dirs if d not in entries]
                files = [f for f in files if f not in entries]
            keep = []
            for d in sorted(dirs):
                dp = rootp / d
                if mine(dp, dp.resolve()) or (out is not None and dp.resolve() == out):
                    if dp.resolve() == out:
                        skip(str(dp) + os.sep, ("perfxl 的输出文件夹，不作为输入", "perfxl's output folder; never read as input"))
                    else:
                        skip(str(dp) + os.sep, _own_reason(rootp, [d]))
                elif d.startswith("."):
                    if not d.startswith(".perfxl"):  # perfxl's published sets or a run's staging folder
                        skip(str(dp) + os.sep, ("隐藏文件夹", "hidden folder"))
                else:
                    keep.append(d)
            dirs[:] = keep
            for f in sorted(files):
                consider(rootp / f)
    files_sorted = sorted(found.values(), key=lambda q: (str(q).casefold(), str(q)))
    skipped.sort(key=lambda s: s.path)
    return files_sorted, skipped
