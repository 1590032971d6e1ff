"""Writing the reports: ``perfxl report`` (one draft per workbook) and ``perfxl batch
--reports`` (every draft plus the county report).

::

    import perfxl
    result = perfxl.write_reports(["自评表.xlsx"], "报告", perfxl.ReportOptions(pdf=True))
    result.drafts[0].path      # 报告/桃源县科学技术协会_2023_绩效自评报告.docx
    result.exit_code           # 0 clean, 1 a workbook has errors (its draft lists them), 2 unreadable

The stage reads as the rest of perfxl: read → check → score (the library's own calls) →
:func:`~perfxl.writeup.unit.draft_context` → render the .docx template → (PDF) → publish.
Templates are loaded and checked before any workbook is read, so a template naming an
unknown field stops the run with nothing written.  Everything is rendered into a hidden
staging folder inside the output folder and then published (:mod:`perfxl.writeup.publish`):
an edited draft is never overwritten.
"""

from __future__ import annotations

import contextlib
import multiprocessing as mp
import os
import re
import secrets
import shutil
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Sequence

from perfxl.i18n import Text
from perfxl.kinds import is_part
from perfxl.safe import unique_names
from perfxl.writeup.fields import COUNTY_FIELDS, UNIT_FIELDS
from perfxl.writeup.render import COUNTY_TEMPLATE, UNIT_TEMPLATE, ReportTemplate

if TYPE_CHECKING:  # pragma: no cover
    from perfxl.check import CheckOptions
    from perfxl.report import FileReport
    from perfxl.rulebook import Rulebook
    from perfxl.summary import SummaryRow, UnitDetail
    from perfxl.writeup.county import ProjectLine
    from perfxl.writeup.publish import Published

__all__ = [
    "REPORTS_DIR",
    "COUNTY_REPORT",
    "ReportOptions",
    "DraftResult",
    "ReportsResult",
    "write_reports",
    "write_batch_reports",
    "load_templates",
]

REPORTS_DIR = "reports"
COUNTY_REPORT = "全县部门整体支出绩效自评情况报告"
_STAGING = ".perfxl-report-"
# Below this many drafts per worker, starting worker processes costs more than it saves.
_MIN_PER_WORKER = 8


@dataclass(frozen=True)
class ReportOptions:
    """How reports are written: the templates (None: the shipped ones), PDFs too, and the
    rulebook (``perfxl report``; a batch uses its own)."""

    template: str | os.PathLike[str] | None = None
    county_template: str | os.PathLike[str] | None = None
    pdf: bool = False
    rulebook: Rulebook | None = None


@dataclass
class DraftResult:
    """One workbook's draft: where it went (None when none could be written) and why."""

    source: str
    unit: str | None
    path: Path | None = None
    pdf: Path | None = None
    status: str = "通过"  # 通过 / 需修改 / 无法读取 / 未生成
    errors: int = 0
    warnings: int = 0
    problem: str = ""  # why there is no draft (or no PDF)
    not_drafted: bool = False  # a form that gets no draft of its own (a project: its department's report covers it)


@dataclass
class ReportsResult:
    """Everything a report run wrote, and what it could not."""

    outdir: Path
    drafts: list[DraftResult] = field(default_factory=list)
    county: Path | None = None
    county_pdf: Path | None = None
    pdf_note: str = ""  # why PDFs were not (all) written
    kept: list[tuple[Path, Path]] = field(default_factory=list)  # edited drafts left alone → new name

    @property
    def written(self) -> list[Path]:
        out = [p for d in self.drafts for p in (d.path, d.pdf) if p is not None]
        return out + [p for p in (self.county, self.county_pdf) if p is not None]

    @property
    def exit_code(self) -> int:
        """0 every draft from a clean workbook; 1 a workbook has errors (its draft lists
        them first); 2 a workbook could not be read or its draft not written."""
        if any(d.path is None and not d.not_drafted for d in self.drafts):
            return 2
        return 1 if any(d.errors for d in self.drafts) else 0


def load_templates(options: ReportOptions, county: bool = False) -> tuple[ReportTemplate, ReportTemplate | None]:
    """The unit template (and the county one): read and checked, or a coded error."""
    unit = ReportTemplate.load(options.template, UNIT_TEMPLATE, UNIT_FIELDS)
    ctpl = ReportTemplate.load(options.county_template, COUNTY_TEMPLATE, COUNTY_FIELDS) if county else None
    return unit, ctpl


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    if os.name != "posix":  # os.kill(pid, 0) would end the process on Windows: assume alive
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # exists, not ours
        return True
    return True


def _staging(outdir: Path) -> Path:
    """A fresh hidden work folder in ``outdir`` (same file system: moves are atomic); the
    folders of runs that were killed are removed first."""
    for old in outdir.glob(f"{_STAGING}*"):
        m = re.match(re.escape(_STAGING) + r"(\d+)-", old.name)
        if m and old.is_dir() and not old.is_symlink() and not _alive(int(m.group(1))):
            shutil.rmtree(old, ignore_errors=True)
    d = outdir / f"{_STAGING}{os.getpid()}-{secrets.token_hex(6)}"
    d.mkdir(parents=True)
    return d


