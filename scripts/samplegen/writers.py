"""The writer registry: a planned file's ``writer`` names the function that writes it.

A writer is ``(path, planned_file) -> list[FormLayout]``: it writes every form of the file and
says, per form, the sheet and the A1 address of each field (the keys of
:func:`national.layout`).  It raises :class:`WriterUnavailable` when it cannot write here;
the generator then skips the file with that message and keeps going.

``national`` is :mod:`samplegen.national`.  ``perfxl`` is perfxl's own project template,
``perfxl.template.write_workbook(path, data, kind="project")``: until that exists the
perfxl files are skipped.  When it exists and returns where it put the cells (an object
with ``.cells``, or a mapping of field → A1), those are used; otherwise the form is taken to
sit where the binding layout of TEMPLATE-project.md puts it, which the manifest test then
checks against the written file.
"""

from __future__ import annotations

import copy
import inspect
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from . import national
from .plan import PERFXL_VARIANT, PlannedFile, PlannedForm

__all__ = ["WriterUnavailable", "Writer", "WRITERS", "write_national", "write_perfxl", "binding_layout",
           "perfxl_data"]

PERFXL_SHEET = "项目支出绩效自评表"


class WriterUnavailable(RuntimeError):
    """This writer cannot write here (yet); the message says why."""


Writer = Callable[[Path, PlannedFile], list[national.FormLayout]]


def write_national(path: Path, pf: PlannedFile) -> list[national.FormLayout]:
    """The national layout, one sheet per form, with the file's cover and notes sheets."""
    forms = [national.Form(f.sheet, f.data, f.variant) for f in pf.forms]
    return national.write_workbook(path, forms, cover=pf.cover, notes=pf.notes)


def binding_layout(form: PlannedForm) -> national.FormLayout:
    """Where the binding layout (perfxl's template) puts this form's fields."""
    _, cells = national.layout(form.data, "national", sheet=PERFXL_SHEET)
    return national.FormLayout(PERFXL_SHEET, PERFXL_VARIANT, cells)


def perfxl_data(form: PlannedForm) -> dict[str, Any]:
    """The form's data as perfxl's template takes it: the contract's keys only, and no value
    for a computed cell (执行率, the execution 得分, 总分) unless a planted mistake types one
    over its formula."""
    data = copy.deepcopy(dict(form.data))
    tags = {m.tag for m in form.mistakes}
    for d in data.get("indicators", []):
        d.pop("children", None)
    total_row = data["budget"]["total"]
    total_row.pop("rate", None)
    total_row.pop("weight", None)
    if not tags & {"proj-total-off", "proj-total-zero"}:  # 年度资金总额 is a SUM of the sources
        for col in ("initial", "adjusted", "actual"):
            total_row.pop(col, None)
    if "proj-missing-level" not in tags:  # that mistake keeps the printed 100 over the formula
        data["total"].pop("weight", None)
    if "proj-execution-score" not in tags:
        total_row.pop("score", None)
    if "proj-total-score-off" not in tags:
        data["total"].pop("self_score", None)
    return data


def write_perfxl(path: Path, pf: PlannedFile) -> list[national.FormLayout]:
    """perfxl's project template, one form per workbook (skipped until it exists)."""
    try:
        from perfxl.template import write_workbook
    except ImportError as e:  # perfxl itself missing: nothing to plug in
        raise WriterUnavailable(f"perfxl is not importable ({e})") from e
    if "kind" not in inspect.signature(write_workbook).parameters:
        raise WriterUnavailable("perfxl.template.write_workbook(path, data, kind='project') does not exist yet")
    if len(pf.forms) != 1:
        raise WriterUnavailable("the perfxl writer is planned with one form per workbook")
    form = pf.forms[0]
    result = write_workbook(path, perfxl_data(form), kind="project")
    cells = getattr(result, "cells", result)
    if isinstance(cells, Mapping) and cells:
        return [national.FormLayout(PERFXL_SHEET, PERFXL_VARIANT, dict(cells))]
    return [binding_layout(form)]


WRITERS: dict[str, Writer] = {"national": write_national, "perfxl": write_perfxl}
