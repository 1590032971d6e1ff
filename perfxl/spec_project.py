"""The second kind: 项目支出绩效自评表 in the national layout (财预〔2020〕10号 附件1).

One form per sheet, every block found by its labels anywhere on the sheet (bureaus hand
the form out as they received it, and its rows and columns move).  The labels written
first are binding for what perfxl writes; the aliases are what others' copies use.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping

from perfxl.spec import (
    COMPLETIONS,
    LEVEL2_ALL,
    LEVELS,
    Column,
    Computed,
    FormField,
    RowSpec,
    TableSheet,
    TemplateSpec,
    sums_of_parts,
)

__all__ = [
    "FormBlock", "TableBlock", "TotalBlock", "FormPage", "PROJECT_PAGE", "YEAR_LABEL",
    "MONEY", "GOALS_BLOCK", "INDICATOR_BLOCK", "TOTAL_BLOCK", "PROJECT_FIELDS", "PROJECT", "PROJECT_TEMPLATE_ID",
    "MONEY_TABLE",
]


@dataclass(frozen=True)
class FormBlock:
    """Labelled values anywhere on the sheet: the value sits right of its label."""

    role: str
    fields: tuple[FormField, ...]


@dataclass(frozen=True)
class TableBlock:
    """A table found by its header labels anywhere on the sheet.

    ``rows`` are fixed rows found by their labels left of the first data column (in any
    column: a block label merged down column A often stands beside them); an empty
    ``rows`` means free rows down to the next block.  ``key_columns`` are the header
    labels that identify this table (a row holding at least ``min_keys`` of them).
    """

    role: str
    title: str  # the block's own label (项目资金（万元）, 年度总体目标, 绩效指标)
    columns: tuple[Column, ...]
    rows: tuple[RowSpec, ...] = ()
    balances: tuple[tuple[str, tuple[str, ...]], ...] = ()
    key_columns: tuple[str, ...] = ()
    min_keys: int = 2
    title_aliases: tuple[str, ...] = ()
    model: str = ""  # the attribute of perfxl.model.Unit its rows are read into

    def column(self, key: str) -> Column:
        for c in self.columns:
            if c.key == key:
                return c
        raise KeyError(key)

    def row_spec(self, key: str) -> RowSpec:
        for r in self.rows:
            if r.key == key:
                return r
        raise KeyError(key)


@dataclass(frozen=True)
class TotalBlock:
    """The 总分 row: its label left, its 分值 and 得分 in the indicator table's columns."""

    role: str
    label: str
    aliases: tuple[str, ...]
    columns: tuple[str, ...]  # indicator column keys read on this row
    of: str = "indicators"  # the role of the free table whose rows it ends


@dataclass(frozen=True)
class FormPage:
    """One sheet holding a whole unit, found block by block."""

    name: str  # the sheet name perfxl writes
    title: str
    year_label: str  # how the year line is written: '（{year}年度）'
    blocks: tuple[FormBlock | TableBlock | TotalBlock, ...]  # in the order they stand on the sheet
    aliases: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # label → what others write
    anchors: tuple[str, ...] = ()  # roles of the tables whose presence makes a sheet a form

    @property
    def tables(self) -> tuple[TableBlock, ...]:
        return tuple(b for b in self.blocks if isinstance(b, TableBlock))

    def block(self, role: str) -> FormBlock | TableBlock | TotalBlock:
        for b in self.blocks:
            if b.role == role:
                return b
        raise KeyError(role)


YEAR_LABEL = "（{year}年度）"

PROJECT_FIELDS = FormBlock(
    role="profile",
    fields=(
        FormField("name", "项目名称", "text", True),
        FormField("department", "主管部门", "text", True),
        FormField("implementer", "实施单位", "text", True),
    ),
)

_TOTAL_ONLY = ("weight", "rate", "score")

MONEY = TableBlock(
    role="budget",
    title="项目资金（万元）",
    title_aliases=("项目资金(万元)", "项目资金"),
    columns=(
        Column("item", "项目", "label", label_en="item"),
        Column("initial", "年初预算数", "amount", label_en="initial budget"),
        Column("adjusted", "全年预算数", "amount", label_en="full-year budget"),
        Column("actual", "全年执行数", "amount", label_en="spending"),
        Column("weight", "分值", "number", label_en="weight"),
        Column("rate", "执行率", "rate", computed=True, label_en="execution rate"),
        Column("score", "得分", "number", computed=True, label_en="score"),
        Column("reason", "原因", "text", label_en="reason"),
    ),
    rows=(
        RowSpec("total", "年度资金总额", parts=("current", "carryover", "other", "special", "own"),
                label_en="Total funds"),
        # A source row has amounts only: 分值, 执行率 and 得分 are the total's ('—' on the form).
        RowSpec("current", "其中：当年财政拨款", indent=1, label_en="Current-year appropriation", na=_TOTAL_ONLY),
        RowSpec("carryover", "上年结转资金", indent=1, label_en="Carried over from last year", na=_TOTAL_ONLY),
        RowSpec("other", "其他资金", indent=1, label_en="Other funds", na=_TOTAL_ONLY),
        # Rows of others' copies (Sichuan): sources of their own, summed into the total.
        RowSpec("special", "财政专户管理资金", indent=1, label_en="Special-account funds", na=_TOTAL_ONLY),
        RowSpec("own", "单位资金", indent=1, label_en="The unit's own funds", na=_TOTAL_ONLY),
    ),
    balances=(("total", ("current", "carryover", "other", "special", "own")),),
    key_columns=("initial", "adjusted", "actual", "rate"),
    model="budget",
)
# Rows perfxl writes; the others are read where a bureau's copy has them.
MONEY_WRITTEN = ("total", "current", "carryover", "other")
MONEY_OPTIONAL = ("special", "own")

