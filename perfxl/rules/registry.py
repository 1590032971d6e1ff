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
or missing): the reader's own V finding already stands at that cell.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Iterable, Literal, Mapping

from perfxl.findings import Finding
from perfxl.model import Field
from perfxl.spec import TableSheet, split_addr

if TYPE_CHECKING:  # pragma: no cover
    from perfxl.rulebook import Rulebook
    from perfxl.score import ScoreCard

__all__ = [
    "Check",
    "CHECKS",
    "check",
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
]

Scope = Literal["unit", "batch"]


@dataclass(frozen=True)
class Check:
    """A registered check: the function, the codes it can emit and its scope."""

    func: Callable[..., Iterable[Finding]]
    codes: tuple[str, ...]
    scope: Scope = "unit"

    @property
    def name(self) -> str:
        return f"{self.func.__module__}.{self.func.__qualname__}"


CHECKS: list[Check] = []


def check(*codes: str, scope: Scope = "unit") -> Callable[[Callable[..., Iterable[Finding]]], Callable[..., Iterable[Finding]]]:
    """Register a check function that can emit ``codes``."""

    def deco(func: Callable[..., Iterable[Finding]]) -> Callable[..., Iterable[Finding]]:
        CHECKS.append(Check(func, tuple(codes), scope))
        return func

    return deco


@dataclass
class RuleContext:
    """What a check may use besides the unit: the rulebook, the score card (None when
    scoring was not possible), the batch year when given, and a cache for facts several
    checks share (so they agree on them and do not cascade)."""

    rulebook: Rulebook
    card: ScoreCard | None = None
    year: int | None = None
    cache: dict[str, Any] = field(default_factory=dict)

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
    """An amount cell of a fixed table: blank (or missing) counts as 0 — clerks leave
    rows they have no money in empty — while unreadable cells give None."""
    if f is None:
        return 0.0
    s = f.status
    if s == "ok":
        return f.number
    return 0.0 if s in ("blank", "missing") else None


def text(f: Field | None) -> str | None:
    """The stripped text of a readable field, else None."""
    if f is None or not f.ok or f.value is None:
        return None
    return str(f.value).strip()


def is_empty_text(f: Field | None, placeholders: Iterable[str]) -> bool:
    """True when a text cell is blank or holds only a placeholder (``*``, ``-``, ``无`` …).

    The reader reads a lone dash as blank but keeps it in ``raw``; unreadable cells
    (errors) are not 'empty' — the reader reports those.
    """
    if f is None or f.status in ("blank", "missing"):
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

    ``report`` is False for failures that are another finding's consequence: the same
    total cell already reported for another decomposition, a subtotal part that is itself
    wrong, or a formula total whose cached value only lacks parts typed as text (Excel's
    SUM skips text; the reader's V001 stands at those cells).
    """

    total: str  # row key
    parts: tuple[str, ...]
    col: str
    expected: float
    actual: float
    report: bool = True


def balance_failures(
    sheet: TableSheet, rows: Mapping[str, Any], cols: Iterable[str], tol: float
) -> list[Balance]:
    """Every (total row, column, decomposition) whose total differs from its parts' sum.

    Cells the reader could not read are skipped.  See :class:`Balance` for which ones
    are reported; rules that depend on a total use all of them (see :func:`candidates`).
    """

    def field_of(key: str, col: str) -> Field | None:
        row = rows.get(key)
        return None if row is None else row.amount(col)

    out: list[Balance] = []
    for col in cols:
        # Each cell is asked about many times below (once per decomposition it is in,
        # then again for the report flags): its value is worked out once per column.
        # A row the reader did not produce has no value (None), like an unreadable cell.
        values = {key: amount(row.amount(col)) for key, row in rows.items() if row is not None}
        value = values.get
        direct: dict[tuple[str, tuple[str, ...]], float] = {}
        # A total next to an unreadable cell (in any of its decompositions) is not judged:
        # the reader's V finding stands there, and a formula total's cached value has
        # silently skipped it.
        unreadable: set[str] = set()
        for total, parts in sheet.balances:
            vals = [value(p) for p in parts]
            t = value(total)
            if t is None or None in vals:
                unreadable.add(total)
                continue
            s = math.fsum(vals)  # type: ignore[arg-type]
            if not close(t, s, tol):
                direct[(total, parts)] = s
        if not direct:
            continue  # the usual case: every total of this column balances
        failing_totals = {t for (t, _p) in direct}
        # A formula total whose cached value only misses parts typed as text (Excel's SUM
        # skips text; the reader's V001 stands there) is a consequence, in every
        # decomposition of that total.
        text_explained: set[str] = set()
        for (total, parts) in direct:
            tf = field_of(total, col)
            if tf is None or not tf.formula:
                continue
            texts = [p for p in parts if (pf := field_of(p, col)) is not None and pf.converted]
            t = value(total)
            if texts and t is not None and close(t, math.fsum(value(p) for p in parts if p not in texts), tol):  # type: ignore[misc]
                text_explained.add(total)
        reported: set[str] = set()
        for (total, parts), s in direct.items():
            t = value(total)
            assert t is not None
            report = total not in reported
            # A part that is itself a failing subtotal explains this failure.
            if any(p in failing_totals for p in parts):
                fixed = [direct.get(next((t2, p2) for (t2, p2) in direct if t2 == p), 0.0)
                         if p in failing_totals else value(p) for p in parts]
                if close(t, math.fsum(fixed), tol):  # type: ignore[arg-type]
                    report = False
            if total in text_explained or total in unreadable:
                report = False
            if report:
                reported.add(total)
            out.append(Balance(total, parts, col, round(s, 6), t, report))
    return out


def candidates(
    failures: Iterable[Balance], rows: Mapping[str, Any], key: str, col: str, sheet: TableSheet | None = None
) -> list[float] | None:
    """The values a cell may really hold: as read and, for a total that does not balance,
    each sum of its parts; with ``sheet``, also the sums that follow when one of its parts
    is such a total (公车费 typed over moves 三公经费合计).  A rule that depends on a total
    fires only when its conclusion holds for every candidate — so a broken total is
    reported once (by the balance rule), not again through the rate or the score."""
    import itertools

    failures = list(failures)
    row = rows.get(key)
    if row is None:
        return None
    v = amount(row.amount(col))
    if v is None:
        return None
    out = [v]
    out.extend(b.expected for b in failures if b.total == key and b.col == col)
    if sheet is not None:
        for total, parts in sheet.balances:
            if total != key or not any(b.total in parts and b.col == col for b in failures):
                continue
            options = [candidates(failures, rows, p, col, sheet) for p in parts]
            if any(o is None for o in options):
                continue
            out.extend(math.fsum(combo) for combo in itertools.product(*options))  # type: ignore[arg-type]
    return sorted(set(out))


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
