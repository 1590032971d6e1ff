"""T rules: 自评得分 (the self-score summary)."""

from __future__ import annotations

from typing import Iterable

from perfxl.codes.totals import T001, T002, T003, T004, T005, T006, T007
from perfxl.findings import Finding, percent
from perfxl.model import ScoreRow, Unit
from perfxl.rulebook import LEVEL_KEYS
from perfxl.rules.budget import budget_always
from perfxl.rules.registry import RuleContext, check, close, computed_values, number, text
from perfxl.spec import GRADES, LEVEL_ROWS, LEVELS, SELF_SCORE

SHEET = SELF_SCORE.name
__all__ = [
    "T001", "T002", "T003", "T004", "T005", "T006", "T007", "check_execution", "check_subtotals",
    "check_total", "check_grade", "check_weights",
]


_ITEM_EN = {
    "budget_execution": "budget execution", "output": "output indicators", "benefit": "benefit indicators",
    "satisfaction": "satisfaction indicators", "total": "the total",
}
_KEY_LABEL = {v: k for k, v in LEVEL_KEYS.items()}  # spec row key → rulebook label
_PARTS = ("budget_execution", "output", "benefit", "satisfaction")


def _cell(row: ScoreRow, col: str) -> str:
    f = getattr(row, col)
    return f.cell or SELF_SCORE.cell(row.key, col)


def _score_blank(row: ScoreRow | None) -> bool:
    return row is not None and row.self_score.status == "blank"


@check("T001")
def check_execution(unit: Unit, ctx: RuleContext) -> Iterable[Finding]:
    """预算执行率 自评得分 = min(rate, 1) × 分值 (within the score tolerance)."""
    row = unit.scores.get("budget_execution")
    card = ctx.card
    if row is None or card is None or card.execution.score is None:
        return
    declared = number(row.self_score)
    if declared is None:
        return
    want = card.execution.score
    w, tol = card.execution.weight, ctx.rulebook.score_tolerance
    amount_tol = ctx.rulebook.amount_tolerance
    # Where 资金总额 does not balance (B001), or was typed over, the score is only wrong if
    # it is wrong whichever reading of the total is right.
    if budget_always(unit, ctx, "total", ("adjusted", "actual"),
                     lambda b, a: b > amount_tol and not close(declared, min(max(a / b, 0.0), 1.0) * w, tol)):
        rate = card.execution.rate
        yield T001(SHEET, _cell(row, "self_score"), expected=round(want, 2), actual=declared,
                   rate=percent(rate) if rate is not None else "—", weight=f"{card.execution.weight:g}")


def _indicators_placed(unit: Unit) -> bool:
    """Every indicator has a valid 一级指标 (else I003/I004 report the rows that belong
    nowhere, and the subtotals they move are their consequence)."""
    return all(i.level1.ok and i.level1.value in LEVELS for i in unit.indicators)


@check("T002")
def check_subtotals(unit: Unit, ctx: RuleContext) -> Iterable[Finding]:
    """产出/效益/满意度 自评得分 = the sum of their indicators' 自评得分 (a SUMIF in the
    template): a figure typed over the formula that is not what it gives."""
    if not unit.indicators or not _indicators_placed(unit):
        return
    for st in computed_values(unit, ctx).typed_over("T002"):
        row = unit.scores.get(st.decl.row)
        if row is None or not isinstance(st.true, float) or st.shown is None:
            continue
        yield T002(SHEET, _cell(row, "self_score"), expected=round(st.true, 2), actual=st.shown,
                   level=LEVEL_ROWS[row.key], level_en=_ITEM_EN[row.key])


@check("T003")
def check_total(unit: Unit, ctx: RuleContext) -> Iterable[Finding]:
    """总分 = the sum of the four parts' 自评得分: a figure typed over the formula that is
    neither the parts as they stand nor as their indicators give them."""
    for st in computed_values(unit, ctx).typed_over("T003"):
        row = unit.scores.get(st.decl.row)
        want = st.display if isinstance(st.display, float) else st.true
        if row is None or not isinstance(want, float) or st.shown is None:
            continue
        yield T003(SHEET, _cell(row, "self_score"), expected=round(want, 2), actual=st.shown)


@check("T004", "T006", "T007")
def check_grade(unit: Unit, ctx: RuleContext) -> Iterable[Finding]:
    """自评等级 filled (T006), one of 优良中差 (T007), and the grade of 总分 (T004).

    The grade is judged against every reading of 总分 — as computed from the parts, as the
    sheet shows it, and as typed over — and reported only when it fits none, so a wrong
    总分 is reported once, by T003, not again here.
    """
    ex = unit.scores.get("budget_execution")
    if ex is not None and ex.self_score.status == "blank":
        yield T006(SHEET, _cell(ex, "self_score"), item="预算执行率自评得分", item_en="The budget execution self-score")
    g = unit.grade
    cell = g.cell or SELF_SCORE.after_cell("grade")
    value = text(g)
    if g.status == "blank" or (value is not None and ctx.rulebook.is_placeholder(value)):
        yield T006(SHEET, cell, item="自评等级", item_en="The self-grade")
        return
    if value is None:
        return
    if value not in GRADES:
        yield T007(SHEET, cell, actual=value)
        return
    if any(_score_blank(unit.scores.get(k)) for k in _PARTS):
        return  # the total is not complete yet: T006 / I004 report the blank
    if any(i.self_score.status not in ("ok", "blank", "missing") for i in unit.indicators):
        return  # an unreadable score (V…): the total is not known
    if not _indicators_placed(unit):
        return  # indicators that belong to no 一级指标 move the subtotals: I003 reports them
    totals = computed_values(unit, ctx).readings(SHEET, "total", "self_score")
    if not totals:
        return
    grades = {ctx.rulebook.grade(round(t, 2)) for t in totals}
    if value not in grades:
        basis = totals[0] if len(totals) == 1 else computed_values(unit, ctx).judged(SHEET, "total", "self_score")
        assert basis is not None
        want = ctx.rulebook.grade(round(basis, 2))
        yield T004(SHEET, cell, expected=want, actual=value, total=f"{basis:.2f}")


@check("T005")
def check_weights(unit: Unit, ctx: RuleContext) -> Iterable[Finding]:
    """The 分值 column holds the rulebook's weights (the 总分 row their total)."""
    rb = ctx.rulebook
    tol = rb.score_tolerance
    part_off = False
    for key in _PARTS:
        row = unit.scores.get(key)
        w = number(row.weight) if row is not None else None
        if row is None or w is None:
            continue
        want = rb.weight(_KEY_LABEL[key])
        if not close(w, want, tol):
            part_off = True
            yield T005(SHEET, _cell(row, "weight"), expected=want, actual=w,
                       item=row.label, item_en=_ITEM_EN[key])
    row = unit.scores.get("total")
    if row is None or part_off:
        return
    # 总分's 分值 is a SUM of the four: only a figure typed over it can be off.
    st = computed_values(unit, ctx).state(SHEET, "total", "weight")
    w = st.judged if st is not None else number(row.weight)
    if w is not None and not close(w, rb.total_weight, tol):
        yield T005(SHEET, _cell(row, "weight"), expected=rb.total_weight, actual=w, item=row.label,
                   item_en=_ITEM_EN["total"])
