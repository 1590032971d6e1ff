"""One row per unit of a batch, as the summary, the reports and ``perfxl serve`` use it.

:class:`SummaryRow` is small and picklable (a worker sends it back instead of the read
Unit); :class:`UnitDetail` holds what the outputs need beyond it (findings, score card),
spooled to disk by the batch; :class:`RunInfo` describes the run.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Sequence

from perfxl.kinds import KINDS, is_part
from perfxl.findings import Finding, Severity
from perfxl.inputs import Skipped
from perfxl.safe import clean_text

if TYPE_CHECKING:  # pragma: no cover
    from perfxl.model import Unit
    from perfxl.report import FileReport
    from perfxl.rulebook import Rulebook

__all__ = ["STATUS_OK", "STATUS_FIX", "STATUS_UNREADABLE", "SummaryRow", "UnitDetail", "RunInfo", "Skipped",
           "rank_rows", "first_error", "iter_details", "skeleton", "cross_file_view"]

STATUS_OK, STATUS_FIX, STATUS_UNREADABLE = "通过", "需修改", "无法读取"
# The stable values summary.json carries for them (as ``perfxl check --format json`` does).
_STATUS_VALUES = {STATUS_OK: "passed", STATUS_FIX: "needs-changes", STATUS_UNREADABLE: "unreadable"}

@dataclass
class SummaryRow:
    """One file's line of the summary.  Small and picklable: no Unit, no findings."""

    index: int  # position of the file in the batch's sorted input order
    path: str  # the input file, as discovered
    unit: int = 0  # position of the unit in its file (a workbook may hold several project forms)
    kind: str = "dept"  # the template kind: 'dept' (部门整体) or 'project' (项目支出)
    sheet: str | None = None  # the form sheet of a project unit
    name: str | None = None
    credit_code: str | None = None
    department: str | None = None
    year: int | None = None
    budget: float | None = None  # 全年预算数 (资金总额), 万元
    actual: float | None = None  # 全年执行数, 万元
    rate: float | None = None  # 执行率 (fraction)
    self_total: float | None = None
    total: float | None = None  # 复核得分
    self_grade: str | None = None
    grade: str | None = None  # 复核等级
    errors: int = 0
    warnings: int = 0
    infos: int = 0
    status: str = STATUS_OK
    annotated: str | None = None  # relative path of the annotated copy ('annotated/x.xlsx')
    note: str = ""  # why unreadable / not scored
    rank: int | None = None
    common: dict[str, float | None] = field(default_factory=dict)
    cells: dict[str, str] = field(default_factory=dict)  # where name, year, credit_code (…) were read
    # 部门整体: 项目支出's 全年执行数 (万元), which the department's project forms add up to at most.
    project_actual: float | None = None

    @property
    def key(self) -> tuple[int, int]:
        """The row's place in the batch: (file, unit within the file)."""
        return self.index, self.unit

    @property
    def where(self) -> str:
        """The file, and ``file › sheet`` for a project form."""
        return f"{self.path} › {self.sheet}" if self.sheet else self.path

    @property
    def diff(self) -> float | None:
        """自评得分 − 复核得分."""
        if self.self_total is None or self.total is None:
            return None
        return round(self.self_total - self.total, 2)

    @property
    def label(self) -> str:
        """The unit's name, or its sheet or file name when the name could not be read."""
        return self.name or self.sheet or Path(self.path).name

    @classmethod
    def from_report(cls, report: FileReport, index: int, annotated: str | None = None, unit: int = 0) -> SummaryRow:
        """The row of one checked unit (``unit``: its position in the file)."""
        row = cls(index=index, path=report.path, annotated=annotated, unit=unit, kind=report.kind, sheet=report.sheet)
        row.errors, row.warnings, row.infos = report.errors, report.warnings, report.infos
        row.status = report.status_text("zh")
        unit = report.unit
        if not report.readable or unit is None or not unit.readable:
            row.status = STATUS_UNREADABLE
            row.note = first_error(report.findings)
            return row
        row.name = _clip(unit.name)
        row.credit_code = _clip(unit.credit_code)
        dep = unit.profile.get("department")
        row.department = _clip(dep.value) if dep is not None and dep.ok and dep.value is not None else None
        row.year = unit.year
        for key in ("name", "year", "credit_code", "department"):
            f = unit.profile.get(key)
            if f is not None and f.cell:
                row.cells[key] = f.cell
        if is_part(unit.kind):
            return _project_row(row, report)
        from perfxl.common import budget_amount, common_indicators

        card = report.score
        # Figures that cannot be computed are None (shown blank), never a guess; an
        # exception here is a bug and is reported as such (F902) by the batch.
        row.budget = _round(budget_amount(unit, "adjusted")[0])
        row.actual = _round(budget_amount(unit, "actual")[0])
        row.project_actual = _round(budget_amount(unit, "actual", "project")[0])
        _keep_cell(row, "project_actual", unit.budget.get("project"))
        common = card.common if card is not None else common_indicators(unit)
        row.common = {k: (None if v is None else round(v, 6)) for k, v in common.items()}
        if card is not None:
            _take_scores(row, card)
        if row.rate is None and row.common.get("预算执行率") is not None:
            row.rate = row.common["预算执行率"]
        return row

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape (English keys; ``status`` a stable value, ``status_text`` the words)."""
        d = asdict(self)
        d["diff"] = self.diff
        d["status"] = _STATUS_VALUES.get(self.status, self.status)
        d["status_text"] = self.status
        return d


def _take_scores(row: SummaryRow, card: Any) -> None:
    """The row's 执行率, scores and grades from the unit's score card."""
    row.rate = _round(card.execution.rate, 6) if card.execution is not None else None
    row.total, row.grade = _round(card.total), card.grade
    row.self_total, row.self_grade = _round(card.self_total), card.self_grade
    if card.total is None:
        row.note = "未评分：" + "；".join(card.reasons or ["评分所需数据不全"])


def _keep_cell(row: SummaryRow, key: str, budget_row: Any) -> None:
    """Note where a row's 全年执行数 was read (a cross-file finding points at it)."""
    f = budget_row.actual if budget_row is not None else None
    if f is not None and f.sheet and f.cell:
        row.cells[key] = f"{f.sheet}!{f.cell}"


