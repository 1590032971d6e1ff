"""The annotated copy: the clerk's own workbook with every finding marked on its cell.

:func:`annotate` opens the original with openpyxl (formulas kept, not ``data_only``),
and adds

* a comment on each cell at fault (code, message, 应为/实际 — in Chinese), merged with any
  comment the clerk wrote; a red fill for errors, amber for warnings (info: comment only);
* a ``校验结果`` sheet, placed first, listing every finding with a link to its cell;
* a ``复核评分`` sheet: each indicator's 分值, 自评得分 and 复核得分 side by side, the
  subtotals per 一级指标, 预算执行率, 总分 and 等级.

Everything else of the original is kept (values, formulas, formats, validations, merged
cells, other sheets).  openpyxl does not keep formulas' cached values, so the copy asks
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

from perfxl.findings import Finding, Severity, display, get_rule
from perfxl.safe import atomic_path, set_text, set_value
from perfxl.spec import INDICATORS, LEVELS, col_letter, split_addr
from perfxl.summary import wrapped_lines

if TYPE_CHECKING:  # pragma: no cover
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

    from perfxl.report import FileReport
    from perfxl.rulebook import Rulebook
    from perfxl.score import ScoreCard

__all__ = ["annotate", "AnnotateError", "FINDINGS_SHEET", "SCORE_SHEET", "FILLS", "comment_text", "internal_link"]

FINDINGS_SHEET = "校验结果"
SCORE_SHEET = "复核评分"
AUTHOR = "perfxl"

# Fills (ARGB) of a cell at fault, by severity: Excel's own "light red" and "yellow"
# highlight colours, which a clerk knows from conditional formatting.
FILLS: dict[Severity, str | None] = {
    Severity.ERROR: "FFFFC7CE",
    Severity.WARNING: "FFFFEB9C",
    Severity.INFO: None,
}
_FONT_COLOURS = {Severity.ERROR: "FF9C0006", Severity.WARNING: "FF9C5700", Severity.INFO: "FF1F4E79"}
_HEADER_FILL = "FFDDEBF7"
_SUBTOTAL_FILL = "FFF2F2F2"


class AnnotateError(Exception):
    """The copy could not be made (the batch turns this into an F903 finding)."""


def internal_link(sheet: str, cell: str = "A1") -> str:
    """The location of an internal hyperlink: ``'绩效指标'!G7`` (quotes doubled)."""
    return "'" + sheet.replace("'", "''") + "'!" + cell


def comment_text(findings: Sequence[Finding]) -> str:
    """The comment perfxl puts on a cell: one paragraph per finding, worst first."""
    parts = []
    for f in sorted(findings, key=lambda f: (f.severity.rank, f.code)):
        lines = [f"【{f.severity.zh} {f.code}】{f.message()}"]
        if f.expected is not None or f.actual is not None:
            lines.append(f"应为：{display(f.expected)}；实际：{display(f.actual)}")
        parts.append("\n".join(lines))
    return "\n\n".join(parts)


def annotate(report: FileReport, dest: str | Path, *, rulebook: Rulebook | None = None,
             extra: Iterable[Finding] = ()) -> Path:
    """Write the annotated copy of ``report``'s file to ``dest`` (an ``.xlsx``), atomically.

    ``extra`` adds findings made outside the file's own check (batch-level codes).
    Raises :class:`ValueError` for a file the reader refused, :class:`AnnotateError`
    when the copy cannot be made.  The original is only read.
    """
    unit = report.unit
    if not report.readable or (unit is not None and not unit.readable):
        raise ValueError(f"{report.path}: refused by the reader; no annotated copy is made of it")
    findings = [*report.findings, *extra]
    src = Path(report.path)
    try:
        wb, values_only = _open(src, rulebook)
    except MemoryError:
        raise  # its own answer (F904 in the batch)
    except Exception as e:  # noqa: BLE001 - the file could not be opened again: one clear error (F903)
        raise AnnotateError(f"无法打开原文件：{type(e).__name__}: {e}") from e

    marked = _mark_cells(wb, findings)
    st = _Styles(wb)
    score_sheet = _score_sheet(wb, st, report.score, rulebook)
    _findings_sheet(wb, st, report, findings, marked, values_only, score_sheet)
    _focus_first_sheet(wb)
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
        if name in src.hidden:
            ws.sheet_state = "hidden"
    if not wb.worksheets:
        wb.create_sheet("Sheet1")
    return wb


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


def _mark_cells(wb: Workbook, findings: Sequence[Finding]) -> set[tuple[str, str]]:
    """Comment and fill every cell at fault; returns the (sheet, cell) pairs marked."""
    from openpyxl.comments import Comment
    from openpyxl.styles import PatternFill

    by_cell: dict[tuple[str, str], list[Finding]] = defaultdict(list)
    for f in findings:
        if f.sheet in wb.sheetnames and _valid_cell(f.cell):
            ws = wb[f.sheet]
            by_cell[(f.sheet, _top_left(ws, f.cell.upper()))].append(f)
    for (sheet, coord), fs in sorted(by_cell.items()):
        cell = wb[sheet][coord]
        text = comment_text(fs)
        if cell.comment is not None and cell.comment.text and cell.comment.author != AUTHOR:
            text = f"原批注：{cell.comment.text.strip()}\n\n{text}"
        lines = sum(1 + len(line) // 24 for line in text.splitlines())
        comment = Comment(text, AUTHOR, height=min(40 + 15 * lines, 600), width=320)
        cell.comment = comment
        worst = min(fs, key=lambda f: f.severity.rank).severity
        colour = FILLS[worst]
        if colour:
            cell.fill = PatternFill("solid", start_color=colour, end_color=colour)
    return set(by_cell)


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


def _solid_fill(colour: str) -> Any:
    from openpyxl.styles import PatternFill

    return PatternFill("solid", start_color=colour, end_color=colour)


def _alignment(**kw: Any) -> Any:
    from openpyxl.styles import Alignment

    return Alignment(**kw)


def _bottom_border() -> Any:
    from openpyxl.styles import Border, Side

    return Border(bottom=Side(style="thin", color="FF9E9E9E"))


def _new_sheet(wb: Workbook, title: str, index: int, header_row: int) -> Worksheet:
    """A new sheet at ``index`` (a name the workbook already uses gets a suffix), set up to
    print on A4 landscape, one page wide, with its header row repeated."""
    name, n = title, 1
    while name in wb.sheetnames:
        n += 1
        name = f"{title}_{n}"
    ws = wb.create_sheet(name, index)
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"{header_row}:{header_row}"
    return ws


def _fit_row(ws: Worksheet, r: int, widths: dict[int, float]) -> None:
    """Make row ``r`` tall enough for its wrapped text (programs do not refit it)."""
    n = 1
    for c, w in widths.items():
        v = ws.cell(r, c).value
        if isinstance(v, str) and v:
            n = max(n, wrapped_lines(v, w))
    if n > 1:
        ws.row_dimensions[r].height = min(13.5 * n + 3, 400)


def _header(ws: Worksheet, st: _Styles, row: int, labels: Sequence[str], widths: Sequence[float]) -> None:
    from openpyxl.utils import get_column_letter

    for c, (label, width) in enumerate(zip(labels, widths), start=1):
        cell = ws.cell(row, c)
        set_text(cell, label)
        st.font(cell, bold=True)
        st.fill(cell, _HEADER_FILL)
        st.alignment(cell, horizontal="center", vertical="center", wrap_text=True)
        st.bottom_border(cell)
        ws.column_dimensions[get_column_letter(c)].width = width


def _title(ws: Worksheet, st: _Styles, text: str, sub: str) -> None:
    set_text(ws.cell(1, 1), text)
    st.font(ws.cell(1, 1), bold=True, size=14)
    set_text(ws.cell(2, 1), sub)
    st.font(ws.cell(2, 1), color="FF595959")


def _findings_sheet(wb: Workbook, st: _Styles, report: FileReport, findings: Sequence[Finding],
                    marked: set[tuple[str, str]], values_only: bool, score_sheet: str) -> None:
    from openpyxl.worksheet.hyperlink import Hyperlink

    ws = _new_sheet(wb, FINDINGS_SHEET, 0, 5)
    name = report.unit_name or Path(report.path).name
    errors = sum(1 for f in findings if f.severity == Severity.ERROR)
    warnings = sum(1 for f in findings if f.severity == Severity.WARNING)
    infos = len(findings) - errors - warnings
    status = "需修改" if errors else "通过"
    _title(ws, st, f"校验结果 — {name}", f"错误 {errors} 个（必须修改），警告 {warnings} 个（需说明原因），提示 {infos} 个；"
                                     f"结论：{status}。点击“单元格”一列可跳到出问题的单元格；单元格上的批注写明了问题。")
    sc = report.score
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

    head = ("序号", "严重程度", "代码", "问题", "工作表", "单元格", "说明", "应为", "实际")
    _header(ws, st, 5, head, (6, 9, 7, 18, 11, 8, 60, 14, 14))
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
        _put_display(ws.cell(r, 8), f.expected)
        _put_display(ws.cell(r, 9), f.actual)
        _fit_row(ws, r, {4: 18, 7: 60, 8: 14, 9: 14})
    if ordered:
        ws.auto_filter.ref = f"A5:I{5 + len(ordered)}"


def _put_display(cell: Any, value: Any) -> None:
    if value is None:
        return
    if isinstance(value, float):
        cell.value = round(value, 4)
        cell.number_format = "0.00"
    elif isinstance(value, (int, bool)):
        cell.value = value
    else:
        set_text(cell, display(value))


def _num(cell: Any, value: float | None, fmt: str = "0.00") -> None:
    if value is None:
        return
    cell.value = round(float(value), 2)
    cell.number_format = fmt


def _score_sheet(wb: Workbook, st: _Styles, card: ScoreCard | None, rulebook: Rulebook | None) -> str:
    """Write 复核评分 (second sheet); returns its name."""
    from openpyxl.styles import Alignment
    from openpyxl.worksheet.hyperlink import Hyperlink

    ws = _new_sheet(wb, SCORE_SHEET, 0, 4)
    tol = rulebook.score_tolerance if rulebook is not None else 0.1
    rb_name = f"（规则库：{rulebook.name or rulebook.id}）" if rulebook is not None else ""
    _title(ws, st, "复核评分", f"按规则库计算的复核得分与单位自评得分对照{rb_name}；差异 = 自评得分 − 复核得分，"
                          f"超过 {tol:g} 分的标黄。")
    head = ("一级指标", "二级指标", "三级指标", "指标性质", "位置", "分值", "自评得分", "复核得分", "差异", "计分说明")
    _header(ws, st, 4, head, (12, 16, 30, 9, 14, 8, 10, 10, 8, 48))
    ws.freeze_panes = "A5"
    r = 5
    if card is None:
        set_text(ws.cell(r, 1), "未评分。")
        return ws.title
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
            cell = ind.self_score.cell or (f"{col_letter(INDICATORS.col_of('self_score'))}{ind.row}" if ind.row else None)
            if cell:
                where = cells[4]
                set_text(where, f"{INDICATORS.name}!{cell}")
                if INDICATORS.name in wb.sheetnames:
                    where.hyperlink = Hyperlink(ref=where.coordinate, location=internal_link(INDICATORS.name, cell),
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
            _fit_row(ws, r, {3: 30, 10: 48})
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
    r += 2
    if card.status != "scored" or card.reasons:
        set_text(ws.cell(r, 1), "说明：" + "；".join(card.reasons or ["未能完整评分"]))
        ws.cell(r, 1).alignment = Alignment(wrap_text=False)
    return ws.title


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


def _focus_first_sheet(wb: Workbook) -> None:
    # One selected tab only: several selected tabs make Excel "group" the sheets, and an
    # edit would then land on all of them.
    for ws in wb.worksheets:
        ws.sheet_view.tabSelected = False
    wb.active = 0
    wb.worksheets[0].sheet_view.tabSelected = True
