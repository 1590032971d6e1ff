"""The writer's workbook: xlsxwriter with the house formats and a small model of the cells
written, so that formula cells carry a cached value as a file saved by Excel has.

Shared by every template kind's writer (:mod:`perfxl.template` for 部门整体,
:mod:`perfxl.template_project` for 项目支出), which add their sheets to it; neither needs
the other's module.
"""

from __future__ import annotations

import datetime as dt
import numbers
from collections.abc import Callable, Iterable
from typing import Any

from perfxl.layout import FOOTER, is_landscape, row_height, wrapped_lines
from perfxl.spec import DEPT, addr

# Fixed document properties: the same inputs give the same file.
_CREATED = dt.datetime(2024, 1, 1, 0, 0, 0)

_YELLOW = "#FFF2CC"
_GREY = "#D9D9D9"
_HEADER = "#DDEBF7"

_NUM_FORMATS = {
    "amount": "0.00",
    "rate": "0.00%",
    "int": "0",
    "year": "0",
    "uscc": "@",
    "phone": "@",
    "date": "yyyy-mm-dd",
}
_WRAP_KINDS = ("text",)
_ERRORS = ("#DIV/0!", "#N/A", "#NAME?", "#NULL!", "#NUM!", "#REF!", "#VALUE!")


def default_year() -> int:
    """Last calendar year: the year a self-evaluation is normally written for."""
    return dt.date.today().year - 1


# ---------------------------------------------------------------------------
# A tiny model of the cells written, so formula cells can carry cached values
# ---------------------------------------------------------------------------


class _XLError(Exception):
    """An Excel error value (#VALUE!, #DIV/0!) raised while computing a cached value."""


def _arith(v: Any) -> float:
    """A cell value as Excel arithmetic sees it (blank → 0, numeric text coerced)."""
    if v is None:
        return 0.0
    if isinstance(v, bool):
        return float(v)
    if isinstance(v, (int, float)):
        return float(v)
    if isinstance(v, str):
        if v in _ERRORS:
            raise _XLError(v)
        try:
            return float(v.replace(",", "").strip())
        except ValueError:
            raise _XLError("#VALUE!") from None
    raise _XLError("#VALUE!")


def _sum(values: Iterable[Any]) -> float:
    """Excel SUM over cell references: numbers add up, text and blanks are ignored."""
    total = 0.0
    for v in values:
        if isinstance(v, str) and v in _ERRORS:
            raise _XLError(v)
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            total += v
    return total


class _Formula:
    def __init__(self, text: str, fn: Callable[[Callable[[str, int, int], Any]], Any], fmt: Any):
        self.text, self.fn, self.fmt = text, fn, fmt


