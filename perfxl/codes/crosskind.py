"""X codes across the two kinds of one batch (:mod:`perfxl.rules.crosskind`)."""

from __future__ import annotations

from perfxl.findings import BOTH_KINDS, rule

__all__ = ["X004", "X005"]

X004 = rule(
    "X004", "projects-exceed-department", "warning",
    "项目支出合计超过部门整体项目支出", "projects add up to more than the department's project spending",
    "{department}各项目全年执行数合计 {actual} 万元，超过其部门整体自评表中项目支出全年执行数 {expected} 万元。",
    "The projects of {department} spent {actual} 万元 in all, more than the {expected} 万元 of project spending in "
    "its overall self-evaluation.",
    "一个部门的各项目支出应包含在其部门整体支出的项目支出之中；超出说明有项目金额或部门数据填错。",
    "示例县交通运输局三个项目合计执行 420 万元，部门整体表项目支出 380 万元。",
    kinds=BOTH_KINDS,
)
X005 = rule(
    "X005", "project-without-department", "info",
    "部门未报送部门整体自评表", "no overall self-evaluation from this department",
    "本批次有{department}的项目支出自评表，但没有该部门的部门整体支出绩效自评表。",
    "This batch holds project forms of {department} but no overall self-evaluation workbook from it.",
    "项目自评与部门整体自评应一并报送；缺少部门整体表时无法核对项目支出合计。",
    "示例县商务局只报了两个项目表。",
    kinds=BOTH_KINDS,
)
