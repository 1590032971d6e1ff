"""Text rendering (rich) of a check :class:`~perfxl.report.Report` and of the rule catalogue.

The JSON rendering is :meth:`Report.to_dict`; this module only draws tables.  rich is
imported here, not at CLI start-up.
"""

from __future__ import annotations

import shutil
import sys
from typing import IO, TYPE_CHECKING, Iterable

from perfxl.findings import AREAS, Finding, Rule, Severity

if TYPE_CHECKING:  # pragma: no cover
    from rich.console import Console

    from perfxl.report import FileReport, Report

__all__ = ["verdict", "render_report", "render_rules", "render_rule", "console"]

_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}
_SEV_EN = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "info"}


def console(file: IO[str] | None = None) -> Console:
    """A console on stdout; wide enough for Chinese messages when not a terminal."""
    from rich.console import Console

    out = file or sys.stdout
    width = None if out.isatty() else max(shutil.get_terminal_size((160, 24)).columns, 160)
    return Console(file=out, width=width, highlight=False, soft_wrap=False)


def verdict(fr: FileReport, lang: str = "zh", strict: bool = False) -> str:
    """One line: 可以提交 / 需修改：N 个错误，M 个警告 / 无法读取 (or the English)."""
    en = lang == "en"
    if not fr.readable:
        return "Unreadable: fix the file and check it again" if en else "无法读取：请修正文件后重新检查"
    if fr.failed(strict):
        if en:
            return f"Needs changes: {fr.errors} errors, {fr.warnings} warnings"
        return f"需修改：{fr.errors} 个错误，{fr.warnings} 个警告"
    if fr.warnings:  # 提示性 findings do not block submission but must be explained
        if en:
            return f"OK to submit; explain {fr.warnings} warning(s) in the submission"
        return f"可以提交（{fr.warnings} 个警告请在报送时说明）"
    return "OK to submit" if en else "可以提交"


def _sev(f: Finding, lang: str) -> str:
    return _SEV_EN[f.severity] if lang == "en" else f.severity.zh


def render_file(fr: FileReport, con: Console, lang: str = "zh", strict: bool = False) -> None:
    """One file: a heading, a table per sheet (cell, code, severity, message), the verdict."""
    from rich.table import Table
    from rich.text import Text

    en = lang == "en"
    name = fr.unit_name
    head = Text(fr.path, style="bold")
    if name:
        head.append(f"  {name}")
    con.print(head)
    by_sheet: dict[str | None, list[Finding]] = {}
    for f in fr.findings:
        by_sheet.setdefault(f.sheet, []).append(f)
    for sheet, items in by_sheet.items():
        title = sheet if sheet else ("(file)" if en else "（文件）")
        table = Table(title=title, title_justify="left", show_lines=False, expand=False, pad_edge=False)
        table.add_column("cell" if en else "单元格", no_wrap=True)
        table.add_column("code" if en else "代码", no_wrap=True)
        table.add_column("severity" if en else "级别", no_wrap=True)
        table.add_column("message" if en else "说明", overflow="fold")
        for f in items:
            table.add_row(f.cell or "", f.code, Text(_sev(f, lang), style=_STYLE[f.severity]), f.message(lang))
        con.print(table)
    style = "bold red" if (not fr.readable or fr.failed(strict)) else "bold green"
    con.print(Text(verdict(fr, lang, strict), style=style))


def render_report(report: Report, lang: str = "zh", strict: bool = False, file: IO[str] | None = None) -> None:
    """Every file of the report, in order, separated by a blank line."""
    con = console(file)
    for i, fr in enumerate(report.files):
        if i:
            con.print()
        render_file(fr, con, lang, strict)


def render_rules(rules: Iterable[Rule], file: IO[str] | None = None) -> None:
    """The catalogue as one table: code, severity, area, title (zh and en)."""
    from rich.table import Table
    from rich.text import Text

    con = console(file)
    table = Table(show_lines=False, pad_edge=False)
    for col in ("代码 code", "级别 severity", "范围 area", "名称", "title"):
        table.add_column(col, no_wrap=col != "title")
    for r in rules:
        table.add_row(r.code, Text(f"{r.severity.zh} {r.severity.value}", style=_STYLE[r.severity]),
                      AREAS[r.area][0], r.title, r.title_en)
    con.print(table)


def render_rule(r: Rule, file: IO[str] | None = None) -> None:
    """One rule in full: code and slug, titles, severity, area, why, example, messages."""
    from rich.text import Text

    con = console(file)
    con.print(Text(f"{r.code} {r.slug}", style="bold"))
    rows = [
        ("名称 title", f"{r.title} / {r.title_en}"),
        ("级别 severity", f"{r.severity.zh} {r.severity.value}"),
        ("范围 area", f"{AREAS[r.area][0]} / {AREAS[r.area][1]}"),
        ("工作表 sheet", r.sheet or "—"),
        ("原因 why", r.why),
        ("示例 example", r.example),
        ("提示 message", r.message),
        ("message (en)", r.message_en),
    ]
    for k, v in rows:
        line = Text(f"{k}: ", style="bold")
        line.append(v)
        con.print(line)
