"""Write the 项目支出绩效自评表 in the national layout: blank, or filled with one or more projects.

The layout follows TEMPLATE-project.md (财预〔2020〕10号 附件1), columns A–I, with the
house conventions of the 部门整体 template: light-yellow unlocked inputs, grey formulas
(资金总额 sums, 执行率, the execution 得分, 总分), dropdowns for 一级/二级指标, the sheet
protected without a password, a first sheet 填报说明 and the hidden ``_perfxl``.

A department with several projects copies the form sheet once per project; given several
projects, :func:`write_project_workbook` writes one form sheet each.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from perfxl import __version__
from perfxl.rulebook import Rulebook, default_rulebook
from perfxl.spec import LEVEL2_ALL, LEVELS, addr
from perfxl.spec_project import (
    PROJECT_TEMPLATE_ID,
    GOALS_BLOCK,
    INDICATOR_BLOCK,
    INDICATOR_WRITTEN,
    MONEY,
    MONEY_WRITTEN,
    PROJECT_FIELDS,
    PROJECT_PAGE,
    TOTAL_BLOCK,
    YEAR_LABEL,
)
from perfxl.xlsxbook import _CREATED, _arith, _Book, _sum, _XLError, default_year

__all__ = ["write_project_template", "write_project_workbook", "project_instructions", "PROJECT_ID"]

PROJECT_ID = PROJECT_TEMPLATE_ID
PROJECT_VERSION = 1
_BLANK_INDICATORS = 15  # input rows of the blank form
_DASH = "—"

# Columns of the form (1-based), as the national layout places them.
_A, _B, _C, _D, _E, _F, _G, _H, _I = range(1, 10)
_MONEY_COLS = {"initial": _D, "adjusted": _E, "actual": _F, "weight": _G, "rate": _H, "score": _I}
_IND_COLS = dict(zip(INDICATOR_WRITTEN, range(_B, _I + 1)))
_WIDTHS = {_A: 10, _B: 12, _C: 16, _D: 26, _E: 14, _F: 14, _G: 8, _H: 10, _I: 30}


def _cell_label(key: str) -> str:
    return INDICATOR_BLOCK.column(key).label


def project_instructions(year: int, rb: Rulebook) -> list[str]:
    """The 填报说明 text of the project form, one paragraph per line."""
    w = rb.project_weights
    n = lambda x: f"{x:g}"  # noqa: E731
    return [
        f"本表为 {year} 年度项目支出绩效自评表（财预〔2020〕10号 附件1 格式）。每个项目填写一张表；"
        "一个单位有多个项目时，复制“项目支出绩效自评表”工作表，每个项目一张。",
        "一、填写什么",
        "1. 黄色单元格为填报项，灰色单元格为自动计算（公式）；请勿修改标签文字。",
        "2. 项目名称、主管部门、实施单位必填。",
        "3. 项目资金：填写当年财政拨款、上年结转资金、其他资金的年初预算数、全年预算数、全年执行数（万元）；"
        "年度资金总额、执行率和预算执行得分自动计算。",
        "4. 年度总体目标：填写预期目标和实际完成情况。",
        "5. 绩效指标：一级、二级指标从下拉列表选择；年度指标值连同符号和单位填写，如 ≥95%、≤100万元、=12次；"
        "没有数字的定性指标直接写文字（如“有效提升”）。实际完成值填写数字（可带单位）或文字。",
        "6. 未完全达成年度指标值的，须填写偏差原因分析及改进措施。",
        f"二、评分规则（规则库：{rb.name or rb.id}）",
        f"1. 权重：预算执行率 {n(w['预算执行率'])} 分，产出指标 {n(w['产出指标'])} 分，效益指标 {n(w['效益指标'])} 分，"
        f"满意度指标 {n(w['满意度指标'])} 分；各一级指标下三级指标的分值之和须等于其权重。",
        f"2. 预算执行得分 = min(全年执行数 ÷ 全年预算数, 1) × {n(w['预算执行率'])}。",
        "3. 正向指标（≥）达到年度指标值得满分，否则按 实际 ÷ 目标 × 分值；反向指标（≤）不超过年度指标值得满分，"
        "否则按规则库的方法扣分；等于指标（=）相等得满分；定性指标按达成程度自评。",
        "4. 总分 = 预算执行得分 + 各绩效指标得分；等级按总分划分："
        f"优 ≥ {n(rb.grades['优'])}，良 ≥ {n(rb.grades['良'])}，中 ≥ {n(rb.grades['中'])}，其余为差。",
        "三、模板信息",
        f"模板标识 {PROJECT_ID}，模板版本 {PROJECT_VERSION}，规则库 {rb.id}，由 perfxl {__version__} 生成。"
        "请勿删除隐藏工作表 _perfxl。",
    ]


def write_project_template(path: str | Path, *, year: int | None = None, rulebook: Rulebook | None = None) -> Path:
    """Write the blank 项目支出绩效自评表 the bureau hands out; returns the path."""
    return write_project_workbook(path, [None], year=year, rulebook=rulebook, cached=False)


def write_project_workbook(
    path: str | Path,
    projects: Sequence[Mapping[str, Any] | None],
    *,
    year: int | None = None,
    rulebook: Rulebook | None = None,
    cached: bool = True,
    sheet_names: Sequence[str] | None = None,
) -> Path:
    """Write one form sheet per project (``None`` = a blank form); atomically.

    A project is a dict (see the sample generator's contract): ``year``, ``name``,
    ``department``, ``implementer``, ``budget`` {row key: {column key: value}},
    ``goals`` [{goal, result}], ``indicators`` [{level1, level2, name, target, actual,
    weight, self_score, reason}], ``total`` {weight, self_score}.  A value given for a
    computed cell is written over its formula (a typed-over total); formulas carry the
    cached value Excel would store (``cached``) or none, as a script-written file has.
    """
    import xlsxwriter

    rb = rulebook or default_rulebook()
    if year is None:
        years = [p.get("year") for p in projects if p and isinstance(p.get("year"), int)]
        year = years[0] if years else default_year()
    names = list(sheet_names) if sheet_names else _sheet_names(projects)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".~" + path.stem[:20], suffix=".xlsx", dir=path.parent)
    os.close(fd)
    try:
        wb = xlsxwriter.Workbook(tmp, {"strings_to_formulas": False, "strings_to_urls": False,
                                       "strings_to_numbers": False, "in_memory": True})
        wb.set_properties({"title": f"{year}年度项目支出绩效自评表", "subject": PROJECT_PAGE.title, "author": "perfxl",
                           "comments": f"{PROJECT_ID} v{PROJECT_VERSION}; rulebook {rb.id}; perfxl {__version__}",
                           "created": _CREATED})
        book = _Book(wb, cached)
        _instructions(book, year, rb)
        for name, project in zip(names, projects):
            _form(book, name, project or {}, year, rb, blank=project is None)
        _meta(book, rb)
        book.flush()
        book.sheets[names[0]].activate()
        wb.close()
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return path


def _sheet_names(projects: Sequence[Mapping[str, Any] | None]) -> list[str]:
    if len(projects) == 1:
        return [PROJECT_PAGE.name]
    out: list[str] = []
    for i, p in enumerate(projects, 1):
        base = "".join(ch for ch in str((p or {}).get("name") or f"项目{i}") if ch not in "[]:*?/\\'")[:28] or f"项目{i}"
        name, k = base, 2
        while name in out:
            name, k = f"{base[:26]}({k})", k + 1
        out.append(name)
    return out


def _instructions(book: _Book, year: int, rb: Rulebook) -> None:
    name = "填报说明"
    book.add_sheet(name)
    # As wide as an A4 portrait page (as the 部门整体 template's), so every line wraps inside it.
    book.column(name, 1, 90)
    book.wrap_column(name, 1, 90)
    book.put(name, 1, 1, f"{year}年度项目支出绩效自评表 — 填报说明", book.fmt(bold=True, font_size=14))
    section, body = book.fmt(bold=True), book.fmt(text_wrap=True, valign="top")
    for i, line in enumerate(project_instructions(year, rb)):
        book.put(name, 3 + i, 1, line, section if line[:2] in ("一、", "二、", "三、") else body)
    book.sheets[name].protect("", {"format_columns": True, "format_rows": True})


def _form(book: _Book, name: str, p: Mapping[str, Any], year: int, rb: Rulebook, *, blank: bool) -> None:
    ws = book.add_sheet(name)
    for c, w in _WIDTHS.items():
        ws.set_column(c - 1, c - 1, w)
    label = book.cell_fmt("label")
    center = book.fmt(bold=True, border=1, align="center", valign="vcenter", text_wrap=True)
    header = book.cell_fmt("header")
    text_in = book.fmt(border=1, bg_color="#FFF2CC", locked=False, text_wrap=True, valign="top")
    y = p.get("year", year)
    book.merge(name, 1, _A, 1, _I, PROJECT_PAGE.title, book.fmt(bold=True, font_size=16, align="center"))
    book.merge(name, 2, _A, 2, _I, YEAR_LABEL.format(year=y), book.fmt(align="center", font_size=12))
    ws.set_row(0, 28)
    # 项目名称 / 主管部门 / 实施单位
    f = {x.key: x for x in PROJECT_FIELDS.fields}
    book.put(name, 3, _A, f["name"].label, center)
    book.merge(name, 3, _B, 3, _I, p.get("name"), text_in)
    book.put(name, 4, _A, f["department"].label, center)
    book.merge(name, 4, _B, 4, _D, p.get("department"), text_in)
    book.put(name, 4, _E, f["implementer"].label, center)
    book.merge(name, 4, _F, 4, _I, p.get("implementer"), text_in)
    _money(book, name, p.get("budget") or {}, rb)
    # 年度总体目标
    goals = p.get("goals") or [{}]
    g0 = goals[0] if goals else {}
    book.merge(name, 10, _A, 11, _A, GOALS_BLOCK.title, center)
    book.merge(name, 10, _B, 10, _E, GOALS_BLOCK.column("goal").label, header)
    book.merge(name, 10, _F, 10, _I, GOALS_BLOCK.column("result").label, header)
    book.merge(name, 11, _B, 11, _E, g0.get("goal"), text_in)
    book.merge(name, 11, _F, 11, _I, g0.get("result"), text_in)
    ws.set_row(10, 60)
    first, last = _indicators(book, name, p.get("indicators") or [], blank)
    _total(book, name, p.get("total") or {}, first, last)
    book.wrap_column(name, _D, _WIDTHS[_D])
    book.wrap_column(name, _I, _WIDTHS[_I])
    ws.set_paper(9)
    ws.set_landscape()
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(0, 1)
    ws.protect("", {"format_columns": True, "format_rows": True, "insert_rows": True, "delete_rows": True})


def _money(book: _Book, name: str, money: Mapping[str, Mapping[str, Any]], rb: Rulebook) -> None:
    center = book.fmt(bold=True, border=1, align="center", valign="vcenter", text_wrap=True)
    header = book.cell_fmt("header")
    book.merge(name, 5, _A, 9, _A, MONEY.title, center)
    book.merge(name, 5, _B, 5, _C, None, header)
    for key, c in _MONEY_COLS.items():
        book.put(name, 5, c, MONEY.column(key).label, header)
    rows = {key: 6 + i for i, key in enumerate(MONEY_WRITTEN)}
    grey_amount, grey_rate, grey_num = (book.cell_fmt("computed", k) for k in ("amount", "rate", "number"))
    for key, r in rows.items():
        rs = MONEY.row_spec(key)
        values = money.get(key) or {}
        book.merge(name, r, _B, r, _C, rs.label, book.cell_fmt("label", indent=rs.indent))
        for col in ("initial", "adjusted", "actual"):
            c = _MONEY_COLS[col]
            given = values.get(col)
            if key == "total":
                parts = [rows[k] for k in MONEY_WRITTEN[1:]]
                if given is not None:  # typed over the formula
                    book.put(name, r, c, given, grey_amount)
                else:
                    book.formula(name, r, c, f"SUM({addr(parts[0], c)}:{addr(parts[-1], c)})",
                                 (lambda parts, c: lambda ev: _sum(ev(name, x, c) for x in parts))(parts, c), grey_amount)
            else:
                book.put(name, r, c, given, book.cell_fmt("input", "amount"))
        if key == "total":
            weight = values.get("weight", rb.project_weights["预算执行率"])
            book.put(name, r, _G, weight, grey_num)
            _computed(book, name, r, _H, values.get("rate"), grey_rate, f'IF({addr(r, _E)}=0,"",{addr(r, _F)}/{addr(r, _E)})',
                      lambda ev, r=r: _ratio(ev(name, r, _F), ev(name, r, _E)))
            _computed(book, name, r, _I, values.get("score"), grey_num,
                      f'IF({addr(r, _E)}=0,"",ROUND(MIN({addr(r, _F)}/{addr(r, _E)},1)*{addr(r, _G)},2))',
                      lambda ev, r=r: _exec_score(ev(name, r, _F), ev(name, r, _E), ev(name, r, _G)))
        else:
            for c in (_G, _I):
                book.put(name, r, c, values.get({_G: "weight", _I: "score"}[c], _DASH), book.cell_fmt("computed"))
            book.put(name, r, _H, values.get("rate"), grey_rate)


def _computed(book: _Book, name: str, r: int, c: int, given: Any, fmt: Any, text: str, fn: Callable) -> None:
    if given is not None:
        book.put(name, r, c, given, fmt)
    else:
        book.formula(name, r, c, text, fn, fmt)


def _ratio(a: Any, b: Any) -> Any:
    if b is None or (not isinstance(b, str) and _arith(b) == 0):
        return ""
    d = _arith(b)
    if d == 0:
        raise _XLError("#DIV/0!")
    return _arith(a) / d


def _exec_score(actual: Any, budget: Any, weight: Any) -> Any:
    rate = _ratio(actual, budget)
    if rate == "":
        return ""
    return round(min(rate, 1.0) * _arith(weight), 2)


def _indicators(book: _Book, name: str, indicators: Sequence[Mapping[str, Any]], blank: bool) -> tuple[int, int]:
    header = book.cell_fmt("header")
    center = book.fmt(bold=True, border=1, align="center", valign="vcenter", text_wrap=True)
    hr = 12
    for key, c in _IND_COLS.items():
        book.put(name, hr, c, _cell_label(key), header)
    first = hr + 1
    n = max(len(indicators), _BLANK_INDICATORS if blank else 0, 1)
    last = first + n - 1
    book.merge(name, hr, _A, last, _A, INDICATOR_BLOCK.title, center)
    kinds = {"weight": "number", "self_score": "number", "target": "text", "actual": "text"}
    for i in range(n):
        ind = indicators[i] if i < len(indicators) else {}
        for key, c in _IND_COLS.items():
            book.put(name, first + i, c, ind.get(key), book.cell_fmt("input", kinds.get(key, "text")))
    ws = book.sheets[name]
    for key, choices in (("level1", tuple(LEVELS)), ("level2", LEVEL2_ALL)):
        c = _IND_COLS[key]
        ws.data_validation(first - 1, c - 1, last - 1, c - 1, {
            "validate": "list", "source": list(choices), "error_type": "stop",
            "error_title": "请从下拉列表选择", "error_message": "请从下拉列表中选择一项。"})
    return first, last


def _total(book: _Book, name: str, total: Mapping[str, Any], first: int, last: int) -> None:
    r = last + 1
    center = book.fmt(bold=True, border=1, align="center", valign="vcenter")
    book.merge(name, r, _A, r, _F, TOTAL_BLOCK.label, center)
    grey = book.cell_fmt("computed", "number")
    cw, cs = _IND_COLS["weight"], _IND_COLS["self_score"]
    _computed(book, name, r, cw, total.get("weight"), grey, f"{addr(6, _G)}+SUM({addr(first, cw)}:{addr(last, cw)})",
              lambda ev: _arith(ev(name, 6, _G)) + _sum(ev(name, x, cw) for x in range(first, last + 1)))
    _computed(book, name, r, cs, total.get("self_score"), grey,
              f"N({addr(6, _I)})+SUM({addr(first, cs)}:{addr(last, cs)})",
              lambda ev: _sum([ev(name, 6, _I)]) + _sum(ev(name, x, cs) for x in range(first, last + 1)))
    book.put(name, r, _I, None, book.cell_fmt("computed"))


def _meta(book: _Book, rb: Rulebook) -> None:
    name = PROJECT_PAGE_META
    ws = book.add_sheet(name)
    values = {"template_id": PROJECT_ID, "template_version": PROJECT_VERSION, "rulebook_id": rb.id,
              "perfxl_version": __version__}
    for i, (k, v) in enumerate(values.items(), 1):
        book.put(name, i, 1, k)
        book.put(name, i, 2, v)
    ws.hide()
    ws.protect("", {})


PROJECT_PAGE_META = "_perfxl"
