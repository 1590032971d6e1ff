"""J codes and the other entries of the 项目支出绩效自评表 kind (:mod:`perfxl.rules.project`,
:mod:`perfxl.read.forms`)."""

from __future__ import annotations

from perfxl.findings import BOTH_KINDS, rule

PROJECT = ("project",)

__all__ = ["F024", "F025", "J001", "J002", "J003", "J004", "J005", "J006", "J007", "J008", "J009", "I017"]

F024 = rule(
    "F024", "sheet-not-a-form", "info",
    "工作表不是自评表，已跳过", "sheet is not a form; skipped",
    "工作表“{sheet_name}”不是项目支出绩效自评表（没有项目资金表和绩效指标表），未读取。",
    "Sheet “{sheet_name}” is not a project self-evaluation form (no money table, no indicator table); it was not read.",
    "封面、填表说明、附件目录等工作表不含自评数据；列出来是为了让审核人员知道这一页没有被读取。",
    "工作簿第一页是封面“2023年度项目支出绩效自评报告”。",
    kinds=BOTH_KINDS,
)
F025 = rule(
    "F025", "form-table-missing", "error",
    "表中缺少一张表", "a table of the form is missing",
    "表中找不到“{block}”（应有表头：{labels}），这部分无法校验和评分。",
    "The form has no “{block}” table (its header: {labels_en}); that part cannot be checked or scored.",
    "项目资金、年度总体目标和绩效指标是国家表样的三个部分；缺一部分，对应的校验和评分都无从进行。",
    "表中只有绩效指标，没有项目资金（年初预算数、全年预算数、全年执行数）。",
    kinds=BOTH_KINDS,
)
J001 = rule(
    "J001", "project-total-left-zero", "error",
    "年度资金总额未填", "total funds left at zero",
    "年度资金总额{column}为 {actual}，而各资金来源合计 {expected}：合计行未填写。",
    "Total funds {column_en} is {actual}, while the sources add up to {expected}: the total row was left unfilled.",
    "公开的项目自评表中常见合计行留 0 而明细有数；执行率、得分和汇总都按合计行计算，会全部算错。",
    "年度资金总额全年执行数 0，当年财政拨款全年执行数 86.40。",
    kinds=PROJECT,
)
J002 = rule(
    "J002", "project-not-scorable", "warning",
    "表样缺少分值列，无法评分", "no weight column: cannot be scored",
    "绩效指标表没有“分值”列，无法按规则库核对得分和权重；本表只做其他校验。请改用带分值列的国家表样。",
    "The indicator table has no weight (分值) column, so scores and weights cannot be checked; only the other "
    "checks ran. Use the national form with its weight column.",
    "没有分值就无法判断得分是否超出、各一级指标权重是否合规，复核得分也无从计算。",
    "某县自行简化的表样只有“得分”列。",
    kinds=PROJECT,
)
J003 = rule(
    "J003", "project-amount-blank", "error",
    "项目资金必填项未填写", "required project amount blank",
    "年度资金总额{column}未填写，各资金来源也未填写。", "Total funds {column_en} is blank, and so are its sources.",
    "全年预算数和全年执行数是计算执行率和预算执行得分的依据，不能空白。",
    "年度资金总额全年预算数留空。",
    kinds=PROJECT,
)
J004 = rule(
    "J004", "project-total-differs", "error",
    "年度资金总额与各资金来源之和不符", "total funds differ from their sources",
    "年度资金总额{column} {actual} 不等于当年财政拨款、上年结转资金、其他资金之和 {expected}。",
    "Total funds {column_en} {actual} does not equal the sum of the sources, {expected}.",
    "年度资金总额应等于各资金来源之和；不符说明有数抄错，执行率和得分都会算错。perfxl 按各来源之和计算。",
    "全年执行数合计 120.00，三项来源合计 118.50。",
    kinds=PROJECT,
)
J005 = rule(
    "J005", "project-rate-differs", "error",
    "执行率与计算不符", "execution rate differs from the figures",
    "执行率填写为 {actual_shown}，按全年执行数 ÷ 全年预算数应为 {expected_shown}。",
    "The execution rate reads {actual_shown}; spending ÷ full-year budget gives {expected_shown}.",
    "执行率 = 全年执行数 ÷ 全年预算数；手填的执行率与金额不符时，预算执行得分也会跟着错。",
    "全年预算数 100、全年执行数 90，执行率却填 95%。",
    kinds=PROJECT,
)
J006 = rule(
    "J006", "project-execution-score-differs", "error",
    "预算执行得分与规则不符", "execution score differs from the rule",
    "预算执行得分填写 {actual} 分，按 min(执行率 {rate}, 100%) × {weight} 应为 {expected} 分。",
    "The execution score reads {actual}; min(execution {rate}, 100%) × {weight} gives {expected}.",
    "预算执行率得分按规则库计算（执行率不超过 100% 时按比例得分），手工估分常常偏高。",
    "执行率 90.90%，分值 10，得分却填 10。",
    kinds=PROJECT,
)
J007 = rule(
    "J007", "project-over-budget", "error",
    "项目支出超预算", "project spending above its budget",
    "{row}全年执行数 {actual} 超过全年预算数 {expected}（执行率 {rate}），请核对或说明。",
    "{row_en}: spending {actual} exceeds the full-year budget {expected} (execution {rate}); check or explain it.",
    "项目支出不得超过全年预算数；超支多为漏报预算调整或数据填错。",
    "年度资金总额全年预算数 52.51，全年执行数 55.00。",
    kinds=PROJECT,
)
J008 = rule(
    "J008", "project-field-blank", "error",
    "项目基本信息未填写", "project detail blank",
    "项目基本信息“{field}”{problem}。", "Project detail {field_en} {problem_en}.",
    "项目名称、主管部门和实施单位用于汇总、按部门归集和与部门整体自评表核对，不能空白。",
    "实施单位一栏空白。",
    kinds=PROJECT,
)
J009 = rule(
    "J009", "project-year-missing", "error",
    "未写明评价年度", "the form does not say its year",
    "表头没有写明评价年度（如“（2023年度）”）。", "The title does not give the year (e.g. “（2023年度）”).",
    "年度用于汇总和与部门整体自评表核对；没有年度的表无法归入本次评价。",
    "表头只写“项目支出绩效自评表”。",
    kinds=PROJECT,
)
I017 = rule(
    "I017", "placeholder-indicator", "error",
    "三级指标是占位内容", "indicator name is a placeholder",
    "第 {row} 行三级指标“{actual}”是模板占位内容，请填写实际指标名称，或删除该行。",
    "Row {row}: the indicator name “{actual}” is the form's placeholder; enter the real indicator or delete the row.",
    "从模板复制来的“指标1：”“……”行若带了分值和得分，会被当作真实指标计分，分值合计也会出错。",
    "三级指标只写“指标1：”，分值 10，得分 10。",
    kinds=BOTH_KINDS,
)
