"""`perfxl check` lays out its findings tables itself when rich would only lay them out
(perfxl.render._table_lines): the text must be rich's own, character for character."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from rich.console import Console

from perfxl.check import CheckOptions, check_paths
from perfxl.findings import Finding
from perfxl.render import _table_lines, render_file
from perfxl.report import FileReport
from perfxl.rulebook import default_rulebook

SAMPLES = Path(__file__).resolve().parent.parent / "samples"


def _console(width: int) -> Console:
    return Console(file=io.StringIO(), width=width, color_system=None, highlight=False, soft_wrap=False)


def _both(fr: FileReport, lang: str, width: int) -> tuple[str, str]:
    fast, slow = _console(width), _console(width)
    render_file(fr, fast, lang, plain=True, width=width)
    render_file(fr, slow, lang, plain=False, width=width)
    return fast.file.getvalue(), slow.file.getvalue()  # type: ignore[attr-defined]


@pytest.fixture(scope="module")
def sample_reports() -> list[FileReport]:
    report = check_paths([SAMPLES], CheckOptions(default_rulebook()))
    return [fr for fr in report.files if fr.findings]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_samples_table_reads_as_rich_prints_it(sample_reports: list[FileReport], lang: str) -> None:
    assert len(sample_reports) > 50
    for fr in sample_reports:
        fast, slow = _both(fr, lang, 160)
        assert fast == slow, fr.path


def test_a_narrow_console_still_gets_rich_s_wrapping(sample_reports: list[FileReport]) -> None:
    """Too wide for the console: rich wraps the messages, and prints it all."""
    fr = max(sample_reports, key=lambda r: max(len(f.message("zh")) for f in r.findings))
    fast, slow = _both(fr, "zh", 60)
    assert fast == slow and max(len(ln) for ln in fast.splitlines()) <= 60


def test_markup_and_odd_text_from_a_workbook_is_printed_as_written() -> None:
    """A sheet named '[项目1]' and a message quoting '[bold]…[/bold]' are text, not rich
    markup, on both paths; a tab sends the table to rich, which prints it too."""
    rows = [("B4", "V001", "提示", "单元格是文本“[bold]10分[/bold]”，已按数字 10.00 读取。"), ("", "F011", "提示", "x")]
    lines = _table_lines("[项目1]", ("单元格", "代码", "级别", "说明"), rows, 160)
    assert lines is not None and lines[0].startswith("[项目1]") and "[bold]10分[/bold]" in lines[4]
    assert _table_lines("表", ("a", "b", "c", "d"), [("A1", "V001", "提示", "有\t制表符")], 160) is None
    assert _table_lines("一个比表格宽得多的工作表名称" * 3, ("a", "b", "c", "d"), [("A1", "X", "i", "m")], 160) is None

    fr = FileReport(path="[x].xlsx", findings=[_finding("[项目1]", "[bold]写在单元格里[/bold]")], readable=True)
    fast, slow = _both(fr, "zh", 160)
    assert fast == slow and "[bold]写在单元格里[/bold]" in fast and "[项目1]" in fast


def _finding(sheet: str, text: str) -> Finding:
    from perfxl.codes.values import V001

    return V001(sheet, "B4", actual=text, expected="10.00")
