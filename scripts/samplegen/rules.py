"""The national scoring rules (财预〔2020〕10号) and an audit of one project form's values.

Small and independent of perfxl on purpose: the sample generator scores its forms with these
functions, and the tests read the written cells back and :func:`audit` them, so a planted
mistake is shown to be a mistake — and a clean form clean — without perfxl's reader.

A form here is the nested dict of the data contract (design-13.md): values may be numbers
or the text a clerk typed (``864.2万``, ``≧95%``, ``20.00``, ``100分``, ``—``).
"""

from __future__ import annotations

import re
from typing import Any, NamedTuple

__all__ = [
    "WEIGHTS", "EXECUTION_WEIGHT", "SCORE_TOL", "MONEY_TOL", "Target", "parse_target", "number",
    "is_blank", "is_words", "norm", "level_of", "execution_score", "indicator_score", "audit",
    "SOURCE_ROWS", "PLACEHOLDER_NAMES",
]

WEIGHTS = {"产出指标": 50, "效益指标": 30, "满意度指标": 10}
EXECUTION_WEIGHT = 10
SCORE_TOL = 0.1   # points
MONEY_TOL = 0.01  # 万元
SOURCE_ROWS = ("current", "carryover", "other", "special", "own")
DASHES = {"—", "-", "－", "/", "／", "——", "–"}
PLACEHOLDER_NAMES = re.compile(r"^(指标\d*[：:]?|…+|\.{3,}|无)$")

_SIGNS = (("大于等于", ">="), ("小于等于", "<="), (">=", ">="), ("<=", "<="), ("≥", ">="), ("≧", ">="),
          ("＞＝", ">="), ("≤", "<="), ("≦", "<="), ("＜＝", "<="), ("＝", "="), ("﹦", "="), ("=", "="),
          (">", ">="), ("＞", ">="), ("<", "<="), ("＜", "<="))
_MEANING = dict(_SIGNS)
_NUMBER = re.compile(r"^[+-]?\d+(?:,\d{3})*(?:\.\d+)?")


def norm(text: Any) -> str:
    """Text without any whitespace (spaces, full-width spaces, line breaks)."""
    return re.sub(r"\s+", "", str(text or "")).replace("\u3000", "")


def is_blank(v: Any) -> bool:
    return v is None or (isinstance(v, str) and not norm(v))


class Target(NamedTuple):
    """A 年度指标值 as the clerk wrote it: direction ('>=', '<=', '=', 'qual'), value, unit."""

    direction: str
    value: float | None
    unit: str
    sign: str  # the sign as written ('' when none)


def parse_target(text: Any, direction: Any = None, unit: Any = None) -> Target:
    """``≥95%`` → (>=, 95, %); ``10次`` → (=, 10, 次); ``有效提升`` → qual.

    With a split table (指标性质 | 指标值 | 度量单位) pass the three cells."""
    sign = ""
    if direction is not None and not is_blank(direction):
        d = norm(direction)
        if d == "定性":
            return Target("qual", None, "", d)
        sign = d
    written, s = _split_sign(repr(float(text)) if isinstance(text, (int, float)) else norm(text))
    sign = written or sign
    m = _NUMBER.match(s)
    if not m:
        return Target("qual", None, "", sign)
    value = float(m.group().replace(",", ""))
    rest = norm(unit) if unit is not None and not is_blank(unit) else s[m.end():]
    return Target(_MEANING.get(sign, "="), value, rest, sign)


def _split_sign(s: str) -> tuple[str, str]:
    """``≧95%`` → (``≧``, ``95%``); no sign → ('', s)."""
    for written, _ in _SIGNS:
        if s.startswith(written):
            return written, s[len(written):]
    return "", s


def number(v: Any) -> float | None:
    """A number from a cell: 12.5, ``12.50``, ``864.2万``, ``96%`` (→ 96), ``100分``, ``75元``.

    None for blanks, dashes and words."""
    if isinstance(v, bool):
        return None
    if isinstance(v, (int, float)):
        return float(v)
    s = norm(v)
    if not s or s in DASHES:
        return None
    _, s = _split_sign(s)
    m = _NUMBER.match(s)
    if not m:
        return None
    if re.search(r"\d", s[m.end():]):  # '2023年12月' is a date, not a number with its unit
        return None
    return float(m.group().replace(",", ""))


