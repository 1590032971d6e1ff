"""The reader: a workbook made by the writer reads back exactly, with every value's address,
and whatever a clerk (or a script) does to it becomes a finding at the cell — never a crash."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest

from perfxl.reader import read_grids, read_unit
from perfxl.rulebook import default_rulebook
from perfxl.spec import (
    BUDGET,
    GOALS,
    INDICATORS,
    PROFILE,
    SELF_SCORE,
    THREE_PUBLIC,
    addr,
)

IND = INDICATORS.name


def codes(unit, code=None):
    """The (code, sheet, cell) tuples of a unit's findings, optionally of one code."""
    return [(f.code, f.sheet, f.cell) for f in unit.findings if code is None or f.code == code]


def ind_cell(i: int, key: str) -> str:
    """Template address of the i-th indicator row's column (rows start at first_row)."""
    return addr(INDICATORS.first_row + i, INDICATORS.col_of(key))


def edit(src: Path, dst: Path, fn) -> Path:
    """Open with openpyxl, change, save as ``dst`` (formulas lose their cached values)."""
    wb = openpyxl.load_workbook(src)
    fn(wb)
    wb.save(dst)
    return dst


def patch_xml(src: Path, dst: Path, sheet_index: int, pattern: str, repl: str) -> Path:
    """Rewrite one worksheet part of an xlsx with a regex (for cells no writer makes)."""
    part = f"xl/worksheets/sheet{sheet_index}.xml"
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == part:
                text, n = re.subn(pattern, repl, data.decode("utf-8"))
                assert n == 1, (pattern, n)
                data = text.encode("utf-8")
            zout.writestr(info, data)
    return dst


def sheet_index(name: str) -> int:
    from perfxl.spec import DEPT

    return DEPT.sheet_names.index(name) + 1


# ---------------------------------------------------------------------------
# The seed unit reads back exactly
# ---------------------------------------------------------------------------


@pytest.fixture
def seed_path(make_xlsx, seed_data):
    return make_xlsx(seed_data, name="seed.xlsx")


def test_seed_reads_back(seed_path, seed_data):
    u = read_unit(seed_path)
    assert u.readable
    assert u.template_id == "perfxl.dept-self-eval" and u.template_version == 1
    assert u.meta["template_id"] == "perfxl.dept-self-eval"
    assert u.sheets[:7] == ("填报说明", "基本信息", "预算执行", "三公经费", "绩效目标", "绩效指标", "自评得分")
    assert [f for f in u.findings if f.severity.value != "info"] == []

    p = seed_data["profile"]
    for key, value in p.items():
        f = u.profile[key]
        assert f.value == value, key
        assert f.ref == f"{PROFILE.name}!{PROFILE.cell(key)}"
    assert u.name == "桃源县科学技术协会" and u.year == 2023 and u.credit_code == "13430725006431661H"
    assert u.profile["phone"].value == "0736-0000000"
    assert u.profile["fill_date"].value == dt.date(2024, 10, 8)

    total = u.budget["total"]
    assert total.actual.value == pytest.approx(309.39)
    assert total.last_year.value == pytest.approx(326.28)
    assert total.initial.value == pytest.approx(285.84)
    assert total.actual.formula and not u.budget["general"].actual.formula
    assert total.actual.ref == f"{BUDGET.name}!{BUDGET.cell('total', 'actual')}"
    assert total.yoy_change() == pytest.approx(-16.89)
    assert u.budget["basic"].actual.value == pytest.approx(196.52)
    assert u.budget["project"].last_year.value == pytest.approx(111.74)

    rec = u.three_public["reception"]
    assert (rec.actual.value, rec.batches.value, rec.persons.value) == (pytest.approx(3.75), 26, 270)
    assert u.car_count.value == 0 and u.car_count.ref == f"{THREE_PUBLIC.name}!{THREE_PUBLIC.after_cell('car_count')}"

    assert [g.goal.value for g in u.goals] == [g["goal"] for g in seed_data["goals"]]
    assert u.goals[0].row == GOALS.first_row

    assert len(u.indicators) == 14
    for got, want in zip(u.indicators, seed_data["indicators"], strict=True):
        assert got.level1.value == want["level1"] and got.level2.value == want["level2"]
        assert got.name.value == want["name"]
        assert got.direction.value == want["direction"]
        if want["direction"] == "定性":
            assert got.target.value == want["target"]
        else:
            assert got.target.value == pytest.approx(want["target"])
            assert got.actual.value == pytest.approx(want["actual"])
        assert got.weight.value == pytest.approx(want["weight"])
        assert got.self_score.value == pytest.approx(want["self_score"])
        assert got.percent == (want["unit"] == "%")
    assert u.indicators[0].target.ref == f"{IND}!E4" == f"{IND}!{ind_cell(0, 'target')}"
    assert u.indicators[13].actual.ref == f"{IND}!{ind_cell(13, 'actual')}"

    assert u.scores["total"].self_score.value == pytest.approx(95)
    assert u.scores["total"].weight.value == pytest.approx(100)
    assert u.scores["budget_execution"].self_score.value == pytest.approx(10)
    assert u.scores["benefit"].self_score.value == pytest.approx(25)
    assert u.grade.value == "优"
    assert u.grade.ref == f"{SELF_SCORE.name}!{SELF_SCORE.after_cell('grade')}"


