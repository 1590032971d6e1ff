"""The workbook contract: sheet names, labels, field types and positions.

This module is the single source of truth for the 部门整体支出绩效自评表 (template v1).
The template writer, the reader, the rules and the annotator all take sheet names,
labels and cell addresses from here; no other module spells a cell address by hand.

Layout: every sheet has its title in row 1 and a note in row 2.  Forms put the label in
column A and the value in column B (a note in C).  Tables have their header row in row 3
and their first data row in row 4; a table's row labels are in column A.  Form rows that
follow a table (``公务用车保有量（辆）``, ``自评等级``) sit one blank row below it.

A second kind of workbook (项目支出绩效自评表) will come; :class:`TemplateSpec` holds one kind
and :data:`SPECS` maps a template id to its spec.

Computed cells (the template's formulas) are data too: each table lists its
:class:`Computed` cells — what each one is (a sum of parts, a ratio or difference of two
columns, a SUMIF of a free table's column) and which rule reports a value typed over it.
:mod:`perfxl.computed` evaluates them over a read unit, so that a workbook whose formulas
were never calculated is judged exactly like one Excel saved.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Literal

__all__ = [
    "Kind",
    "FormField",
    "Column",
    "RowSpec",
    "FormSheet",
    "TableSheet",
    "TextSheet",
    "TemplateSpec",
    "Computed",
    "ColumnSum",
    "DEPT",
    "SPECS",
    "col_letter",
    "col_index",
    "addr",
    "split_addr",
    "LEVELS",
    "DIRECTIONS",
    "COMPLETIONS",
    "UNIT_TYPES",
    "GRADES",
    "QUALITATIVE",
    "FIRST_YEAR",
    "year_range",
]

# What a cell holds, which decides how the reader parses it and how the writer formats it.
Kind = Literal[
    "text",  # free text
    "label",  # a fixed row label written by the template
    "year",  # integer year, e.g. 2023
    "int",  # integer >= 0
    "amount",  # 万元, two decimals
    "rate",  # a ratio stored as a number, shown as a percentage
    "number",  # any number (分值, 自评得分)
    "value",  # an indicator value: a number for ≥ ≤ =, text for 定性
    "uscc",  # 统一社会信用代码, 18 characters
    "phone",  # text that keeps leading zeros
    "date",  # a date
    "choice",  # one of a dropdown list
]

UNIT_TYPES: tuple[str, ...] = ("行政单位", "参照公务员法管理事业单位", "事业单位", "群团组织", "其他")

# 一级指标 → its valid 二级指标, in template order.
LEVELS: dict[str, tuple[str, ...]] = {
    "产出指标": ("数量指标", "质量指标", "时效指标", "成本指标"),
    "效益指标": ("经济效益指标", "社会效益指标", "生态效益指标", "可持续影响指标"),
    "满意度指标": ("服务对象满意度指标",),
}
LEVEL2_ALL: tuple[str, ...] = tuple(l2 for l2s in LEVELS.values() for l2 in l2s)

DIRECTIONS: tuple[str, ...] = ("≥", "≤", "=", "定性")

# 完成情况 for 定性 indicators, best first.
COMPLETIONS: tuple[str, ...] = ("达成年度指标", "部分达成年度指标并具有一定效果", "未达成年度指标且效果较差")
QUALITATIVE = "定性"

GRADES: tuple[str, ...] = ("优", "良", "中", "差")

# The evaluation years a workbook may be for (DOMAIN.md: a 评价年度 before 2015 or after
# the current year is refused).
FIRST_YEAR = 2015


def year_range() -> tuple[int, int]:
    """The evaluation years a workbook may be for: 2015 to the current year."""
    import time

    return FIRST_YEAR, time.localtime().tm_year


def col_letter(index: int) -> str:
    """1 → 'A', 27 → 'AA'."""
    letters = ""
    while index > 0:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def col_index(letters: str) -> int:
    """'A' → 1, 'AA' → 27."""
    n = 0
    for ch in letters.upper():
        n = n * 26 + (ord(ch) - 64)
    return n


def addr(row: int, col: int) -> str:
    """1-based row and column → an A1 address ('B3')."""
    return f"{col_letter(col)}{row}"


def split_addr(a1: str) -> tuple[int, int]:
    """'B3' → (3, 2): 1-based row and column."""
    i = 0
    while i < len(a1) and a1[i].isalpha():
        i += 1
    return int(a1[i:]), col_index(a1[:i])


@dataclass(frozen=True)
class FormField:
    """One labelled value of a form: label in column A, value in column B."""

    key: str
    label: str
    kind: Kind
    required: bool = False
    choices: tuple[str, ...] = ()
    note: str = ""


@dataclass(frozen=True)
class Column:
    """One column of a table, found by its header label."""

    key: str
    label: str
    kind: Kind
    computed: bool = False  # a template formula; never an input
    choices: tuple[str, ...] = ()
    width: float = 12
    label_en: str = ""  # how English messages name it


@dataclass(frozen=True)
class RowSpec:
    """One fixed row of a table (its label sits in column A).

    ``parts`` names the rows whose sum this row is; in a table whose amount columns are
    inputs, such a row is a computed total (a template formula the clerk may type over).
    ``na`` names columns that do not apply to this row (left blank and grey).
    """

    key: str
    label: str
    parts: tuple[str, ...] = ()
    na: tuple[str, ...] = ()
    indent: int = 0
    label_en: str = ""  # how English messages name it

    @property
    def name(self) -> str:
        """How a message names the row: its label without the form's '其中：' (the national
        form's 其中：当年财政拨款 is 当年财政拨款 in a sentence)."""
        return self.label.removeprefix("其中：")


