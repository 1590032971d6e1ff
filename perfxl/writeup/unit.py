"""The figures and sentences of one unit's 自评报告 draft, from its checked workbook.

:func:`draft_context` turns a :class:`~perfxl.report.FileReport` (the read unit, its score
card and its findings) into the fields a report template names (``{{ 单位名称 }}``,
``{{ 较上年 }}``, ``{% for 指标 in 绩效指标 %}`` …; the catalogue is
:data:`perfxl.writeup.fields.UNIT_FIELDS`).  Every figure is computed from the workbook
through the library's own objects (the reader's fields, :func:`perfxl.common.budget_amount`,
the common indicators, the score card) in the seed report's phrasing; what the workbook
does not say is a placeholder 【请填写：…】, and a figure that could not be read is a
placeholder too — never 0.

The values are plain Python text, lists and dicts; escaping them for the document is the
renderer's job (:mod:`perfxl.writeup.render`).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from perfxl.common import budget_amount, common_indicators, field_number, three_public_amount
from perfxl.catalogue import get_rule
from perfxl.findings import Severity
from perfxl.spec import BUDGET, COMPLETIONS, GOALS, INDICATORS, LEVELS, PROFILE, QUALITATIVE, THREE_PUBLIC
from perfxl.writeup import phrasing as ph

if TYPE_CHECKING:  # pragma: no cover
    from perfxl.findings import Finding
    from perfxl.model import Field, Indicator, Unit
    from perfxl.report import FileReport
    from perfxl.rulebook import Rulebook
    from perfxl.score import IndicatorScore, ScoreCard

__all__ = ["draft_context", "draft_stem"]

# Short words for the 完成情况 of a qualitative indicator (the table column is narrow).
_SHORT_COMPLETION = dict(zip(COMPLETIONS, ("达成", "部分达成", "未达成")))
_MET, _UNMET, _UNKNOWN = "达成", "未达成", "未能判断"
# Warnings that section 七 already covers through the indicator they concern.
_COVERED_WARNINGS = frozenset({"I012"})
_CN_NUMBERS = "〇一二三四五六七八九十"


def draft_stem(name: str | None, year: int | None, path: str) -> str:
    """A draft's file-name stem, ``<单位>_<年度>_绩效自评报告`` (the workbook's file name
    stands in for a name that could not be read, 年度未知 for the year)."""
    from pathlib import Path

    return f"{name or Path(path).stem}_{year or '年度未知'}_绩效自评报告"


def _label(key: str) -> str:
    return PROFILE.field(key).label


def _missing(f: Field | None, what: str) -> str:
    """The placeholder of a value the workbook does not give: blank, or unreadable."""
    return ph.fill(what) if f is not None and f.status == "blank" else ph.unknown(what)


def _profile_text(unit: Unit, key: str) -> str:
    """A profile field as text, or the placeholder saying it is blank or unreadable."""
    f = unit.profile.get(key)
    if f is None or not f.ok or f.value is None or (isinstance(f.value, str) and not f.value.strip()):
        return _missing(f, _label(key))
    v = f.value
    if isinstance(v, dt.datetime):
        v = v.date()
    if isinstance(v, dt.date):
        return f"{v.year}年{v.month}月{v.day}日"
    if isinstance(v, float):
        return ph.plain(v) or ph.unknown(_label(key))
    return str(v).strip()


def _profile_count(unit: Unit, key: str) -> str:
    f = unit.profile.get(key)
    return ph.count(field_number(f)) or _missing(f, _label(key))


def _paragraphs(text: str) -> list[str]:
    return [p.strip() for p in text.splitlines() if p.strip()]


def _or(text: str | None, what: str) -> str:
    return text if text is not None else ph.unknown(what)


def _budget_label(row: str, col: str) -> str:
    return f"{BUDGET.row_spec(row).label}{BUDGET.column(col).label}"


def _budget(unit: Unit, common: dict[str, float | None]) -> dict[str, Any]:
    def amt(row: str, col: str = "actual") -> str:
        return _or(ph.amount(budget_amount(unit, col, row)[0]), _budget_label(row, col))

    last_total = budget_amount(unit, "last_year")[0]
    note = unit.budget["total"].note if "total" in unit.budget else None
    note_text = note.value.strip() if note is not None and note.ok and isinstance(note.value, str) else ""
    return {
        "年初预算数": amt("total", "initial"),
        "全年预算数": amt("total", "adjusted"),
        "全年执行数": amt("total"),
        "上年执行数": amt("total", "last_year"),
        "基本支出": amt("basic"),
        "人员经费": amt("staff"),
        "公用经费": amt("public"),
        "项目支出": amt("project"),
        "较上年": _or(ph.change(common["较上年增减"], last_total), "与上年相比的增减（上年执行数或全年执行数）"),
        "基本支出较上年": _or(ph.change_amount(common["基本支出较上年增减"]), "基本支出较上年增减"),
        "项目支出较上年": _or(ph.change_amount(common["项目支出较上年增减"]), "项目支出较上年增减"),
        "执行率": _or(ph.rate(common["预算执行率"]), "预算执行率（全年预算数或全年执行数）"),
        "完成年初预算": _or(ph.rate(common["执行数占年初预算"]), "执行数占年初预算的比例（年初预算数）"),
        "预算调整率": _or(ph.rate(common["预算调整率"]), "预算调整率（年初预算数或全年预算数）"),
        "偏差说明": note_text or ph.fill("预算执行与年初预算、与上年相比变动的主要原因"),
    }


def _tp_label(row: str, col: str) -> str:
    return f"{THREE_PUBLIC.row_spec(row).label}{THREE_PUBLIC.column(col).label}"


def _three_public(unit: Unit, common: dict[str, float | None]) -> dict[str, Any]:
    def amt(row: str, col: str = "actual") -> str:
        return _or(ph.amount(three_public_amount(unit, col, row)), _tp_label(row, col))

    def cnt(row: str, col: str) -> str:
        r = unit.three_public.get(row)
        return _or(ph.count(field_number(r.amount(col) if r is not None else None)), _tp_label(row, col))

    total = three_public_amount(unit, "actual")

    def share(row: str) -> str:
        return _or(ph.share(three_public_amount(unit, "actual", row), total), f"{THREE_PUBLIC.row_spec(row).label}占比")

    last = three_public_amount(unit, "last_year")
    car_label = THREE_PUBLIC.after_field("car_count").label
    return {
        "三公经费": {
            "预算数": amt("total", "budget"),
            "决算数": amt("total"),
            "上年决算数": amt("total", "last_year"),
            "较上年": _or(ph.change(None if total is None or last is None else total - last, last),
                          "三公经费较上年增减"),
            "控制率": _or(ph.rate(common["三公经费控制率"]), "三公经费控制率（预算数或决算数）"),
        },
        "出国": {"决算数": amt("abroad"), "占比": share("abroad"),
                 "团组": cnt("abroad", "batches"), "人次": cnt("abroad", "persons")},
        "接待": {"决算数": amt("reception"), "占比": share("reception"),
                 "批次": cnt("reception", "batches"), "人次": cnt("reception", "persons")},
        "公车": {"决算数": amt("cars"), "占比": share("cars"), "购置费": amt("car_purchase"),
                 "运行维护费": amt("car_maint"),
                 "保有量": _or(ph.count(field_number(unit.car_count)), car_label)},
    }


def _text_of(f: Field, what: str, rulebook: Rulebook | None = None) -> str:
    """A text cell as written; a placeholder where it is blank, a placeholder word (无, /, …)
    or unreadable."""
    if f.ok and isinstance(f.value, str) and f.value.strip():
        if rulebook is not None and rulebook.is_placeholder(f.value):
            return ph.fill(what)
        return f.value.strip()
    if f.ok and f.value is not None and not isinstance(f.value, str):
        return ph.plain(f.value) or str(f.value)
    return _missing(f, what)


def _goals(unit: Unit, rb: Rulebook) -> list[dict[str, str]]:
    goal_label, result_label = GOALS.column("goal").label, GOALS.column("result").label
    return [
        {"序号": str(i), "目标": _text_of(g.goal, goal_label, rb), "完成情况": _text_of(g.result, result_label, rb)}
        for i, g in enumerate(unit.goals, start=1)
    ]


def _unit_of(ind: Indicator) -> str:
    u = ind.unit.value if ind.unit.ok and isinstance(ind.unit.value, str) else ""
    if not u and ind.percent:
        u = "%"
    return u.strip()


def _value(ind: Indicator, key: str) -> str:
    """年度指标值 ('≥10次', '=100%', '进一步提高') or 实际完成值 ('151次')."""
    f: Field = getattr(ind, key)
    label = INDICATORS.column(key).label
    if not f.ok or f.value is None:
        return ph.unknown(label)
    if isinstance(f.value, str):
        return f.value.strip()
    number = ph.plain(f.value, 4)
    if number is None:
        return ph.unknown(label)
    sign = ind.direction.value if key == "target" and ind.quantitative else ""
    return f"{sign}{number}{_unit_of(ind)}"


def _name(ind: Indicator) -> str:
    return _text_of(ind.name, INDICATORS.column("name").label)


def _status(ind: Indicator, sc: IndicatorScore | None) -> str:
    """达成 / 部分达成 / 未达成 / 未能判断."""
    if ind.direction.ok and ind.direction.value == QUALITATIVE:
        c = ind.completion.value if ind.completion.ok else None
        return _SHORT_COMPLETION.get(c, _UNKNOWN) if isinstance(c, str) else _UNKNOWN
    if sc is None or sc.score is None or sc.weight is None:
        return _UNKNOWN
    return _MET if sc.score >= sc.weight - 0.005 else _UNMET


def _reason(ind: Indicator, rb: Rulebook) -> str:
    return _text_of(ind.reason, INDICATORS.column("reason").label, rb)


def _indicator_rows(unit: Unit, card: ScoreCard | None) -> list[tuple[Indicator, IndicatorScore | None]]:
    if card is not None and len(card.indicators) == len(unit.indicators):
        return [(sc.indicator, sc) for sc in card.indicators]
    return [(ind, None) for ind in unit.indicators]


def _level(ind: Indicator) -> str:
    v = ind.level1.value if ind.level1.ok else None
    return v if isinstance(v, str) and v.strip() else ph.unknown(INDICATORS.column("level1").label)


def _indicator_table(rows: list[tuple[Indicator, IndicatorScore | None]], rb: Rulebook) -> list[dict[str, str]]:
    out = []
    for ind, sc in rows:
        level2 = ind.level2.value if ind.level2.ok and isinstance(ind.level2.value, str) else ""
        status = _status(ind, sc)
        out.append({
            "一级指标": _level(ind),
            "二级指标": level2.strip() or ph.unknown(INDICATORS.column("level2").label),
            "三级指标": _name(ind),
            "指标值": _value(ind, "target"),
            "实际完成值": _value(ind, "actual"),
            "分值": _or(ph.points(field_number(ind.weight)), INDICATORS.column("weight").label),
            "自评得分": _or(ph.points(field_number(ind.self_score)), INDICATORS.column("self_score").label),
            "复核得分": ph.points(sc.score if sc is not None else None) or "—",
            "完成情况": status,
            "偏差原因": _reason(ind, rb) if status in ("部分达成", _UNMET) else "",
        })
    return out


def _unmet_sentence(ind: Indicator, status: str, rb: Rulebook) -> str:
    name, target, actual = _name(ind), _value(ind, "target"), _value(ind, "actual")
    return f"{name}：年度指标值{target}，实际完成{actual}，{status}年度指标。偏差原因及改进措施：{_reason(ind, rb)}"


def _analysis(rows: list[tuple[Indicator, IndicatorScore | None]], card: ScoreCard | None,
              rulebook: Rulebook) -> list[dict[str, Any]]:
    """Section 六: per 一级指标, what was met, what was not (with its 偏差原因), what cannot
    be judged from the workbook."""
    out = []
    for n, level in enumerate(LEVELS):
        mine = [(ind, sc) for ind, sc in rows if ind.level1.ok and ind.level1.value == level]
        met, unmet, unknown = [], [], []
        for ind, sc in mine:
            status = _status(ind, sc)
            if status == _MET:
                met.append(f"{_name(ind)}：年度指标值{_value(ind, 'target')}，实际完成{_value(ind, 'actual')}")
            elif status == _UNKNOWN:
                unknown.append(f"{_name(ind)}：自评表中的数据不全，未能判断是否完成。"
                               + ph.fill("该指标的完成情况"))
            else:
                unmet.append(_unmet_sentence(ind, status, rulebook))
        lv = card.levels.get(level) if card is not None else None
        weight = lv.weight if lv is not None else rulebook.weight(level)
        parts = [f"共{len(mine)}项指标"]
        if mine and len(met) == len(mine):
            parts.append("全部达成")
        else:
            parts.append(f"达成{len(met)}项")
            if unmet:
                parts.append(f"未完全达成{len(unmet)}项")
            if unknown:
                parts.append(f"未能判断{len(unknown)}项")
        out.append({
            "序号": f"（{_CN_NUMBERS[n + 2]}）",  # （一） is 预算执行
            "一级指标": level,
            "分值": _or(ph.points(weight), f"{level}分值"),
            "自评得分": _or(ph.points(lv.self_score if lv is not None else None), f"{level}自评得分"),
            "复核得分": ph.points(lv.score if lv is not None else None) or "未能计算",
            "小结": "，".join(parts),
            "已完成": met,
            "未完成": unmet,
            "待核实": unknown,
        })
    return out


def _score(card: ScoreCard | None, unit: Unit, rulebook: Rulebook) -> dict[str, Any]:
    from perfxl.rulebook import LEVEL_KEYS
    from perfxl.spec import SELF_SCORE

    self_total = card.self_total if card is not None else None
    self_grade = card.self_grade if card is not None else None
    if card is None:
        self_total = field_number(unit.scores["total"].self_score) if "total" in unit.scores else None
        g = unit.grade
        self_grade = g.value if g.ok and isinstance(g.value, str) else None
    total_label = SELF_SCORE.row_spec("total").label
    grade_label = SELF_SCORE.after_field("grade").label
    rb_name = rulebook.name
    table = []
    for label in LEVEL_KEYS:
        lv = card.levels.get(label) if card is not None else None
        declared = lv.declared_self if lv is not None else None
        table.append({"评价内容": label,
                      "分值": ph.points(lv.weight if lv is not None else None) or "—",
                      "自评得分": ph.points(declared if declared is not None else (lv.self_score if lv else None)) or "—",
                      "复核得分": ph.points(lv.score if lv is not None else None) or "—"})
    table.append({"评价内容": total_label,
                  "分值": ph.points(rulebook.total_weight) or "—",
                  "自评得分": ph.points(self_total) or "—",
                  "复核得分": ph.points(card.total if card is not None else None) or "—"})

    if card is None or card.total is None:
        reasons = "；".join(card.reasons[:5]) if card is not None and card.reasons else "评分所需数据不全"
        note = f"按《{rb_name}》复核，未能计算得分（{reasons}）。"
    else:
        diff = card.diff
        tol = rulebook.score_tolerance
        if (diff is None or abs(diff) <= tol) and card.grade == self_grade:
            note = ""
        else:
            gaps = [sc for sc in card.indicators if sc.diff is not None and abs(sc.diff) > tol]
            where = "、".join(f"“{_name(sc.indicator)}”（自评{ph.points(sc.self_score)}分，复核{ph.points(sc.score)}分）"
                             for sc in gaps[:5])
            lv_exec = card.levels.get("预算执行率")
            if lv_exec is not None and lv_exec.diff is not None and abs(lv_exec.diff) > tol:
                where = "、".join(x for x in (f"预算执行率（自评{ph.points(lv_exec.self_score)}分，"
                                                f"复核{ph.points(lv_exec.score)}分）", where) if x)
            note = (f"按《{rb_name}》复核计算得分为{ph.points(card.total)}分，等级为“{card.grade}”"
                    + (f"，与自评得分相差{ph.points(abs(diff))}分" if diff is not None else "")
                    + (f"，差异主要在{where}" if where else "") + "。")
    return {
        "自评得分": _or(ph.points(self_total), f"{total_label}自评得分"),
        "自评等级": self_grade or ph.unknown(grade_label),
        "复核得分": ph.points(card.total) if card is not None and card.total is not None else "未能计算",
        "复核等级": (card.grade if card is not None and card.grade else None) or "未能计算",
        "评分规则": rb_name,
        "得分说明": note,
        "得分表": table,
        "执行率得分": ph.points(card.execution.score) if card is not None and card.execution.score is not None
        else "未能计算",
    }


def _problems(rows: list[tuple[Indicator, IndicatorScore | None]], findings: list[Finding],
              rb: Rulebook) -> list[str]:
    """Section 七: the 偏差原因 of every unmet indicator, then the warnings perfxl found."""
    out = []
    for ind, sc in rows:
        status = _status(ind, sc)
        if status in ("部分达成", _UNMET):
            out.append(f"“{_name(ind)}”{status}年度指标：{_reason(ind, rb)}")
    for f in findings:
        if f.severity != Severity.WARNING or f.code in _COVERED_WARNINGS:
            continue
        out.append(f"{get_rule(f.code).title}：{f.message('zh')}" + ph.fill("原因分析"))
    return out


def _where(f: Finding) -> str:
    if f.ref:
        return f.ref
    return f.sheet or "整个文件"


def _to_fix(findings: list[Finding]) -> list[dict[str, str]]:
    """The first page's list: errors (must fix) and warnings (must explain), in the
    report's order."""
    rows = [f for f in findings if f.severity in (Severity.ERROR, Severity.WARNING)]
    rows.sort(key=lambda f: f.severity.rank)  # stable: errors first, each in report order
    return [{"级别": f.severity.zh, "位置": _where(f), "代码": f.code, "说明": f.message("zh")} for f in rows]


