"""I rules: 绩效指标 (performance indicators)."""

from __future__ import annotations

import math
import re
from typing import TYPE_CHECKING, Iterable

from perfxl.codes.indicators import I001, I002, I003, I004, I005, I006, I007, I008, I009, I010, I011, I012, I013, I014, I015, I016
from perfxl.findings import Finding
from perfxl.model import Indicator, Unit
from perfxl.kinds import kind_of
from perfxl.rules.registry import BOTH, RuleContext, check, close, is_empty_text, number, sheet_of, table_unread, text
from perfxl.spec import COMPLETIONS, INDICATORS, LEVELS, QUALITATIVE, addr

if TYPE_CHECKING:  # pragma: no cover
    from perfxl.score import IndicatorScore

SHEET = INDICATORS.name
__all__ = [
    "I001", "I002", "I003", "I004", "I005", "I006", "I007", "I008", "I009", "I010", "I011", "I012",
    "I013", "I014", "I015", "I016", "check_levels_present", "check_level_pairs", "check_required",
    "check_weight_positive", "check_weight_sums", "check_self_range", "check_self_vs_computed",
    "check_qualitative", "check_shortfall_explained", "check_directions", "check_duplicates",
    "check_over_completion", "indicator_score",
]


_LEVEL_EN = {"产出指标": "output", "效益指标": "benefit", "满意度指标": "satisfaction"}
_REQUIRED = ("level1", "level2", "name", "direction", "target", "actual", "weight", "self_score")
_WS = re.compile(r"\s+")


def _cell(ind: Indicator, key: str) -> str | None:
    """The cell of an indicator's field; a column the table lacks points at the template's
    column on a 部门整体 sheet, at nothing on a form (it has no template column)."""
    f = getattr(ind, key)
    return f.cell or (addr(ind.row, INDICATORS.col_of(key)) if f.sheet in (None, SHEET) else None)


def _name(ind: Indicator) -> str:
    return text(ind.name) or "（未命名）"


def _level1(ind: Indicator) -> str | None:
    v = text(ind.level1)
    return v if v in LEVELS else None


def indicator_score(ind: Indicator, ctx: RuleContext) -> IndicatorScore:
    """The score card's entry for this indicator (scored here when there is no card)."""
    by_row = ctx.memo("ind-scores", lambda: {id(s.indicator): s for s in (ctx.card.indicators if ctx.card else [])})
    s = by_row.get(id(ind))
    if s is None:
        from perfxl.score import score_indicator

        s = score_indicator(ind, ctx.rulebook)
        by_row[id(ind)] = s
    return s


@check("I001", "I002", kinds=BOTH)
def check_levels_present(unit: Unit, ctx: RuleContext) -> Iterable[Finding]:
    """At least one indicator (I002) and at least one of each 一级指标 (I001)."""
    if table_unread(unit, INDICATORS.name):
        return  # the sheet or its header is missing: the reader's F013/F016 says so
    first = (addr(INDICATORS.first_row, INDICATORS.col_of("level1")) if unit.form_sheet is None
             else unit.indicators[0].level1.cell if unit.indicators else None)
    if not unit.indicators:
        yield I002(sheet_of(unit, SHEET), first)
        return
    present = {text(i.level1) for i in unit.indicators}
    if any(i.level1.status not in ("ok", "blank") for i in unit.indicators) or any(
        v is not None and v not in LEVELS for v in present
    ):
        return  # an unreadable, misspelt or unlocated 一级指标 (V…/I003/F014) might be the missing one
    for level in LEVELS:
        if level not in present:
            yield I001(sheet_of(unit, SHEET), first, level=level, level_en=_LEVEL_EN[level])


@check("I003", kinds=BOTH)
def check_level_pairs(unit: Unit, ctx: RuleContext) -> Iterable[Finding]:
    """一级指标 is one of the three; 二级指标 belongs to its 一级指标 (merged cells once)."""
    seen: set[str] = set()
    for ind in unit.indicators:
        l1, l2 = text(ind.level1), text(ind.level2)
        if l1 is None:
            continue
        if l1 not in LEVELS:
            cell = _cell(ind, "level1")
            if cell not in seen:
                seen.add(cell)
                yield I003(sheet_of(unit, SHEET), cell, actual=l1, what="一级指标", what_en="Level-1 indicator",
                           hint="应为" + "、".join(LEVELS), hint_en="must be one of " + ", ".join(LEVELS))
            continue
        if l2 is not None and l2 not in LEVELS[l1]:
            cell = _cell(ind, "level2")
            if cell not in seen:
                seen.add(cell)
                yield I003(sheet_of(unit, SHEET), cell, actual=l2, what="二级指标", what_en="Level-2 indicator",
                           hint=f"{l1}下只能是" + "、".join(LEVELS[l1]),
                           hint_en=f"under {l1} it must be one of " + ", ".join(LEVELS[l1]))