@dataclass(frozen=True)
class ColumnSum:
    """The sum of one column of a free table (``sheet``), over the rows whose ``where``
    column holds ``equals`` — a SUMIF — or over every row when ``where`` is empty."""

    sheet: str
    col: str
    where: str = ""
    equals: str = ""


@dataclass(frozen=True)
class Computed:
    """A computed cell of a fixed table: a template formula that perfxl evaluates itself.

    ``op`` over ``args`` (``(row key, column key)`` cells of the same table):

    * ``sum``: the args plus, with ``over``, a column of a free table (SUMIF);
    * ``ratio``: args[0] ÷ args[1]; the cell shows blank when args[1] is 0
      (the template writes ``IF(C4=0,"",D4/C4)``);
    * ``diff``: args[0] − args[1].

    A SUM skips cells holding text, as Excel and LibreOffice do.  ``code`` is the rule that
    reports a number shown in the cell that is not what the formula gives (typed over it).
    """

    row: str
    col: str
    op: Literal["sum", "ratio", "diff"]
    args: tuple[tuple[str, str], ...] = ()
    over: ColumnSum | None = None
    code: str = ""


def sums_of_parts(rows: tuple["RowSpec", ...], cols: tuple[str, ...], code: str) -> tuple[Computed, ...]:
    """A SUM over its parts for every row with ``parts``, in each of ``cols``."""
    return tuple(Computed(r.key, c, "sum", tuple((p, c) for p in r.parts), code=code)
                 for r in rows if r.parts for c in cols)


def per_row(rows: tuple["RowSpec", ...], col: str, op: Literal["ratio", "diff"], a: str, b: str,
            code: str) -> tuple[Computed, ...]:
    """``col`` = ``a`` op ``b`` on every row (执行率, 较上年增减)."""
    return tuple(Computed(r.key, col, op, ((r.key, a), (r.key, b)), code=code) for r in rows if col not in r.na)


@dataclass(frozen=True)
class FormSheet:
    """A sheet of labelled values."""

    name: str
    title: str
    fields: tuple[FormField, ...]
    first_row: int = 3
    note: str = ""

    def row_of(self, key: str) -> int:
        """The 1-based row of a field."""
        for i, f in enumerate(self.fields):
            if f.key == key:
                return self.first_row + i
        raise KeyError(key)

    def cell(self, key: str) -> str:
        """The value cell of a field ('B5')."""
        return addr(self.row_of(key), 2)

    def field(self, key: str) -> FormField:
        for f in self.fields:
            if f.key == key:
                return f
        raise KeyError(key)


