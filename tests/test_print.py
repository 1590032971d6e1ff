"""What the reviewer prints: page setup of every sheet perfxl writes (read back with
openpyxl, then printed through LibreOffice and read back from the PDF with poppler),
column widths and row heights from the content, the blank template as a form, and links
from 汇总 to the annotated copies that resolve."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from typing import Callable

import openpyxl
import pytest

from perfxl.batch import BatchOptions, run_batch
from perfxl.layout import PORTRAIT_WIDTH, text_width, wrapped_lines
from perfxl.spec import COMPLETIONS, INDICATORS, INSTRUCTIONS
from perfxl.summary import SUMMARY_COLUMNS, RunInfo, SummaryRow, UnitDetail, write_outputs
from perfxl.template import instructions_lines, write_template

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
FOOTER = re.compile(r"第 (\d+) 页，共 (\d+) 页")


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A batch over every sample."""
    folder = tmp_path_factory.mktemp("batch")
    run_batch([SAMPLES], folder, BatchOptions(jobs=2))
    return folder


def _widths(ws: openpyxl.worksheet.worksheet.Worksheet) -> list[float]:
    from openpyxl.utils import get_column_letter

    return [ws.column_dimensions[get_column_letter(c)].width or 8.43 for c in range(1, ws.max_column + 1)
            if not ws.column_dimensions[get_column_letter(c)].hidden]


def _assert_prints_like_an_office(ws, header_rows: str | None) -> None:
    ps = ws.page_setup
    assert ps.paperSize in (9, "9") and ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
    fit = (int(ps.fitToWidth or 1), int(ps.fitToHeight if ps.fitToHeight is not None else 1))
    assert fit == ((1, 1) if ws.title == "图表" else (1, 0)), ws.title  # one page wide (图表: one page)
    wide = sum(_widths(ws)) > PORTRAIT_WIDTH
    assert ps.orientation == ("landscape" if wide or ws.title == "图表" else "portrait"), ws.title
    assert "&P" in (ws.oddFooter.center.text or "") and "&N" in ws.oddFooter.center.text, ws.title
    if header_rows:
        assert (ws.print_title_rows or "").replace("$", "") == header_rows, ws.title
        assert ws.freeze_panes is not None, ws.title


def test_every_summary_sheet_prints_like_an_office(out: Path) -> None:
    wb = openpyxl.load_workbook(out / "汇总表.xlsx")
    heads = {"汇总": "1:3", "项目": "1:3", "问题清单": "1:1", "规则统计": "1:1", "共性指标": "1:1", "图表": None, "说明": None}
    assert wb.sheetnames == list(heads)
    for name, rows in heads.items():
        _assert_prints_like_an_office(wb[name], rows)
    assert wb["汇总"].page_setup.orientation == "landscape" and wb["说明"].page_setup.orientation == "portrait"


def test_summary_columns_fit_their_content(out: Path) -> None:
    wb = openpyxl.load_workbook(out / "汇总表.xlsx")
    ws = wb["汇总"]
    head = [c.value for c in ws[3]]
    names = [ws.cell(r, head.index("单位名称") + 1).value for r in range(4, ws.max_row + 1)]
    files = [ws.cell(r, head.index("文件") + 1).value for r in range(4, ws.max_row + 1)]
    widths = _widths(ws)
    # long unit and file names are not cut: the column holds them on one line (or wraps, never hides)
    assert widths[head.index("单位名称")] >= max(text_width(n) for n in names)
    widest = {h: w for h, _a, _k, w in SUMMARY_COLUMNS}
    assert widths[head.index("文件")] >= min(max(text_width(f) for f in files), widest["文件"]) - 0.01
    # and columns of short values stay narrow, so the page is not shrunk for nothing
    assert widths[head.index("排名")] < 8 and widths[head.index("年度")] < 8
    # 问题清单: a row is one line tall where its text fits on one line
    fs = wb["问题清单"]
    fhead = [c.value for c in fs[1]]
    fw = dict(zip(fhead, _widths(fs)))
    for r in range(2, fs.max_row + 1):
        lines = max(wrapped_lines(str(fs.cell(r, fhead.index(k) + 1).value or ""), fw[k])
                    for k in ("问题", "说明", "应为", "实际", "单位", "文件"))
        height = fs.row_dimensions[r].height
        assert (height is None) == (lines == 1), (r, lines, height)


def test_annotated_copies_print_like_an_office(out: Path) -> None:
    wb = openpyxl.load_workbook(out / "annotated" / "009_示例县人力资源和社会保障局.xlsx")
    assert wb.sheetnames[:2] == ["校验结果", "复核评分"]
    heads = {"校验结果": "5:5", "复核评分": "4:4", "预算执行": "3:3", "三公经费": "3:3", "绩效目标": "3:3",
             INDICATORS.name: "3:3", "自评得分": "3:3", "填报说明": None, "基本信息": None}
    for name, rows in heads.items():
        _assert_prints_like_an_office(wb[name], rows)
    assert wb[INDICATORS.name].page_setup.orientation == "landscape"
    assert wb["填报说明"].page_setup.orientation == "portrait"


def _pdf_pages(pdf: Path) -> list[tuple[str, str]]:
    """(orientation, text) of each page (poppler's pdfinfo and pdftotext)."""
    info = subprocess.run(["pdfinfo", "-f", "1", "-l", "999", str(pdf)], capture_output=True, text=True,
                          check=True).stdout
    sizes = re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+)", info)
    pages = []
    for i, (w, h) in enumerate(sizes, start=1):
        text = subprocess.run(["pdftotext", "-layout", "-f", str(i), "-l", str(i), str(pdf), "-"],
                              capture_output=True, text=True, check=True).stdout
        pages.append(("landscape" if float(w) > float(h) else "portrait", text))
    return pages


