"""``perfxl report``: exit codes, what it says, bad templates, --pdf without LibreOffice."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

from perfxl.cli import main
from test_cli_check import cli  # (code, stdout, stderr) of one perfxl command

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "samples" / "000_桃源县科学技术协会.xlsx"
WITH_ERRORS = ROOT / "samples" / "009_示例县人力资源和社会保障局.xlsx"


def test_exit_0_and_the_draft_for_a_clean_workbook(monkeypatch, capsys, tmp_path):
    rc, out, err = cli(monkeypatch, capsys, "report", SEED, "-o", tmp_path)
    assert rc == 0, err
    draft = tmp_path / "桃源县科学技术协会_2023_绩效自评报告.docx"
    assert out.strip() == f"已写入 {draft}"
    assert draft.stat().st_size > 10_000


def test_exit_1_when_a_workbook_has_errors_and_the_draft_says_so(monkeypatch, capsys, tmp_path):
    rc, out, _ = cli(monkeypatch, capsys, "report", SEED, WITH_ERRORS, "-o", tmp_path)
    assert rc == 1
    assert "示例县人力资源和社会保障局_2023_绩效自评报告.docx（自评表有 1 个错误，首页列出须修改之处" in out
    assert len(list(tmp_path.glob("*.docx"))) == 2


def test_exit_2_for_an_unreadable_workbook_the_others_still_get_theirs(monkeypatch, capsys, tmp_path):
    junk = tmp_path / "junk.xlsx"
    junk.write_bytes(b"\x00not a workbook")
    rc, out, err = cli(monkeypatch, capsys, "report", junk, SEED, "-o", tmp_path / "out")
    assert rc == 2
    assert f"未生成报告草稿 {junk}" in err and "F003" in err
    assert [p.name for p in (tmp_path / "out").glob("*.docx")] == ["桃源县科学技术协会_2023_绩效自评报告.docx"]


def test_exit_2_for_a_missing_input(monkeypatch, capsys, tmp_path):
    rc, _, err = cli(monkeypatch, capsys, "report", tmp_path / "无.xlsx", "-o", tmp_path)
    assert rc == 2
    assert "找不到输入" in err and "Traceback" not in err


def test_a_folder_is_searched_like_batch_does(monkeypatch, capsys, tmp_path, make_xlsx, seed_data):
    make_xlsx(seed_data, name="收件箱/甲.xlsx")
    (tmp_path / "收件箱" / "说明.txt").write_text("x", encoding="utf-8")
    rc, out, _ = cli(monkeypatch, capsys, "report", tmp_path / "收件箱", "-o", tmp_path / "out")
    assert rc == 0
    assert [p.name for p in (tmp_path / "out").glob("*.docx")] == ["桃源县科学技术协会_2023_绩效自评报告.docx"]


def test_a_template_with_an_unknown_field_stops_with_its_name(monkeypatch, capsys, tmp_path):
    from docx import Document

    doc = Document()
    doc.add_paragraph("{{ 单位名称 }}的地址：{{ 单位地址 }}")
    tpl = tmp_path / "县模板.docx"
    doc.save(tpl)
    rc, out, err = cli(monkeypatch, capsys, "report", SEED, "-o", tmp_path / "out", "--template", tpl)
    assert rc == 2
    assert err.startswith(f"错误 [E021] {tpl}") and "单位地址" in err
    assert not (tmp_path / "out").exists()


def test_pdf_without_libreoffice_says_so_and_keeps_the_drafts(monkeypatch, capsys, tmp_path):
    empty = tmp_path / "bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    rc, out, err = cli(monkeypatch, capsys, "report", SEED, "-o", tmp_path, "--pdf")
    assert rc == 0
    assert "未找到 LibreOffice（soffice），未生成 PDF" in err
    assert list(tmp_path.glob("*.pdf")) == []
    assert len(list(tmp_path.glob("*.docx"))) == 1


def test_a_rerun_over_an_edited_draft_says_it_kept_it(monkeypatch, capsys, tmp_path):
    cli(monkeypatch, capsys, "report", SEED, "-o", tmp_path)
    draft = tmp_path / "桃源县科学技术协会_2023_绩效自评报告.docx"
    draft.write_bytes(draft.read_bytes() + b"edited")
    rc, out, err = cli(monkeypatch, capsys, "report", SEED, "-o", tmp_path)
    assert rc == 0
    assert f"保留 {draft}" in err and "桃源县科学技术协会_2023_绩效自评报告_2.docx" in err


def test_help_lists_the_options(monkeypatch, capsys):
    monkeypatch.setattr(sys, "argv", ["perfxl", "report", "--help"])
    with pytest.raises(SystemExit):
        main()
    out = capsys.readouterr().out
    for opt in ("--output", "--template", "--pdf", "--rules"):
        assert opt in out


@pytest.mark.lo
def test_pdf_next_to_each_draft(monkeypatch, capsys, tmp_path):
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice (soffice) not installed")
    rc, out, err = cli(monkeypatch, capsys, "report", SEED, "-o", tmp_path, "--pdf")
    assert rc == 0, err
    pdf = tmp_path / "桃源县科学技术协会_2023_绩效自评报告.pdf"
    assert f"已写入 {pdf}" in out
    assert pdf.read_bytes().startswith(b"%PDF")
