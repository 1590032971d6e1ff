"""Project forms in the national layout (财预〔2020〕10号 附件1), the way bureaus' copies look.

This writer stands in for everyone who is not perfxl: a bureau's .xls handed down from the
province, a department's own copy.  It knows nothing of perfxl.  It takes form data dicts
(the contract of design-13.md) and writes one form per sheet, several forms per workbook if
asked, as .xlsx or .xls, in any of the layout variants that published tables show
(TEMPLATE-project.md, "Label variants" and "What published tables look like").

    layouts = write_workbook("p001.xls", [Form(sheet="表1", data=form, variant="sichuan")],
                             cover=["示例县2023年度项目支出绩效自评表", "主管部门：…"])
    layouts[0].cells["budget.total.actual"]   # 'F7'

A variant is a :class:`Variant` (every switch), the name of one of :data:`PRESETS`, or a
dict of switches laid over the ``national`` preset.  Each returned :class:`FormLayout` gives
the sheet and the A1 address of every field, money cell, indicator cell and the 总分 cells,
keyed ``name``, ``budget.total.actual``, ``goals.0.result``, ``indicators.3.self_score``,
``total.self_score`` … (the data contract's own paths).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .grid import Grid, save
from .rules import PLACEHOLDER_NAMES, WEIGHTS, parse_target

__all__ = ["Variant", "PRESETS", "Form", "FormLayout", "write_workbook", "layout", "variant_of", "LABELS"]

# The binding labels (TEMPLATE-project.md), by key; a variant overrides some of them.
LABELS: dict[str, str] = {
    "title": "项目支出绩效自评表", "name": "项目名称", "department": "主管部门", "implementer": "实施单位",
    "money": "项目资金（万元）", "total": "年度资金总额", "current": "其中：当年财政拨款",
    "carryover": "上年结转资金", "other": "其他资金", "special": "财政专户管理资金", "own": "单位资金",
    "initial": "年初预算数", "adjusted": "全年预算数", "actual_money": "全年执行数", "weight": "分值",
    "rate": "执行率", "score": "得分", "note": "原因", "goals": "年度总体目标", "goal": "预期目标",
    "result": "实际完成情况", "indicators": "绩效指标", "level1": "一级指标", "level2": "二级指标",
    "name3": "三级指标", "target": "年度指标值", "actual": "实际完成值",
    "reason": "偏差原因分析及改进措施", "direction": "指标性质", "unit": "度量单位", "total_row": "总分",
    "total_weight_only": "合计",
}
# Sichuan's money block names its columns its own way.
_SICHUAN = {"initial": "年初预算", "adjusted": "调整后预算数", "actual_money": "预算执行数",
            "rate": "预算执行率", "weight": "权重"}
# Labels as they come out of merged cells: spaced, broken, with full-width spaces.
_SPACED = {"name": "项 目 名 称", "department": "主\u3000管\u3000部\u3000门", "implementer": "实 施 单 位",
           "money": "项目\n资金\n（万元）", "goals": "年度\n总体\n目标", "indicators": "绩 效 指 标"}
_MONEY_COLUMNS = {
    "national": ("initial", "adjusted", "actual", "weight", "rate", "score"),
    "no_initial": ("adjusted", "actual", "weight", "rate", "score"),
    "rate_first": ("initial", "adjusted", "actual", "rate", "weight", "score"),
    "sichuan": ("initial", "adjusted", "actual", "rate", "weight", "score", "note"),
}
_MONEY_ROWS = {"national": ("total", "current", "carryover", "other"),
               "sichuan": ("total", "current", "carryover", "special", "own")}
# Column widths by what the column holds.
_WIDTH = {"block": 12, "level1": 11, "level2": 14, "name": 26, "direction": 8, "target": 14, "unit": 10,
          "actual": 14, "weight": 9, "self_score": 9, "reason": 26}


@dataclass(frozen=True)
class Variant:
    """Every way a published 项目支出绩效自评表 departs from the binding layout.

    The defaults are the binding layout itself (``PRESETS["national"]``)."""

    name: str = "national"
    year_style: str = "paren"         # paren （2023年度）| plain 2023年度 | spaced （ 2023 年度 ）| fill 填报年度：2023
    punct: str = "full"               # full ：（） | half :()
    spaced_labels: bool = False       # 项 目 名 称, 年度资金\n总额, 绩 效 指 标, full-width spaces
    labels: Mapping[str, str] = field(default_factory=dict)  # label key → the text this copy uses
    money: str = "national"           # national | no_initial | rate_first | sichuan
    sub_rows: str = "dash"            # dash (— in 分值/得分) | numbers (repeated) | blank
    target_split: bool = False        # 指标性质 | 指标值 | 度量单位 under a two-row merged header
    name_prefix: bool = False         # 指标1：… on the 三级指标
    placeholders: bool = False        # …… rows and empty category rows left in
    weights_in_level1: bool = False   # 产出指标（50分）
    star_parents: bool = False        # ★ parent rows with unweighted 其中… children
    weight_column: bool = True        # False: no 分值 column (the form cannot be scored)
    odd_signs: bool = False           # ≧ for ≥, ﹦ (U+FE66) for =
    units_in_numbers: bool = False    # 864.2万, 100分, 75元 in number cells
    percent_text: bool = False        # 99% and 97.31% as text
    mixed_decimals: bool = False      # 20 and 20.00 (text) in one 分值 column
    total_row: str = "score"          # score | missing | weight_only (合计 100) | text (100分)
    cover_rows: bool = False          # rows above the form (附件1, a note)
    merge_levels: bool = True         # 一级/二级 merged down their groups (else blank under the first)


PRESETS: dict[str, Variant] = {v.name: v for v in (
    Variant(),
    Variant(name="spaced", year_style="spaced", punct="half", spaced_labels=True, odd_signs=True,
            labels={"current": "其中：财政拨款", "score": "自评得分"}),
    Variant(name="no-initial", year_style="plain", money="no_initial", sub_rows="numbers",
            units_in_numbers=True, total_row="text",
            labels={"current": "其中：本年财政拨款", "target": "指标值", "actual": "全年实际值", "reason": "偏差原因分析"}),
    Variant(name="sichuan", year_style="fill", money="sichuan", weights_in_level1=True, mixed_decimals=True,
            total_row="weight_only", labels={"total": "年度资金总额：", "current": "其中：财政拨款"}),
    Variant(name="split-target", target_split=True, name_prefix=True, placeholders=True, percent_text=True,
            cover_rows=True,
            labels={"total": "资金总额", "carryover": "上年结余结转资金", "reason": "未完成原因分析"}),
    Variant(name="star", money="rate_first", sub_rows="numbers", star_parents=True, odd_signs=True,
            mixed_decimals=True, total_row="missing",
            labels={"current": "当年财政拨款", "target": "年度目标值", "actual": "完成值"}),
    Variant(name="flat", year_style="plain", merge_levels=False, placeholders=True, percent_text=True,
            sub_rows="blank", labels={"target": "年度目标值", "actual": "完成值"}),
    Variant(name="no-weight", weight_column=False, labels={"current": "财政拨款"}),
)}


def variant_of(spec: Variant | str | Mapping[str, Any] | None) -> Variant:
    """A :class:`Variant` from a preset name, a dict of switches over ``national``, or itself."""
    if spec is None:
        return PRESETS["national"]
    if isinstance(spec, Variant):
        return spec
    if isinstance(spec, str):
        try:
            return PRESETS[spec]
        except KeyError:
            raise ValueError(f"unknown variant {spec!r}: one of {', '.join(PRESETS)}") from None
    return dataclasses.replace(PRESETS["national"], **{"name": "custom", **dict(spec)})


@dataclass(frozen=True)
class Form:
    """One form to write: its sheet name, its data dict and its variant."""

    sheet: str
    data: Mapping[str, Any]
    variant: Variant | str | Mapping[str, Any] | None = None


@dataclass(frozen=True)
class FormLayout:
    """Where a written form's fields are: ``cells`` maps a field path to its A1 address."""

    sheet: str
    variant: str
    cells: dict[str, str]


