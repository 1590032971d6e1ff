"""The free tables: 年度目标 (goals) and 绩效指标 (indicators), row by row.

Free tables run from the row after their header to the last non-blank row.  Indicator
rows carry their 一级/二级 labels down merged or blank cells, and an indicator's value
cells may hold a sign or a unit (``≥10次``) that fills or contradicts its 指标性质 and
度量单位 — read here once, so that the rules see one clean value per cell.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from perfxl.codes.values import V014, V015, V016
from perfxl.i18n import Text
from perfxl.model import Field, Goal, Indicator
from perfxl.numbers import Parsed, parse_direction, parse_int, parse_text, parse_value
from perfxl.read.cells import _a1, _absent, _norm, _Reader
from perfxl.read.grids import _get, _row_blank, _span
from perfxl.read.locate import _free_rows, _Table
from perfxl.read.probe import percent_formatted
from perfxl.spec import GOALS, QUALITATIVE, addr

def _read_goals(rd: _Reader, t: _Table) -> list:
    spec = GOALS
    rows = _free_rows(rd, t, ("goal", "result"))
    out = []
    for r in rows:
        f = {}
        for col in spec.columns:
            c = t.col(col.key)
            if c is None:
                f[col.key] = _absent(spec.name, addr(r + 1, spec.col_of(col.key)))
            elif col.key == "seq":
                # 序号 is only a label ('1、', '一'): a whole number when it reads as one,
                # else kept as text — never a finding.
                raw = _get(rd.book.grids[spec.name], r, c)
                p = parse_int(raw)
                f[col.key] = (Field(p.value, spec.name, _a1(r + 1, c + 1), raw, p.status) if p.status != "invalid"
                              else Field(parse_text(raw).value, spec.name, _a1(r + 1, c + 1), raw, "ok"))
            else:
                f[col.key] = rd.cell(spec.name, r, c, col.kind)
        out.append(Goal(row=r + 1, seq=f["seq"], goal=f["goal"], result=f["result"]))
    return out


_INDICATOR_CONTENT = ("name", "direction", "target", "unit", "actual", "weight", "self_score", "completion", "reason")


class _Levels:
    """一级/二级指标 carried down merged or blank cells.

    A blank 一级 under a filled one inherits it; a blank 二级 inherits only within the same
    一级 (a new 一级 starts a new block).  Inherited fields keep the address of the cell
    that holds the text (the top of a merged block), which is where a clerk fixes it.
    """

    def __init__(self) -> None:
        self.l1: Field | None = None
        self.l2: Field | None = None

    def see(self, l1: Field, l2: Field) -> None:
        """A row that only carries labels (no indicator content)."""
        if l1.ok:
            self.l1, self.l2 = l1, None
        if l2.ok:
            self.l2 = l2

    def resolve(self, l1: Field, l2: Field) -> tuple[Field, bool, Field, bool]:
        inh1 = inh2 = False
        if l1.status == "blank" and self.l1 is not None:
            l1, inh1 = self.l1, True
        elif l1.ok:
            if self.l1 is None or l1.value != self.l1.value:
                self.l2 = None
            self.l1 = l1
        if l2.status == "blank" and self.l2 is not None:
            l2, inh2 = self.l2, True
        elif l2.ok:
            self.l2 = l2
        return l1, inh1, l2, inh2


class _Row:
    """Cell access for one indicator row (column keys → cells, template column when the
    column is missing)."""

    __slots__ = ("rd", "t", "r", "name", "cells", "cols")

    def __init__(self, rd: _Reader, t: _Table, r: int):
        self.rd, self.t, self.r = rd, t, r
        self.name = t.spec.name
        self.cells = rd.book.grids[self.name][r]  # the row exists: r comes from the grid
        self.cols = t.cols

    def raw(self, key: str) -> Any:
        c = self.cols.get(key)
        if c is None or c >= len(self.cells):
            return None
        v = self.cells[c]
        return None if v == "" else v

    def a1(self, key: str) -> str:
        c = self.cols.get(key)
        return _a1(self.r + 1, (c + 1) if c is not None else self.t.spec.col_of(key))

    def read(self, key: str, kind: str) -> Field:
        c = self.cols.get(key)
        return _absent(self.name, self.a1(key)) if c is None else self.rd.cell(self.name, self.r, c, kind)


def _read_indicators(rd: _Reader, t: _Table) -> list[Indicator]:
    out: list[Indicator] = []
    if t.header is None:
        return out
    grid = rd.book.grids[t.spec.name]
    content_cols = [t.cols[k] for k in _INDICATOR_CONTENT if k in t.cols]
    level_cols = [t.cols[k] for k in ("level1", "level2") if k in t.cols]
    content_span, level_span = _span(content_cols), _span(level_cols)
    # Most of the template's hundred rows are empty in every column: skipped at once.
    lo, hi = _span(content_cols + level_cols) or (0, 0)
    levels = _Levels()
    for r in range(t.header + 1, len(grid)):
        if hi:
            seg = grid[r][lo:hi]
            if seg.count("") == len(seg):
                continue
        if _row_blank(grid, r, content_cols, content_span):
            # Level labels on an otherwise blank row (the top of a merged block) still carry.
            if level_cols and not _row_blank(grid, r, level_cols, level_span):
                row = _Row(rd, t, r)
                levels.see(row.read("level1", "text"), row.read("level2", "text"))
            continue
        row = _Row(rd, t, r)
        l1, inh1, l2, inh2 = levels.resolve(row.read("level1", "text"), row.read("level2", "text"))
        direction, unit, target, actual, percent = _indicator_values(row)
        out.append(Indicator(
            row=r + 1, level1=l1, level2=l2, name=row.read("name", "text"), direction=direction,
            target=target, unit=unit, actual=actual, weight=row.read("weight", "number"),
            self_score=row.read("self_score", "number"), completion=row.read("completion", "text"),
            reason=row.read("reason", "text"), level1_inherited=inh1, level2_inherited=inh2, percent=percent,
        ))
    return out


def _indicator_values(row: _Row) -> tuple[Field, Field, Field, Field, bool]:
    """指标性质, 度量单位, 年度指标值, 实际完成值 and the percent flag of one row.

    A sign or unit inside a value cell (``≥10次``) fills a blank 指标性质/度量单位 (V014)
    or is compared with it (V015/V016).  Values are numbers for ≥ ≤ =, text for 定性,
    and either when the direction is unknown.
    """
    rd, name = row.rd, row.name
    draw = row.raw("direction")
    if row.t.col("direction") is None or draw is None:
        direction = row.read("direction", "text")  # missing, blank, uncalculated or error
    else:
        direction = rd.field_from(parse_direction(draw), name, row.a1("direction"), draw, "choice")
    unit = row.read("unit", "text")
    numeric = (direction.value != QUALITATIVE) if direction.ok else None

    raws = {key: row.raw(key) for key in ("target", "actual")}
    parsed = {key: parse_value(raw, numeric=numeric) for key, raw in raws.items() if raw is not None}
    for key, p in parsed.items():  # a sign in the value fills a blank 指标性质 or conflicts with it
        if p.direction is None:
            continue
        if direction.status == "blank":
            direction = Field(p.direction, name, row.a1(key), raws[key], "ok", converted=True)
            numeric = direction.value != QUALITATIVE
            parsed = {k: parse_value(raws[k], numeric=numeric) for k in parsed}
        elif direction.ok and direction.value != p.direction:
            rd.findings.append(V015(name, row.a1(key), expected=direction.value, actual=str(raws[key]).strip()))

    # Excel stores a typed 95% as 0.95 in a percent-formatted cell: read it on the written
    # scale (95, unit %), like the text '95%'.  Only xlsx shows formats, and only small
    # values can be such fractions, so the styles are looked at only then.
    from_format: set[str] = set()
    for key, p in parsed.items():
        raw = raws[key]
        if (raw.__class__ is float and numeric is not False and 0 < abs(raw) <= 1.5
                and (unit.status == "blank" or (unit.ok and unit.value == "%"))
                and percent_formatted(rd.book, name, row.a1(key))):
            parsed[key] = Parsed(round(raw * 100, 10), percent=True, unit="%")
            from_format.add(key)

    values: dict[str, Field] = {}
    percent = unit.ok and _norm(unit.value) == "%"
    for key in ("target", "actual"):
        if row.t.col(key) is None or key not in parsed:
            values[key] = row.read(key, "value")  # missing, blank, uncalculated or error
            continue
        p, raw, cell = parsed[key], raws[key], row.a1(key)
        split = [f"指标性质 {p.direction}"] if p.direction is not None else []
        if p.unit is not None and p.status == "ok" and not isinstance(p.value, str):
            percent = percent or p.percent
            if unit.status == "blank":
                unit = Field(p.unit, name, cell, raw, "ok", converted=key not in from_format)
                if key not in from_format:
                    split.append(f"度量单位 {p.unit}")
            elif unit.ok and _norm(unit.value) != _norm(p.unit):
                rd.findings.append(V016(name, cell, expected=unit.value, actual=str(raw).strip()))
        if split and p.status == "ok":
            rd.findings.append(V014(name, cell, actual=str(raw).strip(), detail=Text("，".join(split), ", ".join(split))))
        kind = "value" if numeric is not False else "text"
        f = rd.field_from(p, name, cell, raw, kind, note_conversion=not split)
        values[key] = dataclasses.replace(f, converted=False) if key in from_format else f
    return direction, unit, values["target"], values["actual"], percent
