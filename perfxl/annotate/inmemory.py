"""Saving an annotated copy without a temporary file for each of its sheets.

openpyxl writes every worksheet of a workbook it saves to a temporary file of its own —
created, written, copied into the zip, removed — so a 部门整体 copy (eight sheets and the two
perfxl adds) made ten files on disk to save one.  A workbook marked with :func:`in_memory`
has each sheet's XML written to memory and put into the zip from there: the same parts,
byte for byte (``tests/test_annotate_inmemory.py`` saves the samples' copies both ways and
compares every part).  Any other workbook — a caller's own included — is saved by
openpyxl's own code.
"""

from __future__ import annotations

import threading
from io import BytesIO
from typing import Any

__all__ = ["in_memory"]

_MARK = "_perfxl_in_memory"
_INSTALL = threading.Lock()


def in_memory(wb: Any) -> None:
    """Mark a workbook (an annotated copy) to be saved without temporary files."""
    _install()
    setattr(wb, _MARK, True)


def _install() -> None:
    """Put the in-memory writer in front of openpyxl's ``ExcelWriter.write_worksheet``
    (once per process)."""
    from openpyxl.writer.excel import ExcelWriter

    with _INSTALL:
        original = ExcelWriter.write_worksheet
        if getattr(original, "perfxl_in_memory", False):
            return

        def write_worksheet(self: Any, ws: Any) -> None:
            if getattr(self.workbook, _MARK, False) and not self.workbook.write_only:
                _write_worksheet(self, ws)
            else:
                original(self, ws)

        write_worksheet.perfxl_in_memory = True  # type: ignore[attr-defined]
        ExcelWriter.write_worksheet = write_worksheet  # type: ignore[method-assign]


def _write_worksheet(writer: Any, ws: Any) -> None:
    """What ``ExcelWriter.write_worksheet`` does (openpyxl 3.1), into memory."""
    from openpyxl.drawing.spreadsheet_drawing import SpreadsheetDrawing
    from openpyxl.worksheet._writer import WorksheetWriter

    ws._drawing = SpreadsheetDrawing()
    ws._drawing.charts = ws._charts
    ws._drawing.images = ws._images
    sheet = WorksheetWriter(ws, out=BytesIO())
    sheet.write()
    ws._rels = sheet._rels
    writer._archive.writestr(ws.path[1:], sheet.out.getvalue())
    writer.manifest.append(ws)
