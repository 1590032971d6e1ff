"""Cell parsing: one cell of a grid read as its kind, with the finding it calls for.

:class:`_Reader` holds what one read of one book collects (its findings, its
uncalculated computed cells) and reads every cell the locating code hands it: each by
its kind (:mod:`perfxl.numbers`), the common cases — a finite number, a short text —
without a parser call, since a file reads hundreds of cells.  An empty cell is asked of
the sheet XML (:mod:`perfxl.read.probe`): it may hide an uncalculated formula or an
error value, and neither reads as blank.  Addresses come from a shared A1 table.
"""

from __future__ import annotations

import functools
import math
import threading
from collections.abc import Callable
from typing import Any

from perfxl.codes.values import V001, V002, V005, V006, V007, V008, V009, V010, V011, V012, V013
from perfxl.findings import Finding
from perfxl.model import Field
from perfxl.numbers import (
    ERROR_VALUES,
    Parsed,
    norm_label,
    parse_amount,
    parse_code,
    parse_date,
    parse_int,
    parse_number,
    parse_rate,
    parse_text,
    parse_value,
    parse_year,
)
from perfxl.read.grids import Book
from perfxl.read.probe import empty_cell, uncalculated_findings
from perfxl.rulebook import Rulebook
from perfxl.spec import addr

_norm = functools.lru_cache(maxsize=8192, typed=True)(norm_label)

_FLOAT_KINDS = frozenset({"amount", "number", "value", "rate"})
_TEXT_KINDS = frozenset({"text", "label", "choice"})


_KIND_NAMES: dict[str, tuple[str, str]] = {
    "amount": ("金额（数字，单位万元）", "an amount (a number, 万元)"),
    "number": ("数字", "a number"),
    "rate": ("比率（数字或百分比）", "a rate (a number or a percentage)"),
    "int": ("整数", "a whole number"),
    "value": ("数字（定量指标）", "a number (quantitative indicator)"),
    "year": ("年份", "a year"),
}


# A1 addresses of 0-based (row, column), built a row at a time on first use: a file reads
# hundreds of cells and a table lookup costs a tenth of a cached call.
_A1_COLS = 32
_A1_TABLE: list[list[str]] = []
_A1_ROWS = 4096  # rows kept in the table; beyond, addresses are made on demand
_A1_LOCK = threading.Lock()


def _a1_row(r: int) -> list[str] | None:
    """The A1 addresses of 0-based row ``r``'s first :data:`_A1_COLS` columns (the table
    grows to it), or None for a row outside the table.

    The table is shared by every thread: it only ever grows, one whole row at a time under
    a lock (two threads growing it at once would append the same row twice and shift every
    address after it); readers index it without the lock, only below its length."""
    if not 0 <= r < _A1_ROWS:
        return None
    if r >= len(_A1_TABLE):
        with _A1_LOCK:
            while len(_A1_TABLE) <= r:
                n = len(_A1_TABLE) + 1
                _A1_TABLE.append([addr(n, k + 1) for k in range(_A1_COLS)])
    return _A1_TABLE[r]


def _a1(row: int, col: int) -> str:
    """1-based row and column → 'B3' (as :func:`perfxl.spec.addr`, from the table)."""
    a1s = _A1_TABLE[row - 1] if 0 < row <= len(_A1_TABLE) else _a1_row(row - 1)
    return a1s[col - 1] if a1s is not None and 0 < col <= _A1_COLS else addr(row, col)


def _parser(kind: str, max_chars: int) -> Callable[[Any], Parsed]:
    if kind == "amount":
        return parse_amount
    if kind == "rate":
        return parse_rate
    if kind == "number":
        return _parse_points
    if kind == "int":
        return parse_int
    if kind == "year":
        return parse_year
    if kind == "date":
        return parse_date
    if kind == "uscc":
        return lambda raw: parse_code(raw, upper=True)
    if kind == "phone":
        return parse_code
    if kind == "value":
        return parse_value
    return lambda raw: parse_text(raw, max_chars)


def _parse_points(raw: Any) -> Parsed:
    """分值 / 自评得分: a number, '5分' accepted."""
    return parse_number(raw, units=_POINT_UNITS)


_POINT_UNITS = frozenset({"分"})


