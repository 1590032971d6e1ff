"""The fields a report template may name: the contract between perfxl and a bureau's
edited .docx template.

A template names a field as ``{{ 单位名称 }}``, an attribute as ``{{ 接待.人次 }}``, and loops
over a list as ``{%p for 目标 in 绩效目标 %}`` … ``{{ 目标.完成情况 }}`` … ``{%p endfor %}``
(``{%tr … %}`` repeats a table row).  A field perfxl does not know is refused before
anything is written (:class:`~perfxl.writeup.render.TemplateFieldError`, naming it).

The README's field tables are generated from :data:`UNIT_FIELDS` and :data:`COUNTY_FIELDS`
(``python scripts/gen_readme_fields.py``), and a test checks that the context builders
produce exactly these fields.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = ["TemplateField", "UNIT_FIELDS", "COUNTY_FIELDS", "field_names", "KINDS"]

Kind = Literal["text", "flag", "texts", "object", "list", "image"]

# What each kind is, in the README's words.
KINDS: dict[str, str] = {
    "text": "文字",
    "flag": "是/否（用于 {%p if %}）",
    "texts": "文字列表（逐段 {%p for %}）",
    "object": "对象（用 . 取属性）",
    "list": "列表（{%p for %} 或 {%tr for %}）",
    "image": "图片（单独成段）",
}


@dataclass(frozen=True)
class TemplateField:
    """One field: its name in the template, its kind, what it holds; ``items`` are the
    attributes of an object, or of each element of a list."""

    name: str
    kind: Kind
    doc: str
    items: tuple[TemplateField, ...] = ()


def _t(name: str, doc: str) -> TemplateField:
    return TemplateField(name, "text", doc)


def field_names(fields: tuple[TemplateField, ...]) -> set[str]:
    """The top-level names."""
    return {f.name for f in fields}


_AMOUNT = "万元，两位小数"

UNIT_FIELDS: tuple[TemplateField, ...] = (
    _t("年度", "评价年度（2023）"),
    _t("单位名称", "基本信息的单位名称"),
    _t("统一社会信用代码", "基本信息"),
    _t("主管部门", "基本信息（未填时为占位符）"),
    _t("单位类型", "基本信息（行政单位、群团组织……）"),
    _t("内设机构数", "基本信息"),
    _t("二级机构数", "基本信息"),
    _t("编制人数", "基本信息"),
    _t("在职人数", "基本信息"),
    _t("离退休人数", "基本信息"),
    _t("在职人员控制率", "在职人数 ÷ 编制人数（81.82%）"),
    TemplateField("主要职责", "texts", "部门职能职责概述，按行分段"),
    _t("填报人", "基本信息"),
    _t("填报日期", "基本信息（2024年10月8日）"),
    _t("年初预算数", f"资金总额年初预算数（{_AMOUNT}）"),
    _t("全年预算数", f"资金总额全年预算数（{_AMOUNT}）"),
    _t("全年执行数", f"资金总额全年执行数（{_AMOUNT}）"),
    _t("上年执行数", f"资金总额上年执行数（{_AMOUNT}）"),
    _t("基本支出", f"基本支出全年执行数（{_AMOUNT}）"),
    _t("人员经费", f"人员经费全年执行数（{_AMOUNT}）"),
    _t("公用经费", f"公用经费全年执行数（{_AMOUNT}）"),
    _t("项目支出", f"项目支出全年执行数（{_AMOUNT}）"),
    _t("较上年", "资金总额与上年相比：“减少16.89万元，减少5.18%”"),
    _t("基本支出较上年", "“减少18.02万元”"),
    _t("项目支出较上年", "“增加1.13万元”"),
    _t("执行率", "全年执行数 ÷ 全年预算数（100%）"),
    _t("完成年初预算", "全年执行数 ÷ 年初预算数（108.24%）"),
    _t("预算调整率", "(全年预算数 − 年初预算数) ÷ 年初预算数"),
    _t("偏差说明", "资金总额行的偏差说明（未填时为占位符）"),
    TemplateField("三公经费", "object", "三公经费合计", (
        _t("预算数", _AMOUNT), _t("决算数", _AMOUNT), _t("上年决算数", _AMOUNT),
        _t("较上年", "“减少0.37万元，减少8.98%”"), _t("控制率", "决算数 ÷ 预算数"),
    )),
    TemplateField("出国", "object", "因公出国（境）费", (
        _t("决算数", _AMOUNT), _t("占比", "占三公经费决算数的比例"), _t("团组", "批次（团组）数"),
        _t("人次", "人次"),
    )),
    TemplateField("接待", "object", "公务接待费", (
        _t("决算数", _AMOUNT), _t("占比", "占三公经费决算数的比例"), _t("批次", "批次（团组）数"),
        _t("人次", "人次"),
    )),
    TemplateField("公车", "object", "公务用车购置及运行维护费", (
        _t("决算数", _AMOUNT), _t("占比", "占三公经费决算数的比例"), _t("购置费", _AMOUNT),
        _t("运行维护费", _AMOUNT), _t("保有量", "公务用车保有量（辆）"),
    )),
    TemplateField("绩效目标", "list", "绩效目标表，每行一个目标", (
        _t("序号", "1, 2, …"), _t("目标", "年度绩效目标"), _t("完成情况", "实际完成情况"),
    )),
    TemplateField("绩效指标", "list", "绩效指标表，每行一个三级指标", (
        _t("一级指标", ""), _t("二级指标", ""), _t("三级指标", ""),
        _t("指标值", "指标性质、年度指标值和度量单位（≥10次）"), _t("实际完成值", "151次"),
        _t("分值", ""), _t("自评得分", ""), _t("复核得分", "按规则库计算的得分"),
        _t("完成情况", "达成 / 部分达成 / 未达成 / 未能判断"), _t("偏差原因", "未完全达成时的偏差原因分析及改进措施"),
    )),
    TemplateField("指标分析", "list", "按一级指标（产出、效益、满意度）分析完成情况", (
        _t("序号", "标题序号（二）（三）（四），接在（一）预算执行之后"), _t("一级指标", ""), _t("分值", ""), _t("自评得分", ""), _t("复核得分", ""),
        _t("小结", "“共11项指标，全部达成”"),
        TemplateField("已完成", "texts", "达成的指标，每项一句"),
        TemplateField("未完成", "texts", "未完全达成的指标，每项一句，含偏差原因"),
        TemplateField("待核实", "texts", "数据不全、未能判断的指标"),
    )),
    _t("自评得分", "自评得分表的总分（95）"),
    _t("自评等级", "自评等级（优）"),
    _t("复核得分", "按规则库计算的总分；未能计算时为“未能计算”"),
    _t("复核等级", "按规则库的等级"),
    _t("评分规则", "规则库名称"),
    _t("得分说明", "复核得分与自评不一致时的说明（一致时为空）"),
    TemplateField("得分表", "list", "预算执行率、产出、效益、满意度、总分", (
        _t("评价内容", ""), _t("分值", ""), _t("自评得分", ""), _t("复核得分", ""),
    )),
    _t("执行率得分", "预算执行率的复核得分"),
    TemplateField("存在问题", "texts", "未完全达成指标的偏差原因，以及校验发现的警告"),
    TemplateField("需修改", "flag", "自评表有错误（首页列出须修改之处）"),
    _t("错误数", "校验错误数"),
    _t("警告数", "校验警告数"),
    TemplateField("修改清单", "list", "错误和警告，错误在前", (
        _t("级别", "错误 / 警告"), _t("位置", "工作表!单元格"), _t("代码", "规则代码"), _t("说明", ""),
    )),
    _t("自评表", "自评表的文件名"),
    _t("生成工具", "perfxl 及其版本"),
)

COUNTY_FIELDS: tuple[TemplateField, ...] = (
    _t("年度", "本批次的评价年度（各单位中最多的年度）"),
    _t("规则库", "规则库名称"),
    _t("单位数", "收到的自评表数"),
    _t("可读取数", ""),
    _t("通过数", "没有错误的单位数"),
    _t("需修改数", "有错误的单位数"),
    _t("无法读取数", ""),
    _t("已评分数", "能按规则库算出总分的单位数"),
    _t("全年预算数合计", f"可读取单位的全年预算数之和（{_AMOUNT}）"),
    _t("全年执行数合计", f"可读取单位的全年执行数之和（{_AMOUNT}）"),
    _t("总体执行率", "全年执行数合计 ÷ 全年预算数合计"),
    TemplateField("等级分布", "list", "优、良、中、差、未评分各有多少单位", (
        _t("等级", ""), _t("复核单位数", ""), _t("复核占比", ""), _t("自评单位数", ""), _t("自评占比", ""),
    )),
    TemplateField("等级分布图", "image", "自评等级与复核等级的柱状图（没有中文字体时为空）"),
    _t("平均自评得分", ""),
    _t("平均复核得分", ""),
    _t("得分一致数", "自评得分与复核得分相差不超过容差的单位数"),
    _t("得分差异数", "相差超过容差的单位数"),
    TemplateField("得分差异", "list", "自评得分与复核得分相差最大的单位（至多 10 个）", (
        _t("单位", ""), _t("自评得分", ""), _t("复核得分", ""), _t("差异", "自评 − 复核"),
        _t("自评等级", ""), _t("复核等级", ""),
    )),
    TemplateField("得分对比图", "image", "自评得分与复核得分的散点图（没有中文字体时为空）"),
    _t("图表说明", "图表未能生成时的原因（生成时为空）"),
    TemplateField("主要问题", "list", "出现最多的问题，按规则（至多 10 条；错误和警告）", (
        _t("代码", ""), _t("问题", "规则名称"), _t("严重程度", ""), _t("单位数", ""), _t("问题数", ""),
    )),
    TemplateField("整改清单", "list", "须修改或无法读取的单位", (
        _t("序号", ""), _t("单位", ""), _t("状态", "需修改 / 无法读取"), _t("错误数", ""), _t("警告数", ""),
        _t("主要问题", "第一个错误及其位置"),
    )),
    TemplateField("共性指标", "list", "部门整体共性指标在各单位间的分布", (
        _t("指标", ""), _t("算法", ""), _t("单位数", "能计算的单位数"), _t("平均值", ""), _t("最低", ""),
        _t("最高", ""), _t("关注", "需关注的单位数及标准"),
    )),
    TemplateField("单位结果", "list", "各单位结果，按复核得分排名", (
        _t("排名", ""), _t("单位", ""), _t("全年执行数", _AMOUNT), _t("执行率", ""), _t("自评得分", ""),
        _t("复核得分", ""), _t("复核等级", ""), _t("状态", ""),
    )),
    TemplateField("项目支出", "list", "项目支出绩效自评汇总（批次中有项目支出自评表时才有内容）", (
        _t("项目名称", ""), _t("实施单位", ""), _t("全年预算数", _AMOUNT), _t("全年执行数", _AMOUNT),
        _t("执行率", ""), _t("得分", ""), _t("等级", ""),
    )),
    _t("项目数", "项目支出自评表数"),
    _t("项目全年预算数合计", f"各项目全年预算数之和（{_AMOUNT}；有项目未读出时为“—”）"),
    _t("项目全年执行数合计", f"各项目全年执行数之和（{_AMOUNT}；有项目未读出时为“—”）"),
    _t("项目平均复核得分", "以全年执行数为权重的各项目复核得分平均"),
    _t("最低得分项目", "复核得分最低的项目及其主管部门、得分"),
)
