"""F-codes: the file and the template — findings made before and while a workbook is read.

These are emitted by :mod:`perfxl.guards` (before any parser opens the file) and by
:mod:`perfxl.read` (missing sheets, headers, rows; the ``_perfxl`` sheet).  A refusal
(severity error, ``unit.readable`` False) means nothing else in the file was checked.
"""

from __future__ import annotations

from perfxl.findings import BOTH_KINDS, rule

__all__ = [
    "F001", "F002", "F003", "F004", "F005", "F006", "F007", "F008", "F009", "F010",
    "F011", "F012", "F013", "F014", "F015", "F016", "F017", "F018", "F019", "F020", "F021", "F022",
    "F023",
]

_WHAT_TO_DO = "请在 Excel 或 WPS 中打开后另存为 .xlsx，再重新提交。"

F001 = rule(
    "F001", "file-unreadable", "error",
    "文件无法读取", "file cannot be read",
    "文件已损坏或不完整，无法作为工作簿读取（{detail}）。" + _WHAT_TO_DO,
    "the file is damaged or incomplete and cannot be read as a workbook ({detail}); "
    "open it in Excel or WPS, save it as .xlsx and submit it again",
    "上传中断、邮件附件截断或磁盘错误都会留下读不出的文件；不读就无法校验任何内容。",
    "一个只传了一半的 .xlsx（zip 末尾缺失）",
    kinds=BOTH_KINDS,
)
F002 = rule(
    "F002", "file-encrypted", "error",
    "文件有打开密码", "file is password-protected",
    "文件设置了打开密码，无法读取。请取消“用密码进行加密”后重新保存提交。",
    "the file is encrypted with a password and cannot be read; remove the password and save it again",
    "加密的工作簿只有知道密码的人能打开，财政局无法审核；工作表保护（无密码）不受影响。",
    "在 Excel 中“文件 → 信息 → 保护工作簿 → 用密码进行加密”后保存的文件",
    kinds=BOTH_KINDS,
)
F003 = rule(
    "F003", "not-a-spreadsheet", "error",
    "不是电子表格文件", "not a spreadsheet",
    "文件内容不是 Excel/WPS 工作簿（{detail}）。请提交 .xlsx 格式的自评表。",
    "the file is not an Excel/WPS workbook ({detail}); submit the self-evaluation workbook as .xlsx",
    "把 Word、PDF 或图片改名为 .xlsx 并不能变成工作簿。",
    "把 自评报告.docx 改名为 自评表.xlsx",
    kinds=BOTH_KINDS,
)
F004 = rule(
    "F004", "file-empty", "error",
    "空文件", "empty file",
    "文件大小为 0 字节，没有任何内容。",
    "the file is empty (0 bytes)",
    "保存失败或复制中断会留下空文件。",
    "一个 0 字节的 自评表.xlsx",
    kinds=BOTH_KINDS,
)
F005 = rule(
    "F005", "file-too-large", "error",
    "文件过大", "file too large",
    "文件大小 {actual} MB 超过上限 {expected} MB，已拒绝读取。",
    "the file is {actual} MB, above the limit of {expected} MB; it was not read",
    "一张自评表通常不到 1 MB；过大的文件多半夹带了图片或垃圾数据，也会拖慢整批处理。",
    "夹带了几十张扫描图片的工作簿",
    kinds=BOTH_KINDS,
)
F006 = rule(
    "F006", "zip-bomb", "error",
    "解压后体积异常", "suspicious uncompressed size",
    "文件解压后体积异常（{detail}），超过安全上限 {expected}，已拒绝读取。",
    "the file would expand to a suspicious size ({detail}), above the safety limit of {expected}; it was not read",
    "“压缩炸弹”用很小的文件解压出巨量数据，会耗尽服务器内存；在打开前按声明的大小和压缩比拒绝。",
    "一个 300 KB 的 .xlsx，其中一个部件解压后 300 MB",
    kinds=BOTH_KINDS,
)
F007 = rule(
    "F007", "too-many-rows", "error",
    "工作表行数过多", "too many rows",
    "工作表“{sheet_name}”有 {actual} 行，超过上限 {expected} 行，已拒绝读取。",
    "sheet “{sheet_name}” has {actual} rows, above the limit of {expected}; the file was not read",
    "自评表只有几十行；上万行的工作表多半是误操作（整列填充）或恶意文件。",
    "绩效指标 表被拖动填充到第 1048576 行",
    kinds=BOTH_KINDS,
)
F023 = rule(
    "F023", "beyond-last-column", "error",
    "单元格超出 ZZ 列", "a cell beyond column ZZ",
    "工作表“{sheet_name}”在 {actual} 有内容，超出 ZZ 列（第 {expected} 列），已拒绝读取。",
    "sheet “{sheet_name}” has content at {actual}, beyond column ZZ (column {expected}); the file was not read",
    "自评表只用到前十几列；远在 ZZ 列之外的单元格多半是误操作或恶意文件，读取时会按整张表的行列分配内存。",
    "填报说明 表的 XFD1048576 单元格被写入内容",
    kinds=BOTH_KINDS,
)
F008 = rule(
    "F008", "xml-entities", "error",
    "文件含有 XML 实体声明", "XML entity declarations",
    "文件部件 {part} 含有 DOCTYPE/ENTITY 声明，可能是恶意文件，已拒绝读取。",
    "the part {part} contains a DOCTYPE/ENTITY declaration, which may be an attack; the file was not read",
    "Excel 从不写 DOCTYPE；实体声明可以构造“十亿笑声”攻击耗尽内存或读取服务器文件。",
    "sheet1.xml 开头带 <!DOCTYPE lolz [<!ENTITY lol ...>]>",
    kinds=BOTH_KINDS,
)
F009 = rule(
    "F009", "lock-file", "warning",
    "Office 锁定文件", "Office lock file",
    "这是 Excel/WPS 打开文件时留下的临时锁定文件（~$ 开头），不是自评表，已跳过。",
    "this is a temporary lock file Excel/WPS leaves while a file is open (~$…), not a workbook; skipped",
    "从共享文件夹复制时常会带上 ~$ 文件；它不是任何单位的自评表。",
    "~$自评表.xlsx",
    kinds=BOTH_KINDS,
)
F010 = rule(
    "F010", "no-workbook-part", "error",
    "压缩包中没有工作簿", "zip without a workbook",
    "文件是一个压缩包，但其中没有工作簿（缺少 xl/workbook.xml）。请提交 .xlsx 格式的自评表。",
    "the file is a zip archive without a workbook (no xl/workbook.xml); submit the workbook as .xlsx",
    "把 .zip 或 .docx 改名为 .xlsx 时会出现这种情况。",
    "把 材料.zip 改名为 自评表.xlsx",
    kinds=BOTH_KINDS,
)
F011 = rule(
    "F011", "extension-mismatch", "info",
    "扩展名与内容不符", "extension does not match content",
    "文件扩展名是 {actual}，内容实际是 {expected} 格式；已按内容读取。建议另存为 .xlsx。",
    "the file is named {actual} but holds a {expected} workbook; it was read by its content. Save it as .xlsx",
    "改扩展名不改变格式；按内容读取可以避免误判为损坏文件。",
    "一个 .xls 文件被改名为 .xlsx",
    kinds=BOTH_KINDS,
)
F012 = rule(
    "F012", "macros-present", "info",
    "文件含有宏", "macros present",
    "文件含有 VBA 宏；perfxl 只读取数据，从不运行宏。",
    "the file contains VBA macros; perfxl reads data only and never runs macros",
    "宏可能含有恶意代码；提示审核人员不要在本机启用宏。",
    "另存为 .xlsm 的自评表",
    kinds=BOTH_KINDS,
)
F013 = rule(
    "F013", "missing-sheet", "error",
    "缺少工作表", "missing sheet",
    "缺少工作表“{sheet_name}”，其中的内容无法读取。请使用财政局下发的模板，不要删除或改名工作表。",
    "the sheet “{sheet_name}” is missing, so nothing on it could be read; use the bureau's template and do not delete or rename sheets",
    "perfxl 按模板的工作表名查找数据；工作表被删除或改名后，整张表都会被视为未填写。",
    "把“绩效指标”改名为“指标”",
    kinds=BOTH_KINDS,
)
F014 = rule(
    "F014", "missing-column", "error",
    "缺少表头列", "missing column",
    "表头中找不到“{expected}”列，该列数据无法读取。请恢复模板中的表头文字。",
    "the header has no column “{expected}”, so that column could not be read; restore the template's header text",
    "列按表头文字定位；表头被改写后，perfxl 不知道数据在哪一列。",
    "把“实际完成值”改为“完成值”",
    kinds=BOTH_KINDS,
)
F015 = rule(
    "F015", "extra-column", "info",
    "多出的表头列", "extra column",
    "表头中有模板没有的列“{actual}”，该列未读取。",
    "the header has a column “{actual}” the template does not have; it was not read",
    "多出的列不影响校验，但其中的内容不会进入审核。",
    "在绩效指标表右侧加了一列“备注”",
    kinds=BOTH_KINDS,
)
F016 = rule(
    "F016", "missing-header", "error",
    "找不到表头", "header row not found",
    "在工作表前 {rows} 行中找不到表头（应以“{expected}”开头），整张表无法读取。",
    "no header row (starting with “{expected}”) in the first {rows} rows, so the table could not be read",
    "表格按表头定位；表头被删除或改写后整张表都无法读取。",
    "删除了预算执行表的表头行",
    kinds=BOTH_KINDS,
)
F017 = rule(
    "F017", "missing-row", "error",
    "缺少行", "missing row",
    "找不到“{expected}”这一行（A 列的项目名称），该行数据无法读取。请恢复模板中的项目名称。",
    "no row labelled “{expected}” (column A), so its values could not be read; restore the template's row label",
    "固定行按 A 列的名称定位；名称被改写或删除后，该行视为未填写。",
    "把“公用经费”改为“公用支出”",
    kinds=BOTH_KINDS,
)
F018 = rule(
    "F018", "missing-meta", "warning",
    "缺少模板信息", "template information missing",
    "找不到隐藏工作表“_perfxl”（模板编号和版本），已按当前模板尽量读取。请使用财政局下发的模板。",
    "the hidden sheet “_perfxl” (template id and version) is missing; the file was read as the current template, best effort",
    "模板信息说明文件来自哪一版模板；缺少时无法确认表样一致。",
    "在自制的表格中手工照抄了模板内容",
    kinds=BOTH_KINDS,
)
F019 = rule(
    "F019", "template-version", "error",
    "模板版本不符", "wrong template version",
    "文件使用的是第 {actual} 版模板，本程序读取第 {expected} 版，未继续读取。请使用财政局下发的最新模板重新填报。",
    "the file uses template version {actual}; this perfxl reads version {expected}, so the file was not read further. "
    "Refill the bureau's current template",
    "不同大版本的模板表样不同，按错误的位置读取会得出错误的结论。",
    "用 2022 年的旧模板填报 2023 年度自评",
    kinds=BOTH_KINDS,
)
F020 = rule(
    "F020", "template-id", "error",
    "模板种类不符", "unknown template",
    "文件的模板编号是“{actual}”，不是本程序能读取的模板（{expected}），未继续读取。",
    "the file's template id is “{actual}”, not one this perfxl reads ({expected}); the file was not read further",
    "项目支出自评表和部门整体自评表表样不同，不能混用。",
    "把项目支出绩效自评表当作部门整体自评表提交",
    kinds=BOTH_KINDS,
)
F021 = rule(
    "F021", "table-moved", "info",
    "表格位置与模板不同", "table moved",
    "表头在第 {actual} 行（模板为第 {expected} 行），已按表头位置读取。",
    "the header is in row {actual} (the template has row {expected}); the table was read from where its header is",
    "插入或删除行不影响读取，但标注副本的位置以实际表头为准。",
    "在表头上方插入了两行说明",
    kinds=BOTH_KINDS,
)
F022 = rule(
    "F022", "not-the-template", "error",
    "不是本模板的工作簿", "not this template",
    "工作簿中没有部门整体支出绩效自评表的任何工作表（找到的工作表：{actual}），未继续读取。请使用财政局下发的模板填写。",
    "the workbook has none of the self-evaluation template's sheets (sheets found: {actual}); it was not read further. "
    "Fill in the template the finance bureau handed out",
    "别的表格（如决算报表、个人文件）被误当作自评表提交时，逐项报告“缺少工作表”只会淹没真正的原因。",
    "提交的工作簿只有一张 Sheet1",
    kinds=BOTH_KINDS,
)