def _project_row(row: SummaryRow, report: FileReport) -> SummaryRow:
    """The figures of a project form: 年度资金总额's budget and spending, 执行率, the scores.
    The amounts are those the review scores (:func:`~perfxl.common.budget_amount`: a total
    typed over the sum of its sources is taken as that sum, as for a 部门整体 unit), so the
    row's 执行率 is its 全年执行数 ÷ 全年预算数.  The 自评得分 is the form's 总分 as written
    when no score card could be made."""
    from perfxl.common import budget_amount
    from perfxl.rules.registry import number

    unit, card = report.unit, report.score
    assert unit is not None
    total = unit.budget.get("total")
    if total is not None:
        row.budget, row.actual = _round(budget_amount(unit, "adjusted")[0]), _round(budget_amount(unit, "actual")[0])
        _keep_cell(row, "actual", total)
    if card is not None:
        _take_scores(row, card)
    else:
        written = unit.scores.get("total")
        row.self_total = _round(number(written.self_score)) if written is not None else None
        row.note = "未评分"
    if row.rate is None and row.budget and row.actual is not None:
        row.rate = round(row.actual / row.budget, 6)
    return row


def first_error(findings: Sequence[Finding]) -> str:
    """The message of the first error (why a file could not be read)."""
    for f in findings:
        if f.severity == Severity.ERROR:
            return f"{f.code} {f.message()}"
    return findings[0].message() if findings else "无法读取"


def _clip(v: Any, limit: int = 500) -> Any:
    if isinstance(v, str):
        return clean_text(v, limit)
    return v


def _round(v: float | None, nd: int = 2) -> float | None:
    if v is None or not isinstance(v, (int, float)) or isinstance(v, bool) or not math.isfinite(v):
        return None
    return round(float(v), nd)


@dataclass
class UnitDetail:
    """What the outputs need of one file beyond its row: findings and score card."""

    findings: list[Finding] = field(default_factory=list)
    score: dict[str, Any] | None = None  # ScoreCard.to_dict()


