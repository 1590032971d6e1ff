"""Opening the original for its annotated copy: OOXML through openpyxl, anything else as
the values the reader's own guarded read gives."""

from __future__ import annotations

import zipfile
from collections import defaultdict
from pathlib import Path
from typing import TYPE_CHECKING, Any, Sequence

from perfxl.layout import column_width
from perfxl.safe import set_value
from perfxl.spec import col_letter

if TYPE_CHECKING:  # pragma: no cover
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

    from perfxl.rulebook import Rulebook


def _is_ooxml(path: Path) -> bool:
    try:
        with zipfile.ZipFile(path) as z:
            return "xl/workbook.xml" in z.namelist()
    except (zipfile.BadZipFile, OSError):
        return False


def open_original(path: Path, rulebook: Rulebook | None) -> tuple[Workbook, str | None]:
    """(workbook, why values only).  OOXML through openpyxl whatever the extension: the
    original itself, and None.  Anything else, or an OOXML file openpyxl cannot load, as
    the values the reader's own guarded read gives (:func:`perfxl.reader.read_sheets`: the
    guards, the row limit, and xls/ods parsed in the isolated child with its memory cap and
    deadline — never in this process), with the reason in words for the copy's first page."""
    import openpyxl

    from perfxl.annotate.merges import fast_merges

    why = "原文件不是 .xlsx"
    if _is_ooxml(path):
        try:
            # A file handle, not the name: openpyxl refuses names not ending in .xlsx/.xlsm
            # (an .xlsx saved as .xls is common), and a handle is read-only by construction.
            with open(path, "rb") as fh, fast_merges():
                return openpyxl.load_workbook(fh, keep_vba=False, rich_text=False), None
        except MemoryError:
            raise  # its own answer (F904 in the batch)
        except Exception as e:  # noqa: BLE001 - openpyxl cannot load it: the copy says so and holds the values
            why = f"openpyxl 未能打开原文件（{type(e).__name__}: {str(e)[:120]}）"
    return _values_workbook(path, rulebook), why


def _values_workbook(path: Path, rulebook: Rulebook | None) -> Workbook:
    """A new openpyxl workbook holding the values of every sheet."""
    from openpyxl import Workbook

    from perfxl.reader import read_sheets

    src = read_sheets(path, rulebook)
    wb = Workbook()
    wb.remove(wb.active)
    for name in src.names:
        ws = wb.create_sheet(_sheet_title(name))
        for r, row in enumerate(src.grids.get(name, ()), start=1):
            for c, v in enumerate(row, start=1):
                if v == "" or v is None:
                    continue
                set_value(ws.cell(r, c), v)
        for (r1, c1), (r2, c2) in src.merged.get(name, ()):
            if (r1, c1) != (r2, c2):
                ws.merge_cells(start_row=r1 + 1, start_column=c1 + 1, end_row=r2 + 1, end_column=c2 + 1)
        _value_widths(ws, src.grids.get(name, ()), src.merged.get(name, ()))
        if name in src.hidden:
            ws.sheet_state = "hidden"
    if not wb.worksheets:
        wb.create_sheet("Sheet1")
    return wb


def _value_widths(ws: Worksheet, grid: Sequence[Sequence[Any]], merged: Sequence[Any]) -> None:
    """Columns as wide as their values (the original's widths are not in a values-only copy,
    and Excel's default width cuts every Chinese label); a value merged across columns
    does not widen its first column."""
    spans = {(r1, c1) for (r1, c1), (_r2, c2) in merged if c2 > c1}
    columns: dict[int, list[Any]] = defaultdict(list)
    for r, row in enumerate(grid):
        for c, v in enumerate(row):
            if v not in ("", None) and (r, c) not in spans:
                columns[c].append(v)
    for c, values in columns.items():
        ws.column_dimensions[col_letter(c + 1)].width = column_width(values, minimum=6.0, maximum=30.0)


def _sheet_title(name: str) -> str:
    # openpyxl refuses characters Excel forbids in sheet names; .ods allows some of them.
    bad = '[]:*?/\\'
    return "".join("_" if ch in bad else ch for ch in name)[:31] or "Sheet"
