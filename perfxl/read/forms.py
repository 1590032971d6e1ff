"""Reading forms (the 项目支出绩效自评表 kind): one unit per form sheet, found by its labels.

:mod:`perfxl.formlocate` says where each block stands on a sheet; this module reads the
cells it points at through the same cell reader as the 部门整体 kind (so an unreadable
cell, an error value or an uncalculated formula is the same finding on either kind) and
builds a :class:`~perfxl.model.Unit` of kind ``project`` per form.

What the national layout writes differently from perfxl's own department template is
read as what it means, not reported as a slip: the sign and unit inside 年度指标值
(``≥95%``), ``指标1：`` before an indicator's name, a weight inside the 一级 label
(``产出指标（50分）``), ``……`` rows left from the form, ``—`` in rows that do not apply.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from perfxl.codes.project import F025
from perfxl.findings import Finding, Text
from perfxl.formlocate import FormHit, TableHit, is_form, locate_form
from perfxl.model import Field, Goal, Indicator, Row, ScoreRow, Unit, unread_key
from perfxl.numbers import DASHES, fold, parse_value
from perfxl.read.indicators import _indicator_values, _Levels, _Row
from perfxl.spec import QUALITATIVE, addr
from perfxl.spec_project import FormBlock, FormPage, TableBlock, TotalBlock

if TYPE_CHECKING:  # pragma: no cover
    from perfxl.kinds import Kind
    from perfxl.read.cells import _Reader
    from perfxl.read.grids import Book

__all__ = ["read_forms", "NOT_FORM_SHEETS"]

Grid = list[list[Any]]
Range = tuple[tuple[int, int], tuple[int, int]]

# Sheets of perfxl's own project template that hold no form (never reported as skipped).
NOT_FORM_SHEETS = frozenset({"填报说明", "_perfxl"})

# '指标1：', '指标 12:' before an indicator's name (the national form's example rows).
_NUMBERED = re.compile(r"^\s*指标\s*\d+\s*[:：]\s*")
# What the form leaves in rows nobody filled: '……', '...', '。。。'.
_ELLIPSIS = frozenset({"……", "…", "...", "。。。", "......", "…………"})


def _is_dash(text: str) -> bool:
    """A lone dash (``—``, ``- -``): the form's 'does not apply'."""
    return _short_dash(text) if len(text) <= 64 else re.sub(r"\s+", "", fold(text)) in DASHES


@functools.lru_cache(maxsize=4096)
def _short_dash(text: str) -> bool:
    # Short cells repeat (dashes, units, 已完成…): each text is looked at once.
    return re.sub(r"\s+", "", fold(text)) in DASHES


def _has_unit(text: Any) -> bool:
    """Whether a value written as text carries a sign or unit ('≥95%', '14场'), not a bare number."""
    return isinstance(text, str) and re.fullmatch(r"\s*[-+]?\d+(?:\.\d+)?\s*", text) is None


def _blank_sheet(grid: Grid) -> bool:
    return all(v is None or v == "" or (v.__class__ is str and not v.strip()) for row in grid for v in row)


def read_forms(book: Book, merges: dict[str, list[Range] | None], base: Unit, make_reader: Any) -> list[Unit]:
    """Every form of ``book`` as a unit (in sheet order), each with the reader's findings
    about its own cells.  A sheet is tried against each kind read by forms
    (:data:`perfxl.kinds.KINDS` with a ``page``); sheets that hold something but no form
    get an F024 note on the first unit; no form at all leaves ``base`` unreadable (F022)."""
    from perfxl.kinds import form_kinds
    from perfxl.codes.file import F022
    from perfxl.codes.project import F024

    units: list[Unit] = []
    skipped: list[Finding] = []
    kinds = form_kinds()
    for name in book.names:
        grid = book.grids.get(name)
        if grid is None or name in NOT_FORM_SHEETS:
            continue
        for kind in kinds:
            hit = locate_form(name, grid, merges.get(name), kind.page)
            if is_form(hit):
                units.append(_unit(make_reader(), hit, base, kind))
                break
        else:
            if not _blank_sheet(grid):
                skipped.append(F024(name, None, sheet_name=name))
    if not units:  # no form anywhere: some other workbook altogether, one clear answer
        names = "、".join(book.names) or "（无）"
        base.findings.append(F022(None, None, actual=Text(names, ", ".join(book.names) or "(none)")))
        base.readable = False
        return [base]
    # What is said of the file (the guards' notes, sheets that are no form) is said once, by its first form.
    units[0].findings[:0] = base.findings
    units[0].findings.extend(skipped)
    return units


