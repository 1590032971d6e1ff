"""The look of the summary workbook (xlsxwriter): formats, how a value is written, print setup.

Shared by the sheets of :mod:`perfxl.summary` and :mod:`perfxl.summary_projects`.
"""

from __future__ import annotations

import math
from typing import Any, Mapping, Sequence

from perfxl.layout import FOOTER, column_width, is_landscape, row_height, wrapped_lines
from perfxl.safe import clean_text
from perfxl.spec import GRADES
from perfxl.summary_rows import STATUS_FIX, STATUS_OK, STATUS_UNREADABLE

__all__ = ["Formats", "put", "page_setup", "fit_row", "write_rows", "colour_marks", "column_widths", "GRADE_COLOURS", "STATUS_COLOURS"]

GRADE_COLOURS = {"优": ("#C6EFCE", "#006100"), "良": ("#DDEBF7", "#1F4E79"),
                 "中": ("#FFEB9C", "#9C5700"), "差": ("#FFC7CE", "#9C0006")}
STATUS_COLOURS = {STATUS_OK: ("#C6EFCE", "#006100"), STATUS_FIX: ("#FFEB9C", "#9C5700"),
                  STATUS_UNREADABLE: ("#FFC7CE", "#9C0006")}


class Formats:
    """The xlsxwriter formats of the summary, made once."""

    def __init__(self, wb: Any):
        plain = {"font_name": "等线", "font_size": 10, "valign": "top"}
        self.title = wb.add_format({**plain, "bold": True, "font_size": 14})
        self.sub = wb.add_format({**plain, "font_color": "#595959"})
        self.heading = wb.add_format({**plain, "bold": True, "font_size": 11})
        # Table cells carry a light border, so a printout reads as a table without
        # printing the gridlines of the title rows.
        base = {**plain, "border": 1, "border_color": "#BFBFBF"}
        self.head = wb.add_format({**base, "bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True,
                                   "align": "center", "valign": "vcenter"})
        self.text = wb.add_format(base)
        self.wrap = wb.add_format({**base, "text_wrap": True})
        self.int = wb.add_format({**base, "num_format": "0"})
        self.amount = wb.add_format({**base, "num_format": "#,##0.00"})
        self.rate = wb.add_format({**base, "num_format": "0.00%"})
        self.score = wb.add_format({**base, "num_format": "0.00"})
        self.rate_wrap = wb.add_format({**base, "num_format": "0.00%", "text_wrap": True})
        self.score_wrap = wb.add_format({**base, "num_format": "0.00", "text_wrap": True})
        self.link = wb.add_format({**base, "font_color": "#0563C1", "underline": 1})
        self.bold = wb.add_format({**base, "bold": True})
        self.centre = wb.add_format({**base, "align": "center"})
        self.cond = {text: wb.add_format({"bg_color": bg, "font_color": fg})
                     for text, (bg, fg) in {**GRADE_COLOURS, **STATUS_COLOURS}.items()}

    def of(self, kind: str) -> Any:
        return {"int": self.int, "amount": self.amount, "rate": self.rate, "score": self.score}.get(kind, self.text)


def put(ws: Any, r: int, c: int, value: Any, fmt: Any) -> None:
    """Write one value: text always as a string, numbers as numbers, None as nothing."""
    if value is None:
        ws.write_blank(r, c, None, fmt)
    elif isinstance(value, bool):
        ws.write_boolean(r, c, value, fmt)
    elif isinstance(value, (int, float)):
        if isinstance(value, float) and not math.isfinite(value):
            ws.write_blank(r, c, None, fmt)
        else:
            ws.write_number(r, c, value, fmt)
    else:
        ws.write_string(r, c, clean_text(str(value)), fmt)


