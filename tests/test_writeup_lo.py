"""Real clients: every report perfxl writes, and the shipped templates, open in LibreOffice
and convert to PDF; the PDF's text holds the figures."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Callable

import pytest

from perfxl.batch import BatchOptions, run_batch
from perfxl.writeup import ReportOptions, write_reports
from perfxl.writeup.pdf import to_pdf

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "samples" / "000_桃源县科学技术协会.xlsx"
COUNTY = "全县部门整体支出绩效自评情况报告"

pytestmark = pytest.mark.lo


def _pdf_text(pdf: Path) -> str:
    exe = shutil.which("pdftotext")
    if exe is None:
        pytest.skip("pdftotext (poppler-utils) not installed")
    out = subprocess.run([exe, "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return "".join(out.split())  # the layout breaks lines anywhere: compare without white space


def _pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


@pytest.fixture(scope="module")
def batch_reports(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("batch")
    run_batch([ROOT / "samples"], out, BatchOptions(jobs=2, reports=ReportOptions()))
    return out / "reports"


def test_the_seed_draft_converts_and_its_pdf_holds_the_figures(tmp_path: Path, soffice_convert: Callable[..., Path]):
    draft = write_reports([SEED], tmp_path).drafts[0].path
    pdf = soffice_convert(draft, "pdf", tmp_path / "lo")
    body = _pdf_text(pdf)
    for figure in ("309.39", "285.84", "减少16.89万元，减少5.18%", "108.24%", "3.75万元，占100%", "26个", "270人次",
                   "95分", "“优”", "【请填写：单位负责人】"):
        assert figure in body, figure
    assert 5 <= _pages(pdf) <= 12


def test_drafts_with_errors_and_the_county_report_convert(batch_reports: Path, tmp_path: Path,
                                                          soffice_convert: Callable[..., Path]):
    draft = soffice_convert(batch_reports / "示例县人力资源和社会保障局_2023_绩效自评报告.docx", "pdf", tmp_path / "lo")
    assert _pdf_text(draft).startswith("请先修改自评表")
    county = soffice_convert(batch_reports / f"{COUNTY}.docx", "pdf", tmp_path / "lo")
    body = _pdf_text(county)
    for part in ("一、基本情况", "本次共收到31个部门（单位）的自评表", "二、自评结果", "三、审核发现的主要问题", "四、整改要求",
                 "五、共性指标分析", "各单位自评结果"):
        assert part in body, part
    assert _pages(county) >= 4


def test_every_draft_of_the_samples_converts_in_one_call(batch_reports: Path):
    docs = sorted(batch_reports.glob("*.docx"))
    assert len(docs) == 32
    work = batch_reports.parent / "copies"
    work.mkdir()
    copies = [Path(shutil.copy(d, work / d.name)) for d in docs]
    result = to_pdf(copies)
    assert result.failed == []
    assert sorted(p.name for p in result.written) == sorted(d.with_suffix(".pdf").name for d in docs)
    assert all(p.read_bytes().startswith(b"%PDF") for p in result.written)


@pytest.mark.parametrize("name", ["部门整体支出绩效自评报告.docx", f"{COUNTY}.docx"])
def test_the_shipped_templates_open_in_libreoffice(name: str, tmp_path: Path, soffice_convert: Callable[..., Path]):
    pdf = soffice_convert(ROOT / "templates" / name, "pdf", tmp_path)
    assert "{{年度}}" in _pdf_text(pdf)


def test_the_pdf_option_writes_a_pdf_beside_each_report(tmp_path: Path):
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice (soffice) not installed")
    result = write_reports([SEED], tmp_path, ReportOptions(pdf=True))
    d = result.drafts[0]
    assert result.pdf_note == ""
    assert d.pdf == d.path.with_suffix(".pdf")
    assert "309.39" in _pdf_text(d.pdf)
