"""Write the 部门整体支出绩效自评表: the blank template, or the same workbook filled in.

Every sheet name, label and position comes from :mod:`perfxl.spec`.  Input cells are
light yellow and unlocked; computed cells are grey template formulas; labels are locked
and every sheet is protected without a password (a clerk can still unprotect it).

:func:`write_workbook` also writes filled workbooks (the samples and the tests' fixtures).
Formula cells carry a cached value computed here, as a file saved by Excel has
(``cached=True``), or an empty cached value, as a file saved by a script has; the blank
template always has empty cached values so a reader never sees an invented 0.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

from perfxl import __version__
from perfxl.errors import UsageError
from perfxl.layout import column_width
from perfxl.numbers import parse_year
from perfxl.rulebook import LEVEL_KEYS, Rulebook, default_rulebook
from perfxl.safe import atomic_path
from perfxl.spec import (
    BUDGET,
    BUDGET_AMOUNT_COLS,
    DEPT,
    GOALS,
    INDICATOR_LEVEL1_HELPER_COL,
    INDICATORS,
    INSTRUCTIONS,
    LEVEL_ROWS,
    PROFILE,
    SELF_SCORE,
    THREE_PUBLIC,
    THREE_PUBLIC_AMOUNT_COLS,
    Column,
    FormField,
    TableSheet,
    addr,
    col_letter,
    year_range,
)
from perfxl.xlsxbook import _CREATED, _ERRORS, _arith, _Book, _sum, _XLError, default_year

__all__ = ["write_template", "write_workbook", "instructions_lines", "default_year"]

# ---------------------------------------------------------------------------
# Public API
# ---------------------------------------------------------------------------


def write_template(path: str | Path, *, year: int | None = None, rulebook: Rulebook | None = None,
                   kind: str = "dept") -> Path:
    """Write the blank workbook the bureau hands out (``kind`` 'project': the blank
    项目支出绩效自评表); returns the path written.

    ``year`` defaults to last calendar year; ``rulebook`` (default: the shipped one)
    fills the 分值 column of 自评得分 and the scoring text of 填报说明.  Raises
    :class:`~perfxl.errors.UsageError` for a year outside 2015…the current year (a
    self-evaluation is of a year that has begun) and for a path not ending in ``.xlsx``
    (the file is an xlsx workbook whatever it is called).
    """
    first, last = year_range()
    if year is not None and (isinstance(year, bool) or not isinstance(year, int) or not first <= year <= last):
        raise UsageError(f"--year {year}: 评价年度应在 {first} 至 {last} 年之间 / the evaluation year must be "
                         f"between {first} and {last}")
    if Path(path).suffix.lower() != ".xlsx":
        raise UsageError(f"模板文件名须以 .xlsx 结尾（得到 {Path(path).name}）/ the template is an .xlsx workbook: "
                         f"name it *.xlsx", path=str(path))
    return write_workbook(path, None, year=year, rulebook=rulebook, cached=False, kind=kind)


def write_workbook(
    path: str | Path,
    data: Mapping[str, Any] | None = None,
    *,
    year: int | None = None,
    rulebook: Rulebook | None = None,
    cached: bool = True,
    merge_levels: bool = False,
    kind: str = "dept",
) -> Path:
    """Write the workbook, filled with ``data`` (plain dicts keyed by spec keys).

    ``kind`` 'project' writes a 项目支出绩效自评表 instead (:mod:`perfxl.template_project`;
    ``data`` is then one project, or a list of projects, one form sheet each).

    A value given for a computed cell is written as a constant over the formula (the
    "typed-over formula" mistake); other computed cells get their formula with the
    cached value Excel would store (``cached=True``) or an empty one.  Strings are
    written as strings in any column.  ``merge_levels`` merges runs of equal 一级/二级指标.
    The file is written atomically.

    ``data`` keys (all optional; unknown keys raise ValueError)::

        profile       {FormField key: value}; 评价年度 defaults to ``year`` unless given (None = blank)
        budget        {row key: {column key: value}}   e.g. budget["general"]["actual"]
        three_public  {row key: {column key: value}}
        car_count     公务用车保有量
        goals         [{"seq", "goal", "result"}, ...]
        indicators    [{"level1", "level2", "name", "direction", "target", "unit", "actual",
                        "weight", "self_score", "completion", "reason"}, ...]
        scores        {row key: {"self_score": ..., "weight": ...}}  (typed over formulas
                      except budget_execution.self_score, which is an input)
        grade         自评等级
        sample_note   a paragraph added to 填报说明 (the samples say which figures are invented)

    Goals and indicators beyond the template's blank rows extend the table (and the
    SUMIF ranges).  ``year`` defaults to profile["year"], else last calendar year.
    """
    import xlsxwriter

    other = _KIND_WRITERS.get(kind)  # a kind of its own writer; this one writes the 部门整体 workbook
    if other is not None:
        return other(path, data, year=year, rulebook=rulebook, cached=cached)
    rb = rulebook or default_rulebook()
    data = dict(data or {})
    _check_keys(data)
    profile = dict(data.get("profile") or {})
    if year is None:
        py = parse_year(profile.get("year")) if profile.get("year") is not None else None
        year = py.value if py is not None and py.status == "ok" else default_year()
    if "year" not in profile:
        profile["year"] = year
    if data.get("profile") is None and not data:
        cached = False  # the blank template: never an invented 0

    path = Path(path)
    # A temporary name beside the file, moved into place when complete; created by a
    # plain open(), so the file follows the umask like any other program's.
    with atomic_path(path) as tmp:
        wb = xlsxwriter.Workbook(
            str(tmp),
            {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False, "in_memory": True},
        )
        wb.set_properties({
            "title": DEPT.sheet_title(INSTRUCTIONS, year).split(" — ")[0],
            "subject": DEPT.title,
            "author": "perfxl",
            "company": "",
            "comments": f"{DEPT.template_id} v{DEPT.version}; rulebook {rb.id}; perfxl {__version__}",
            "created": _CREATED,
        })
        book = _Book(wb, cached)
        book.blank = not data  # the blank form prints its empty input rows
        _write_instructions(book, year, rb, data.get("sample_note"))
        _write_profile(book, year, profile)
        _write_budget(book, year, data.get("budget") or {})
        _write_three_public(book, year, data.get("three_public") or {}, data.get("car_count"))
        _write_goals(book, year, data.get("goals") or [])
        n_ind = _write_indicators(book, year, data.get("indicators") or [], merge_levels)
        _write_self_score(book, year, rb, data.get("scores") or {}, data.get("grade"), n_ind)
        _write_meta(book, rb, year)
        book.flush()
        book.sheets[INSTRUCTIONS.name].activate()
        wb.close()
    return path


def _project_writer(path: str | Path, data: Any, **kw: Any) -> Path:
    from perfxl.template_project import write_project_workbook

    projects = data if isinstance(data, (list, tuple)) else [data]
    return write_project_workbook(path, projects, **kw)


_KIND_WRITERS: dict[str, Callable[..., Path]] = {"project": _project_writer}

_TOP_KEYS = ("profile", "budget", "three_public", "car_count", "goals", "indicators", "scores", "grade", "sample_note")


def _check_keys(data: Mapping[str, Any]) -> None:
    """Refuse unknown keys: a typo in a test's data must not silently write nothing."""
    def bad(where: str, keys: Iterable[str], known: Iterable[str]) -> None:
        unknown = sorted(set(keys) - set(known))
        if unknown:
            raise ValueError(f"write_workbook: unknown key(s) {unknown} in {where}; expected some of {list(known)}")

    bad("data", data, _TOP_KEYS)
    bad("profile", data.get("profile") or {}, [f.key for f in PROFILE.fields])
    for name, sheet in (("budget", BUDGET), ("three_public", THREE_PUBLIC), ("scores", SELF_SCORE)):
        rows = data.get(name) or {}
        bad(name, rows, [r.key for r in sheet.rows])
        for key, row in rows.items():
            bad(f"{name}[{key!r}]", row or {}, [c.key for c in sheet.columns if c.key != "item"])
    for name, sheet in (("goals", GOALS), ("indicators", INDICATORS)):
        for i, row in enumerate(data.get(name) or []):
            bad(f"{name}[{i}]", row, [c.key for c in sheet.columns])