def _unit(rd: _Reader, hit: FormHit, base: Unit, kind: Kind) -> Unit:
    unit = dataclasses.replace(base, kind=kind.name, form_sheet=hit.sheet, template_id=kind.spec.template_id,
                               findings=[], profile={}, budget={}, goals=[], indicators=[],
                               scores={}, unread=set(), computed=None, meta=dict(base.meta))
    _build(rd, hit, unit, kind.page)
    # '100%', '14场' in 实际完成值 is how the national form writes a value: no note.
    value_cells = {c for i in unit.indicators for c in (i.target.cell, i.actual.cell) if c}
    unit.findings.extend(f for f in rd.findings if f.code not in kind.layout_notes
                         and not (f.code == "V001" and f.cell in value_cells and _has_unit(f.actual)))
    unit.findings.extend(rd.uncalculated_findings())
    return unit


def _build(rd: _Reader, hit: FormHit, unit: Unit, page: FormPage) -> None:
    """Fill ``unit`` block by block: labelled fields into ``profile``, fixed-row tables into
    a dict of :class:`Row` by row key, free-row tables through their model's builder, the
    total row into ``scores``."""
    sheet = hit.sheet
    # 评价年度: the title's '（2023年度）'.
    if hit.year is not None:
        r, c, year, text = hit.year
        unit.profile["year"] = Field(year, sheet, addr(r + 1, c + 1), text, "ok")
    else:
        unit.profile["year"] = Field.absent(sheet, None)
    for block in page.blocks:
        if isinstance(block, FormBlock):
            _fields(rd, hit, block, unit)
        elif isinstance(block, TableBlock):
            t = hit.table(block.role)
            if t is None:  # its cells are unknown, not empty: the rules over it stay quiet
                unit.unread.add(unread_key(sheet, block.model))
                rd.findings.append(F025(sheet, None, block=block.title,
                                        labels="、".join(c.label for c in block.columns if c.key in block.key_columns),
                                        labels_en=", ".join(c.label for c in block.columns if c.key in block.key_columns)))
            if block.rows:
                getattr(unit, block.model).update(_fixed(rd, sheet, block, t))
            else:
                setattr(unit, block.model, _FREE[block.model](rd, sheet, t) if t is not None else [])
        elif isinstance(block, TotalBlock):
            t = hit.table(block.of)
            if hit.total is not None and t is not None:
                r = hit.total[0]
                # perfxl's template sums them with formulas; others type them.
                unit.scores[block.role] = ScoreRow(block.role, block.label, r + 1, *(
                    _cell(rd, sheet, r, t.col(k), "number", computed=True) for k in block.columns))


def _fields(rd: _Reader, hit: FormHit, block: FormBlock, unit: Unit) -> None:
    sheet = hit.sheet
    for f in block.fields:
        label_at, value_at = hit.fields.get(f.key, (None, None))
        if value_at is None:
            unit.profile[f.key] = Field.absent(sheet, addr(label_at[0] + 1, label_at[1] + 2) if label_at else None)
        else:
            unit.profile[f.key] = rd.cell(sheet, value_at[0], value_at[1], "text" if f.kind == "text" else f.kind)


def _cell(rd: _Reader, sheet: str, r: int, c: int | None, kind: str, *, computed: bool = False) -> Field:
    if c is None:
        return Field.absent(sheet, None)
    return rd.cell(sheet, r, c, kind, computed=computed)


