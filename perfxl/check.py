"""Checking workbooks: read → score → run the rules → one :class:`~perfxl.report.Report`.

::

    from perfxl.check import CheckOptions, check_files
    from perfxl.rulebook import default_rulebook

    report = check_files(["a.xlsx", "b.xlsx"], CheckOptions(default_rulebook()))
    report.exit_code()          # 0 clean, 1 errors, 2 an unreadable file
    report.to_dict(lang="en")   # the JSON the CLI prints

Nothing here raises for bad input: an unreadable file is a report with ``readable``
False and its F finding; an unexpected exception inside one rule becomes an F902
(internal error) finding for that file — F904 when memory ran out — and the other rules
still run (``debug=True`` re-raises instead, for development).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Sequence

from perfxl.findings import Finding, Severity, select, sort_key
from perfxl.memo import by_identity
from perfxl.report import FileReport, Report
from perfxl.rules.registry import CHECKS, Check, RuleContext
from perfxl.spec import DEPT

if TYPE_CHECKING:  # pragma: no cover
    from perfxl.model import Unit
    from perfxl.rulebook import Rulebook
    from perfxl.score import ScoreCard

__all__ = ["CheckOptions", "check_unit", "check_file", "check_file_units", "check_batch_rules", "check_files", "check_paths",
           "all_codes"]

_SHEET_ORDER: dict[str, int] = {name: i for i, name in enumerate(DEPT.sheet_names)}


@dataclass(frozen=True)
class CheckOptions:
    """How to check: the rulebook, ruff-style ``select``/``ignore`` code prefixes,
    ``strict`` (warnings fail too), the batch ``year`` when known, and ``debug`` (re-raise
    exceptions from rules instead of reporting them as F902)."""

    rulebook: Rulebook
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    strict: bool = False
    year: int | None = None
    debug: bool = field(default=False, compare=False)


def all_codes() -> list[str]:
    """Every rule code in the catalogue, in catalogue order."""
    from perfxl.catalogue import catalogue

    return [r.code for r in catalogue()]


def _off_codes(options: CheckOptions) -> set[str]:
    """The codes the rulebook switches off."""
    return {c for c, s in options.rulebook.severities.items() if s == "off"}


def _enabled(codes: Iterable[str], options: CheckOptions, off: set[str] | None = None) -> set[str]:
    """The codes that can still appear: selected, not ignored, not switched off.

    ``off`` is :func:`_off_codes` when the caller already has it (it asks once per check
    function, so it works the set out once per unit rather than once per check)."""
    if off is None:
        off = _off_codes(options)
    return {c for c in select(codes, options.select, options.ignore) if c not in off}


@by_identity
def _unit_checks(options: CheckOptions) -> list[Check]:
    """The unit-scope checks that can emit an enabled code, worked out once per options
    (a batch checks thousands of units with the same options; every check is registered
    when perfxl.rules is imported, before the first unit is checked)."""
    off = _off_codes(options)
    return [c for c in CHECKS if c.scope == "unit" and _enabled(c.codes, options, off)]


def _finish(findings: Iterable[Finding], options: CheckOptions, path: str | None) -> list[Finding]:
    """Apply the rulebook's severities and 'off', the selectors, the path; sort."""
    sev = options.rulebook.severities
    out: list[Finding] = []
    for f in findings:
        s = sev.get(f.code)
        if s == "off":
            continue
        if s is not None and s != f.severity.value:
            f = f.with_severity(Severity(s))
        if path is not None and f.path != path:
            f = f.with_path(path)
        out.append(f)
    keep = select({f.code for f in out}, options.select, options.ignore)
    out = [f for f in out if f.code in keep]
    out.sort(key=lambda f: sort_key(f, _SHEET_ORDER))
    return _dedupe(out)


def _dedupe(findings: list[Finding]) -> list[Finding]:
    # Two checks can reach the same cell for the same reason (e.g. a merged cell read on
    # several rows); one finding per (code, sheet, cell, message params) is enough.
    seen: set[tuple] = set()
    out = []
    for f in findings:
        key = (f.path, f.code, f.sheet, f.cell, repr(f.expected), repr(f.actual), repr(f.params))
        if key not in seen:
            seen.add(key)
            out.append(f)
    return out


def _internal(c: Check, e: BaseException, path: str | None) -> Finding:
    from perfxl.codes.run import failure

    f = failure(c.name, e)
    return f.with_path(path) if path else f


def _score(unit: Unit, options: CheckOptions) -> tuple[ScoreCard | None, Finding | None]:
    """The unit's score card, or None and an F902 finding when scoring failed (a bug:
    the score-based rules then stay quiet, the others still run)."""
    from perfxl.score import score_unit

    from perfxl.codes.run import failure

    try:
        return score_unit(unit, options.rulebook), None
    except Exception as e:  # a bug (F902) or out of memory (F904): named, and the other rules still run
        if options.debug:
            raise
        return None, failure("score_unit", e)


