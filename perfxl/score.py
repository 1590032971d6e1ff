"""Scoring a read unit by the rulebook (财预〔2020〕10号 by default).

The computed score stands beside the clerk's self-score; it never replaces it.  The rules
(see DOMAIN.md, Scoring), with the edge cases decided here:

* 预算执行率: min(全年执行数 ÷ 全年预算数, 1) × 分值, from the 资金总额 row.  That row is a
  computed cell (SUM of the four sources), never trusted as input: its parts are summed
  when they are usable, and a note says so when the figure differs from the cell's (see
  :func:`perfxl.common.budget_amount`).  Spending below 0 scores 0.  A 全年预算数 of 0 or
  none: not scored.
* ``≥``: actual ≥ target → full 分值; else actual ÷ target × 分值 (a negative actual counts
  as 0).  Target 0: anything ≥ 0 is full, below 0 is 0.  A negative target (e.g. 增长率 ≥
  −5%) missed by a larger fall scores target ÷ actual × 分值 (−5 ÷ −10 = half).
* ``≤``: actual ≤ target → full; otherwise the rulebook's ``reverse_method``:
  ``ratio`` target ÷ actual × 分值; ``linear`` (1 − (actual − target) ÷ target) × 分值, 0 at
  actual ≥ 2 × target.  Target 0: full if actual ≤ 0, else 0.  A negative target (a cut of
  at least 5%, ≤ −5) missed scores actual ÷ target × 分值 (a cut of 3% of a required 5%
  gives 0.6), and 0 once actual ≥ 0 — the mirror image of ``≥``.
* ``=``: full when |actual − target| ≤ equal_tolerance × |target| (or equal); otherwise
  min(|a|, |t|) ÷ max(|a|, |t|) × 分值 when both have the same sign, else 0.
* 定性: the clerk's self-score is accepted inside the band of its 完成情况, in points
  [low × 分值, high × 分值]; the top band is closed, the others are half-open [low, high)
  as DOMAIN.md writes them.  The score tolerance widens the closed ends only: an open
  upper end belongs to the better band (80% with 部分达成 is outside).  Outside the band
  the score is clamped to the nearest bound (``clamped``).  No 完成情况 or no self-score:
  not scored.
* Over-completion: a ``≥`` indicator with target > 0 and actual ≥ over_completion × target
  is ``over_completed``; with policy ``cap`` its score is at most over_completion_cap ×
  分值 (``capped``).
* An indicator without a readable target, actual (quantitative) or 分值 is not scored,
  nor is the unit: its card says "not scored" with reasons naming the cells; the parts
  that could be scored are still filled in.  Never a silent 0.

Precision: every score is kept in full precision; the figures exposed are rounded to 2
decimals (``ScoreCard.total`` and :meth:`ScoreCard.to_dict`), and the grade is that of the
rounded total (the one the reader sees).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Iterable

from perfxl.common import budget_amount, common_indicators, describe_problem, field_number, field_ref
from perfxl.computed import values
from perfxl.i18n import Text, tr
from perfxl.kinds import DEPT_KIND, Kind, kind_of
from perfxl.model import Field, Indicator, Unit
from perfxl.rulebook import LEVEL_KEYS, Rulebook
from perfxl.spec import BUDGET, INDICATORS, LEVELS, QUALITATIVE, SELF_SCORE, addr

__all__ = [
    "IndicatorScore",
    "LevelScore",
    "ExecutionScore",
    "ScoreCard",
    "score_indicator",
    "score_unit",
    "SCORED",
    "NOT_SCORED",
]

SCORED = "scored"
NOT_SCORED = "not-scored"
# A score card's status: the stable value JSON carries → (Chinese, English) words.
SCORE_STATUSES = {SCORED: ("已评分", "scored"), NOT_SCORED: ("无法评分", "not scored"),
                  "unreadable": ("无法读取", "unreadable")}
# The English of the 一级指标 (and 预算执行率) names, for English reasons and score cards.
LEVELS_EN = {"预算执行率": "budget execution", "产出指标": "output indicators", "效益指标": "benefit indicators",
             "满意度指标": "satisfaction indicators"}
_EPS = 1e-9  # float noise: 0.8 × 3 is 2.4000000000000004


def _r2(v: float | None) -> float | None:
    """Rounded for output; None stays None, and so does inf (not valid JSON)."""
    if v is None or not math.isfinite(v):
        return None
    return round(v, 2) + 0.0  # + 0.0: no '-0.0' in output


def _r4(v: float | None) -> float | None:
    if v is None or not math.isfinite(v):
        return None
    return round(v, 4) + 0.0


@dataclass
class IndicatorScore:
    """The computed score of one indicator beside the clerk's."""

    indicator: Indicator
    weight: float | None
    self_score: float | None
    score: float | None  # None: not scorable (reasons say why)
    method: str = ""  # '≥', '≤ ratio', '≤ linear', '=', '定性 band', …
    ratio: float | None = None  # actual ÷ target where it applies
    over_completed: bool = False
    capped: bool = False
    band: tuple[float, float] | None = None  # 定性: allowed [low, high] in points
    clamped: bool = False  # 定性: the self-score lay outside its band
    reasons: list[Text] = field(default_factory=list)

    @property
    def diff(self) -> float | None:
        """self-score − computed score."""
        if self.score is None or self.self_score is None:
            return None
        return round(self.self_score - self.score, 2) + 0.0  # no '-0.0'

    @property
    def cell(self) -> str:
        """The 自评得分 cell of the indicator ('绩效指标!I7')."""
        return _ind_ref(self.indicator, "self_score")

    @property
    def level1(self) -> str | None:
        v = self.indicator.level1.value
        return v if isinstance(v, str) else None

    def to_dict(self, lang: str = "zh") -> dict[str, Any]:
        ind = self.indicator
        return {
            "name": ind.name.value if ind.name.ok else None,
            "cell": self.cell,
            "row": ind.row,
            "level1": self.level1,
            "direction": ind.direction.value,
            "target": _plain(ind.target),
            "actual": _plain(ind.actual),
            "completion": ind.completion.value if ind.completion.ok else None,
            "weight": _r2(self.weight),
            "self_score": _r2(self.self_score),
            "score": _r2(self.score),
            "diff": self.diff,
            "method": self.method,
            "ratio": _r4(self.ratio),
            "band": [_r2(self.band[0]), _r2(self.band[1])] if self.band else None,
            "over_completed": self.over_completed,
            "capped": self.capped,
            "clamped": self.clamped,
            "reasons": [tr(r, lang) for r in self.reasons],
        }