def _fixed(rd: _Reader, sheet: str, block: TableBlock, t: TableHit | None) -> dict[str, Row]:
    """A fixed-row table's rows by key.  A row the form does not have (财政专户管理资金
    appears only in some provinces' copies) is blank, not unknown: it is no part of this
    form's total.  A column the form lacks is unknown."""
    out: dict[str, Row] = {}
    for spec in block.rows:
        r = t.rows.get(spec.key) if t is not None else None
        cells: dict[str, Field] = {}
        for col in block.columns:
            if col.kind == "label":
                continue
            c = t.col(col.key) if t is not None else None
            if (r is None and t is not None) or col.key in spec.na:
                cells[col.key] = Field(None, sheet, None, None, "blank")
            elif r is None or c is None:
                cells[col.key] = Field.absent(sheet, None)
            else:
                computed = col.computed or (spec.parts != () and col.kind == "amount")
                cells[col.key] = _dash_blank(rd, sheet, r, c, _READ_AS.get(col.kind, "number"), computed)
        out[spec.key] = Row(spec.key, spec.label, None if r is None else r + 1, cells)
    return out


# How a column kind is read (choice and label columns are text; the rest numbers).
_READ_AS = {"amount": "amount", "rate": "rate", "text": "text", "choice": "text", "int": "int"}


def _dash_blank(rd: _Reader, sheet: str, r: int, c: int, kind: str, computed: bool = False) -> Field:
    """A cell read as ``kind``; a lone dash (``—``) is the form's 'does not apply': blank."""
    raw = rd.book.grids[sheet][r][c] if c < len(rd.book.grids[sheet][r]) else None
    if raw.__class__ is str and _is_dash(raw):
        return Field(None, sheet, addr(r + 1, c + 1), raw, "blank", formula=computed)
    return rd.cell(sheet, r, c, kind, computed=computed)


def _goals(rd: _Reader, sheet: str, t: TableHit) -> list[Goal]:
    """年度总体目标: one goal per row that holds a goal or a result."""
    out = []
    gc, rc = t.col("goal"), t.col("result")
    for r in t.data:
        goal = _cell(rd, sheet, r, gc, "text")
        result = _cell(rd, sheet, r, rc, "text")
        if goal.blank and result.blank:
            continue
        out.append(Goal(row=r + 1, seq=Field.absent(sheet, None), goal=goal, result=result))
    return out


class _FormTable:
    """The indicator table of a form as the department reader's row helpers see a table."""

    def __init__(self, sheet: str, t: TableHit):
        self.spec = self
        self.name = sheet
        self.cols = t.cols
        self.header = t.header

    def col(self, key: str) -> int | None:
        return self.cols.get(key)


_IN_VALUE = frozenset({"direction", "unit"})


class _FormRow(_Row):
    """The department reader's row helper over a form row; a column the form lacks reads
    as absent with no cell (there is no template column to point at)."""

    __slots__ = ()

    def read(self, key: str, kind: str) -> Field:
        c = self.cols.get(key)
        if c is not None:
            return self.rd.cell(self.name, self.r, c, kind)
        # The national form writes 指标性质 and 度量单位 inside 年度指标值: blank here,
        # filled from the value.
        return Field(None, self.name, None, None, "blank") if key in _IN_VALUE else Field.absent(self.name, None)


