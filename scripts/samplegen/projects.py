"""The fictional 示例县's project forms: consistent data by the national rules, and planted mistakes.

:func:`make_form` builds one form data dict (the contract of design-13.md) for one project of
the catalogue, deterministic from its random generator: sources add up in every amount
column, 执行率 and its 得分 follow min(执行数 ÷ 预算数, 1) × 10, every indicator's 得分 is what
the national rules give (an honest shortfall comes with a 偏差原因), and 总分 is the sum of
the parts.  With ``tags`` it plants those mistakes (:data:`MISTAKES`) and returns, for each,
the field paths where a checker must report it; :func:`rules.audit` of the result finds
exactly those mistakes and nothing else (checked on every form made).
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .catalogue import Project
from .rules import audit, execution_score, indicator_score, parse_target

__all__ = ["MISTAKES", "Mistake", "make_form"]

# tag → (message, severity), the tag table of design-13.md
MISTAKES: dict[str, tuple[str, str]] = {
    "proj-total-off": ("年度资金总额 ≠ 当年财政拨款 + 上年结转资金 + 其他资金（全年执行数）", "error"),
    "proj-total-zero": ("年度资金总额一栏为 0，而其下资金来源有金额（年初预算数）", "error"),
    "proj-over-budget": ("全年执行数 > 全年预算数（超预算支出）", "error"),
    "proj-execution-score": ("预算执行得分 ≠ min(执行率, 100%) × 10", "error"),
    "proj-weights": ("一级指标的分值之和不等于其权重（产出 50、效益 30、满意度 10）", "error"),
    "proj-inflated-score": ("指标未完成却自评满分", "error"),
    "proj-met-below-full": ("指标恰好达到年度指标值却未得满分", "error"),
    "proj-score-over-weight": ("得分高于分值", "error"),
    "proj-missing-reason": ("指标未完全完成，偏差原因分析为空", "warning"),
    "proj-cost-ge": ("成本指标写成 ≥（成本指标应为 ≤）", "error"),
    "proj-missing-level": ("缺少满意度指标", "error"),
    "proj-total-score-off": ("总分 ≠ 预算执行得分 + 各指标得分", "error"),
    "proj-placeholder-indicator": ("三级指标只填了占位符（指标1：/……/无），却有分值", "error"),
    "proj-required-blank": ("必填项实施单位为空", "error"),
    "proj-goal-result-blank": ("年度总体目标的实际完成情况为空", "error"),
    "proj-no-weight-column": ("表中没有分值列，无法评分（整表报告一次，不指向单元格）", "warning"),
    "proj-words-in-number": ("定量指标的实际完成值是文字（完成）", "error"),
}
_REASONS = (
    "受天气和施工条件影响，部分任务未按期完成。下一步加强调度，确保次年一季度完成。",
    "实际需求低于年初预计，年度目标设定偏高。下一步科学测算，合理设定目标。",
    "受资金拨付进度影响，部分工作推迟开展。下一步加快拨付进度，强化过程监控。",
)
_TIMELINESS = (("资金拨付及时率", "≥95%"), ("项目完成及时率", "=100%"), ("任务按时完成率", "100%"),
               ("项目实施进度", "按计划推进"))
_QUAL_DONE = {"明显改善": "已明显改善", "明显提升": "明显提升", "有效提高": "有效提高", "按计划推进": "按计划完成"}


@dataclass(frozen=True)
class Mistake:
    """A planted mistake: its tag and the field paths where it must be reported."""

    tag: str
    fields: tuple[str, ...]

    @property
    def message(self) -> str:
        return MISTAKES[self.tag][0]

    @property
    def severity(self) -> str:
        return MISTAKES[self.tag][1]


def _nice(x: float, unit: str) -> float:
    """A target as people set them: 3,200 not 3,187; 0.85 万元 keeps its decimals."""
    if unit in ("万元",) and x < 20:
        return round(x, 2)
    for step in (10000, 1000, 100, 10):
        if x >= step * 10:
            return float(round(x / step) * step)
    return float(round(x)) if x >= 3 else round(x, 1)


def _num(x: float) -> int | float:
    return int(x) if float(x).is_integer() else round(x, 2)


def _text(sign: str, value: float, unit: str) -> str:
    return f"{sign}{_num(value)}{unit}"


# --------------------------------------------------------------------------- a clean form


def _budget(rng: random.Random, sources: Sequence[str], cap: float | None = None) -> dict[str, dict[str, float]]:
    """The 项目资金 rows; with ``cap`` (the project's share of its department's 项目支出)
    the full-year budget stays within it, so a department's projects fit its own figure."""
    scale = rng.choice((rng.uniform(8, 80), rng.uniform(80, 500), rng.uniform(80, 500), rng.uniform(500, 2400)))
    adjusted = round(scale if cap is None else cap * rng.uniform(0.85, 1.0), 2)
    rows: dict[str, dict[str, float]] = {}
    extra = [k for k in sources if k != "current" and rng.random() < (0.35 if k == "carryover" else 0.3)]
    left = adjusted
    for k in extra:
        part = round(adjusted * rng.uniform(0.05, 0.2), 2)
        rows[k] = {"adjusted": part, "initial": part if k != "carryover" or rng.random() < 0.5 else 0.0}
        left -= part
    rows["current"] = {"adjusted": round(left, 2), "initial": round(left * rng.choice((1.0, 1.0, rng.uniform(0.8, 0.98))), 2)}
    rate = 1.0 if rng.random() < 0.3 else rng.uniform(0.9, 0.995)
    for k, row in rows.items():
        row["actual"] = row["adjusted"] if k == "carryover" else round(row["adjusted"] * rate, 2)
    out = {"total": {c: round(sum(r[c] for r in rows.values()), 2) for c in ("initial", "adjusted", "actual")}}
    for k in sources:
        out[k] = rows.get(k, {"initial": 0.0, "adjusted": 0.0, "actual": 0.0})
    return out


