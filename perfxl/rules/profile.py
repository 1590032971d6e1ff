"""P rules: 基本信息 (unit profile)."""

from __future__ import annotations

from typing import Iterable

from perfxl.codes.profile import P001, P002, P003, P004, P005, P006, P007, P008
from perfxl.findings import Finding
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
