"""openpyxl's formatting of merged ranges, done once per kind of edge while perfxl loads a
workbook for its annotated copy.

Loading a sheet, openpyxl gives each cell on the edge of a merged range the side of the
range's border it lies on (``MergedCellRange.format``): per cell it copies the cell's
border, adds the side, and hashes the result to find its id in the workbook's list of
borders; then it does the same for the range's protection on every cell of the range.  A
national project form is mostly merged ranges, and this took about 40 % of the
instructions of loading and saving one (valgrind, ten of the shipped project samples).

Within :func:`fast_merges`, the same work is done once for each distinct (cell's border,
range's border, side) of a workbook, and once per range for the protection; every later
cell gets the id the first one got.  Ids are added to the workbook's lists by the same
calls, in the same order, so the saved file is identical byte for byte
(``tests/test_annotate_merges.py`` compares every sample with openpyxl's own load).
Outside it — any other load in the process, a caller's included — openpyxl's own method
runs unchanged.
"""

from __future__ import annotations

import contextlib
import copy
import threading
from contextvars import ContextVar
from typing import Any, Iterator

__all__ = ["fast_merges"]

# The memo of the load running in this thread (None: openpyxl's own method runs).
_MEMO: ContextVar[dict[tuple[int, int, str], int] | None] = ContextVar("perfxl_merge_memo", default=None)
_INSTALL = threading.Lock()


@contextlib.contextmanager
def fast_merges() -> Iterator[None]:
    """Loads of one workbook inside this block format merged ranges with a memo."""
    _install()
    token = _MEMO.set({})
    try:
        yield
    finally:
        _MEMO.reset(token)


def _install() -> None:
    """Put the memo's hook in front of ``MergedCellRange.format`` (once per process)."""
    from openpyxl.worksheet.merge import MergedCellRange

    with _INSTALL:
        original = MergedCellRange.format
        if getattr(original, "perfxl_memo", False):
            return

        def format(self: Any) -> None:  # noqa: A001 - openpyxl's name
            memo = _MEMO.get()
            if memo is None:
                original(self)
            else:
                _format(self, memo)

        format.perfxl_memo = True  # type: ignore[attr-defined]
        MergedCellRange.format = format  # type: ignore[method-assign]


def _format(rng: Any, memo: dict[tuple[int, int, str], int]) -> None:
    """What ``MergedCellRange.format`` does (openpyxl 3.1), a border sum worked out once per
    (cell's border id, range's border id, side)."""
    from openpyxl.cell.cell import MergedCell
    from openpyxl.styles.borders import Border
    from openpyxl.styles.cell_style import StyleArray

    ws = rng.ws
    cells = ws._cells
    start = rng.start_cell

    def cell_at(coord: tuple[int, int]) -> Any:
        cell = cells.get(coord)
        if cell is None:
            cell = cells[coord] = MergedCell(ws, row=coord[0], column=coord[1])
        return cell

    for name in ("top", "left", "right", "bottom"):
        side = getattr(start.border, name)  # read again for each side: the start cell is on two edges
        if side and side.style is None:
            continue  # no border on this side
        start_id = start._style.borderId
        border = None
        for coord in getattr(rng, name):
            cell = cell_at(coord)
            style = cell._style
            if not style:
                style = cell._style = StyleArray()
            key = (style.borderId, start_id, name)
            known = memo.get(key)
            if known is not None:
                style.borderId = known
                continue
            if border is None:
                border = Border(**{name: side})
            cell.border += border
            memo[key] = cell._style.borderId
    # Every cell of the range gets the start cell's protection: one id for the range.
    protection = ws.parent._protections.add(copy.copy(start.protection))
    for coord in rng.cells:
        cell = cell_at(coord)
        if not cell._style:
            cell._style = StyleArray()
        cell._style.protectionId = protection