# ---------------------------------------------------------------------------
# Sheets
# ---------------------------------------------------------------------------


def _head(book: _Book, sheet: Any, year: int, note: str) -> None:
    """Row 1 title, row 2 note."""
    book.put(sheet.name, 1, 1, DEPT.sheet_title(sheet, year), book.fmt(bold=True, font_size=14))
    if note:
        book.put(sheet.name, 2, 1, note, book.fmt(italic=True, font_color="#595959"))


def _protect(book: _Book, name: str, *, rows: bool = False) -> None:
    """Protect without a password; table sheets of free rows allow inserting rows."""
    opts = {"format_columns": True, "format_rows": True}
    if rows:
        opts.update(insert_rows=True, delete_rows=True)
    book.sheets[name].protect("", opts)


def _validate(book: _Book, name: str, r1: int, c: int, r2: int, choices: Iterable[str], *, strict: bool = True) -> None:
    book.sheets[name].data_validation(r1 - 1, c - 1, r2 - 1, c - 1, {
        "validate": "list",
        "source": list(choices),
        "error_type": "stop" if strict else "warning",
        "error_title": "请从下拉列表选择",
        "error_message": "请从下拉列表中选择一项。",
    })


def instructions_lines(year: int, rulebook: Rulebook, sample_note: str | None = None) -> list[str]:
    """The 填报说明 text, one paragraph per line (rows 3.. of the sheet)."""
    rb = rulebook
    w = rb.weights

    def n(x: float) -> str:
        return f"{x:g}"

    def pct(x: float) -> str:
        return f"{x * 100:g}%"

    bands = sorted(rb.qualitative.items(), key=lambda kv: -kv[1][1])
    band_text = []
    for i, (name, (lo, hi)) in enumerate(bands):
        closed = i == 0  # the top band includes its upper bound; the others stop short of it
        band_text.append(f"“{name}” 得分在分值的 [{pct(lo)}, {pct(hi)}{']' if closed else ')'} 之内")
    if rb.reverse_method == "ratio":
        reverse = "年度指标值 ÷ 实际完成值 × 分值"
    else:
        reverse = "(1 − (实际完成值 − 年度指标值) ÷ 年度指标值) × 分值，实际完成值达到年度指标值 2 倍及以上得 0 分"
    if rb.over_completion_policy == "cap":
        over = f"审核时提示，并把得分封顶为分值 × {pct(rb.over_completion_cap)}"
    else:
        over = "审核时只提示，不扣分"
    g = rb.grades
    total = rb.total_weight
    lines = [
        f"本表为 {year} 年度部门整体支出绩效自评表。请按本说明填写各工作表后报送财政局。",
        "一、填写什么",
        "1. 黄色单元格为填报项，灰色单元格为自动计算（公式），白色为标签；请勿修改标签文字、勿增删工作表。",
        "2. 基本信息：逐项填写；单位类型、自评等级等从下拉列表选择；统一社会信用代码 18 位，末位校验码须正确；联系电话按文本填写。",
        "3. 预算执行：填写各资金来源与支出类别的年初预算数、全年预算数（调整后预算）、全年执行数和上年执行数；资金总额、基本支出为合计公式。"
        f"执行率低于 {pct(rb.explain_below)} 或高于 {pct(rb.explain_above)} 时，须填写偏差说明。",
        "4. 三公经费：填写预算数、决算数、上年决算数；因公出国（境）和公务接待填写批次（团组）数和人次；表下填写公务用车保有量（辆）。",
        "5. 绩效目标：每行一个年度绩效目标及实际完成情况，至少一个。",
        "6. 绩效指标：每行一个三级指标；一级、二级指标从下拉列表选择，同一组可合并单元格（空白单元格视同上一行）。",
        "7. 自评得分：填写预算执行率得分与自评等级；产出、效益、满意度小计和总分为公式，按绩效指标表自动汇总。",
        "二、单位与数字",
        "金额单位为万元，保留两位小数；请填写数字，不要带单位或千分位文字。执行率等比率以数字存储、按百分比显示（0.95 显示为 95.00%）。",
        "百分比类指标（度量单位为 %）的年度指标值和实际完成值按百分数填写数字，例如 90% 填 90，度量单位填 %。",
        "三、指标性质",
        "≥：越大越好，实际完成值不低于年度指标值即达标（正向指标）。",
        "≤：越小越好，实际完成值不高于年度指标值即达标（反向指标，如成本）。",
        "=：等于年度指标值即达标。",
        "定性：年度指标值和实际完成值填文字，另在“完成情况”中选择达成程度。",
        f"四、评分规则（规则库：{rb.name or rb.id}，标识 {rb.id}）",
        f"1. 权重：预算执行率 {n(w['预算执行率'])} 分，产出指标 {n(w['产出指标'])} 分，效益指标 {n(w['效益指标'])} 分，"
        f"满意度指标 {n(w['满意度指标'])} 分，合计 {n(total)} 分。各一级指标下三级指标的分值之和须等于该一级指标的权重。",
        f"2. 预算执行率得分 = min(全年执行数 ÷ 全年预算数, 1) × {n(w['预算执行率'])}。",
        "3. 正向指标（≥）：实际完成值 ≥ 年度指标值得满分，否则得 实际完成值 ÷ 年度指标值 × 分值。",
        f"4. 反向指标（≤）：实际完成值 ≤ 年度指标值得满分，否则得 {reverse}。",
        "5. 等于指标（=）：相等得满分" + (f"（相对误差 {pct(rb.equal_tolerance)} 以内视为相等）" if rb.equal_tolerance else "")
        + "，否则得 较小值 ÷ 较大值 × 分值。",
        "6. 定性指标：按完成情况自评，" + "；".join(band_text) + "。",
        f"7. 实际完成值 ≥ 年度指标值 × {pct(rb.over_completion)} 视为大幅超额完成（目标可能定得过低），{over}。",
        f"8. 未完全达标的指标须填写偏差原因分析及改进措施。得分保留两位小数，得分比较容差 {n(rb.score_tolerance)} 分，金额比较容差 {n(rb.amount_tolerance)} 万元。",
        "五、等级",
        f"总分 ≥ {n(g['优'])} 为优；{n(g['良'])} ≤ 总分 < {n(g['优'])} 为良；{n(g['中'])} ≤ 总分 < {n(g['良'])} 为中；总分 < {n(g['中'])} 为差。",
        "六、模板信息",
        f"模板标识 {DEPT.template_id}，模板版本 {DEPT.version}，规则库 {rb.id}，由 perfxl {__version__} 生成。请勿删除隐藏工作表 {DEPT.meta_sheet}。",
    ]
    if sample_note:
        lines += ["七、样表说明", sample_note]
    return lines