def write_workbook(path: str | Path, forms: Sequence[Form], *, cover: Sequence[str] | None = None,
                   notes: Sequence[str] | None = None) -> list[FormLayout]:
    """Write ``forms`` (one per sheet) to ``path`` (.xlsx or .xls); returns their layouts.

    ``cover`` (title line first) adds a first sheet 封面 and ``notes`` a last sheet 填表说明:
    sheets of a bureau's workbook that are not forms."""
    grids: list[Grid] = []
    if cover:
        grids.append(_text_sheet("封面", cover, cover=True))
    layouts = []
    for f in forms:
        grid, cells = layout(f.data, f.variant, sheet=f.sheet)
        grids.append(grid)
        layouts.append(FormLayout(f.sheet, variant_of(f.variant).name, cells))
    if notes:
        grids.append(_text_sheet("填表说明", notes, cover=False))
    save(path, grids)
    return layouts


def _text_sheet(name: str, lines: Sequence[str], *, cover: bool) -> Grid:
    g = Grid(name)
    g.widths[0] = 100
    for i, line in enumerate(lines):
        r = i * 2 + 3 if cover else i
        g.put(r, 0, line, "cover" if cover and i == 0 else ("subtitle" if cover else "plain"))
        g.heights[r] = 40 if cover and i == 0 else 22
    return g


