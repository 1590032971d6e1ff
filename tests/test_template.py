"""The blank template and filled workbooks: labels, dropdowns, protection, formulas."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from openpyxl.utils import range_boundaries
from python_calamine import CalamineWorkbook
from typer.testing import CliRunner

from perfxl import __version__
from perfxl.cli import app
from perfxl.rulebook import default_rulebook, load_rulebook
from perfxl.spec import (
    BUDGET,
    DEPT,
    INDICATOR_LEVEL1_HELPER_COL,
    INDICATORS,
    PROFILE,
    SELF_SCORE,
    THREE_PUBLIC,
    FormSheet,
    TableSheet,
    addr,
)
from perfxl.template import write_template, write_workbook

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ROOT / "templates" / "部门整体支出绩效自评表.xlsx"


@pytest.fixture(scope="module")
def template_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("tpl") / "t.xlsx"
    result = CliRunner().invoke(app, ["template", "-o", str(out), "--year", "2023"])
    assert result.exit_code == 0, result.output
    return out


def _calamine(path: Path, sheet: str) -> list[list]:
    return CalamineWorkbook.from_path(str(path)).get_sheet_by_name(sheet).to_python()


def _validations(ws) -> dict[str, list[str]]:
    """cell → choices of every list validation on the sheet."""
    out: dict[str, list[str]] = {}
    for dv in ws.data_validations.dataValidation:
        if dv.type != "list":
            continue
        choices = dv.formula1.strip('"').split(",")
        for rng in str(dv.sqref).split():
            c1, r1, c2, r2 = range_boundaries(rng)
            for r in range(r1, r2 + 1):
                for c in range(c1, c2 + 1):
                    out[addr(r, c)] = choices
    return out


def test_template_has_every_sheet_in_order_and_every_label(template_file: Path) -> None:
    wb = openpyxl.load_workbook(template_file)
    assert wb.sheetnames == [*DEPT.sheet_names, DEPT.meta_sheet]
    for sheet in DEPT.sheets:
        ws = wb[sheet.name]
        assert ws["A1"].value == DEPT.sheet_title(sheet, 2023)
        assert ws["A1"].value.startswith("2023年度部门整体支出绩效自评表 — ")
        if isinstance(sheet, FormSheet):
            for f in sheet.fields:
                assert ws.cell(sheet.row_of(f.key), 1).value == f.label
        if isinstance(sheet, TableSheet):
            header = [ws.cell(sheet.header_row, i + 1).value for i in range(len(sheet.columns))]
            assert tuple(header) == sheet.header
            for rs in sheet.rows:
                assert ws.cell(sheet.row_of(rs.key), 1).value == rs.label
            for f in sheet.after:
                assert ws.cell(sheet.after_row_of(f.key), 1).value == f.label
    # The labels TEMPLATE.md spells out, character for character.
    assert wb["三公经费"].cell(THREE_PUBLIC.after_row_of("car_count"), 1).value == "公务用车保有量（辆）"
    assert wb["自评得分"].cell(SELF_SCORE.after_row_of("grade"), 1).value == "自评等级"
    assert wb["预算执行"]["A4"].value == "资金总额"


def test_template_dropdowns(template_file: Path) -> None:
    wb = openpyxl.load_workbook(template_file)
    prof = _validations(wb[PROFILE.name])
    assert prof[PROFILE.cell("unit_type")] == list(PROFILE.field("unit_type").choices)
    ind = _validations(wb[INDICATORS.name])
    for key in ("level1", "level2", "direction", "completion"):
        col = INDICATORS.col_of(key)
        for row in (INDICATORS.first_row, INDICATORS.last_row):
            assert ind[addr(row, col)] == list(INDICATORS.column(key).choices), key
    score = _validations(wb[SELF_SCORE.name])
    assert score[SELF_SCORE.after_cell("grade")] == ["优", "良", "中", "差"]


def test_template_meta_sheet_hidden_with_keys(template_file: Path) -> None:
    wb = openpyxl.load_workbook(template_file)
    ws = wb[DEPT.meta_sheet]
    assert ws.sheet_state == "hidden"
    meta = {ws.cell(r, 1).value: ws.cell(r, 2).value for r in range(1, ws.max_row + 1)}
    assert list(meta) == list(DEPT.meta_keys)
    assert meta["template_id"] == DEPT.template_id
    assert meta["template_version"] == DEPT.version
    assert meta["rulebook_id"] == default_rulebook().id
    assert meta["perfxl_version"] == __version__


def test_template_protection_and_cell_roles(template_file: Path) -> None:
    wb = openpyxl.load_workbook(template_file)
    for name in DEPT.sheet_names:
        assert wb[name].protection.sheet, name
        assert not wb[name].protection.password, name
    prof = wb[PROFILE.name]
    for f in PROFILE.fields:
        assert prof[PROFILE.cell(f.key)].protection.locked is False
        assert prof.cell(PROFILE.row_of(f.key), 1).protection.locked is True
    budget = wb[BUDGET.name]
    assert budget[BUDGET.cell("general", "actual")].protection.locked is False
    assert budget[BUDGET.cell("general", "actual")].fill.fgColor.rgb.endswith("FFF2CC")
    total = budget[BUDGET.cell("total", "actual")]
    assert total.data_type == "f" and total.protection.locked is True
    assert budget[BUDGET.cell("general", "actual")].number_format == "0.00"
    assert budget[BUDGET.cell("general", "rate")].number_format == "0.00%"
    assert budget.freeze_panes == addr(BUDGET.first_row, 1)
    ind = wb[INDICATORS.name]
    helper = ind.column_dimensions[openpyxl.utils.get_column_letter(INDICATOR_LEVEL1_HELPER_COL)]
    assert helper.hidden


def test_template_formulas(template_file: Path) -> None:
    wb = openpyxl.load_workbook(template_file)
    b = wb[BUDGET.name]
    r = BUDGET.row_of("project")
    assert b[BUDGET.cell("project", "rate")].value == f'=IF(C{r}=0,"",D{r}/C{r})'
    assert b[BUDGET.cell("project", "change")].value == f"=D{r}-E{r}"
    assert b[BUDGET.cell("total", "initial")].value == "=SUM(B5,B6,B7,B8)"
    assert b[BUDGET.cell("basic", "adjusted")].value == "=SUM(C10,C11)"
    # 资金总额 = 基本支出 + 项目支出 is a check, not a second formula; leaf rows are inputs.
    assert b[BUDGET.cell("project", "actual")].value is None
    t = wb[THREE_PUBLIC.name]
    assert t[THREE_PUBLIC.cell("total", "actual")].value == "=SUM(C5,C6,C7)"
    assert t[THREE_PUBLIC.cell("cars", "budget")].value == "=SUM(B8,B9)"
    assert t[THREE_PUBLIC.cell("total", "batches")].value is None
    s = wb[SELF_SCORE.name]
    out = s[SELF_SCORE.cell("output", "self_score")].value
    assert out.startswith("=SUMIF('绩效指标'!$M$4:$M$103,") and out.endswith("'绩效指标'!$I$4:$I$103)")
    assert s[SELF_SCORE.cell("total", "self_score")].value == "=SUM(C4:C7)"
    assert s[SELF_SCORE.cell("budget_execution", "self_score")].value is None  # typed by the clerk
    weights = [s[SELF_SCORE.cell(k, "weight")].value for k in ("budget_execution", "output", "benefit", "satisfaction")]
    assert weights == list(default_rulebook().weights.values())


def test_blank_template_formulas_have_no_invented_zero(template_file: Path) -> None:
    rows = _calamine(template_file, BUDGET.name)
    r, c = BUDGET.row_of("total") - 1, BUDGET.col_of("actual") - 1
    assert rows[r][c] == ""
    assert rows[r][BUDGET.col_of("change") - 1] == ""
    score = _calamine(template_file, SELF_SCORE.name)
    assert score[SELF_SCORE.row_of("total") - 1][SELF_SCORE.col_of("self_score") - 1] == ""


def test_instructions_follow_the_rulebook(tmp_path: Path) -> None:
    rules = tmp_path / "r.toml"
    rules.write_text(
        '[rulebook]\nid = "prov-x"\n[weights]\n"预算执行率" = 20\n"产出指标" = 40\n'
        '[indicators]\nreverse_method = "linear"\n[grades]\n"优" = 85\n', "utf-8")
    rb = load_rulebook(rules)
    out = write_template(tmp_path / "t.xlsx", year=2024, rulebook=rb)
    wb = openpyxl.load_workbook(out)
    s = wb[SELF_SCORE.name]
    assert s[SELF_SCORE.cell("budget_execution", "weight")].value == 20
    assert s[SELF_SCORE.cell("output", "weight")].value == 40
    text = "\n".join(str(c.value) for c in wb["填报说明"]["A"] if c.value)
    assert "预算执行率 20 分" in text and "产出指标 40 分" in text
    assert "实际完成值达到年度指标值 2 倍及以上得 0 分" in text  # linear method described
    assert "总分 ≥ 85 为优" in text
    assert "prov-x" in text and DEPT.template_id in text
    assert wb[DEPT.meta_sheet]["B3"].value == "prov-x"


def test_default_year_is_last_year(tmp_path: Path) -> None:
    import datetime as dt

    out = write_template(tmp_path / "t.xlsx")
    wb = openpyxl.load_workbook(out)
    year = dt.date.today().year - 1
    assert wb[PROFILE.name][PROFILE.cell("year")].value == year
    assert wb[BUDGET.name]["A1"].value.startswith(f"{year}年度")


def _content(path: Path) -> dict:
    """Everything a reader or a clerk sees: values/formulas, validations, merges, states."""
    wb = openpyxl.load_workbook(path)
    out = {}
    for ws in wb.worksheets:
        cells = {c.coordinate: c.value for row in ws.iter_rows() for c in row if c.value is not None}
        dvs = sorted((str(dv.sqref), dv.type, dv.formula1) for dv in ws.data_validations.dataValidation)
        out[ws.title] = (cells, dvs, sorted(map(str, ws.merged_cells.ranges)), ws.sheet_state, ws.protection.sheet)
    return out


def test_shipped_template_matches_the_command(tmp_path: Path) -> None:
    assert SHIPPED.exists(), "run python scripts/make_samples.py"
    out = tmp_path / "t.xlsx"
    assert CliRunner().invoke(app, ["template", "-o", str(out), "--year", "2025"]).exit_code == 0
    assert _content(SHIPPED) == _content(out)


def test_template_is_deterministic(tmp_path: Path) -> None:
    a = write_template(tmp_path / "a.xlsx", year=2023)
    b = write_template(tmp_path / "b.xlsx", year=2023)
    assert a.read_bytes() == b.read_bytes()


# --- filled workbooks ---------------------------------------------------------------


def test_filled_workbook_caches_formula_values(make_xlsx, seed_data) -> None:
    path = make_xlsx(seed_data)
    budget = _calamine(path, BUDGET.name)
    row = budget[BUDGET.row_of("total") - 1]
    assert row[BUDGET.col_of("actual") - 1] == pytest.approx(309.39)
    assert row[BUDGET.col_of("rate") - 1] == pytest.approx(1.0)
    assert row[BUDGET.col_of("change") - 1] == pytest.approx(-16.89)
    score = _calamine(path, SELF_SCORE.name)
    assert score[SELF_SCORE.row_of("total") - 1][SELF_SCORE.col_of("self_score") - 1] == pytest.approx(95)


def test_uncached_workbook_has_empty_cached_values(make_xlsx, seed_data) -> None:
    path = make_xlsx(seed_data, cached=False)
    budget = _calamine(path, BUDGET.name)
    assert budget[BUDGET.row_of("total") - 1][BUDGET.col_of("actual") - 1] == ""
    wb = openpyxl.load_workbook(path)
    assert wb[BUDGET.name][BUDGET.cell("total", "actual")].data_type == "f"


def test_value_for_a_computed_cell_is_typed_over(make_xlsx, seed_data) -> None:
    seed_data["budget"]["total"]["actual"] = 300.0
    seed_data["scores"]["output"] = {"self_score": 48}
    path = make_xlsx(seed_data)
    wb = openpyxl.load_workbook(path)
    cell = wb[BUDGET.name][BUDGET.cell("total", "actual")]
    assert cell.data_type == "n" and cell.value == 300.0
    assert wb[SELF_SCORE.name][SELF_SCORE.cell("output", "self_score")].value == 48
    # Formulas that depend on a typed-over cell cache what Excel would show.
    score = _calamine(path, SELF_SCORE.name)
    assert score[SELF_SCORE.row_of("total") - 1][SELF_SCORE.col_of("self_score") - 1] == pytest.approx(93)
    budget = _calamine(path, BUDGET.name)
    assert budget[BUDGET.row_of("total") - 1][BUDGET.col_of("rate") - 1] == pytest.approx(300 / 309.39)


def test_strings_stay_strings(make_xlsx, seed_data) -> None:
    seed_data["profile"]["name"] = '=HYPERLINK("http://x","x")'
    seed_data["budget"]["general"]["actual"] = "1,234.50"
    seed_data["indicators"][0]["actual"] = "完成"
    seed_data["goals"][0]["goal"] = "+1 目标"
    path = make_xlsx(seed_data)
    wb = openpyxl.load_workbook(path)
    name = wb[PROFILE.name][PROFILE.cell("name")]
    assert name.data_type == "s" and name.value == '=HYPERLINK("http://x","x")'
    assert wb[BUDGET.name][BUDGET.cell("general", "actual")].data_type == "s"
    assert wb[INDICATORS.name][addr(INDICATORS.first_row, INDICATORS.col_of("actual"))].value == "完成"
    assert wb["绩效目标"]["B4"].data_type == "s"


def test_more_rows_than_the_template_offers(make_xlsx, seed_data) -> None:
    extra = dict(seed_data["indicators"][0], name="补充指标", weight=1, self_score=1)
    seed_data["indicators"] += [dict(extra, name=f"补充指标{i}") for i in range(120)]
    seed_data["goals"] += [{"seq": i, "goal": f"目标{i}", "result": "完成"} for i in range(5, 20)]
    path = make_xlsx(seed_data)
    score = _calamine(path, SELF_SCORE.name)
    assert score[SELF_SCORE.row_of("output") - 1][SELF_SCORE.col_of("self_score") - 1] == pytest.approx(170)
    ind = _calamine(path, INDICATORS.name)
    assert len(ind) == INDICATORS.first_row - 1 + 134
    assert ind[-1][INDICATORS.col_of("name") - 1] == "补充指标119"
    goals = _calamine(path, "绩效目标")
    assert goals[-1][1] == "目标19"


def test_merged_levels(make_xlsx, seed_data) -> None:
    path = make_xlsx(seed_data, merge_levels=True)
    wb = openpyxl.load_workbook(path)
    merged = {str(r) for r in wb[INDICATORS.name].merged_cells.ranges}
    f = INDICATORS.first_row
    assert f"A{f}:A{f + 10}" in merged  # eleven 产出指标
    assert f"B{f}:B{f + 5}" in merged  # six 数量指标
    assert f"A{f + 11}:A{f + 12}" in merged  # two 效益指标
    # Different 二级指标 are not merged even inside one 一级指标.
    assert not any(r.startswith(f"B{f + 11}:") for r in merged)
    score = _calamine(path, SELF_SCORE.name)
    col = SELF_SCORE.col_of("self_score") - 1
    assert [score[SELF_SCORE.row_of(k) - 1][col] for k in ("output", "benefit", "satisfaction", "total")] == [50, 25, 10, 95]


def test_write_is_atomic_and_leaves_no_temp_files(tmp_path: Path, seed_data) -> None:
    out = tmp_path / "x.xlsx"
    out.write_bytes(b"old")
    with pytest.raises(TypeError, match="绩效指标!A4"):
        write_workbook(out, {"indicators": [{"level1": object()}]})  # fails mid-write
    assert out.read_bytes() == b"old"
    with pytest.raises(ValueError, match="no_such_row"):
        write_workbook(out, {"scores": {"no_such_row": {}}})
    write_workbook(out, seed_data)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x.xlsx"]


# --- LibreOffice ----------------------------------------------------------------------


def _find_row(ws, label: str, col: int = 1) -> int:
    for row in ws.iter_rows(min_col=col, max_col=col):
        if row[0].value == label:
            return row[0].row
    raise LookupError(label)


def _find_col(ws, header_row: int, label: str) -> int:
    for cell in ws[header_row]:
        if cell.value == label:
            return cell.column
    raise LookupError(label)


@pytest.mark.lo
@pytest.mark.parametrize("merge", [False, True])
def test_libreoffice_recalculates_the_template(tmp_path: Path, soffice_convert, merge: bool) -> None:
    """Fill the template by its labels (as a bureau macro would), let LibreOffice compute."""
    src = write_template(tmp_path / "blank.xlsx", year=2023)
    wb = openpyxl.load_workbook(src)
    b = wb["预算执行"]
    hdr = _find_row(b, "项目")
    cols = {k: _find_col(b, hdr, k) for k in ("年初预算数", "全年预算数", "全年执行数", "上年执行数")}
    figures = {"一般公共预算拨款": (200, 250, 240, 230), "政府性基金预算拨款": (10, 20, 10, 5),
               "人员经费": (120, 130, 128, 120), "公用经费": (30, 40, 32, 35), "项目支出": (60, 100, 90, 80)}
    for label, vals in figures.items():
        r = _find_row(b, label)
        for c, v in zip(cols.values(), vals):
            b.cell(r, c, v)
    t = wb["三公经费"]
    t_hdr = _find_row(t, "项目")
    t_actual = _find_col(t, t_hdr, "决算数")
    t.cell(_find_row(t, "公务接待费"), t_actual, 3.5)
    t.cell(_find_row(t, "公务用车运行维护费"), t_actual, 2.25)
    ind = wb["绩效指标"]
    i_hdr = _find_row(ind, "一级指标")
    c_l1, c_score = _find_col(ind, i_hdr, "一级指标"), _find_col(ind, i_hdr, "自评得分")
    rows = [("产出指标", 20), (None, 25), (None, 4), ("效益指标", 18), (None, 9), ("满意度指标", 8)]
    for i, (level, score) in enumerate(rows):
        r = i_hdr + 1 + i
        if level:
            ind.cell(r, c_l1, level)
        ind.cell(r, c_score, score)
    if merge:
        ind.merge_cells(start_row=i_hdr + 1, start_column=c_l1, end_row=i_hdr + 3, end_column=c_l1)
        ind.merge_cells(start_row=i_hdr + 4, start_column=c_l1, end_row=i_hdr + 5, end_column=c_l1)
    s = wb["自评得分"]
    s_hdr = _find_row(s, "评价内容")
    s.cell(_find_row(s, "预算执行率"), _find_col(s, s_hdr, "自评得分"), 9.5)
    filled = tmp_path / "filled.xlsx"
    wb.save(filled)  # openpyxl keeps formulas but drops cached values

    out = soffice_convert(filled, "xlsx", tmp_path / "lo")
    book = CalamineWorkbook.from_path(str(out))
    bud = book.get_sheet_by_name("预算执行").to_python()
    head = bud[hdr - 1]
    col = {label: head.index(label) for label in head if label}
    by_label = {row[0]: row for row in bud}
    total = by_label["资金总额"]
    assert total[col["全年预算数"]] == pytest.approx(270)
    assert total[col["全年执行数"]] == pytest.approx(250)
    assert total[col["执行率"]] == pytest.approx(250 / 270)
    assert total[col["较上年增减"]] == pytest.approx(15)
    assert by_label["基本支出"][col["全年执行数"]] == pytest.approx(160)
    assert by_label["项目支出"][col["执行率"]] == pytest.approx(0.9)
    assert by_label["其他资金"][col["执行率"]] == ""  # no budget: blank, not #DIV/0!
    tp = {row[0]: row for row in book.get_sheet_by_name("三公经费").to_python()}
    assert tp["三公经费合计"][2] == pytest.approx(5.75)
    assert tp["公务用车购置及运行维护费"][2] == pytest.approx(2.25)
    sc = {row[0]: row for row in book.get_sheet_by_name("自评得分").to_python()}
    assert sc["产出指标"][2] == pytest.approx(49)
    assert sc["效益指标"][2] == pytest.approx(27)
    assert sc["满意度指标"][2] == pytest.approx(8)
    assert sc["总分"][2] == pytest.approx(93.5)
    assert sc["总分"][1] == pytest.approx(100)


@pytest.mark.lo
def test_libreoffice_opens_the_template(tmp_path: Path, soffice_convert) -> None:
    src = write_template(tmp_path / "blank.xlsx", year=2023)
    out = soffice_convert(src, "pdf", tmp_path / "pdf")
    assert out.stat().st_size > 1000


def test_numpy_and_decimal_numbers_are_numbers(make_xlsx) -> None:
    from decimal import Decimal

    np = pytest.importorskip("numpy")
    path = make_xlsx({"budget": {"general": {"adjusted": Decimal("4"), "actual": np.float64(3.0)}},
                      "car_count": np.int64(2)})
    budget = _calamine(path, BUDGET.name)
    total = budget[BUDGET.row_of("total") - 1]
    assert total[BUDGET.col_of("actual") - 1] == 3.0
    assert total[BUDGET.col_of("rate") - 1] == pytest.approx(0.75)
    assert _calamine(path, THREE_PUBLIC.name)[THREE_PUBLIC.after_row_of("car_count") - 1][1] == 2


@pytest.mark.parametrize("year", ["23", "1899", "99999", "2014", str(__import__("datetime").date.today().year + 1)])
def test_template_refuses_a_year_that_cannot_be_evaluated(tmp_path: Path, monkeypatch, capsys, year: str) -> None:
    rc, err = _main(monkeypatch, capsys, "template", "-o", str(tmp_path / "t.xlsx"), "--year", year)
    assert rc == 2 and "2015" in err and not (tmp_path / "t.xlsx").exists()


@pytest.mark.parametrize("name", ["t.xls", "t.ods", "t", "t.xlsx.txt"])
def test_template_refuses_a_name_that_is_not_xlsx(tmp_path: Path, monkeypatch, capsys, name: str) -> None:
    rc, err = _main(monkeypatch, capsys, "template", "-o", str(tmp_path / name), "--year", "2023")
    assert rc == 2 and ".xlsx" in err and list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("year", ["2015", str(__import__("datetime").date.today().year)])
def test_template_accepts_2015_to_this_year(tmp_path: Path, monkeypatch, capsys, year: str) -> None:
    rc, _ = _main(monkeypatch, capsys, "template", "-o", str(tmp_path / "t.xlsx"), "--year", year)
    assert rc == 0
    meta = dict(_calamine(tmp_path / "t.xlsx", DEPT.meta_sheet))
    assert str(meta["year"]).startswith(year)


def _main(monkeypatch, capsys, *args: str) -> tuple[int, str]:
    import sys

    from perfxl.cli import main

    monkeypatch.setattr(sys, "argv", ["perfxl", *args])
    with pytest.raises(SystemExit) as e:
        main()
    return e.value.code, capsys.readouterr().err
