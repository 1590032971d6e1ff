"""The pages' words in Chinese (the default) and English (``?lang=en``)."""

from __future__ import annotations

from perfxl.i18n import plural

__all__ = ["LANGS", "text", "verdict", "status_text", "severity_text"]

LANGS = ("zh", "en")

# key → (中文, English)
_TEXT: dict[str, tuple[str, str]] = {
    "app": ("绩效自评表报送", "Self-evaluation inbox"),
    "lang_other": ("English", "中文"),
    "upload_title": ("上传自评表", "Upload a workbook"),
    "upload_hint": ("把自评表拖到这里，或点击选择文件（.xlsx .xlsm .xls .ods，部门整体或项目支出自评表）",
                    "Drop a workbook here or choose a file (.xlsx .xlsm .xls .ods; department or project form)"),
    "upload_button": ("上传并校验", "Upload and check"),
    "choose_file": ("选择文件", "Choose a file"),
    "no_versions": ("还没有上传过自评表。", "No workbook uploaded yet."),
    "version": ("版本", "Version"),
    "versions": ("历次上传", "Versions"),
    "uploaded_at": ("上传时间", "Uploaded"),
    "file": ("文件", "File"),
    "status": ("状态", "Status"),
    "errors": ("错误", "Errors"),
    "warnings": ("警告", "Warnings"),
    "self_total": ("自评得分", "Self-score"),
    "total": ("复核得分", "Reviewed score"),
    "grade": ("复核等级", "Grade"),
    "self_grade": ("自评等级", "Self grade"),
    "findings": ("校验结果", "Findings"),
    "no_findings": ("没有发现问题。", "Nothing found."),
    "sheet_none": ("整个文件", "Whole file"),
    "cell": ("单元格", "Cell"),
    "code": ("代码", "Code"),
    "severity": ("级别", "Severity"),
    "message": ("说明", "Message"),
    "expected": ("应为", "Expected"),
    "actual": ("实际", "Actual"),
    "download_annotated": ("下载标注副本", "Download the annotated copy"),
    "download_original": ("下载原文件", "Download the uploaded file"),
    "changes": ("与上一版相比", "Since the previous version"),
    "fixed": ("已改正", "Fixed"),
    "new": ("新出现", "New"),
    "still_open": ("仍未解决", "Still open"),
    "no_changes": ("与上一版的校验结果相同。", "The same findings as the previous version."),
    "submit_title": ("提交", "Submit"),
    "submit_button": ("提交", "Submit"),
    "submit_blocked": ("还有错误，改正后重新上传才能提交。", "Fix the errors and upload again before submitting."),
    "submit_unreadable": ("文件无法读取，不能提交。", "The file could not be read; it cannot be submitted."),
    "submit_explain": ("每个警告都要填写说明后才能提交：", "Explain every warning before submitting:"),
    "submit_ready": ("没有错误或警告，可以提交。", "No errors or warnings: ready to submit."),
    "explanation": ("说明", "Explanation"),
    "explanations_missing": ("请为每个警告填写说明（不能为空或“无”）。",
                             "Explain every warning (not blank or a placeholder)."),
    "submitted": ("已提交", "Submitted"),
    "submitted_this": ("此版本已提交。", "This version has been submitted."),
    "submitted_other": ("已提交的是第 {n} 版。", "Version {n} is the one submitted."),
    "not_submitted": ("未提交", "Not submitted"),
    "latest": ("最新版本", "Latest version"),
    "when": ("时间", "When"),
    "department": ("部门", "Department"),
    "departments": ("部门", "Departments"),
    "name_mismatch": ("工作簿中的单位名称“{unit}”与本链接的部门“{dept}”不同，请确认上传的是本单位的自评表。",
                      "The workbook's unit name “{unit}” differs from this link's department “{dept}”: "
                      "check that this is your own workbook."),
    "bureau": ("财政局收件箱", "Bureau inbox"),
    "bureau_counts": ("共 {n} 个部门：已提交 {s} 个，未提交 {u} 个。",
                      "{n} departments: {s} submitted, {u} not yet."),
    "waiting_for": ("尚未提交：", "Not submitted yet:"),
    "all_submitted": ("全部部门都已提交。", "Every department has submitted."),
    "outputs": ("汇总下载（按已提交版本生成，与 perfxl batch 相同）",
                "Batch outputs (from the submitted versions, as perfxl batch writes them)"),
    "outputs_none": ("还没有部门提交，暂无汇总。", "No department has submitted yet: nothing to summarise."),
    "outputs_note": ("首次下载时生成；有新的提交后自动重新生成。",
                     "Built on the first download, and again after each new submission."),
    "add_departments": ("添加部门", "Add departments"),
    "add_hint": ("每行一个部门名称（可从名单粘贴）", "One department name per line (paste a list)"),
    "add_button": ("添加", "Add"),
    "added": ("已添加 {n} 个部门。", "{n} departments added."),
    "link": ("上传链接", "Upload link"),
    "links_csv": ("下载全部链接（CSV）", "Download every link (CSV)"),
    "revoke": ("停用链接", "Revoke link"),
    "reissue": ("重新生成链接", "Issue a new link"),
    "revoked": ("已停用", "Revoked"),
    "revoked_done": ("已停用“{dept}”的链接。", "The link of “{dept}” is revoked."),
    "reissued_done": ("已为“{dept}”生成新链接，旧链接失效。", "A new link for “{dept}”; the old one no longer works."),
    "view": ("查看", "View"),
    "back": ("返回收件箱", "Back to the inbox"),
    "read_only": ("财政局查看（只读）", "Bureau view (read only)"),
    "none": ("—", "—"),
    "check_time": ("校验用时 {ms} 毫秒", "checked in {ms} ms"),
    "error_title": ("无法完成", "Cannot do that"),
    "not_found": ("链接无效或已停用。请向财政局索取新的链接。",
                  "This link is not valid or has been revoked. Ask the bureau for a new one."),
    "bad_csrf": ("页面已过期或来源不明，请刷新页面后重试。", "The form has expired or came from elsewhere: reload the page and try again."),
    "bad_form": ("表单内容无法读取，请刷新页面后重试。", "The form could not be read: reload the page and try again."),
    "too_large": ("文件过大：上限 {mb} MB。", "The file is too large: the limit is {mb} MB."),
    "no_file": ("请选择要上传的文件。", "Choose a file to upload."),
    "bad_suffix": ("只接受 .xlsx .xlsm .xls .ods 文件（收到“{name}”）。",
                   "Only .xlsx .xlsm .xls .ods files are accepted (got “{name}”)."),
    "lock_file": ("“{name}”是 Office/WPS 打开文件时产生的锁定文件，不是自评表。",
                  "“{name}” is an Office/WPS lock file, not a workbook."),
    "busy": ("服务器正忙，请稍后再试。", "The server is busy: try again in a moment."),
}