def is_words(v: Any) -> bool:
    """Text that is not a number (``完成``, ``较好``), i.e. not a blank, a dash or a number."""
    return isinstance(v, str) and not is_blank(v) and norm(v) not in DASHES and number(v) is None


def level_of(label: Any) -> str:
    """``产 出 指 标``, ``产出指标（50分）`` → ``产出指标``."""
    s = re.sub(r"[（(].*?[）)]", "", norm(label))
    for level in WEIGHTS:
        if s.startswith(level[:2]):
            return level
    return s


def execution_score(adjusted: float | None, actual: float | None) -> float | None:
    """min(全年执行数 ÷ 全年预算数, 1) × 10, rounded to 2 decimals; None when unknown."""
    if adjusted is None or actual is None or adjusted <= 0:
        return None
    return round(min(actual / adjusted, 1.0) * EXECUTION_WEIGHT, 2)


def indicator_score(target: Target, actual: float | None, weight: float) -> float | None:
    """The national score of a quantitative indicator; None for 定性 or an unknown actual.

    ≥: full when met, else actual ÷ target × 分值; ≤: full when met, else target ÷ actual ×
    分值 (the `ratio` method); =: full when equal, else min ÷ max × 分值."""
    if target.direction == "qual" or target.value is None or actual is None:
        return None
    t, a = target.value, actual
    if target.direction == ">=":
        s = weight if a >= t else (a / t * weight if t else 0.0)
    elif target.direction == "<=":
        s = weight if a <= t else (t / a * weight if a else 0.0)
    else:
        s = weight if abs(a - t) < 1e-9 else (min(a, t) / max(a, t) * weight if max(a, t) else 0.0)
    return round(max(s, 0.0), 2)


def audit(form: dict[str, Any], *, weight_column: bool = True) -> list[tuple[str, list[str]]]:
    """The mistakes in one form as (tag, field keys), in a fixed order.

    Tags are those of design-13.md, plus three that no sample may carry (a clean generator
    never makes them): ``proj-score-off`` (a partial score off the rule), ``proj-qual-band``
    (a 定性 score outside [0, 分值]) and ``proj-over-completion`` (actual ≥ 150% of a ≥ target).
    """
    found: list[tuple[str, list[str]]] = []
    for key in ("year", "name", "department", "implementer"):
        v = form.get(key)
        if is_blank(v) or (key == "year" and not re.search(r"\d{4}", str(v))):
            found.append(("proj-required-blank", [key]))
    for i, g in enumerate(form.get("goals") or []):
        if is_blank(g.get("goal")):
            found.append(("proj-required-blank", [f"goals.{i}.goal"]))
        if is_blank(g.get("result")):
            found.append(("proj-goal-result-blank", [f"goals.{i}.result"]))
    found += _audit_money(form.get("budget") or {})
    inds = form.get("indicators") or []
    levels = [level_of(d.get("level1")) for d in inds]
    for level in WEIGHTS:
        if level not in levels:
            found.append(("proj-missing-level", ["indicators.0.level1"]))
            break
    if not weight_column:
        found.append(("proj-no-weight-column", []))
    else:
        off = []  # one finding, at the first 分值 of each 一级 whose weights do not add up
        for level, full in WEIGHTS.items():
            idx = [i for i, lv in enumerate(levels) if lv == level]
            if idx and abs(sum(number(inds[i].get("weight")) or 0 for i in idx) - full) > MONEY_TOL:
                off.append(f"indicators.{idx[0]}.weight")
        if off:
            found.append(("proj-weights", off))
    for i, d in enumerate(inds):
        found += _audit_indicator(i, d, weight_column)
    found += _audit_total(form, weight_column)
    return found


