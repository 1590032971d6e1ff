"""X rules across the two kinds of one batch: a department's 项目支出绩效自评表 forms
against its 部门整体支出绩效自评表.

A project form names its department in 主管部门; the 部门整体 workbook names itself in
单位名称.  They are matched on those names (full-width folded, spaces removed), so a
department is found however its clerk spaced the name.  An amount that could not be read
is unknown: X004 then says nothing rather than compare a partial sum.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, Iterable

from perfxl.codes.crosskind import X004, X005
from perfxl.findings import Finding
from perfxl.kinds import department_key, is_part, wholes
from perfxl.model import Field, Unit
from perfxl.rules.registry import BOTH, RuleContext, check, number, text

if TYPE_CHECKING:  # pragma: no cover
    from perfxl.report import FileReport

__all__ = ["X004", "X005", "check_cross_kind"]


# How far the projects may pass the department's figure (万元): rounding in the forms.
TOLERANCE = 0.005


def _spent(unit: Unit, key: str) -> Field | None:
    row = unit.budget.get(key)
    return row.actual if row is not None else None


@check("X004", "X005", scope="batch", kinds=BOTH)
def check_cross_kind(reports: list[FileReport], ctx: RuleContext) -> Iterable[tuple[FileReport, Finding]]:
    """The projects of each department (by 主管部门) against its 部门整体 workbook: their
    全年执行数 add up to at most its 项目支出 全年执行数 (X004, reported at that cell of the
    department's workbook); a department with projects but no 部门整体 workbook (X005,
    at each project's 主管部门) in a run that holds 部门整体 workbooks."""
    depts: dict[str, list[FileReport]] = defaultdict(list)
    projects: dict[str, list[FileReport]] = defaultdict(list)
    for r in reports:
        u = r.unit
        if not r.readable or u is None or not u.readable:
            continue
        if is_part(u.kind):
            name = text(u.profile.get("department"))
            if name and not ctx.rulebook.is_placeholder(name):
                projects[department_key(name)].append(r)
        elif u.kind in wholes():
            name = text(u.profile.get("name"))
            if name and not ctx.rulebook.is_placeholder(name):
                depts[department_key(name)].append(r)
    if not depts:
        # No 部门整体 workbook in the run at all (a clerk checking their own project forms,
        # a folder of projects alone): nothing to compare them with, and X005 would only
        # say so of every form.
        return
    for key, forms in projects.items():
        named = text(forms[0].unit.profile.get("department"))  # type: ignore[union-attr]
        if key not in depts:
            for r in forms:
                f = r.unit.profile["department"]  # type: ignore[union-attr]
                yield r, X005(f.sheet, f.cell, department=named)
            continue
        amounts = [number(_spent(r.unit, "total")) for r in forms]  # type: ignore[arg-type]
        if any(a is None for a in amounts):
            continue  # a project's spending is unknown: the sum is too
        total = round(sum(a for a in amounts if a is not None), 2)
        for d in depts[key]:
            spent = _spent(d.unit, "project")  # type: ignore[arg-type]
            limit = number(spent)
            if spent is None or limit is None or total <= limit + TOLERANCE:
                continue
            yield d, X004(spent.sheet, spent.cell, expected=limit, actual=total, department=named)