@dataclass
class LevelScore:
    """One 一级指标 (or 预算执行率): weight, computed and self-scored."""

    label: str
    weight: float
    score: float | None
    self_score: float | None  # the sum of indicator self-scores (or the typed 预算执行率)
    declared_self: float | None = None  # what 自评得分 sheet says

    @property
    def diff(self) -> float | None:
        if self.score is None or self.self_score is None:
            return None
        return round(self.self_score - self.score, 2) + 0.0  # no '-0.0'

    def to_dict(self) -> dict[str, Any]:
        return {
            "weight": _r2(self.weight),
            "score": _r2(self.score),
            "self_score": _r2(self.self_score),
            "declared_self": _r2(self.declared_self),
            "diff": self.diff,
        }


@dataclass
class ExecutionScore:
    rate: float | None
    score: float | None
    weight: float

    def to_dict(self) -> dict[str, Any]:
        return {"rate": _r4(self.rate), "score": _r2(self.score), "weight": _r2(self.weight)}


@dataclass
class ScoreCard:
    """The scores of one unit.  ``status`` is 'scored' or 'not-scored' (with reasons).

    ``total`` is rounded to 2 decimals (None when not scored); ``notes`` tell how a
    figure was obtained when it was not read directly (e.g. 资金总额 from its parts).
    """

    status: str
    reasons: list[Text]
    total: float | None
    grade: str | None
    self_total: float | None
    self_grade: str | None
    execution: ExecutionScore
    levels: dict[str, LevelScore]  # keyed by label: 预算执行率, 产出指标, 效益指标, 满意度指标
    indicators: list[IndicatorScore]
    common: dict[str, float | None]
    notes: list[Text] = field(default_factory=list)
    rulebook_id: str | None = None

    @property
    def scored(self) -> bool:
        return self.status == SCORED

    @property
    def diff(self) -> float | None:
        """self_total − total."""
        if self.total is None or self.self_total is None:
            return None
        return round(self.self_total - self.total, 2) + 0.0

    def to_dict(self, lang: str = "zh") -> dict[str, Any]:
        """The JSON shape (rates to 4 decimals, scores and amounts to 2); ``status`` is a
        stable value, ``status_text``, reasons and notes follow ``lang``."""
        from perfxl.common import COMMON_KINDS

        zh, en = SCORE_STATUSES[self.status]
        return {
            "status": self.status,
            "status_text": en if lang == "en" else zh,
            "reasons": [tr(r, lang) for r in self.reasons],
            "notes": [tr(n, lang) for n in self.notes],
            "rulebook": self.rulebook_id,
            "total": _r2(self.total),
            "grade": self.grade,
            "self_total": _r2(self.self_total),
            "self_grade": self.self_grade,
            "diff": self.diff,
            "budget_execution": self.execution.to_dict(),
            "levels": {k: v.to_dict() for k, v in self.levels.items()},
            "indicators": [s.to_dict(lang) for s in self.indicators],
            "common": {k: (_r4(v) if COMMON_KINDS.get(k) == "rate" else _r2(v)) for k, v in self.common.items()},
        }


