"""Building a unit: one workbook read into a :class:`~perfxl.model.Unit`.

:func:`read_unit` never raises for bad input: whatever is wrong becomes a finding in
``unit.findings`` (with sheet and cell where there is one), and ``unit.readable`` is
False when the file cannot be read as a workbook of this template at all.  It runs the
stages of :mod:`perfxl.read` in order — the guards, the grids (isolated where the format
needs it), the template kind from the ``_perfxl`` sheet, then each block located and
read — and names every failure for what it is: a refused or damaged file, a time-out,
no memory, or a bug in perfxl (F902), never one for another.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

from perfxl.codes.file import F001, F002, F007, F013, F018, F019, F020, F022
from perfxl.codes.run import F901, F904, internal_error
from perfxl.findings import Finding
from perfxl.guards import examine
from perfxl.i18n import Text
from perfxl.model import BudgetRow, ScoreRow, ThreePublicRow, Unit
from perfxl.numbers import parse_text
from perfxl.read import grids
from perfxl.read.cells import _Reader
from perfxl.read.grids import Book, ParserError, TooManyRows, _get
from perfxl.read.indicators import _read_goals, _read_indicators
from perfxl.read.forms import read_forms
from perfxl.read.isolate import ISOLATE_FORMATS, ParserCrashed, ParserTimedOut, run_isolated
from perfxl.read.locate import _after_field, _fixed_rows, _locate, _read_form, _Table
from perfxl.rulebook import Rulebook, default_rulebook
from perfxl.spec import (
    BUDGET,
    DEPT,
    GOALS,
    INDICATORS,
    PROFILE,
    SELF_SCORE,
    SPECS,
    THREE_PUBLIC,
    FormSheet,
    TableSheet,
    TemplateSpec,
)

def _read_meta(rd: _Reader, sheet: str) -> dict[str, str]:
    grid = rd.book.grids[sheet]
    meta: dict[str, str] = {}
    for r in range(len(grid)):
        k, v = _get(grid, r, 0), _get(grid, r, 1)
        if isinstance(k, str) and k.strip() and v is not None:
            meta[k.strip()] = parse_text(v).value or ""
    return meta


def _major(version: str) -> int | None:
    m = re.match(r"\s*v?(\d+)", version or "")
    return int(m.group(1)) if m else None


def _find_sheet(names: list[str], wanted: str) -> str | None:
    return wanted if wanted in names else None


def read_unit(path: str | Path, rulebook: Rulebook | None = None) -> Unit:
    """Read a workbook into a :class:`Unit` (its first, for a workbook of several project
    forms: see :func:`read_units`); never raises for bad input."""
    return read_units(path, rulebook)[0]


def read_units(path: str | Path, rulebook: Rulebook | None = None) -> list[Unit]:
    """Read a workbook into its units; never raises for bad input.

    A 部门整体 workbook is one unit; a workbook of forms (the 项目支出绩效自评表 kind) is one
    unit per form sheet (:mod:`perfxl.read.forms`).  File-level problems (refused by
    :mod:`perfxl.guards`, unreadable, wrong template) give one unit with ``readable``
    False and an F finding.  Cell-level problems are V findings at their cells, and the
    Field's ``status`` says what was wrong.
    """
    rulebook = rulebook or default_rulebook()
    p = Path(path)
    unit = Unit(path=p)
    ins = examine(p, rulebook.limits)
    unit.findings.extend(ins.findings)
    if ins.refused or ins.fmt is None:
        unit.readable = False
        return [unit]
    try:
        # Of a 部门整体 workbook only the template's sheets are parsed: 填报说明 and a clerk's
        # own extra sheets are never read, so they cost nothing (and cannot trouble the
        # parser).  Any other workbook is read whole: its forms may stand on any sheet.
        kwargs = {"by_content": not ins.extension_ok, "max_rows": rulebook.limits.max_rows,
                  "only": _template_sheets(), "marks": _dept_sheets()}
        if ins.fmt in ISOLATE_FORMATS:
            names, values, merges = run_isolated(grids.read_workbook_grids, p, timeout=rulebook.limits.timeout_seconds,
                                                 **kwargs)
        else:
            names, values, merges = grids.read_workbook_grids(p, **kwargs)
    except TooManyRows as e:
        unit.findings.append(F007(e.sheet, None, expected=rulebook.limits.max_rows, actual=e.rows, sheet_name=e.sheet))
        unit.readable = False
        return [unit]
    except ParserTimedOut:
        return [_unreadable(unit, F901(None, None, expected=rulebook.limits.timeout_seconds))]
    except MemoryError as e:
        return [_unreadable(unit, F904(None, None, detail=Text(f"读取时：{e}"[:300], f"while reading: {e}"[:300])))]
    except (ParserError, ParserCrashed) as e:  # the file cannot be parsed
        return [_unreadable(unit, _parser_failure(e))]
    except Exception as e:  # noqa: BLE001 - a bug in perfxl's own code: named as one, never a damaged file
        return [_unreadable(unit, internal_error("read_workbook_grids", e))]
    book = Book(p, ins.fmt, names, values)
    rd = _Reader(book, rulebook)
    unit.sheets = tuple(names)
    units = [unit]
    try:
        if merges is None:
            _read_book(rd, unit)
        else:
            units = read_forms(book, merges, unit, lambda: _Reader(book, rulebook))
    except MemoryError as e:
        unit.findings.append(F904(None, None, detail=Text(f"读取时：{e}"[:300], f"while reading: {e}"[:300])))
        unit.readable, units = False, [unit]
    except Exception as e:  # noqa: BLE001 - a bug in perfxl's reader: F902 says so (the file may be fine)
        unit.findings.append(internal_error("read_unit", e))
        unit.readable, units = False, [unit]
    finally:
        if book._probe is not None:
            book._probe.close()
    if merges is None or not unit.readable:
        unit.findings.extend(_without_text_consequences(unit, rd.findings, rulebook))
        unit.findings.extend(rd.uncalculated_findings())
    return units


def _unreadable(unit: Unit, finding: Finding) -> Unit:
    unit.findings.append(finding)
    unit.readable = False
    return unit


def _without_text_consequences(unit: Unit, findings: list[Finding], rulebook: Rulebook) -> list[Finding]:
    """The reader's findings less the error values (V006) that computed cells show only
    because an input they read holds text: the V001/V002 at that input says it, and a
    file never calculated — whose formulas show nothing yet — must get the same findings."""
    if not unit.readable or not any(f.code == "V006" for f in findings):
        return findings
    from perfxl.computed import values

    vals = values(unit, rulebook)
    explained: set[tuple[str, str]] = set()
    for t in vals.spec.tables:
        for c in t.computed:
            f = vals.field(t.name, c.row, c.col)
            if f is not None and f.cell and f.status == "error" and vals.depends_on_text(t.name, c.row, c.col):
                explained.add((t.name, f.cell))
    return [f for f in findings if not (f.code == "V006" and (f.sheet, f.cell) in explained)]


@functools.cache
def _dept_sheets() -> frozenset[str]:
    """The sheets that make a workbook a 部门整体 workbook (not its meta sheet: perfxl's
    project template has one too)."""
    return frozenset(s.name for s in DEPT.sheets if isinstance(s, (FormSheet, TableSheet)))


@functools.cache
def _template_sheets() -> frozenset[str]:
    """The names of every sheet the reader reads, in any template it knows."""
    return frozenset(
        name for spec in SPECS.values()
        for name in (spec.meta_sheet, *(s.name for s in spec.sheets if isinstance(s, (FormSheet, TableSheet))))
    )


def _parser_failure(e: ParserError | ParserCrashed) -> Finding:
    """The finding for a file the parser could not read: encrypted (F002) or damaged (F001)."""
    kind = e.kind if isinstance(e, ParserError) else ""
    if kind == "PasswordError" or "password" in str(e).lower() or "encrypt" in str(e).lower():
        return F002(None, None)
    return F001(None, None, detail=str(e)[:200])


def _read_book(rd: _Reader, unit: Unit) -> None:
    names = list(rd.book.names)
    # The hidden meta sheet names the template kind and version.
    spec: TemplateSpec = DEPT
    meta_name = _find_sheet(names, DEPT.meta_sheet)
    if meta_name is not None:
        unit.meta = _read_meta(rd, meta_name)
        tid = unit.meta.get("template_id")
        if tid is not None and tid not in SPECS:
            rd.findings.append(F020(meta_name, None, expected=", ".join(SPECS), actual=tid))
            unit.template_id = tid
            unit.readable = False
            return
        spec = SPECS.get(tid or DEPT.template_id, DEPT)
        unit.template_id = spec.template_id
        major = _major(unit.meta.get("template_version", ""))
        unit.template_version = major
        if major is not None and major != spec.version:
            rd.findings.append(F019(meta_name, None, expected=spec.version, actual=unit.meta.get("template_version")))
            unit.readable = False
            return
    aliases = spec.aliases

    # Sheets are found by their exact name: findings and annotations address them by it.
    present = {s.name for s in spec.sheets if s.name in names}
    if meta_name is None and not any(isinstance(s, (FormSheet, TableSheet)) and s.name in present for s in spec.sheets):
        # Some other workbook altogether: one clear answer, not a missing-sheet finding per sheet.
        rd.findings.append(F022(None, None, actual=Text("、".join(names) or "（无）", ", ".join(names) or "(none)")))
        unit.readable = False
        return
    if meta_name is None:
        rd.findings.append(F018(None, None))
    for s in spec.sheets:
        if s.name not in present and isinstance(s, (FormSheet, TableSheet)):
            rd.findings.append(F013(s.name, None, sheet_name=s.name))

    def locate(table: TableSheet) -> _Table:
        t = _locate(rd, table, table.name in present, aliases)
        if t.header is None:
            unit.unread.add(table.name)  # its cells are unknown, never empty
        return t

    # Sheets with computed cells first: an empty computed cell is what reveals a file
    # with uncalculated formulas, and then input cells are probed too.
    t = locate(BUDGET)
    for key, (row, f) in _fixed_rows(rd, t, aliases).items():
        unit.budget[key] = BudgetRow(key, BUDGET.row_spec(key).label, row, f["initial"], f["adjusted"], f["actual"],
                                     f["last_year"], f["rate"], f["change"], f["note"])

    t = locate(THREE_PUBLIC)
    for key, (row, f) in _fixed_rows(rd, t, aliases).items():
        unit.three_public[key] = ThreePublicRow(key, THREE_PUBLIC.row_spec(key).label, row, f["budget"], f["actual"],
                                                f["last_year"], f["batches"], f["persons"])
    unit.car_count = _after_field(rd, t, "car_count", aliases)

    t = locate(SELF_SCORE)
    for key, (row, f) in _fixed_rows(rd, t, aliases).items():
        unit.scores[key] = ScoreRow(key, SELF_SCORE.row_spec(key).label, row, f["weight"], f["self_score"])
    unit.grade = _after_field(rd, t, "grade", aliases)

    if PROFILE.name not in present:
        unit.unread.add(PROFILE.name)
    unit.profile = _read_form(rd, PROFILE, PROFILE.name in present, aliases)
    unit.goals = _read_goals(rd, locate(GOALS))
    unit.indicators = _read_indicators(rd, locate(INDICATORS))
