"""A sheet as a grid of styled cells and merges, saved as .xlsx (openpyxl) or .xls (xlwt).

The form layout is computed once, as a :class:`Grid`; the two backends only draw it.  Both
write the same bytes for the same grids: the .xlsx archive gets fixed member times and a
fixed document date (openpyxl stamps "now" into docProps/core.xml on every save), and xlwt
writes no time at all.  Knows nothing of perfxl.
"""

from __future__ import annotations

import io
import os
import re
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = ["Grid", "STYLES", "save", "a1", "col_letter"]

# name → (font size, bold, horizontal, wrap, border, number format)
STYLES: dict[str, tuple[int, bool, str, bool, bool, str | None]] = {
    "cover": (22, True, "center", True, False, None),
    "title": (16, True, "center", False, False, None),
    "subtitle": (11, False, "center", False, False, None),
    "note": (10, False, "left", False, False, None),
    "plain": (11, False, "left", True, False, None),
    "head": (10, True, "center", True, True, None),
    "label": (10, False, "center", True, True, None),
    "text": (10, False, "left", True, True, None),
    "center": (10, False, "center", True, True, None),
    "money": (10, False, "right", False, True, "0.00"),
    "num": (10, False, "center", False, True, None),
    "num2": (10, False, "center", False, True, "0.00"),
    "pct": (10, False, "center", False, True, "0.00%"),
}
FONT = "宋体"
# A fixed moment for the document properties and zip members of every .xlsx written.
FIXED_TIME = (2024, 3, 1, 9, 0, 0)


def col_letter(c: int) -> str:
    """0-based column index → letters (0 → A, 26 → AA)."""
    s = ""
    c += 1
    while c:
        c, rem = divmod(c - 1, 26)
        s = chr(65 + rem) + s
    return s


def a1(r: int, c: int) -> str:
    """0-based row and column → an A1 address."""
    return f"{col_letter(c)}{r + 1}"


@dataclass
class Grid:
    """One sheet: values and styles by (row, col), merged ranges, widths and heights (0-based)."""

    name: str
    cells: dict[tuple[int, int], tuple[Any, str]] = field(default_factory=dict)
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)
    widths: dict[int, float] = field(default_factory=dict)
    heights: dict[int, float] = field(default_factory=dict)

    def put(self, r: int, c: int, value: Any, style: str = "text") -> str:
        """Write one cell; returns its A1 address."""
        self.cells[(r, c)] = (value, style)
        return a1(r, c)

    def merge(self, r1: int, c1: int, r2: int, c2: int, value: Any, style: str = "label") -> str:
        """Write ``value`` in the top-left cell of a range, style the whole range (so its
        borders are drawn), and merge it unless it is a single cell.  Returns the top-left address."""
        for r in range(r1, r2 + 1):
            for c in range(c1, c2 + 1):
                self.cells[(r, c)] = (None, style)
        self.cells[(r1, c1)] = (value, style)
        if (r1, c1) != (r2, c2):
            self.merges.append((r1, c1, r2, c2))
        return a1(r1, c1)


def save(path: str | Path, grids: list[Grid]) -> Path:
    """Write ``grids`` as sheets of one workbook, the format chosen by the suffix (.xlsx/.xls).

    Written atomically (a temporary file in the same folder, then renamed)."""
    path = Path(path)
    if path.suffix.lower() == ".xlsx":
        data = _xlsx_bytes(grids)
    elif path.suffix.lower() == ".xls":
        data = _xls_bytes(grids)
    else:
        raise ValueError(f"cannot write {path.suffix!r}: .xlsx or .xls")
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".~", suffix=path.suffix)
    with os.fdopen(fd, "wb") as f:
        f.write(data)
    os.chmod(tmp, 0o644)
    os.replace(tmp, path)
    return path


# --------------------------------------------------------------------------- xlsx


