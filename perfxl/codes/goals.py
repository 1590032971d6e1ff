"""G codes: the catalogue entries of the 绩效目标 (performance goals) checks (:mod:`perfxl.rules.goals`)."""

from __future__ import annotations

from perfxl.findings import BOTH_KINDS, rule
from perfxl.spec import GOALS

SHEET = GOALS.name
__all__ = ["G001", "G002", "G003"]

G001 = rule(
    "G001", "no-goals", "error",
    "未填写绩效目标", "no performance goal",
    "绩效目标表没有任何目标，至少填写一个年度绩效目标。",
    "The goals table is empty; enter at least one annual performance goal.",
    "绩效自评是对照年初设定的绩效目标评价完成情况；没有目标就无从评价。",
    "绩效目标表只有表头。",
    SHEET,
    kinds=BOTH_KINDS,
)
G002 = rule(
    "G002", "goal-text-blank", "error",
    "绩效目标内容为空", "goal text blank",
    "第 {row} 行填了{filled}，但年度绩效目标为空或是占位符，请填写目标内容。",
    "Row {row} has {filled_en} but the goal itself is blank or a placeholder; write the goal.",
    "只有序号或完成情况、没有目标内容的行无法评价，通常是漏填或错行。",
    "序号 3 这一行只填了实际完成情况。",
    SHEET,
    kinds=BOTH_KINDS,
)
G003 = rule(
    "G003", "goal-result-blank", "error",
    "绩效目标未填完成情况", "goal without its result",
    "第 {row} 行目标的实际完成情况{problem}，请写明实际完成了什么。",
    "Row {row}: the goal's result (实际完成情况) {problem_en}; say what was achieved.",
    "自评必须逐条对照目标写明实际完成情况；空白或只填“无”“/”“略”的目标无法评价，审核系统不予通过。",
    "目标“开展科技志愿服务活动10次以上”的实际完成情况留空或填“略”。",
    SHEET,
    kinds=BOTH_KINDS,
)