@check("I004")
def check_required(unit: Unit, ctx: RuleContext) -> Iterable[Finding]:
    """Every indicator row has its name, levels, direction, values, weight and self-score."""
    for ind in unit.indicators:
        for key in _REQUIRED:
            f = getattr(ind, key)
            if f.status == "blank" or (key in ("name",) and is_empty_text(f, ctx.rulebook.placeholders)):
                yield I004(sheet_of(unit, SHEET), _cell(ind, key), row=ind.row, column=INDICATORS.column(key).label,
                           column_en=INDICATORS.col_en(key))


def _weight_problems(unit: Unit) -> bool:
    return any(number(i.weight) is None or number(i.weight) <= 0 for i in unit.indicators)  # type: ignore[operator]


@check("I005", kinds=BOTH)
def check_weight_positive(unit: Unit, ctx: RuleContext) -> Iterable[Finding]:
    """分值 > 0."""
    for ind in unit.indicators:
        w = number(ind.weight)
        if w is not None and w <= 0:
            yield I005(sheet_of(unit, SHEET), _cell(ind, "weight"), row=ind.row, actual=w)


@check("I006", "I007", kinds=BOTH)
def check_weight_sums(unit: Unit, ctx: RuleContext) -> Iterable[Finding]:
    """分值 per 一级指标 = the rulebook weight (I006); all weights total 100 (I007).

    Only when every row has a readable, positive 分值 and a valid 一级指标: otherwise the
    row's own finding (I003/I004/I005 or the reader's) explains the sums, and repeating
    it here would be a cascade.
    """
    rb = ctx.rulebook
    if not unit.indicators or _weight_problems(unit) or any(_level1(i) is None for i in unit.indicators):
        return
    tol = rb.score_tolerance
    fired = False
    for level in LEVELS:
        rows = [i for i in unit.indicators if _level1(i) == level]
        if not rows:
            continue  # I001
        total = math.fsum(number(i.weight) for i in rows)  # type: ignore[misc]
        want = kind_of(unit).weight(rb, level)
        if not close(total, want, tol):
            fired = True
            yield I006(sheet_of(unit, SHEET), _cell(rows[0], "weight"), expected=want, actual=round(total, 6), level=level,
                       level_en=_LEVEL_EN[level], diff=round(total - want, 2))
    if fired or any(not any(_level1(i) == lv for i in unit.indicators) for lv in LEVELS):
        return
    execution = kind_of(unit).weight(rb, "预算执行率")
    whole = execution + math.fsum(number(i.weight) for i in unit.indicators)  # type: ignore[misc]
    if not close(whole, 100.0, tol):
        yield I007(sheet_of(unit, SHEET), _cell(unit.indicators[-1], "weight"), expected=100.0, actual=round(whole, 6),
                   execution=execution)


def _out_of_range(ind: Indicator) -> bool:
    w, s = number(ind.weight), number(ind.self_score)
    return w is not None and s is not None and w > 0 and (s < -1e-9 or s > w + 1e-9)


@check("I008", kinds=BOTH)
def check_self_range(unit: Unit, ctx: RuleContext) -> Iterable[Finding]:
    """0 ≤ 自评得分 ≤ 分值."""
    for ind in unit.indicators:
        if _out_of_range(ind):
            yield I008(sheet_of(unit, SHEET), _cell(ind, "self_score"), expected=number(ind.weight), actual=number(ind.self_score),
                       row=ind.row)


def _fmt(v: object) -> str:
    if isinstance(v, float):
        return f"{v:g}"
    return str(v)


@check("I009", kinds=BOTH)
def check_self_vs_computed(unit: Unit, ctx: RuleContext) -> Iterable[Finding]:
    """A quantitative indicator's 自评得分 equals the rule's score within the tolerance."""
    tol = ctx.rulebook.score_tolerance
    for ind in unit.indicators:
        if not ind.quantitative or _out_of_range(ind):
            continue
        w = number(ind.weight)
        if w is None or w <= 0:
            continue
        sc = indicator_score(ind, ctx)
        self_score = number(ind.self_score)
        if sc.score is None or self_score is None:
            continue
        if not close(self_score, sc.score, tol):
            yield I009(sheet_of(unit, SHEET), _cell(ind, "self_score"), expected=round(sc.score, 2), actual=self_score,
                       row=ind.row, name=_name(ind), method=sc.method or str(ind.direction.value),
                       target=_fmt(number(ind.target)), value=_fmt(number(ind.actual)))


