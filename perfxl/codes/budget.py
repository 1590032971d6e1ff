"""B codes: the catalogue entries of the 预算执行 (budget execution) checks (:mod:`perfxl.rules.budget`)."""

from __future__ import annotations

from perfxl.findings import rule
from perfxl.spec import BUDGET

SHEET = BUDGET.name
__all__ = ["B001", "B002", "B003", "B004", "B005", "B006"]

B001 = rule(
    "B001", "budget-balance", "error",
    "预算执行表合计数与明细不符", "budget total does not equal its parts",
    "{row}{column} {actual} 不等于{parts}之和 {expected}（差 {diff}）。{hint}",
    "{row_en} {column_en} {actual} does not equal the sum of {parts_en}, {expected} (off by {diff}). {hint_en}",
    "资金总额应等于四项资金来源之和，也应等于基本支出加项目支出；基本支出应等于人员经费加公用经费。"
    "合计与明细不符说明有数抄错或公式被覆盖，后续执行率和评分都会算错。",
    "资金总额全年执行数填 310.39，而四项来源之和为 309.39。",
    SHEET,
)
B002 = rule(
    "B002", "computed-cell-typed-over", "error",
    "计算单元格数值与重算结果不符", "computed cell disagrees with its formula",
    "{row}{column}显示为 {actual_shown}，按表内数据应为 {expected_shown}（公式可能被手工覆盖），请恢复公式或改正数值。",
    "{row_en} {column_en} shows {actual_shown} but the table gives {expected_shown} (the formula was probably typed over); restore the formula or fix the value.",
    "执行率和较上年增减是公式单元格，perfxl 总是重新计算；但审核人员和汇总表看到的是表上的数，两者不一致会造成误判。",
    "执行率单元格被手工改成 100%，而全年执行数 ÷ 全年预算数 = 95.20%。",
    SHEET,
)
B003 = rule(
    "B003", "budget-zero-but-spent", "error",
    "全年预算数为 0 却有支出", "no full-year budget but money spent",
    "{row}全年预算数为 0，全年执行数却为 {actual}，请填写全年预算数（调整后预算）。",
    "{row_en}: the full-year budget is 0 but {actual} was spent; fill in the full-year (adjusted) budget.",
    "无预算不得支出；全年预算数为 0 时执行率无法计算，通常是漏填了调整后预算。",
    "项目支出全年预算数空白，全年执行数 120.00。",
    SHEET,
)
B004 = rule(
    "B004", "over-budget", "error",
    "超预算支出", "spending above the budget",
    "{row}全年执行数 {actual} 超过全年预算数 {expected}（执行率 {rate}），属超预算支出，请核对或说明。",
    "{row_en}: spending {actual} exceeds the full-year budget {expected} (execution {rate}): spending above the budget; check or explain it.",
    "支出不得超过调整后的全年预算；超支多为漏报预算调整或数据填错，是审核的强制性检查。",
    "资金总额全年预算数 300.00，全年执行数 309.39。",
    SHEET,
)
B005 = rule(
    "B005", "execution-unexplained", "warning",
    "执行率偏离未说明", "execution rate off without an explanation",
    "{row}执行率 {rate} {side}，偏差说明未填写，请说明原因。",
    "{row_en}: execution rate {rate} is {side_en}, and its explanation (偏差说明) is blank; explain why.",
    "执行率低于 90%（或高于 100%，按规则库）说明预算编制或执行有问题，审核要求写明原因。",
    "资金总额执行率 82.00%，偏差说明留空或填“无”。",
    SHEET,
)
B006 = rule(
    "B006", "budget-empty", "error",
    "预算执行表未填写", "budget table empty",
    "预算执行表没有任何金额，请填写年初预算数、全年预算数、全年执行数和上年执行数。",
    "The budget table holds no amounts; fill in the initial and full-year budgets, spending and last year's spending.",
    "预算执行率占 10 分，也是部门整体绩效的基础数据；空表无法评分。",
    "预算执行表整张空白。",
    SHEET,
)
