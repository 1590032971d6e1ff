"""The typed model of one read workbook.  Every value keeps the cell it came from.

The reader builds a :class:`Unit`; rules, scoring, annotation and the summary read it.
A :class:`Field` is ``value`` (parsed, or ``None``) plus where it came from and how it
was read, so a finding about it can always name ``sheet!cell``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

__all__ = [
    "Status",
    "Field",
    "BudgetRow",
    "ThreePublicRow",
    "Goal",
    "Indicator",
    "ScoreRow",
    "Row",
    "Unit",
    "unread_key",
]

# How a field was read:
#   ok          a usable value (possibly converted from text: see ``converted``)
#   blank       the cell is empty (or holds only whitespace)
#   invalid     the cell holds something that cannot be read as its kind (``raw`` keeps it)
#   uncalculated a formula cell with no cached value: unknown, never 0
#   error       a formula error value such as #DIV/0!, #REF!, #N/A
#   missing     the cell could not be located (missing row, column or sheet)
Status = Literal["ok", "blank", "invalid", "uncalculated", "error", "missing"]


def _finite(v: Any) -> float | None:
    """A number (not a bool) as a finite float, else None."""
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        return None
    try:
        v = float(v)
    except OverflowError:  # an int beyond the float range
        return None
    return v if math.isfinite(v) else None


@dataclass(slots=True, init=False)
class Field:
    """A value read from one cell.  Treat it as immutable (derive with ``dataclasses.replace``).

    Not declared frozen: a frozen dataclass's ``__init__`` sets each attribute through
    ``object.__setattr__`` and costs three times as much, and a workbook makes hundreds.
    ``number`` and ``ok`` are worked out once here: rules ask for them hundreds of times a unit.
    """

    value: Any
    sheet: str | None
    cell: str | None  # A1 address within ``sheet``, e.g. 'G7'
    raw: Any = None  # what the cell held before parsing
    status: Status = "ok"
    converted: bool = False  # the cell held text that was read as a number
    formula: bool = False  # the cell is known to hold a formula (a computed cell)
    # The finite number this field holds, else None (blank, text, unreadable, NaN).
    number: float | None = field(init=False, repr=False, compare=False)
    ok: bool = field(init=False, repr=False, compare=False)  # status == "ok"

    def __init__(self, value: Any, sheet: str | None, cell: str | None, raw: Any = None, status: Status = "ok",
                 converted: bool = False, formula: bool = False) -> None:
        self.value = value
        self.sheet = sheet
        self.cell = cell
        self.raw = raw
        self.status = status
        self.converted = converted
        self.formula = formula
        self.ok = status == "ok"
        # A finite float, by far the common case, is told by ``v - v == 0`` (NaN and ±inf fail).
        if status != "ok" or value.__class__ is str:
            self.number = None
        elif value.__class__ is float:
            self.number = value if value - value == 0 else None
        else:
            self.number = _finite(value)

    @property
    def ref(self) -> str | None:
        """'绩效指标!G7', or None when the cell is unknown."""
        if self.sheet is None or self.cell is None:
            return None
        return f"{self.sheet}!{self.cell}"

    @property
    def blank(self) -> bool:
        return self.status in ("blank", "missing")

    @classmethod
    def absent(cls, sheet: str | None = None, cell: str | None = None) -> Field:
        """A field whose cell could not be located."""
        return cls(None, sheet, cell, None, "missing")


@dataclass(slots=True)
class BudgetRow:
    """One row of 预算执行 (万元).  ``rate`` and ``change`` are the cells as read (computed
    cells, never trusted: use :meth:`exec_rate` and :meth:`yoy_change`)."""

    key: str
    label: str
    row: int | None
    initial: Field
    adjusted: Field
    actual: Field
    last_year: Field
    rate: Field
    change: Field
    note: Field

    def amount(self, col: str) -> Field:
        return getattr(self, col)

    def exec_rate(self) -> float | None:
        """全年执行数 ÷ 全年预算数, recomputed; None when not computable."""
        a, b = self.actual.value, self.adjusted.value
        if not (self.actual.ok and self.adjusted.ok) or not b:
            return None
        return a / b

    def yoy_change(self) -> float | None:
        """全年执行数 − 上年执行数, recomputed."""
        if not (self.actual.ok and self.last_year.ok):
            return None
        return self.actual.value - self.last_year.value


@dataclass(slots=True)
class ThreePublicRow:
    """One row of 三公经费 (万元)."""

    key: str
    label: str
    row: int | None
    budget: Field
    actual: Field
    last_year: Field
    batches: Field
    persons: Field

    def amount(self, col: str) -> Field:
        return getattr(self, col)


@dataclass(slots=True)
class Goal:
    """One row of 绩效目标."""

    row: int
    seq: Field
    goal: Field
    result: Field


@dataclass(slots=True)
class Indicator:
    """One row of 绩效指标.

    ``direction`` is normalised to one of ``≥ ≤ = 定性`` (``value`` None when unreadable);
    a sign or unit typed into 年度指标值 (``≥10次``) is moved here by the reader.
    ``level1``/``level2`` carry the inherited value of merged or blank cells (``inherited``
    tells which).  ``target``/``actual`` are floats for ≥ ≤ = and text for 定性.
    ``percent`` is True when the target was written as a percentage (``95%``).
    """

    row: int
    level1: Field
    level2: Field
    name: Field
    direction: Field
    target: Field
    unit: Field
    actual: Field
    weight: Field
    self_score: Field
    completion: Field
    reason: Field
    level1_inherited: bool = False
    level2_inherited: bool = False
    percent: bool = False

    @property
    def quantitative(self) -> bool:
        return self.direction.value in ("≥", "≤", "=")


@dataclass(slots=True)
class ScoreRow:
    """One row of 自评得分: 分值 and the clerk's 自评得分."""

    key: str
    label: str
    row: int | None
    weight: Field
    self_score: Field