# --- helpers -----------------------------------------------------------------------


def _plain(f: Field) -> Any:
    """A field's value for JSON: numbers rounded to 6 places, text as is, None if unread."""
    if not f.ok:
        return None
    v = f.value
    if isinstance(v, float):
        return round(v, 6) if math.isfinite(v) else None
    if isinstance(v, (int, str)) or v is None:
        return v
    return str(v)


def _ind_ref(ind: Indicator, key: str) -> str:
    f: Field = getattr(ind, key)
    if f.cell is None and f.sheet not in (None, INDICATORS.name):  # a form's column that is not there
        return field_ref(f, f.sheet, "")
    return field_ref(f, INDICATORS.name, addr(ind.row, INDICATORS.col_of(key)) if f.cell is None else f.cell)


def _problem(ind: Indicator, key: str, why: tuple[str, str] = ("", "")) -> Text:
    """'绩效指标!E7 年度指标值未填写' — the cell, its column label and what is wrong (and
    ``why`` that matters, Chinese and English)."""
    ref, label = _ind_ref(ind, key), INDICATORS.column(key).label
    problem = describe_problem(getattr(ind, key))
    en = f"{ref} {INDICATORS.col_en(key) or label} {problem.en}"
    return Text(f"{ref} {label}{problem}" + (f"（{why[0]}）" if why[0] else ""),
                en + (f" ({why[1]})" if why[1] else ""))


def _clip01(frac: float) -> float:
    return min(1.0, max(0.0, frac))


def _quantitative(direction: str, t: float, a: float, rb: Rulebook) -> tuple[float, str]:
    """(fraction of 分值 in [0, 1], method) of a ≥ ≤ = indicator."""
    if direction == "≥":
        if a >= t - _EPS * max(1.0, abs(t)):
            return 1.0, "≥"
        if t > 0:
            return _clip01(a / t), "≥"
        if t == 0:
            return 0.0, "≥"
        return _clip01(t / a), "≥"  # t < 0 and a < t < 0
    if direction == "≤":
        method = f"≤ {rb.reverse_method}"
        if a <= t + _EPS * max(1.0, abs(t)):
            return 1.0, method
        if t > 0:
            if rb.reverse_method == "linear":
                return _clip01(1 - (a - t) / t), method
            return _clip01(t / a), method
        if t == 0:
            return 0.0, method
        return _clip01(a / t), method  # t < 0 < … : 0 once a ≥ 0
    # '='
    tol = max(rb.equal_tolerance * abs(t), _EPS * max(1.0, abs(t)))
    if abs(a - t) <= tol:
        return 1.0, "="
    if a == 0 or t == 0 or (a > 0) != (t > 0):
        return 0.0, "="
    return min(abs(a), abs(t)) / max(abs(a), abs(t)), "="


