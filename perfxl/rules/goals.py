"""G rules: 绩效目标 (annual performance goals)."""

from __future__ import annotations

from typing import Iterable

from perfxl.findings import Finding, rule
from perfxl.model import Goal, Unit
from perfxl.rules.registry import BOTH, RuleContext, check, is_empty_text, sheet_of, table_unread
from perfxl.spec import GOALS, addr

SHEET = GOALS.name
__all__ = ["G001", "G002", "G003", "check_goals"]

G001 = rule(
    "G001", "no-goals", "error",
    "未填写绩效目标", "no performance goal",
    "绩效目标表没有任何目标，至少填写一个年度绩效目标。",
    "The goals table is empty; enter at least one annual performance goal.",
    "绩效自评是对照年初设定的绩效目标评价完成情况；没有目标就无从评价。",
    "绩效目标表只有表头。",
    SHEET,
)
G002 = rule(
    "G002", "goal-text-blank", "error",
    "绩效目标内容为空", "goal text blank",
    "第 {row} 行填了{filled}，但年度绩效目标为空或是占位符，请填写目标内容。",
    "Row {row} has {filled_en} but the goal itself is blank or a placeholder; write the goal.",
    "只有序号或完成情况、没有目标内容的行无法评价，通常是漏填或错行。",
    "序号 3 这一行只填了实际完成情况。",
    SHEET,
)
G003 = rule(
    "G003", "goal-result-blank", "error",
    "绩效目标未填完成情况", "goal without its result",
    "第 {row} 行目标的实际完成情况{problem}，请写明实际完成了什么。",
    "Row {row}: the goal's result (实际完成情况) {problem_en}; say what was achieved.",
    "自评必须逐条对照目标写明实际完成情况；空白或只填“无”“/”“略”的目标无法评价，审核系统不予通过。",
    "目标“开展科技志愿服务活动10次以上”的实际完成情况留空或填“略”。",
    SHEET,
)


def _has_content(g: Goal) -> bool:
    return any(f.status not in ("blank", "missing") for f in (g.seq, g.goal, g.result))


@check("G001", "G002", "G003", kinds=BOTH)
def check_goals(unit: Unit, ctx: RuleContext) -> Iterable[Finding]:
    """At least one goal (G001); every goal row has its text (G002) and result (G003)."""
    if table_unread(unit, GOALS.name):
        return  # the sheet or its header is missing: the reader's F013/F016 says so
    sheet = sheet_of(unit, SHEET)
    rows = [g for g in unit.goals if _has_content(g)]
    if not rows:
        yield G001(sheet, None if unit.form_sheet else addr(GOALS.first_row, GOALS.col_of("goal")))
        return
    ph = ctx.rulebook.placeholders
    for g in rows:
        # A column that could not be located (F014) is unknown, not empty.
        if is_empty_text(g.goal, ph):
            filled = [GOALS.column(k) for k in ("seq", "result") if getattr(g, k).status not in ("blank", "missing")]
            yield G002(sheet, g.goal.cell or addr(g.row, GOALS.col_of("goal")), row=g.row,
                       filled="、".join(c.label for c in filled) or "占位符",
                       filled_en=" and ".join({"seq": "a number", "result": "a result"}[c.key] for c in filled)
                       or "a placeholder")
        elif is_empty_text(g.result, ph):
            blank = g.result.status == "blank" and not (isinstance(g.result.raw, str) and g.result.raw.strip())
            yield G003(sheet, g.result.cell or addr(g.row, GOALS.col_of("result")), row=g.row,
                       problem="未填写" if blank else "只填了占位符",
                       problem_en="is blank" if blank else "is only a placeholder")
