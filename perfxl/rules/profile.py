"""P rules: 基本信息 (unit profile)."""

from __future__ import annotations

from typing import Iterable

from perfxl.findings import Finding, rule
from perfxl.i18n import Text
from perfxl.model import Unit
from perfxl.numbers import parse_year
from perfxl.rules.registry import BOTH, RuleContext, check, number, text, sheet_of
from perfxl.spec import PROFILE, UNIT_TYPES, year_range

SHEET = PROFILE.name
__all__ = [
    "P001", "P002", "P003", "P004", "P005", "P006", "P007", "P008", "check_required", "check_credit_code",
    "check_staff", "check_unit_type", "check_year",
]

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
)

_REQUIRED = tuple(f for f in PROFILE.fields if f.required)


@check("P001", "P002")
def check_required(unit: Unit, ctx: RuleContext) -> Iterable[Finding]:
    """Required profile fields: blank (P001) or a placeholder (P002)."""
    for spec in _REQUIRED:
        f = unit.profile.get(spec.key)
        if f is None or f.status == "missing":
            continue  # the sheet or label is missing: the reader reports that
        cell = f.cell or PROFILE.cell(spec.key)
        if f.status == "blank":
            raw = f.raw.strip() if isinstance(f.raw, str) else ""
            if raw:  # a lone dash read as blank: it was a placeholder
                yield P002(SHEET, cell, actual=raw, field=spec.label)
            else:
                yield P001(SHEET, cell, field=spec.label)
        elif f.ok and isinstance(f.value, str) and ctx.rulebook.is_placeholder(f.value):
            yield P002(SHEET, cell, actual=f.value.strip(), field=spec.label)


_USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


@check("P003", "P004")
def check_credit_code(unit: Unit, ctx: RuleContext) -> Iterable[Finding]:
    """统一社会信用代码: 18 characters of the GB 32100 alphabet and a valid check character."""
    from stdnum.cn import uscc
    from stdnum.exceptions import InvalidChecksum, ValidationError

    f = unit.profile.get("credit_code")
    code = text(f)
    if f is None or code is None or ctx.rulebook.is_placeholder(code):
        return
    cell = f.cell or PROFILE.cell("credit_code")
    compact = code.replace(" ", "").upper()
    try:
        uscc.validate(compact)
    except InvalidChecksum:
        yield P003(SHEET, cell, expected=uscc.calc_check_digit(compact[:17]), actual=code)
    except ValidationError:
        if len(compact) != 18:
            reason, reason_en = f"有 {len(compact)} 位", f"{len(compact)} characters"
        else:
            bad = "".join(sorted({c for c in compact if c not in _USCC_ALPHABET}))
            reason = f"含不允许的字符 {bad}" if bad else "登记管理部门或机构类别代码无效"
            reason_en = f"characters not allowed: {bad}" if bad else "invalid registration or category code"
        yield P004(SHEET, cell, actual=code, reason=reason, reason_en=reason_en)


@check("P005")
def check_staff(unit: Unit, ctx: RuleContext) -> Iterable[Finding]:
    """在职人数 must not exceed 编制人数."""
    quota = number(unit.profile.get("staff_quota"))
    on_post_f = unit.profile.get("staff_on_post")
    on_post = number(on_post_f)
    if quota is None or on_post is None or on_post_f is None:
        return
    if on_post > quota:
        yield P005(SHEET, on_post_f.cell or PROFILE.cell("staff_on_post"), expected=int(quota), actual=int(on_post))


@check("P006")
def check_unit_type(unit: Unit, ctx: RuleContext) -> Iterable[Finding]:
    """单位类型 must be one of the template's choices."""
    f = unit.profile.get("unit_type")
    value = text(f)
    if f is None or value is None or ctx.rulebook.is_placeholder(value):
        return  # blank and placeholders are P001/P002
    if value not in UNIT_TYPES:
        yield P006(SHEET, f.cell or PROFILE.cell("unit_type"), actual=value,
                   choices=Text("、".join(UNIT_TYPES), ", ".join(UNIT_TYPES)))


@check("P007", "P008", kinds=BOTH)
def check_year(unit: Unit, ctx: RuleContext) -> Iterable[Finding]:
    """评价年度 from 2015 to the current year (P007), and the year of the template the
    workbook was made from, when its ``_perfxl`` sheet names one (P008)."""
    f = unit.profile.get("year")
    year = unit.year
    if f is None or year is None:
        return  # blank or unreadable: P001 / V010
    cell = f.cell or PROFILE.cell("year")
    first, last = year_range()
    if not first <= year <= last:
        yield P007(sheet_of(unit, SHEET), cell, actual=year, first=first, last=last)
        return
    meta = parse_year(unit.meta.get("year")) if unit.meta.get("year") else None
    if meta is not None and meta.status == "ok" and meta.value != year:
        yield P008(sheet_of(unit, SHEET), cell, expected=meta.value, actual=year)