def check_unit(unit: Unit, options: CheckOptions, card: ScoreCard | None = None) -> list[Finding]:
    """The findings of one read unit: the reader's own plus every enabled rule's.

    Rulebook severity overrides and ``off`` are applied, then ``select``/``ignore``; the
    result is sorted by sheet (template order), row, column and code.  ``card`` is the
    unit's score card; it is computed here when not given.
    """
    extra: list[Finding] = []
    if card is None and unit.readable:
        card, failed = _score(unit, options)
        extra = [failed] if failed is not None else []
    return _check(unit, options, card, extra)


def _check(unit: Unit, options: CheckOptions, card: ScoreCard | None, extra: list[Finding]) -> list[Finding]:
    import perfxl.rules  # noqa: F401  (declares every rule and registers every check)

    path = str(unit.path) if unit.path is not None else None
    findings: list[Finding] = list(unit.findings) + extra
    if unit.readable:
        ctx = RuleContext(options.rulebook, card, options.year)
        for c in _unit_checks(options):
            if unit.kind not in c.kinds:
                continue
            try:
                findings.extend(c.func(unit, ctx))
            except Exception as e:
                if options.debug:
                    raise
                findings.append(_internal(c, e, path))
    return _finish(findings, options, path)


def check_file(path: str | Path, options: CheckOptions) -> FileReport:
    """Read, score and check one file: the report of its first unit (a workbook of several
    项目支出绩效自评表 forms has one per form: :func:`check_file_units`).  Never raises
    for bad input."""
    return check_file_units(path, options)[0]


def check_file_units(path: str | Path, options: CheckOptions) -> list[FileReport]:
    """Read, score and check one file: one :class:`FileReport` per unit — one for a 部门整体
    workbook or an unreadable file, one per form sheet for a workbook of project forms.
    Findings about the file as a whole (a sheet that is not a form) sit with the first.
    Never raises for bad input."""
    from perfxl.reader import read_units

    from perfxl.codes.run import failure

    p = str(path)
    try:
        units = read_units(path, rulebook=options.rulebook)
    except Exception as e:  # read_units promises not to raise; a bug must not stop a batch
        if options.debug:
            raise
        f = failure("read_units", e).with_path(p)
        return [FileReport(path=p, findings=_finish([f], options, p), readable=False)]
    reports = []
    for unit in units:
        card, failed = _score(unit, options) if unit.readable else (None, None)
        findings = _check(unit, options, card, [failed] if failed is not None else [])
        findings = [f if f.path == p else f.with_path(p) for f in findings]
        reports.append(FileReport.of_unit(p, unit, findings, card))
    return reports


def check_batch_rules(reports: list[FileReport], options: CheckOptions) -> None:
    """Run the cross-file (X) rules, appending each finding to its file's report (then
    re-sorted).  Files that could not be read take no part."""
    import perfxl.rules  # noqa: F401

    ctx = RuleContext(options.rulebook, None, options.year)
    added: dict[int, list[Finding]] = {}
    for c in CHECKS:
        if c.scope != "batch" or not _enabled(c.codes, options):
            continue
        try:
            for report, finding in c.func(reports, ctx):
                added.setdefault(id(report), []).append(finding)
        except Exception as e:
            if options.debug:
                raise
            for r in reports:
                added.setdefault(id(r), []).append(_internal(c, e, r.path))
    for r in reports:
        if id(r) in added:
            r.findings = _finish(list(r.findings) + added[id(r)], options, r.path)


def check_files(paths: Sequence[str | Path], options: CheckOptions) -> Report:
    """Check files one by one, then across them; one :class:`Report` in the given order
    (a file of several project forms gives one FileReport per form)."""
    reports = [r for p in paths for r in check_file_units(p, options)]
    _across_files(reports, options)
    return Report(files=reports, rulebook=options.rulebook)


def _across_files(reports: list[FileReport], options: CheckOptions) -> None:
    """The cross-file (X) rules over reports with their read units, each seen as a batch
    sees it: a skeleton of its summary row (:func:`perfxl.summary_rows.skeleton`), so the
    findings are those of a batch and of the check's workers."""
    from perfxl.codes.run import failure
    from perfxl.summary_rows import SummaryRow, cross_file_view

    views = []
    for i, r in enumerate(reports):
        try:
            views.append(cross_file_view(SummaryRow.from_report(r, i), r.findings))
        except Exception as e:  # a bug: this file takes no part across files, and says why (as in a batch)
            if options.debug:
                raise
            r.findings = _finish([*r.findings, failure("summary_row", e).with_path(r.path)], options, r.path)
            views.append(FileReport(path=r.path, findings=r.findings, readable=False, kind=r.kind, sheet=r.sheet))
    check_batch_rules(views, options)
    for r, v in zip(reports, views):
        r.findings = v.findings


def check_paths(inputs: Sequence[str | Path], options: CheckOptions) -> Report:
    """What ``perfxl check`` does: find the workbooks among ``inputs`` (files and folders,
    folders recursively; lock files, other file types and perfxl's own outputs are left
    out and listed in ``Report.skipped`` — :func:`perfxl.inputs.discover`), then
    :func:`check_files` them.  Raises :class:`~perfxl.inputs.InputNotFound` for a path
    that does not exist."""
    from perfxl.inputs import discover

    files, skipped = discover(inputs)
    report = check_files(files, options)
    report.skipped = skipped
    return report