@dataclass(slots=True)
class Row:
    """One fixed row of a table read by its column keys (the 项目资金 rows of a project form):
    ``cells`` maps each column key to its Field; ``row.actual`` is ``row.cells["actual"]``.
    A column the form does not have reads as a missing field (unknown, never 0)."""

    key: str
    label: str
    row: int | None  # 1-based, None when the form has no such row
    cells: dict[str, Field]

    def amount(self, col: str) -> Field:
        f = self.cells.get(col)
        return f if f is not None else Field.absent()

    def __getattr__(self, name: str) -> Field:
        # Only reached for names that are no attribute: the column keys.
        if name.startswith("__") or name in ("key", "label", "row", "cells"):
            raise AttributeError(name)
        return self.amount(name)


def unread_key(sheet: str, model: str) -> str:
    """How a form's table that could not be located is noted in ``Unit.unread``: the form
    sheet and the Unit attribute the table fills (one sheet holds several tables)."""
    return f"{sheet}#{model}"


@dataclass(slots=True)
class Unit:
    """Everything read from one workbook.

    ``findings`` holds what the reader itself found (unreadable cells, missing sheets,
    text read as numbers); rules add theirs later.  ``readable`` is False when the file
    could not be opened as a workbook at all: then only ``path`` and ``findings`` mean
    anything.
    """

    path: Path
    readable: bool = True
    # The template kind (perfxl.kinds): 'dept' (部门整体, a workbook of sheets) or 'project'
    # (项目支出, one form per sheet: ``form_sheet`` names it; a workbook may hold several).
    kind: str = "dept"
    form_sheet: str | None = None
    template_id: str | None = None
    template_version: int | None = None
    meta: dict[str, str] = field(default_factory=dict)
    sheets: tuple[str, ...] = ()  # sheet names present in the workbook, in order
    profile: dict[str, Field] = field(default_factory=dict)  # FormField.key → Field
    budget: dict[str, BudgetRow] = field(default_factory=dict)  # RowSpec.key → row
    three_public: dict[str, ThreePublicRow] = field(default_factory=dict)
    car_count: Field = field(default_factory=Field.absent)
    goals: list[Goal] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)
    scores: dict[str, ScoreRow] = field(default_factory=dict)  # 自评得分 rows by key
    grade: Field = field(default_factory=Field.absent)
    findings: list = field(default_factory=list)  # list[perfxl.findings.Finding]
    # Sheets whose table (or form) could not be located — the sheet or its header is
    # missing: every cell of it is unknown, and so is a sum over its rows.
    unread: set[str] = field(default_factory=set)
    # The computed cells worked out over this unit (perfxl.computed.values keeps them here).
    computed: Any = field(default=None, repr=False, compare=False)

    @property
    def label(self) -> str:
        """How the unit is named to people: its name (单位名称 / 项目名称), else its sheet or file."""
        return self.name or self.form_sheet or self.path.name

    @property
    def name(self) -> str | None:
        """单位名称 (项目名称 for a project form) as read, or None."""
        f = self.profile.get("name")
        return f.value if f is not None and f.ok else None

    @property
    def year(self) -> int | None:
        f = self.profile.get("year")
        return f.value if f is not None and f.ok else None

    @property
    def department(self) -> str | None:
        """主管部门 of a project form (the unit's own name for a department), or None."""
        f = self.profile.get("department")
        if f is None:
            return self.name if self.form_sheet is None else None  # a department is its own
        return f.value if f.ok else None

    @property
    def credit_code(self) -> str | None:
        f = self.profile.get("credit_code")
        return f.value if f is not None and f.ok else None