def _write_instructions(book: _Book, year: int, rb: Rulebook, sample_note: str | None) -> None:
    name = INSTRUCTIONS.name
    book.add_sheet(name)
    # As wide as an A4 portrait page, so every line wraps inside it.
    book.column(name, 1, 90)
    book.wrap_column(name, 1, 90)
    _head(book, INSTRUCTIONS, year, "请先阅读本说明。")
    section = book.fmt(bold=True)
    body = book.fmt(text_wrap=True, valign="top")
    for i, line in enumerate(instructions_lines(year, rb, sample_note)):
        is_section = line[:2] in {f"{c}、" for c in "一二三四五六七八九"}
        book.put(name, 3 + i, 1, line, section if is_section else body)
    _protect(book, name)


def _value_fmt(book: _Book, kind: str) -> Any:
    return book.cell_fmt("input", kind)


def _write_form_field(book: _Book, sheet: str, row: int, f: FormField, value: Any) -> None:
    book.put(sheet, row, 1, f.label, book.cell_fmt("label"))
    book.put(sheet, row, 2, value, _value_fmt(book, f.kind))
    note = ("* 必填" if f.required else "") + ("；" if f.required and f.note else "") + f.note
    if note:
        book.put(sheet, row, 3, note, book.fmt(font_color="#595959"))
    if f.choices:
        _validate(book, sheet, row, 2, row, f.choices)


