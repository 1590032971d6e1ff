"""P codes: the catalogue entries of the 基本信息 (unit profile) checks (:mod:`perfxl.rules.profile`)."""

from __future__ import annotations

from perfxl.findings import BOTH_KINDS, rule
from perfxl.spec import PROFILE

SHEET = PROFILE.name
__all__ = ["P001", "P002", "P003", "P004", "P005", "P006", "P007", "P008"]

P001 = rule(
    "P001", "profile-required-blank", "error",
    "必填项未填写", "required field blank",
    "{field}未填写，此项必填。", "{field} is blank; it is required.",
    "基本信息是财政局识别单位、联系填报人、计算在职人员控制率的依据，缺项的表无法入库汇总。",
    "单位名称、统一社会信用代码、编制人数、填报人、联系电话、填报日期等留空。",
    SHEET,
)
P002 = rule(
    "P002", "profile-placeholder", "error",
    "必填项填了占位符", "required field holds a placeholder",
    "{field}填的是“{actual}”，不是实际内容，请填写真实信息。",
    "{field} holds the placeholder “{actual}”, not a value; fill in the real information.",
    "“*”“-”“/”“无”之类的占位符会让审核系统以为已填写，实际等于没填。",
    "部门职能职责概述填“无”，填报人填“/”。",
    SHEET,
)
P003 = rule(
    "P003", "credit-code-checksum", "error",
    "统一社会信用代码校验位错误", "credit code check character wrong",
    "统一社会信用代码“{actual}”的校验位应为“{expected}”，请核对（常见原因：抄错一位）。",
    "Credit code “{actual}”: the check character should be “{expected}”; check it (usually one character was mistyped).",
    "统一社会信用代码第 18 位是按 GB 32100-2015 算出的校验码；不符说明代码抄错，汇总时无法与单位库对上。",
    "13430725006431661H 写成 13430725006431661G。",
    SHEET,
)
P004 = rule(
    "P004", "credit-code-format", "error",
    "统一社会信用代码格式错误", "credit code malformed",
    "统一社会信用代码“{actual}”不是 18 位有效代码（{reason}）。",
    "Credit code “{actual}” is not a valid 18-character code ({reason_en}).",
    "代码应为 18 位，由数字和除 I、O、Z、S、V 外的大写字母组成；位数或字符不对无法识别单位。",
    "只填了 17 位，或把字母 O 写成数字 0 之外的字符。",
    SHEET,
)
P005 = rule(
    "P005", "staff-over-quota", "warning",
    "在职人数超过编制人数", "staff on post above quota",
    "在职人数 {actual} 超过编制人数 {expected}，请说明原因或核对人数。",
    "Staff on post {actual} exceeds the authorised quota {expected}; explain or correct the numbers.",
    "在职人员控制率 = 在职人数 ÷ 编制人数，超过 100% 属于超编，是审核关注的指标。",
    "编制人数 11，在职人数 12。",
    SHEET,
)
P006 = rule(
    "P006", "unit-type-invalid", "error",
    "单位类型不在列表中", "unit type not in the list",
    "单位类型“{actual}”不是可选项之一（{choices}），请从下拉列表中选择。",
    "Unit type “{actual}” is not one of the choices ({choices}); pick one from the dropdown.",
    "单位类型用于分类汇总和排名，只能是模板下拉列表中的值。",
    "单位类型填“社会团体”（应选“群团组织”或“其他”）。",
    SHEET,
)
P007 = rule(
    "P007", "year-out-of-range", "error",
    "评价年度不在有效范围内", "evaluation year out of range",
    "评价年度 {actual} 无效：应在 {first} 至 {last} 年之间（自评的是已经开始的年度）。",
    "The evaluation year {actual} is not valid: it must be between {first} and {last} (a year that has begun).",
    "自评总结的是已经过去的年度；早于 2015 年或晚于今年的年度是笔误（如把 2023 写成 1923 或 2032），"
    "会使整张表归入错误的年度。",
    "评价年度填“1923”或“2032”。",
    SHEET,
    kinds=BOTH_KINDS,
)
P008 = rule(
    "P008", "year-differs-from-template", "error",
    "评价年度与模板年度不符", "evaluation year differs from the template's",
    "评价年度为 {actual}，而本表是 {expected} 年度的模板：请使用 {actual} 年度的模板重新填报，或改正评价年度。",
    "The evaluation year is {actual} but this is the {expected} template: fill in the {actual} template, "
    "or correct the year.",
    "财政局每年下发当年度的模板（标题、分值按当年规则）；用往年模板填报，标题和规则都对不上。",
    "用 2022 年度的模板填报 2023 年度的自评。",
    SHEET,
    kinds=BOTH_KINDS,
)