# ---------------------------------------------------------------------------
# What clerks type
# ---------------------------------------------------------------------------


def test_text_numbers_read_with_info(make_xlsx, seed_data):
    b = seed_data["budget"]
    b["general"].update(initial="２８５．８４", actual="309.39万元", last_year=" 326.28 ")
    b["project"]["last_year"] = "111.74"
    b["fund"]["actual"] = "—"
    seed_data["indicators"][0]["target"] = "1,0"  # ambiguous: refused
    u = read_unit(make_xlsx(seed_data))
    g = u.budget["general"]
    assert (g.initial.value, g.actual.value, g.last_year.value) == (pytest.approx(285.84), 309.39, 326.28)
    assert g.actual.converted and g.actual.raw == "309.39万元"
    infos = codes(u, "V001")
    for key in ("initial", "actual", "last_year"):
        assert ("V001", BUDGET.name, BUDGET.cell("general", key)) in infos
    assert ("V001", BUDGET.name, BUDGET.cell("project", "last_year")) in infos
    assert u.budget["fund"].actual.value == 0.0
    assert codes(u, "V012") == [("V012", BUDGET.name, BUDGET.cell("fund", "actual"))]
    assert u.indicators[0].target.status == "invalid"
    assert ("V002", IND, ind_cell(0, "target")) in codes(u)


def test_sign_and_unit_inside_value(make_xlsx, seed_data):
    ind = seed_data["indicators"]
    ind[0].update(direction=None, target="≥10次", unit=None)
    ind[1].update(direction=">=", target="5%", actual="5.2%", unit="%")
    ind[2].update(direction="≤", target="≥20人")  # conflicts with the direction column
    ind[3].update(target="1个", unit="人")  # conflicts with the unit column
    u = read_unit(make_xlsx(seed_data))
    i0, i1, i2 = u.indicators[:3]
    assert (i0.direction.value, i0.target.value, i0.unit.value) == ("≥", 10.0, "次")
    assert i0.direction.ref == f"{IND}!{ind_cell(0, 'target')}"  # where the sign was read
    assert ("V014", IND, ind_cell(0, "target")) in codes(u)
    assert (i1.direction.value, i1.target.value, i1.actual.value, i1.percent) == ("≥", 5.0, 5.2, True)
    assert i2.direction.value == "≤" and i2.target.value == 20.0
    assert ("V015", IND, ind_cell(2, "target")) in codes(u)
    assert ("V016", IND, ind_cell(3, "target")) in codes(u)


