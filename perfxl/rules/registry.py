"""The registry of checks and the helpers rule modules share.

A check is a small function over one read unit (``scope="unit"``) or over a batch of
file reports (``scope="batch"``) that yields findings.  It declares the codes it can
emit with :func:`check`, so :mod:`perfxl.check` can skip a whole function when every
one of its codes is deselected (``--select``/``--ignore``) or switched off in the
rulebook::

    @check("B001")
    def check_balances(unit: Unit, ctx: RuleContext) -> Iterable[Finding]:
        ...

Rules never report on a value the reader could not read (status other than ok, blank
or missing): the reader's own V finding already stands at that cell.  A missing cell is
unknown, never 0.  Computed cells (totals, rates, subtotals) are judged by the value
:mod:`perfxl.computed` works out from the inputs, whether or not the file was calculated.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Iterable, Literal, Mapping

from perfxl.computed import Values, number_or_blank, values
from perfxl.findings import BOTH_KINDS, Finding
from perfxl.model import Field, Unit, unread_key
from perfxl.spec import DEPT, TableSheet, split_addr

if TYPE_CHECKING:  # pragma: no cover
    from perfxl.rulebook import Rulebook
    from perfxl.score import ScoreCard

__all__ = [
    "Check",
    "CHECKS",
    "check",
    "BOTH",
    "sheet_of",
    "table_unread",
    "RuleContext",
    "number",
    "amount",
    "text",
    "is_empty_text",
    "close",
    "Balance",
    "balance_failures",
    "balance_inputs",
    "candidates",
    "always",
    "basis",
    "computed_values",
]

Scope = Literal["unit", "batch"]


@dataclass(frozen=True)
class Check:
    """A registered check: the function, the codes it can emit and its scope."""

    func: Callable[..., Iterable[Finding]]
    codes: tuple[str, ...]
    scope: Scope = "unit"
    kinds: tuple[str, ...] = ("dept",)  # the template kinds (perfxl.kinds) the check reads

    @property
    def name(self) -> str:
        return f"{self.func.__module__}.{self.func.__qualname__}"


CHECKS: list[Check] = []


def check(*codes: str, scope: Scope = "unit", kinds: tuple[str, ...] = ("dept",)
          ) -> Callable[[Callable[..., Iterable[Finding]]], Callable[..., Iterable[Finding]]]:
    """Register a check function that can emit ``codes`` on units of ``kinds``."""

    def deco(func: Callable[..., Iterable[Finding]]) -> Callable[..., Iterable[Finding]]:
        CHECKS.append(Check(func, tuple(codes), scope, tuple(kinds)))
        return func

    return deco


BOTH = BOTH_KINDS  # a check that reads both kinds


def sheet_of(unit: Unit, sheet: str) -> str:
    """Where a table of the 部门整体 kind's ``sheet`` stands in this unit: that sheet, or the
    one form sheet of a project form."""
    return unit.form_sheet or sheet


def table_unread(unit: Unit, sheet: str) -> bool:
    """Whether a table could not be read (its sheet or header missing): its cells are
    unknown and the reader's F013/F016 says so."""
    if unit.form_sheet is not None:  # one sheet, several tables: the one that fills the same model
        return unread_key(unit.form_sheet, DEPT.table(sheet).model) in unit.unread
    return sheet in unit.unread or (sheet not in unit.sheets and bool(unit.sheets))


@dataclass
class RuleContext:
    """What a check may use besides the unit: the rulebook, the score card (None when
    scoring was not possible), the batch year when given, and a cache for facts several
    checks share (so they agree on them and do not cascade)."""

    rulebook: Rulebook
    card: ScoreCard | None = None
    year: int | None = None
    cache: dict[Any, Any] = field(default_factory=dict)

    def memo(self, key: str, make: Callable[..., Any], *args: Any) -> Any:
        """``make(*args)``, worked out once per unit under ``key`` (passing arguments
        rather than a closure keeps a fact asked dozens of times a unit cheap)."""
        try:
            return self.cache[key]
        except KeyError:
            got = self.cache[key] = make(*args)
            return got


# ---------------------------------------------------------------------------
# Field helpers
# ---------------------------------------------------------------------------

def number(f: Field | None) -> float | None:
    """The numeric value of a readable field, or None (blank, text, unreadable, NaN)."""
    return None if f is None else f.number