def _ind(level1: str, level2: str, name: str, target: str, actual: Any, weight: float = 0) -> dict[str, Any]:
    return {"level1": level1, "level2": level2, "name": name, "target": target, "actual": actual,
            "weight": weight, "self_score": None, "reason": None}


def _indicators(rng: random.Random, p: Project, budget: dict[str, dict[str, float]]) -> list[dict[str, Any]]:
    out = []
    for name, unit, lo, hi in p.quantities:
        t = _nice(rng.uniform(lo, hi), unit)
        if lo == hi or (t <= 30 and rng.random() < 0.4):
            target, actual = rng.choice((_text("=", t, unit), _text("", t, unit))), _num(t)
        else:
            target = _text("≥", t, unit)
            actual = _num(round(t * rng.uniform(1.0, 1.12), 0 if t >= 10 else 1))
        out.append(_ind("产出指标", "数量指标", name, target, actual))
    q_name, q_target = p.quality
    qt = parse_target(q_target)
    if qt.direction == ">=":
        q_actual: Any = _num(round(rng.uniform(qt.value, min(100.0, qt.value + 4)), 1))
    elif qt.direction == "<=":
        q_actual = _num(round(qt.value * rng.uniform(0.2, 0.9), 2))
    else:
        q_actual = _num(qt.value)
    out.append(_ind("产出指标", "质量指标", q_name, q_target, q_actual))
    t_name, t_target = rng.choice(_TIMELINESS)
    tt = parse_target(t_target)
    t_actual = _QUAL_DONE.get(t_target) if tt.direction == "qual" else (
        _num(rng.choice((96, 98, 100))) if tt.direction == ">=" else 100)
    out.append(_ind("产出指标", "时效指标", t_name, t_target, t_actual))
    if p.unit_cost:
        c_name, unit, lo, hi = p.unit_cost
        c = _nice(rng.uniform(lo, hi), unit)
        c_actual = c if rng.random() < 0.3 else _num(round(c * rng.uniform(0.9, 0.99), 2))
        out.append(_ind("产出指标", "成本指标", c_name, _text("≤", c, unit), c_actual))
    else:
        out.append(_ind("产出指标", "成本指标", "项目总成本", _text("≤", budget["total"]["adjusted"], "万元"),
                        budget["total"]["actual"]))
    level2, b_name, b_target = p.benefit
    out.append(_ind("效益指标", level2, b_name, b_target, _QUAL_DONE.get(b_target, b_target)))
    if level2 == "可持续影响指标":
        out.append(_ind("效益指标", "社会效益指标", f"{p.served}获得感", "明显增强", "明显增强"))
    elif rng.random() < 0.5:
        out.append(_ind("效益指标", "可持续影响指标", "项目持续发挥效益年限", "≥5年", 5))
    else:
        out.append(_ind("效益指标", "可持续影响指标", "长效管理机制", "逐步健全", "基本健全"))
    s_target = rng.choice((90, 90, 85, 95))
    out.append(_ind("满意度指标", "服务对象满意度指标", f"{p.served}满意度", f"≥{s_target}%",
                    _num(rng.randint(s_target + 1, min(99, s_target + 7)))))
    if rng.random() < 0.2 and p.served != "社会公众":  # (the first is already 社会公众满意度)
        out.append(_ind("满意度指标", "服务对象满意度指标", "社会公众满意度", "≥90%", _num(rng.randint(91, 97))))
    _weigh(rng, out)
    return out