def test_direction_words(make_xlsx, seed_data):
    words = ["大于等于", "≧", ">=", "不低于", "=", "等于"]
    for ind, w in zip(seed_data["indicators"], words):
        ind["direction"] = w
    seed_data["indicators"][6]["direction"] = "大约"
    u = read_unit(make_xlsx(seed_data))
    assert [i.direction.value for i in u.indicators[:6]] == ["≥", "≥", "≥", "≥", "=", "="]
    assert u.indicators[6].direction.status == "invalid"
    assert codes(u, "V013") == [("V013", IND, ind_cell(6, "direction"))]


def test_merged_levels_inherit(make_xlsx, seed_data):
    u = read_unit(make_xlsx(seed_data, merge_levels=True))
    assert [i.level1.value for i in u.indicators] == [i["level1"] for i in seed_data["indicators"]]
    assert [i.level2.value for i in u.indicators] == [i["level2"] for i in seed_data["indicators"]]
    assert [i.level1_inherited for i in u.indicators[:3]] == [False, True, True]
    assert u.indicators[11].level1_inherited is False  # 效益指标 starts a new block
    assert u.indicators[12].level2_inherited is False  # a different 二级 under the same 一级
    assert u.indicators[1].level1.ref == f"{IND}!{ind_cell(0, 'level1')}"  # the merged cell's top


def test_blank_level_under_filled_inherits_but_not_across_level1(make_xlsx, seed_data):
    ind = seed_data["indicators"]
    ind[1].update(level1=None, level2=None)
    ind[11]["level2"] = None  # 效益指标 with a blank 二级: must not inherit 时效指标
    u = read_unit(make_xlsx(seed_data))
    assert (u.indicators[1].level1.value, u.indicators[1].level2.value) == ("产出指标", "数量指标")
    assert u.indicators[1].level1_inherited and u.indicators[1].level2_inherited
    assert u.indicators[11].level2.status == "blank" and not u.indicators[11].level2_inherited


def test_blank_rows_between_indicators_skipped(make_xlsx, seed_data):
    ind = seed_data["indicators"]
    seed_data["indicators"] = ind[:3] + [{}, {}] + ind[3:10] + [{}] + ind[10:]
    u = read_unit(make_xlsx(seed_data))
    assert len(u.indicators) == 14
    assert [i.name.value for i in u.indicators] == [i["name"] for i in ind]
    assert u.indicators[3].row == INDICATORS.first_row + 5
    assert u.indicators[3].target.ref == f"{IND}!{ind_cell(5, 'target')}"


def test_word_in_number_cell(make_xlsx, seed_data):
    seed_data["indicators"][4]["actual"] = "完成"
    seed_data["indicators"][5]["actual"] = "较好"
    u = read_unit(make_xlsx(seed_data))
    i4 = u.indicators[4]
    assert i4.actual.status == "invalid" and i4.actual.value is None and i4.actual.raw == "完成"
    assert ("V002", IND, ind_cell(4, "actual")) in codes(u)
    assert ("V002", IND, ind_cell(5, "actual")) in codes(u)
    f = next(f for f in u.findings if f.code == "V002" and f.cell == ind_cell(4, "actual"))
    assert "完成" in f.message() and "完成" in f.message("en")


def test_qualitative_values_are_text(make_xlsx, seed_data):
    seed_data["indicators"][11]["target"] = 100
    u = read_unit(make_xlsx(seed_data))
    assert u.indicators[11].target.value == "100"
    assert not [c for c in codes(u) if c[2] == ind_cell(11, "target")]


def test_kinds_refused_at_their_cells(make_xlsx, seed_data, tmp_path):
    p = seed_data["profile"]
    p.update(staff_on_post=9.5, year="23", fill_date="三月中旬", phone=13912345678, credit_code=" 13430725006431661h")

    def date_in_weight(wb):  # a clerk formats the 分值 cell as a date
        c = wb[IND][ind_cell(0, "weight")]
        c.value, c.number_format = dt.datetime(1900, 1, 5), "yyyy-mm-dd"

    u = read_unit(edit(make_xlsx(seed_data, year=2023), tmp_path / "d.xlsx", date_in_weight))
    assert ("V009", PROFILE.name, PROFILE.cell("staff_on_post")) in codes(u)
    assert ("V010", PROFILE.name, PROFILE.cell("year")) in codes(u)
    assert ("V011", PROFILE.name, PROFILE.cell("fill_date")) in codes(u)
    assert ("V007", IND, ind_cell(0, "weight")) in codes(u)
    assert u.profile["staff_on_post"].status == "invalid"
    assert u.profile["phone"].value == "13912345678"
    assert u.profile["credit_code"].value == "13430725006431661H"


