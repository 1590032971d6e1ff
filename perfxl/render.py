"""Text rendering (rich) of a check :class:`~perfxl.report.Report` and of the rule catalogue.

The JSON rendering is :meth:`Report.to_dict`; this module only draws tables.  rich is
imported here, not at CLI start-up.
"""

from __future__ import annotations

import shutil
import sys
from typing import IO, TYPE_CHECKING, Iterable

from perfxl.findings import AREAS, Finding, Rule, Severity, kind_names
from perfxl.i18n import plural, sentence

if TYPE_CHECKING:  # pragma: no cover
    from rich.console import Console

    from perfxl.batch import BatchResult
    from perfxl.inputs import Skipped
    from perfxl.report import FileReport, Report

__all__ = ["verdict", "totals_line", "skipped_line", "batch_lines", "render_report", "render_rules", "render_rule",
           "console"]

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
        return "Unreadable: fix the file and check it again." if en else "无法读取：请修正文件后重新检查"
    if fr.failed(strict):
        if en:
            return f"Needs changes: {plural(fr.errors, 'error')}, {plural(fr.warnings, 'warning')}"
        return f"需修改：{fr.errors} 个错误，{fr.warnings} 个警告"
    if fr.warnings:  # 提示性 findings do not block submission but must be explained
        if en:
            what = "the warning" if fr.warnings == 1 else f"the {fr.warnings} warnings"
            return f"OK to submit; explain {what} when you send it in."
        return f"可以提交（{fr.warnings} 个警告请在报送时说明）"
    return "OK to submit." if en else "可以提交"


def _files(n: int, forms: int, lang: str) -> str:
    """'共 3 个文件' / '3 files'; with the forms counted too when a workbook held several
    project forms ('共 3 个文件 6 张自评表' / '3 files, 6 forms')."""
    if lang == "en":
        return plural(n, "file") + (f", {plural(forms, 'form')}" if forms != n else "")
    return f"共 {n} 个文件" + (f" {forms} 张自评表" if forms != n else "")


def totals_line(report: Report, lang: str = "zh") -> str:
    """The line under several files: how many passed, need changes, could not be read."""
    counts = {"passed": 0, "needs-changes": 0, "unreadable": 0}
    for fr in report.files:
        counts[fr.status] += 1
    files = _files(len({fr.path for fr in report.files}), len(report.files), lang)
    skipped = len(report.skipped)
    if lang == "en":
        line = f"{files}: {counts['passed']} passed, {counts['needs-changes']} to fix, {counts['unreadable']} unreadable"
        return line + (f"; {skipped} skipped" if skipped else "")
    line = f"{files}：通过 {counts['passed']}，需修改 {counts['needs-changes']}，无法读取 {counts['unreadable']}"
    return line + (f"；跳过 {skipped} 个" if skipped else "")


def skipped_line(s: Skipped, lang: str = "zh") -> str:
    """'跳过 ~$a.xlsx：Office/WPS 锁定文件…' / 'skipped ~$a.xlsx: Office/WPS lock file …'."""
    return f"skipped {s.path}: {s.text('en')}" if lang == "en" else f"跳过 {s.path}：{s.reason}"


def batch_lines(result: BatchResult, lang: str = "zh") -> list[str]:
    """What ``perfxl batch`` prints when it is done: the counts and the files written."""
    c = result.counts
    files = _files(len({r.path for r in result.rows}), len(result.rows), lang)
    skipped = len(result.skipped)
    annotated = result.outdir / "annotated"
    if lang == "en":
        lines = [f"{files}: {c['通过']} passed, {c['需修改']} to fix, {c['无法读取']} unreadable"
                 + (f"; {skipped} skipped" if skipped else "")]
        lines += [f"wrote {p}" for p in result.outputs]
        lines.append(f"wrote {plural(len(result.annotated), 'annotated copy', 'annotated copies')} in {annotated}")
        return lines
    lines = [f"{files}：通过 {c['通过']}，需修改 {c['需修改']}，无法读取 {c['无法读取']}"
             + (f"；跳过 {skipped} 个" if skipped else "")]
    lines += [f"已写入 {p}" for p in result.outputs]
    lines.append(f"已写入 {len(result.annotated)} 个标注副本：{annotated}")
    return lines


