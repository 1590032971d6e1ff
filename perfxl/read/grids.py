"""Grids: the one place that talks to the spreadsheet library.

python-calamine (the engine behind ``pandas.read_excel(engine="calamine")``, used
directly: pandas is not a dependency of reading) turns every sheet into a list of rows
starting at A1, so that indices align with addresses.  Everything the library raises
while it parses becomes a :class:`ParserError` here, and only here: an exception
anywhere else in perfxl is a bug, never a damaged file.  The small grid helpers live
here too, so the modules that locate and read cells need nothing from the library.
"""

from __future__ import annotations

import contextlib
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from perfxl.xmlprobe import XmlProbe

Grid = list[list[Any]]


@dataclass
class Book:
    """A workbook as grids: sheet names in order, each sheet a list of rows (A1 first)."""

    path: Path
    fmt: str
    names: list[str]
    grids: dict[str, Grid]
    suspect: bool = False  # the probe found uncalculated formulas or error values
    _probe: XmlProbe | None = None

    def probe(self) -> XmlProbe | None:
        """The sheet-XML probe (xlsx only): formula and error cells calamine hides."""
        if self.fmt != "xlsx":
            return None
        if self._probe is None:
            self._probe = XmlProbe(self.path)
        return self._probe


def _open_calamine(path: Path, by_content: bool):
    import python_calamine as pc

    try:
        if by_content:
            with open(path, "rb") as fh:
                return pc.CalamineWorkbook.from_filelike(fh)
        return pc.CalamineWorkbook.from_path(str(path))
    except BaseException as e:
        raise _as_parser_error(e) from e


class ParserError(Exception):
    """The spreadsheet library could not parse the file (a damaged or unsupported file).

    Raised only around the library's own calls (:func:`_as_parser_error`): an exception
    in perfxl's code is never one — it is a bug, reported as such (F902)."""

    def __init__(self, kind: str, detail: str):
        super().__init__(f"{kind}: {detail}")
        self.kind, self.detail = kind, detail


def _is_panic(e: BaseException) -> bool:
    # pyo3 turns a Rust panic into PanicException, which derives from BaseException.
    return type(e).__name__ == "PanicException"


def _as_parser_error(e: BaseException) -> BaseException:
    """What the parser library raised, as perfxl answers it: the file cannot be parsed
    (:class:`ParserError`) — except running out of memory, which is its own answer, and
    interrupts (Ctrl-C, the batch's time limit), which pass through as they are.  Used
    only around the library's own calls: an exception in perfxl's code is a bug."""
    if isinstance(e, (MemoryError, TooManyRows)) or not (isinstance(e, Exception) or _is_panic(e)):
        return e
    return ParserError(type(e).__name__, str(e)[:300])


def read_grids(path: str | Path, *, by_content: bool = False, max_rows: int | None = None,
               only: Collection[str] | None = None) -> tuple[list[str], dict[str, Grid]]:
    """Every sheet (or those named in ``only``) as a list of rows through python-calamine,
    starting at A1, and the names of all sheets in order.

    ``by_content`` opens the file by its bytes instead of its extension (an .xls renamed
    .xlsx).  A sheet taller than ``max_rows`` raises :class:`TooManyRows` before its
    cells are turned into Python objects.  What the library cannot parse raises
    :class:`ParserError`.
    """
    with _workbook(Path(path), by_content) as wb:
        # The loop between the library's calls only stores their results.
        names = list(wb.sheet_names)
        grids: dict[str, Grid] = {}
        for name in names:
            if only is not None and name not in only:
                continue
            grids[name] = _grid(wb.get_sheet_by_name(name), name, max_rows)
        return names, grids


def _grid(sheet: Any, name: str, max_rows: int | None) -> Grid:
    """One sheet's rows; too tall a sheet raises before its cells become Python objects."""
    h = sheet.total_height or sheet.height
    if max_rows is not None and h > max_rows:
        raise TooManyRows(name, h)
    return sheet.to_python(skip_empty_area=False)