def test_too_long_text(make_xlsx, seed_data):
    rb = default_rulebook()
    rb = dataclasses.replace(rb, limits=dataclasses.replace(rb.limits, max_cell_chars=50))
    u = read_unit(make_xlsx(seed_data), rb)
    assert ("V008", PROFILE.name, PROFILE.cell("duties")) in codes(u)
    assert u.profile["duties"].value == seed_data["profile"]["duties"]  # kept, only flagged


# ---------------------------------------------------------------------------
# Formulas: never 0 when not calculated; error values
# ---------------------------------------------------------------------------


def test_script_written_file_reads_uncalculated(make_xlsx, seed_data):
    u = read_unit(make_xlsx(seed_data, cached=False))
    total = u.budget["total"]
    assert total.actual.status == "uncalculated" and total.actual.value is None
    assert u.scores["total"].self_score.status == "uncalculated"
    # one V003 per sheet, at the sheet's first uncalculated cell, naming the others
    v003 = {f.sheet: f for f in u.findings if f.code == "V003"}
    assert v003[BUDGET.name].cell == BUDGET.cell("total", "initial")
    assert BUDGET.cell("total", "actual") in v003[BUDGET.name].message()
    assert v003[SELF_SCORE.name].cell == SELF_SCORE.cell("output", "self_score")
    assert v003[SELF_SCORE.name].actual == 5  # 产出/效益/满意度 subtotals, 总分 and its 分值
    assert u.budget["general"].actual.value == pytest.approx(309.39)  # inputs unaffected


def test_openpyxl_filled_template_reads_uncalculated(make_xlsx, seed_data, tmp_path):
    src = make_xlsx(seed_data)

    def fill(wb):
        ws = wb[BUDGET.name]
        ws[BUDGET.cell("general", "actual")] = 300.0
        ws[BUDGET.cell("general", "initial")] = "=1+1"  # a formula typed into an input cell

    u = read_unit(edit(src, tmp_path / "filled.xlsx", fill))
    assert u.budget["general"].actual.value == 300.0
    assert u.budget["total"].actual.status == "uncalculated"
    # 较上年增减 (D5-E5) has no value; 执行率 (IF(C5=0,"",D5/C5)) with an empty value may
    # rightly be "" — either way perfxl computes both itself.
    assert u.budget["general"].change.status == "uncalculated"
    assert u.budget["general"].rate.status in ("uncalculated", "blank")
    assert u.budget["general"].initial.status == "uncalculated"
    assert ("V004", BUDGET.name, BUDGET.cell("general", "initial")) in codes(u)
    assert all(f.value is None for f in (u.budget["total"].actual, u.budget["total"].initial))


def test_error_values(make_xlsx, seed_data, tmp_path):
    src = make_xlsx(seed_data)
    a1 = BUDGET.cell("general", "last_year")
    dst = patch_xml(src, tmp_path / "err.xlsx", sheet_index(BUDGET.name),
                    rf'<c r="{a1}"([^>]*?)(/>|>.*?</c>)', f'<c r="{a1}" t="e"><f>1/0</f><v>#DIV/0!</v></c>')
    a2 = BUDGET.cell("total", "rate")
    dst2 = patch_xml(dst, tmp_path / "err2.xlsx", sheet_index(BUDGET.name),
                     rf'<c r="{a2}"([^>]*?)(/>|>.*?</c>)', f'<c r="{a2}" t="e"><f>D4/C4</f><v>#REF!</v></c>')
    u = read_unit(dst2)
    f = u.budget["general"].last_year
    assert (f.status, f.value) == ("error", "#DIV/0!")
    assert ("V005", BUDGET.name, a1) in codes(u)
    assert u.budget["total"].rate.status == "error"
    assert ("V006", BUDGET.name, a2) in codes(u)


