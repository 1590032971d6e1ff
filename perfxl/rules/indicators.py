"""I rules: 绩效指标 (performance indicators)."""

from __future__ import annotations

import math
import re
from typing import TYPE_CHECKING, Iterable

from perfxl.findings import Finding, rule
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

I001 = rule(
    "I001", "missing-level", "error",
    "缺少一级指标", "a level-1 indicator group is missing",
    "没有{level}，至少要有一个{level}下的三级指标。",
    "There is no {level_en} indicator; at least one is required.",
    "部门整体绩效指标必须覆盖产出、效益、满意度三方面，分值分别计入 50、30、10 分。",
    "指标表里只有产出指标和效益指标，没有满意度指标。",
    SHEET,
)
I002 = rule(
    "I002", "no-indicators", "error",
    "未填写绩效指标", "no indicators",
    "绩效指标表没有任何指标，请按年初绩效目标填写三级指标。",
    "The indicator table is empty; enter the level-3 indicators of the year's goals.",
    "绩效指标占 90 分，没有指标无法评分。",
    "绩效指标表只有表头。",
    SHEET,
)
I003 = rule(
    "I003", "level-pair-invalid", "error",
    "一级/二级指标不匹配", "invalid level-1/level-2 pair",
    "{what}“{actual}”无效：{hint}。",
    "{what_en} “{actual}” is invalid: {hint_en}.",
    "二级指标必须属于对应的一级指标（如“数量指标”只属于“产出指标”），否则分值会计入错误的一级指标。",
    "一级指标“效益指标”下填二级指标“数量指标”。",
    SHEET,
)
I004 = rule(
    "I004", "indicator-field-blank", "error",
    "指标必填项未填写", "indicator field blank",
    "第 {row} 行指标的{column}未填写。",
    "Row {row}: the indicator's {column_en} is blank.",
    "三级指标的名称、性质、目标值、完成值、分值和自评得分缺一项都无法核对和评分。",
    "“党建活动开展次数”一行分值留空。",
    SHEET,
)
I005 = rule(
    "I005", "weight-not-positive", "error",
    "分值不大于 0", "weight not positive",
    "第 {row} 行指标分值为 {actual}，分值必须大于 0。",
    "Row {row}: the weight is {actual}; weights must be above 0.",
    "分值为 0 或负数的指标不计分，等于没有这个指标，还会打乱各一级指标的分值合计。",
    "某三级指标分值填 0。",
    SHEET,
)
I006 = rule(
    "I006", "level-weight-sum", "error",
    "一级指标分值合计不符", "level weights do not add up",
    "{level}各三级指标分值合计为 {actual}，应为 {expected}（差 {diff}）。",
    "The {level_en} weights add up to {actual}, should be {expected} (off by {diff}).",
    "按规则库，产出、效益、满意度指标分值合计应分别为 50、30、10（加预算执行率 10 共 100 分）。",
    "产出指标下各三级指标分值合计 52。",
    SHEET,
)
I007 = rule(
    "I007", "weights-not-100", "error",
    "分值总和不是 100", "weights do not total 100",
    "预算执行率分值 {execution} 加各指标分值合计为 {actual}，应为 {expected}。",
    "The execution weight {execution} plus all indicator weights total {actual}, should be {expected}.",
    "百分制评分要求全部分值之和为 100，否则总分和等级失去可比性。",
    "规则库权重为 10/50/30/20，指标分值按其填写后总和为 110。",
    SHEET,
)
I008 = rule(
    "I008", "self-score-out-of-range", "error",
    "自评得分超出分值范围", "self-score outside [0, weight]",
    "第 {row} 行自评得分 {actual} 不在 0 到分值 {expected} 之间。",
    "Row {row}: self-score {actual} is outside 0 to the weight {expected}.",
    "单项得分不能为负，也不能超过该指标的分值。",
    "分值 5 的指标自评 6 分。",
    SHEET,
)
I009 = rule(
    "I009", "self-score-differs", "error",
    "自评得分与计分规则不符", "self-score differs from the rule's score",
    "第 {row} 行“{name}”自评 {actual} 分，按计分规则应为 {expected} 分（{method}：目标 {target}，实际 {value}）。",
    "Row {row} “{name}”: self-score {actual}, the scoring rule gives {expected} ({method}: target {target}, actual {value}).",
    "定量指标的得分由完成值和目标值按规则计算（财预〔2020〕10号），自评得分与之相差超过 0.1 分需要改正。",
    "目标 ≥10 次、实际 8 次、分值 5，自评 5 分（应为 4 分）。",
    SHEET,
)
I010 = rule(
    "I010", "qualitative-band", "error",
    "定性指标得分不在完成情况区间内", "qualitative score outside its band",
    "第 {row} 行定性指标完成情况为“{completion}”，自评得分应在 {low} 到 {high} 分之间，实际为 {actual}。",
    "Row {row}: the qualitative indicator is “{completion}”, so its self-score must lie in {low}–{high}; it is {actual}.",
    "定性指标按完成情况打分：达成 80%–100%，部分达成 60%–80%，未达成 60% 以下（占分值）。",
    "完成情况“部分达成年度指标并具有一定效果”，分值 10，自评 9 分。",
    SHEET,
)
I011 = rule(
    "I011", "qualitative-completion-missing", "error",
    "定性指标未选完成情况", "qualitative indicator without its completion",
    "第 {row} 行是定性指标，完成情况{problem}，请从下拉列表中选择。",
    "Row {row} is qualitative; its completion {problem_en}; pick one from the dropdown.",
    "定性指标的得分区间由完成情况决定，未选或填写其他内容时无法核对得分。",
    "定性指标“公民科学素质水平进一步提高”完成情况留空。",
    SHEET,
)
I012 = rule(
    "I012", "shortfall-unexplained", "warning",
    "未完成指标未分析原因", "shortfall without an explanation",
    "第 {row} 行“{name}”未完全达成年度指标值，偏差原因分析及改进措施{problem}。",
    "Row {row} “{name}” did not fully meet its target, and the explanation of the shortfall {problem_en}.",
    "未完成的指标必须分析原因并提出改进措施，这是自评的核心内容，不能空白或填“无”。",
    "目标 ≥10 次、实际 8 次，偏差原因填“无”。",
    SHEET,
)
I013 = rule(
    "I013", "percent-target-over-100", "warning",
    "百分比目标超过 100%", "percentage target above 100%",
    "第 {row} 行指标目标为 ≥{actual}%，百分比目标超过 100%，请核对目标或单位。",
    "Row {row}: the target is ≥{actual}%, a percentage above 100; check the target or its unit.",
    "率类指标（合格率、覆盖率等）最高 100%；≥ 超过 100% 的目标通常是单位填错或把数量写成了百分比。",
    "乡镇科协组织规范合格率 ≥ 120%。",
    SHEET,
)
I014 = rule(
    "I014", "cost-indicator-ge", "error",
    "成本指标用了 ≥", "cost indicator with ≥",
    "第 {row} 行“{name}”是成本指标，指标性质应为 ≤（越省越好），而不是 ≥。",
    "Row {row} “{name}” is a cost indicator: its direction should be ≤ (less is better), not ≥.",
    "成本指标是反向指标，用 ≥ 计分会把超支算成完成得更好。",
    "成本指标“人均培训成本” 指标性质填 ≥。",
    SHEET,
)
I015 = rule(
    "I015", "duplicate-indicator", "error",
    "三级指标重复", "same indicator twice",
    "第 {row} 行“{actual}”与第 {first_row} 行重复。",
    "Row {row} “{actual}” repeats row {first_row}.",
    "同一指标出现两次会重复计分，通常是复制行后忘了修改。",
    "“党建活动开展次数”出现两行。",
    SHEET,
)
I016 = rule(
    "I016", "over-completion", "warning",
    "大幅超额完成", "large over-completion",
    "第 {row} 行“{name}”实际完成 {value}，是目标 {target} 的 {ratio} 倍（≥ {threshold} 倍），目标可能定得过低，请说明。",
    "Row {row} “{name}”: actual {value} is {ratio}× the target {target} (≥ {threshold}×); the target was probably set too low — explain.",
    "大幅超额完成通常说明年初目标定得过低，复核时会关注并可能扣分；应说明原因并在下年合理设定目标。",
    "开展科技志愿服务活动目标 ≥10 次，实际 151 次。",
    SHEET,
)

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
