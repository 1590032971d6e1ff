"""What the two added sheets (校验结果, 复核评分) share: a new sheet, its title lines, a
header row, columns and rows sized to their text, internal links."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Sequence

from perfxl.annotate.styles import HEADER_FILL, Styles
from perfxl.layout import column_width, row_height, wrapped_lines
from perfxl.safe import set_text

if TYPE_CHECKING:  # pragma: no cover
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet


def internal_link(sheet: str, cell: str = "A1") -> str:
    """The location of an internal hyperlink: ``'绩效指标'!G7`` (quotes doubled)."""
    return "'" + sheet.replace("'", "''") + "'!" + cell


def new_sheet(wb: Workbook, title: str, index: int, header_row: int) -> Worksheet:
    """A new sheet at ``index`` (a name the workbook already uses gets a suffix), with its
    header row repeated on each printed page (the rest of the print setup:
    :func:`print_setup`)."""
    name, n = title, 1
    while name in wb.sheetnames:
        n += 1
        name = f"{title}_{n}"
    ws = wb.create_sheet(name, index)
    ws.print_title_rows = f"{header_row}:{header_row}"
    return ws


def fit_rows(ws: Worksheet, first: int, last: int, wrapped: Sequence[int]) -> None:
    """Make each row tall enough for the text of its ``wrapped`` columns (programs do not
    refit rows of a file they open); a row whose text fits on one line keeps the default."""
    from openpyxl.utils import get_column_letter

    widths = {c: ws.column_dimensions[get_column_letter(c)].width or 8.43 for c in wrapped}
    cells = ws._cells  # looked up, not created: ws.cell() would add every empty cell to the file
    for r in range(first, last + 1):
        n = max((wrapped_lines(v, widths[c]) for c in wrapped
                 if (cell := cells.get((r, c))) is not None and isinstance(v := cell.value, str) and v), default=1)
        height = row_height(n)
        if height is not None:
            ws.row_dimensions[r].height = height


def size_columns(ws: Worksheet, header_row: int, last: int, widest: Sequence[float]) -> None:
    """Each column as wide as its header and content (one line each), up to ``widest``."""
    from openpyxl.utils import get_column_letter

    cells = ws._cells  # looked up, not created (see fit_rows)
    for c, cap in enumerate(widest, start=1):
        values = [_shown_width_text(cell) for r in range(header_row + 1, last + 1)
                  if (cell := cells.get((r, c))) is not None]
        header = ws.cell(header_row, c).value or ""
        ws.column_dimensions[get_column_letter(c)].width = column_width(values, str(header), minimum=5, maximum=cap)


def _shown_width_text(cell: Any) -> str:
    """The text a cell shows (numbers as formatted), for sizing its column."""
    v = cell.value
    if isinstance(v, float):
        return f"{v:.2%}" if cell.number_format.endswith("%") else f"{v:.2f}"
    return "" if v is None else str(v)


def header(ws: Worksheet, st: Styles, row: int, labels: Sequence[str]) -> None:
    for c, label in enumerate(labels, start=1):
        cell = ws.cell(row, c)
        set_text(cell, label)
        st.font(cell, bold=True)
        st.fill(cell, HEADER_FILL)
        st.alignment(cell, horizontal="center", vertical="center", wrap_text=True)
        st.bottom_border(cell)


def title(ws: Worksheet, st: Styles, text: str, sub: str) -> None:
    set_text(ws.cell(1, 1), text)
    st.font(ws.cell(1, 1), bold=True, size=14)
    set_text(ws.cell(2, 1), sub)
    st.font(ws.cell(2, 1), color="FF595959")
