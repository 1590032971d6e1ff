"""The annotated copy: the clerk's own workbook with every finding marked on its cell.

:func:`annotate` opens the original with openpyxl (formulas kept, not ``data_only``),
and adds

* a comment on each cell at fault (code, message, 应为/实际 in the finding's own terms —
  76.80%, 11.20–14.00 — in Chinese), sized to its text and merged with any comment the
  clerk wrote; a red fill with a solid border for errors, an amber fill with a dashed
  border for warnings (told apart on screen and in a grey-scale print; info: comment
  only); where the cell at fault is a computed one, the input cells behind it
  (``Finding.related``, named in the message) get a lighter fill with a dotted border;
* a ``校验结果`` sheet, placed first, listing every finding with a link to its cell, under
  a legend of the markings;
* a ``复核评分`` sheet: each indicator's 分值, 自评得分 and 复核得分 side by side, the
  subtotals per 一级指标, 预算执行率, 总分 and 等级.

Everything else of the original is kept (values, formulas, formats, validations, merged
cells, other sheets), and every sheet gets print settings (:mod:`perfxl.layout`).  openpyxl does not keep formulas' cached values, so the copy asks
Excel/LibreOffice to recalculate on open (``fullCalcOnLoad``).

An ``.xls``/``.ods`` input (which openpyxl cannot open), or an ``.xlsx`` openpyxl fails to
load, becomes an ``.xlsx`` copy of its *values*, read through the reader's own guarded and
isolated read (:func:`perfxl.reader.read_sheets`); 校验结果 says so.
The copy is never made for a file the reader refused (``readable`` False): the guards
stand before openpyxl.  Text taken from a workbook is always written as text
(:func:`perfxl.safe.set_text`).
"""

from __future__ import annotations

import zipfile
from collections import defaultdict
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Sequence

from perfxl.catalogue import get_rule
from perfxl.findings import Finding, Severity
from perfxl.layout import FOOTER, column_width, is_landscape, row_height, text_width, wrapped_lines
from perfxl.safe import atomic_path, set_text, set_value
from perfxl.spec import DEPT, INDICATORS, LEVELS, TableSheet, col_letter, split_addr

if TYPE_CHECKING:  # pragma: no cover
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

    from perfxl.report import FileReport
    from perfxl.rulebook import Rulebook
    from perfxl.score import ScoreCard

__all__ = ["annotate", "AnnotateError", "FINDINGS_SHEET", "SCORE_SHEET", "FILLS", "BORDERS", "RELATED_FILLS",
           "RELATED_BORDER",
           "comment_text", "comment_size", "internal_link"]

FINDINGS_SHEET = "校验结果"
SCORE_SHEET = "复核评分"
AUTHOR = "perfxl"

# Fills (ARGB) and borders of a cell at fault, by severity.  The fills differ in hue from
# the template's light-yellow input cells and grey computed cells on screen; the borders
# (solid for an error, dashed for a warning, dotted for a cell to look at) tell them
# apart in a grey-scale print.
FILLS: dict[Severity, str | None] = {
    Severity.ERROR: "FFFF9999",
    Severity.WARNING: "FFFFC000",
    Severity.INFO: None,
}
BORDERS: dict[Severity, tuple[str, str] | None] = {  # (openpyxl border style, colour)
    Severity.ERROR: ("medium", "FFC00000"),
    Severity.WARNING: ("mediumDashed", "FF9C5700"),
    Severity.INFO: None,
}
# An input cell behind a finding on a computed cell: a lighter fill, a dotted border.
RELATED_FILLS: dict[Severity, str | None] = {Severity.ERROR: "FFFFD9D9", Severity.WARNING: "FFFFE699",
                                            Severity.INFO: None}
RELATED_BORDER = "dotted"
_FONT_COLOURS = {Severity.ERROR: "FF9C0006", Severity.WARNING: "FF9C5700", Severity.INFO: "FF1F4E79"}
_HEADER_FILL = "FFDDEBF7"
_SUBTOTAL_FILL = "FFF2F2F2"
# Where a table sheet's header row is (repeated on each printed page, panes frozen below).
_HEADER_ROWS = {s.name: s.header_row for s in DEPT.sheets if isinstance(s, TableSheet)}


class AnnotateError(Exception):
    """The copy could not be made (the batch turns this into an F903 finding)."""


