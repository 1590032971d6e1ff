"""Computed cells: what the template's formulas give, worked out by perfxl itself.

A template kind declares its computed cells in :mod:`perfxl.spec` (:class:`~perfxl.spec.Computed`:
a sum of parts, a ratio or difference of two columns, a SUMIF over a free table).
:func:`values` evaluates those declarations over a read :class:`~perfxl.model.Unit`, so a
workbook whose formulas were never calculated (a program wrote it) is judged exactly like
the same workbook after Excel, WPS or LibreOffice recalculated it.

For every computed cell :class:`CellState` holds

* ``true``: the value from the input cells alone (a computed argument counts with its own
  true value) — what the rules and the score use;
* ``display``: what the cell shows once the workbook is calculated — its formula over the
  cells as they show (a value typed over a computed argument counts as typed);
* ``display_skip``: the same where a SUM skips input cells holding text, as spreadsheet
  programs do (the reader reads ``1,234.50`` typed as text as a number; Excel's SUM does not);
* ``shown``: the number the cell holds, cached or typed, or None;
* ``typed_over``: ``shown`` is none of the above, within the rulebook's tolerance — the
  formula was replaced by a figure.  Only then does the figure count: a cached value that
  agrees with the formula is what perfxl computes anyway, so the same workbook gives the
  same findings whether or not it was calculated.

An input cell counts as its number; blank counts as 0 (what a SUM sees, and how clerks leave
rows without money); a cell that is missing (its row, column or sheet was not found) or
unreadable is unknown, never 0 — and so is every computed cell that depends on it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Iterator

from perfxl.memo import by_identity
from perfxl.model import Field, Unit
from perfxl.spec import Computed, TableSheet, TemplateSpec

if TYPE_CHECKING:  # pragma: no cover
    from perfxl.rulebook import Rulebook

__all__ = ["BLANK", "CellState", "Values", "values", "spec_of", "number_or_blank", "RATE_TOLERANCE"]

# A rate is shown with two decimals of a percent (0.00%): a value within half of its last
# shown digit is the same figure.
RATE_TOLERANCE = 0.00005


class _Blank:
    """What a formula shows when it shows nothing: ``IF(C4=0,"",D4/C4)`` over a budget of 0."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "BLANK"


BLANK: Any = _Blank()

Number = Any  # float | None | BLANK


@dataclass(slots=True)
class CellState:
    """One computed cell (see the module docstring)."""

    decl: Computed
    sheet: str
    field: Field | None
    true: Number
    display: Number
    display_skip: Number
    shown: float | None
    typed_over: bool

    @property
    def judged(self) -> float | None:
        """The figure the cell stands for: the typed one when typed over, else the true one."""
        if self.typed_over:
            return self.shown
        return self.true if isinstance(self.true, float) else None


def spec_of(unit: Unit) -> TemplateSpec:
    """The spec of the unit's template kind (its computed cells)."""
    from perfxl.kinds import kind_of

    return kind_of(unit).spec


def number_or_blank(f: Field | None) -> float | None:
    """An input cell as a SUM sees it: its number, 0 when blank, None when it is missing
    or unreadable (unknown, never 0)."""
    if f is None:
        return None
    if f.ok:
        return f.number
    return 0.0 if f.status == "blank" else None


def _holds_text(f: Field | None) -> bool:
    """The cell holds text (read as a number or not): a spreadsheet's SUM skips it."""
    return f is not None and f.raw.__class__ is str and f.status in ("ok", "invalid")


def _agrees(shown: float, x: Number, tol: float) -> bool:
    return isinstance(x, float) and abs(shown - x) <= tol + 1e-9


@dataclass(frozen=True, slots=True)
class _Step:
    """One computed cell in evaluation order, its arguments resolved once per spec."""

    decl: Computed
    key: tuple[str, str, str]
    args: tuple[tuple[bool, tuple[str, str, str]], ...]  # (computed?, (sheet, row, col))
    kind: str  # the column's kind: which tolerance applies


