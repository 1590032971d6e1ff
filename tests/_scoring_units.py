"""Units built in Python for the scoring tests (no workbook, no reader).

Cells come from perfxl.spec, as the reader would report them for a template workbook.
``seed_unit()`` is the reference unit of TEMPLATE.md (桃源县科协 2023) with sample figures
chosen so its self-scores agree with the default rulebook: total 95, grade 优.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from perfxl.model import BudgetRow, Field, Indicator, ScoreRow, ThreePublicRow, Unit
from perfxl.spec import BUDGET, INDICATORS, PROFILE, SELF_SCORE, THREE_PUBLIC, addr

_IND_KEYS = ("level1", "level2", "name", "direction", "target", "unit", "actual", "weight",
             "self_score", "completion", "reason")


def fld(value: Any, sheet: str, cell: str, status: str = "ok", raw: Any = None) -> Field:
    """A field as the reader gives it; value None means a blank cell."""
    if value is None and status == "ok":
        status = "blank"
    return Field(value, sheet, cell, raw if raw is not None else value, status)  # type: ignore[arg-type]


def indicator(row: int = 4, **values: Any) -> Indicator:
    """An indicator row; pass a Field to set a cell's status, a value otherwise."""
    defaults = {"level1": "产出指标", "level2": "数量指标", "name": "指标", "direction": "≥",
                "target": 10.0, "unit": "次", "actual": 10.0, "weight": 10.0, "self_score": None,
                "completion": None, "reason": None}
    defaults.update(values)
    fields = {}
    for key in _IND_KEYS:
        v = defaults[key]
        fields[key] = v if isinstance(v, Field) else fld(v, INDICATORS.name, addr(row, INDICATORS.col_of(key)))
    return Indicator(row=row, **fields)


def _budget_row(key: str, initial: Any, adjusted: Any, actual: Any, last: Any) -> BudgetRow:
    def c(col: str, v: Any) -> Field:
        return v if isinstance(v, Field) else fld(v, BUDGET.name, BUDGET.cell(key, col))

    return BudgetRow(key, BUDGET.row_spec(key).label, BUDGET.row_of(key), c("initial", initial),
                     c("adjusted", adjusted), c("actual", actual), c("last_year", last),
                     c("rate", None), c("change", None), c("note", None))


def _tp_row(key: str, budget: Any, actual: Any, last: Any, batches: Any = None, persons: Any = None) -> ThreePublicRow:
    def c(col: str, v: Any) -> Field:
        return v if isinstance(v, Field) else fld(v, THREE_PUBLIC.name, THREE_PUBLIC.cell(key, col))

    return ThreePublicRow(key, THREE_PUBLIC.row_spec(key).label, THREE_PUBLIC.row_of(key), c("budget", budget),
                          c("actual", actual), c("last_year", last), c("batches", batches), c("persons", persons))


# (level1, level2, name, direction, target, unit, actual, weight, self_score, completion)
SEED_INDICATORS: list[tuple] = [
    ("产出指标", "数量指标", "开展科技志愿服务活动次数", "≥", 10.0, "次", 12.0, 5.0, 5.0, None),
    ("产出指标", "数量指标", "科普中国信息员注册率", "≥", 5.0, "%", 5.2, 5.0, 5.0, None),
    ("产出指标", "数量指标", "评选表彰优秀科技工作者", "=", 20.0, "人", 20.0, 5.0, 5.0, None),
    ("产出指标", "数量指标", "基层科普行动表彰单位数", "≥", 1.0, "个", 1.0, 5.0, 5.0, None),
    ("产出指标", "数量指标", "党建活动开展次数", "≥", 12.0, "次", 12.0, 5.0, 5.0, None),
    ("产出指标", "数量指标", "人员经费保障人数", "=", 9.0, "人", 9.0, 5.0, 5.0, None),
    ("产出指标", "质量指标", "乡镇、街道科协组织规范合格率", "≥", 100.0, "%", 100.0, 5.0, 5.0, None),
    ("产出指标", "质量指标", "村、社区科协组织建设普及率", "≥", 90.0, "%", 90.0, 5.0, 5.0, None),
    ("产出指标", "质量指标", "机关事务正常运转率", "≥", 100.0, "%", 100.0, 4.0, 4.0, None),
    ("产出指标", "质量指标", "各项支出规范、合理率", "≥", 100.0, "%", 100.0, 3.0, 3.0, None),
    ("产出指标", "时效指标", "任务完成及时率", "≥", 100.0, "%", 100.0, 3.0, 3.0, None),
    ("效益指标", "社会效益指标", "公民科学素质水平进一步提高", "定性", "进一步提高", None, "有所提高", 15.0, 14.0,
     "达成年度指标"),
    ("效益指标", "社会效益指标", "崇尚科学、尊重科技人才氛围进一步提升", "定性", "进一步提升", None, "有所提升", 15.0,
     11.0, "部分达成年度指标并具有一定效果"),
    ("满意度指标", "服务对象满意度指标", "社会公众对科普工作的满意度", "≥", 90.0, "%", 95.0, 10.0, 10.0, None),
]


