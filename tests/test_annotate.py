"""The annotated copy: the original untouched apart from comments, fills and two sheets."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any, Callable

import openpyxl
import pytest

from perfxl.annotate import FILLS, FINDINGS_SHEET, SCORE_SHEET, annotate, comment_text
from perfxl.check import CheckOptions, check_file
from perfxl.catalogue import get_rule
from perfxl.findings import Severity
from perfxl.report import FileReport
from perfxl.rulebook import default_rulebook
from perfxl.spec import INDICATORS, PROFILE, SELF_SCORE

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
FORMATS = Path(__file__).resolve().parent / "data" / "formats"  # the seed as .xls and .ods
NAME = '=HYPERLINK("http://x","x")'
INDICATOR = "@SUM(1)"


def _options() -> CheckOptions:
    return CheckOptions(default_rulebook())


@pytest.fixture
def faulty(seed_data: dict[str, Any], make_xlsx: Callable[..., Path]) -> Path:
    """The seed unit with a formula-looking name and indicator, a wrong self-score and a
    wrong grade, written with merged 一级/二级 cells."""
    data = copy.deepcopy(seed_data)
    data["profile"]["name"] = NAME
    data["indicators"][1]["name"] = INDICATOR
    data["indicators"][2]["self_score"] = max(0, data["indicators"][2]["weight"] - 2)
    data["grade"] = "差"
    return make_xlsx(data, name="faulty.xlsx", merge_levels=True)


def _cells(ws: Any) -> dict[str, tuple[Any, str]]:
    return {c.coordinate: (c.value, c.data_type) for row in ws.iter_rows() for c in row
            if c.value is not None}


def test_every_original_cell_is_kept(faulty: Path, tmp_path: Path) -> None:
    report = check_file(faulty, _options())
    assert report.errors > 0
    dest = annotate(report, tmp_path / "out" / "faulty.xlsx", rulebook=default_rulebook())
    orig = openpyxl.load_workbook(faulty)
    copy_ = openpyxl.load_workbook(dest)
    assert copy_.sheetnames == [FINDINGS_SHEET, SCORE_SHEET, *orig.sheetnames]
    marked = {(f.sheet, f.cell) for f in report.findings if f.sheet and f.cell}
    for ws in orig.worksheets:
        cws = copy_[ws.title]
        assert _cells(cws) == _cells(ws), ws.title  # values and formulas, text stays text
        assert {str(r) for r in cws.merged_cells.ranges} == {str(r) for r in ws.merged_cells.ranges}
        assert len(cws.data_validations.dataValidation) == len(ws.data_validations.dataValidation)
        assert cws.sheet_state == ws.sheet_state
        assert cws.protection.sheet == ws.protection.sheet
        for row in ws.iter_rows():
            for c in row:
                cc = cws[c.coordinate]
                assert cc.number_format == c.number_format
                if (ws.title, c.coordinate) not in marked:
                    assert cc.fill.fgColor.rgb == c.fill.fgColor.rgb, (ws.title, c.coordinate)
                    assert cc.comment is None
    assert copy_.calculation.fullCalcOnLoad is True


def test_cells_at_fault_get_comment_and_fill(faulty: Path, tmp_path: Path) -> None:
    report = check_file(faulty, _options())
    dest = annotate(report, tmp_path / "a.xlsx")
    wb = openpyxl.load_workbook(dest)
    grade = wb[SELF_SCORE.name][SELF_SCORE.after_cell("grade")]
    t004 = [f for f in report.findings if f.code == "T004"]
    assert t004, [f.code for f in report.findings]
    assert "T004" in grade.comment.text and "应为" in grade.comment.text
    assert grade.fill.fgColor.rgb == FILLS[Severity.ERROR]
    for f in report.findings:
        if f.sheet in wb.sheetnames and f.cell:
            cell = wb[f.sheet][f.cell]
            if type(cell).__name__ == "MergedCell":
                continue
            assert f.code in cell.comment.text
            worst = min((g for g in report.findings if (g.sheet, g.cell) == (f.sheet, f.cell)),
                        key=lambda g: g.severity.rank).severity
            expected = FILLS[worst]
            if expected:
                assert cell.fill.fgColor.rgb == expected


def test_findings_sheet_lists_every_finding_with_a_link(faulty: Path, tmp_path: Path) -> None:
    report = check_file(faulty, _options())
    wb = openpyxl.load_workbook(annotate(report, tmp_path / "a.xlsx"))
    ws = wb.worksheets[0]
    assert ws.title == FINDINGS_SHEET and wb.active.title == FINDINGS_SHEET
    header_row = next(r for r in range(1, 10) if ws.cell(r, 1).value == "序号")
    listed = []
    assert [ws.cell(header_row, c).value for c in range(1, 10)] == [
        "序号", "严重程度", "代码", "问题", "工作表", "单元格", "说明", "应为", "实际"]
    for r in range(header_row + 1, header_row + 1 + len(report.findings)):
        listed.append((ws.cell(r, 3).value, ws.cell(r, 7).value))
        f = report.findings[r - header_row - 1]
        assert ws.cell(r, 2).value == f.severity.zh
        assert (ws.cell(r, 5).value, ws.cell(r, 6).value) == (f.sheet or "（整个文件）", f.cell)
        if f.sheet and f.cell:
            where = ws.cell(r, 6)
            assert where.hyperlink.location == f"'{f.sheet}'!{f.cell}"
            assert where.hyperlink.target is None  # internal: no external relationship
    assert listed == [(f.code, f.message()) for f in report.findings]


def test_score_sheet_shows_each_indicator_beside_its_self_score(faulty: Path, tmp_path: Path) -> None:
    report = check_file(faulty, _options())
    card = report.score
    assert card is not None and card.indicators
    ws = openpyxl.load_workbook(annotate(report, tmp_path / "a.xlsx"))[SCORE_SHEET]
    by_name = {ws.cell(r, 3).value: r for r in range(5, ws.max_row + 1) if ws.cell(r, 3).value}
    for s in card.indicators:
        r = by_name[s.indicator.name.value]
        assert ws.cell(r, 6).value == pytest.approx(s.weight)
        assert ws.cell(r, 7).value == pytest.approx(s.self_score)
        assert ws.cell(r, 8).value == pytest.approx(round(s.score, 2))
        assert ws.cell(r, 5).hyperlink.location.startswith(f"'{INDICATORS.name}'!")
    labels = [ws.cell(r, 1).value for r in range(5, ws.max_row + 1)]
    assert "总分" in labels and "预算执行率" in labels and "等级" in labels
    total_row = 5 + labels.index("总分")
    assert ws.cell(total_row, 8).value == pytest.approx(card.total)


def test_workbook_text_stays_text_in_the_copy(faulty: Path, tmp_path: Path) -> None:
    from python_calamine import CalamineWorkbook

    report = check_file(faulty, _options())
    assert report.unit is not None and report.unit.name == NAME
    dest = annotate(report, tmp_path / "a.xlsx")
    wb = openpyxl.load_workbook(dest)
    name_cell = wb[PROFILE.name][PROFILE.cell("name")]
    assert (name_cell.value, name_cell.data_type) == (NAME, "s")
    ws = wb[SCORE_SHEET]
    hits = [ws.cell(r, 3) for r in range(1, ws.max_row + 1) if ws.cell(r, 3).value == INDICATOR]
    assert hits and all(c.data_type == "s" for c in hits)
    book = CalamineWorkbook.from_path(str(dest))
    score_rows = book.get_sheet_by_name(SCORE_SHEET).to_python()
    assert any(INDICATOR in row for row in score_rows)
    profile_rows = book.get_sheet_by_name(PROFILE.name).to_python()
    assert any(NAME in row for row in profile_rows)


def test_an_unreadable_file_gets_no_copy(tmp_path: Path) -> None:
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"PK\x03\x04 not really a zip")
    report = check_file(bad, _options())
    assert not report.readable
    with pytest.raises(ValueError):
        annotate(report, tmp_path / "copy.xlsx")
    assert not (tmp_path / "copy.xlsx").exists()


def test_merged_cell_and_existing_comment(tmp_path: Path) -> None:
    from openpyxl.comments import Comment

    src = tmp_path / "m.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = INDICATORS.name
    ws["A4"] = "产出指标"
    ws.merge_cells("A4:A6")
    ws["C4"] = "指标"
    ws["C4"].comment = Comment("填报人的说明", "clerk")
    wb.save(src)
    i009 = get_rule("I009")
    findings = [i009(INDICATORS.name, "A5", expected=1.0, actual=2.0),
                i009(INDICATORS.name, "C4", expected=1.0, actual=2.0)]
    report = FileReport(path=str(src), findings=findings)
    out = openpyxl.load_workbook(annotate(report, tmp_path / "out.xlsx"))[INDICATORS.name]
    assert "I009" in out["A4"].comment.text  # the merged range's top-left cell
    assert out["A4"].fill.fgColor.rgb == FILLS[i009.severity]
    assert out["C4"].comment.text.startswith("原批注：填报人的说明")
    assert "I009" in out["C4"].comment.text
    assert comment_text(findings[:1]) in out["A4"].comment.text


def test_a_sheet_name_already_taken_gets_a_suffix(tmp_path: Path) -> None:
    src = tmp_path / "again.xlsx"
    wb = openpyxl.Workbook()
    wb.active.title = FINDINGS_SHEET
    wb.active["A1"] = "an earlier copy"
    wb.save(src)
    out = openpyxl.load_workbook(annotate(FileReport(path=str(src)), tmp_path / "o.xlsx"))
    assert out.sheetnames[:2] == [f"{FINDINGS_SHEET}_2", SCORE_SHEET]
    assert out[FINDINGS_SHEET]["A1"].value == "an earlier copy"


@pytest.mark.parametrize("suffix", [".xls", ".ods"])
def test_xls_and_ods_become_an_xlsx_of_values(tmp_path: Path, suffix: str) -> None:
    src = next(iter(sorted(FORMATS.glob(f"*{suffix}"))))
    report = check_file(src, _options())
    assert report.readable
    dest = annotate(report, tmp_path / "v.xlsx")
    wb = openpyxl.load_workbook(dest)
    assert wb.sheetnames[:2] == [FINDINGS_SHEET, SCORE_SHEET]
    assert wb[PROFILE.name][PROFILE.cell("name")].value == report.unit.name
    assert "只含各单元格的值" in wb[FINDINGS_SHEET]["A3"].value and "原文件不是 .xlsx" in wb[FINDINGS_SHEET]["A3"].value


@pytest.mark.lo
def test_copy_opens_in_libreoffice(faulty: Path, tmp_path: Path, soffice_convert: Callable[..., Path]) -> None:
    report = check_file(faulty, _options())
    dest = annotate(report, tmp_path / "copy.xlsx", rulebook=default_rulebook())
    pdf = soffice_convert(dest, "pdf", tmp_path / "pdf")
    assert pdf.stat().st_size > 1000


def test_a_workbook_openpyxl_cannot_load_becomes_a_values_copy(faulty: Path, tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    report = check_file(faulty, _options())

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise KeyError("a part openpyxl does not understand")

    monkeypatch.setattr(openpyxl, "load_workbook", refuse)
    dest = annotate(report, tmp_path / "v.xlsx")
    monkeypatch.undo()
    wb = openpyxl.load_workbook(dest)
    assert wb[PROFILE.name][PROFILE.cell("name")].value == NAME
    assert wb[PROFILE.name][PROFILE.cell("name")].data_type == "s"
    note = wb[FINDINGS_SHEET]["A3"].value
    assert "只含各单元格的值" in note
    # why, in the copy itself: not the wrong "不是 .xlsx" of an .xlsx
    assert "openpyxl 未能打开原文件（KeyError" in note and "不是 .xlsx" not in note
    t004 = next(f for f in report.findings if f.code == "T004")
    assert "T004" in wb[t004.sheet][t004.cell].comment.text


def test_added_sheets_are_styled_per_cell(faulty: Path, tmp_path: Path) -> None:
    """Header, severity, link, subtotal and body cells each carry their own style (the
    style ids are cached per workbook; a wrong id would show as a wrong font or fill)."""
    report = check_file(faulty, _options())
    wb = openpyxl.load_workbook(annotate(report, tmp_path / "a.xlsx"))
    ws = wb[FINDINGS_SHEET]
    assert ws.cell(1, 1).font.b and ws.cell(1, 1).font.sz == 14
    assert ws.cell(2, 1).font.color.rgb == "FF595959" and not ws.cell(2, 1).font.b
    for c in range(1, 10):
        head = ws.cell(5, c)
        assert head.font.b and head.font.name == "等线" and head.font.sz == 10
        assert head.fill.fgColor.rgb == "FFDDEBF7" and head.alignment.horizontal == "center"
        assert head.border.bottom.style == "thin"
    for i, f in enumerate(report.findings, start=6):
        sev = ws.cell(i, 2)
        assert sev.font.b and sev.font.color.rgb == {Severity.ERROR: "FF9C0006", Severity.WARNING: "FF9C5700",
                                                     Severity.INFO: "FF1F4E79"}[f.severity]
        assert (sev.fill.fgColor.rgb if FILLS[f.severity] else None) == FILLS[f.severity]
        assert ws.cell(i, 7).alignment.wrap_text and not ws.cell(i, 1).alignment.wrap_text
        assert ws.cell(i, 1).alignment.vertical == "top" and not ws.cell(i, 1).font.b
        if f.sheet and f.cell:
            assert ws.cell(i, 6).font.u == "single" and ws.cell(i, 6).font.color.rgb == "FF0563C1"
    ws = wb[SCORE_SHEET]
    labels = {ws.cell(r, 1).value: r for r in range(5, ws.max_row + 1)}
    total = labels["总分"]
    assert all(ws.cell(total, c).font.b for c in range(1, 11))
    # 差异 (column 9) is amber instead when it exceeds the tolerance.
    assert all(ws.cell(total, c).fill.fgColor.rgb == "FFF2F2F2" for c in range(1, 11) if c != 9)
    assert ws.cell(total, 9).fill.fgColor.rgb in ("FFF2F2F2", FILLS[Severity.WARNING])
    body = next(r for r in range(5, total) if ws.cell(r, 3).value)
    assert not ws.cell(body, 3).font.b and ws.cell(body, 3).alignment.wrap_text
    assert ws.cell(body, 3).fill.fill_type is None


@pytest.mark.skipif(not hasattr(__import__("os"), "fork"), reason="needs os.fork")
def test_an_xls_copy_is_read_through_the_readers_isolated_guarded_read(tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """The values of an .xls are parsed in the reader's isolated child, not in this
    process: a parser that aborts, hangs or finds too many rows costs the copy (F903 in a
    batch), never the process, and the row limit holds as it does for checking."""
    import dataclasses
    import os
    import time

    import perfxl.read.grids as grids
    from perfxl.annotate import AnnotateError

    src = next(iter(sorted(FORMATS.glob("*.xls"))))
    report = check_file(src, _options())
    assert report.readable
    rb = default_rulebook()

    few_rows = dataclasses.replace(rb, limits=dataclasses.replace(rb.limits, max_rows=50))
    with pytest.raises(AnnotateError, match="TooManyRows"):
        annotate(report, tmp_path / "rows.xlsx", rulebook=few_rows)

    monkeypatch.setattr(grids, "read_grids", lambda *a, **k: os.abort())  # calamine aborting
    with pytest.raises(AnnotateError, match="crashed"):
        annotate(report, tmp_path / "abort.xlsx", rulebook=rb)

    monkeypatch.setattr(grids, "read_grids", lambda *a, **k: time.sleep(30))
    quick = dataclasses.replace(rb, limits=dataclasses.replace(rb.limits, timeout_seconds=1))
    started = time.monotonic()
    with pytest.raises(AnnotateError, match="timed out"):
        annotate(report, tmp_path / "hang.xlsx", rulebook=quick)
    assert time.monotonic() - started < 10
    assert not any(tmp_path.glob("*.xlsx"))


@pytest.mark.parametrize("sample", ["p003_示例县发展和改革局_地方粮食储备.xlsx",  # no finding
                                    "p011_示例县工业和信息化局_中小企业发展专项.xlsx"])  # one, on the form's sheet
def test_legend_and_sheet_names_fit_their_columns(sample: str, tmp_path: Path) -> None:
    """A copy with few or no findings has narrow columns: each legend entry still fits the
    columns it spans, and a form's sheet name fits the 工作表 column (or wraps there)."""
    from openpyxl.utils import get_column_letter

    from perfxl.annotate.findings_sheet import _LEGEND
    from perfxl.layout import text_width

    report = check_file(SAMPLES / "projects" / sample, _options())
    ws = openpyxl.load_workbook(annotate(report, tmp_path / "a.xlsx"))[FINDINGS_SHEET]
    width = {c: ws.column_dimensions[get_column_letter(c)].width for c in range(1, 10)}
    legend = {ws.cell(4, c1).value: sum(width[c] for c in range(c1, c2 + 1)) for (c1, c2), *_ in _LEGEND}
    assert len(legend) == 3 and all(w >= text_width(text) for text, w in legend.items()), legend
    sheets = [ws.cell(r, 5).value for r in range(6, 6 + len(report.findings))]
    assert all(ws.cell(r, 5).alignment.wrap_text for r in range(6, 6 + len(report.findings)))
    assert all(width[5] >= text_width(s) for s in sheets if s and len(s) <= 9), (sheets, width[5])
    assert bool(report.findings) == (sample.startswith("p011")) and (not sheets or "项目支出绩效自评表" in sheets)