@dataclass(frozen=True)
class TableSheet:
    """A sheet holding one table: header row, then fixed rows or free rows.

    ``rows`` is empty for a table of free rows (goals, indicators); ``blank_rows`` is then
    how many input rows the template offers.  ``after`` holds form rows below the table.
    ``balances`` lists (total, parts) identities that must hold in every amount column.
    ``computed`` lists the table's formula cells (see :class:`Computed`).  ``model`` names
    the attribute of :class:`perfxl.model.Unit` that holds the table's rows.
    """

    name: str
    title: str
    columns: tuple[Column, ...]
    rows: tuple[RowSpec, ...] = ()
    blank_rows: int = 0
    after: tuple[FormField, ...] = ()
    balances: tuple[tuple[str, tuple[str, ...]], ...] = ()
    header_row: int = 3
    note: str = ""
    computed: tuple[Computed, ...] = ()
    model: str = ""

    @property
    def first_row(self) -> int:
        return self.header_row + 1

    @property
    def n_rows(self) -> int:
        """How many data rows the template writes."""
        return len(self.rows) if self.rows else self.blank_rows

    @property
    def last_row(self) -> int:
        return self.first_row + self.n_rows - 1

    def col_of(self, key: str) -> int:
        """The 1-based column of a column key in the template."""
        for i, c in enumerate(self.columns):
            if c.key == key:
                return i + 1
        raise KeyError(key)

    @cached_property
    def _columns_by_key(self) -> dict[str, Column]:
        return {c.key: c for c in self.columns}

    @cached_property
    def _rows_by_key(self) -> dict[str, tuple[int, RowSpec]]:
        return {r.key: (self.first_row + i, r) for i, r in enumerate(self.rows)}

    def column(self, key: str) -> Column:
        # Rules ask this for every row they judge: a dict, not a scan.
        return self._columns_by_key[key]

    def row_of(self, key: str) -> int:
        """The 1-based template row of a fixed row key."""
        return self._rows_by_key[key][0]

    def row_spec(self, key: str) -> RowSpec:
        return self._rows_by_key[key][1]

    def row_en(self, key: str) -> str:
        """English name of a fixed row, for English messages."""
        return self.row_spec(key).label_en

    def col_en(self, key: str) -> str:
        """English name of a column, for English messages."""
        return self.column(key).label_en

    def cell(self, row_key: str, col_key: str) -> str:
        """Template address of a fixed row's column ('D4')."""
        return addr(self.row_of(row_key), self.col_of(col_key))

    def after_row_of(self, key: str) -> int:
        """The 1-based row of a form row below the table (one blank row between)."""
        for i, f in enumerate(self.after):
            if f.key == key:
                return self.last_row + 2 + i
        raise KeyError(key)

    def after_cell(self, key: str) -> str:
        return addr(self.after_row_of(key), 2)

    def after_field(self, key: str) -> FormField:
        for f in self.after:
            if f.key == key:
                return f
        raise KeyError(key)

    @property
    def header(self) -> tuple[str, ...]:
        return tuple(c.label for c in self.columns)

    @cached_property
    def computed_cells(self) -> dict[tuple[str, str], Computed]:
        """(row key, column key) → its declaration, for every computed cell of the table."""
        return {(c.row, c.col): c for c in self.computed}


@dataclass(frozen=True)
class TextSheet:
    """A sheet of instructions: plain text the template writer fills."""

    name: str
    title: str


Sheet = FormSheet | TableSheet | TextSheet


@dataclass(frozen=True)
class TemplateSpec:
    """One kind of workbook: its id, major version and sheets in order."""

    template_id: str
    version: int
    title: str  # e.g. '部门整体支出绩效自评表'
    sheets: tuple[Sheet, ...]
    meta_sheet: str = "_perfxl"
    # Keys of the hidden meta sheet, in order (label in A, value in B).
    meta_keys: tuple[str, ...] = ("template_id", "template_version", "rulebook_id", "perfxl_version", "year")
    aliases: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def sheet(self, name: str) -> Sheet:
        for s in self.sheets:
            if s.name == name:
                return s
        raise KeyError(name)

    @property
    def sheet_names(self) -> tuple[str, ...]:
        return tuple(s.name for s in self.sheets)

    def sheet_order(self, name: str | None) -> int:
        """Position of a sheet for sorting findings; unknown sheets sort last."""
        if name is None:
            return -1
        names = self.sheet_names
        return names.index(name) if name in names else len(names)

    @property
    def tables(self) -> tuple[TableSheet, ...]:
        return tuple(s for s in self.sheets if isinstance(s, TableSheet))

    def table(self, name: str) -> TableSheet:
        s = self.sheet(name)
        if not isinstance(s, TableSheet):
            raise KeyError(name)
        return s

    def sheet_title(self, sheet: Sheet, year: int | None) -> str:
        """Row-1 title, e.g. '2023年度部门整体支出绩效自评表 — 预算执行'."""
        prefix = f"{year}年度" if year else ""
        return f"{prefix}{self.title} — {sheet.title}"


# ---------------------------------------------------------------------------
# 部门整体支出绩效自评表, template v1
# ---------------------------------------------------------------------------

INSTRUCTIONS = TextSheet(name="填报说明", title="填报说明")

