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
cells, other sheets), and every sheet gets print settings (:mod:`perfxl.layout`).  openpyxl
does not keep formulas' cached values, so the copy asks Excel/LibreOffice to recalculate on
open (``fullCalcOnLoad``).

An ``.xls``/``.ods`` input (which openpyxl cannot open), or an ``.xlsx`` openpyxl fails to
load, becomes an ``.xlsx`` copy of its *values*, read through the reader's own guarded and
isolated read (:func:`perfxl.reader.read_sheets`); 校验结果 says so.
The copy is never made for a file the reader refused (``readable`` False): the guards
stand before openpyxl.  Text taken from a workbook is always written as text
(:func:`perfxl.safe.set_text`).

The stages, a module each: :mod:`~perfxl.annotate.opening` (the original),
:mod:`~perfxl.annotate.marks` (the cells at fault), :mod:`~perfxl.annotate.score_sheet`,
:mod:`~perfxl.annotate.findings_sheet` (with what both sheets share in
:mod:`~perfxl.annotate.sheets` and :mod:`~perfxl.annotate.styles`) and
:mod:`~perfxl.annotate.printing`.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Sequence

from perfxl.annotate.findings_sheet import FINDINGS_SHEET, findings_sheet
from perfxl.annotate.inmemory import in_memory
from perfxl.annotate.marks import comment_size, comment_text, mark_cells
from perfxl.annotate.opening import open_original
from perfxl.annotate.printing import focus_first_sheet, print_setup
from perfxl.annotate.score_sheet import SCORE_SHEET, score_sheet, unit_label
from perfxl.annotate.sheets import internal_link
from perfxl.annotate.styles import BORDERS, FILLS, RELATED_BORDER, RELATED_FILLS, Styles
from perfxl.findings import Finding
from perfxl.safe import atomic_path

if TYPE_CHECKING:  # pragma: no cover
    from perfxl.report import FileReport
    from perfxl.rulebook import Rulebook

__all__ = ["annotate", "AnnotateError", "FINDINGS_SHEET", "SCORE_SHEET", "FILLS", "BORDERS", "RELATED_FILLS",
           "RELATED_BORDER", "comment_text", "comment_size", "internal_link"]


class AnnotateError(Exception):
    """The copy could not be made (the batch turns this into an F903 finding)."""


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
        wb, values_only = open_original(src, rulebook)
    except MemoryError:
        raise  # its own answer (F904 in the batch)
    except Exception as e:  # noqa: BLE001 - the file could not be opened again: one clear error (F903)
        raise AnnotateError(f"无法打开原文件：{type(e).__name__}: {e}") from e

    st = Styles(wb)
    marked = mark_cells(wb, findings, st)
    units = [report, *others]
    score_name = score_sheet(wb, st, [(unit_label(u), u.score) for u in units], rulebook)
    findings_sheet(wb, st, report, findings, marked, values_only, score_name, len(others) + 1)
    focus_first_sheet(wb)
    print_setup(wb)
    # openpyxl drops the cached values of formulas: make the reader's program recompute.
    wb.calculation.fullCalcOnLoad = True
    in_memory(wb)  # each sheet's XML kept in memory, not in a temporary file of its own
    dest = Path(dest)
    try:
        with atomic_path(dest) as tmp:
            wb.save(tmp)
    except Exception as e:  # noqa: BLE001
        raise AnnotateError(f"无法保存标注副本：{type(e).__name__}: {e}") from e
    finally:
        wb.close()
    return dest