_VERDICT = {
    "ok": ("可以提交", "Ready to submit"),
    "ok_warn": ("可以提交（{w} 个警告请在提交时说明）", "Ready to submit ({ws} to explain)"),
    "fix": ("需修改：{e} 个错误，{w} 个警告", "Needs changes: {es}, {ws}"),
    "unreadable": ("无法读取", "Cannot be read"),
}

_STATUS = {"通过": ("通过", "passed"), "需修改": ("需修改", "needs changes"), "无法读取": ("无法读取", "unreadable")}
_SEVERITY = {"error": ("错误", "error"), "warning": ("警告", "warning"), "info": ("提示", "info")}


def _pick(pair: tuple[str, str], lang: str) -> str:
    return pair[1] if lang == "en" else pair[0]


def text(key: str, lang: str, **values: object) -> str:
    """The words of ``key`` in ``lang``, with ``{name}`` fields filled in."""
    s = _pick(_TEXT[key], lang)
    return s.format(**values) if values else s


def verdict(status: str, errors: int, warnings: int, lang: str) -> str:
    """The one-line verdict of a version, as ``perfxl check`` words it."""
    if status == "无法读取":
        key = "unreadable"
    elif errors:
        key = "fix"
    else:
        key = "ok_warn" if warnings else "ok"
    return _pick(_VERDICT[key], lang).format(e=errors, w=warnings, es=plural(errors, "error"),
                                             ws=plural(warnings, "warning"))


def status_text(status: str, lang: str) -> str:
    return _pick(_STATUS.get(status, (status, status)), lang)


def severity_text(severity: str, lang: str) -> str:
    return _pick(_SEVERITY.get(severity, (severity, severity)), lang)
