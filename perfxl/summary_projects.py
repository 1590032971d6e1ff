"""The 项目 sheet of 汇总表.xlsx: one row per 项目支出绩效自评表, and a roll-up per department.

A bureau's inbox is mostly project forms; the 部门整体 units keep the 汇总 sheet and its
ranking, and the projects are listed here grouped by 主管部门 (a project's score is not
comparable with a department's).  Below the list, one line per department: how many
projects, their money, the money-weighted mean 复核得分 (weights: 全年执行数 — a project
that spent more counts for more) and the lowest-scoring project.

A figure that could not be read is unknown, never 0: a department's sum is left blank
when any of its projects' amounts is unknown, and the mean runs over the projects that
have both a score and a spending.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Sequence

from perfxl.kinds import department_key, is_part
from perfxl.layout import row_height, wrapped_lines
from perfxl.safe import clean_text
from perfxl.summary_rows import STATUS_UNREADABLE
from perfxl.summary_xlsx import Column, colour_marks, column_widths, fit_row, page_setup, put, write_rows

if TYPE_CHECKING:  # pragma: no cover
    from perfxl.summary_rows import RunInfo, SummaryRow
    from perfxl.summary_xlsx import Formats

__all__ = ["PROJECTS_SHEET", "KIND_TEXT", "PROJECT_COLUMNS", "ROLLUP_COLUMNS", "DepartmentRollup", "rollup",
           "project_order", "write_projects_sheet"]

PROJECTS_SHEET = "项目"
# How findings.csv and 问题清单 name a unit's kind.
KIND_TEXT = {"dept": "部门整体", "project": "项目支出"}
NO_DEPARTMENT = "（未填主管部门）"

PROJECT_COLUMNS: tuple[Column, ...] = (
    ("主管部门", "department", "text", 20),
    ("项目名称", "name", "text", 26),
    ("全年预算数（万元）", "budget", "amount", 13),
    ("全年执行数（万元）", "actual", "amount", 13),
    ("执行率", "rate", "rate", 9),
    ("自评得分", "self_total", "score", 10),
    ("复核得分", "total", "score", 10),
    ("差异", "diff", "score", 8),
    ("复核等级", "grade", "text", 8),
    ("错误数", "errors", "int", 7),
    ("状态", "status", "text", 9),
    ("标注副本", "annotated", "link", 9),
    ("文件 › 工作表", "where", "text", 40),
    ("说明", "note", "text", 30),  # why a project has no 复核得分 (or could not be read)
)

# Below the list, in its columns (so each column fits both): the lowest project under 项目名称,
# the weighted mean under 复核得分.
ROLLUP_COLUMNS: tuple[Column, ...] = (
    ("部门", "department", "text", 20),
    ("最低得分项目", "lowest", "text", 26),
    ("全年预算数（万元）", "budget", "amount", 13),
    ("全年执行数（万元）", "actual", "amount", 13),
    ("执行率", "rate", "rate", 9),
    ("最低复核得分", "lowest_score", "score", 10),
    ("加权平均复核得分", "mean", "score", 10),
    ("项目数", "projects", "int", 8),
    ("部门整体自评表", "overall", "text", 8),
)


@dataclass
class DepartmentRollup:
    """One department's projects, summed."""

    department: str
    projects: int
    budget: float | None  # None when a project's amount is unknown
    actual: float | None
    mean: float | None  # 复核得分 weighted by 全年执行数
    lowest: str | None
    lowest_score: float | None
    overall: str  # 已报送 / 未报送: whether the batch holds its 部门整体 workbook

    @property
    def rate(self) -> float | None:
        if self.budget and self.actual is not None:
            return round(self.actual / self.budget, 6)
        return None


def _sum(values: Sequence[float | None]) -> float | None:
    return None if any(v is None for v in values) else round(sum(v for v in values if v is not None), 2)


def _group(projects: Sequence[SummaryRow]) -> dict[str, list[SummaryRow]]:
    """Projects by department, departments in input order (the first project's file)."""
    groups: dict[str, list[SummaryRow]] = {}
    for r in sorted(projects, key=lambda r: r.key):
        groups.setdefault(department_key(r.department), []).append(r)
    return groups


def project_order(projects: Sequence[SummaryRow]) -> list[SummaryRow]:
    """The 项目 sheet's order: by department (input order), then 复核得分 descending,
    unscored projects last in input order."""
    out: list[SummaryRow] = []
    for rows in _group(projects).values():
        out += sorted(rows, key=lambda r: (r.total is None, -(r.total or 0.0), r.key))
    return out


