"""J rules and the other codes of the 项目支出绩效自评表 kind (perfxl.read_project)."""

from __future__ import annotations

from perfxl.findings import rule

__all__ = ["F024"]

F024 = rule(
    "F024", "sheet-not-a-form", "info",
    "工作表不是自评表，已跳过", "sheet is not a form; skipped",
    "工作表“{sheet_name}”不是项目支出绩效自评表（没有项目资金表和绩效指标表），未读取。",
    "Sheet “{sheet_name}” is not a project self-evaluation form (no money table, no indicator table); it was not read.",
    "封面、填表说明、附件目录等工作表不含自评数据；列出来是为了让审核人员知道这一页没有被读取。",
    "工作簿第一页是封面“2023年度项目支出绩效自评报告”。",
)
