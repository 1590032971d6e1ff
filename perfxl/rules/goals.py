"""G rules: 绩效目标 (annual performance goals)."""

from __future__ import annotations

from typing import Iterable

from perfxl.codes.goals import G001, G002, G003
from perfxl.findings import Finding
from perfxl.model import Goal, Unit
from perfxl.rules.registry import BOTH, RuleContext, check, is_empty_text, sheet_of, table_unread
from perfxl.spec import GOALS, addr

SHEET = GOALS.name
__all__ = ["G001", "G002", "G003", "check_goals"]



def _has_content(g: Goal) -> bool:
    return any(f.status not in ("blank", "missing") for f in (g.seq, g.goal, g.result))


@check("G001", "G002", "G003", kinds=BOTH)
def check_goals(unit: Unit, ctx: RuleContext) -> Iterable[Finding]:
    """At least one goal (G001); every goal row has its text (G002) and result (G003)."""
    if table_unread(unit, GOALS.name):
        return  # the sheet or its header is missing: the reader's F013/F016 says so
    sheet = sheet_of(unit, SHEET)
    rows = [g for g in unit.goals if _has_content(g)]
    if not rows:
        yield G001(sheet, None if unit.form_sheet else addr(GOALS.first_row, GOALS.col_of("goal")))
        return
    ph = ctx.rulebook.placeholders
    for g in rows:
        # A column that could not be located (F014) is unknown, not empty.
        if is_empty_text(g.goal, ph):
            filled = [GOALS.column(k) for k in ("seq", "result") if getattr(g, k).status not in ("blank", "missing")]
            yield G002(sheet, g.goal.cell or addr(g.row, GOALS.col_of("goal")), row=g.row,
                       filled="、".join(c.label for c in filled) or "占位符",
                       filled_en=" and ".join({"seq": "a number", "result": "a result"}[c.key] for c in filled)
                       or "a placeholder")
        elif is_empty_text(g.result, ph):
            blank = g.result.status == "blank" and not (isinstance(g.result.raw, str) and g.result.raw.strip())
            yield G003(sheet, g.result.cell or addr(g.row, GOALS.col_of("result")), row=g.row,
                       problem="未填写" if blank else "只填了占位符",
                       problem_en="is blank" if blank else "is only a placeholder")