def _draft(report: FileReport, template: ReportTemplate, rulebook: Rulebook, dest: Path) -> None:
    from perfxl.writeup.unit import draft_context

    template.write(draft_context(report, rulebook), dest)


def _internal(e: BaseException) -> str:
    return f"perfxl 内部错误，未生成报告 / internal error, no draft written: {type(e).__name__}: {e}"[:400]


def _pdfs(staged: Sequence[Path], result: ReportsResult) -> dict[Path, Path]:
    """PDFs of the staged documents (staged path → its PDF); notes what failed."""
    from perfxl.writeup.pdf import NO_SOFFICE, find_soffice, to_pdf

    if find_soffice() is None:
        result.pdf_note = NO_SOFFICE
        return {}
    conv = to_pdf(staged)
    if conv.failed:
        result.pdf_note = f"{len(conv.failed)} 份未能转换为 PDF / not converted: {conv.failed[0][1]}"
    return {p.with_suffix(".docx"): p for p in conv.written}


def _publish(groups: list[list[Path]], outdir: Path, prune: bool, result: ReportsResult) -> dict[Path, Path]:
    """Publish staged groups; returns staged path → final path."""
    from perfxl.writeup.publish import publish

    pub: Published = publish(groups, outdir, prune=prune)
    result.kept.extend(pub.kept)
    flat = [p for g in groups for p in g]
    return dict(zip(flat, pub.written))


def write_reports(inputs: Sequence[str | os.PathLike[str]], outdir: str | os.PathLike[str] = ".",
                  options: ReportOptions | None = None) -> ReportsResult:
    """``perfxl report``: check each workbook and write its 自评报告 draft into ``outdir``
    as ``<单位>_<年度>_绩效自评报告.docx`` (and a PDF with ``options.pdf``).

    Inputs are files or folders (searched as ``perfxl batch`` does).  A workbook with errors
    still gets its draft, whose first page lists what to fix; an unreadable one gets none
    (its :class:`DraftResult` says why).  Raises :class:`~perfxl.errors.UsageError` for a
    missing input and a template error for a bad ``--template``, before writing anything.
    """
    from perfxl.check import CheckOptions, check_files
    from perfxl.errors import UsageError
    from perfxl.inputs import NoWorkbook, discover
    from perfxl.rulebook import default_rulebook
    from perfxl.writeup.unit import draft_stem

    options = options or ReportOptions()
    out = Path(outdir)
    if out.exists() and not out.is_dir():
        raise UsageError("输出位置已存在且不是文件夹", message_en="the output exists and is not a folder", path=str(out))
    template, _ = load_templates(options)
    files, skipped = discover(inputs, None)
    if not files:
        raise NoWorkbook(skipped)
    rulebook = options.rulebook or default_rulebook()
    report = check_files(files, CheckOptions(rulebook))
    result = ReportsResult(out)
    readable = [fr for fr in report.files if fr.readable and fr.unit is not None and not is_part(fr.kind)]
    stems = iter(unique_names([draft_stem(fr.unit_name, fr.unit.year if fr.unit else None, fr.path)
                               for fr in readable], ""))
    out.mkdir(parents=True, exist_ok=True)
    staging = _staging(out)
    try:
        staged: dict[int, Path] = {}
        for i, fr in enumerate(report.files):
            d = DraftResult(fr.path, fr.unit_name, status=fr.status_text("zh"), errors=fr.errors, warnings=fr.warnings)
            result.drafts.append(d)
            if not (fr.readable and fr.unit is not None):
                from perfxl.summary import first_error

                d.problem = first_error(fr.findings)
                continue
            if is_part(fr.kind):  # the 自评报告 is a department's; its projects appear in it and in the county report
                d.not_drafted = True
                d.problem = Text(f"{fr.where}：项目支出绩效自评表不单独生成自评报告草稿（只为部门整体支出绩效自评表生成）",
                                 f"{fr.where}: a project form gets no draft of its own (drafts are written for the "
                                 f"overall self-evaluation workbooks)")
                continue
            dest = staging / f"{next(stems)}.docx"
            try:
                _draft(fr, template, rulebook, dest)
                staged[i] = dest
            except Exception as e:  # noqa: BLE001 - one unit's failure must not stop the others
                d.status, d.problem = "未生成", _internal(e)
        pdfs = _pdfs(list(staged.values()), result) if options.pdf and staged else {}
        groups = [[p, *([pdfs[p]] if p in pdfs else [])] for p in staged.values()]
        final = _publish(groups, out, prune=False, result=result)
        for i, p in staged.items():
            result.drafts[i].path = final.get(p)
            result.drafts[i].pdf = final.get(pdfs[p]) if p in pdfs else None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return result


# --- the batch -----------------------------------------------------------------------

_worker_state: dict[str, Any] = {}


def _init_worker(template: ReportTemplate, check_options: CheckOptions) -> None:
    _worker_state["template"], _worker_state["options"] = template, check_options