class _Reader:
    """Reads cells of one book, collecting findings."""

    def __init__(self, book: Book, rulebook: Rulebook):
        self.book = book
        self.rulebook = rulebook
        self.max_chars = rulebook.limits.max_cell_chars
        self.findings: list[Finding] = []
        # Uncalculated computed cells, per sheet: reported once per sheet (V003), since a
        # script-written file has dozens of them and perfxl recomputes them all anyway.
        self.uncalculated: dict[str, list[str]] = {}

    def uncalculated_findings(self) -> list[Finding]:
        """One V003 per sheet, at its first uncalculated computed cell, naming the rest."""
        return uncalculated_findings(self.uncalculated)

    # -- one cell -----------------------------------------------------------

    def cell(self, sheet: str, r: int, c: int, kind: str, *, computed: bool = False) -> Field:
        """Read the cell at 0-based (r, c) of ``sheet`` as ``kind``; emit V findings."""
        # This runs for every cell read (hundreds per file), so _get is spelt out here.
        grid = self.book.grids[sheet]
        row = grid[r] if 0 <= r < len(grid) else ()
        raw = row[c] if 0 <= c < len(row) else None
        # (_a1 spelt out: no call for a row the table already holds)
        a1s = _A1_TABLE[r] if 0 <= r < len(_A1_TABLE) else _a1_row(r)
        a1 = a1s[c] if a1s is not None and 0 <= c < _A1_COLS else addr(r + 1, c + 1)
        if raw is None or raw == "":
            return self._empty(sheet, a1, computed, kind)
        cls = raw.__class__
        if cls is float and kind in _FLOAT_KINDS and math.isfinite(raw):
            return Field(raw, sheet, a1, raw, "ok", formula=computed)  # the common case, fast
        if cls is float and kind == "int" and raw.is_integer():  # (is_integer: finite too)
            return Field(int(raw), sheet, a1, raw, "ok", formula=computed)  # as parse_int reads it
        if cls is str and kind in _TEXT_KINDS and len(raw) <= self.max_chars:
            v = raw.strip()
            if v and v.upper() not in ERROR_VALUES:
                return Field(v, sheet, a1, raw, "ok", formula=computed)
        p = _parser(kind, self.max_chars)(raw)
        return self.field_from(p, sheet, a1, raw, kind, computed=computed)

    def _empty(self, sheet: str, a1: str, computed: bool, kind: str = "text") -> Field:
        return empty_cell(self.book, self.findings, self.uncalculated, sheet, a1, computed, kind)

    def field_from(self, p: Parsed, sheet: str, a1: str, raw: Any, kind: str, *, computed: bool = False,
                   note_conversion: bool = True) -> Field:
        """A Field from a parse result, with the finding the result calls for."""
        status = p.status
        if status == "ok" and not p.converted and not p.reason and not p.dash:
            return Field(p.value, sheet, a1, raw, "ok", formula=computed)  # the common case
        if status == "error":
            self.findings.append((V006 if computed else V005)(sheet, a1, actual=p.value))
            return Field(p.value, sheet, a1, raw, "error", formula=computed)
        if status == "invalid":
            kz, ke = _KIND_NAMES.get(kind, ("数字", "a number"))
            shown = raw if not isinstance(raw, float) or not raw.is_integer() else int(raw)
            if p.reason == "date":
                f = V007(sheet, a1, actual=str(raw), kind_zh=kz, kind_en=ke)
            elif p.reason == "not-integer":
                f = V009(sheet, a1, actual=shown)
            elif p.reason == "bad-year":
                f = V010(sheet, a1, actual=shown)
            elif p.reason == "bad-date":
                f = V011(sheet, a1, actual=shown)
            elif p.reason == "direction":
                f = V013(sheet, a1, actual=shown)
            else:
                f = V002(sheet, a1, actual=shown, kind_zh=kz, kind_en=ke)
            if not computed or kind != "rate":
                self.findings.append(f)
            return Field(None, sheet, a1, raw, "invalid", formula=computed)
        if p.status == "blank":
            return Field(None, sheet, a1, raw, "blank", formula=computed)
        if p.reason == "too-long":
            self.findings.append(V008(sheet, a1, expected=self.max_chars, actual=len(p.value)))
        if p.dash and kind == "amount":
            self.findings.append(V012(sheet, a1, actual=str(raw).strip()))
        elif p.converted and isinstance(raw, str) and note_conversion and kind in _KIND_NAMES and not computed:
            self.findings.append(V001(sheet, a1, expected=p.value, actual=raw.strip()))
        return Field(p.value, sheet, a1, raw, "ok", converted=p.converted and isinstance(raw, str), formula=computed)


def _absent(sheet: str, cell: str | None) -> Field:
    return Field.absent(sheet, cell)