@check("I010", "I011", kinds=BOTH)
def check_qualitative(unit: Unit, ctx: RuleContext) -> Iterable[Finding]:
    """定性: 完成情况 chosen from the list (I011) and the self-score inside its band (I010)."""
    for ind in unit.indicators:
        if ind.direction.value != QUALITATIVE or not ind.direction.ok:
            continue
        comp = ind.completion
        value = text(comp)
        if comp.status == "blank" or (value is not None and ctx.rulebook.is_placeholder(value)):
            yield I011(sheet_of(unit, SHEET), _cell(ind, "completion"), row=ind.row, problem="未填写", problem_en="is blank")
            continue
        if value is None:
            continue  # unreadable: the reader reports it
        if value not in ctx.rulebook.qualitative:
            yield I011(sheet_of(unit, SHEET), _cell(ind, "completion"), row=ind.row, actual=value,
                       problem=f"“{value}”不是可选项", problem_en=f"“{value}” is not one of the choices")
            continue
        if _out_of_range(ind):
            continue
        sc = indicator_score(ind, ctx)
        if sc.band is not None and sc.clamped:
            lo, hi = sc.band
            yield I010(sheet_of(unit, SHEET), _cell(ind, "self_score"), expected=(round(lo, 2), round(hi, 2)), actual=number(ind.self_score),
                       row=ind.row, completion=value, low=round(lo, 2), high=round(hi, 2))


def _fully_met(ind: Indicator, ctx: RuleContext) -> bool | None:
    """True/False when known, None when it cannot be told (unreadable values)."""
    d = ind.direction.value if ind.direction.ok else None
    if d == QUALITATIVE:
        c = text(ind.completion)
        if c is None or c not in ctx.rulebook.qualitative:
            return None
        return c == COMPLETIONS[0]
    t, a = number(ind.target), number(ind.actual)
    if d is None or t is None or a is None:
        return None
    eps = 1e-9 * max(1.0, abs(t))
    if d == "≥":
        return a >= t - eps
    if d == "≤":
        return a <= t + eps
    return abs(a - t) <= max(ctx.rulebook.equal_tolerance * abs(t), eps)


@check("I012", kinds=BOTH)
def check_shortfall_explained(unit: Unit, ctx: RuleContext) -> Iterable[Finding]:
    """An indicator not fully met needs 偏差原因分析及改进措施 (not blank, not ``无``)."""
    ph = ctx.rulebook.placeholders
    for ind in unit.indicators:
        if _fully_met(ind, ctx) is not False:
            continue
        if is_empty_text(ind.reason, ph):
            blank = ind.reason.status in ("blank", "missing") and not (isinstance(ind.reason.raw, str) and ind.reason.raw.strip())
            yield I012(sheet_of(unit, SHEET), _cell(ind, "reason"), row=ind.row, name=_name(ind),
                       problem="未填写" if blank else "只填了占位符",
                       problem_en="is blank" if blank else "is only a placeholder")


def _is_percent(ind: Indicator) -> bool:
    unit = (text(ind.unit) or "").replace("％", "%")
    return ind.percent or unit in ("%", "百分比", "百分点")


@check("I013", "I014", kinds=BOTH)
def check_directions(unit: Unit, ctx: RuleContext) -> Iterable[Finding]:
    """A % target above 100 with ≥ (I013); a 成本指标 with ≥ (I014)."""
    for ind in unit.indicators:
        if ind.direction.value != "≥" or not ind.direction.ok:
            continue
        if text(ind.level2) == "成本指标":
            yield I014(sheet_of(unit, SHEET), _cell(ind, "direction"), row=ind.row, name=_name(ind))
            continue
        t = number(ind.target)
        if t is not None and _is_percent(ind) and t > 100 + 1e-9:
            yield I013(sheet_of(unit, SHEET), _cell(ind, "target"), actual=_fmt(t), row=ind.row)


@check("I015", kinds=BOTH)
def check_duplicates(unit: Unit, ctx: RuleContext) -> Iterable[Finding]:
    """The same 三级指标 (ignoring spaces) only once."""
    first: dict[str, int] = {}
    for ind in unit.indicators:
        name = text(ind.name)
        if not name or ctx.rulebook.is_placeholder(name):
            continue
        key = _WS.sub("", name)
        if key in first:
            yield I015(sheet_of(unit, SHEET), _cell(ind, "name"), actual=name, row=ind.row, first_row=first[key])
        else:
            first[key] = ind.row


@check("I016", kinds=BOTH)
def check_over_completion(unit: Unit, ctx: RuleContext) -> Iterable[Finding]:
    """实际完成值 ≥ over_completion × 年度指标值 on a ≥ indicator (target set too low)."""
    oc = ctx.rulebook.over_completion
    for ind in unit.indicators:
        if ind.direction.value != "≥" or not ind.direction.ok:
            continue
        t, a = number(ind.target), number(ind.actual)
        if t is None or a is None or t <= 0:
            continue
        if a >= oc * t - 1e-9 * t:
            yield I016(sheet_of(unit, SHEET), _cell(ind, "actual"), expected=t, actual=a, row=ind.row, name=_name(ind),
                       value=_fmt(a), target=_fmt(t),
                       ratio=f"{a / t:.2f}", threshold=f"{oc:g}")
