"""Print settings of every visible sheet of the annotated copy (:mod:`perfxl.layout`), and
the one selected tab."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from perfxl.layout import FOOTER, is_landscape
from perfxl.spec import DEPT, TableSheet

if TYPE_CHECKING:  # pragma: no cover
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet


# Where a table sheet's header row is (repeated on each printed page, panes frozen below).
_HEADER_ROWS = {s.name: s.header_row for s in DEPT.sheets if isinstance(s, TableSheet)}


def print_setup(wb: Workbook) -> None:
    """Every visible sheet prints as a finance office prints (:mod:`perfxl.layout`): A4,
    landscape when wider than a portrait page, one page wide, a table's header row repeated
    on each page with panes frozen below it, page numbers in the footer."""
    from openpyxl.utils import get_column_letter

    for ws in wb.worksheets:
        if ws.sheet_state != "visible":
            continue
        last_col = max(ws.max_column, 1)
        dims = [_dimension(ws, c) for c in range(1, last_col + 1)]
        widths = [(d.width if d is not None else None) or 8.43 for d in dims if d is None or not d.hidden]
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.orientation = "landscape" if is_landscape(sum(widths)) else "portrait"
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        header = _HEADER_ROWS.get(ws.title)
        if header is not None:
            if not ws.print_title_rows:
                ws.print_title_rows = f"{header}:{header}"
            if ws.freeze_panes is None:
                ws.freeze_panes = f"A{header + 1}"
            if ws.print_area:  # the blank form's print area: print only the rows filled in
                cols = sum(1 for d in dims if d is None or not d.hidden)
                ws.print_area = f"A1:{get_column_letter(cols)}{max(_last_filled_row(ws), header + 1)}"
        ws.oddFooter.center.text = FOOTER.removeprefix("&C")


def _dimension(ws: Worksheet, col: int) -> Any:
    """A column's dimensions, or None (looked up: indexing would add an entry to the file)."""
    from openpyxl.utils import get_column_letter

    return ws.column_dimensions.get(get_column_letter(col))


def _last_filled_row(ws: Worksheet) -> int:
    """The last row holding a value in a visible column (formatted blank cells and the
    template's hidden helper column do not count)."""
    hidden = {c for c in range(1, ws.max_column + 1) if (d := _dimension(ws, c)) is not None and d.hidden}
    return max((r for (r, c), cell in ws._cells.items() if c not in hidden and cell.value not in (None, "")),
               default=1)


def focus_first_sheet(wb: Workbook) -> None:
    # One selected tab only: several selected tabs make Excel "group" the sheets, and an
    # edit would then land on all of them.
    for ws in wb.worksheets:
        ws.sheet_view.tabSelected = False
    wb.active = 0
    wb.worksheets[0].sheet_view.tabSelected = True