@pytest.mark.lo
@pytest.mark.slow
def test_a_long_summary_prints_with_its_header_and_page_numbers_on_every_page(
        tmp_path: Path, soffice_convert: Callable[..., Path]) -> None:
    if shutil.which("pdftotext") is None:
        pytest.skip("poppler-utils not installed")
    rows = [SummaryRow(index=i, path=f"收件箱/第{i:03d}号单位的自评表（报送稿）.xlsx", name=f"示例县第{i:03d}号单位管理服务中心",
                       credit_code="11990101000000000X", year=2023, budget=1000.0 + i, actual=950.0, rate=0.95,
                       self_total=95.0, total=94.0 - i / 10, self_grade="优", grade="优",
                       annotated=f"annotated/{i:03d}.xlsx") for i in range(120)]
    write_outputs(tmp_path, rows, lambda r: UnitDetail(), RunInfo(rulebook_id="cz-2020-10"))
    pages = _pdf_pages(soffice_convert(tmp_path / "汇总表.xlsx", "pdf", tmp_path / "pdf"))
    summary = [p for p in pages if "单位名称" in p[1] and "统一社会信用代码" in p[1]]
    assert len(summary) >= 3  # 120 units: several pages, each with the header row
    assert all(o == "landscape" for o, _ in summary)
    numbers = [FOOTER.search(t) for _, t in pages]
    assert all(numbers) and [int(m.group(1)) for m in numbers] == list(range(1, len(pages) + 1))
    assert {int(m.group(2)) for m in numbers} == {len(pages)}
    # nothing cut: every unit's name and file are on the pages
    text = "".join(t for _, t in summary).replace(" ", "").replace("\n", "")
    assert all(r.name in text for r in rows)


@pytest.mark.lo
def test_the_blank_template_prints_as_a_form(tmp_path: Path, soffice_convert: Callable[..., Path]) -> None:
    if shutil.which("pdftotext") is None:
        pytest.skip("poppler-utils not installed")
    path = write_template(tmp_path / "模板.xlsx", year=2023)
    wb = openpyxl.load_workbook(path)
    # 填报说明 fits a portrait page; 绩效指标 prints its empty input rows; 完成情况's longest
    # choice fits its column
    assert sum(_widths(wb[INSTRUCTIONS.name])) <= PORTRAIT_WIDTH
    ind = wb[INDICATORS.name]
    assert ind.print_area == f"'{INDICATORS.name}'!$A$1:$K${INDICATORS.first_row + INDICATORS.blank_rows - 1}"
    comp = _widths(ind)[INDICATORS.col_of("completion") - 1]
    assert comp >= max(text_width(c, size=11) for c in COMPLETIONS)
    pages = _pdf_pages(soffice_convert(path, "pdf", tmp_path / "pdf"))
    instructions = "".join(t for _, t in pages if "填报说明" in t or "评分规则" in t or "模板信息" in t)
    flat = instructions.replace(" ", "").replace("\n", "")
    for line in instructions_lines(2023, __import__("perfxl.rulebook").rulebook.default_rulebook(), None):
        assert line.replace(" ", "")[-8:] in flat, line  # each line's end is on the page, not cut off
    assert pages[0][0] == "portrait"
    form = [t for _, t in pages if "偏差原因分析及改进措施" in t]
    assert len(form) >= 2  # 100 blank rows over several pages, the header on each
    assert all(FOOTER.search(t) for _, t in pages)


def test_the_blank_project_form_prints_its_instructions_whole(tmp_path: Path,
                                                               soffice_convert: Callable[..., Path]) -> None:
    from perfxl.rulebook import default_rulebook
    from perfxl.template_project import project_instructions, write_project_template

    if shutil.which("pdftotext") is None:
        pytest.skip("poppler-utils not installed")
    path = write_project_template(tmp_path / "项目模板.xlsx", year=2023)
    assert sum(_widths(openpyxl.load_workbook(path)["填报说明"])) <= PORTRAIT_WIDTH
    pages = _pdf_pages(soffice_convert(path, "pdf", tmp_path / "pdf"))
    assert pages[0][0] == "portrait"
    flat = pages[0][1].replace(" ", "").replace("\n", "")
    for line in project_instructions(2023, default_rulebook()):
        assert line.replace(" ", "")[-8:] in flat, line  # each line's end is on the page, not cut off


@pytest.mark.lo
def test_links_to_the_annotated_copies_resolve(out: Path, tmp_path: Path, soffice_convert: Callable[..., Path]) -> None:
    import zipfile

    with zipfile.ZipFile(out / "汇总表.xlsx") as z:
        rels = z.read("xl/worksheets/_rels/sheet1.xml.rels").decode()
    targets = re.findall(r'Target="([^"]+)" TargetMode="External"', rels)
    assert len(targets) == 31 and all("\\" not in t and t.startswith("annotated/") for t in targets)
    ws = openpyxl.load_workbook(out / "汇总表.xlsx")["汇总"]
    links = [c.hyperlink.target for row in ws.iter_rows() for c in row if c.hyperlink is not None]
    assert links and all((out / t).is_file() for t in links)
    # LibreOffice reads them as the same relative links (flat ODS keeps them as text)
    fods = soffice_convert(out / "汇总表.xlsx", "fods", tmp_path / "lo")
    hrefs = [h for h in re.findall(r'xlink:href="([^"]+)"', fods.read_text("utf-8")) if "annotated/" in h]
    assert len(hrefs) >= 31
    assert all((fods.parent / h).resolve().is_file() for h in hrefs), hrefs[:3]