def _weigh(rng: random.Random, inds: list[dict[str, Any]]) -> None:
    """分值 per 一级指标 (50/30/10), in fives where the count allows, as clerks split them."""
    for level, total in (("产出指标", 50), ("效益指标", 30), ("满意度指标", 10)):
        group = [d for d in inds if d["level1"] == level]
        step = 5 if total // len(group) >= 5 and total % 5 == 0 else 1
        units = total // step
        parts = [units // len(group) + (1 if k < units % len(group) else 0) for k in range(len(group))]
        for _ in range(len(group)):
            a, b = rng.randrange(len(group)), rng.randrange(len(group))
            if a != b and parts[a] > 1 and parts[a] * step > 5:
                parts[a] -= 1
                parts[b] += 1
        for d, n in zip(group, parts):
            d["weight"] = n * step


def _score(rng: random.Random, form: dict[str, Any], shortfalls: str) -> None:
    """Every indicator's 得分 by the rules, shortfalls each with a 偏差原因.

    ``shortfalls``: ``none``; ``some`` (a missed quantity or a 定性 partly achieved, by
    chance); ``weak`` (a poor year: every ≥ quantity missed, every 定性 效益 partly achieved,
    satisfaction below its target) — honest forms that grade 良 or 中."""
    inds = form["indicators"]
    ge = [d for d in inds if d["level2"] == "数量指标" and d["target"].startswith("≥")]
    qual = [d for d in inds if parse_target(d["target"]).direction == "qual" and d["level1"] == "效益指标"]
    if shortfalls == "some":
        ge = [rng.choice(ge)] if ge and rng.random() < 0.5 else []
        qual = [rng.choice(qual)] if qual and rng.random() < 0.4 else []
    elif shortfalls != "weak":
        ge = qual = []
    low = (0.45, 0.75) if shortfalls == "weak" else (0.8, 0.96)
    for d in ge:
        t = parse_target(d["target"]).value
        d["actual"] = _num(round(t * rng.uniform(*low), 0 if t >= 10 else 1))
        d["reason"] = rng.choice(_REASONS)
    for d in qual:
        d["actual"] = "部分实现，仍有差距"
        d["self_score"] = round(d["weight"] * rng.choice((0.6, 0.7, 0.75)), 2)
        d["reason"] = "项目覆盖面有限，效果显现需要时间。下一步扩大覆盖面，加强跟踪问效。"
    if shortfalls == "weak":
        for d in inds:
            t = parse_target(d["target"])
            if d["level2"] in ("质量指标", "时效指标") and t.direction == ">=" and t.unit == "%":
                d["actual"] = _num(t.value - rng.randint(5, 15))
                d["reason"] = rng.choice(_REASONS)
            if d["level1"] == "满意度指标":
                d["actual"] = _num(parse_target(d["target"]).value - rng.randint(4, 9))
                d["reason"] = "群众对服务时效和覆盖面反映较多。下一步优化流程，扩大覆盖。"
    for d in inds:
        t = parse_target(d["target"])
        if t.direction == "qual" or not isinstance(d["actual"], (int, float)):
            if d["self_score"] is None:
                d["self_score"] = d["weight"]
            continue
        d["self_score"] = _num(indicator_score(t, float(d["actual"]), d["weight"]))
        if d["self_score"] < d["weight"] and not d["reason"]:
            d["reason"] = rng.choice(_REASONS)


def _children(rng: random.Random, form: dict[str, Any]) -> None:
    """★ parents: the first ≥ 数量指标 split in two halves of the year (unweighted 其中… rows)."""
    for d in form["indicators"]:
        t = parse_target(d["target"])
        if d["level2"] == "数量指标" and t.direction == ">=" and isinstance(d["actual"], (int, float)):
            whole = t.value >= 10
            t1 = round(t.value * 0.5) if whole else round(t.value * 0.5, 1)
            a1 = round(d["actual"] * 0.5) if whole else round(d["actual"] * 0.5, 1)
            d["children"] = [
                {"name": "其中：上半年", "target": _text("≥", t1, t.unit), "actual": _num(a1)},
                {"name": "其中：下半年", "target": _text("≥", t.value - t1, t.unit),
                 "actual": _num(round(d["actual"] - a1, 1))},
            ]
            return


def _goals(form: dict[str, Any], p: Project) -> list[dict[str, Any]]:
    q = [d for d in form["indicators"] if d["level2"] == "数量指标"]
    b = next((d for d in form["indicators"] if d["level1"] == "效益指标"), None)
    total = form["budget"]["total"]
    rate = total["actual"] / total["adjusted"] * 100 if total.get("adjusted") else 0

    def amount(d: dict[str, Any], value: Any) -> str:
        t = parse_target(d["target"])
        return f"{d['name']}{_num(t.value) if value is None else value}{t.unit}"

    goal = "；".join(amount(d, None) for d in q)
    done = "；".join(amount(d, d["actual"]) for d in q if isinstance(d["actual"], (int, float)))
    benefit_goal = f"，{b['name']}{b['target']}" if b else ""
    benefit_done = f"，{b['name']}{b['actual']}" if b and isinstance(b["actual"], str) else ""
    return [{"goal": f"实施{p.name}项目：{goal}{benefit_goal}。",
             "result": f"全年{done or '完成主要任务'}{benefit_done}；项目资金执行率{rate:.2f}%。"}]


# --------------------------------------------------------------------------- planting


def _pick(rng: random.Random, inds: list[dict[str, Any]], pred: Any) -> int:
    options = [i for i, d in enumerate(inds) if pred(d) and not d.get("_planted")]
    if not options:
        raise LookupError("no indicator fits the planted mistake")
    i = rng.choice(options)
    inds[i]["_planted"] = True
    return i


def _ge_quantity(d: dict[str, Any]) -> bool:
    return d["level2"] == "数量指标" and d["target"].startswith("≥") and isinstance(d["actual"], (int, float))


def _plant_money(rng: random.Random, form: dict[str, Any], tag: str) -> tuple[str, ...]:
    b = form["budget"]
    sources = [k for k in b if k != "total"]
    if tag == "proj-total-off":
        b["total"]["actual"] = round(b["total"]["actual"] - rng.choice((2, 5, 10, 12.5)), 2)
        return ("budget.total.actual",)
    if tag == "proj-total-zero":
        b["total"]["initial"] = 0
        return ("budget.total.initial",)
    if tag == "proj-over-budget":
        row = b["current"]
        row["actual"] = round(row["adjusted"] * rng.uniform(1.03, 1.08), 2)
        b["total"]["actual"] = round(sum(b[k]["actual"] for k in sources), 2)
        return ("budget.total.actual", "budget.current.actual")
    if tag == "proj-execution-score":
        for k in sources:  # a year that fell short (88–95%), so full marks are visibly wrong
            if k != "carryover":
                b[k]["actual"] = round(b[k]["adjusted"] * rng.uniform(0.9, 0.94), 2)
        b["total"]["actual"] = round(sum(b[k]["actual"] for k in sources), 2)
        return ("budget.total.score",)
    raise ValueError(tag)


def _plant_indicator(rng: random.Random, form: dict[str, Any], tag: str) -> tuple[str, ...]:
    inds = form["indicators"]
    if tag == "proj-weights":  # 5 points moved from 产出 to 效益: both groups off
        i = _pick(rng, inds, lambda d: d["level1"] == "产出指标" and d["weight"] >= 10)
        j = _pick(rng, inds, lambda d: d["level1"] == "效益指标")
        inds[i]["weight"] -= 5
        inds[j]["weight"] += 5
        first = [next(k for k, d in enumerate(inds) if d["level1"] == lv) for lv in ("产出指标", "效益指标")]
        return tuple(f"indicators.{k}.weight" for k in first)
    if tag in ("proj-inflated-score", "proj-missing-reason"):
        i = _pick(rng, inds, _ge_quantity)
        d = inds[i]
        t = parse_target(d["target"]).value
        d["actual"] = _num(round(t * rng.uniform(0.75, 0.9), 0 if t >= 10 else 1))
        if tag == "proj-inflated-score":
            d["_score"] = d["weight"]  # full marks for a target missed
            d["reason"] = rng.choice(_REASONS)
            return (f"indicators.{i}.self_score",)
        d["_no_reason"] = True
        return (f"indicators.{i}.reason",)
    if tag == "proj-met-below-full":
        i = _pick(rng, inds, lambda d: d["level2"] == "数量指标" and isinstance(d["actual"], (int, float)))
        d = inds[i]
        d["actual"] = _num(parse_target(d["target"]).value)  # met exactly …
        d["_score"] = d["weight"] - rng.choice((1, 2, 3))      # … yet marked down
        return (f"indicators.{i}.self_score",)
    if tag == "proj-score-over-weight":
        i = _pick(rng, inds, lambda d: d["level1"] == "产出指标" and d["level2"] != "成本指标"
                  and parse_target(d["target"]).direction != "qual")
        inds[i]["_score"] = inds[i]["weight"] + rng.choice((1, 2, 5))
        return (f"indicators.{i}.self_score",)
    if tag == "proj-cost-ge":
        i = _pick(rng, inds, lambda d: d["level2"] == "成本指标")
        d = inds[i]
        d["target"] = "≥" + d["target"][1:]
        d["actual"] = _num(parse_target(d["target"]).value)  # spent exactly the figure: full either way
        return (f"indicators.{i}.target",)
    if tag == "proj-missing-level":
        form["indicators"] = [d for d in inds if d["level1"] != "满意度指标"]
        return ("indicators.0.level1",)
    if tag == "proj-words-in-number":
        i = _pick(rng, inds, _ge_quantity)
        inds[i]["actual"] = "完成"
        inds[i]["_score"] = inds[i]["weight"]
        return (f"indicators.{i}.actual",)
    if tag == "proj-placeholder-indicator":
        i = _pick(rng, inds, lambda d: d["level2"] == "时效指标")
        inds[i]["name"] = rng.choice(("指标1：", "……", "无"))
        return (f"indicators.{i}.name",)
    raise ValueError(tag)


_MONEY_TAGS = ("proj-total-off", "proj-total-zero", "proj-over-budget", "proj-execution-score")
_LATE_TAGS = ("proj-total-score-off", "proj-required-blank", "proj-goal-result-blank", "proj-no-weight-column")


def make_form(rng: random.Random, *, department: str, project: Project, year: int = 2023,
              sources: Sequence[str] = ("current", "carryover", "other"), tags: Sequence[str] = (),
              implementer: str | None = None, weight_column: bool = True,
              weak: bool = False, cap: float | None = None) -> tuple[dict[str, Any], list[Mistake]]:
    """One project form, consistent by the national rules, with ``tags`` planted.

    ``sources`` are the money rows under 年度资金总额 (Sichuan's copies add 财政专户管理资金
    and 单位资金 in place of 其他资金).  ``weak`` makes an honest poor year (no mistake, a
    lower grade).  Raises if the form's audit does not find exactly the
    planted mistakes."""
    form: dict[str, Any] = {"year": year, "name": project.name, "department": department,
                            "implementer": implementer or department}
    form["budget"] = _budget(rng, sources, cap)
    form["indicators"] = _indicators(rng, project, form["budget"])
    mistakes = []
    for tag in tags:
        if tag in _MONEY_TAGS:
            mistakes.append(Mistake(tag, _plant_money(rng, form, tag)))
    cost = next(d for d in form["indicators"] if d["name"] == "项目总成本") if not project.unit_cost else None
    if cost is not None:  # the total cost is what was spent
        cost["actual"] = form["budget"]["total"]["actual"]
    for tag in tags:
        if tag not in _MONEY_TAGS and tag not in _LATE_TAGS:
            mistakes.append(Mistake(tag, _plant_indicator(rng, form, tag)))
    _score(rng, form, "none" if tags else ("weak" if weak else "some"))
    for d in form["indicators"]:
        if "_score" in d:
            d["self_score"] = _num(d.pop("_score"))
        if d.pop("_no_reason", False):
            d["reason"] = None
        d.pop("_planted", None)
    total = form["budget"]["total"]
    total["weight"] = 10
    total["score"] = execution_score(total["adjusted"], total["actual"])
    if "proj-execution-score" in tags:
        total["score"] = 10
    form["total"] = {"weight": 100, "self_score": round(total["score"] + sum(d["self_score"] for d in form["indicators"]), 2)}
    if "special" in sources and total["actual"] < total["adjusted"]:  # Sichuan's 原因 column
        total["note"] = "部分合同尾款按约定于次年支付。"
    form["goals"] = _goals(form, project)
    _children(rng, form)
    for tag in tags:
        if tag == "proj-total-score-off":
            form["total"]["self_score"] = round(form["total"]["self_score"] + rng.choice((-3, -1.5, 2, 5)), 2)
            mistakes.append(Mistake(tag, ("total.self_score",)))
        elif tag == "proj-required-blank":
            form["implementer"] = None
            mistakes.append(Mistake(tag, ("implementer",)))
        elif tag == "proj-goal-result-blank":
            form["goals"][0]["result"] = None
            mistakes.append(Mistake(tag, ("goals.0.result",)))
        elif tag == "proj-no-weight-column":
            mistakes.append(Mistake(tag, ()))
    found = audit(form, weight_column=weight_column)
    planted = [(m.tag, list(m.fields)) for m in mistakes]
    if sorted(found) != sorted(planted):
        raise AssertionError(f"{project.name}: planted {planted}, the rules find {found}")
    return form, mistakes
