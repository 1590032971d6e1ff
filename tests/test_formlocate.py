"""Locating the blocks of a 项目支出绩效自评表 by their labels, wherever they stand."""

from __future__ import annotations

import copy

import pytest

from perfxl.formlocate import find_year, locate_form
from perfxl.spec_project import PROJECT_PAGE

N = None

# The national layout as TEMPLATE-project.md draws it (0-based rows below).
NATIONAL = [
    ["项目支出绩效自评表", N, N, N, N, N, N, N, N],
    ["（2023年度）", N, N, N, N, N, N, N, N],
    ["项目名称", "农村公路养护", N, N, N, N, N, N, N],
    ["主管部门", "示例县交通运输局", N, N, "实施单位", "示例县公路中心", N, N, N],
    ["项目资金（万元）", N, N, "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"],
    [N, "年度资金总额", N, 120, 130, 126.5, 10, 0.973, 9.73],
    [N, "其中：当年财政拨款", N, 100, 110, 106.5, "—", N, "—"],
    [N, "上年结转资金", N, 20, 20, 20, "—", N, "—"],
    [N, "其他资金", N, 0, 0, 0, "—", N, "—"],
    ["年度总体目标", "预期目标", N, N, N, "实际完成情况", N, N, N],
    [N, "完成养护里程120公里", N, N, N, "完成126公里", N, N, N],
    ["绩效指标", "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施"],
    [N, "产出指标", "数量指标", "养护里程", "≥120公里", "126公里", 20, 20, N],
    [N, N, "质量指标", "合格率", "≥95%", "96%", 30, 30, N],
    [N, "效益指标", "社会效益指标", "通行条件", "有效提升", "明显提升", 30, 28, N],
    [N, "满意度指标", "服务对象满意度指标", "群众满意度", "≥90%", "92%", 10, 10, N],
    ["总分", N, N, N, N, N, 100, 97.73, N],
]
MERGES = [((0, 0), (0, 8)), ((1, 0), (1, 8)), ((2, 1), (2, 8)), ((3, 1), (3, 3)), ((3, 5), (3, 8)),
          ((4, 0), (8, 0)), ((5, 1), (5, 2)), ((9, 0), (10, 0)), ((9, 1), (9, 4)), ((9, 5), (9, 8)),
          ((10, 1), (10, 4)), ((10, 5), (10, 8)), ((11, 0), (15, 0)), ((16, 0), (16, 5))]


@pytest.mark.parametrize("merges", [MERGES, None], ids=["merges", "no-merges"])
def test_national_layout(merges):
    hit = locate_form("表1", NATIONAL, merges, PROJECT_PAGE)
    assert hit.year[2] == 2023 and hit.year[:2] == (1, 0)
    assert hit.fields == {"name": ((2, 0), (2, 1)), "department": ((3, 0), (3, 1)),
                          "implementer": ((3, 4), (3, 5))}
    money = hit.table("budget")
    assert (money.header, money.cols) == (4, {"initial": 3, "adjusted": 4, "actual": 5, "weight": 6, "rate": 7,
                                              "score": 8, "item": 1})
    assert money.rows == {"total": 5, "current": 6, "carryover": 7, "other": 8}
    goals = hit.table("goals")
    assert (goals.cols, goals.data) == ({"goal": 1, "result": 5}, [10])
    ind = hit.table("indicators")
    assert ind.cols == {"level1": 1, "level2": 2, "name": 3, "target": 4, "actual": 5, "weight": 6,
                        "self_score": 7, "reason": 8}
    assert ind.data == [12, 13, 14, 15] and ind.extras == []
    assert hit.total == (16, 0) and hit.missing == []


def test_inserted_rows_and_columns_move_every_block():
    grid = [[N] * 10 for _ in range(3)] + [[N] + row for row in copy.deepcopy(NATIONAL)]
    hit = locate_form("表1", grid, None, PROJECT_PAGE)
    assert hit.fields["name"] == ((5, 1), (5, 2))
    assert hit.table("budget").rows["total"] == 8 and hit.table("budget").cols["actual"] == 6
    assert hit.table("indicators").data == [15, 16, 17, 18] and hit.total == (19, 1)