def _write_profile(book: _Book, year: int, profile: Mapping[str, Any]) -> None:
    name = PROFILE.name
    book.add_sheet(name)
    book.column(name, 1, 20)
    book.column(name, 2, 48)
    book.wrap_column(name, 2, 48)
    book.column(name, 3, 36)
    _head(book, PROFILE, year, PROFILE.note)
    for f in PROFILE.fields:
        _write_form_field(book, name, PROFILE.row_of(f.key), f, profile.get(f.key))
    _protect(book, name)


def _table_header(book: _Book, sheet: TableSheet) -> None:
    ws = book.sheets[sheet.name]
    for i, c in enumerate(sheet.columns, 1):
        book.put(sheet.name, sheet.header_row, i, c.label, book.cell_fmt("header"))
        # A dropdown column is wide enough for its longest choice.
        width = max(c.width, column_width(c.choices, size=11, maximum=40)) if c.choices else c.width
        book.column(sheet.name, i, width)
        if c.kind == "text":
            book.wrap_column(sheet.name, i, width)
    last = sheet.first_row + max(sheet.n_rows, 1) - 1
    book.print_rows[sheet.name] = (sheet.header_row, last + (len(sheet.after) + 1 if sheet.after else 0))
    ws.freeze_panes(sheet.header_row, 0)