# ---------------------------------------------------------------------------
# Layout changes: found by label, or a finding where it should be
# ---------------------------------------------------------------------------


def test_missing_sheet(make_xlsx, seed_data, tmp_path):
    u = read_unit(edit(make_xlsx(seed_data), tmp_path / "m.xlsx", lambda wb: wb.remove(wb[GOALS.name])))
    assert u.readable
    assert ("F013", GOALS.name, None) in codes(u)
    assert u.goals == []
    assert len(u.indicators) == 14


def test_missing_profile_sheet_gives_absent_fields(make_xlsx, seed_data, tmp_path):
    u = read_unit(edit(make_xlsx(seed_data), tmp_path / "m.xlsx", lambda wb: wb.remove(wb[PROFILE.name])))
    assert ("F013", PROFILE.name, None) in codes(u)
    assert u.profile["name"].status == "missing" and u.profile["name"].ref == f"{PROFILE.name}!{PROFILE.cell('name')}"


def test_renamed_header(make_xlsx, seed_data, tmp_path):
    cell = addr(INDICATORS.header_row, INDICATORS.col_of("actual"))

    def rename(wb):
        wb[IND][cell] = "完成值"

    u = read_unit(edit(make_xlsx(seed_data), tmp_path / "h.xlsx", rename))
    assert ("F014", IND, cell) in codes(u)
    assert ("F015", IND, cell) in codes(u)
    assert all(i.actual.status == "missing" for i in u.indicators)
    assert u.indicators[0].target.value == 10.0  # other columns still read
    f = next(f for f in u.findings if f.code == "F014")
    assert "实际完成值" in f.message()


def test_reordered_and_extra_columns(make_xlsx, seed_data, tmp_path):
    ct, ca = INDICATORS.col_of("target"), INDICATORS.col_of("actual")
    extra = len(INDICATORS.columns) + 1

    def swap(wb):
        ws = wb[IND]
        for r in range(INDICATORS.header_row, INDICATORS.first_row + 20):
            a, b = ws.cell(r, ct), ws.cell(r, ca)
            a.value, b.value = b.value, a.value
        ws.cell(INDICATORS.header_row, extra).value = "备注"

    u = read_unit(edit(make_xlsx(seed_data), tmp_path / "r.xlsx", swap))
    assert [i.target.value for i in u.indicators[:3]] == [10.0, 5.0, 20.0]
    assert [i.actual.value for i in u.indicators[:3]] == [151.0, 5.2, 45.0]
    assert u.indicators[0].target.ref == f"{IND}!{addr(INDICATORS.first_row, ca)}"
    assert ("F015", IND, addr(INDICATORS.header_row, extra)) in codes(u)
    assert not codes(u, "F014")


def test_rows_inserted_above_header(make_xlsx, seed_data, tmp_path):
    u = read_unit(edit(make_xlsx(seed_data), tmp_path / "i.xlsx", lambda wb: wb[BUDGET.name].insert_rows(2, 2)))
    assert u.budget["general"].actual.value == pytest.approx(309.39)
    assert u.budget["general"].actual.cell == addr(BUDGET.row_of("general") + 2, BUDGET.col_of("actual"))
    assert ("F021", BUDGET.name, addr(BUDGET.header_row + 2, 1)) in codes(u)


def test_missing_row_label_and_variants(make_xlsx, seed_data, tmp_path):
    def relabel(wb):
        ws = wb[BUDGET.name]
        ws.cell(BUDGET.row_of("public"), 1).value = "公用支出"
        ws.cell(BUDGET.row_of("staff"), 1).value = "其中：人员经费"
        wb[THREE_PUBLIC.name].cell(THREE_PUBLIC.after_row_of("car_count"), 1).value = "公务用车保有量(辆)："

    u = read_unit(edit(make_xlsx(seed_data), tmp_path / "l.xlsx", relabel))
    assert ("F017", BUDGET.name, addr(BUDGET.row_of("public"), 1)) in codes(u)
    assert u.budget["public"].actual.status == "missing" and u.budget["public"].row is None
    assert u.budget["staff"].actual.value == pytest.approx(158.36)
    assert u.car_count.value == 0