def draft_context(report: FileReport, rulebook: Rulebook | None = None) -> dict[str, Any]:
    """The fields of a unit's draft (see :data:`perfxl.writeup.fields.UNIT_FIELDS`).

    ``report`` must be readable (it holds a unit); ``rulebook`` names the scoring rules
    and weights (the default when None).
    """
    from pathlib import Path

    from perfxl import __version__
    from perfxl.rulebook import default_rulebook

    unit = report.unit
    if unit is None or not report.readable:
        raise ValueError(f"{report.path}: an unreadable workbook has no draft")
    rulebook = rulebook or default_rulebook()
    card = report.score
    common = common_indicators(unit)
    rows = _indicator_rows(unit, card)
    findings = list(report.findings)
    duties = unit.profile.get("duties")
    duty_text = duties.value if duties is not None and duties.ok and isinstance(duties.value, str) else ""
    ctx: dict[str, Any] = {
        "年度": _profile_text(unit, "year"),
        "单位名称": _profile_text(unit, "name"),
        "统一社会信用代码": _profile_text(unit, "credit_code"),
        "主管部门": _profile_text(unit, "department"),
        "单位类型": _profile_text(unit, "unit_type"),
        "内设机构数": _profile_count(unit, "internal_orgs"),
        "二级机构数": _profile_count(unit, "sub_orgs"),
        "编制人数": _profile_count(unit, "staff_quota"),
        "在职人数": _profile_count(unit, "staff_on_post"),
        "离退休人数": _profile_count(unit, "retirees"),
        "在职人员控制率": _or(ph.rate(common["在职人员控制率"]), "在职人员控制率（编制人数或在职人数）"),
        "主要职责": _paragraphs(duty_text) or [ph.unknown(_label("duties"))],
        "填报人": _profile_text(unit, "preparer"),
        "填报日期": _profile_text(unit, "fill_date"),
        **_budget(unit, common),
        **_three_public(unit, common),
        "绩效目标": _goals(unit, rulebook) or [{"序号": "1", "目标": ph.fill("年度绩效目标"),
                                   "完成情况": ph.fill("实际完成情况")}],
        "绩效指标": _indicator_table(rows, rulebook),
        "指标分析": _analysis(rows, card, rulebook),
        **_score(card, unit, rulebook),
        "存在问题": _problems(rows, findings, rulebook),
        "需修改": report.errors > 0,
        "错误数": str(report.errors),
        "警告数": str(report.warnings),
        "修改清单": _to_fix(findings),
        "自评表": Path(report.path).name,
        "生成工具": f"perfxl {__version__}",
    }
    return ctx