@by_identity
def _plan(spec: TemplateSpec) -> tuple[tuple[TableSheet, tuple[_Step, ...]], ...]:
    """Every table's computed cells, each after the computed cells it reads."""
    out = []
    for t in spec.tables:
        order: list[_Step] = []
        done: set[tuple[str, str]] = set()

        def visit(c: Computed, t: TableSheet = t, order: list[_Step] = order, done: set = done) -> None:
            if (c.row, c.col) in done:
                return
            done.add((c.row, c.col))
            args = []
            for r, col in c.args:
                dep = t.computed_cells.get((r, col))
                if dep is not None:
                    visit(dep)
                args.append((dep is not None, (t.name, r, col)))
            order.append(_Step(c, (t.name, c.row, c.col), tuple(args), t.column(c.col).kind))

        for c in t.computed:
            visit(c)
        out.append((t, tuple(order)))
    return tuple(out)


class Values:
    """The computed cells of one unit, evaluated once (see :func:`values`)."""

    def __init__(self, unit: Unit, spec: TemplateSpec, rulebook: Rulebook):
        self.unit = unit
        self.spec = spec
        self.rulebook = rulebook
        self._tables = {t.name: t for t in spec.tables}
        self._states: dict[tuple[str, str, str], CellState] = {}
        # Cells whose arguments are all numbers typed as numbers (or blank) and that show
        # what their formula gives, or nothing yet: most cells of most workbooks.  Their
        # value is all there is to know (a CellState is made only if one is asked for).
        self._plain: dict[tuple[str, str, str], tuple[Computed, Number, Field | None, float | None]] = {}
        self._readings: dict[tuple[str, str, str], list[float] | None] = {}
        self._inputs: dict[tuple[str, str, str], float | None] = {}
        tols = {"rate": RATE_TOLERANCE, "amount": rulebook.amount_tolerance}
        states, plain = self._states, self._plain
        for t, steps in _plan(spec):
            rows = getattr(unit, t.model)
            for step in steps:
                tol = tols.get(step.kind, rulebook.score_tolerance)
                fast = self._plain_value(rows, step)
                if fast is not None:
                    true, f = fast
                    shown = f.number if f is not None and f.ok else None
                    if shown is None or (true.__class__ is float and abs(shown - true) <= tol + 1e-9):
                        plain[step.key] = (step.decl, true, f, shown)
                        continue
                states[step.key] = self._evaluate(t, rows, step, tol)

    def _plain_value(self, rows: Any, step: _Step) -> tuple[Number, Field | None] | None:
        """(the formula's value, the cell's Field) when every argument is a number typed as
        a number, or blank, or a plain computed cell — then what the cell shows once
        calculated is that value too; None otherwise (text, unreadable or missing
        arguments, a figure typed over an argument: the general path, :meth:`_evaluate`)."""
        values = []
        plain = self._plain
        for computed, key in step.args:
            if computed:
                p = plain.get(key)
                if p is None:
                    return None
                values.append(p[1])
                continue
            row = rows.get(key[1])
            if row is None:
                return None
            f = getattr(row, key[2])
            if f.ok:
                v = f.number
                if v is None or f.raw.__class__ is str:
                    return None
                values.append(v)
            elif f.status == "blank":
                values.append(0.0)
            else:
                return None
        if step.decl.over is not None:
            o = step.decl.over
            if o.sheet in self.unit.unread:
                return None
            total = 0.0
            for item in self._over_items(o):
                f = getattr(item, o.col)
                if f.ok:
                    v = f.number
                    if v is None or f.raw.__class__ is str:
                        return None
                    total += v
                elif f.status != "blank":
                    return None
            values.append(total)
        true = _apply(step.decl.op, values)
        row = rows.get(step.decl.row)
        return true, (None if row is None else getattr(row, step.decl.col))

    def _evaluate(self, t: TableSheet, rows: Any, step: _Step, tol: float) -> CellState:
        c = step.decl
        states, plain = self._states, self._plain
        sum_op = c.op == "sum"
        # The arguments' true values, and — only when some argument holds text or is
        # typed over, so that the cell would show something else — what they show.
        trues: list[Number] = []
        shown_args: list[tuple[Number, Number]] | None = None  # (display, display_skip) each
        for i, (computed, key) in enumerate(step.args):
            if computed:
                d = states.get(key)
                if d is None:  # a plain cell: shows what it is
                    t_, differs = plain[key][1], False
                else:
                    t_ = d.true
                    pair = (d.shown, d.shown) if d.typed_over else (d.display, d.display_skip)
                    differs = not (pair[0] is t_ and pair[1] is t_) and not (pair[0] == t_ and pair[1] == t_)
            else:
                row = rows.get(key[1])
                f = None if row is None else getattr(row, key[2])
                if f is not None and f.ok and f.raw.__class__ is not str:
                    t_ = f.number  # a number typed as a number: the usual case
                    differs = False
                else:
                    t_ = number_or_blank(f)
                    # A SUM skips text; arithmetic on text gives an error value (unknown here).
                    differs = _holds_text(f)
                    pair = (t_, (0.0 if sum_op else None) if differs else t_)
            if differs and shown_args is None:
                shown_args = [(v, v) for v in trues]
            trues.append(t_)
            if shown_args is not None:
                shown_args.append(pair if differs else (t_, t_))
        if c.over is not None:
            true_over, skip_over = self._column_sum(c.over)
            if shown_args is None and true_over != skip_over:
                shown_args = [(v, v) for v in trues]
            trues.append(true_over)
            if shown_args is not None:
                shown_args.append((true_over, skip_over))
        true = _apply(c.op, trues)
        if shown_args is None:
            display = skip = true
        else:
            display = _apply(c.op, [a for a, _ in shown_args])
            skip = _apply(c.op, [b for _, b in shown_args])
        row = rows.get(c.row)
        f = None if row is None else getattr(row, c.col)
        shown = f.number if f is not None and f.ok else None
        typed = False
        if shown is not None and not _agrees(shown, true, tol):
            known = [x for x in (true, display, skip) if x is not None]
            typed = bool(known) and not any(_agrees(shown, x, tol) for x in known)
        return CellState(c, t.name, f, true, display, skip, shown, typed)

    def _column_sum(self, o: Any) -> tuple[Number, Number]:
        """(the sum, the sum a SUMIF shows skipping text) of a free table's column; unknown
        when the table could not be read or a summed cell is unreadable."""
        if o.sheet in self.unit.unread:
            return None, None
        true_sum: Number = 0.0
        skip_sum: Number = 0.0
        for item in self._over_items(o):
            f = getattr(item, o.col)
            v = number_or_blank(f)
            true_sum = None if v is None or true_sum is None else true_sum + v
            if not _holds_text(f):
                skip_sum = None if v is None or skip_sum is None else skip_sum + v
        return true_sum, skip_sum

    # -- cells --------------------------------------------------------------

    def field(self, sheet: str, row: str, col: str) -> Field | None:
        """The Field read at a fixed table's cell, or None when its row was not read."""
        t = self._tables[sheet]
        r = getattr(self.unit, t.model).get(row)
        return None if r is None else getattr(r, col, None)

    def state(self, sheet: str, row: str, col: str) -> CellState | None:
        """The state of a computed cell, or None for an input cell."""
        key = (sheet, row, col)
        st = self._states.get(key)
        if st is None and key in self._plain:
            decl, true, f, shown = self._plain[key]
            st = self._states[key] = CellState(decl, sheet, f, true, true, true, shown, False)
        return st

    def _input(self, key: tuple[str, str, str]) -> float | None:
        """An input cell as a SUM sees it (worked out once: rules ask about the same cells)."""
        try:
            return self._inputs[key]
        except KeyError:
            v = self._inputs[key] = number_or_blank(self.field(*key))
            return v

    def shown(self, sheet: str, row: str, col: str) -> tuple[float | None, float | None, bool] | None:
        """(true value, the number the cell shows, typed over?) of a computed cell, or None
        for an input cell (no CellState is made for it)."""
        key = (sheet, row, col)
        p = self._plain.get(key)
        if p is not None:
            return (p[1] if isinstance(p[1], float) else None), p[3], False
        st = self._states.get(key)
        if st is None:
            return None
        return (st.true if isinstance(st.true, float) else None), st.shown, st.typed_over

    def true(self, sheet: str, row: str, col: str) -> float | None:
        """A cell's value from the inputs: an input as read (blank 0), a computed cell as
        computed; None when unknown (and for a ratio the template shows blank)."""
        return self._figure((sheet, row, col), False)

    def judged(self, sheet: str, row: str, col: str) -> float | None:
        """An input as read; a computed cell's typed figure when typed over, else its true value."""
        return self._figure((sheet, row, col), True)

    def _figure(self, key: tuple[str, str, str], judged: bool) -> float | None:
        p = self._plain.get(key)
        if p is not None:
            return p[1] if isinstance(p[1], float) else None
        st = self._states.get(key)
        if st is None:
            return self._input(key)
        if judged:
            return st.judged
        return st.true if isinstance(st.true, float) else None

    def readings(self, sheet: str, row: str, col: str) -> list[float] | None:
        """Every figure a cell may stand for: an input's value; a computed cell's true value,
        its display and, when typed over, the typed figure.  None when the true value (or
        the input) is unknown.  (Worked out once per cell: many rules ask.)"""
        key = (sheet, row, col)
        try:
            return self._readings[key]
        except KeyError:
            pass
        p = self._plain.get(key)
        st = self._states.get(key)
        out: list[float] | None
        if p is not None:
            out = [p[1]] if isinstance(p[1], float) else None
        elif st is None:
            v = self._input(key)
            out = None if v is None else [v]
        elif not isinstance(st.true, float):
            out = None
        else:
            out = [st.true]
            if isinstance(st.display, float) and st.display != st.true:
                out.append(st.display)
            if st.typed_over and st.shown is not None and st.shown not in out:
                out.append(st.shown)
            out.sort()
        self._readings[key] = out
        return out

    def typed_over(self, code: str | None = None) -> Iterator[CellState]:
        """The computed cells holding a figure their formula does not give (of one rule)."""
        for st in self._states.values():
            if st.typed_over and (code is None or st.decl.code == code):
                yield st

    def depends_on_text(self, sheet: str, row: str, col: str) -> bool:
        """Whether a computed cell's formula reads, directly or through other computed
        cells, an input cell holding text (a spreadsheet may show an error value there)."""
        st = self._states.get((sheet, row, col))
        if st is None:
            return False  # an input, or a plain cell: its arguments are numbers
        for r, c in st.decl.args:
            if (sheet, r, c) in self._states or (sheet, r, c) in self._plain:
                if self.depends_on_text(sheet, r, c):
                    return True
            elif _holds_text(self.field(sheet, r, c)):
                return True
        if st.decl.over is not None:
            o = st.decl.over
            return any(_holds_text(getattr(item, o.col, None)) for item in self._over_items(o))
        return False

    def _over_items(self, o: Any) -> list[Any]:
        items = getattr(self.unit, self._tables[o.sheet].model)
        if not o.where:
            return list(items)
        out = []
        for item in items:
            w = getattr(item, o.where)
            if w.ok and w.value == o.equals:
                out.append(item)
        return out


def _apply(op: str, args: list[Number]) -> Number:
    """A formula over argument values; None when an argument is unknown.  A blank shown by
    another formula counts as empty: 0 in a SUM, unknown in arithmetic."""
    if op == "sum":
        total = 0.0
        for a in args:
            if a is None:
                return None
            if a is not BLANK:
                total += a
        return total
    a, b = args
    if a is None or b is None or a is BLANK or b is BLANK:
        return None
    if op == "diff":
        return a - b
    if op == "ratio":
        return BLANK if b == 0 else a / b
    raise ValueError(f"unknown formula {op!r}")


def values(unit: Unit, rulebook: Rulebook | None = None) -> Values:
    """The computed cells of ``unit``, evaluated once per unit and rulebook (the result is
    kept on the unit: the rules, the score and the summary all ask for it).  Without a
    rulebook: the one they were last evaluated with, else the default."""
    cached = unit.computed
    if cached is not None and (rulebook is None or cached.rulebook is rulebook):
        return cached
    if rulebook is None:
        from perfxl.rulebook import default_rulebook

        rulebook = default_rulebook()
    v = Values(unit, spec_of(unit), rulebook)
    unit.computed = v
    return v
