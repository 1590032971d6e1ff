"""F9xx codes: what went wrong while a batch processed a file (not in the file itself).

Emitted by :mod:`perfxl.batch`: a worker that ran past the per-file time limit, a worker
that crashed or raised, an annotated copy that could not be written.  The file is then
listed in the summary (无法读取 for the first two) and the rest of the batch goes on.
"""

from __future__ import annotations

from perfxl.findings import BOTH_KINDS, Finding, rule

__all__ = ["F901", "F902", "F903", "F904", "F905", "internal_error", "failure"]

F901 = rule(
    "F901", "timed-out", "error",
    "处理超时", "processing timed out",
    "处理该文件超过 {expected} 秒仍未完成，已中止。请检查文件是否异常庞大或损坏，另存为 .xlsx 后重新提交。",
    "processing the file took longer than {expected} seconds and was stopped; check whether it is "
    "unusually large or damaged, save it as .xlsx and submit it again",
    "一个异常文件不能拖住整批审核；超时的文件单独列出，其余文件照常出结果。",
    "一个含有数十万行隐藏数据的工作簿",
    kinds=BOTH_KINDS,
)
F902 = rule(
    "F902", "internal-error", "error",
    "perfxl 程序出错", "internal error",
    "perfxl 自身的程序错误（{detail}），未能完成对该文件的校验；文件本身不一定有问题，不必重新保存。"
    "请把文件和此信息（可加 --debug 重新运行得到详细信息）发给维护人员。",
    "a bug in perfxl ({detail}) stopped it from checking the file; the file itself may well be fine. "
    "Send the file and this message (rerun with --debug for the details) to the maintainers",
    "程序错误只影响出错的文件，整批照常完成；出错的文件必须人工复核。不把程序错误说成“文件损坏”，"
    "免得填报人白白另存重交。",
    "一个触发了程序缺陷的工作簿",
    kinds=BOTH_KINDS,
)
F903 = rule(
    "F903", "annotation-failed", "warning",
    "未能生成标注副本", "annotated copy not written",
    "校验已完成，但未能生成标注副本（{detail}）。问题清单见汇总表。",
    "the file was checked but its annotated copy could not be written ({detail}); "
    "see the summary's list of findings",
    "标注副本只是方便阅读；校验结果仍完整列在汇总表和 findings.csv 中。",
    "一个 openpyxl 无法另存的工作簿",
    kinds=BOTH_KINDS,
)
F904 = rule(
    "F904", "out-of-memory", "error",
    "内存不足", "out of memory",
    "处理该文件时内存不足，已中止（{detail}）。文件可能含有异常多的数据；请检查文件，另存为 .xlsx 后重新提交，"
    "或在内存更大的机器上处理。",
    "processing the file ran out of memory and was stopped ({detail}); the file may hold an unusual amount of "
    "data: check it, save it as .xlsx and submit it again, or process it on a machine with more memory",
    "一个耗尽内存的文件不能拖垮整批审核；内存不足与文件损坏、程序错误是不同的问题，处理方法也不同。",
    "一个展开后有数 GB 单元格数据的工作簿",
    kinds=BOTH_KINDS,
)
F905 = rule(
    "F905", "changed-during-batch", "warning",
    "文件在处理期间被改动", "file changed during the batch",
    "该文件在校验之后、生成标注副本之前被改动（{detail}）：汇总表和问题清单按校验时的内容，标注副本按改动后的内容，"
    "两者可能不一致。请等文件不再改动后重新运行。",
    "the file was changed after it was checked and before its annotated copy was written ({detail}): the "
    "summary and the list of findings show what was checked, the annotated copy what was there afterwards, "
    "and the two may differ. Run the batch again once the file has stopped changing",
    "批处理先校验全部文件、再逐个写标注副本；其间有人另存了文件，两份结果就不是同一个版本，须如实说明，不能悄悄混用。",
    "批处理运行时填报人在共享文件夹里又保存了一次的工作簿",
    kinds=BOTH_KINDS,
)


def internal_error(where: str, e: BaseException) -> Finding:
    """F902 for an exception in perfxl's own code (``where``: the step that raised)."""
    return F902(None, None, detail=f"{where}: {type(e).__name__}: {e}"[:300])


def failure(where: str, e: BaseException) -> Finding:
    """The finding for an exception while processing a file: out of memory (F904) or a
    bug in perfxl (F902)."""
    if isinstance(e, MemoryError):
        return F904(None, None, detail=f"{where}: {e}"[:300] if str(e) else where)
    return internal_error(where, e)