def test_missing_header_row(make_xlsx, seed_data, tmp_path):
    def wipe(wb):
        ws = wb[GOALS.name]
        for c in range(1, len(GOALS.columns) + 1):
            ws.cell(GOALS.header_row, c).value = None

    u = read_unit(edit(make_xlsx(seed_data), tmp_path / "w.xlsx", wipe))
    assert ("F016", GOALS.name, addr(GOALS.header_row, 1)) in codes(u)
    assert u.goals == []


# ---------------------------------------------------------------------------
# The _perfxl sheet
# ---------------------------------------------------------------------------


def _set_meta(key: str, value):
    def fn(wb):
        ws = wb["_perfxl"]
        for row in ws.iter_rows():
            if row[0].value == key:
                row[1].value = value
                return
        raise AssertionError(key)

    return fn


def test_other_template_version(make_xlsx, seed_data, tmp_path):
    u = read_unit(edit(make_xlsx(seed_data), tmp_path / "v.xlsx", _set_meta("template_version", "2")))
    assert not u.readable
    assert [c[0] for c in codes(u)] == ["F019"]
    assert u.indicators == [] and u.template_version == 2


def test_minor_version_is_fine(make_xlsx, seed_data, tmp_path):
    u = read_unit(edit(make_xlsx(seed_data), tmp_path / "v.xlsx", _set_meta("template_version", "1.3")))
    assert u.readable and u.template_version == 1 and len(u.indicators) == 14


def test_unknown_template_id(make_xlsx, seed_data, tmp_path):
    u = read_unit(edit(make_xlsx(seed_data), tmp_path / "t.xlsx", _set_meta("template_id", "perfxl.project-self-eval")))
    assert not u.readable
    assert codes(u, "F020")


def test_no_meta_sheet_reads_best_effort(make_xlsx, seed_data, tmp_path):
    u = read_unit(edit(make_xlsx(seed_data), tmp_path / "n.xlsx", lambda wb: wb.remove(wb["_perfxl"])))
    assert u.readable
    assert codes(u, "F018") == [("F018", None, None)]
    assert u.budget["general"].actual.value == pytest.approx(309.39)
    assert len(u.indicators) == 14


def test_some_other_workbook_is_refused_once(tmp_path):
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active["A1"] = "2023年决算报表"
    wb.save(tmp_path / "other.xlsx")
    u = read_unit(tmp_path / "other.xlsx")
    assert not u.readable
    assert [f.code for f in u.findings] == ["F022"]
    assert "Sheet" in u.findings[0].message()


# ---------------------------------------------------------------------------
# Other formats (LibreOffice)
# ---------------------------------------------------------------------------


@pytest.mark.lo
@pytest.mark.parametrize("fmt", ["xls", "ods"])
def test_xls_and_ods_read_the_same(seed_path, soffice_convert, tmp_path, fmt):
    ref = read_unit(seed_path)
    out = soffice_convert(seed_path, fmt, tmp_path / fmt)
    u = read_unit(out)
    assert u.readable, codes(u)
    assert not [f for f in u.findings if f.severity.value == "error"], codes(u)
    for key in ("total", "general", "basic", "project"):
        for col in ("initial", "adjusted", "actual", "last_year"):
            assert u.budget[key].amount(col).value == pytest.approx(ref.budget[key].amount(col).value), (key, col)
    assert [(i.name.value, i.direction.value, i.target.value, i.actual.value) for i in u.indicators] == [
        (i.name.value, i.direction.value, i.target.value, i.actual.value) for i in ref.indicators
    ]
    assert u.scores["total"].self_score.value == pytest.approx(95)
    assert u.grade.value == "优"
    assert {k: f.value for k, f in u.profile.items()} == {k: f.value for k, f in ref.profile.items()}