def _ref(sheet: str, row: int, col: int) -> Callable:
    return lambda ev: ev(sheet, row, col)


def _fixed_table(
    book: _Book,
    sheet: TableSheet,
    year: int,
    data: Mapping[str, Mapping[str, Any]],
    amount_cols: tuple[str, ...],
    extra: Callable[[int, Column], tuple[str, Callable] | None] = lambda r, c: None,
) -> None:
    """A table of fixed rows: labels in column A, SUM formulas for rows with parts."""
    name = sheet.name
    book.add_sheet(name)
    _head(book, sheet, year, sheet.note)
    _table_header(book, sheet)
    for rs in sheet.rows:
        r = sheet.row_of(rs.key)
        values = data.get(rs.key) or {}
        for ci, col in enumerate(sheet.columns, 1):
            if col.key == "item":
                book.put(name, r, ci, rs.label, book.cell_fmt("label", indent=rs.indent))
                continue
            given = col.key in values and values[col.key] is not None
            formula: tuple[str, Callable] | None = None
            if rs.parts and col.key in amount_cols:
                rows = [sheet.row_of(p) for p in rs.parts]
                refs = [addr(pr, ci) for pr in rows]
                formula = (f"SUM({','.join(refs)})",
                           (lambda rows, ci: lambda ev: _sum(ev(name, pr, ci) for pr in rows))(rows, ci))
            elif col.computed:
                formula = extra(r, col)
            if formula is not None:
                fmt = book.cell_fmt("computed", col.kind)
                if given:  # typed over the formula
                    book.put(name, r, ci, values[col.key], fmt)
                else:
                    book.formula(name, r, ci, formula[0], formula[1], fmt)
            elif col.key in rs.na:
                book.put(name, r, ci, values.get(col.key), book.cell_fmt("computed", col.kind))
            else:
                book.put(name, r, ci, values.get(col.key), book.cell_fmt("input", col.kind))


def _write_budget(book: _Book, year: int, data: Mapping[str, Mapping[str, Any]]) -> None:
    name = BUDGET.name
    c_adj, c_act, c_last = (BUDGET.col_of(k) for k in ("adjusted", "actual", "last_year"))

    def extra(r: int, col: Column) -> tuple[str, Callable] | None:
        if col.key == "rate":
            def rate(ev: Callable) -> Any:
                budget = ev(name, r, c_adj)
                if budget is None or (not isinstance(budget, str) and _arith(budget) == 0):
                    return ""
                if isinstance(budget, str) and budget in _ERRORS:
                    raise _XLError(budget)
                denominator = _arith(budget)
                if denominator == 0:
                    raise _XLError("#DIV/0!")
                return _arith(ev(name, r, c_act)) / denominator

            a, d = addr(r, c_adj), addr(r, c_act)
            return f'IF({a}=0,"",{d}/{a})', rate
        if col.key == "change":
            return (f"{addr(r, c_act)}-{addr(r, c_last)}",
                    lambda ev: _arith(ev(name, r, c_act)) - _arith(ev(name, r, c_last)))
        return None

    _fixed_table(book, BUDGET, year, data, BUDGET_AMOUNT_COLS, extra)
    _protect(book, name)