def amount(f: Field | None) -> float | None:
    """An amount (or count) cell of a fixed table as a SUM sees it: its number, 0 when
    blank — clerks leave rows they have no money in empty — and None (unknown, never 0)
    when the cell is missing (its row, column or sheet was not found) or unreadable."""
    return number_or_blank(f)


def computed_values(unit: Unit, ctx: RuleContext) -> Values:
    """The unit's computed cells (:mod:`perfxl.computed`), evaluated once per unit."""
    return values(unit, ctx.rulebook)


def text(f: Field | None) -> str | None:
    """The stripped text of a readable field, else None."""
    if f is None or not f.ok or f.value is None:
        return None
    return str(f.value).strip()


def is_empty_text(f: Field | None, placeholders: Iterable[str]) -> bool:
    """True when a text cell is blank or holds only a placeholder (``*``, ``-``, ``无`` …).

    The reader reads a lone dash as blank but keeps it in ``raw``.  A cell that could not
    be located (its column or row is missing: the reader's F finding says so) is unknown,
    not empty; so is an unreadable cell (errors: the reader reports those).
    """
    if f is None or f.status == "missing":
        return False
    if f.status == "blank":
        return True
    if not f.ok:
        return False
    return str(f.value).strip() in tuple(placeholders)


def close(a: float, b: float, tol: float) -> bool:
    """|a − b| ≤ tol, with a little room for float noise."""
    return abs(a - b) <= tol + 1e-9


# ---------------------------------------------------------------------------
# Balances (totals = sum of parts) shared by 预算执行 and 三公经费
# ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Balance:
    """A total that does not equal its parts in one column.

    ``expected`` is the sum of the parts' true values (:mod:`perfxl.computed`), ``actual``
    the total as it stands (its typed figure when typed over, else its computed value).
    ``report`` is False for a second decomposition failing at a total already reported.
    """

    total: str  # row key
    parts: tuple[str, ...]
    col: str
    expected: float
    actual: float
    report: bool = True


def _part_readings(vals: Values, sheet: str, key: str, col: str) -> list[float] | None:
    """A part's true value and, for a computed part typed over, its typed figure."""
    st = vals.state(sheet, key, col)
    if st is None:
        v = vals.true(sheet, key, col)
        return None if v is None else [v]
    if not isinstance(st.true, float):
        return None
    return [st.true, st.shown] if st.typed_over and st.shown is not None else [st.true]


def balance_failures(sheet: TableSheet, vals: Values, cols: Iterable[str], tol: float) -> list[Balance]:
    """Every (total row, column, decomposition) whose total differs from its parts' sum.

    The total is judged as it stands; a part counts with its true value or, when it is a
    computed cell typed over, with its typed figure: a failure that either reading of a
    part explains is that part's own (a wrong subtotal is reported once, at itself).
    Unknown cells (missing, unreadable) are skipped: nothing is judged on a guess.
    """
    out: list[Balance] = []
    name = sheet.name
    true = vals.true
    for col in cols:
        reported: set[str] = set()
        for total, parts in sheet.balances:
            lhs = vals.judged(name, total, col)
            if lhs is None:
                continue
            values = [true(name, p, col) for p in parts]
            if None in values:
                continue
            want = math.fsum(values)  # type: ignore[arg-type]
            if close(lhs, want, tol):
                continue  # the usual case
            options = [_part_readings(vals, name, p, col) for p in parts]
            if any(len(o) > 1 for o in options) and any(  # type: ignore[arg-type]
                    close(lhs, math.fsum(combo), tol) for combo in itertools.product(*options)):  # type: ignore[misc]
                continue
            out.append(Balance(total, parts, col, round(want, 6), lhs, total not in reported))
            reported.add(total)
    return out


def candidates(failures: Iterable[Balance], vals: Values, sheet: TableSheet, key: str, col: str) -> list[float] | None:
    """The values a cell may really hold: an input as read; a computed cell's true value,
    its display and its typed figure (see :meth:`perfxl.computed.Values.readings`); and for
    a total that does not balance, each sum of its parts.  A rule that depends on a total
    fires only when its conclusion holds for every candidate — so a broken total is
    reported once (by the balance rule), not again through the rate or the score.
    None when the cell is unknown."""
    out = vals.readings(sheet.name, key, col)
    if out is None:
        return None
    extra = [b.expected for b in failures if b.total == key and b.col == col]
    return sorted(set(out).union(extra)) if extra else out