def _audit_money(b: dict[str, Any]) -> list[tuple[str, list[str]]]:
    found: list[tuple[str, list[str]]] = []
    total = b.get("total") or {}
    sources = [k for k in SOURCE_ROWS if k in b]
    for col in ("initial", "adjusted", "actual"):
        if col not in total and not any(col in b[k] for k in sources):
            continue
        tot = number(total.get(col))
        parts = sum(number(b[k].get(col)) or 0.0 for k in sources)
        if (tot is None or abs(tot) < MONEY_TOL) and parts > MONEY_TOL:
            found.append(("proj-total-zero", [f"budget.total.{col}"]))
        elif tot is not None and abs(tot - parts) > MONEY_TOL:
            found.append(("proj-total-off", [f"budget.total.{col}"]))
    adj, act = number(total.get("adjusted")), number(total.get("actual"))
    if adj is not None and act is not None and act > adj + MONEY_TOL:
        over = [k for k in sources
                if (number(b[k].get("actual")) or 0) > (number(b[k].get("adjusted")) or 0) + MONEY_TOL]
        found.append(("proj-over-budget", ["budget.total.actual"] + [f"budget.{k}.actual" for k in over]))
    score, rule = number(total.get("score")), execution_score(adj, act)
    if score is not None and rule is not None and abs(score - rule) > SCORE_TOL:
        found.append(("proj-execution-score", ["budget.total.score"]))
    return found


def _audit_indicator(i: int, d: dict[str, Any], weight_column: bool) -> list[tuple[str, list[str]]]:
    found: list[tuple[str, list[str]]] = []
    key = f"indicators.{i}"
    weight = number(d.get("weight")) if weight_column else None
    if PLACEHOLDER_NAMES.match(norm(d.get("name"))) and (weight or 0) > 0:
        found.append(("proj-placeholder-indicator", [f"{key}.name"]))
    t = parse_target(d.get("target"), d.get("direction"), d.get("unit"))
    if norm(d.get("level2")).startswith("成本") and t.direction == ">=":
        found.append(("proj-cost-ge", [f"{key}.direction" if d.get("direction") is not None else f"{key}.target"]))
    actual = d.get("actual")
    if t.direction != "qual" and is_words(actual):
        found.append(("proj-words-in-number", [f"{key}.actual"]))
        return found
    if weight is None:
        return found
    self_score = number(d.get("self_score"))
    if self_score is None:
        return found
    if self_score > weight + MONEY_TOL:
        found.append(("proj-score-over-weight", [f"{key}.self_score"]))
        return found
    unmet = self_score < weight - MONEY_TOL
    rule = indicator_score(t, number(actual), weight)
    if rule is not None:
        if rule >= weight - MONEY_TOL and self_score < weight - SCORE_TOL:
            found.append(("proj-met-below-full", [f"{key}.self_score"]))
        elif rule < weight - MONEY_TOL and self_score > rule + SCORE_TOL:
            found.append(("proj-inflated-score", [f"{key}.self_score"]))
        elif abs(self_score - rule) > SCORE_TOL:
            found.append(("proj-score-off", [f"{key}.self_score"]))
        unmet = rule < weight - MONEY_TOL
        if t.direction == ">=" and t.value and (number(actual) or 0) >= 1.5 * t.value:
            found.append(("proj-over-completion", [f"{key}.actual"]))
    elif self_score < 0:
        found.append(("proj-qual-band", [f"{key}.self_score"]))
    if unmet and is_blank(d.get("reason")):
        found.append(("proj-missing-reason", [f"{key}.reason"]))
    return found


def _audit_total(form: dict[str, Any], weight_column: bool) -> list[tuple[str, list[str]]]:
    total = form.get("total") or {}
    stated = number(total.get("self_score"))
    if stated is None:
        return []
    b = (form.get("budget") or {}).get("total") or {}
    exec_score = number(b.get("score"))
    if exec_score is None:
        exec_score = execution_score(number(b.get("adjusted")), number(b.get("actual"))) or 0.0
    parts = exec_score + sum(number(d.get("self_score")) or 0.0 for d in form.get("indicators") or [])
    if abs(stated - parts) > SCORE_TOL:
        return [("proj-total-score-off", ["total.self_score"])]
    return []