def seed_unit(**overrides: Any) -> Unit:
    """The reference unit (see module docstring).  ``overrides`` replace Unit attributes."""
    p = PROFILE.name
    profile = {
        "year": fld(2023, p, PROFILE.cell("year")),
        "name": fld("桃源县科学技术协会", p, PROFILE.cell("name")),
        "staff_quota": fld(11, p, PROFILE.cell("staff_quota")),
        "staff_on_post": fld(9, p, PROFILE.cell("staff_on_post")),
    }
    budget = {
        "total": _budget_row("total", 285.84, 309.39, 309.39, 326.28),
        "general": _budget_row("general", 285.84, 309.39, 309.39, 326.28),
        "fund": _budget_row("fund", 0.0, 0.0, 0.0, 0.0),
        "special": _budget_row("special", 0.0, 0.0, 0.0, 0.0),
        "other": _budget_row("other", 0.0, 0.0, 0.0, 0.0),
        "basic": _budget_row("basic", 220.00, 231.98, 231.98, 250.00),
        "staff": _budget_row("staff", 180.00, 190.00, 190.00, 205.00),
        "public": _budget_row("public", 40.00, 41.98, 41.98, 45.00),
        "project": _budget_row("project", 65.84, 77.41, 77.41, 76.28),
    }
    three_public = {
        "total": _tp_row("total", 4.00, 3.75, 4.10),
        "abroad": _tp_row("abroad", 0.0, 0.0, 0.0, 0, 0),
        "reception": _tp_row("reception", 4.00, 3.75, 4.10, 26, 270),
        "cars": _tp_row("cars", 0.0, 0.0, 0.0),
        "car_purchase": _tp_row("car_purchase", 0.0, 0.0, 0.0),
        "car_maint": _tp_row("car_maint", 0.0, 0.0, 0.0),
    }
    indicators = [
        indicator(INDICATORS.first_row + i, level1=l1, level2=l2, name=name, direction=d, target=t, unit=u,
                  actual=a, weight=w, self_score=s, completion=c)
        for i, (l1, l2, name, d, t, u, a, w, s, c) in enumerate(SEED_INDICATORS)
    ]
    s = SELF_SCORE.name
    declared = {"budget_execution": (10.0, 10.0), "output": (50.0, 50.0), "benefit": (30.0, 25.0),
                "satisfaction": (10.0, 10.0), "total": (100.0, 95.0)}
    scores = {
        key: ScoreRow(key, SELF_SCORE.row_spec(key).label, SELF_SCORE.row_of(key),
                      fld(w, s, SELF_SCORE.cell(key, "weight")), fld(v, s, SELF_SCORE.cell(key, "self_score")))
        for key, (w, v) in declared.items()
    }
    unit = Unit(path=Path("seed.xlsx"), template_id="perfxl.dept-self-eval", template_version=1,
                profile=profile, budget=budget, three_public=three_public, indicators=indicators,
                scores=scores, grade=fld("优", s, SELF_SCORE.after_cell("grade")))
    for k, v in overrides.items():
        setattr(unit, k, v)
    return unit