def _band(rb: Rulebook, completion: str, w: float) -> tuple[float, float, bool]:
    """(low, high) in points and whether the upper end is closed (the top band only)."""
    low, high = rb.qualitative[completion]
    top = max(h for _, h in rb.qualitative.values())
    return low * w, high * w, high >= top - _EPS


def score_indicator(ind: Indicator, rulebook: Rulebook, kind: Kind = DEPT_KIND) -> IndicatorScore:
    """Score one indicator by its direction and the rulebook (see the module docstring).
    A 定性 indicator of a kind without 完成情况 (the national project form) is scored by
    the clerk's 得分 within [0, 分值].

    Never raises: an indicator that cannot be scored gets ``score`` None and reasons
    naming the cells at fault.
    """
    w = field_number(ind.weight)
    s = field_number(ind.self_score)
    out = IndicatorScore(indicator=ind, weight=w, self_score=s, score=None)
    reasons = out.reasons
    if w is None:
        reasons.append(_problem(ind, "weight"))
    elif w < 0:
        ref = _ind_ref(ind, "weight")
        reasons.append(Text(f"{ref} 分值为负数（{w:g}）", f"{ref} weight is negative ({w:g})"))
    direction = ind.direction.value if ind.direction.ok else None
    if direction not in ("≥", "≤", "=", QUALITATIVE):
        ref = _ind_ref(ind, "direction")
        reasons.append(_problem(ind, "direction") if direction is None
                       else Text(f"{ref} 指标性质无法识别（{direction}）", f"{ref} direction not recognised ({direction})"))
        return out

    if direction == QUALITATIVE and not kind.qualitative_completion:
        out.method = "定性"
        if s is None:
            reasons.append(_problem(ind, "self_score", ("定性指标按自评得分计分", "a qualitative indicator is scored by its self-score")))
        if reasons or w is None or w < 0 or s is None:
            return out
        out.band = (0.0, w)
        out.clamped = not (-rulebook.score_tolerance - _EPS <= s <= w + rulebook.score_tolerance + _EPS)
        out.score = min(max(s, 0.0), w)
        return out
    if direction == QUALITATIVE:
        out.method = "定性 band"
        completion = ind.completion.value if ind.completion.ok else None
        if completion is None:
            reasons.append(_problem(ind, "completion", ("定性指标按完成情况计分",
                                                        "a qualitative indicator is scored by its completion")))
        elif completion not in rulebook.qualitative:
            ref = _ind_ref(ind, "completion")
            reasons.append(Text(f"{ref} 完成情况无法识别（{completion}）",
                                f"{ref} completion not recognised ({completion})"))
        if s is None:
            reasons.append(_problem(ind, "self_score", (
                "定性指标按自评得分在完成情况区间内计分",
                "a qualitative indicator is scored by its self-score within the band of its completion")))
        if reasons or w is None or w < 0 or completion is None or s is None:
            return out
        lo, hi, closed = _band(rulebook, completion, w)
        out.band = (lo, hi)
        tol = rulebook.score_tolerance
        inside = s >= lo - tol - _EPS and (s <= hi + tol + _EPS if closed else s < hi - _EPS)
        out.clamped = not inside
        out.score = min(max(s, lo), hi)
        return out

    t = field_number(ind.target)
    a = field_number(ind.actual)
    if t is None:
        reasons.append(_problem(ind, "target"))
    if a is None:
        reasons.append(_problem(ind, "actual"))
    if reasons or w is None or t is None or a is None:
        return out
    frac, out.method = _quantitative(direction, t, a, rulebook)
    ratio = a / t if t != 0 else None
    out.ratio = ratio if ratio is not None and math.isfinite(ratio) else None
    score = frac * w
    if direction == "≥" and t > 0 and a >= rulebook.over_completion * t - _EPS * t:
        out.over_completed = True
        if rulebook.over_completion_policy == "cap":
            out.capped = True
            score = min(score, rulebook.over_completion_cap * w)
    out.score = score
    return out