def test_labels_broken_by_spaces_and_variants():
    grid = copy.deepcopy(NATIONAL)
    grid[2][0] = "项 目 名 称"
    grid[5][1] = "年度资金\n总额"
    grid[6][1] = "其中:本年财政拨款"
    grid[7][1] = "上年结余结转资金"
    grid[11][0] = "绩 效 指 标"
    grid[11][4], grid[11][5], grid[11][7] = "年度目标值", "全年实际值", "自评得分"
    grid[11][8] = "未完成原因分析"
    hit = locate_form("表1", grid, MERGES, PROJECT_PAGE)
    assert hit.fields["name"][0] == (2, 0)
    assert hit.table("budget").rows == {"total": 5, "current": 6, "carryover": 7, "other": 8}
    ind = hit.table("indicators")
    assert {k: ind.cols[k] for k in ("target", "actual", "self_score", "reason")} == {
        "target": 4, "actual": 5, "self_score": 7, "reason": 8}
    assert ind.extras == []


def test_sichuan_money_block():
    grid = copy.deepcopy(NATIONAL)
    grid[4] = ["项目资金（万元）", N, N, "年初预算", "调整后预算数", "预算执行数", "预算执行率", "权重", "得分", "原因"]
    grid[6][1], grid[7][1], grid[8][1] = "其中：财政拨款", "财政专户管理资金", "单位资金"
    hit = locate_form("表1", grid, None, PROJECT_PAGE)
    money = hit.table("budget")
    assert {k: money.cols[k] for k in ("initial", "adjusted", "actual", "rate", "weight", "score", "reason")} == {
        "initial": 3, "adjusted": 4, "actual": 5, "rate": 6, "weight": 7, "score": 8, "reason": 9}
    assert money.rows == {"total": 5, "current": 6, "special": 7, "own": 8}


def test_two_row_header_splits_the_target():
    grid = copy.deepcopy(NATIONAL)
    grid[11] = ["绩效指标", "一级指标", "二级指标", "三级指标", "年度指标值", N, N, "实际完成值", "分值", "得分", "偏差原因分析及改进措施"]
    grid.insert(12, [N, N, N, N, "指标性质", "指标值", "度量单位", N, N, N, N])
    merges = [((11, 4), (11, 6))]
    hit = locate_form("表1", grid, merges, PROJECT_PAGE)
    ind = hit.table("indicators")
    assert (ind.header, ind.header_end) == (11, 12)
    assert {k: ind.cols[k] for k in ("direction", "target", "unit", "actual", "weight", "self_score")} == {
        "direction": 4, "target": 5, "unit": 6, "actual": 7, "weight": 8, "self_score": 9}
    assert ind.data[0] == 13


def test_weights_inside_level1_labels_and_total_variants():
    grid = copy.deepcopy(NATIONAL)
    grid[12][1], grid[14][1] = "产出指标（50分）", "效益指标(30分)"
    grid[16] = ["合计", N, N, N, N, N, "100分", N, N]
    hit = locate_form("表1", grid, MERGES, PROJECT_PAGE)
    assert hit.table("indicators").label_weights == {12: 50.0, 14: 30.0}
    assert hit.total == (16, 0)


def test_form_without_weight_column_is_still_a_form():
    grid = [row[:6] + row[7:] for row in copy.deepcopy(NATIONAL)]  # drop 分值 (G)
    hit = locate_form("表1", grid, None, PROJECT_PAGE)
    ind = hit.table("indicators")
    assert "weight" not in ind.cols and ind.cols["self_score"] == 6


def test_a_cover_sheet_is_not_a_form():
    grid = [["2023年度项目支出绩效自评报告"], ["编制单位：示例县交通运输局"], [], ["目录"]]
    hit = locate_form("封面", grid, None, PROJECT_PAGE)
    assert hit.tables == {} and {r for r, _k in hit.missing} == {"budget", "goals", "indicators", "profile"}


@pytest.mark.parametrize("text, year", [
    ("（2023年度）", 2023), ("2023年度", 2023), ("（ 2023 年度 ）", 2023), ("填报年度：2023", 2023),
    ("(2022年度)", 2022), ("２０２３年度", 2023), ("2021年度项目支出绩效自评表", 2021),
])
def test_year_variants(text, year):
    assert find_year([["项目支出绩效自评表"], [text]])[2] == year


def test_no_year_in_a_project_name_below_the_title():
    grid = copy.deepcopy(NATIONAL)
    grid[1][0] = None
    grid[2][1] = "2022年度高标准农田建设"
    assert locate_form("表1", grid, MERGES, PROJECT_PAGE).year is None