def _write_three_public(book: _Book, year: int, data: Mapping[str, Mapping[str, Any]], car_count: Any) -> None:
    name = THREE_PUBLIC.name
    _fixed_table(book, THREE_PUBLIC, year, data, THREE_PUBLIC_AMOUNT_COLS)
    for f in THREE_PUBLIC.after:
        _write_form_field(book, name, THREE_PUBLIC.after_row_of(f.key), f, car_count if f.key == "car_count" else None)
    _protect(book, name)


def _free_rows(sheet: TableSheet, n: int) -> range:
    """Data rows of a free table: the template's blank rows, extended to fit ``n`` rows."""
    return range(sheet.first_row, sheet.first_row + max(sheet.blank_rows, n))


def _write_goals(book: _Book, year: int, goals: list[Mapping[str, Any]]) -> None:
    name = GOALS.name
    book.add_sheet(name)
    _head(book, GOALS, year, GOALS.note)
    _table_header(book, GOALS)
    rows = _free_rows(GOALS, len(goals))
    for i, r in enumerate(rows):
        g = goals[i] if i < len(goals) else {}
        for ci, col in enumerate(GOALS.columns, 1):
            book.put(name, r, ci, g.get(col.key), book.cell_fmt("input", col.kind))
    book.print_rows[name] = (GOALS.header_row, rows[-1])
    _protect(book, name, rows=True)


def _runs(values: list[Any], keys: list[Any]) -> list[tuple[int, int]]:
    """(start, end) index runs of equal consecutive non-blank ``keys``, length ≥ 2."""
    runs, i = [], 0
    while i < len(keys):
        j = i
        while j + 1 < len(keys) and keys[j + 1] == keys[i] and values[i] not in (None, ""):
            j += 1
        if j > i:
            runs.append((i, j))
        i = j + 1
    return runs


def _write_indicators(book: _Book, year: int, indicators: list[Mapping[str, Any]], merge_levels: bool) -> int:
    """Write 绩效指标; returns the number of data rows (for the SUMIF ranges)."""
    name = INDICATORS.name
    ws = book.add_sheet(name)
    _head(book, INDICATORS, year, INDICATORS.note)
    _table_header(book, INDICATORS)
    rows = _free_rows(INDICATORS, len(indicators))
    for i, r in enumerate(rows):
        ind = indicators[i] if i < len(indicators) else {}
        for ci, col in enumerate(INDICATORS.columns, 1):
            book.put(name, r, ci, ind.get(col.key), book.cell_fmt("input", col.kind))
    first, last = rows[0], rows[-1]
    book.print_rows[name] = (INDICATORS.header_row, last)
    if merge_levels and indicators:
        l1 = [ind.get("level1") for ind in indicators]
        l2 = [ind.get("level2") for ind in indicators]
        for key, vals, keys in (("level1", l1, l1), ("level2", l2, list(zip(l1, l2)))):
            ci = INDICATORS.col_of(key)
            for a, b in _runs(vals, keys):
                book.merge(name, first + a, ci, first + b, ci, vals[a], book.cell_fmt("input", "choice"))
    for col in INDICATORS.columns:
        if col.choices:
            _validate(book, name, first, INDICATORS.col_of(col.key), last, col.choices,
                      strict=col.key != "direction")  # clerks type >= and friends; the reader copes
    # Hidden helper: each row's 一级指标 carried down merged / blank cells, for the SUMIFs.
    h = INDICATOR_LEVEL1_HELPER_COL
    c1 = INDICATORS.col_of("level1")
    fmt = book.cell_fmt("computed")
    for r in rows:
        a = addr(r, c1)
        if r == first:
            book.formula(name, r, h, f'IF({a}="","",{a})', (lambda r: lambda ev: ev(name, r, c1) or "")(r), fmt)
        else:
            up = addr(r - 1, h)
            book.formula(name, r, h, f'IF({a}="",{up},{a})',
                         (lambda r: lambda ev: ev(name, r, c1) if ev(name, r, c1) not in (None, "") else ev(name, r - 1, h))(r),
                         fmt)
    book.column(name, h, 12, hidden=True)
    _protect(book, name, rows=True)
    return len(rows)