PROFILE = FormSheet(
    name="基本信息",
    title="基本信息",
    note="黄色单元格为填报项；带 * 的项目必填。",
    fields=(
        FormField("year", "评价年度", "year", True, note="四位年份，如 2023"),
        FormField("name", "单位名称", "text", True),
        FormField("credit_code", "统一社会信用代码", "uscc", True, note="18 位，末位为校验码"),
        FormField("department", "主管部门", "text"),
        FormField("unit_type", "单位类型", "choice", True, UNIT_TYPES, note="下拉选择"),
        FormField("internal_orgs", "内设机构数", "int"),
        FormField("sub_orgs", "二级机构数", "int"),
        FormField("staff_quota", "编制人数", "int", True),
        FormField("staff_on_post", "在职人数", "int", True, note="在职人员控制率 = 在职人数 ÷ 编制人数"),
        FormField("retirees", "离退休人数", "int"),
        FormField("duties", "部门职能职责概述", "text", True),
        FormField("preparer", "填报人", "text", True),
        FormField("phone", "联系电话", "phone", True, note="按文本填写，保留区号前的 0"),
        FormField("fill_date", "填报日期", "date", True, note="如 2024-03-15"),
    ),
)

_AMOUNT_COLS = ("initial", "adjusted", "actual", "last_year")
_BUDGET_ROWS = (
    RowSpec("total", "资金总额", parts=("general", "fund", "special", "other"), label_en="Total funds"),
    RowSpec("general", "一般公共预算拨款", indent=1, label_en="General budget funds"),
    RowSpec("fund", "政府性基金预算拨款", indent=1, label_en="Government fund budget"),
    RowSpec("special", "专户管理非税收入拨款", indent=1, label_en="Special-account non-tax income"),
    RowSpec("other", "其他资金", indent=1, label_en="Other funds"),
    RowSpec("basic", "基本支出", parts=("staff", "public"), label_en="Basic spending"),
    RowSpec("staff", "人员经费", indent=1, label_en="Staff costs"),
    RowSpec("public", "公用经费", indent=1, label_en="Running costs"),
    RowSpec("project", "项目支出", label_en="Project spending"),
)

BUDGET = TableSheet(
    name="预算执行",
    title="预算执行",
    note="单位：万元。灰色单元格为自动计算。",
    columns=(
        Column("item", "项目", "label", width=22),
        Column("initial", "年初预算数", "amount", label_en="initial budget"),
        Column("adjusted", "全年预算数", "amount", label_en="full-year budget"),
        Column("actual", "全年执行数", "amount", label_en="spending"),
        Column("last_year", "上年执行数", "amount", label_en="last year's spending"),
        Column("rate", "执行率", "rate", computed=True, label_en="execution rate"),
        Column("change", "较上年增减", "amount", computed=True, label_en="change on last year"),
        Column("note", "偏差说明", "text", width=40),
    ),
    rows=_BUDGET_ROWS,
    balances=(
        ("total", ("general", "fund", "special", "other")),
        ("total", ("basic", "project")),
        ("basic", ("staff", "public")),
    ),
    # 资金总额 and 基本支出 are SUMs of their parts; 执行率 and 较上年增减 formulas on every row.
    computed=(
        *sums_of_parts(_BUDGET_ROWS, _AMOUNT_COLS, "B001"),
        *per_row(_BUDGET_ROWS, "rate", "ratio", "actual", "adjusted", "B002"),
        *per_row(_BUDGET_ROWS, "change", "diff", "actual", "last_year", "B002"),
    ),
    model="budget",
)
BUDGET_AMOUNT_COLS = _AMOUNT_COLS

THREE_PUBLIC_AMOUNT_COLS = ("budget", "actual", "last_year")
_THREE_PUBLIC_ROWS = (
    RowSpec("total", "三公经费合计", parts=("abroad", "reception", "cars"), na=("batches", "persons"), label_en="Three-public total"),
    RowSpec("abroad", "因公出国（境）费", indent=1, label_en="Overseas trips"),
    RowSpec("reception", "公务接待费", indent=1, label_en="Official hospitality"),
    RowSpec("cars", "公务用车购置及运行维护费", parts=("car_purchase", "car_maint"), na=("batches", "persons"), indent=1, label_en="Official cars (purchase and running)"),
    RowSpec("car_purchase", "公务用车购置费", na=("batches", "persons"), indent=2, label_en="Car purchase"),
    RowSpec("car_maint", "公务用车运行维护费", na=("batches", "persons"), indent=2, label_en="Car running costs"),
)