def test_never_raises_on_garbage(tmp_path):
    p = tmp_path / "x.xlsx"
    p.write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    u = read_unit(p)
    assert not u.readable and u.findings


def test_percent_formatted_cells_keep_the_written_scale(make_xlsx, seed_data, tmp_path):
    """A clerk types 95% into Excel: stored as 0.95 in a percent-formatted cell."""
    def typed_percent(wb):
        ws = wb[IND]
        for cell, v in ((ind_cell(7, "target"), 0.9), (ind_cell(7, "actual"), 0.92), (ind_cell(13, "actual"), 0.92)):
            ws[cell].value, ws[cell].number_format = v, "0%"
        ws[ind_cell(13, "unit")].value = None
        ws[ind_cell(0, "target")].number_format = "0.00%"  # 10 shown as 1000%: too big to be a typed fraction

    u = read_unit(edit(make_xlsx(seed_data), tmp_path / "p.xlsx", typed_percent))
    i7, i13 = u.indicators[7], u.indicators[13]
    assert (i7.target.value, i7.actual.value, i7.percent) == (90.0, 92.0, True)
    assert (i13.target.value, i13.actual.value, i13.unit.value, i13.percent) == (90.0, 92.0, "%", True)
    assert u.indicators[0].target.value == 10.0
    assert not [c for c in codes(u) if c[1] == IND]


def test_goal_numbers_and_points_as_clerks_write_them(make_xlsx, seed_data):
    seed_data["goals"][0]["seq"] = "一"
    seed_data["goals"][1]["seq"] = "2"
    seed_data["indicators"][0]["self_score"] = "5分"
    u = read_unit(make_xlsx(seed_data))
    assert [g.seq.value for g in u.goals] == ["一", 2, 3, 4]
    assert u.indicators[0].self_score.value == 5.0
    assert not [c for c in codes(u) if c[1] == GOALS.name]
    assert ("V001", IND, ind_cell(0, "self_score")) in codes(u)


def test_only_the_template_sheets_are_parsed(seed_path, tmp_path):
    """填报说明 and a clerk's own sheets are listed but never parsed: a sheet the parser
    would choke on costs nothing when the template does not define it."""
    wb = openpyxl.load_workbook(seed_path)
    extra = wb.create_sheet("草稿")
    extra["A1"] = "随手记"
    path = tmp_path / "extra.xlsx"
    wb.save(path)
    from perfxl.read.unit import _template_sheets

    names, grids = read_grids(path, only=_template_sheets())
    assert "草稿" in names and "填报说明" in names
    assert "草稿" not in grids and "填报说明" not in grids
    assert set(grids) == {n for n in names if n in _template_sheets()}
    assert read_grids(path)[1]["草稿"][0][0] == "随手记"  # without ``only``: every sheet
    u = read_unit(path)
    assert u.readable and "草稿" in u.sheets and not [f for f in u.findings if f.severity.value == "error"]


@pytest.mark.parametrize("row, col", [(1, 1), (7, 3), (103, 13), (1, 32), (1, 33), (5000, 2), (70000, 700)])
def test_a1_table_matches_addr(row, col):
    from perfxl.read.cells import _a1

    assert _a1(row, col) == addr(row, col)


def test_field_number_is_the_finite_number_it_holds():
    import math

    from perfxl.model import Field

    def expected(value, status):
        if status != "ok" or isinstance(value, bool) or not isinstance(value, (int, float)):
            return None
        try:
            return float(value) if math.isfinite(value) else None
        except OverflowError:
            return None

    for value in (1.5, 0.0, -2.0, 3, True, False, float("nan"), float("inf"), -float("inf"), "12", None, 10**400):
        for status in ("ok", "blank", "invalid", "uncalculated", "error", "missing"):
            f = Field(value, "s", "A1", value, status)
            assert f.number == expected(value, status) and type(f.number) in (float, type(None)), (value, status)
            assert dataclasses.replace(f, value=2.5).number == (2.5 if status == "ok" else None)