def page_setup(ws: Any, widths: Sequence[float], header_rows: int = 1, freeze_cols: int = 0) -> None:
    """Print as a finance office prints (:mod:`perfxl.layout`): A4, landscape when wider
    than a portrait page, one page wide, the header rows repeated and frozen, page numbers
    in the footer.  ``widths`` are the columns' widths (set here too)."""
    for c, w in enumerate(widths):
        ws.set_column(c, c, w)
    if is_landscape(sum(widths)):
        ws.set_landscape()
    else:
        ws.set_portrait()
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)
    if header_rows:
        ws.repeat_rows(0, header_rows - 1)
        ws.freeze_panes(header_rows, freeze_cols)
    ws.hide_gridlines(1)
    ws.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.6)
    ws.set_footer(FOOTER)


def fit_row(ws: Any, r: int, texts: Sequence[tuple[Any, float]]) -> None:
    """Set a row tall enough for its wrapped texts (LibreOffice and Excel do not refit
    rows of a generated file); a row whose texts fit on one line keeps the default."""
    n = max((wrapped_lines(t, w) for t, w in texts if isinstance(t, str) and t), default=1)
    height = row_height(n)
    if height is not None:
        ws.set_row(r, height)


# A table column: (header, row attribute, kind, widest) — kind 'text', 'int', 'amount',
# 'rate', 'score' or 'link' (the annotated copy); a column is as wide as its content, up to
# ``widest`` units (then text wraps).
Column = tuple[str, str, str, float]


def column_widths(columns: Sequence[Column], rows: Sequence[Any]) -> dict[str, float]:
    """Each column as wide as its content (as shown), up to its limit."""
    shown = {"amount": "{:,.2f}", "rate": "{:.2%}", "score": "{:.2f}"}
    widths = {}
    for header, attr, kind, widest in columns:
        if kind == "link":
            values: list[Any] = ["打开"]
        else:
            values = [getattr(r, attr) for r in rows]
            fmt = shown.get(kind)
            if fmt:
                values = [fmt.format(v) for v in values if isinstance(v, (int, float))]
        widths[attr] = column_width(values, header, minimum=5, maximum=widest)
    return widths


def write_rows(ws: Any, first: int, columns: Sequence[Column], rows: Sequence[Any], widths: Mapping[str, float],
               fm: Formats, centred: set[str], wrapped: Sequence[str]) -> None:
    """Write ``rows`` from row ``first`` on, one attribute per column (rows in order:
    the workbook is written in constant-memory mode)."""
    for i, row in enumerate(rows, start=first):
        fit_row(ws, i, [(getattr(row, a) or "", widths[a]) for a in wrapped])
        for c, (_, attr, kind, _) in enumerate(columns):
            if kind == "link":
                if row.annotated:
                    # A relative link, so the output folder can be moved or zipped as a whole.
                    ws.write_url(i, c, "external:" + row.annotated, fm.link, string="打开",
                                 tip=clean_text(row.annotated, 250))
                else:
                    ws.write_blank(i, c, None, fm.text)
                continue
            fmt = fm.centre if attr in centred else fm.wrap if attr in wrapped else fm.of(kind)
            put(ws, i, c, getattr(row, attr), fmt)


def colour_marks(ws: Any, first: int, last: int, cols: Mapping[str, int], fm: Formats) -> None:
    """Colour grades and statuses, and a 差异 of a point or more (it deserves a look), in
    rows ``first``..``last`` of the columns ``cols`` names (those present)."""
    for attr in ("grade", "self_grade"):
        if attr in cols:
            for g in GRADES:
                ws.conditional_format(first, cols[attr], last, cols[attr],
                                      {"type": "cell", "criteria": "==", "value": f'"{g}"', "format": fm.cond[g]})
    for st in (STATUS_OK, STATUS_FIX, STATUS_UNREADABLE):
        ws.conditional_format(first, cols["status"], last, cols["status"],
                              {"type": "cell", "criteria": "==", "value": f'"{st}"', "format": fm.cond[st]})
    ws.conditional_format(first, cols["diff"], last, cols["diff"],
                          {"type": "cell", "criteria": "not between", "minimum": -1, "maximum": 1,
                           "format": fm.cond["中"]})