class _Book:
    """Wraps an xlsxwriter workbook; records values so formulas can be evaluated."""

    def __init__(self, wb: Any, cached: bool):
        self.wb = wb
        self.cached = cached
        self.values: dict[str, dict[tuple[int, int], Any]] = {}
        self.formulas: dict[str, dict[tuple[int, int], _Formula]] = {}
        self.sheets: dict[str, Any] = {}
        self._memo: dict[tuple[str, int, int], Any] = {}
        self.wrap: dict[str, dict[int, float]] = {}  # sheet → wrapped column → width
        self.widths: dict[str, dict[int, float]] = {}  # sheet → column (1-based) → width, hidden ones left out
        self.print_rows: dict[str, tuple[int, int]] = {}  # sheet → (header row, last row of its table)
        self.blank = False
        self._formats: dict[tuple, Any] = {}

    # formats -------------------------------------------------------------
    def fmt(self, **props: Any) -> Any:
        key = tuple(sorted(props.items()))
        if key not in self._formats:
            base = {"font_name": "宋体", "font_size": 11, "valign": "vcenter"}
            base.update(props)
            self._formats[key] = self.wb.add_format(base)
        return self._formats[key]

    def cell_fmt(self, role: str, kind: str = "text", indent: int = 0) -> Any:
        props: dict[str, Any] = {"border": 1}
        num = _NUM_FORMATS.get(kind)
        if num:
            props["num_format"] = num
        if role == "input":
            props.update(bg_color=_YELLOW, locked=False)
            if kind in _WRAP_KINDS:
                props["text_wrap"] = True
        elif role == "computed":
            props.update(bg_color=_GREY)
        elif role == "label":
            props.update(bold=indent == 0)
            if indent:
                props["indent"] = indent
        elif role == "header":
            props.update(bold=True, bg_color=_HEADER, align="center", text_wrap=True)
        return self.fmt(**props)

    # sheets and cells ------------------------------------------------------
    def add_sheet(self, name: str) -> Any:
        ws = self.wb.add_worksheet(name)
        self.sheets[name] = ws
        self.widths[name] = {}
        self.values[name] = {}
        self.formulas[name] = {}
        return ws

    def put(self, sheet: str, row: int, col: int, value: Any, fmt: Any = None) -> None:
        """Write a constant (1-based row/col); text always as a string, never a formula."""
        ws = self.sheets[sheet]
        r, c = row - 1, col - 1
        self.formulas[sheet].pop((row, col), None)
        self.values[sheet][(row, col)] = value
        if value is None:
            ws.write_blank(r, c, None, fmt)
        elif isinstance(value, bool):
            ws.write_boolean(r, c, value, fmt)
        elif isinstance(value, (int, float)):
            ws.write_number(r, c, value, fmt)
        elif isinstance(value, numbers.Number) and not isinstance(value, complex):  # numpy, Decimal
            self.values[sheet][(row, col)] = float(value)  # type: ignore[arg-type]
            ws.write_number(r, c, float(value), fmt)  # type: ignore[arg-type]
        elif isinstance(value, dt.datetime):
            ws.write_datetime(r, c, value, fmt)
        elif isinstance(value, dt.date):
            ws.write_datetime(r, c, dt.datetime(value.year, value.month, value.day), fmt)
        elif isinstance(value, str):
            ws.write_string(r, c, value, fmt)
        else:
            raise TypeError(f"{sheet}!{addr(row, col)}: cannot write a {type(value).__name__}")

    def formula(self, sheet: str, row: int, col: int, text: str, fn: Callable, fmt: Any) -> None:
        self.values[sheet].pop((row, col), None)
        self.formulas[sheet][(row, col)] = _Formula(text, fn, fmt)

    def merge(self, sheet: str, r1: int, c1: int, r2: int, c2: int, value: Any, fmt: Any) -> None:
        """Merge a range; the value sits in the top-left cell only (as Excel keeps it)."""
        ws = self.sheets[sheet]
        self.values[sheet][(r1, c1)] = value
        for r in range(r1, r2 + 1):
            for c in range(c1, c2 + 1):
                if (r, c) != (r1, c1):
                    self.values[sheet][(r, c)] = None
        if isinstance(value, str) or value is None:
            ws.merge_range(r1 - 1, c1 - 1, r2 - 1, c2 - 1, "", fmt)
            if value is not None:
                ws.write_string(r1 - 1, c1 - 1, value, fmt)
        else:
            ws.merge_range(r1 - 1, c1 - 1, r2 - 1, c2 - 1, "", fmt)
            ws.write_number(r1 - 1, c1 - 1, value, fmt)

    def ev(self, sheet: str, row: int, col: int) -> Any:
        """The value a cell shows: a constant, or its formula's computed value."""
        f = self.formulas[sheet].get((row, col))
        if f is None:
            return self.values[sheet].get((row, col))
        key = (sheet, row, col)
        if key not in self._memo:
            self._memo[key] = "#REF!"  # guards against a cycle
            try:
                self._memo[key] = f.fn(self.ev)
            except _XLError as e:
                self._memo[key] = str(e)
        return self._memo[key]

    def column(self, sheet: str, col: int, width: float, hidden: bool = False) -> None:
        """Set a column's width (1-based ``col``), remembered for the page setup."""
        self.sheets[sheet].set_column(col - 1, col - 1, width, None, {"hidden": True} if hidden else {})
        if not hidden:
            self.widths[sheet][col] = width

    def wrap_column(self, sheet: str, col: int, width: float) -> None:
        """Mark a column whose text wraps, so rows get the height their text needs."""
        self.wrap.setdefault(sheet, {})[col] = width

    def _fit_rows(self) -> None:
        # Neither Excel nor LibreOffice grows a row for wrapped text on opening a file,
        # so long text would hide behind one line: set the height it needs.
        for sheet, cols in self.wrap.items():
            need: dict[int, int] = {}
            for (row, col), v in self.values[sheet].items():
                if col in cols and isinstance(v, str) and v:
                    need[row] = max(need.get(row, 1), wrapped_lines(v, cols[col], size=11))
            for row, lines in sorted(need.items()):
                height = row_height(lines, size=11)
                if height is not None:
                    self.sheets[sheet].set_row(row - 1, height)

    def _pages(self) -> None:
        # How the bureau prints it: A4, landscape only when wider than a portrait page,
        # one page wide, a table's header row on every page, the blank rows of a free
        # table printed as the empty form they are, page numbers in the footer.
        for sheet, ws in self.sheets.items():
            widths = self.widths[sheet]
            if sheet == DEPT.meta_sheet:
                continue
            ws.set_paper(9)
            if is_landscape(sum(widths.values())):
                ws.set_landscape()
            else:
                ws.set_portrait()
            ws.fit_to_pages(1, 0)
            ws.set_footer(FOOTER)
            rows = self.print_rows.get(sheet)
            if rows is not None:
                header, last = rows
                ws.repeat_rows(header - 1)
                if self.blank:  # a filled workbook prints what is filled in
                    ws.print_area(0, 0, last - 1, max(widths) - 1)

    def flush(self) -> None:
        """Write every formula with its cached value (or an empty one); set up the pages."""
        self._fit_rows()
        self._pages()
        for sheet, cells in self.formulas.items():
            ws = self.sheets[sheet]
            for (row, col), f in sorted(cells.items()):
                value: Any = self.ev(sheet, row, col) if self.cached else ""
                if value is None:
                    value = ""
                if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
                    value = int(value)
                ws.write_formula(row - 1, col - 1, "=" + f.text, f.fmt, value)
