"""The 校验结果 sheet, placed first: every finding with a link to its cell, under a legend
of the markings."""

from __future__ import annotations

import math
from pathlib import Path
from typing import TYPE_CHECKING, Any, Sequence

from perfxl.annotate.marks import valid_cell
from perfxl.annotate.sheets import fit_rows, header, internal_link, new_sheet, size_columns, title
from perfxl.annotate.styles import BORDERS, FILLS, FONT_COLOURS, RELATED_BORDER, RELATED_FILLS, Styles
from perfxl.catalogue import get_rule
from perfxl.findings import Finding, Severity
from perfxl.layout import column_width
from perfxl.safe import set_text

if TYPE_CHECKING:  # pragma: no cover
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

    from perfxl.report import FileReport


FINDINGS_SHEET = "校验结果"


# The legend's entries: the columns each spans, the marking it shows (severity, whether it
# is the mark of an input behind a computed cell) and its text.
_LEGEND = (((2, 3), Severity.ERROR, False, "错误：必须修改"), ((4, 6), Severity.WARNING, False, "警告：须说明原因"),
           ((7, 7), Severity.ERROR, True, "计算单元格出错时，请核对这些填报单元格"))


def _legend(ws: Worksheet, st: Styles, row: int) -> None:
    """A legend of the markings, as the cells are marked: an error, a warning, an input
    cell behind a finding on a computed cell."""
    set_text(ws.cell(row, 1), "图例")
    st.font(ws.cell(row, 1), bold=True)
    for (c1, c2), sev, related, text in _LEGEND:
        if c2 > c1:
            ws.merge_cells(start_row=row, start_column=c1, end_row=row, end_column=c2)
        set_text(ws.cell(row, c1), text)
        style, colour = BORDERS[sev] or ("thin", "FF000000")
        fill = str((RELATED_FILLS if related else FILLS)[sev])
        for c in range(c1, c2 + 1):
            cell = ws.cell(row, c)
            st.font(cell)
            st.fill(cell, fill)
            st.alignment(cell, horizontal="center", vertical="center")
            st.box(cell, RELATED_BORDER if related else style, colour, left=c == c1, right=c == c2)


def findings_sheet(wb: Workbook, st: Styles, report: FileReport, findings: Sequence[Finding],
                    marked: set[tuple[str, str]], values_only: str | None, score_sheet: str, forms: int = 1) -> None:
    from openpyxl.worksheet.hyperlink import Hyperlink

    ws = new_sheet(wb, FINDINGS_SHEET, 0, 5)
    name = report.unit_name or Path(report.path).name
    if forms > 1:
        name = f"{Path(report.path).name}（{forms} 张项目支出绩效自评表）"
    errors = sum(1 for f in findings if f.severity == Severity.ERROR)
    warnings = sum(1 for f in findings if f.severity == Severity.WARNING)
    infos = len(findings) - errors - warnings
    status = "需修改" if errors else "通过"
    title(ws, st, f"校验结果 — {name}", f"错误 {errors} 个（必须修改），警告 {warnings} 个（需说明原因），提示 {infos} 个；"
                                     f"结论：{status}。点击“单元格”一列可跳到出问题的单元格；单元格上的批注写明了问题。")
    sc = report.score if forms == 1 else None  # one unit's card does not speak for several forms
    line3 = f"原文件：{Path(report.path).name}"
    if sc is not None and sc.total is not None:
        line3 += f"；复核得分 {sc.total:.2f}（{sc.grade or '—'}），自评得分 " + (
            f"{sc.self_total:.2f}（{sc.self_grade or '—'}）" if sc.self_total is not None else "—")
        line3 += f"；评分明细见“{score_sheet}”工作表"
    elif sc is not None:
        line3 += f"；未能算出复核得分（原因见“{score_sheet}”工作表）"
    if values_only:
        line3 += f"；{values_only}，本副本只含各单元格的值（公式与格式未保留）"
    set_text(ws.cell(3, 1), line3)
    st.font(ws.cell(3, 1), color="FF595959")
    _legend(ws, st, 4)

    head = ("序号", "严重程度", "代码", "问题", "工作表", "单元格", "说明", "应为", "实际")
    header(ws, st, 5, head)
    ws.freeze_panes = "A6"
    ordered = list(findings)
    if not ordered:
        set_text(ws.cell(6, 1), "未发现问题。")
    for i, f in enumerate(ordered, start=1):
        r = 5 + i
        rule = get_rule(f.code)
        for c in range(1, 10):
            if c in (4, 5, 7, 8, 9):
                st.alignment(ws.cell(r, c), wrap_text=True, vertical="top")
            else:
                st.alignment(ws.cell(r, c), vertical="top")
            st.font(ws.cell(r, c))
        ws.cell(r, 1, i)
        set_text(ws.cell(r, 2), f.severity.zh)
        st.font(ws.cell(r, 2), bold=True, color=FONT_COLOURS[f.severity])
        if FILLS[f.severity]:
            st.fill(ws.cell(r, 2), FILLS[f.severity])
        set_text(ws.cell(r, 3), f.code)
        set_text(ws.cell(r, 4), rule.title)
        if f.sheet:
            set_text(ws.cell(r, 5), f.sheet)
        else:
            set_text(ws.cell(r, 5), "（整个文件）")
        if f.cell:
            set_text(ws.cell(r, 6), f.cell)
        if f.sheet and f.sheet in wb.sheetnames:
            # The link sits on the cell address (or on the sheet name when there is none).
            where = ws.cell(r, 6) if f.cell else ws.cell(r, 5)
            target = f.cell.upper() if valid_cell(f.cell) else "A1"
            where.hyperlink = Hyperlink(ref=where.coordinate, location=internal_link(f.sheet, target),
                                        display=where.value)
            st.font(where, color="FF0563C1", underline="single")
        set_text(ws.cell(r, 7), f.message())
        _put_value(ws.cell(r, 8), f.expected, f.expected_text(), f.kind)
        _put_value(ws.cell(r, 9), f.actual, f.actual_text(), f.kind)
    last = 5 + max(len(ordered), 1)
    size_columns(ws, 5, last, (6, 8, 7, 20, 18.5, 8, 60, 14, 14))
    _fit_legend(ws)
    fit_rows(ws, 6, last, (4, 5, 7, 8, 9))
    if ordered:
        ws.auto_filter.ref = f"A5:I{5 + len(ordered)}"


def _fit_legend(ws: Worksheet) -> None:
    """Widen the last column of each legend entry whose columns, sized to the findings
    below, are too narrow for its text (a copy with no finding has narrow columns, and a
    centred text too wide for its cell is cut on both sides)."""
    from openpyxl.utils import get_column_letter

    for (c1, c2), _sev, _related, text in _LEGEND:
        dims = [ws.column_dimensions[get_column_letter(c)] for c in range(c1, c2 + 1)]
        short = column_width([text], minimum=0, maximum=float("inf")) - sum(d.width or 8.43 for d in dims)
        if short > 0:
            dims[-1].width = math.ceil(((dims[-1].width or 8.43) + short) * 10) / 10


def _put_value(cell: Any, value: Any, text: str | None, kind: str) -> None:
    """An expected or actual value in its own terms: a number stays a number, formatted as
    a rate where it is one; a range or text as its display text; nothing stays blank."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        cell.value = round(value, 6) if isinstance(value, float) else value
        if kind == "rate":
            cell.number_format = "0.00%"
        elif isinstance(value, float):
            cell.number_format = "0.00"
    elif text is not None:
        set_text(cell, text)
