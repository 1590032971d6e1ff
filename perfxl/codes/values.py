"""V-codes: how single cells were read — text taken as numbers, words in number cells,
formulas without values, error values, dates where numbers belong.

Emitted by :mod:`perfxl.read` at the cell concerned.  Blank required cells and
placeholders (``无``, ``*``) are judged by the area rules, not here.
"""

from __future__ import annotations

from perfxl.findings import BOTH_KINDS, rule

__all__ = [
    "V001", "V002", "V003", "V004", "V005", "V006", "V007", "V008", "V009", "V010",
    "V011", "V012", "V013", "V014", "V015", "V016",
]

V001 = rule(
    "V001", "text-as-number", "info",
    "文本已按数字读取", "text read as a number",
    "单元格是文本“{actual}”，已按数字 {expected} 读取。",
    "the cell holds the text “{actual}”, read as the number {expected}",
    "以文本存储的数字在 Excel 中不参与求和，合计公式会少算；perfxl 能明确识别时照常读取并提示。",
    "年度指标值填“１,２３４．５”或“309.39万元”",
    kinds=BOTH_KINDS,
)
V002 = rule(
    "V002", "not-a-number", "error",
    "应为数字", "not a number",
    "单元格应为{kind_zh}，实际为“{actual}”。",
    "expected {kind_en}, got “{actual}”",
    "定量指标和金额必须是数字，才能计算执行率和得分；文字描述请写在完成情况或偏差原因中。",
    "定量指标的实际完成值填“完成”或“较好”",
    kinds=BOTH_KINDS,
)
V003 = rule(
    "V003", "formula-not-calculated", "warning",
    "公式未计算", "formula not calculated",
    "本表 {count} 个公式单元格没有计算结果（{cells}；文件由程序生成、未在 Excel 中打开保存），"
    "按“未计算”处理而不是 0。perfxl 会自行重算；请在 Excel 或 WPS 中打开并保存一次。",
    "{count} formula cell(s) on this sheet have no calculated value ({cells}; the file was written by a program "
    "and never saved in Excel); they are treated as not calculated, not as 0. perfxl recomputes them; "
    "open and save the file in Excel or WPS once",
    "没有缓存值的公式读出来是空的；当作 0 会得出错误的合计和得分。",
    "用脚本填写后直接提交的工作簿中的“执行率”列",
    kinds=BOTH_KINDS,
)
V004 = rule(
    "V004", "input-formula-not-calculated", "error",
    "填报单元格公式未计算", "input formula not calculated",
    "填报单元格含有公式但没有计算结果，数值未知。请在 Excel 或 WPS 中打开并保存，或直接填写数值。",
    "the input cell holds a formula without a calculated value, so its value is unknown; open and save the file "
    "in Excel or WPS, or type the value",
    "填报值未知时无法校验和评分。",
    "用脚本写入“=B5+B6”后未计算的全年执行数",
    kinds=BOTH_KINDS,
)
V005 = rule(
    "V005", "error-value", "error",
    "单元格为错误值", "error value",
    "单元格的值是错误值 {actual}，请修正公式或直接填写数值。",
    "the cell holds the error value {actual}; fix the formula or type the value",
    "错误值（#DIV/0!、#REF! 等）表示公式出错，数值未知。",
    "引用了已删除单元格的公式显示 #REF!",
    kinds=BOTH_KINDS,
)
V006 = rule(
    "V006", "computed-error-value", "info",
    "计算单元格为错误值", "error value in a computed cell",
    "计算单元格显示错误值 {actual}；perfxl 不采用计算单元格的值，会自行重算。",
    "the computed cell shows the error value {actual}; perfxl never uses computed cells and recomputes it",
    "例如全年预算数为 0 时执行率显示 #DIV/0!；不影响校验，但打印出来不美观。",
    "全年预算数为 0 的行，执行率为 #DIV/0!",
    kinds=BOTH_KINDS,
)
V007 = rule(
    "V007", "date-in-number-cell", "error",
    "数字单元格中是日期", "date in a number cell",
    "单元格应为{kind_zh}，实际是日期 {actual}（可能是单元格格式被设成了日期）。",
    "expected {kind_en}, got the date {actual} (the cell may be formatted as a date)",
    "单元格格式设成日期后，输入的数字会显示成日期，读出的数值不可信。",
    "分值单元格显示为 1900-01-10",
    kinds=BOTH_KINDS,
)
V008 = rule(
    "V008", "text-too-long", "warning",
    "文字过长", "text too long",
    "单元格文字有 {actual} 个字符，超过上限 {expected}。",
    "the cell holds {actual} characters, above the limit of {expected}",
    "超长文字多半是误粘贴；Excel 单元格最多 32767 个字符。",
    "把整篇自评报告粘贴进“部门职能职责概述”",
    kinds=BOTH_KINDS,
)
V009 = rule(
    "V009", "not-an-integer", "error",
    "应为整数", "not a whole number",
    "单元格应为整数，实际为“{actual}”。",
    "expected a whole number, got “{actual}”",
    "人数、机构数、车辆数只能是整数。",
    "在职人数填 9.5",
    kinds=BOTH_KINDS,
)
V010 = rule(
    "V010", "bad-year", "error",
    "年度无效", "invalid year",
    "单元格应为四位年份（如 2023），实际为“{actual}”。",
    "expected a four-digit year (such as 2023), got “{actual}”",
    "评价年度用于核对批次年度和标题。",
    "评价年度填“23”或“二〇二三”",
    kinds=BOTH_KINDS,
)
V011 = rule(
    "V011", "bad-date", "error",
    "日期无效", "invalid date",
    "单元格应为日期（如 2024-03-15），实际为“{actual}”。",
    "expected a date (such as 2024-03-15), got “{actual}”",
    "填报日期用于确认提交时间。",
    "填报日期填“三月中旬”或“2024-02-30”",
    kinds=BOTH_KINDS,
)
V012 = rule(
    "V012", "dash-as-zero", "info",
    "短横线按 0 读取", "dash read as zero",
    "单元格填的是“{actual}”，金额按 0 读取。",
    "the cell holds “{actual}”; the amount was read as 0",
    "财务报表中常用“—”表示零或无；明确时按 0 读取并提示。",
    "政府性基金预算拨款 填“—”",
    kinds=BOTH_KINDS,
)
V013 = rule(
    "V013", "bad-direction", "error",
    "指标性质无法识别", "unknown indicator direction",
    "指标性质应为 ≥、≤、= 或 定性，实际为“{actual}”。",
    "the indicator direction must be ≥, ≤, = or 定性, got “{actual}”",
    "指标性质决定计分方法；无法识别时该指标无法评分。",
    "指标性质填“大约”",
    kinds=BOTH_KINDS,
)
V014 = rule(
    "V014", "sign-in-value", "info",
    "指标值中含符号或单位", "sign or unit inside the value",
    "指标值“{actual}”中的符号/单位已拆分：{detail}。",
    "the value “{actual}” carried a sign or unit, split off: {detail}",
    "符号和单位应分别填在“指标性质”和“度量单位”列；能明确拆分时照常读取并提示。",
    "年度指标值填“≥10次”",
    kinds=BOTH_KINDS,
)
V015 = rule(
    "V015", "direction-conflict", "warning",
    "指标性质与指标值中的符号不一致", "direction conflicts with the value's sign",
    "指标性质为“{expected}”，但指标值写的是“{actual}”；按指标性质列计分。",
    "the direction column says “{expected}” but the value says “{actual}”; the direction column is used",
    "两处写法矛盾时，计分方法可能与填报人的本意不同。",
    "指标性质“≤”，年度指标值“≥90%”",
    kinds=BOTH_KINDS,
)
V016 = rule(
    "V016", "unit-conflict", "warning",
    "度量单位与指标值中的单位不一致", "unit conflicts with the value's unit",
    "度量单位为“{expected}”，但指标值写的是“{actual}”。",
    "the unit column says “{expected}” but the value is written as “{actual}”",
    "单位不一致时，目标值和完成值可能不在同一口径上。",
    "度量单位“人”，实际完成值“10次”",
    kinds=BOTH_KINDS,
)