def internal_link(sheet: str, cell: str = "A1") -> str:
    """The location of an internal hyperlink: ``'绩效指标'!G7`` (quotes doubled)."""
    return "'" + sheet.replace("'", "''") + "'!" + cell


def comment_text(findings: Sequence[Finding]) -> str:
    """The comment perfxl puts on a cell: one paragraph per finding, worst first, with what
    was expected and found in the finding's own terms (nothing expected: not said)."""
    parts = []
    for f in sorted(findings, key=lambda f: (f.severity.rank, f.code)):
        lines = [f"【{f.severity.zh} {f.code}】{f.message()}"]
        expected, actual = f.expected_text(), f.actual_text()
        if expected is not None:
            lines.append(f"应为：{expected}；实际：{actual}")
        elif actual is not None:
            lines.append(f"实际：{actual}")
        parts.append("\n".join(lines))
    return "\n\n".join(parts)


# A comment box: 9 pt text (a Chinese character about 12 px wide, Latin about 6.5 px),
# lines 15 px apart, 8 px of margin; between 160 and 360 px wide.
_CJK_PX, _LATIN_PX, _LINE_PX, _PAD_PX = 12.0, 6.5, 15, 8
_MIN_W, _MAX_W = 160, 360


def comment_size(text: str) -> tuple[int, int]:
    """(width, height) in pixels of a comment box that shows ``text`` whole: as wide as its
    longest line up to 360 px (longer lines wrap), as tall as its lines."""
    def px(line: str) -> float:
        return text_width(line) / 1.9 * _CJK_PX if line else 0.0  # text_width counts a CJK character as 1.9

    widest = max((px(line) for line in text.split("\n")), default=0.0)
    width = int(min(max(widest + 2 * _PAD_PX, _MIN_W), _MAX_W))
    usable = width - 2 * _PAD_PX
    lines = sum(max(1, -(-int(px(line)) // int(usable))) for line in text.split("\n"))
    return width, lines * _LINE_PX + 2 * _PAD_PX


def annotate(report: FileReport, dest: str | Path, *, rulebook: Rulebook | None = None,
             extra: Iterable[Finding] = (), others: Sequence[FileReport] = ()) -> Path:
    """Write the annotated copy of ``report``'s file to ``dest`` (an ``.xlsx``), atomically.

    ``extra`` adds findings made outside the file's own check (batch-level codes).
    ``others`` are the reports of the file's other units (a workbook of several project
    forms): the copy marks every form sheet, and its first page lists every finding.
    Raises :class:`ValueError` for a file the reader refused, :class:`AnnotateError`
    when the copy cannot be made.  The original is only read.
    """
    unit = report.unit
    if not report.readable or (unit is not None and not unit.readable):
        raise ValueError(f"{report.path}: refused by the reader; no annotated copy is made of it")
    findings = [*report.findings, *(f for o in others for f in o.findings), *extra]
    src = Path(report.path)
    try:
        wb, values_only = _open(src, rulebook)
    except MemoryError:
        raise  # its own answer (F904 in the batch)
    except Exception as e:  # noqa: BLE001 - the file could not be opened again: one clear error (F903)
        raise AnnotateError(f"无法打开原文件：{type(e).__name__}: {e}") from e

    st = _Styles(wb)
    marked = _mark_cells(wb, findings, st)
    units = [report, *others]
    score_sheet = _score_sheet(wb, st, [(_unit_label(u), u.score) for u in units], rulebook)
    _findings_sheet(wb, st, report, findings, marked, values_only, score_sheet, len(others) + 1)
    _focus_first_sheet(wb)
    _print_setup(wb)
    # openpyxl drops the cached values of formulas: make the reader's program recompute.
    wb.calculation.fullCalcOnLoad = True
    dest = Path(dest)
    try:
        with atomic_path(dest) as tmp:
            wb.save(tmp)
    except Exception as e:  # noqa: BLE001
        raise AnnotateError(f"无法保存标注副本：{type(e).__name__}: {e}") from e
    finally:
        wb.close()
    return dest


# ---------------------------------------------------------------------------
# Opening the original
# ---------------------------------------------------------------------------


def _is_ooxml(path: Path) -> bool:
    try:
        with zipfile.ZipFile(path) as z:
            return "xl/workbook.xml" in z.namelist()
    except (zipfile.BadZipFile, OSError):
        return False


def _open(path: Path, rulebook: Rulebook | None) -> tuple[Workbook, bool]:
    """(workbook, values_only).  OOXML through openpyxl whatever the extension; anything
    else, or an OOXML file openpyxl cannot load, as the values the reader's own guarded
    read gives (:func:`perfxl.reader.read_sheets`: the guards, the row limit, and xls/ods
    parsed in the isolated child with its memory cap and deadline — never in this process)."""
    import openpyxl

    if _is_ooxml(path):
        try:
            # A file handle, not the name: openpyxl refuses names not ending in .xlsx/.xlsm
            # (an .xlsx saved as .xls is common), and a handle is read-only by construction.
            with open(path, "rb") as fh:
                return openpyxl.load_workbook(fh, keep_vba=False, rich_text=False), False
        except Exception:  # noqa: BLE001 - openpyxl cannot load it: the values the reader could read
            pass
    return _values_workbook(path, rulebook), True


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


# ---------------------------------------------------------------------------
# Marking cells
# ---------------------------------------------------------------------------


def _valid_cell(cell: str | None) -> bool:
    if not cell:
        return False
    try:
        row, col = split_addr(cell)
    except (ValueError, IndexError):
        return False
    return 1 <= row <= 1_048_576 and 1 <= col <= 16_384


def _top_left(ws: Worksheet, cell: str) -> str:
    """A merged cell's comment and fill belong on the top-left cell of its range."""
    row, col = split_addr(cell)
    for rng in ws.merged_cells.ranges:
        if rng.min_row <= row <= rng.max_row and rng.min_col <= col <= rng.max_col:
            return rng.start_cell.coordinate
    return cell


def _mark_cells(wb: Workbook, findings: Sequence[Finding], st: _Styles) -> set[tuple[str, str]]:
    """Comment, fill and border every cell at fault, and the input cells behind a finding
    on a computed cell; returns the (sheet, cell) pairs marked."""
    from openpyxl.comments import Comment

    by_cell: dict[tuple[str, str], list[Finding]] = defaultdict(list)
    behind: dict[tuple[str, str], list[Finding]] = defaultdict(list)
    for f in findings:
        if f.sheet in wb.sheetnames and _valid_cell(f.cell):
            ws = wb[f.sheet]
            by_cell[(f.sheet, _top_left(ws, f.cell.upper()))].append(f)
            for rel in f.related:
                if _valid_cell(rel):
                    behind[(f.sheet, _top_left(ws, rel.upper()))].append(f)
    for key in list(behind):
        if key in by_cell:
            del behind[key]  # a cell with its own finding is marked for that
    for (sheet, coord), fs in sorted(by_cell.items()):
        _mark(wb[sheet][coord], comment_text(fs), min(fs, key=lambda f: f.severity.rank).severity, Comment, st)
    # The input cells behind a finding on a computed cell get its fill, lighter, and a
    # dotted border, without a comment of their own: the finding's message names them,
    # and the legend on 校验结果 says what the marking means.
    for (sheet, coord), fs in sorted(behind.items()):
        _mark(wb[sheet][coord], None, min(fs, key=lambda f: f.severity.rank).severity, Comment, st, related=True)
    return set(by_cell) | set(behind)


def _mark(cell: Any, text: str | None, severity: Severity, comment_cls: Any, st: _Styles,
          related: bool = False) -> None:
    if text is not None:
        if cell.comment is not None and cell.comment.text and cell.comment.author != AUTHOR:
            text = f"原批注：{cell.comment.text.strip()}\n\n{text}"
        width, height = comment_size(text)
        cell.comment = comment_cls(text, AUTHOR, height=height, width=width)
    colour = (RELATED_FILLS if related else FILLS)[severity]
    if colour:
        st.fill(cell, colour)
    border = BORDERS[severity]
    if border:
        st.box(cell, RELATED_BORDER if related else border[0], border[1])


# ---------------------------------------------------------------------------
# The two added sheets
# ---------------------------------------------------------------------------


_FONT_NAME = "等线"  # Excel's default CJK font; LibreOffice substitutes its own


def _font(**kw: Any) -> Any:
    from openpyxl.styles import Font

    kw.setdefault("size", 10)
    return Font(name=_FONT_NAME, **kw)


class _Styles:
    """Style ids of the added sheets, each added to the workbook's collections once.

    Assigning ``cell.font = Font(...)`` makes openpyxl hash the whole style object to
    find its id in the workbook's list, on every cell (about 15 % of an annotated copy).
    Here each distinct font/fill/alignment/border is added on its first use — in the
    same order as plain assignments would, so the saved styles are identical — and
    later cells get the id written straight into their style array (what openpyxl's
    descriptor does after the lookup).
    """

    def __init__(self, wb: Workbook) -> None:
        self.wb = wb
        self._ids: dict[tuple[Any, ...], int] = {}

    @staticmethod
    def _array(cell: Any) -> Any:
        style = cell._style
        if not style:  # a new cell has no style array yet
            from openpyxl.styles.cell_style import StyleArray

            style = cell._style = StyleArray()
        return style

    def _id(self, collection: str, key: tuple[Any, ...], make: Any) -> int:
        k = (collection, *key)
        i = self._ids.get(k)
        if i is None:
            i = self._ids[k] = getattr(self.wb, collection).add(make())
        return i

    # Keys are the keyword arguments in call order: the same style spelt in another
    # order only costs one more lookup, which returns the same id.
    def font(self, cell: Any, **kw: Any) -> None:
        self._array(cell).fontId = self._id("_fonts", tuple(kw.items()), lambda: _font(**kw))

    def fill(self, cell: Any, colour: str) -> None:
        self._array(cell).fillId = self._id("_fills", (colour,), lambda: _solid_fill(colour))

    def alignment(self, cell: Any, **kw: Any) -> None:
        self._array(cell).alignmentId = self._id("_alignments", tuple(kw.items()), lambda: _alignment(**kw))

    def bottom_border(self, cell: Any) -> None:
        self._array(cell).borderId = self._id("_borders", ("bottom-thin",), _bottom_border)

    def box(self, cell: Any, style: str, colour: str, left: bool = True, right: bool = True) -> None:
        """A border of one ``style`` and ``colour`` round the cell (without its left or
        right side, for the inner cells of a merged range)."""
        self._array(cell).borderId = self._id("_borders", ("box", style, colour, left, right),
                                              lambda: _box(style, colour, left, right))


def _solid_fill(colour: str) -> Any:
    from openpyxl.styles import PatternFill

    return PatternFill("solid", start_color=colour, end_color=colour)


def _alignment(**kw: Any) -> Any:
    from openpyxl.styles import Alignment

    return Alignment(**kw)


def _box(style: str, colour: str, left: bool, right: bool) -> Any:
    from openpyxl.styles import Border, Side

    side = Side(style=style, color=colour)
    return Border(left=side if left else Side(), right=side if right else Side(), top=side, bottom=side)


def _bottom_border() -> Any:
    from openpyxl.styles import Border, Side

    return Border(bottom=Side(style="thin", color="FF9E9E9E"))


def _new_sheet(wb: Workbook, title: str, index: int, header_row: int) -> Worksheet:
    """A new sheet at ``index`` (a name the workbook already uses gets a suffix), with its
    header row repeated on each printed page (the rest of the print setup:
    :func:`_print_setup`)."""
    name, n = title, 1
    while name in wb.sheetnames:
        n += 1
        name = f"{title}_{n}"
    ws = wb.create_sheet(name, index)
    ws.print_title_rows = f"{header_row}:{header_row}"
    return ws


def _fit_rows(ws: Worksheet, first: int, last: int, wrapped: Sequence[int]) -> None:
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


def _size_columns(ws: Worksheet, header_row: int, last: int, widest: Sequence[float]) -> None:
    """Each column as wide as its header and content (one line each), up to ``widest``."""
    from openpyxl.utils import get_column_letter

    cells = ws._cells  # looked up, not created (see _fit_rows)
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


def _header(ws: Worksheet, st: _Styles, row: int, labels: Sequence[str]) -> None:
    for c, label in enumerate(labels, start=1):
        cell = ws.cell(row, c)
        set_text(cell, label)
        st.font(cell, bold=True)
        st.fill(cell, _HEADER_FILL)
        st.alignment(cell, horizontal="center", vertical="center", wrap_text=True)
        st.bottom_border(cell)


def _title(ws: Worksheet, st: _Styles, text: str, sub: str) -> None:
    set_text(ws.cell(1, 1), text)
    st.font(ws.cell(1, 1), bold=True, size=14)
    set_text(ws.cell(2, 1), sub)
    st.font(ws.cell(2, 1), color="FF595959")


def _legend(ws: Worksheet, st: _Styles, row: int) -> None:
    """A legend of the markings, as the cells are marked: an error, a warning, an input
    cell behind a finding on a computed cell."""
    set_text(ws.cell(row, 1), "图例")
    st.font(ws.cell(row, 1), bold=True)
    keys = (((2, 3), Severity.ERROR, False, "错误：必须修改"), ((4, 6), Severity.WARNING, False, "警告：须说明原因"),
            ((7, 7), Severity.ERROR, True, "计算单元格出错时，请核对这些填报单元格"))
    for (c1, c2), sev, related, text in keys:
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


def _findings_sheet(wb: Workbook, st: _Styles, report: FileReport, findings: Sequence[Finding],
                    marked: set[tuple[str, str]], values_only: bool, score_sheet: str, forms: int = 1) -> None:
    from openpyxl.worksheet.hyperlink import Hyperlink

    ws = _new_sheet(wb, FINDINGS_SHEET, 0, 5)
    name = report.unit_name or Path(report.path).name
    if forms > 1:
        name = f"{Path(report.path).name}（{forms} 张项目支出绩效自评表）"
    errors = sum(1 for f in findings if f.severity == Severity.ERROR)
    warnings = sum(1 for f in findings if f.severity == Severity.WARNING)
    infos = len(findings) - errors - warnings
    status = "需修改" if errors else "通过"
    _title(ws, st, f"校验结果 — {name}", f"错误 {errors} 个（必须修改），警告 {warnings} 个（需说明原因），提示 {infos} 个；"
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
        line3 += "；原文件不是 .xlsx，本副本只含各单元格的值（公式与格式未保留）"
    set_text(ws.cell(3, 1), line3)
    st.font(ws.cell(3, 1), color="FF595959")
    _legend(ws, st, 4)

    head = ("序号", "严重程度", "代码", "问题", "工作表", "单元格", "说明", "应为", "实际")
    _header(ws, st, 5, head)
    ws.freeze_panes = "A6"
    ordered = list(findings)
    if not ordered:
        set_text(ws.cell(6, 1), "未发现问题。")
    for i, f in enumerate(ordered, start=1):
        r = 5 + i
        rule = get_rule(f.code)
        for c in range(1, 10):
            if c in (4, 7, 8, 9):
                st.alignment(ws.cell(r, c), wrap_text=True, vertical="top")
            else:
                st.alignment(ws.cell(r, c), vertical="top")
            st.font(ws.cell(r, c))
        ws.cell(r, 1, i)
        set_text(ws.cell(r, 2), f.severity.zh)
        st.font(ws.cell(r, 2), bold=True, color=_FONT_COLOURS[f.severity])
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
            target = f.cell.upper() if _valid_cell(f.cell) else "A1"
            where.hyperlink = Hyperlink(ref=where.coordinate, location=internal_link(f.sheet, target),
                                        display=where.value)
            st.font(where, color="FF0563C1", underline="single")
        set_text(ws.cell(r, 7), f.message())
        _put_value(ws.cell(r, 8), f.expected, f.expected_text(), f.kind)
        _put_value(ws.cell(r, 9), f.actual, f.actual_text(), f.kind)
    last = 5 + max(len(ordered), 1)
    _size_columns(ws, 5, last, (6, 8, 7, 20, 12, 8, 60, 14, 14))
    _fit_rows(ws, 6, last, (4, 7, 8, 9))
    if ordered:
        ws.auto_filter.ref = f"A5:I{5 + len(ordered)}"


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


def _num(cell: Any, value: float | None, fmt: str = "0.00") -> None:
    if value is None:
        return
    cell.value = round(float(value), 2)
    cell.number_format = fmt


# 复核评分's columns grow with their content up to these widths (then the text wraps); 位置
# holds a form's sheet name too (项目支出绩效自评表!H13).
_SCORE_WIDEST = (12, 16, 30, 9, 28, 8, 10, 10, 8, 48)


def _score_sheet(wb: Workbook, st: _Styles, cards: Sequence[tuple[str | None, ScoreCard | None]],
                 rulebook: Rulebook | None) -> str:
    """Write 复核评分 (second sheet): one table per unit of the file (a workbook of several
    project forms has one per form, each under its name); returns its name."""
    from openpyxl.styles import Alignment
    from openpyxl.worksheet.hyperlink import Hyperlink

    ws = _new_sheet(wb, SCORE_SHEET, 0, 4)
    tol = rulebook.score_tolerance if rulebook is not None else 0.1
    rb_name = f"（规则库：{rulebook.name or rulebook.id}）" if rulebook is not None else ""
    _title(ws, st, "复核评分", f"按规则库计算的复核得分与单位自评得分对照{rb_name}；差异 = 自评得分 − 复核得分，"
                          f"超过 {tol:g} 分的标黄。")
    head = ("一级指标", "二级指标", "三级指标", "指标性质", "位置", "分值", "自评得分", "复核得分", "差异", "计分说明")
    r = 4
    tables = []
    for n, (label, card) in enumerate(cards):
        if label is not None:  # a form: which project the table is of
            set_text(ws.cell(r, 1), label)
            st.font(ws.cell(r, 1), bold=True)
            r += 1
        _header(ws, st, r, head)
        if n == 0:
            ws.freeze_panes = f"A{r + 1}"
        end = _score_table(ws, st, card, r + 1, wb, tol, Alignment, Hyperlink)
        tables.append((r + 1, end))
        r = end + 2
    _size_columns(ws, 4, r, _SCORE_WIDEST)
    for first, last in tables:  # once the columns have their widths: rows fit the wrapped text
        _fit_rows(ws, first, last, (3, 10))
    return ws.title


def _unit_label(report: FileReport) -> str | None:
    """How a form is headed on 复核评分: its name and its sheet (None: a 部门整体 workbook,
    whose table needs no heading)."""
    if not report.sheet:
        return None
    name = report.unit.name if report.unit is not None and report.unit.name else "（未填名称）"
    return f"{name}（工作表：{report.sheet}）"


def _score_table(ws: Any, st: _Styles, card: ScoreCard | None, r: int, wb: Workbook, tol: float,
                 Alignment: Any, Hyperlink: Any) -> int:  # noqa: N803 (openpyxl classes, imported once)
    """One unit's table from row ``r``; returns the row after it."""
    if card is None:
        set_text(ws.cell(r, 1), "未评分。")
        return r + 1
    amber = str(FILLS[Severity.WARNING])

    def diff_cell(row: int, diff: float | None) -> None:
        _num(ws.cell(row, 9), diff)
        if diff is not None and abs(diff) > tol + 1e-9:
            st.fill(ws.cell(row, 9), amber)

    def row_cells(row: int) -> list[Any]:
        # The row's ten cells, looked up once (ws.cell is a costly call, and every cell is
        # styled and filled below); index 0 is column A.
        return [ws.cell(row, c) for c in range(1, 11)]

    def subtotal(label: str, weight: float | None, self_score: float | None, score: float | None,
                 diff: float | None, note: str = "") -> None:
        nonlocal r
        cells = row_cells(r)
        for cell in cells:
            st.font(cell, bold=True)
            st.fill(cell, _SUBTOTAL_FILL)
        set_text(cells[0], label)
        _num(cells[5], weight)
        _num(cells[6], self_score)
        _num(cells[7], score)
        diff_cell(r, diff)
        if note:
            set_text(cells[9], note)
        r += 1

    by_level: dict[str, list[Any]] = defaultdict(list)
    for s in card.indicators:
        by_level[_text(s.indicator.level1) or "（未填一级指标）"].append(s)
    level_order = [*LEVELS, *sorted(k for k in by_level if k not in LEVELS)]
    for level in level_order:
        for s in by_level.get(level, []):
            ind = s.indicator
            cells = row_cells(r)
            set_text(cells[0], level)
            set_text(cells[1], _text(ind.level2))
            set_text(cells[2], _text(ind.name))
            set_text(cells[3], _text(ind.direction))
            sheet = ind.self_score.sheet or INDICATORS.name
            cell = ind.self_score.cell or (f"{col_letter(INDICATORS.col_of('self_score'))}{ind.row}"
                                           if ind.row and sheet == INDICATORS.name else None)
            if cell:
                where = cells[4]
                set_text(where, f"{sheet}!{cell}")
                if sheet in wb.sheetnames:
                    where.hyperlink = Hyperlink(ref=where.coordinate, location=internal_link(sheet, cell),
                                                display=where.value)
                    st.font(where, color="FF0563C1", underline="single")
            _num(cells[5], s.weight)
            _num(cells[6], s.self_score)
            _num(cells[7], s.score)
            diff_cell(r, s.diff)
            note = _score_note(s)
            if note:
                set_text(cells[9], note)
            for c, one in enumerate(cells, start=1):
                if c != 5:
                    st.font(one)
                st.alignment(one, wrap_text=True, vertical="top")
            r += 1
        lv = card.levels.get(level)
        if lv is not None:
            note = ""
            if lv.declared_self is not None and lv.self_score is not None and abs(lv.declared_self - lv.self_score) > tol:
                note = f"自评得分表填报 {lv.declared_self:.2f}，与指标自评得分之和不符"
            subtotal(f"{level} 小计", lv.weight, lv.self_score, lv.score, lv.diff, note)
    ex = card.execution
    lv = card.levels.get("预算执行率")
    rate = f"执行率 {ex.rate:.2%}" if ex.rate is not None else "执行率无法计算"
    subtotal("预算执行率", ex.weight, lv.self_score if lv else None, ex.score, lv.diff if lv else None,
             f"{rate}；得分 = min(执行率, 100%) × {ex.weight:g}")
    total_diff = (round(card.self_total - card.total, 2)
                  if card.self_total is not None and card.total is not None else None)
    subtotal("总分", sum(l.weight for l in card.levels.values()) or None, card.self_total, card.total, total_diff)
    set_text(ws.cell(r, 1), "等级")
    set_text(ws.cell(r, 7), card.self_grade or "—")
    set_text(ws.cell(r, 8), card.grade or "—")
    for c in (1, 7, 8):
        st.font(ws.cell(r, c), bold=True)
    if card.self_grade and card.grade and card.self_grade != card.grade:
        st.fill(ws.cell(r, 8), amber)
    r += 1
    if card.status != "scored" or card.reasons:
        set_text(ws.cell(r, 1), "说明：" + "；".join(card.reasons or ["未能完整评分"]))
        ws.cell(r, 1).alignment = Alignment(wrap_text=False)
        r += 1
    return r




# How an indicator was scored, in the words of the 计分说明 column.
_METHODS = {
    "≥": "正向指标：达到目标得满分，否则按 实际 ÷ 目标 × 分值",
    "≤ ratio": "反向指标：不超过目标得满分，否则按 目标 ÷ 实际 × 分值",
    "≤ linear": "反向指标：不超过目标得满分，否则按 (1 − 超出比例) × 分值",
    "=": "等于目标得满分，否则按 较小值 ÷ 较大值 × 分值",
    "定性 band": "定性指标：自评得分须在完成情况对应的区间内",
}


def _score_note(s: Any) -> str:
    """The 计分说明 of one indicator: method, completion ratio, flags, reasons."""
    parts = [_METHODS.get(s.method, s.method)] if s.method else []
    if s.ratio is not None and s.method != "定性 band":
        parts.append(f"完成比例 {s.ratio:.2%}")
    if s.band is not None:
        parts.append(f"区间 {s.band[0]:.2f}–{s.band[1]:.2f} 分")
    if s.over_completed:
        parts.append("大幅超额完成（目标可能偏低）" + ("，得分封顶" if s.capped else ""))
    if s.clamped:
        parts.append("自评得分超出区间，按区间边界计")
    parts.extend(s.reasons)
    return "；".join(p for p in parts if p)


def _text(field: Any) -> str:
    if field is None:
        return ""
    v = field.value if field.value is not None else field.raw
    return "" if v is None else str(v)


def _print_setup(wb: Workbook) -> None:
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


def _focus_first_sheet(wb: Workbook) -> None:
    # One selected tab only: several selected tabs make Excel "group" the sheets, and an
    # edit would then land on all of them.
    for ws in wb.worksheets:
        ws.sheet_view.tabSelected = False
    wb.active = 0
    wb.worksheets[0].sheet_view.tabSelected = True
