"""A mixed inbox: 部门整体 workbooks beside workbooks of several 项目支出绩效自评表 forms, through
``perfxl check``, ``perfxl score`` and ``perfxl batch``."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import openpyxl
import pytest
from _cli import run as cli
from _projects import project, write_projects

from perfxl.batch import BatchOptions, run_batch
from perfxl.check import CheckOptions, check_file, check_file_units
from perfxl.rulebook import default_rulebook
from perfxl.summary_projects import rollup


@pytest.fixture
def inbox(tmp_path, make_xlsx, seed_data) -> Path:
    """The seed department, two of its projects in one workbook, and a project of a
    department that sent no 部门整体 workbook."""
    folder = tmp_path / "收件箱"
    folder.mkdir()
    make_xlsx(seed_data, name="收件箱/a_部门整体.xlsx")
    write_projects(folder / "b_项目.xlsx", project("养护", actual=60.0, budget=64.0),
                   project("科普", actual=40.0, budget=40.0))
    write_projects(folder / "c_商务局.xlsx", project("电商", department="示例县商务局", actual=20.0, budget=25.0))
    return folder


def test_check_file_units_gives_one_report_per_form_and_check_file_the_first(inbox):
    opts = CheckOptions(default_rulebook())
    reports = check_file_units(inbox / "b_项目.xlsx", opts)
    assert [(r.kind, r.sheet, r.unit_name) for r in reports] == [("project", "养护", "养护"), ("project", "科普", "科普")]
    assert reports[1].where.endswith("b_项目.xlsx › 科普")
    first = check_file(inbox / "b_项目.xlsx", opts)
    assert (first.kind, first.sheet) == ("project", "养护")
    [dept] = check_file_units(inbox / "a_部门整体.xlsx", opts)
    assert (dept.kind, dept.sheet, dept.where) == ("dept", None, str(inbox / "a_部门整体.xlsx"))


def test_check_names_each_form_as_file_and_sheet_and_json_carries_kind(monkeypatch, capsys, inbox):
    rc, out, _ = cli(monkeypatch, capsys, "check", inbox / "c_商务局.xlsx", inbox / "b_项目.xlsx", "--select", "X005")
    assert rc == 0  # X005 is information
    assert "b_项目.xlsx › 养护" in out and "b_项目.xlsx › 科普" in out and "c_商务局.xlsx › 电商" in out
    # each form's sheet is named after its project: the heading says it once
    assert "b_项目.xlsx › 养护\n" in out and "养护  养护" not in out
    assert "共 2 个文件 3 张自评表" in out
    rc, out, _ = cli(monkeypatch, capsys, "check", inbox, "--select", "X005", "--format", "json")
    files = json.loads(out)["files"]
    assert [(Path(f["path"]).name, f["kind"], f["sheet"]) for f in files] == [
        ("a_部门整体.xlsx", "dept", None), ("b_项目.xlsx", "project", "养护"), ("b_项目.xlsx", "project", "科普"),
        ("c_商务局.xlsx", "project", "电商")]
    assert [f["code"] for f in files[3]["findings"]] == ["X005"]


def test_score_lists_every_form(monkeypatch, capsys, inbox):
    rc, out, _ = cli(monkeypatch, capsys, "score", inbox / "b_项目.xlsx", "--format", "json")
    assert rc in (0, 1)
    units = json.loads(out)["units"]
    assert [(u["kind"], u["sheet"]) for u in units] == [("project", "养护"), ("project", "科普")]


def test_batch_writes_one_row_per_form_the_projects_sheet_and_the_rollup(inbox, tmp_path):
    out = tmp_path / "out"
    result = run_batch([inbox], out, BatchOptions(jobs=1))
    assert [(Path(r.path).name, r.kind, r.sheet) for r in sorted(result.rows, key=lambda r: r.key)] == [
        ("a_部门整体.xlsx", "dept", None), ("b_项目.xlsx", "project", "养护"), ("b_项目.xlsx", "project", "科普"),
        ("c_商务局.xlsx", "project", "电商")]
    assert len(result.annotated) == 3  # one copy per file

    summary = json.loads((out / "summary.json").read_text("utf-8"))
    assert summary["totals"]["files"] == 3 and summary["totals"]["units"] == 4 and summary["totals"]["projects"] == 3
    assert [(u["kind"], u["sheet"], u["unit"]) for u in summary["units"]] == [
        ("dept", None, 0), ("project", "养护", 0), ("project", "科普", 1), ("project", "电商", 0)]
    x005 = [f for u in summary["units"] for f in u["findings"] if f["code"] == "X005"]
    assert [(f["sheet"], f["cell"]) for f in x005] == [("电商", "B4")]

    rows = list(csv.DictReader(io.StringIO((out / "findings.csv").read_text("utf-8-sig"))))
    assert {r["表类型"] for r in rows} <= {"部门整体", "项目支出"}
    assert any(r["表类型"] == "项目支出" and r["代码"] == "X005" and r["工作表"] == "电商" for r in rows)

    wb = openpyxl.load_workbook(out / "汇总表.xlsx")
    assert wb.sheetnames[:2] == ["汇总", "项目"]
    names = [c.value for c in wb["汇总"]["B"]][3:]
    assert [n for n in names if n] == ["桃源县科学技术协会"]  # project forms stay off 汇总
    ws = wb["项目"]
    grid = [[c.value for c in row] for row in ws.iter_rows()]
    head = grid[2]
    assert head[:2] == ["主管部门", "项目名称"] and head[-2:] == ["文件 › 工作表", "说明"]
    # grouped by department, the best review score first within it (科普 spent its whole budget)
    assert [(r[0], r[1], r[3]) for r in grid[3:6]] == [
        ("桃源县科学技术协会", "科普", 40.0), ("桃源县科学技术协会", "养护", 60.0), ("示例县商务局", "电商", 20.0)]
    assert grid[3][6] is not None and grid[4][6] is not None and grid[3][6] > grid[4][6]  # 复核得分
    assert grid[4][11] == "打开" and ws.cell(5, 12).hyperlink.target == "annotated/b_项目.xlsx"
    assert grid[4][-2].endswith("b_项目.xlsx › 养护") and not grid[4][-1]  # scored: nothing to explain
    at = next(i for i, r in enumerate(grid) if r[0] == "各部门项目汇总")
    assert grid[at + 1][0] == "部门"
    assert [(r[0], r[2], r[3], r[7], r[8]) for r in grid[at + 2:at + 4]] == [
        ("桃源县科学技术协会", 104.0, 100.0, 2, "已报送"), ("示例县商务局", 25.0, 20.0, 1, "未报送")]
    assert ws.freeze_panes == "C4"

    # The annotated copy of the two-form workbook marks both form sheets' findings on its first page.
    copy = openpyxl.load_workbook(out / "annotated" / "c_商务局.xlsx")
    listed = [(r[4], r[5]) for r in copy.worksheets[0].iter_rows(min_row=6, values_only=True) if r[2] == "X005"]
    assert listed == [("电商", "B4")]


def test_rollup_weights_the_mean_by_spending_and_names_the_lowest():
    from perfxl.summary_rows import SummaryRow

    def row(i: int, name: str, dep: str, actual: float | None, total: float | None) -> SummaryRow:
        return SummaryRow(index=i, path=f"{i}.xlsx", kind="project", sheet=name, name=name, department=dep,
                          budget=100.0, actual=actual, total=total)

    rows = [row(0, "甲", "示例县 交通运输局", 300.0, 90.0), row(1, "乙", "示例县交通运输局", 100.0, 70.0),
            row(2, "丙", "示例县交通运输局", None, 80.0),
            SummaryRow(index=3, path="d.xlsx", name="示例县交通运输局")]
    [line] = rollup(rows)
    assert line.projects == 3 and line.mean == 85.0  # (90×300 + 70×100) / 400; 丙's spending is unknown
    assert (line.lowest, line.lowest_score) == ("乙", 70.0)
    assert line.actual is None and line.budget == 300.0  # a sum over an unknown is unknown
    assert line.overall == "已报送"


def test_projects_sheet_says_why_a_project_has_no_review_score(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    unscored = project("科普")
    unscored["indicators"][0]["actual"] = "完成"  # a quantitative indicator's value that is no number
    write_projects(folder / "p.xlsx", project("养护"), unscored)
    run_batch([folder], tmp_path / "out", BatchOptions(jobs=1))
    ws = openpyxl.load_workbook(tmp_path / "out" / "汇总表.xlsx")["项目"]
    grid = [[c.value for c in row] for row in ws.iter_rows(min_row=3, max_row=5)]
    col = {h: i for i, h in enumerate(grid[0])}
    by_name = {r[col["项目名称"]]: r for r in grid[1:]}
    assert by_name["养护"][col["复核得分"]] is not None and not by_name["养护"][col["说明"]]
    assert by_name["科普"][col["复核得分"]] is None
    note = by_name["科普"][col["说明"]]
    assert note.startswith("未评分：") and "科普!" in note and "完成" in note, note
    # and the 说明 sheet, titled for both kinds, says what the column is for
    guide = openpyxl.load_workbook(tmp_path / "out" / "汇总表.xlsx")["说明"]
    assert guide["A1"].value == "绩效自评复核汇总表 — 说明"
    about = {r[0]: r[1] for r in guide.iter_rows(values_only=True) if r[0]}
    assert "“说明”列写明未评分的原因" in about["项目"]


def test_a_project_row_shows_the_amounts_its_rate_and_score_come_from(tmp_path):
    """A 年度资金总额 typed over the sum of its sources (J004) is reviewed as that sum: the
    row's 全年执行数 is the sum, so its 执行率 is 全年执行数 ÷ 全年预算数 on the face of it."""
    from perfxl.summary_rows import SummaryRow

    typed = project("科普", actual=50.0, budget=50.0)
    typed["budget"]["total"]["actual"] = 40.0  # the sources add up to 50
    path = write_projects(tmp_path / "p.xlsx", typed, project("养护", actual=60.0, budget=64.0))
    reports = check_file_units(path, CheckOptions(default_rulebook()))
    assert "J004" in {f.code for f in reports[0].findings}
    rows = [SummaryRow.from_report(r, 0, unit=i) for i, r in enumerate(reports)]
    assert [(r.budget, r.actual, r.rate) for r in rows] == [(50.0, 50.0, 1.0), (64.0, 60.0, 0.9375)]
    assert rows[0].rate == reports[0].score.execution.rate
