"""What the clerk and the reviewer read in perfxl's files: values in the finding's own
terms, the input cells behind a computed cell, markings told apart, comments sized to
their text, files that follow the umask, a chart that agrees with its table."""

from __future__ import annotations

import csv
import json
import os
import re
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from perfxl.annotate import BORDERS, FILLS, FINDINGS_SHEET, RELATED_BORDER, RELATED_FILLS, annotate, comment_size
from perfxl.batch import BatchOptions, run_batch
from perfxl.check import CheckOptions, check_file
from perfxl.findings import Severity
from perfxl.rulebook import default_rulebook
from perfxl.template import write_template

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
HR = SAMPLES / "009_示例县人力资源和社会保障局.xlsx"  # B001 on the computed 资金总额 D4, three B005
GOV = SAMPLES / "001_示例县人民政府办公室.xlsx"  # I010: a qualitative score outside its band
INPUT_FILL = "FFFFF2CC"  # the template's light-yellow input cells


def _report(path: Path) -> Any:
    return check_file(path, CheckOptions(default_rulebook()))


@pytest.fixture(scope="module")
def batch_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    inbox = tmp_path_factory.mktemp("in")
    for p in (HR, GOV, SAMPLES / "023_示例县医疗保障局.xlsx", SAMPLES / "000_桃源县科学技术协会.xlsx"):
        (inbox / p.name).write_bytes(p.read_bytes())
    out = tmp_path_factory.mktemp("out")
    run_batch([inbox], out, BatchOptions(jobs=1))
    return out


# --- 9: expected and actual in the finding's own terms -----------------------------------


def test_a_rate_reads_as_a_rate_and_nothing_expected_is_not_said(tmp_path: Path) -> None:
    report = _report(HR)
    b005 = next(f for f in report.findings if f.code == "B005" and f.cell == "H4")
    assert (b005.expected_text(), b005.actual_text()) == (None, "76.80%")
    d = b005.to_dict()
    assert d["expected"] is None and d["actual"] == pytest.approx(0.768, abs=1e-4) and d["actual_text"] == "76.80%"
    copy_ = openpyxl.load_workbook(annotate(report, tmp_path / "a.xlsx"))
    note = copy_["预算执行"]["H4"].comment.text
    assert "实际：76.80%" in note and "应为" not in note and "0.77" not in note
    # 校验结果: the rate as a number formatted as a rate, the expected cell left blank
    ws = copy_[FINDINGS_SHEET]
    row = next(r for r in range(6, ws.max_row + 1) if ws.cell(r, 3).value == "B005" and ws.cell(r, 6).value == "H4")
    assert ws.cell(row, 8).value is None
    assert ws.cell(row, 9).value == pytest.approx(0.768, abs=1e-4) and ws.cell(row, 9).number_format == "0.00%"


def test_a_range_reads_as_a_range() -> None:
    i010 = next(f for f in _report(GOV).findings if f.code == "I010")
    assert i010.expected_text() == "11.20–14.00" and i010.actual_text() == "7.00"
    assert i010.to_dict()["expected"] == [11.2, 14.0]
    assert "11.20 到 14.00" in i010.message()