Ranges = list[tuple[tuple[int, int], tuple[int, int]]]


def read_workbook_grids(path: str | Path, *, by_content: bool = False, max_rows: int | None = None,
                        only: Collection[str] | None = None, marks: Collection[str] = ()
                        ) -> tuple[list[str], dict[str, Grid], dict[str, Ranges | None] | None]:
    """The grids a workbook's kind needs: (names, grids, merged ranges).

    A workbook holding a sheet named in ``marks`` (the 部门整体 template's sheets) is read
    as :func:`read_grids` reads it, the sheets of ``only`` alone, with no merges (None).  Any other
    workbook may hold forms on sheets of any name (项目支出绩效自评表): every sheet is read,
    with its merged ranges (None for a format that does not tell them: ods)."""
    with _workbook(Path(path), by_content) as wb:
        # One opening: the sheet names tell the kind before any sheet is parsed.
        names = list(wb.sheet_names)
        whole = only is None or not any(n in marks for n in names)
        grids: dict[str, Grid] = {}
        merges: dict[str, Ranges | None] | None = {} if whole and only is not None else None
        for name in names:
            if not whole and name not in only:  # type: ignore[operator]
                continue
            sheet = wb.get_sheet_by_name(name)
            grids[name] = _grid(sheet, name, max_rows)
            if merges is not None:
                ranges = getattr(sheet, "merged_cell_ranges", None)
                merges[name] = None if ranges is None else [((r1, c1), (r2, c2)) for (r1, c1), (r2, c2) in ranges]
        return names, grids, merges


@contextlib.contextmanager
def _workbook(path: Path, by_content: bool) -> Iterator[Any]:
    """An open python-calamine workbook, closed after use; what the library raises while
    it is used is a :class:`ParserError` (see :func:`_as_parser_error`)."""
    wb = _open_calamine(path, by_content)
    try:
        yield wb
    except BaseException as e:
        err = _as_parser_error(e)
        if err is e:
            raise
        raise err from e
    finally:
        close = getattr(wb, "close", None)
        if close:
            close()


@dataclass
class Sheets:
    """Every sheet of a workbook as values (for a copy of a workbook openpyxl cannot open):
    names in order, grids, merged ranges ((first row, first col), (last row, last col),
    0-based) and the names of hidden sheets."""

    names: list[str]
    grids: dict[str, Grid]
    merged: dict[str, list[tuple[tuple[int, int], tuple[int, int]]]]
    hidden: set[str]


class TooManyRows(Exception):
    """A sheet taller than the row limit (raised by :func:`read_grids`)."""

    def __init__(self, sheet: str, rows: int):
        super().__init__(sheet, rows)
        self.sheet, self.rows = sheet, rows


def _get(grid: Grid, r: int, c: int) -> Any:
    """Cell at 0-based row/column; None beyond the (possibly ragged) grid."""
    if 0 <= r < len(grid):
        row = grid[r]
        if 0 <= c < len(row):
            v = row[c]
            return None if v == "" else v
    return None


def _row_blank(grid: Grid, r: int, cols: list[int], span: tuple[int, int] | None = None) -> bool:
    """Whether row ``r`` holds nothing (or only whitespace) in ``cols``.  ``span`` is
    (first, end) when ``cols`` is that whole contiguous range: a row of empty cells —
    most rows of a template table — is then told by one C-level count."""
    if r >= len(grid):
        return True
    row = grid[r]
    if span is not None:
        seg = row[span[0]:span[1]]
        if seg.count("") + seg.count(None) == len(seg):
            return True
    n = len(row)
    for c in cols:
        if c < n:
            v = row[c]
            if v is not None and v != "" and not (v.__class__ is str and not v.strip()):
                return False
    return True


def _span(cols: list[int]) -> tuple[int, int] | None:
    """(first, end) when ``cols`` are exactly a contiguous range of columns."""
    if not cols:
        return None
    lo, hi = min(cols), max(cols) + 1
    return (lo, hi) if hi - lo == len(set(cols)) else None