def _batch_draft(job: tuple[str, str, list[Any], str]) -> str | None:
    """Read and score one workbook and write its draft (in a worker or in-process);
    returns None, or why no draft was written."""
    from perfxl.reader import read_unit
    from perfxl.report import FileReport
    from perfxl.score import score_unit

    source, shown, findings, dest = job
    options: CheckOptions = _worker_state["options"]
    try:
        unit = read_unit(source, rulebook=options.rulebook)
        if not unit.readable:
            return "自评表无法读取 / workbook unreadable"
        report = FileReport(path=shown, findings=findings, unit=unit, score=score_unit(unit, options.rulebook))
        _draft(report, _worker_state["template"], options.rulebook, Path(dest))
    except Exception as e:  # noqa: BLE001 - one unit's failure must not stop the batch
        return _internal(e)
    return None


def _mp_context() -> Any:
    methods = mp.get_all_start_methods()
    return mp.get_context("forkserver" if "forkserver" in methods else "spawn")


def _run_drafts(jobs_list: list[tuple[str, str, list[Any], str]], template: ReportTemplate,
                check_options: CheckOptions, jobs: int) -> list[str | None]:
    workers = min(jobs, len(jobs_list) // _MIN_PER_WORKER)
    if workers <= 1:
        _init_worker(template, check_options)
        try:
            return [_batch_draft(j) for j in jobs_list]
        finally:
            _worker_state.clear()
    with ProcessPoolExecutor(max_workers=workers, mp_context=_mp_context(), initializer=_init_worker,
                             initargs=(template, check_options)) as pool:
        return list(pool.map(_batch_draft, jobs_list, chunksize=4))


def write_batch_reports(outdir: str | os.PathLike[str], rows: Sequence[SummaryRow],
                        detail: Callable[[SummaryRow], UnitDetail], sources: Sequence[str],
                        check_options: CheckOptions, options: ReportOptions | None = None, jobs: int = 1,
                        projects: Sequence[ProjectLine] = (), work: Path | None = None) -> ReportsResult:
    """``perfxl batch --reports``: each readable unit's draft and the county report, into
    ``outdir`` (the batch's ``OUTDIR/reports``).

    ``rows`` and ``detail`` are the batch's summary rows and their findings (cross-file ones
    included); ``sources[row.index]`` is the file each row was read from.  ``projects`` fill
    the county report's 项目支出 section (empty: the section is left out).  ``work`` is a
    folder on the same file system to render in (the batch's staging folder); by default a
    hidden one inside ``outdir``.
    """
    from perfxl.summary import STATUS_UNREADABLE
    from perfxl.writeup.county import county_context
    from perfxl.writeup.unit import draft_stem

    from perfxl.writeup.county import ProjectLine

    options = options or ReportOptions()
    template, county_tpl = load_templates(options, county=True)
    assert county_tpl is not None
    out = Path(outdir)
    result = ReportsResult(out)
    # The drafts and the county report's units are the 部门整体 units; project forms fill
    # the county report's 项目支出 section (their own 自评报告 is not drafted here).
    if not projects:
        projects = [ProjectLine.of_row(r) for r in sorted(rows, key=lambda r: r.key) if is_part(r.kind)
                    and r.status != STATUS_UNREADABLE]
    ordered = sorted((r for r in rows if not is_part(r.kind)), key=lambda r: r.key)
    readable = [r for r in ordered if r.status != STATUS_UNREADABLE]
    stems = unique_names([draft_stem(r.name, r.year, r.path) for r in readable], "")
    out.mkdir(parents=True, exist_ok=True)
    staging = _staging(work if work is not None else out)
    try:
        jobs_list = [(sources[r.index], r.path, list(detail(r).findings), str(staging / f"{stem}.docx"))
                     for r, stem in zip(readable, stems)]
        problems = _run_drafts(jobs_list, template, check_options, jobs)
        staged: dict[Path, DraftResult] = {}
        for r, job, problem in zip(readable, jobs_list, problems):
            d = DraftResult(r.path, r.name, status=r.status, errors=r.errors, warnings=r.warnings)
            if problem is None:
                staged[Path(job[3])] = d
            else:
                d.status, d.problem = "未生成", problem
            result.drafts.append(d)
        for r in ordered:
            if r.status == STATUS_UNREADABLE:
                result.drafts.append(DraftResult(r.path, r.name, status=r.status, problem=r.note))
        county_path = staging / f"{COUNTY_REPORT}.docx"
        county_tpl.write(county_context(ordered, detail, check_options.rulebook, projects), county_path)
        docs = [*staged, county_path]
        pdfs = _pdfs(docs, result) if options.pdf else {}
        groups = [[p, *([pdfs[p]] if p in pdfs else [])] for p in docs]
        final = _publish(groups, out, prune=True, result=result)
        for p, d in staged.items():
            d.path = final.get(p)
            d.pdf = final.get(pdfs[p]) if p in pdfs else None
        result.county = final.get(county_path)
        result.county_pdf = final.get(pdfs[county_path]) if county_path in pdfs else None
    finally:
        with contextlib.suppress(OSError):
            shutil.rmtree(staging, ignore_errors=True)
    return result