def test_summary_and_csv_use_the_same_terms(batch_out: Path) -> None:
    rows = CalamineWorkbook.from_path(str(batch_out / "汇总表.xlsx")).get_sheet_by_name("问题清单").to_python()
    head = rows[0]
    by = {(r[head.index("代码")], r[head.index("单元格")]): r for r in rows[1:]}
    b005 = by[("B005", "H4")]
    assert b005[head.index("应为")] == "" and b005[head.index("实际")] == pytest.approx(0.768, abs=1e-4)
    assert by[("I010", "I10")][head.index("应为")] == "11.20–14.00"
    fmt = openpyxl.load_workbook(batch_out / "汇总表.xlsx")["问题清单"]
    cell = next(fmt.cell(r, 10) for r in range(2, fmt.max_row + 1)
                if fmt.cell(r, 5).value == "B005" and fmt.cell(r, 4).value == "H4")
    assert cell.number_format == "0.00%"
    with open(batch_out / "findings.csv", encoding="utf-8-sig") as fh:
        lines = {(r["代码"], r["单元格"]): r for r in csv.DictReader(fh)}
    assert (lines[("B005", "H4")]["应为"], lines[("B005", "H4")]["实际"]) == ("", "76.80%")
    assert lines[("I010", "I10")]["应为"] == "11.20–14.00"
    units = json.loads((batch_out / "summary.json").read_text("utf-8"))["units"]
    f = next(f for u in units for f in u["findings"] if f["code"] == "I010")
    assert f["expected"] == [11.2, 14.0] and f["expected_text"] == "11.20–14.00"


# --- 10: a finding on a computed cell points at the cells to change ---------------------


def test_a_balance_on_a_computed_total_names_and_marks_its_inputs(tmp_path: Path) -> None:
    report = _report(HR)
    b001 = next(f for f in report.findings if f.code == "B001")
    assert b001.cell == "D4"  # 资金总额, a formula over the four sources
    assert b001.related == ("D5", "D6", "D7", "D8", "D10", "D11", "D12")
    assert "D4 是计算单元格，请核对 D5:D8、D10:D12 中填写的数" in b001.message()
    assert "D4 is a computed cell: check the figures in D5:D8, D10:D12." in b001.message("en")
    ws = openpyxl.load_workbook(annotate(report, tmp_path / "a.xlsx"))["预算执行"]
    for cell in b001.related:
        c = ws[cell]
        assert c.fill.fgColor.rgb == RELATED_FILLS[Severity.ERROR], cell
        assert c.border.left.style == RELATED_BORDER and c.comment is None  # D4's comment names them
    assert ws["D9"].comment is None  # 基本支出, itself a formula: not a cell to change
    assert ws["D4"].fill.fgColor.rgb == FILLS[Severity.ERROR]


def test_three_public_balances_point_at_their_inputs_too(make_xlsx, seed_data) -> None:
    seed_data["three_public"]["total"] = {"actual": 4.75}  # typed over the computed 三公经费合计
    f = next(f for f in check_file(make_xlsx(seed_data), CheckOptions(default_rulebook())).findings
             if f.code == "S001")
    assert f.cell == "C4" and set(f.related) >= {"C5", "C6", "C8", "C9"}
    assert "C4 是计算单元格，请核对" in f.message()


# --- 11: warnings are visible, on screen and in grey scale ---------------------------------


def _grey(argb: str) -> float:
    r, g, b = (int(argb[i:i + 2], 16) for i in (2, 4, 6))
    return 0.299 * r + 0.587 * g + 0.114 * b


def test_markings_stand_apart_from_input_cells_and_each_other(tmp_path: Path) -> None:
    err, warn = FILLS[Severity.ERROR], FILLS[Severity.WARNING]
    assert err and warn and len({err, warn, INPUT_FILL, RELATED_FILLS[Severity.ERROR]}) == 4
    assert _grey(INPUT_FILL) - _grey(warn) > 40 and _grey(INPUT_FILL) - _grey(err) > 40  # darker than input cells
    styles = {BORDERS[Severity.ERROR][0], BORDERS[Severity.WARNING][0], RELATED_BORDER}
    assert len(styles) == 3  # solid, dashed, dotted: told apart without colour
    copy_ = openpyxl.load_workbook(annotate(_report(HR), tmp_path / "a.xlsx"))
    h4 = copy_["预算执行"]["H4"]
    assert h4.fill.fgColor.rgb == warn and h4.border.top.style == BORDERS[Severity.WARNING][0]
    legend = [c for c in copy_[FINDINGS_SHEET][4] if c.value]
    assert [c.value for c in legend] == ["图例", "错误：必须修改", "警告：须说明原因", "计算单元格出错时，请核对这些填报单元格"]
    assert [c.fill.fgColor.rgb for c in legend[1:]] == [err, warn, RELATED_FILLS[Severity.ERROR]]
    assert [c.border.top.style for c in legend[1:]] == [BORDERS[Severity.ERROR][0], BORDERS[Severity.WARNING][0],
                                                         RELATED_BORDER]