# --------------------------------------------------------------------------- layout


class _Form:
    """The layout of one form, row by row; ``cells`` collects field → A1 as it goes."""

    def __init__(self, data: Mapping[str, Any], v: Variant, sheet: str) -> None:
        self.d, self.v, self.g = data, v, Grid(sheet)
        self.cells: dict[str, str] = {}
        cols: list[str] = ["level1", "level2", "name"]
        cols += ["direction", "target", "unit"] if v.target_split else ["target"]
        cols += ["actual"] + (["weight"] if v.weight_column else []) + ["self_score", "reason"]
        self.icols = {k: i + 1 for i, k in enumerate(cols)}  # indicator key → column (A is the block label)
        self.last = len(cols)
        self.half = 4 if self.last <= 8 else 5
        self.r = 0

    # labels -------------------------------------------------------------------
    def label(self, key: str) -> str:
        v = self.v
        text = v.labels.get(key) or (_SICHUAN.get(key) if v.money == "sichuan" else None) or LABELS[key]
        if v.spaced_labels:
            text = _SPACED.get(key, text)
            if key == "total":
                text = text.replace("资金总额", "资金\n总额")
        return self.punct(text)

    def punct(self, text: str) -> str:
        if self.v.punct == "half":
            return text.replace("：", ":").replace("（", "(").replace("）", ")")
        return text

    def year_text(self) -> str:
        y = self.d.get("year")
        if self.v.year_style == "paren":
            return self.punct(f"（{y}年度）")
        return {"plain": f"{y}年度", "spaced": f"（ {y} 年度 ）", "fill": f"填报年度：{y}"}[self.v.year_style]

    # values -------------------------------------------------------------------
    def money(self, v: Any) -> Any:
        if isinstance(v, (int, float)) and self.v.units_in_numbers and v:
            return f"{v:.2f}".rstrip("0").rstrip(".") + "万"
        return v

    def percent(self, ratio: float | None) -> Any:
        if ratio is None:
            return None
        return f"{ratio * 100:.2f}%" if self.v.percent_text else round(ratio, 4)

    def sign(self, text: Any) -> Any:
        if isinstance(text, str) and self.v.odd_signs:
            return text.replace("≥", "≧").replace("=", "﹦", 1) if text.startswith(("≥", "=")) else text
        return text

    def actual(self, value: Any, unit: str) -> Any:
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            return value
        n = f"{value:g}"
        if unit and (self.v.units_in_numbers or (unit == "%" and self.v.percent_text)):
            return f"{n}{unit}"
        return value

    # blocks -------------------------------------------------------------------
    def build(self) -> tuple[Grid, dict[str, str]]:
        g, last = self.g, self.last
        if self.v.cover_rows:
            g.put(self.r, 0, "附件1", "note")
            self.r += 1
            g.merge(self.r, 0, self.r, last, self.punct("（由项目实施单位填报，主管部门审核汇总；金额单位：万元）"), "note")
            self.r += 1
        g.merge(self.r, 0, self.r, last, self.label("title"), "title")
        g.heights[self.r] = 32
        self.r += 1
        self.cells["year"] = g.merge(self.r, 0, self.r, last, self.year_text(), "subtitle")
        g.heights[self.r] = 20
        self.r += 1
        self.profile()
        self.budget()
        self.goals()
        self.indicators()
        self.total()
        for key, c in self.icols.items():
            g.widths[c] = _WIDTH[key]
        g.widths[0] = _WIDTH["block"]
        return g, self.cells

    def profile(self) -> None:
        g, r, last, h = self.g, self.r, self.last, self.half
        g.put(r, 0, self.label("name"), "label")
        self.cells["name"] = g.merge(r, 1, r, last, self.d.get("name"), "text")
        r += 1
        g.put(r, 0, self.label("department"), "label")
        self.cells["department"] = g.merge(r, 1, r, h - 1, self.d.get("department"), "text")
        g.put(r, h, self.label("implementer"), "label")
        self.cells["implementer"] = g.merge(r, h + 1, r, last, self.d.get("implementer"), "text")
        g.heights[r - 1] = g.heights[r] = 28
        self.r = r + 1

    def budget(self) -> None:
        g, v, last = self.g, self.v, self.last
        cols = _MONEY_COLUMNS[v.money]
        rows = _MONEY_ROWS["sichuan" if v.money == "sichuan" else "national"]
        first = last + 1 - len(cols)  # the amount columns take the right-hand side
        top = self.r
        g.merge(top, 0, top + len(rows), 0, self.label("money"), "label")
        g.merge(top, 1, top, first - 1, None, "label")
        names = {"actual": "actual_money"}
        for k, key in enumerate(cols):
            g.put(top, first + k, self.label(names.get(key, key)), "head")
        g.heights[top] = 30
        budget = self.d.get("budget") or {}
        for i, row in enumerate(rows, start=1):
            r = top + i
            text = self.label(row)
            g.merge(r, 1, r, first - 1, text, "label" if row == "total" else "text")
            values = budget.get(row) or {}
            for k, key in enumerate(cols):
                addr = g.put(r, first + k, *self.money_cell(row, key, values))
                self.cells[f"budget.{row}.{key}"] = addr
            span = sum(_WIDTH[k] for k, c in self.icols.items() if 1 <= c < first)
            wraps = "\n" in text or len(text) > span // 2 - 1  # a long label in a narrow span wraps
            g.heights[r] = 30 if wraps else 20
        self.r = top + len(rows) + 1

    def money_cell(self, row: str, key: str, values: Mapping[str, Any]) -> tuple[Any, str]:
        if key in ("initial", "adjusted", "actual"):
            v = self.money(values.get(key))
            return v, "center" if isinstance(v, str) else "money"
        if key == "note":
            return values.get("note"), "text"
        adjusted, actual = values.get("adjusted"), values.get("actual")
        ratio = (actual / adjusted if isinstance(adjusted, (int, float)) and adjusted
                 and isinstance(actual, (int, float)) else None)
        if row == "total":
            if key == "weight":
                w = values.get("weight", 10)
                return (f"{w}分" if self.v.units_in_numbers else w), "num"
            if key == "rate":
                rate = values["rate"] if "rate" in values else self.percent(ratio)
                return rate, "center" if isinstance(rate, str) else "pct"
            return values.get("score"), "num2"
        # a source row: 分值 and 得分 shown as —, repeated as numbers, or left blank
        if self.v.sub_rows == "dash":
            return ("—", "center") if key in ("weight", "score") else (None, "pct")
        if self.v.sub_rows == "numbers" and ratio is not None:
            if key == "weight":
                return 10, "num"
            if key == "rate":
                rate = self.percent(ratio)
                return rate, "center" if isinstance(rate, str) else "pct"
            return round(min(ratio, 1.0) * 10, 2), "num2"
        return None, "pct" if key == "rate" else "num"

    def goals(self) -> None:
        g, last, h = self.g, self.last, self.half
        goals = list(self.d.get("goals") or [{}])
        top = self.r
        g.merge(top, 0, top + len(goals), 0, self.label("goals"), "label")
        g.merge(top, 1, top, h, self.label("goal"), "head")
        g.merge(top, h + 1, top, last, self.label("result"), "head")
        for i, goal in enumerate(goals):
            r = top + 1 + i
            self.cells[f"goals.{i}.goal"] = g.merge(r, 1, r, h, goal.get("goal"), "text")
            self.cells[f"goals.{i}.result"] = g.merge(r, h + 1, r, last, goal.get("result"), "text")
            g.heights[r] = 66
        self.r = top + 1 + len(goals)

    def indicators(self) -> None:
        g, v, ic = self.g, self.v, self.icols
        top = self.r
        header_rows = 2 if v.target_split else 1
        heads = {"level1": "level1", "level2": "level2", "name": "name3", "target": "target", "actual": "actual",
                 "weight": "weight", "self_score": "score", "reason": "reason"}
        for key, c in ic.items():
            if key in ("direction", "unit"):
                continue
            if v.target_split and key == "target":
                g.merge(top, ic["direction"], top, ic["unit"], self.label("target"), "head")
                for k in ("direction", "target", "unit"):
                    g.put(top + 1, ic[k], self.label(k) if k != "target" else "指标值", "head")
                continue
            g.merge(top, c, top + header_rows - 1, c, self.label(heads[key]), "head")
        g.heights[top] = 30
        r = top + header_rows
        for level1, group in _groups(list(enumerate(self.d.get("indicators") or [])), "level1"):
            g1 = r
            for level2, sub in _groups(group, "level2"):
                g2 = r
                for n, (i, d) in enumerate(sub, start=1):
                    r = self.indicator_row(r, i, d, n)
                if v.placeholders and level2 in ("数量指标", "社会效益指标"):
                    g.put(r, ic["name"], self.punct(f"指标{len(sub) + 1}：") if v.name_prefix else "……", "text")
                    self.blank_row(r, skip=("level1", "level2", "name"))
                    r += 1
                self.level_cell(g2, r - 1, "level2", level2, [i for i, _ in sub])
            if v.placeholders and level1 == "效益指标":
                used = {d.get("level2") for _, d in group}
                empty = next(x for x in ("经济效益指标", "生态效益指标", "可持续影响指标") if x not in used)
                self.level_cell(r, r, "level2", empty, [])
                self.blank_row(r, skip=("level1", "level2"))
                r += 1
            label = f"{level1}（{WEIGHTS.get(level1, '')}分）" if v.weights_in_level1 else level1
            self.level_cell(g1, r - 1, "level1", self.punct(label), [i for i, _ in group])
        g.merge(top, 0, r - 1, 0, self.label("indicators"), "label")
        self.r = r

    def level_cell(self, r1: int, r2: int, key: str, text: str, indices: Sequence[int]) -> None:
        """The 一级/二级 label of rows r1..r2: merged down, or written once above blanks."""
        c = self.icols[key]
        if self.v.merge_levels:
            addr = self.g.merge(r1, c, r2, c, text, "center")
        else:
            addr = self.g.put(r1, c, text, "center")
            for r in range(r1 + 1, r2 + 1):
                self.g.put(r, c, None, "center")
        for i in indices:
            self.cells[f"indicators.{i}.{key}"] = addr

    def blank_row(self, r: int, skip: tuple[str, ...]) -> None:
        for key, c in self.icols.items():
            if key not in skip:
                self.g.put(r, c, None, "text")

    def indicator_row(self, r: int, i: int, d: Mapping[str, Any], n: int) -> int:
        g, v, ic = self.g, self.v, self.icols
        star = v.star_parents and d.get("children")
        name = d.get("name")
        if isinstance(name, str) and not PLACEHOLDER_NAMES.match(name):  # a placeholder stays as it is
            name = ("★" if star else "") + (self.punct(f"指标{n}：") if v.name_prefix else "") + name
        key = f"indicators.{i}"
        self.cells[f"{key}.name"] = g.put(r, ic["name"], name, "text")
        self.target_cells(r, key, d.get("target"))
        t = parse_target(d.get("target"))
        self.cells[f"{key}.actual"] = g.put(r, ic["actual"], self.actual(d.get("actual"), t.unit), "center")
        if v.weight_column:
            w = d.get("weight")
            if v.mixed_decimals and isinstance(w, (int, float)) and i % 2:
                w = f"{w:.2f}"
            self.cells[f"{key}.weight"] = g.put(r, ic["weight"], w, "num" if not isinstance(w, str) else "center")
        self.cells[f"{key}.self_score"] = g.put(r, ic["self_score"], d.get("self_score"), "num")
        self.cells[f"{key}.reason"] = g.put(r, ic["reason"], d.get("reason"), "text")
        g.heights[r] = max(30, 14 * self.lines(d.get("reason"), "reason") + 4)
        r += 1
        for child in (d.get("children") or []) if star else []:
            g.put(r, ic["name"], self.punct(child.get("name", "")), "text")
            self.target_cells(r, None, child.get("target"))
            g.put(r, ic["actual"], self.actual(child.get("actual"), parse_target(child.get("target")).unit), "center")
            self.blank_row(r, skip=("level1", "level2", "name", "direction", "target", "unit", "actual"))
            g.heights[r] = 22
            r += 1
        return r

    @staticmethod
    def lines(text: Any, key: str) -> int:
        """How many lines ``text`` takes in a column of ``key``'s width (a CJK character is two units)."""
        per_line = max(1, int(_WIDTH[key] / 2) - 1)
        return -(-len(str(text or "")) // per_line)

    def target_cells(self, r: int, key: str | None, target: Any) -> None:
        g, ic = self.g, self.icols
        if not self.v.target_split:
            addr = g.put(r, ic["target"], self.sign(target), "center")
            if key:
                self.cells[f"{key}.target"] = addr
            return
        t = parse_target(target)
        if t.direction == "qual":
            parts = ("定性", target, None)
        else:
            sign = self.sign(t.sign) if t.sign else "="
            value = int(t.value) if t.value is not None and t.value.is_integer() else t.value
            parts = (sign, value, t.unit or None)
        for k, value in zip(("direction", "target", "unit"), parts):
            addr = g.put(r, ic[k], value, "center")
            if key:
                self.cells[f"{key}.{k}"] = addr

    def total(self) -> None:
        g, v, ic = self.g, self.v, self.icols
        if v.total_row == "missing":
            return
        r = self.r
        first = ic["weight"] if v.weight_column else ic["self_score"]
        label = self.label("total_weight_only" if v.total_row == "weight_only" else "total_row")
        g.merge(r, 0, r, first - 1, label, "label")
        total = self.d.get("total") or {}
        score = total.get("self_score")
        if v.weight_column:
            w = total.get("weight", 100)
            w = f"{w}分" if v.total_row == "text" else w
            self.cells["total.weight"] = g.put(r, ic["weight"], w, "num" if not isinstance(w, str) else "center")
        if v.total_row == "weight_only":
            score = None
        elif v.total_row == "text" and isinstance(score, (int, float)):
            score = f"{score:g}分"
        addr = g.put(r, ic["self_score"], score, "num" if not isinstance(score, str) else "center")
        if v.total_row != "weight_only":  # 合计 100 holds no score
            self.cells["total.self_score"] = addr
        g.put(r, ic["reason"], None, "text")
        g.heights[r] = 24
        self.r = r + 1


def _groups(pairs: Sequence[tuple[int, Mapping[str, Any]]], key: str) -> list[tuple[str, list]]:
    """Runs of equal ``key`` in order, as (value, [(index, item), …])."""
    out: list[tuple[str, list]] = []
    for i, d in pairs:
        value = d.get(key) or ""
        if out and out[-1][0] == value:
            out[-1][1].append((i, d))
        else:
            out.append((value, [(i, d)]))
    return out


def layout(data: Mapping[str, Any], variant: Variant | str | Mapping[str, Any] | None = None,
           *, sheet: str = "项目支出绩效自评表") -> tuple[Grid, dict[str, str]]:
    """The grid of one form and its field → A1 map, without writing anything."""
    return _Form(data, variant_of(variant), sheet).build()