def _indicators(rd: _Reader, sheet: str, t: TableHit) -> list[Indicator]:
    grid = rd.book.grids[sheet]
    table = _FormTable(sheet, t)
    levels = _Levels()
    content = [t.cols[k] for k in ("name", "target", "actual", "weight", "self_score", "reason", "direction",
                                    "unit", "completion") if k in t.cols]
    out: list[Indicator] = []
    for r in t.data:
        if r >= len(grid):
            break
        row = _FormRow(rd, table, r)  # type: ignore[arg-type]
        l1 = _level(row.read("level1", "text"))
        l2 = _level(row.read("level2", "text"))
        values = [_plain(grid[r], c) for c in content]
        if all(v is None for v in values):
            levels.see(l1, l2)  # the top of a merged 一级/二级 block
            continue
        name = _name(row.read("name", "text"))
        # Told from the grid, before its cells are read: a blank number cell costs a look
        # into the sheet's XML (it might be a formula), and these rows are many.
        scored = any(c is not None and _plain(grid[r], c) is not None for c in (t.col("weight"), t.col("self_score")))
        if not scored and _not_an_indicator(name):
            continue  # a row the form offers and nobody filled, or a breakdown of the row above
        weight, self_score = row.read("weight", "number"), row.read("self_score", "number")
        l1, inh1, l2, inh2 = levels.resolve(l1, l2)
        direction, unit, target, actual, percent = _indicator_values(row)
        if direction.status in ("blank", "missing") and target.ok:
            direction, target, actual = _bare(rd, direction, target, actual)
        out.append(Indicator(
            row=r + 1, level1=l1, level2=l2, name=name, direction=direction, target=target, unit=unit,
            actual=actual, weight=weight, self_score=self_score, completion=row.read("completion", "text"),
            reason=row.read("reason", "text"), level1_inherited=inh1, level2_inherited=inh2, percent=percent,
        ))
    return out


def _bare(rd: _Reader, direction: Field, target: Field, actual: Field) -> tuple[Field, Field, Field]:
    """A target written without a sign: a number is read with the rulebook's
    ``bare_direction`` ('10次' is = 10 by default), words are 定性.  The 实际完成值 of a
    quantitative indicator must then be a number ('完成' there is V002)."""
    numeric = target.number is not None
    d = rd.rulebook.bare_direction if numeric else QUALITATIVE
    direction = Field(d, target.sheet, target.cell, target.raw, "ok", converted=True)
    if numeric and actual.ok and isinstance(actual.value, str) and actual.cell:
        actual = rd.field_from(parse_value(actual.raw, numeric=True), actual.sheet, actual.cell, actual.raw, "value")
    return direction, target, actual


def _not_an_indicator(name: Field) -> bool:
    """A row with no 分值 and no 得分 that is the form's own filler ('……', '指标3：' alone)
    or a breakdown of the indicator above it ('其中：上半年'): no indicator of its own."""
    if not name.ok or not isinstance(name.value, str):
        return name.blank
    v = re.sub(r"\s+", "", name.value)
    return v in _ELLIPSIS or _NUMBERED.sub("", v) == "" or v.startswith("其中")


def _plain(cells: list[Any], c: int) -> Any:
    v = cells[c] if c < len(cells) else None
    if v is None or (v.__class__ is str and (not v.strip() or _is_dash(v))):
        return None
    return v


def _level(f: Field) -> Field:
    """一级/二级指标 as written: '产出指标（50分）' is 产出指标 (the weight is read apart),
    '★' marks and spaces go; a dash is blank."""
    if not f.ok or not isinstance(f.value, str):
        return f
    v = _level_text(f.value)
    if v in DASHES or not v:
        return Field(None, f.sheet, f.cell, f.raw, "blank")
    return f if v == f.value else Field(v, f.sheet, f.cell, f.raw, "ok")


@functools.lru_cache(maxsize=1024)
def _level_text(text: str) -> str:
    """'产出指标（50分）★' → '产出指标' (一级/二级 labels repeat down a form and across forms)."""
    v = re.sub(r"[(（]\s*\d+(?:\.\d+)?\s*分?\s*[)）]\s*$", "", text)
    return re.sub(r"\s+", "", v.replace("★", ""))


def _name(f: Field) -> Field:
    """三级指标 without the form's '指标1：' numbering; '指标1：' alone stays as written
    (a placeholder: the rules say so)."""
    if not f.ok or not isinstance(f.value, str):
        return f
    rest = _NUMBERED.sub("", f.value)
    if rest == f.value or not rest.strip():
        return f
    return Field(rest.strip(), f.sheet, f.cell, f.raw, "ok")


# Free-row tables by the Unit attribute they fill: how their rows are read.
_FREE: dict[str, Callable[[Any, str, TableHit], list[Any]]] = {"goals": _goals, "indicators": _indicators}
