#!/usr/bin/env python
"""Build the shipped report templates with python-docx, in the GB/T 9704 format.

    python scripts/make_report_templates.py            # write templates/ and perfxl/data/
    python scripts/make_report_templates.py --check    # exit 1 when a shipped copy is stale

Writes ``templates/部门整体支出绩效自评报告.docx`` (each unit's draft, in the seed report's
outline) and ``templates/全县部门整体支出绩效自评情况报告.docx`` (the bureau's county
report), and the same bytes to ``perfxl/data/`` where an installed perfxl finds them.  The
output is deterministic: the same script gives the same bytes.

A bureau edits the .docx in Word or WPS; the fields it may use are listed in the README
(generated from ``perfxl/writeup/fields.py``).  Fields are Jinja as docxtpl reads them:
``{{ 单位名称 }}``; ``{%p for 目标 in 绩效目标 %}`` … ``{%p endfor %}`` repeat a paragraph,
``{%tr … %}`` a table row, ``{%p if … %}`` keeps a paragraph only when a field is non-empty.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path
from typing import Any, Sequence

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from docx import Document  # noqa: E402
from docx.enum.table import WD_TABLE_ALIGNMENT  # noqa: E402
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK  # noqa: E402
from docx.oxml import parse_xml  # noqa: E402
from docx.oxml.ns import nsdecls  # noqa: E402
from docx.shared import Mm, Pt  # noqa: E402

from perfxl.writeup import gbt9704 as fmt  # noqa: E402
from perfxl.writeup.render import COUNTY_TEMPLATE, UNIT_TEMPLATE, docx_bytes  # noqa: E402

FILL = "【请填写：{}】"
_CREATED = dt.datetime(2024, 1, 1)


# --- building blocks -------------------------------------------------------------------


def new_document(title: str) -> Any:
    """A document in the GB/T 9704 format; ``title`` (its document property) may hold fields."""
    doc = Document()
    fmt.apply_format(doc)
    cp = doc.core_properties
    cp.title, cp.author, cp.last_modified_by = title, "perfxl", "perfxl"
    cp.comments = "perfxl 报告模板：双花括号中的是字段，可用字段见 perfxl 的 README（报告模板字段）。"
    cp.created = cp.modified = _CREATED
    cp.revision = 1
    return doc


def para(doc: Any, text: str = "", style: str | None = None, *, align: Any = None, indent: bool = True) -> Any:
    p = doc.add_paragraph(text, style=style)
    if align is not None:
        p.paragraph_format.alignment = align
    if not indent:
        p.paragraph_format.first_line_indent = Pt(0)
    return p


def tag(doc: Any, text: str) -> Any:
    """A paragraph that holds only a docxtpl tag ({%p … %}); docxtpl removes it."""
    return para(doc, text, indent=False)


def title(doc: Any, text: str) -> Any:
    return para(doc, text, "Title")


def h1(doc: Any, text: str) -> Any:
    return para(doc, text, "Heading 1")


def h2(doc: Any, text: str) -> Any:
    return para(doc, text, "Heading 2")


def section_break(doc: Any) -> Any:
    """End a section here: what follows starts on a new page, in a section of its own whose
    page numbers start at 1; the section ended has no page numbers."""
    import copy

    from docx.oxml.ns import qn

    body = doc.element.body.sectPr
    start = body.find(qn("w:pgNumType"))
    if start is None:
        start = body.makeelement(qn("w:pgNumType"), {})
        body.append(start)
    start.set(qn("w:start"), "1")
    sect = copy.deepcopy(body)
    for child in list(sect):
        if child.tag in (qn("w:headerReference"), qn("w:footerReference"), qn("w:pgNumType"), qn("w:titlePg")):
            sect.remove(child)
    p = para(doc, indent=False)
    p._p.get_or_add_pPr().append(sect)
    return p


def page_break(doc: Any) -> Any:
    p = para(doc, indent=False)
    p.add_run().add_break(WD_BREAK.PAGE)
    return p


def _cell_text(cell: Any, text: str, bold: bool = False, center: bool = False) -> None:
    from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT

    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    p = cell.paragraphs[0]
    p.style = fmt.TABLE_TEXT
    if center:
        p.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = p.add_run(text)
    if bold:
        run.bold = True


def table(doc: Any, columns: Sequence[tuple[str, str, float]], loop: str, *, center: Sequence[str] = (),
          keep: bool = False) -> Any:
    """A table with a header row and one row repeated per element of a list.

    ``columns``: (header, the element's field, width in mm); ``loop``: 'x in 列表'; ``keep``:
    keep a short table on one page, with what follows it (a chart).
    """
    var = loop.split(" in ", 1)[0].strip()
    t = doc.add_table(rows=4, cols=len(columns))
    t.style = doc.styles[fmt.TABLE_STYLE]
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    t.autofit = False
    for i, (head, key, width) in enumerate(columns):
        t.columns[i].width = Mm(width)
        for row in t.rows:
            row.cells[i].width = Mm(width)
        _cell_text(t.rows[0].cells[i], head, bold=True, center=True)
        _cell_text(t.rows[2].cells[i], f"{{{{ {var}.{key} }}}}", center=key in center)
    # The loop tags sit in rows of their own, merged across so a bureau reads them whole.
    for r, tag_text in ((1, f"{{%tr for {loop} %}}"), (3, "{%tr endfor %}")):
        merged = t.rows[r].cells[0].merge(t.rows[r].cells[len(columns) - 1])
        _cell_text(merged, tag_text)
    header = t.rows[0]._tr.get_or_add_trPr()
    header.append(parse_xml(f'<w:tblHeader {nsdecls("w")}/>'))  # repeated on every page
    if keep:
        for row in (t.rows[0], t.rows[2]):
            for cell in row.cells:
                cell.paragraphs[0].paragraph_format.keep_with_next = True
    shade = "D9D9D9"
    for cell in t.rows[0].cells:
        cell._tc.get_or_add_tcPr().append(parse_xml(f'<w:shd {nsdecls("w")} w:val="clear" w:color="auto" '
                                                    f'w:fill="{shade}"/>'))
    return t


def signature(doc: Any, lines: Sequence[str]) -> None:
    para(doc, indent=False)
    for line in lines:
        p = para(doc, line, align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False)
        p.paragraph_format.right_indent = Pt(4 * fmt.SIZE_PT["三号"])


def picture(doc: Any, field: str) -> None:
    """A chart, centred, in a paragraph of single spacing (a fixed line pitch would clip it)."""
    tag(doc, f"{{%p if {field} %}}")
    para(doc, f"{{{{ {field} }}}}", fmt.TABLE_TEXT, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
    tag(doc, "{%p endif %}")


# --- the unit's draft ----------------------------------------------------------------


def unit_template() -> Any:
    doc = new_document("{{ 年度 }}年度{{ 单位名称 }}整体支出绩效自评报告")
    # First page, only for a workbook with errors: what to fix before the draft is used.
    tag(doc, "{%p if 需修改 %}")
    p = para(doc, "请先修改自评表（本页不属于报告，修改后重新生成并删除本页）", fmt.NOTE_STYLE)
    p.runs[0].bold = True
    para(doc, "本草稿根据自评表《{{ 自评表 }}》生成。校验发现{{ 错误数 }}个错误（须修改）、{{ 警告数 }}个警告"
              "（须说明），报告中的数字可能因此不准确。请按下表修改自评表：", fmt.NOTE_STYLE)
    table(doc, [("级别", "级别", 14), ("位置", "位置", 34), ("代码", "代码", 14), ("说明", "说明", 94)],
          "项 in 修改清单", center=("级别", "代码"))
    section_break(doc)
    tag(doc, "{%p endif %}")

    # The seed's two title lines while the first fits a line of 2号 type (about 19 characters);
    # a longer unit name breaks after the name instead, not at whatever character the line
    # ends on (GB/T 9704: a title breaks where the words do).
    tag(doc, "{%p if 单位名称|length <= 9 %}")
    title(doc, "{{ 年度 }}年度{{ 单位名称 }}整体支出绩效")
    title(doc, "自 评 报 告")
    tag(doc, "{%p else %}")
    title(doc, "{{ 年度 }}年度{{ 单位名称 }}")
    title(doc, "整体支出绩效自评报告")
    tag(doc, "{%p endif %}")
    para(doc, indent=False)

    h1(doc, "一、部门概况")
    h2(doc, "（一）机构、人员构成")
    para(doc, "{{ 单位名称 }}为{{ 单位类型 }}，统一社会信用代码{{ 统一社会信用代码 }}，单位负责人："
              + FILL.format("单位负责人") + "。单位内设机构{{ 内设机构数 }}个，下辖二级机构{{ 二级机构数 }}个。"
              "经核定编制{{ 编制人数 }}人，{{ 年度 }}年在职在岗{{ 在职人数 }}人（在职人员控制率{{ 在职人员控制率 }}），"
              "另有离退休人员{{ 离退休人数 }}人。")
    h2(doc, "（二）单位主要职责")
    tag(doc, "{%p for 段 in 主要职责 %}")
    para(doc, "{{ 段 }}")
    tag(doc, "{%p endfor %}")

    h1(doc, "二、部门财务情况")
    h2(doc, "（一）部门整体支出情况")
    para(doc, "{{ 年度 }}年度收、支总计{{ 全年执行数 }}万元，与上年相比，{{ 较上年 }}，主要是因为基本支出"
              "{{ 基本支出较上年 }}，项目支出{{ 项目支出较上年 }}。其中基本支出{{ 基本支出 }}万元（人员经费"
              "{{ 人员经费 }}万元，公用经费{{ 公用经费 }}万元），项目支出{{ 项目支出 }}万元。主要原因是"
              + FILL.format("支出增减的主要原因") + "。")
    h2(doc, "（二）部门预算收支决算情况")
    para(doc, "{{ 年度 }}年度支出年初预算数为{{ 年初预算数 }}万元，全年预算数（调整后预算）为{{ 全年预算数 }}万元，"
              "支出决算数为{{ 全年执行数 }}万元，完成年初预算的{{ 完成年初预算 }}，预算执行率{{ 执行率 }}。"
              "{{ 偏差说明 }}")
    h2(doc, "（三）“三公经费”支出使用和管理情况")
    para(doc, "{{ 年度 }}年度“三公”经费财政拨款支出决算中，公务接待费支出决算{{ 接待.决算数 }}万元，占"
              "{{ 接待.占比 }}；因公出国（境）费支出决算{{ 出国.决算数 }}万元，占{{ 出国.占比 }}；公务用车购置费及"
              "运行维护费支出决算{{ 公车.决算数 }}万元，占{{ 公车.占比 }}。“三公”经费合计{{ 三公经费.决算数 }}万元，"
              "为预算数{{ 三公经费.预算数 }}万元的{{ 三公经费.控制率 }}，与上年相比，{{ 三公经费.较上年 }}。其中：")
    para(doc, "1.因公出国（境）费支出决算为{{ 出国.决算数 }}万元，全年安排因公出国（境）团组{{ 出国.团组 }}个，"
              "累计{{ 出国.人次 }}人次，开支内容：" + FILL.format("出访任务和开支内容（没有则写“无”）") + "。")
    para(doc, "2.公务接待费支出决算为{{ 接待.决算数 }}万元，全年共接待来访团组{{ 接待.批次 }}个、来宾"
              "{{ 接待.人次 }}人次，主要是" + FILL.format("接待对象和事由") + "。")
    para(doc, "3.公务用车购置费及运行维护费支出决算为{{ 公车.决算数 }}万元，其中：公务用车购置费{{ 公车.购置费 }}万元，"
              "公务用车运行维护费{{ 公车.运行维护费 }}万元。截至{{ 年度 }}年12月31日，本单位开支财政拨款的公务用车"
              "保有量为{{ 公车.保有量 }}辆。")

    h1(doc, "三、部门绩效目标")
    h2(doc, "（一）部门绩效总目标及完成情况")
    tag(doc, "{%p for 目标 in 绩效目标 %}")
    para(doc, "{{ 目标.序号 }}.{{ 目标.目标 }}完成情况：{{ 目标.完成情况 }}")
    tag(doc, "{%p endfor %}")
    h2(doc, "（二）{{ 年度 }}年度部门绩效指标")
    para(doc, "{{ 年度 }}年度部门绩效指标及完成情况如下表：")
    table(doc, [("一级指标", "一级指标", 17), ("二级指标", "二级指标", 19), ("三级指标", "三级指标", 38),
                ("年度指标值", "指标值", 20), ("实际完成值", "实际完成值", 22), ("分值", "分值", 11),
                ("自评得分", "自评得分", 13), ("完成情况", "完成情况", 16)],
          "指标 in 绩效指标", center=("分值", "自评得分", "完成情况"))

    h1(doc, "四、绩效评价工作情况")
    para(doc, "根据" + FILL.format("评价依据（文件名称和文号）") + "要求，本单位"
              + FILL.format("自评工作的组织（工作方案、工作组）和过程") + "，于" + FILL.format("完成日期")
              + "完成自评工作。自评数据取自本单位填报的《{{ 年度 }}年度部门整体支出绩效自评表》（填报人："
              "{{ 填报人 }}，填报日期：{{ 填报日期 }}），经{{ 生成工具 }}按《{{ 评分规则 }}》校验和复核评分。")

    h1(doc, "五、综合评价结果")
    para(doc, "{{ 年度 }}年度本单位整体支出绩效自评得分{{ 自评得分 }}分，自评等级为“{{ 自评等级 }}”。{{ 得分说明 }}"
              "各项得分如下：").paragraph_format.keep_with_next = True
    table(doc, [("评价内容", "评价内容", 46), ("分值", "分值", 30), ("自评得分", "自评得分", 40),
                ("复核得分", "复核得分", 40)], "项 in 得分表", center=("分值", "自评得分", "复核得分"), keep=True)
    para(doc, FILL.format("自评结果的公开和应用安排"))

    h1(doc, "六、部门整体支出绩效情况")
    h2(doc, "（一）预算执行")
    para(doc, "全年预算数{{ 全年预算数 }}万元，全年执行数{{ 全年执行数 }}万元，预算执行率{{ 执行率 }}，"
              "得分{{ 执行率得分 }}分。")
    tag(doc, "{%p for 项 in 指标分析 %}")
    h2(doc, "{{ 项.序号 }}{{ 项.一级指标 }}（分值{{ 项.分值 }}分，自评得分{{ 项.自评得分 }}分）")
    para(doc, "{{ 项.小结 }}。")
    tag(doc, "{%p if 项.已完成 %}")
    para(doc, "达成的指标：")
    tag(doc, "{%p for 句 in 项.已完成 %}")
    para(doc, "{{ loop.index }}.{{ 句 }}。")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if 项.未完成 %}")
    para(doc, "未完全达成的指标：")
    tag(doc, "{%p for 句 in 项.未完成 %}")
    para(doc, "{{ loop.index }}.{{ 句 }}")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if 项.待核实 %}")
    para(doc, "未能判断完成情况的指标：")
    tag(doc, "{%p for 句 in 项.待核实 %}")
    para(doc, "{{ loop.index }}.{{ 句 }}")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p endif %}")
    para(doc, FILL.format("本方面的主要工作和成效"))
    tag(doc, "{%p endfor %}")

    h1(doc, "七、存在的主要问题及原因分析")
    tag(doc, "{%p for 问题 in 存在问题 %}")
    para(doc, "{{ loop.index }}.{{ 问题 }}")
    tag(doc, "{%p endfor %}")
    para(doc, FILL.format("其他问题及原因分析（没有可删除）"))

    h1(doc, "八、有关建议")
    para(doc, FILL.format("有关建议"))
    signature(doc, ["{{ 单位名称 }}", FILL.format("成文日期")])
    return doc


# --- the county report ---------------------------------------------------------------


def county_template() -> Any:
    doc = new_document("{{ 年度 }}年度全县部门整体支出绩效自评情况报告")
    title(doc, "{{ 年度 }}年度全县部门整体支出绩效")
    title(doc, "自评情况报告")
    para(doc, indent=False)
    para(doc, FILL.format("主送机关") + "：", indent=False)
    para(doc, "根据" + FILL.format("文件依据") + "要求，县财政局组织全县预算部门（单位）开展了{{ 年度 }}年度部门整体"
              "支出绩效自评，对各单位报送的自评表逐一审核，并按《{{ 规则库 }}》复核评分。现将有关情况报告如下：")

    h1(doc, "一、基本情况")
    para(doc, "本次共收到{{ 单位数 }}个部门（单位）的自评表，其中可读取{{ 可读取数 }}个、无法读取{{ 无法读取数 }}个；"
              "审核通过{{ 通过数 }}个，需修改{{ 需修改数 }}个；完成复核评分{{ 已评分数 }}个。涉及全年预算数"
              "{{ 全年预算数合计 }}万元，全年执行数{{ 全年执行数合计 }}万元，总体预算执行率{{ 总体执行率 }}。")

    h1(doc, "二、自评结果")
    h2(doc, "（一）等级分布")
    para(doc, "各等级的单位数如下表和下图（复核等级按复核得分评定）：").paragraph_format.keep_with_next = True
    table(doc, [("等级", "等级", 24), ("复核单位数", "复核单位数", 33), ("复核占比", "复核占比", 33),
                ("自评单位数", "自评单位数", 33), ("自评占比", "自评占比", 33)], "级 in 等级分布",
          center=("等级", "复核单位数", "复核占比", "自评单位数", "自评占比"), keep=True)
    picture(doc, "等级分布图")
    h2(doc, "（二）自评得分与复核得分")
    para(doc, "可比较的单位中，自评得分平均{{ 平均自评得分 }}分，复核得分平均{{ 平均复核得分 }}分；{{ 得分一致数 }}个"
              "单位的自评得分与复核得分一致，{{ 得分差异数 }}个单位不一致。")
    tag(doc, "{%p if 得分差异 %}")
    para(doc, "自评得分与复核得分相差最大的单位：")
    table(doc, [("单位", "单位", 50), ("自评得分", "自评得分", 20), ("复核得分", "复核得分", 20),
                ("差异", "差异", 18), ("自评等级", "自评等级", 24), ("复核等级", "复核等级", 24)],
          "差 in 得分差异", center=("自评得分", "复核得分", "差异", "自评等级", "复核等级"))
    tag(doc, "{%p endif %}")
    picture(doc, "得分对比图")
    tag(doc, "{%p if 图表说明 %}")
    para(doc, "{{ 图表说明 }}")
    tag(doc, "{%p endif %}")

    h1(doc, "三、审核发现的主要问题")
    para(doc, "审核中出现最多的问题（按校验规则统计，不含提示）如下：")
    tag(doc, "{%p if 主要问题 %}")
    table(doc, [("代码", "代码", 16), ("问题", "问题", 64), ("严重程度", "严重程度", 22), ("涉及单位数", "单位数", 27),
                ("问题数", "问题数", 27)], "题 in 主要问题", center=("代码", "严重程度", "单位数", "问题数"))
    tag(doc, "{%p endif %}")
    para(doc, FILL.format("问题的成因分析"))

    h1(doc, "四、整改要求")
    tag(doc, "{%p if 整改清单 %}")
    para(doc, "以下单位的自评表存在错误或无法读取，须于" + FILL.format("整改期限") + "前修改后重新报送：")
    table(doc, [("序号", "序号", 11), ("单位", "单位", 40), ("状态", "状态", 17), ("错误数", "错误数", 14),
                ("警告数", "警告数", 14), ("主要问题", "主要问题", 60)], "改 in 整改清单",
          center=("序号", "状态", "错误数", "警告数"))
    tag(doc, "{%p else %}")
    para(doc, "各单位自评表均通过审核。")
    tag(doc, "{%p endif %}")

    h1(doc, "五、共性指标分析")
    para(doc, "各单位部门整体共性指标的分布如下：")
    table(doc, [("指标", "指标", 34), ("单位数", "单位数", 13), ("平均值", "平均值", 27), ("最低", "最低", 27),
                ("最高", "最高", 27), ("需关注", "关注", 28)], "共 in 共性指标",
          center=("单位数", "平均值", "最低", "最高"))

    # The projects' roll-up: only when the batch held 项目支出绩效自评表.
    tag(doc, "{%p if 项目支出 %}")
    h1(doc, "六、项目支出绩效自评情况")
    para(doc, "本次共收到项目支出绩效自评表{{ 项目数 }}份，全年预算数合计{{ 项目全年预算数合计 }}万元，"
              "全年执行数合计{{ 项目全年执行数合计 }}万元；按全年执行数加权的平均复核得分{{ 项目平均复核得分 }}分，"
              "得分最低的项目是{{ 最低得分项目 }}。汇总如下：")
    # Widths in mm (156 in all): the figures never wrap ('100.00%', '100.00'), the names may.
    table(doc, [("项目名称", "项目名称", 34), ("实施单位", "实施单位", 27), ("全年预算数", "全年预算数", 20),
                ("全年执行数", "全年执行数", 20), ("执行率", "执行率", 21), ("得分", "得分", 19), ("等级", "等级", 15)],
          "项 in 项目支出", center=("执行率", "得分", "等级"))
    tag(doc, "{%p endif %}")

    h1(doc, "{% if 项目支出 %}七{% else %}六{% endif %}、下一步工作建议")
    para(doc, FILL.format("下一步工作建议"))
    signature(doc, [FILL.format("县财政局"), FILL.format("成文日期")])

    page_break(doc)
    para(doc, "附件", "Heading 1", indent=False)
    title(doc, "各单位自评结果")
    table(doc, [("排名", "排名", 11), ("单位", "单位", 38), ("全年执行数（万元）", "全年执行数", 22), ("执行率", "执行率", 23),
                ("自评得分", "自评得分", 16), ("复核得分", "复核得分", 16), ("复核等级", "复核等级", 15),
                ("状态", "状态", 15)], "位 in 单位结果",
          center=("排名", "执行率", "自评得分", "复核得分", "复核等级", "状态"))
    return doc


TEMPLATES = {UNIT_TEMPLATE: unit_template, COUNTY_TEMPLATE: county_template}
DESTS = (ROOT / "templates", ROOT / "perfxl" / "data")


def _finished(doc: Any) -> Any:
    fmt.highlight_placeholders(doc)  # the bureau sees in the template what the unit must write
    return doc


def build() -> dict[str, bytes]:
    """The bytes of every shipped report template, by file name."""
    return {name: docx_bytes(_finished(make())) for name, make in TEMPLATES.items()}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="exit 1 when a shipped template differs from the script's")
    args = ap.parse_args(argv)
    stale = []
    for name, data in build().items():
        for dest in DESTS:
            path = dest / name
            if args.check:
                if not path.exists() or path.read_bytes() != data:
                    stale.append(str(path))
            else:
                path.write_bytes(data)
                print(f"wrote {path.relative_to(ROOT)}")
    if stale:
        print("stale (run python scripts/make_report_templates.py): " + ", ".join(stale), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