# --- 12: comments fit their text -------------------------------------------------------


def _vml_sizes(path: Path) -> dict[tuple[int, int], tuple[int, int]]:
    """(row, column) → (width, height) px of each comment box, as written in the VML
    (openpyxl reads every comment back as 144×79, whatever the file says)."""
    out = {}
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if name.endswith(".vml"):
                xml = z.read(name).decode()
                for shape in re.findall(r"<[^>]*shape [^>]*type=\"#_x0000_t202\".*?</[^>]*shape>", xml, re.S):
                    w, h = re.search(r"width:(\d+)px;height:(\d+)px", shape).groups()
                    row = int(re.search(r"Row>(\d+)<", shape).group(1))
                    col = int(re.search(r"Column>(\d+)<", shape).group(1))
                    out[(row, col)] = (int(w), int(h))
    return out


def test_comment_boxes_are_sized_to_their_text(tmp_path: Path) -> None:
    short, long_ = "【提示 V001】读作数字。", "\n\n".join(["【错误 B001】" + "资金总额全年执行数不等于基本支出、项目支出之和。" * 3] * 3)
    (ws, hs), (wl, hl) = comment_size(short), comment_size(long_)
    assert ws < wl <= 360 and hs < hl
    assert hl >= 15 * long_.count("\n")  # every line has room
    copy_ = annotate(_report(HR), tmp_path / "a.xlsx")
    sizes = _vml_sizes(copy_)
    wb = openpyxl.load_workbook(copy_)
    texts = {(c.row - 1, c.column - 1): c.comment.text for ws_ in wb for row in ws_.iter_rows() for c in row
             if c.comment is not None}
    assert sizes and set(sizes) <= set(texts)
    for key, (w, h) in sizes.items():
        assert (w, h) == comment_size(texts[key])
    assert len(set(sizes.values())) > 1  # not one size for every text


# --- 5: files follow the umask -----------------------------------------------------------


@pytest.mark.parametrize("umask, mode", [(0o022, 0o644), (0o027, 0o640)])
def test_written_files_follow_the_umask(umask: int, mode: int, tmp_path: Path) -> None:
    old = os.umask(umask)
    try:
        template = write_template(tmp_path / "模板.xlsx", year=2023)
        out = tmp_path / "out"
        inbox = tmp_path / "in"
        inbox.mkdir()
        (inbox / HR.name).write_bytes(HR.read_bytes())
        run_batch([inbox], out, BatchOptions(jobs=1))
    finally:
        os.umask(old)
    written = [template, *[p for p in out.rglob("*") if p.is_file()]]
    assert len(written) >= 6
    for p in written:
        assert p.stat().st_mode & 0o777 == mode, (p, oct(p.stat().st_mode))
    for d in (out, out / "annotated"):
        assert d.stat().st_mode & 0o777 == mode | 0o111 & ~umask, d


# --- 16: the chart counts the units not scored ----------------------------------------------


def test_the_grade_chart_counts_units_not_scored(batch_out: Path) -> None:
    table = CalamineWorkbook.from_path(str(batch_out / "汇总表.xlsx")).get_sheet_by_name("图表").to_python()
    counts = {r[0]: r[1] for r in table[1:6]}
    assert counts["未评分"] == 1 and sum(counts.values()) == 4  # every file is in the table
    with zipfile.ZipFile(batch_out / "汇总表.xlsx") as z:
        chart = z.read("xl/charts/chart1.xml").decode()
    assert "$A$2:$A$6" in chart and "$B$2:$B$6" in chart  # …and in the chart: 优 良 中 差 未评分
