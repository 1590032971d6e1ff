"""``perfxl batch --reports``: the drafts and the county report, its figures, charts, the
projects' hook, reruns."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, Callable

import pytest
from _docx_util import paragraphs, text
from docx import Document
from docx.oxml.ns import qn

import perfxl
from perfxl.batch import BatchOptions, run_batch
from perfxl.rulebook import default_rulebook
from perfxl.summary import SummaryRow, UnitDetail
from perfxl.writeup import ReportOptions, TemplateFieldError
from perfxl.writeup.county import ProjectLine, county_context
from perfxl.writeup.fields import COUNTY_FIELDS
from perfxl.writeup.render import COUNTY_TEMPLATE, ReportTemplate
from test_batch import _unit  # another unit of the seed, with a valid credit code

ROOT = Path(__file__).resolve().parent.parent
COUNTY = "全县部门整体支出绩效自评情况报告.docx"


@pytest.fixture
def inbox(seed_data: dict[str, Any], make_xlsx: Callable[..., Path], tmp_path: Path) -> Path:
    """The seed, a unit whose 资金总额 does not add up (B001), and a corrupt file."""
    make_xlsx(seed_data, name="inbox/桃源县科协.xlsx")
    bad = _unit(seed_data, "示例县某局", "12430725006431662")
    bad["budget"]["total"]["actual"] = 400.0  # typed over the formula: B001
    make_xlsx(bad, name="inbox/某局.xlsx")
    (tmp_path / "inbox" / "损坏.xlsx").write_bytes(b"PK\x03\x04" + b"\x00" * 40)
    return tmp_path / "inbox"


@pytest.fixture
def batch_out(inbox: Path, tmp_path: Path) -> Path:
    out = tmp_path / "out"
    result = run_batch([inbox], out, BatchOptions(jobs=1, reports=ReportOptions()))
    assert result.reports is not None and result.reports.county == out / "reports" / COUNTY
    return out


def test_the_batch_writes_each_draft_and_the_county_report(batch_out: Path):
    names = sorted(p.name for p in (batch_out / "reports").glob("*.docx"))
    assert names == sorted([COUNTY, "桃源县科学技术协会_2023_绩效自评报告.docx", "示例县某局_2023_绩效自评报告.docx"])
    assert paragraphs(batch_out / "reports" / "示例县某局_2023_绩效自评报告.docx")[0].startswith("请先修改自评表")


def test_the_county_report_covers_units_money_grades_problems_and_fixes(batch_out: Path):
    body = text(batch_out / "reports" / COUNTY)
    assert "2023年度全县部门整体支出绩效" in body
    assert "本次共收到3个部门（单位）的自评表，其中可读取2个、无法读取1个；审核通过1个，需修改1个" in body
    assert "全年预算数618.78万元" in body  # 309.39 twice: the unreadable file has no money
    # the grade table: one row per grade (a 未评分 row only when a readable unit was not scored)
    assert "等级\n复核单位数\n复核占比\n自评单位数\n自评占比\n优\n2\n100.00%\n2\n100.00%\n良\n0\n0.00%" in body
    assert "\n未评分\n" not in body
    # the most frequent problems, by rule, with counts
    assert "B001\n预算执行表合计数与明细不符\n错误\n1\n" in body
    # the units that must correct their submissions, the unreadable one too
    assert "示例县某局\n需修改\n" in body and "损坏.xlsx\n无法读取\n" in body
    assert "预算执行!D4" in body
    # the common indicators across units
    assert "在职人员控制率\n在职人员控制率" not in body
    assert "\n在职人员控制率\n2\n81.82%\n81.82%\n81.82%\n" in body
    # no project units: that section is left out and the last section is 六
    assert "项目支出绩效自评情况" not in body and "六、下一步工作建议" in body


def test_the_county_report_has_its_two_charts(batch_out: Path):
    doc = Document(str(batch_out / "reports" / COUNTY))
    assert len(list(doc.element.body.iter(qn("w:drawing")))) == 2


def test_without_a_cjk_font_the_charts_are_left_out_and_the_report_says_why(monkeypatch, inbox: Path, tmp_path: Path):
    from perfxl.writeup import charts

    monkeypatch.setattr(charts, "cjk_font", lambda: None)
    run_batch([inbox], tmp_path / "o", BatchOptions(jobs=1, reports=ReportOptions()))
    county = tmp_path / "o" / "reports" / COUNTY
    assert list(Document(str(county)).element.body.iter(qn("w:drawing"))) == []
    assert "本机没有中文字体，未生成图表" in text(county)


def _rows(n_bad: int = 0) -> tuple[list[SummaryRow], Callable[[SummaryRow], UnitDetail]]:
    rows = [SummaryRow(index=i, path=f"{i}.xlsx", name=f"单位{i}", year=2023, budget=100.0, actual=95.0, rate=0.95,
                       self_total=s, total=t, self_grade=g1, grade=g2, status="通过")
            for i, (s, t, g1, g2) in enumerate([(95, 95, "优", "优"), (88, 80.5, "良", "良"), (92, 85, "优", "良"),
                                                (70, 70, "中", "中")])]
    return rows, lambda r: UnitDetail()


def test_county_figures_from_summary_rows():
    rows, detail = _rows()
    ctx = county_context(rows, detail, default_rulebook(), charts=False)
    grades = {g["等级"]: (g["复核单位数"], g["自评单位数"]) for g in ctx["等级分布"]}
    assert grades == {"优": ("1", "2"), "良": ("2", "1"), "中": ("1", "1"), "差": ("0", "0")}
    assert ctx["总体执行率"] == "95%" and ctx["全年执行数合计"] == "380.00"
    # the largest gap first, then the next; equal scores are not listed
    assert [(g["单位"], g["差异"]) for g in ctx["得分差异"]] == [("单位1", "+7.50"), ("单位2", "+7.00")]
    assert ctx["得分一致数"] == "2" and ctx["得分差异数"] == "2"
    assert ctx["整改清单"] == [] and ctx["项目支出"] == []


def test_the_county_context_has_exactly_the_catalogued_fields():
    rows, detail = _rows()
    ctx = county_context(rows, detail, default_rulebook(), charts=False)
    assert set(ctx) == {f.name for f in COUNTY_FIELDS}
    for f in COUNTY_FIELDS:
        if f.kind == "list" and ctx[f.name]:
            assert set(ctx[f.name][0]) == {i.name for i in f.items}, f.name


def test_the_projects_section_appears_only_with_projects(tmp_path: Path):
    rows, detail = _rows()
    rb = default_rulebook()
    tpl = ReportTemplate.load(None, COUNTY_TEMPLATE, COUNTY_FIELDS)
    projects = [ProjectLine("科普大讲堂", "单位0", 20.0, 18.0, 92.5, "优")]
    with_p = tpl.write(county_context(rows, detail, rb, projects=projects, charts=False), tmp_path / "a.docx")
    body = text(with_p)
    assert "六、项目支出绩效自评情况" in body and "七、下一步工作建议" in body
    assert "本次共收到项目支出绩效自评表1份" in body and "科普大讲堂\n单位0\n20.00\n18.00\n90.00%\n92.50\n优" in body
    without = text(tpl.write(county_context(rows, detail, rb, charts=False), tmp_path / "b.docx"))
    assert "项目支出绩效自评" not in without and "科普大讲堂" not in without
    assert "六、下一步工作建议" in without


def test_a_rerun_drops_drafts_of_units_gone_but_keeps_edited_ones(inbox: Path, tmp_path: Path):
    out = tmp_path / "out"
    run_batch([inbox], out, BatchOptions(jobs=1, reports=ReportOptions()))
    seed = out / "reports" / "桃源县科学技术协会_2023_绩效自评报告.docx"
    other = out / "reports" / "示例县某局_2023_绩效自评报告.docx"
    seed.write_bytes(seed.read_bytes() + b"edited")
    (inbox / "桃源县科协.xlsx").unlink()
    (inbox / "某局.xlsx").rename(inbox / "某局v2.xlsx")
    result = run_batch([inbox], out, BatchOptions(jobs=1, reports=ReportOptions()))
    names = sorted(p.name for p in (out / "reports").iterdir())
    assert seed.name in names  # edited: kept although its unit left the batch
    assert other.exists()  # rewritten from v2
    assert result.reports.kept == []
    assert ".perfxl-reports.json" in names
    assert not [n for n in names if n.startswith(".perfxl-report-")]  # no work folder left


def test_a_bad_template_stops_the_batch_before_any_output(inbox: Path, tmp_path: Path):
    doc = Document()
    doc.add_paragraph("{{ 全县人口 }}")
    bad = tmp_path / "县模板.docx"
    doc.save(bad)
    with pytest.raises(TemplateFieldError) as e:
        run_batch([inbox], tmp_path / "out", BatchOptions(jobs=1, reports=ReportOptions(county_template=bad)))
    assert "全县人口" in str(e.value)
    assert not (tmp_path / "out" / "汇总表.xlsx").exists()


def test_the_cli_flag(monkeypatch, capsys, inbox: Path, tmp_path: Path):
    from perfxl.cli import main

    monkeypatch.setattr(sys, "argv", ["perfxl", "batch", str(inbox), "-o", str(tmp_path / "o"), "--jobs", "1",
                                      "--reports"])
    with pytest.raises(SystemExit) as e:
        main()
    out = capsys.readouterr().out
    assert e.value.code == 1  # one unit has errors, one file is unreadable
    assert f"已写入 {tmp_path / 'o' / 'reports' / COUNTY}" in out
    assert f"已写入 2 份报告草稿：{tmp_path / 'o' / 'reports'}（1 份首页列出须修改之处" in out


@pytest.mark.slow
def test_samples_in_parallel_match_the_single_report(tmp_path: Path):
    """The README's batch: every readable sample gets its draft; drafts written by worker
    processes equal what `perfxl report` writes for the same workbook."""
    out = tmp_path / "out"
    result = run_batch([ROOT / "samples"], out, BatchOptions(jobs=2, reports=ReportOptions()))
    depts = [r for r in result.rows if r.kind == "dept"]
    assert len(list((out / "reports").glob("*_绩效自评报告.docx"))) == len(depts) == 31  # the projects: the county report
    assert len(result.rows) == 31 + 96
    single = perfxl.write_reports([ROOT / "samples" / "000_桃源县科学技术协会.xlsx"], tmp_path / "one")
    name = "桃源县科学技术协会_2023_绩效自评报告.docx"
    assert (out / "reports" / name).read_bytes() == single.drafts[0].path.read_bytes()
