"""Each unit's 自评报告 draft: the seed's figures, placeholders, the page of what to fix,
escaping, and the template fields."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest
from _docx_util import highlighted, paragraphs, text

import perfxl
from perfxl.writeup import ReportOptions, write_reports
from perfxl.writeup.fields import UNIT_FIELDS
from perfxl.writeup.unit import draft_context

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "samples" / "000_桃源县科学技术协会.xlsx"
WITH_ERRORS = ROOT / "samples" / "009_示例县人力资源和社会保障局.xlsx"  # B001 at 预算执行!D4

# The figures issue 14 lists for the seed unit, each in the phrase the draft must carry.
SEED_FIGURES = [
    "收、支总计309.39万元",
    "年初预算数为285.84万元",
    "与上年相比，减少16.89万元，减少5.18%",  # 309.39 − 326.28
    "基本支出减少18.02万元",
    "项目支出增加1.13万元",
    "完成年初预算的108.24%",
    "公务接待费支出决算3.75万元，占100%",
    "接待来访团组26个、来宾270人次",
    "公务用车保有量为0辆",
    "编制11人",
    "在职在岗9人",
    "离退休人员10人",
    "自评得分95分",
    "自评等级为“优”",
]


@pytest.fixture(scope="module")
def seed_draft(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("seed")
    result = write_reports([SEED], out)
    assert result.exit_code == 0
    return result.drafts[0].path


def test_the_seed_draft_carries_every_seed_figure(seed_draft: Path):
    assert seed_draft.name == "桃源县科学技术协会_2023_绩效自评报告.docx"
    body = text(seed_draft)
    missing = [f for f in SEED_FIGURES if f not in body]
    assert not missing, missing
    assert "326.28" in body or "上年" in body  # last year's figure stands behind the change


def test_the_seed_draft_follows_the_seed_outline(seed_draft: Path):
    heads = [p for p in paragraphs(seed_draft) if re.match(r"^[一二三四五六七八]、", p)]
    assert heads == ["一、部门概况", "二、部门财务情况", "三、部门绩效目标", "四、绩效评价工作情况", "五、综合评价结果",
                     "六、部门整体支出绩效情况", "七、存在的主要问题及原因分析", "八、有关建议"]
    body = text(seed_draft)
    for sub in ("（一）机构、人员构成", "（二）单位主要职责", "（一）部门整体支出情况", "（二）部门预算收支决算情况",
                "（三）“三公经费”支出使用和管理情况", "（一）预算执行", "（二）产出指标", "（三）效益指标", "（四）满意度指标"):
        assert sub in body, sub


def test_indicators_appear_as_a_table_and_the_unmet_one_with_its_reason(seed_draft: Path):
    body = text(seed_draft)
    assert "开展科技志愿服务活动次数\n≥10次\n151次" in body  # a table row, cell by cell
    assert "崇尚科学、尊重科技人才氛围：年度指标值进一步提升" in body
    assert "部分达成年度指标。偏差原因及改进措施：科普宣传覆盖面不够大" in body
    # 七 draws on the 偏差原因 and on the warnings perfxl found (I016 twice)
    assert body.count("大幅超额完成：") == 2


def test_placeholders_are_highlighted_and_nothing_is_invented(seed_draft: Path):
    marks = highlighted(seed_draft)
    assert "【请填写：单位负责人】" in marks
    assert "【请填写：有关建议】" in marks
    assert all(m.startswith("【请填写：") and m.endswith("】") for m in marks)
    body = text(seed_draft)
    # every placeholder in the text is highlighted
    assert len(re.findall(r"【请填写：[^】]*】", body)) == len(marks)
    # the seed leaves 主管部门 blank: the draft does not name one
    assert "主管部门" not in body or "【请填写：主管部门】" in body


def test_the_title_breaks_after_a_long_unit_name(seed_draft: Path, tmp_path: Path):
    """The seed's two title lines while the first fits a 2号 line; a longer name breaks
    after the name (GB/T 9704), not at whatever character the line ends on."""
    paras = paragraphs(seed_draft)
    at = paras.index("2023年度桃源县科学技术协会整体支出绩效")
    assert paras[at + 1] == "自 评 报 告"
    paras = paragraphs(write_reports([WITH_ERRORS], tmp_path).drafts[0].path)
    at = paras.index("2023年度示例县人力资源和社会保障局")
    assert paras[at + 1] == "整体支出绩效自评报告" and "自 评 报 告" not in paras


def test_a_clean_unit_has_no_page_of_fixes(seed_draft: Path):
    assert not paragraphs(seed_draft)[0].startswith("请先修改自评表")


def test_a_unit_with_errors_gets_its_draft_with_a_first_page_of_fixes(tmp_path: Path):
    result = write_reports([WITH_ERRORS], tmp_path)
    assert result.exit_code == 1
    d = result.drafts[0]
    assert d.path is not None and d.errors == 1
    paras = paragraphs(d.path)
    assert paras[0].startswith("请先修改自评表")
    page = "\n".join(paras[: paras.index("2023年度示例县人力资源和社会保障局")])
    assert "预算执行!D4" in page and "B001" in page and "错误" in page
    assert "预算执行!H4" in page and "B005" in page  # warnings too: they must be explained
    assert "1个错误" in page and "3个警告" in page


def test_an_unreadable_figure_is_a_placeholder_never_zero(make_xlsx, seed_data, tmp_path: Path):
    seed_data["profile"]["staff_quota"] = "十一人"  # words in a number cell
    seed_data["profile"]["retirees"] = None  # blank
    seed_data["three_public"]["reception"]["persons"] = "若干"
    src = make_xlsx(seed_data)
    result = write_reports([src], tmp_path / "out")
    body = text(result.drafts[0].path)
    assert "经核定编制【请填写：编制人数（自评表中未能读取）】人" in body
    assert "在职人员控制率【请填写：在职人员控制率（编制人数或在职人数）（自评表中未能读取）】" in body
    assert "另有离退休人员【请填写：离退休人数】人" in body  # blank: asked for, not 'unreadable'
    assert "来宾【请填写：公务接待费人次（自评表中未能读取）】人次" in body
    assert "编制0人" not in body and "来宾0人次" not in body


def test_unit_text_cannot_inject_template_code(make_xlsx, seed_data, tmp_path: Path):
    name = "{{ 7*7 }}县{% if true %}局{% endif %}{_{ x }_}"
    seed_data["profile"]["name"] = name
    seed_data["goals"][0]["goal"] = "{%p for x in 绩效目标 %}<w:br/>&amp;{# note #}"
    src = make_xlsx(seed_data)
    result = write_reports([src], tmp_path / "out")
    d = result.drafts[0]
    body = text(d.path)
    assert f"2023年度{name}\n整体支出绩效自评报告" in body
    assert "{%p for x in 绩效目标 %}<w:br/>&amp;{# note #}" in body
    assert "49" not in body.split("\n")[0]


def test_the_same_workbook_gives_the_same_bytes(tmp_path: Path):
    a = write_reports([SEED], tmp_path / "a").drafts[0].path.read_bytes()
    b = write_reports([SEED], tmp_path / "b").drafts[0].path.read_bytes()
    assert a == b


def test_inputs_stay_byte_identical(tmp_path: Path):
    before = hashlib.sha256(SEED.read_bytes()).hexdigest()
    write_reports([SEED], tmp_path)
    assert hashlib.sha256(SEED.read_bytes()).hexdigest() == before


def _shape(value):
    """The field names a context value offers (recursively), for the drift test."""
    if isinstance(value, dict):
        return {k: _shape(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_shape(value[0])] if value else []
    return None


def _catalogue_shape(fields):
    out = {}
    for f in fields:
        if f.kind == "object":
            out[f.name] = _catalogue_shape(f.items)
        elif f.kind == "list":
            out[f.name] = [_catalogue_shape(f.items)]
        elif f.kind == "texts":
            out[f.name] = [None]
        else:
            out[f.name] = None
    return out


def test_the_context_has_exactly_the_catalogued_fields():
    rb = perfxl.load_rulebook()
    report = perfxl.check_file(SEED, perfxl.CheckOptions(rb))
    ctx = draft_context(report, rb)
    shape = _shape(ctx)
    # the seed has no empty lists except where nothing failed; fill them to compare
    for item in shape["指标分析"]:
        for k in ("未完成", "待核实", "已完成"):
            item[k] = [None]
    assert shape == _catalogue_shape(UNIT_FIELDS)


def test_the_draft_is_a_library_call_with_options(tmp_path: Path):
    result = perfxl.write_reports([SEED], tmp_path, perfxl.ReportOptions(rulebook=perfxl.load_rulebook()))
    assert [d.status for d in result.drafts] == ["通过"]
    assert result.written == [tmp_path / "桃源县科学技术协会_2023_绩效自评报告.docx"]


def test_a_rerun_never_overwrites_an_edited_draft(tmp_path: Path):
    first = write_reports([SEED], tmp_path).drafts[0].path
    assert write_reports([SEED], tmp_path).drafts[0].path == first  # unchanged: replaced in place
    first.write_bytes(first.read_bytes() + b"\0")  # the clerk edits and saves it
    edited = first.read_bytes()
    again = write_reports([SEED], tmp_path)
    assert first.read_bytes() == edited
    assert again.drafts[0].path == tmp_path / "桃源县科学技术协会_2023_绩效自评报告_2.docx"
    assert again.kept == [(first, again.drafts[0].path)]


def test_a_file_perfxl_did_not_write_is_never_replaced(tmp_path: Path):
    mine = tmp_path / "桃源县科学技术协会_2023_绩效自评报告.docx"
    mine.write_bytes(b"the clerk's own file")
    result = write_reports([SEED], tmp_path)
    assert mine.read_bytes() == b"the clerk's own file"
    assert result.drafts[0].path.name.endswith("_2.docx")


def test_options_default_to_the_shipped_template():
    assert ReportOptions().template is None