def _sev(f: Finding, lang: str) -> str:
    return _SEV_EN[f.severity] if lang == "en" else f.severity.zh


def _plain(con: Console) -> bool:
    """Whether rich would write a line of text to ``con`` unchanged: no colours or styles
    (output that is not a terminal, or a terminal rich colours nothing), not recording, not a legacy Windows
    console.  Then :func:`_line` writes it itself: rich's per-line work (measuring,
    wrapping, asking the environment for the console size) was a tenth of
    ``perfxl check`` over a folder of clean workbooks (scripts/bench.py)."""
    return con.color_system is None and not con.legacy_windows and not con.record and not con.is_jupyter


def _line(con: Console, text: str, style: str, plain: bool, width: int) -> None:
    """One line, as ``con.print(Text(text, style=style))`` prints it (an empty one as
    ``con.print()``).  When ``plain`` (:func:`_plain`) and the line is printable and
    narrower than ``width``, rich would neither restyle, strip nor wrap it, so it is
    written directly."""
    if plain and text.isprintable():
        from rich.cells import cell_len

        if cell_len(text) < width:
            con.file.write(text + "\n")
            return
    if not text:
        con.print()
        return
    from rich.text import Text

    con.print(Text(text, style=style))


_BOX_TOP, _BOX_HEAD, _BOX_BOTTOM = ("┏", "━", "┳", "┓"), ("┡", "━", "╇", "┩"), ("└", "─", "┴", "┘")


def _table_lines(title: str, header: tuple[str, ...], rows: list[tuple[str, ...]], width: int) -> list[str] | None:
    """The lines rich's ``Table(title=…, title_justify="left", pad_edge=False)`` (heavy
    head, nothing wrapped) prints for these cells on a console without colours, or None
    when rich would have to do more than lay them out: a text it would not print as is,
    a table wider than ``width`` (it would wrap the messages) or a title wider than the
    table.  Rich's layout of a table costs ≈ 3.5 ms, a third of checking a project form;
    ``tests/test_render_plain.py`` holds this to rich's own output."""
    from rich.cells import cell_len

    every = [header, *rows]
    if not title.isprintable() or not all(t.isprintable() for r in every for t in r):
        return None
    n = len(header)
    widths = [max(cell_len(r[i]) for r in every) for i in range(n)]
    pads = [(0 if i == 0 else 1, 0 if i == n - 1 else 1) for i in range(n)]  # pad_edge=False
    spans = [w + a + b for w, (a, b) in zip(widths, pads)]
    total = sum(spans) + n + 1
    if total > width or cell_len(title) > total:
        return None

    def rule(left: str, line: str, cross: str, right: str) -> str:
        return left + cross.join(line * w for w in spans) + right

    def row(cells: tuple[str, ...], edge: str) -> str:
        return edge + edge.join(" " * a + c + " " * (w - cell_len(c) + b)
                                for c, w, (a, b) in zip(cells, widths, pads)) + edge

    return [title + " " * (total - cell_len(title)), rule(*_BOX_TOP), row(header, "┃"), rule(*_BOX_HEAD),
            *(row(r, "│") for r in rows), rule(*_BOX_BOTTOM)]