def _xlsx_bytes(grids: list[Grid]) -> bytes:
    import datetime as dt

    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side

    wb = Workbook()
    wb.remove(wb.active)
    wb.properties.creator = "示例县财政局"
    wb.properties.created = dt.datetime(*FIXED_TIME)
    thin = Side(style="thin")
    looks = {}
    for name, (size, bold, horiz, wrap, border, fmt) in STYLES.items():
        looks[name] = (Font(name=FONT, size=size, bold=bold),
                       Alignment(horizontal=horiz, vertical="center", wrap_text=wrap),
                       Border(left=thin, right=thin, top=thin, bottom=thin) if border else None, fmt)
    for g in grids:
        ws = wb.create_sheet(g.name)
        for (r, c), (value, style) in sorted(g.cells.items()):
            cell = ws.cell(row=r + 1, column=c + 1)
            if value is not None:
                cell.value = value
                if isinstance(value, str):
                    cell.data_type = "s"  # never a formula, whatever the text starts with
            font, align, border, fmt = looks[style]
            cell.font, cell.alignment = font, align
            if border is not None:
                cell.border = border
            if fmt:
                cell.number_format = fmt
        for r1, c1, r2, c2 in g.merges:
            ws.merge_cells(start_row=r1 + 1, start_column=c1 + 1, end_row=r2 + 1, end_column=c2 + 1)
        for c, w in sorted(g.widths.items()):
            ws.column_dimensions[col_letter(c)].width = w
        for r, h in sorted(g.heights.items()):
            ws.row_dimensions[r + 1].height = h
        ws.page_setup.orientation = "landscape"
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
    buf = io.BytesIO()
    wb.save(buf)
    return _pin_zip(buf.getvalue())


def _pin_zip(data: bytes) -> bytes:
    """The same archive with fixed member times and document dates: same bytes every run."""
    stamp = "%04d-%02d-%02dT%02d:%02d:%02dZ" % FIXED_TIME
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                body = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*", lambda m: m.group(1) + stamp.encode(), body)
            member = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME)
            member.compress_type = zipfile.ZIP_DEFLATED
            member.external_attr = 0o600 << 16
            dst.writestr(member, body)
    return out.getvalue()


# --------------------------------------------------------------------------- xls


def _xls_bytes(grids: list[Grid]) -> bytes:
    import xlwt

    wb = xlwt.Workbook(encoding="utf-8")
    looks = {}
    for name, (size, bold, horiz, wrap, border, fmt) in STYLES.items():
        spec = (f"font: name {FONT}, height {size * 20}, bold {'on' if bold else 'off'}; "
                f"align: horiz {horiz}, vert centre, wrap {'on' if wrap else 'off'}")
        if border:
            spec += "; borders: left thin, right thin, top thin, bottom thin"
        looks[name] = xlwt.easyxf(spec, num_format_str=fmt or "General")
    for g in grids:
        ws = wb.add_sheet(g.name, cell_overwrite_ok=True)
        tops = {(m[0], m[1]) for m in g.merges}
        covered = {(r, c) for r1, c1, r2, c2 in g.merges for r in range(r1, r2 + 1) for c in range(c1, c2 + 1)}
        for r1, c1, r2, c2 in g.merges:
            value, style = g.cells[(r1, c1)]
            ws.write_merge(r1, r2, c1, c2, "" if value is None else value, looks[style])
        for (r, c), (value, style) in sorted(g.cells.items()):
            if (r, c) in covered or (r, c) in tops:
                continue
            if value is not None:
                ws.write(r, c, value, looks[style])
            elif STYLES[style][4]:  # an empty bordered cell: a blank with its style
                ws.write(r, c, "", looks[style])
        for c, w in sorted(g.widths.items()):
            ws.col(c).width = int(w * 256)
        for r, h in sorted(g.heights.items()):
            row = ws.row(r)
            row.height_mismatch = True
            row.height = int(h * 20)
        ws.portrait = False
        ws.fit_num_pages = 1  # the "fit to pages" switch; then one page wide, as long as it runs
        ws.fit_width_to_pages = 1
        ws.fit_height_to_pages = 0
        ws.header_str = ws.footer_str = b""  # xlwt prints the page number and file name by default
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