def rollup(rows: Sequence[SummaryRow]) -> list[DepartmentRollup]:
    """One line per department of the project forms among ``rows`` (in input order)."""
    overall = {department_key(r.name) for r in rows if not is_part(r.kind) and r.status != STATUS_UNREADABLE}
    out = []
    for key, group in _group([r for r in rows if is_part(r.kind)]).items():
        readable = [r for r in group if r.status != STATUS_UNREADABLE]
        weighted = [(r.total, r.actual) for r in readable if r.total is not None and r.actual]
        money = sum(a for _t, a in weighted)
        scored = [r for r in readable if r.total is not None]
        low = min(scored, key=lambda r: (r.total, r.key)) if scored else None
        out.append(DepartmentRollup(
            department=next((r.department for r in group if r.department), NO_DEPARTMENT),
            projects=len(group),
            budget=_sum([r.budget for r in group]),
            actual=_sum([r.actual for r in group]),
            mean=round(sum(t * a for t, a in weighted) / money, 2) if money else None,
            lowest=low.label if low is not None else None,
            lowest_score=low.total if low is not None else None,
            overall="已报送" if key and key in overall else "未报送",
        ))
    return out


def _title(projects: Sequence[SummaryRow], info: RunInfo) -> str:
    years = sorted({r.year for r in projects if r.year is not None})
    year = info.year if info.year is not None else (years[-1] if len(years) == 1 else None)
    return f"{year}年度项目支出绩效自评复核汇总表" if year else "项目支出绩效自评复核汇总表"


def _heads(ws: Any, r: int, columns: Sequence[Column], widths: dict[str, float], fm: Formats) -> None:
    ws.set_row(r, row_height(max(wrapped_lines(h, widths[a]) for h, a, _, _ in columns)) or 15)
    for c, (h, _a, _k, _w) in enumerate(columns):
        ws.write_string(r, c, h, fm.head)


def write_projects_sheet(ws: Any, projects: Sequence[SummaryRow], depts: Sequence[SummaryRow], info: RunInfo,
                         fm: Formats) -> None:
    """The 项目 sheet: a title, a line of totals, the projects' table (frozen header,
    filter, coloured grades and statuses), then the per-department roll-up."""
    ordered = project_order(projects)
    lines = rollup([*depts, *projects])
    widths = column_widths(PROJECT_COLUMNS, ordered)
    for (_h, attr, _k, _w), (rh, rattr, rk, rw) in zip(PROJECT_COLUMNS, ROLLUP_COLUMNS):
        widths[attr] = max(widths[attr], column_widths(((rh, rattr, rk, rw),), lines)[rattr])
    fixed = sum(1 for r in ordered if r.status != STATUS_UNREADABLE and r.errors)
    ws.write_string(0, 0, _title(ordered, info), fm.title)
    ws.set_row(0, 22)
    ws.write_string(1, 0, clean_text(
        f"共 {len(ordered)} 个项目（{len(lines)} 个部门），需修改 {fixed} 个。按主管部门分组，组内按复核得分从高到低；"
        f"差异 = 自评得分 − 复核得分。表下为各部门汇总：加权平均复核得分以全年执行数为权重。"), fm.sub)
    head = 2
    _heads(ws, head, PROJECT_COLUMNS, widths, fm)
    write_rows(ws, head + 1, PROJECT_COLUMNS, ordered, widths, fm, {"grade", "status", "errors"},
               ("department", "name", "where", "note"))
    last = head + max(len(ordered), 1)
    ws.autofilter(head, 0, last, len(PROJECT_COLUMNS) - 1)
    colour_marks(ws, head + 1, last, {a: c for c, (_h, a, _k, _w) in enumerate(PROJECT_COLUMNS)}, fm)

    r = last + 2
    ws.write_string(r, 0, "各部门项目汇总", fm.heading)
    _heads(ws, r + 1, ROLLUP_COLUMNS, {a2: widths[a1] for (_, a1, _, _), (_, a2, _, _)
                                       in zip(PROJECT_COLUMNS, ROLLUP_COLUMNS)}, fm)
    for i, line in enumerate(lines, start=r + 2):
        fit_row(ws, i, [(line.department, widths["department"]), (line.lowest or "", widths["name"])])
        for c, (_h, attr, kind, _w) in enumerate(ROLLUP_COLUMNS):
            value = getattr(line, attr)
            fmt = fm.wrap if kind == "text" else fm.centre if kind == "int" else fm.of(kind)
            put(ws, i, c, value, fmt)
    page_setup(ws, [widths[a] for _h, a, _k, _w in PROJECT_COLUMNS], header_rows=head + 1, freeze_cols=2)