def _write_self_score(book: _Book, year: int, rb: Rulebook, scores: Mapping[str, Mapping[str, Any]],
                      grade: Any, n_ind: int) -> None:
    name = SELF_SCORE.name
    book.add_sheet(name)
    _head(book, SELF_SCORE, year, SELF_SCORE.note)
    _table_header(book, SELF_SCORE)
    label_of = {v: k for k, v in LEVEL_KEYS.items()}
    c_item, c_w, c_s = (SELF_SCORE.col_of(k) for k in ("item", "weight", "self_score"))
    ind = INDICATORS.name
    first, last = INDICATORS.first_row, INDICATORS.first_row + n_ind - 1
    h, cs = INDICATOR_LEVEL1_HELPER_COL, INDICATORS.col_of("self_score")
    crit_rng = f"'{ind}'!${col_letter(h)}${first}:${col_letter(h)}${last}"
    sum_rng = f"'{ind}'!${col_letter(cs)}${first}:${col_letter(cs)}${last}"
    computed = book.cell_fmt("computed", "number")
    for rs in SELF_SCORE.rows:
        r = SELF_SCORE.row_of(rs.key)
        given = scores.get(rs.key) or {}
        book.put(name, r, c_item, rs.label, book.cell_fmt("label"))
        # 分值: from the rulebook; 总分's is the sum of the four.
        if "weight" in given and given["weight"] is not None:
            book.put(name, r, c_w, given["weight"], computed)
        elif rs.parts:
            rows = [SELF_SCORE.row_of(p) for p in rs.parts]
            book.formula(name, r, c_w, f"SUM({addr(rows[0], c_w)}:{addr(rows[-1], c_w)})",
                         (lambda rows: lambda ev: _sum(ev(name, x, c_w) for x in rows))(rows), computed)
        else:
            book.put(name, r, c_w, rb.weights[label_of[rs.key]], computed)
        # 自评得分
        typed = "self_score" in given and given["self_score"] is not None
        if rs.key in LEVEL_ROWS:  # SUMIF of the indicator self-scores of this 一级指标
            if typed:
                book.put(name, r, c_s, given["self_score"], computed)
            else:
                def sumif(ev: Callable, r: int = r) -> float:
                    crit = ev(name, r, c_item)
                    return _sum(ev(ind, x, cs) for x in range(first, last + 1) if ev(ind, x, h) == crit)

                book.formula(name, r, c_s, f"SUMIF({crit_rng},{addr(r, c_item)},{sum_rng})", sumif, computed)
        elif rs.parts:
            rows = [SELF_SCORE.row_of(p) for p in rs.parts]
            if typed:
                book.put(name, r, c_s, given["self_score"], computed)
            else:
                book.formula(name, r, c_s, f"SUM({addr(rows[0], c_s)}:{addr(rows[-1], c_s)})",
                             (lambda rows: lambda ev: _sum(ev(name, x, c_s) for x in rows))(rows), computed)
        else:
            book.put(name, r, c_s, given.get("self_score"), book.cell_fmt("input", "number"))
    for f in SELF_SCORE.after:
        _write_form_field(book, name, SELF_SCORE.after_row_of(f.key), f, grade if f.key == "grade" else None)
    _protect(book, name)


def _write_meta(book: _Book, rb: Rulebook, year: int) -> None:
    name = DEPT.meta_sheet
    ws = book.add_sheet(name)
    values = {
        "template_id": DEPT.template_id,
        "template_version": DEPT.version,
        "rulebook_id": rb.id,
        "perfxl_version": __version__,
        "year": year,  # the workbook is for this year: a 评价年度 that differs is refused (P008)
    }
    for i, key in enumerate(DEPT.meta_keys, 1):
        book.put(name, i, 1, key)
        book.put(name, i, 2, values[key])
    book.column(name, 1, 20)
    book.column(name, 2, 20)
    ws.hide()
    _protect(book, name)