GOALS_BLOCK = TableBlock(
    role="goals",
    title="年度总体目标",
    columns=(
        Column("goal", "预期目标", "text", width=40, label_en="expected goal"),
        Column("result", "实际完成情况", "text", width=40, label_en="what was done"),
    ),
    key_columns=("goal", "result"),
    model="goals",
)

INDICATOR_BLOCK = TableBlock(
    role="indicators",
    title="绩效指标",
    columns=(
        Column("level1", "一级指标", "choice", choices=tuple(LEVELS), label_en="level-1 indicator"),
        Column("level2", "二级指标", "choice", choices=LEVEL2_ALL, label_en="level-2 indicator"),
        Column("name", "三级指标", "text", label_en="name"),
        Column("target", "年度指标值", "value", label_en="target"),
        Column("actual", "实际完成值", "value", label_en="actual value"),
        Column("weight", "分值", "number", label_en="weight"),
        Column("self_score", "得分", "number", label_en="self-score"),
        Column("reason", "偏差原因分析及改进措施", "text", label_en="explanation"),
        # Others' copies split the target under a two-row header (指标性质 | 指标值 | 度量单位)
        # or add a 完成情况 column; perfxl does not write these.
        Column("direction", "指标性质", "choice", label_en="direction"),
        Column("unit", "度量单位", "text", label_en="unit"),
        Column("completion", "完成情况", "choice", choices=COMPLETIONS, label_en="completion"),
    ),
    key_columns=("level1", "level2", "name"),
    model="indicators",
)
INDICATOR_WRITTEN = ("level1", "level2", "name", "target", "actual", "weight", "self_score", "reason")

TOTAL_BLOCK = TotalBlock(role="total", label="总分", aliases=("合计", "总计", "总得分"),
                         columns=("weight", "self_score"))

# Labels of others' copies (TEMPLATE-project.md, "label variants"): binding label → aliases.
ALIASES: dict[str, tuple[str, ...]] = {
    "年度资金总额": ("资金总额", "年度资金总额：", "年度资金总额:"),
    "其中：当年财政拨款": ("其中：本年财政拨款", "其中:财政拨款", "当年财政拨款", "本年财政拨款", "财政拨款",
                    "其中：财政拨款"),
    "上年结转资金": ("上年结余结转资金", "上年结转结余资金", "上年结余资金"),
    "其他资金": ("其它资金",),
    "得分": ("自评得分",),
    "年度指标值": ("指标值", "年度目标值"),
    "实际完成值": ("全年实际值", "完成值", "实际值", "全年实际完成值"),
    "偏差原因分析及改进措施": ("偏差原因分析", "未完成原因分析", "偏差原因分析及改进措施说明"),
    "年初预算数": ("年初预算",),
    "全年预算数": ("调整后预算数", "全年预算", "调整后预算"),
    "全年执行数": ("预算执行数", "全年执行", "执行数"),
    "执行率": ("预算执行率",),
    "分值": ("权重",),
    "原因": ("偏差原因",),
    "实际完成情况": ("全年实际完成情况", "实际完成", "年度总体目标完成情况"),
    "预期目标": ("年度预期目标", "总体目标"),
    "项目名称": (),
    "主管部门": ("主管部门（单位）", "主管单位"),
    "实施单位": ("项目实施单位", "实施单位（盖章）"),
}

PROJECT_PAGE = FormPage(
    name="项目支出绩效自评表",
    title="项目支出绩效自评表",
    year_label=YEAR_LABEL,
    blocks=(PROJECT_FIELDS, MONEY, GOALS_BLOCK, INDICATOR_BLOCK, TOTAL_BLOCK),
    aliases=ALIASES,
    anchors=("budget", "indicators"),
)



# The computed cells perfxl's project template writes as formulas, declared for
# perfxl.computed (the same engine as the 部门整体 kind): 年度资金总额 = its sources in each
# amount column, 执行率 = 全年执行数 ÷ 全年预算数.  Others' copies type these cells; a
# figure that is not what the formula gives is reported by the codes named here.
PROJECT_TEMPLATE_ID = "perfxl.project-self-eval"
MONEY_TABLE = TableSheet(
    name=PROJECT_PAGE.name,
    title=MONEY.title,
    columns=MONEY.columns,
    rows=MONEY.rows,
    balances=MONEY.balances,
    computed=(
        *sums_of_parts(MONEY.rows, ("initial", "adjusted", "actual"), code="J004"),
        Computed("total", "rate", "ratio", (("total", "actual"), ("total", "adjusted")), code="J005"),
    ),
    model="budget",
)
PROJECT = TemplateSpec(
    template_id=PROJECT_TEMPLATE_ID,
    version=1,
    title=PROJECT_PAGE.title,
    sheets=(MONEY_TABLE,),
    aliases=ALIASES,
)