def always(unit: Unit, ctx: RuleContext, sheet: TableSheet, failures: Callable[[Unit, RuleContext], list[Balance]],
           key: str, cols: tuple[str, ...], pred: Callable[..., bool]) -> bool:
    """True when ``pred(*values)`` holds for every candidate value of the row's ``cols``
    (see :func:`candidates`); False when a value is unknown.  ``failures`` gives the
    sheet's balance failures.  Several rules ask about the same cells: their candidates
    are worked out once per unit."""
    cache = ctx.cache
    ck = (sheet.name, key, cols)
    options = cache.get(ck)
    if options is None:
        vals, fails = basis(unit, ctx, sheet, failures)
        name = sheet.name
        found = [candidates(fails, vals, sheet, key, c) if fails else vals.readings(name, key, c) for c in cols]
        if None in found:
            options = cache[ck] = ()  # unknown
        elif all(len(o) == 1 for o in found):  # type: ignore[arg-type]
            options = cache[ck] = (tuple(o[0] for o in found),)  # type: ignore[index]
        else:
            options = cache[ck] = tuple(itertools.product(*found))  # type: ignore[arg-type]
    if not options:
        return False
    if len(options) == 1:
        return bool(pred(*options[0]))
    return all(pred(*combo) for combo in options)


def basis(unit: Unit, ctx: RuleContext, sheet: TableSheet, failures: Callable[[Unit, RuleContext], list[Balance]]
          ) -> tuple[Values, list[Balance]]:
    """(the unit's computed cells, ``sheet``'s balance failures), once per unit: every
    rule that weighs a cell of the sheet asks for both."""
    key = ("basis", sheet.name)
    got = ctx.cache.get(key)
    if got is None:
        got = ctx.cache[key] = (computed_values(unit, ctx), failures(unit, ctx))
    return got


def _input_cells(sheet: TableSheet, rows: Mapping[str, Any], key: str, col: str) -> list[str]:
    """The cells a clerk types to set a row's amount: its own cell, or — for a total the
    template computes (a formula over its parts) — its parts' input cells."""
    row = rows.get(key)
    f = row.amount(col) if row is not None else None
    parts = sheet.row_spec(key).parts
    if f is not None and f.formula and parts:
        return [c for p in parts for c in _input_cells(sheet, rows, p, col)]
    return [f.cell if f is not None and f.cell else sheet.cell(key, col)]


def _cell_ranges(cells: Iterable[str]) -> str:
    """'D5:D8、D10' — runs of consecutive rows in one column shown as ranges."""
    out: list[str] = []
    run: list[tuple[int, int, str]] = []
    for c in cells:
        r, k = split_addr(c)
        if run and k == run[-1][1] and r == run[-1][0] + 1:
            run.append((r, k, c))
            continue
        if run:
            out.append(run[0][2] if len(run) == 1 else f"{run[0][2]}:{run[-1][2]}")
        run = [(r, k, c)]
    if run:
        out.append(run[0][2] if len(run) == 1 else f"{run[0][2]}:{run[-1][2]}")
    return "、".join(out)


def balance_inputs(sheet: TableSheet, rows: Mapping[str, Any], b: Balance, cell: str) -> tuple[tuple[str, ...], str, str]:
    """The input cells behind a balance that fails at ``cell`` (the total's), and a hint
    naming them, Chinese and English: when the total is a formula the clerk cannot edit,
    the figures to check are the ones typed into its parts and the other side's (an
    input total, which no template has, is itself the cell to check)."""
    cells = _input_cells(sheet, rows, b.total, b.col) + [c for p in b.parts for c in _input_cells(sheet, rows, p, b.col)]
    related = tuple(dict.fromkeys(c for c in cells if c != cell))
    if not related:
        return (), "", ""
    shown = _cell_ranges(sorted(related, key=lambda c: split_addr(c)[::-1]))
    total = rows.get(b.total)
    f = total.amount(b.col) if total is not None else None
    if f is not None and f.formula:  # a computed cell of the template (grey, protected)
        return (related, f"{cell} 是计算单元格，请核对 {shown} 中填写的数。",
                f"{cell} is a computed cell: check the figures in {shown.replace('、', ', ')}.")
    return related, f"请核对 {shown}。", f"Check {shown.replace('、', ', ')}."