def _level_of(ind: Indicator) -> str | None:
    v = ind.level1.value if ind.level1.ok else None
    return v if v in LEVELS else None


def _sum(values: Iterable[float | None]) -> float | None:
    vals = list(values)
    if any(v is None for v in vals):
        return None
    return math.fsum(v for v in vals if v is not None)


def _declared(unit: Unit, key: str, rb: Rulebook) -> float | None:
    """A 自评得分 as the clerk declares it: typed, or what its formula gives (the subtotals
    and 总分 are SUMIF/SUM formulas, computed here whether or not the file was calculated).
    A project form declares only its 总分 and the execution 得分 (no subtotals); a blank
    总分 is the sum of what the form's parts declare."""
    if unit.form_sheet is not None:
        if key == "budget_execution":
            row = unit.budget.get("total")
            f = row.score if row is not None else None
            if f is None or f.status in ("uncalculated", "blank"):  # perfxl's formula not yet calculated, or left blank
                ex = _execution(unit, rb, [], [])
                return None if ex.score is None else round(ex.score, 2)
            return field_number(f)
        if key != "total":
            return None
        row_t = unit.scores.get("total")
        typed = field_number(row_t.self_score) if row_t is not None else None
        if typed is not None:
            return typed
        parts = [field_number(i.self_score) for i in unit.indicators] + [_declared(unit, "budget_execution", rb)]
        return None if not unit.indicators or any(v is None for v in parts[:-1]) else math.fsum(v or 0.0 for v in parts)
    if key not in unit.scores:
        return None
    return values(unit, rb).judged(SELF_SCORE.name, key, "self_score") if key != "budget_execution" \
        else field_number(unit.scores[key].self_score)


def _execution(unit: Unit, rb: Rulebook, reasons: list[Text], notes: list[Text]) -> ExecutionScore:
    w = kind_of(unit).weight(rb, "预算执行率")
    adjusted, note_a = budget_amount(unit, "adjusted", rulebook=rb)
    actual, note_b = budget_amount(unit, "actual", rulebook=rb)
    notes.extend(n for n in (note_a, note_b) if n)
    row = unit.budget.get("total")

    def ref(col: str) -> str:
        f = row.amount(col) if row is not None else None
        if unit.form_sheet is not None:
            return field_ref(f, unit.form_sheet, f.cell if f is not None and f.cell else "")
        return field_ref(f, BUDGET.name, f.cell if f is not None and f.cell else BUDGET.cell("total", col))

    no_rate = ("，无法计算预算执行率", "; the execution rate cannot be computed")
    if adjusted is None:
        p = describe_problem(row.adjusted if row is not None else None)
        reasons.append(Text(f"{ref('adjusted')} 资金总额全年预算数{p}{no_rate[0]}",
                            f"{ref('adjusted')} total full-year budget {p.en}{no_rate[1]}"))
    elif adjusted <= 0:
        reasons.append(Text(f"{ref('adjusted')} 资金总额全年预算数为 {adjusted:.2f}{no_rate[0]}",
                            f"{ref('adjusted')} total full-year budget is {adjusted:.2f}{no_rate[1]}"))
    if actual is None:
        p = describe_problem(row.actual if row is not None else None)
        reasons.append(Text(f"{ref('actual')} 资金总额全年执行数{p}{no_rate[0]}",
                            f"{ref('actual')} total spending {p.en}{no_rate[1]}"))
    if adjusted is None or adjusted <= 0 or actual is None:
        return ExecutionScore(rate=None, score=None, weight=w)
    rate = actual / adjusted
    return ExecutionScore(rate=rate, score=min(max(rate, 0.0), 1.0) * w, weight=w)


