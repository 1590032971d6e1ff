"""The 复核评分 sheet: each indicator's 分值, 自评得分 and 复核得分 side by side, the
subtotals per 一级指标, 预算执行率, 总分 and 等级 — one table per unit of the file."""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, Any, Sequence

from perfxl.annotate.sheets import fit_rows, header, internal_link, new_sheet, size_columns, title
from perfxl.annotate.styles import FILLS, SUBTOTAL_FILL, Styles
from perfxl.findings import Severity
from perfxl.safe import set_text
from perfxl.spec import INDICATORS, LEVELS, col_letter

if TYPE_CHECKING:  # pragma: no cover
    from openpyxl import Workbook

    from perfxl.report import FileReport
    from perfxl.rulebook import Rulebook
    from perfxl.score import ScoreCard


SCORE_SHEET = "复核评分"


def _num(cell: Any, value: float | None, fmt: str = "0.00") -> None:
    if value is None:
        return
    cell.value = round(float(value), 2)
    cell.number_format = fmt


# 复核评分's columns grow with their content up to these widths (then the text wraps); 位置
# holds a form's sheet name too (项目支出绩效自评表!H13).
_SCORE_WIDEST = (12, 16, 30, 9, 28, 8, 10, 10, 8, 48)


def score_sheet(wb: Workbook, st: Styles, cards: Sequence[tuple[str | None, ScoreCard | None]],
                 rulebook: Rulebook | None) -> str:
    """Write 复核评分 (second sheet): one table per unit of the file (a workbook of several
    project forms has one per form, each under its name); returns its name."""
    from openpyxl.styles import Alignment
    from openpyxl.worksheet.hyperlink import Hyperlink

    ws = new_sheet(wb, SCORE_SHEET, 0, 4)
    tol = rulebook.score_tolerance if rulebook is not None else 0.1
    rb_name = f"（规则库：{rulebook.name or rulebook.id}）" if rulebook is not None else ""
    title(ws, st, "复核评分", f"按规则库计算的复核得分与单位自评得分对照{rb_name}；差异 = 自评得分 − 复核得分，"
                          f"超过 {tol:g} 分的标黄。")
    head = ("一级指标", "二级指标", "三级指标", "指标性质", "位置", "分值", "自评得分", "复核得分", "差异", "计分说明")
    r = 4
    tables = []
    for n, (label, card) in enumerate(cards):
        if label is not None:  # a form: which project the table is of
            set_text(ws.cell(r, 1), label)
            st.font(ws.cell(r, 1), bold=True)
            r += 1
        header(ws, st, r, head)
        if n == 0:
            ws.freeze_panes = f"A{r + 1}"
        end = _score_table(ws, st, card, r + 1, wb, tol, Alignment, Hyperlink)
        tables.append((r + 1, end))
        r = end + 2
    size_columns(ws, 4, r, _SCORE_WIDEST)
    for first, last in tables:  # once the columns have their widths: rows fit the wrapped text
        fit_rows(ws, first, last, (3, 10))
    return ws.title


def unit_label(report: FileReport) -> str | None:
    """How a form is headed on 复核评分: its name and its sheet (None: a 部门整体 workbook,
    whose table needs no heading)."""
    if not report.sheet:
        return None
    name = report.unit.name if report.unit is not None and report.unit.name else "（未填名称）"
    return f"{name}（工作表：{report.sheet}）"


def _score_table(ws: Any, st: Styles, card: ScoreCard | None, r: int, wb: Workbook, tol: float,
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
            st.fill(cell, SUBTOTAL_FILL)
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