THREE_PUBLIC = TableSheet(
    name="三公经费",
    title="三公经费",
    note="单位：万元。批次（团组）数、人次只填因公出国（境）和公务接待两行。",
    columns=(
        Column("item", "项目", "label", width=26),
        Column("budget", "预算数", "amount", label_en="budget"),
        Column("actual", "决算数", "amount", label_en="spending"),
        Column("last_year", "上年决算数", "amount", label_en="last year's spending"),
        Column("batches", "批次（团组）数", "int", width=14),
        Column("persons", "人次", "int"),
    ),
    rows=_THREE_PUBLIC_ROWS,
    after=(FormField("car_count", "公务用车保有量（辆）", "int", True),),
    balances=(
        ("total", ("abroad", "reception", "cars")),
        ("cars", ("car_purchase", "car_maint")),
    ),
    computed=sums_of_parts(_THREE_PUBLIC_ROWS, THREE_PUBLIC_AMOUNT_COLS, "S001"),
    model="three_public",
)

GOALS = TableSheet(
    name="绩效目标",
    title="绩效目标",
    note="每行一个年度绩效目标，至少填写一个。",
    columns=(
        Column("seq", "序号", "int", width=6),
        Column("goal", "年度绩效目标", "text", width=50),
        Column("result", "实际完成情况", "text", width=50),
    ),
    blank_rows=10,
    model="goals",
)

INDICATORS = TableSheet(
    name="绩效指标",
    title="绩效指标",
    note="一级/二级指标可合并单元格；指标性质：≥ 越大越好，≤ 越小越好，= 等于目标，定性 按完成情况。",
    columns=(
        Column("level1", "一级指标", "choice", choices=tuple(LEVELS), width=12, label_en="level-1 indicator"),
        Column("level2", "二级指标", "choice", choices=LEVEL2_ALL, width=16, label_en="level-2 indicator"),
        Column("name", "三级指标", "text", width=30, label_en="name"),
        Column("direction", "指标性质", "choice", choices=DIRECTIONS, width=9, label_en="direction"),
        Column("target", "年度指标值", "value", label_en="target"),
        Column("unit", "度量单位", "text", width=9),
        Column("actual", "实际完成值", "value", label_en="actual value"),
        Column("weight", "分值", "number", width=8, label_en="weight"),
        Column("self_score", "自评得分", "number", width=9, label_en="self-score"),
        Column("completion", "完成情况", "choice", choices=COMPLETIONS, width=20),
        Column("reason", "偏差原因分析及改进措施", "text", width=36),
    ),
    blank_rows=100,
    model="indicators",
)
# A hidden helper column right of the indicator table carries each row's 一级指标 down
# merged or blank cells, so the 自评得分 SUMIF formulas stay right when a clerk merges.
INDICATOR_LEVEL1_HELPER_COL = len(INDICATORS.columns) + 2  # one empty column between

# 自评得分 rows whose self-score is the SUMIF of indicator self-scores of that 一级指标.
LEVEL_ROWS: dict[str, str] = {"output": "产出指标", "benefit": "效益指标", "satisfaction": "满意度指标"}
_SELF_SCORE_ROWS = (
    RowSpec("budget_execution", "预算执行率"),
    RowSpec("output", "产出指标"),
    RowSpec("benefit", "效益指标"),
    RowSpec("satisfaction", "满意度指标"),
    RowSpec("total", "总分", parts=("budget_execution", "output", "benefit", "satisfaction")),
)

SELF_SCORE = TableSheet(
    name="自评得分",
    title="自评得分",
    note="分值按规则库填入；小计和总分为公式，可覆盖。",
    columns=(
        Column("item", "评价内容", "label", width=16),
        Column("weight", "分值", "number", computed=True),
        Column("self_score", "自评得分", "number"),
    ),
    rows=_SELF_SCORE_ROWS,
    after=(FormField("grade", "自评等级", "choice", True, GRADES),),
    computed=(
        # Each 一级指标's 自评得分: SUMIF of the indicators' 自评得分 by 一级指标 (the template
        # carries 一级指标 down merged cells in a hidden column for it).
        *(Computed(key, "self_score", "sum", over=ColumnSum(INDICATORS.name, "self_score", "level1", level), code="T002")
          for key, level in LEVEL_ROWS.items()),
        Computed("total", "self_score", "sum", tuple((p, "self_score") for p in _SELF_SCORE_ROWS[-1].parts), code="T003"),
        Computed("total", "weight", "sum", tuple((p, "weight") for p in _SELF_SCORE_ROWS[-1].parts), code="T005"),
    ),
    model="scores",
)

DEPT = TemplateSpec(
    template_id="perfxl.dept-self-eval",
    version=1,
    title="部门整体支出绩效自评表",
    sheets=(INSTRUCTIONS, PROFILE, BUDGET, THREE_PUBLIC, GOALS, INDICATORS, SELF_SCORE),
)

SPECS: dict[str, TemplateSpec] = {DEPT.template_id: DEPT}