def score_unit(unit: Unit, rulebook: Rulebook) -> ScoreCard:
    """Score a unit: execution, every indicator, subtotals, total, grade, common indicators.

    Never raises on bad content: what cannot be scored makes the card "not scored" with
    reasons (Chinese, naming cells), and everything that could be scored is filled in.
    """
    reasons: list[Text] = []
    notes: list[Text] = []
    kind = kind_of(unit)
    execution = _execution(unit, rulebook, reasons, notes)
    scores = [score_indicator(ind, rulebook, kind) for ind in unit.indicators]
    if not scores:
        where = unit.form_sheet or INDICATORS.name
        reasons.append(Text(f"{where} 没有填写任何绩效指标", f"{where}: no indicator filled in"))
    no_weights = bool(unit.indicators) and all(i.weight.status == "missing" for i in unit.indicators)
    if no_weights:  # a form without a 分值 column (J002): said once, not once per indicator
        where = unit.form_sheet or INDICATORS.name
        reasons.append(Text(f"{where} 绩效指标表没有“分值”列，无法评分", f"{where}: the indicator table has no weight column"))
    for sc in scores:
        reasons.extend(r for r in sc.reasons if not no_weights or "分值" not in r)
        if _level_of(sc.indicator) is None:
            ind = sc.indicator
            what = (describe_problem(ind.level1) if not ind.level1.ok
                    else Text(f"无法识别（{ind.level1.value}）", f"not recognised ({ind.level1.value})"))
            ref = _ind_ref(ind, "level1")
            reasons.append(Text(f"{ref} 一级指标{what}，该指标无法计入小计",
                                f"{ref} level-1 indicator {what.en}; the indicator cannot count towards a subtotal"))

    levels: dict[str, LevelScore] = {}
    for label, key in LEVEL_KEYS.items():
        declared = _declared(unit, key, rulebook)
        if key == "budget_execution":
            levels[label] = LevelScore(label, kind.weight(rulebook, label), execution.score, declared, declared)
            continue
        mine = [sc for sc in scores if _level_of(sc.indicator) == label]
        if scores and not mine:
            notes.append(Text(f"{label}下没有指标，该项计 0 分", f"no {LEVELS_EN[label]}: that part scores 0"))
        levels[label] = LevelScore(
            label,
            kind.weight(rulebook, label),
            _sum(sc.score for sc in mine),
            _sum(sc.self_score for sc in mine) if mine else None,
            declared,
        )

    total = _sum(lv.score for lv in levels.values())
    if reasons or total is None:
        total = None
    else:
        total = _r2(total)
    grade = rulebook.grade(total) if total is not None else None

    self_total = _declared(unit, "total", rulebook)
    row = unit.scores.get("total")
    cell = row.self_score if row is not None else None
    if self_total is not None and (cell is None or not cell.ok) and unit.form_sheet is None:
        ref = field_ref(cell, SELF_SCORE.name,
                        cell.cell if cell is not None and cell.cell else SELF_SCORE.cell("total", "self_score"))
        p = describe_problem(cell)
        notes.append(Text(f"{ref} 总分自评得分{p}，按各项自评得分之和 {self_total:.2f} 计",
                          f"{ref} total self-score {p.en}; the sum of the parts' self-scores, "
                          f"{self_total:.2f}, is used"))
    self_grade = unit.grade.value if unit.grade.ok and isinstance(unit.grade.value, str) else None

    return ScoreCard(
        status=SCORED if total is not None else NOT_SCORED,
        reasons=_dedupe(reasons),
        total=total,
        grade=grade,
        self_total=self_total,
        self_grade=self_grade,
        execution=execution,
        levels=levels,
        indicators=scores,
        common=common_indicators(unit, rulebook) if kind.common_indicators else {},
        notes=notes,
        rulebook_id=rulebook.id,
    )


def _dedupe(items: list[Text]) -> list[Text]:
    return list(dict.fromkeys(items))
