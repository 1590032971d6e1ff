"""Marking the cells at fault: a comment (sized to its text, merged with the clerk's own),
a fill and a border by severity; the input cells behind a finding on a computed cell get
a lighter fill and a dotted border."""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, Any, Sequence

from perfxl.annotate.styles import BORDERS, FILLS, RELATED_BORDER, RELATED_FILLS, Styles
from perfxl.findings import Finding, Severity
from perfxl.layout import text_width
from perfxl.spec import split_addr

if TYPE_CHECKING:  # pragma: no cover
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet


AUTHOR = "perfxl"


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


def valid_cell(cell: str | None) -> bool:
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


def mark_cells(wb: Workbook, findings: Sequence[Finding], st: Styles) -> set[tuple[str, str]]:
    """Comment, fill and border every cell at fault, and the input cells behind a finding
    on a computed cell; returns the (sheet, cell) pairs marked."""
    from openpyxl.comments import Comment

    by_cell: dict[tuple[str, str], list[Finding]] = defaultdict(list)
    behind: dict[tuple[str, str], list[Finding]] = defaultdict(list)
    for f in findings:
        if f.sheet in wb.sheetnames and valid_cell(f.cell):
            ws = wb[f.sheet]
            by_cell[(f.sheet, _top_left(ws, f.cell.upper()))].append(f)
            for rel in f.related:
                if valid_cell(rel):
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


def _mark(cell: Any, text: str | None, severity: Severity, comment_cls: Any, st: Styles,
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
