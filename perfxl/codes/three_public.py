"""S codes: the catalogue entries of the 三公经费 (the three public costs) checks (:mod:`perfxl.rules.three_public`)."""

from __future__ import annotations

from perfxl.findings import rule
from perfxl.spec import THREE_PUBLIC

SHEET = THREE_PUBLIC.name
__all__ = ["S001", "S002", "S003", "S004", "S005", "S006", "S007"]

S001 = rule(
    "S001", "three-public-balance", "error",
    "三公经费合计数与明细不符", "three-public total does not equal its parts",
    "{row}{column} {actual} 不等于{parts}之和 {expected}（差 {diff}）。{hint}",
    "{row_en} {column_en} {actual} does not equal the sum of {parts_en}, {expected} (off by {diff}). {hint_en}",
    "三公经费合计 = 因公出国（境）费 + 公务接待费 + 公务用车购置及运行维护费；公车费 = 购置费 + 运行维护费。"
    "不符说明有数抄错或公式被覆盖，三公经费控制率会算错。",
    "三公经费合计决算数填 4.75，而三项之和为 3.75。",
    SHEET,
)
S002 = rule(
    "S002", "three-public-over-budget", "warning",
    "三公经费决算超预算", "three-public spending above its budget",
    "{row}决算数 {actual} 超过预算数 {expected}，三公经费不得超预算，请核对或说明。",
    "{row_en}: spending {actual} exceeds the budget {expected}; three-public costs may not exceed their budget.",
    "三公经费实行预算总额控制，决算超预算是审核的强制性检查（三公经费控制率应 ≤ 100%）。",
    "公务接待费预算 3.00，决算 3.75。",
    SHEET,
)
S003 = rule(
    "S003", "three-public-above-last-year", "warning",
    "三公经费高于上年", "three-public spending above last year",
    "{row}决算数 {actual} 高于上年决算数 {expected}（增加 {diff}），请说明原因。",
    "{row_en}: spending {actual} is above last year's {expected} (up {diff}); explain why.",
    "三公经费要求只减不增（三公经费变动率 ≤ 0），增长需说明理由。",
    "公务接待费决算 3.75，上年决算 3.20。",
    SHEET,
)
S004 = rule(
    "S004", "trips-without-groups", "error",
    "费用与批次（团组）数不匹配", "costs and groups do not match",
    "{row}决算数为 {money}，批次（团组）数为 {batches}：有支出就应有批次，有批次就应有支出。",
    "{row_en}: spending {money} with {batches} groups; spending needs groups and groups need spending.",
    "因公出国（境）和公务接待都按批次（团组）管理；有费用无团组或有团组无费用，说明漏填或填错。",
    "因公出国（境）费决算 2.50，团组数 0。",
    SHEET,
)
S005 = rule(
    "S005", "persons-below-batches", "error",
    "人次少于批次", "fewer persons than groups",
    "{row}人次 {actual} 少于批次（团组）数 {expected}，每批至少 1 人次。",
    "{row_en}: {actual} persons is fewer than {expected} groups; every group has at least one person.",
    "每个批次（团组）至少 1 人次，人次少于批次说明两列填反或填错。",
    "公务接待 26 批次，人次填 20。",
    SHEET,
)
S006 = rule(
    "S006", "car-costs-without-car", "warning",
    "无公务用车却有运行维护费", "car running costs with no car",
    "公务用车运行维护费决算 {actual}，但公务用车保有量为 0 辆，请说明（如年内处置车辆）或核对。",
    "Official car running costs {actual} while the year-end car count is 0; explain (e.g. a car disposed of during the year) or correct.",
    "没有公务用车就不应发生运行维护费；年内处置车辆等情况需要说明。",
    "公务用车运行维护费 1.20，公务用车保有量（辆）填 0。",
    SHEET,
)
S007 = rule(
    "S007", "car-count-blank", "error",
    "公务用车保有量未填写", "car count blank",
    "公务用车保有量（辆）未填写，没有车请填 0。",
    "The official car count is blank; enter 0 if the unit has no car.",
    "保有量用于核对公务用车运行维护费，必填；没有车填 0。",
    "公务用车保有量（辆）留空。",
    SHEET,
)
