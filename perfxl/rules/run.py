"""F9xx codes: what went wrong while a batch processed a file (not in the file itself).

Emitted by :mod:`perfxl.batch`: a worker that ran past the per-file time limit, a worker
that crashed or raised, an annotated copy that could not be written.  The file is then
listed in the summary (无法读取 for the first two) and the rest of the batch goes on.
"""

from __future__ import annotations

from perfxl.findings import rule

__all__ = ["F901", "F902", "F903"]

F901 = rule(
    "F901", "timed-out", "error",
    "处理超时", "processing timed out",
    "处理该文件超过 {expected} 秒仍未完成，已中止。请检查文件是否异常庞大或损坏，另存为 .xlsx 后重新提交。",
    "processing the file took longer than {expected} seconds and was stopped; check whether it is "
    "unusually large or damaged, save it as .xlsx and submit it again",
    "一个异常文件不能拖住整批审核；超时的文件单独列出，其余文件照常出结果。",
    "一个含有数十万行隐藏数据的工作簿",
)
F902 = rule(
    "F902", "internal-error", "error",
    "处理出错", "internal error",
    "perfxl 处理该文件时出错（{detail}），未能完成校验。请把文件和此信息发给维护人员。",
    "perfxl failed while processing the file ({detail}) and could not check it; "
    "send the file and this message to the maintainers",
    "程序错误只影响出错的文件，整批照常完成；出错的文件必须人工复核。",
    "一个触发了程序缺陷的工作簿",
)
F903 = rule(
    "F903", "annotation-failed", "warning",
    "未能生成标注副本", "annotated copy not written",
    "校验已完成，但未能生成标注副本（{detail}）。问题清单见汇总表。",
    "the file was checked but its annotated copy could not be written ({detail}); "
    "see the summary's list of findings",
    "标注副本只是方便阅读；校验结果仍完整列在汇总表和 findings.csv 中。",
    "一个 openpyxl 无法另存的工作簿",
)
