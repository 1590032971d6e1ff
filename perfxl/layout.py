"""How perfxl's workbooks are laid out for the screen and the printer.

Neither Excel nor LibreOffice widens a column or grows a row for its text when it opens a
generated file, so perfxl sizes them itself, from the text, in Excel's units: a column
width counts characters of the default font's digit (Calibri 11: 7 px), so a Chinese
character at 10 pt takes about 1.9 of them and a digit or Latin letter about 1.05.

Every sheet perfxl writes prints as a finance office prints: A4, landscape when wider than
a portrait page, fitted to one page wide, its header rows repeated on each page, panes
frozen below the header, page numbers in the footer (:data:`FOOTER`).
"""

from __future__ import annotations

import functools
import math
import unicodedata
from typing import Iterable

__all__ = [
    "FOOTER",
    "PORTRAIT_WIDTH",
    "text_width",
    "column_width",
    "wrapped_lines",
    "row_height",
    "is_landscape",
]

# '第 3 页，共 5 页' centred in the footer (Excel's &P and &N codes; LibreOffice reads them).
FOOTER = "&C第 &P 页，共 &N 页"
# Column units that fit across an A4 portrait page at 100% (180 mm of paper between margins).
PORTRAIT_WIDTH = 100.0
_LINE = 1.35  # line height ÷ font size


_NARROW = frozenset(" .,:;'!|()[]{}-/ilIjtf")


@functools.lru_cache(maxsize=8192)
def _char_width(ch: str) -> float:
    if unicodedata.east_asian_width(ch) in "WFA":  # ambiguous ones (“ ” ·) are full-width in a Chinese font
        return 1.9
    if ch in _NARROW:
        return 0.6
    # Digits and letters: Excel's Calibri and 等线 take about one unit, the fonts LibreOffice
    # falls back on somewhat more; sized for the wider, so nothing is cut anywhere.
    return 1.35 if ch.isupper() or ch in "%@#&MWmw" else 1.15


def text_width(text: str, size: float = 10.0) -> float:
    """Width of one line of ``text`` in column units, at ``size`` points."""
    return sum(_char_width(ch) for ch in text) * size / 10.0


def column_width(values: Iterable[object], header: str = "", *, size: float = 10.0, minimum: float = 4.0,
                 maximum: float = 60.0, header_lines: int = 2) -> float:
    """A column as wide as its longest value (one line each), at least wide enough for its
    header on ``header_lines`` lines, between ``minimum`` and ``maximum`` units."""
    widest = 0.0
    for v in values:
        if v is None or v == "":
            continue
        for line in str(v).split("\n"):
            widest = max(widest, text_width(line, size))
    head = max((text_width(line, size) for line in header.split("\n")), default=0.0)
    head = head / header_lines if header_lines > 1 and head > 8 else head
    return min(math.ceil(max(widest + 1.2, head + 1.2, minimum) * 10) / 10, maximum)


def wrapped_lines(text: str, width: float, size: float = 10.0) -> int:
    """How many lines ``text`` takes in a wrapping column ``width`` units wide."""
    usable = max(width - 0.3, 1.0)  # Excel adds its 5 px of padding to the width set
    return sum(max(1, math.ceil(text_width(part, size) / usable - 1e-6)) for part in str(text).split("\n"))


def row_height(lines: int, size: float = 10.0) -> float | None:
    """The height (points) of a row of ``lines`` lines; None for one line (the default
    height, which Excel and LibreOffice fit to the font)."""
    if lines <= 1:
        return None
    return min(round(lines * size * _LINE + 4, 1), 409.0)


def is_landscape(total_width: float) -> bool:
    """True when columns of ``total_width`` units are too wide for an A4 portrait page."""
    return total_width > PORTRAIT_WIDTH