def render_file(fr: FileReport, con: Console, lang: str = "zh", strict: bool = False,
                plain: bool | None = None, width: int | None = None) -> None:
    """One file: a heading, a table per sheet (cell, code, severity, message), the verdict.
    ``plain`` and ``width`` are :func:`_plain` and the console's width, when the caller
    already knows them."""
    from rich.table import Table
    from rich.text import Text

    if plain is None:
        plain = _plain(con)
    if width is None:
        width = con.width
    en = lang == "en"
    name = fr.unit_name if fr.unit_name != fr.sheet else None  # a form's sheet named after its project: once
    _line(con, f"{fr.where}  {name}" if name else fr.where, "bold", plain, width)
    by_sheet: dict[str | None, list[Finding]] = {}
    for f in fr.findings:
        by_sheet.setdefault(f.sheet, []).append(f)
    header = ("cell", "code", "severity", "message") if en else ("单元格", "代码", "级别", "说明")
    utf = (con.encoding or "").lower().startswith("utf")
    for sheet, items in by_sheet.items():
        title = sheet if sheet else ("(file)" if en else "（文件）")
        rows = [(f.cell or "", f.code, _sev(f, lang), f.message(lang)) for f in items]
        lines = _table_lines(title, header, rows, width) if plain and utf else None
        if lines is not None:
            con.file.write("\n".join(lines) + "\n")
            continue
        # Text, not str: a sheet name or a quoted cell holding '[…]' is not rich markup.
        table = Table(title=Text(title, style="table.title"), title_justify="left", show_lines=False, expand=False, pad_edge=False)
        table.add_column(header[0], no_wrap=True)
        table.add_column(header[1], no_wrap=True)
        table.add_column(header[2], no_wrap=True)
        table.add_column(header[3], overflow="fold")
        for f, (cell, code, sev, message) in zip(items, rows):
            table.add_row(Text(cell), Text(code), Text(sev, style=_STYLE[f.severity]), Text(message))
        con.print(table)
    style = "bold red" if (not fr.readable or fr.failed(strict)) else "bold green"
    _line(con, verdict(fr, lang, strict), style, plain, width)


def render_report(report: Report, lang: str = "zh", strict: bool = False, file: IO[str] | None = None) -> None:
    """Every file of the report, in order, separated by a blank line; the totals after
    several files."""
    con = console(file)
    plain, width = _plain(con), con.width
    for i, fr in enumerate(report.files):
        if i:
            _line(con, "", "", plain, width)
        render_file(fr, con, lang, strict, plain, width)
    if len(report.files) > 1:
        _line(con, "", "", plain, width)
        _line(con, totals_line(report, lang), "bold", plain, width)


def render_rules(rules: Iterable[Rule], file: IO[str] | None = None, lang: str = "zh") -> None:
    """The catalogue as one table: code, severity, area, kinds, title — in one language."""
    from rich.table import Table
    from rich.text import Text

    en = lang == "en"
    con = console(file)
    table = Table(show_lines=False, pad_edge=False)
    for col in (("code", "severity", "area", "kinds", "title") if en else ("代码", "级别", "范围", "适用表", "名称")):
        table.add_column(col, no_wrap=col not in ("title", "名称"))
    for r in rules:
        table.add_row(r.code, Text(r.severity.value if en else r.severity.zh, style=_STYLE[r.severity]),
                      AREAS[r.area][1 if en else 0], kind_names(r.kinds, lang), r.title_en if en else r.title)
    con.print(table)


def render_rule(r: Rule, file: IO[str] | None = None, lang: str = "zh") -> None:
    """One rule in full: code and slug, title, severity, area, kinds, why, example, message."""
    from rich.text import Text

    en = lang == "en"
    con = console(file)
    con.print(Text(f"{r.code} {r.slug}", style="bold"))
    if en:
        rows = [
            ("title", r.title_en),
            ("severity", r.severity.value),
            ("area", AREAS[r.area][1]),
            ("kinds", kind_names(r.kinds, "en")),
            ("sheet", r.sheet or "—"),
            ("why", r.why_en),
            ("example", r.example_en),
            ("message", sentence(r.message_en)),
        ]
    else:
        rows = [
            ("名称", r.title),
            ("级别", r.severity.zh),
            ("范围", AREAS[r.area][0]),
            ("适用表", kind_names(r.kinds)),
            ("工作表", r.sheet or "—"),
            ("原因", r.why),
            ("示例", r.example),
            ("提示", r.message),
        ]
    sep = ": " if en else "："
    for k, v in rows:
        line = Text(f"{k}{sep}", style="bold")
        line.append(v)
        con.print(line)