@dataclass
class RunInfo:
    """What the 说明 sheet and summary.json say about the run."""

    rulebook_id: str = ""
    rulebook_name: str = ""
    inputs: list[str] = field(default_factory=list)  # the paths given on the command line
    skipped: list[Skipped] = field(default_factory=list)
    started: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.timezone.utc))
    jobs: int = 1
    timeout: float | None = None
    year: int | None = None

    @classmethod
    def for_rulebook(cls, rulebook: Rulebook | None, **kw: Any) -> RunInfo:
        if rulebook is None:
            return cls(**kw)
        return cls(rulebook_id=rulebook.id, rulebook_name=rulebook.name, **kw)

    @property
    def started_text(self) -> str:
        return self.started.astimezone(dt.timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")


def rank_rows(rows: Sequence[SummaryRow]) -> list[SummaryRow]:
    """Rows in 汇总 order, with ``rank`` set: the 部门整体 units, then the project forms
    (each kind ranked on its own: a project's score is not a department's).

    Scored units first, by 复核得分 descending, ties by name then path; equal scores
    share a rank (1, 2, 2, 4).  Unscored and unreadable units follow in input order,
    without a rank.
    """
    kinds = [*KINDS, *(k for k in dict.fromkeys(r.kind for r in rows) if k not in KINDS)]
    return [r for kind in kinds for r in _rank([x for x in rows if x.kind == kind])]


def _rank(rows: Sequence[SummaryRow]) -> list[SummaryRow]:
    scored = [r for r in rows if r.total is not None and r.status != STATUS_UNREADABLE]
    rest = [r for r in rows if not (r.total is not None and r.status != STATUS_UNREADABLE)]
    scored.sort(key=lambda r: (-round(r.total or 0.0, 2), r.label, r.path, r.unit))
    rest.sort(key=lambda r: r.key)
    prev: float | None = None
    rank = 0
    for i, r in enumerate(scored, start=1):
        t = round(r.total or 0.0, 2)
        if t != prev:
            rank, prev = i, t
        r.rank = rank
    for r in rest:
        r.rank = None
    return scored + rest


def iter_details(details: Iterable[tuple[SummaryRow, UnitDetail]]) -> Callable[[SummaryRow], UnitDetail]:
    """A ``detail`` callback over an in-memory mapping (for callers that hold everything)."""
    table = {row.key: d for row, d in details}
    return lambda row: table.get(row.key, UnitDetail())


def skeleton(row: SummaryRow) -> Unit:
    """A unit holding what the batch rules compare of a summary row: name, year, credit
    code or 主管部门, and the spending they add up (with the cells they were read from).
    The cross-file rules see every unit so — in a batch, on `perfxl check`'s workers and
    in one process alike — and so find the same whichever way the files were checked."""
    from perfxl.model import Field, Row, Unit
    from perfxl.spec import PROFILE

    project = is_part(row.kind)
    sheet = row.sheet if project else PROFILE.name
    profile = {}
    for key, value in (("name", row.name), ("year", row.year), ("credit_code", row.credit_code),
                       ("department", row.department if project else None)):
        if value is not None:
            profile[key] = Field(value, sheet, row.cells.get(key) or (None if project else PROFILE.cell(key)))
    key, value = ("total", row.actual) if project else ("project", row.project_actual)
    at = row.cells.get("actual" if project else "project_actual", "")
    where = at.rsplit("!", 1) if "!" in at else (None, None)
    spent = Field(value, where[0], where[1]) if value is not None else Field.absent(where[0], where[1])
    budget = {key: Row(key, "", None, {"actual": spent})}
    return Unit(path=Path(row.path), kind=row.kind, form_sheet=row.sheet, profile=profile,
                budget=budget)  # type: ignore[arg-type]  # a Row reads like a BudgetRow here


def cross_file_view(row: SummaryRow, findings: Sequence[Finding] = ()) -> FileReport:
    """The report the cross-file rules get for a summary row: its :func:`skeleton` (none
    for a file that could not be read: it takes no part) and the findings it has so far."""
    from perfxl.report import FileReport

    readable = row.status != STATUS_UNREADABLE
    return FileReport(path=row.path, findings=list(findings), readable=readable, kind=row.kind, sheet=row.sheet,
                      unit=skeleton(row) if readable else None)
