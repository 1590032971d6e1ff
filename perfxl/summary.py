"""The bureau's outputs of a batch: 汇总表.xlsx, summary.json and findings.csv.

Rows come from :class:`SummaryRow` (one small record per file, built from its
:class:`~perfxl.report.FileReport` by :meth:`SummaryRow.from_report`); the findings and
score card of each file are fetched one file at a time through a callback, so a batch of a
thousand files never holds every finding in memory (xlsxwriter runs in
``constant_memory`` mode and the JSON and CSV are streamed).

汇总表.xlsx sheets, in order: 汇总 (one row per file, ranked by 复核得分), 问题清单 (every
finding), 规则统计 (per rule code), 共性指标 (common indicators per unit), 图表 (units
per grade, distribution of 复核得分), 说明 (rulebook, version, run time, inputs, skipped
files, how to read the sheets).

Text from a workbook is always written as text (``write_string``; ``strings_to_formulas``
and ``strings_to_urls`` off; CSV fields guarded by :func:`perfxl.safe.csv_text`).  Every
file is written atomically.  Everything is deterministic apart from the run-time line.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
from collections import Counter, defaultdict
from contextlib import ExitStack
from pathlib import Path
from typing import Any, Callable, Sequence

from perfxl import __version__
from perfxl.kinds import is_part
from perfxl.catalogue import get_rule
from perfxl.findings import Finding, Severity
from perfxl.inputs import Skipped
from perfxl.layout import column_width, row_height, text_width, wrapped_lines
from perfxl.safe import atomic_path, clean_text, csv_text
from perfxl.spec import GRADES

from perfxl.summary_rows import (
    STATUS_FIX,
    STATUS_OK,
    STATUS_UNREADABLE,
    RunInfo,
    SummaryRow,
    UnitDetail,
    first_error,
    iter_details,
    rank_rows,
)
from perfxl.summary_projects import KIND_TEXT, PROJECTS_SHEET, write_projects_sheet
from perfxl.summary_xlsx import GRADE_COLOURS, Formats, colour_marks, column_widths, fit_row, page_setup, put, write_rows

__all__ = [
    "SUMMARY_XLSX",
    "SUMMARY_JSON",
    "FINDINGS_CSV",
    "SUMMARY_COLUMNS",
    "FINDING_COLUMNS",
    "SCORE_BUCKETS",
    "SummaryRow",
    "UnitDetail",
    "Skipped",
    "RunInfo",
    "rank_rows",
    "score_bucket",
    "write_outputs",
    "wrapped_lines",
    "iter_details",
    "first_error",
    "SUMMARY_HEADER_ROW",
]

SUMMARY_XLSX = "汇总表.xlsx"
SUMMARY_JSON = "summary.json"
FINDINGS_CSV = "findings.csv"

# (header, SummaryRow attribute, kind, widest) of the 汇总 sheet, in order: a column is as
# wide as its content, up to ``widest`` units (then text wraps).
SUMMARY_COLUMNS: tuple[tuple[str, str, str, float], ...] = (
    ("排名", "rank", "int", 6),
    ("单位名称", "name", "text", 30),
    ("统一社会信用代码", "credit_code", "text", 21),
    ("主管部门", "department", "text", 16),
    ("年度", "year", "int", 7),
    ("全年预算数（万元）", "budget", "amount", 13),
    ("全年执行数（万元）", "actual", "amount", 13),
    ("执行率", "rate", "rate", 9),
    ("自评得分", "self_total", "score", 9),
    ("复核得分", "total", "score", 9),
    ("差异", "diff", "score", 8),
    ("自评等级", "self_grade", "text", 8),
    ("复核等级", "grade", "text", 8),
    ("错误数", "errors", "int", 7),
    ("警告数", "warnings", "int", 7),
    ("状态", "status", "text", 9),
    ("标注副本", "annotated", "link", 12),
    ("文件", "path", "text", 46),
    ("说明", "note", "text", 30),
)

# (header, key) of 问题清单 and findings.csv.
FINDING_COLUMNS: tuple[tuple[str, str], ...] = (
    ("单位", "unit"),
    ("文件", "file"),
    ("工作表", "sheet"),
    ("单元格", "cell"),
    ("代码", "code"),
    ("严重程度", "severity"),
    ("问题", "title"),
    ("说明", "message"),
    ("应为", "expected"),
    ("实际", "actual"),
    ("表类型", "form"),  # 部门整体 or 项目支出
)

# The 复核得分 histogram of the 图表 sheet: (label, low inclusive, high exclusive).
SCORE_BUCKETS: tuple[tuple[str, float, float], ...] = (
    ("<60", -math.inf, 60),
    ("60–70", 60, 70),
    ("70–80", 70, 80),
    ("80–90", 80, 90),
    ("≥90", 90, math.inf),
)

def score_bucket(total: float) -> str:
    """The histogram bucket of a 复核得分 ('<60', '60–70', …, '≥90')."""
    for label, lo, hi in SCORE_BUCKETS:
        if lo <= total < hi:
            return label
    return SCORE_BUCKETS[-1][0]


def _finding_record(f: Finding, row: SummaryRow) -> dict[str, Any]:
    try:
        title = get_rule(f.code).title
    except KeyError:
        title = ""
    return {
        "unit": row.label,
        "form": KIND_TEXT.get(row.kind, row.kind),
        "file": row.path,
        "sheet": f.sheet,
        "cell": f.cell,
        "code": f.code,
        "severity": f.severity.zh,
        "title": title,
        "message": f.message(),
        "expected": _cell_value(f.expected, f.expected_text()),
        "actual": _cell_value(f.actual, f.actual_text()),
        "kind": f.kind,
    }


def _cell_value(v: Any, text: str | None) -> Any:
    """A finding's expected/actual for a cell, in its own terms: numbers stay numbers (a
    rate is formatted as one), a range or other value is its display text, nothing is
    blank."""
    if isinstance(v, int) and not isinstance(v, bool):
        return v
    if isinstance(v, float) and math.isfinite(v):
        return round(v, 6)
    return text


def write_outputs(outdir: str | Path, rows: Sequence[SummaryRow], detail: Callable[[SummaryRow], UnitDetail],
                  info: RunInfo) -> list[Path]:
    """Write 汇总表.xlsx, summary.json and findings.csv into ``outdir``; returns their paths.

    ``rows`` are in input order; ``detail`` gives each row's findings and score card and is
    called once per row, in input order (so it may load them lazily).  ``rank`` is set on
    the rows.  Each file appears atomically; a failure leaves the previous ones in place.
    """
    import xlsxwriter

    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    ordered_input = sorted(rows, key=lambda r: r.key)
    ranked = rank_rows(ordered_input)
    # 部门整体 units on the 汇总, 共性指标 and 图表 sheets; project forms on 项目 (perfxl.summary_projects).
    depts = [r for r in ranked if not is_part(r.kind)]
    projects = [r for r in ranked if is_part(r.kind)]
    targets = [outdir / SUMMARY_XLSX, outdir / SUMMARY_JSON, outdir / FINDINGS_CSV]
    with ExitStack() as stack:
        tmp_xlsx, tmp_json, tmp_csv = (stack.enter_context(atomic_path(t)) for t in targets)
        wb = xlsxwriter.Workbook(str(tmp_xlsx), {
            "strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False,
            "constant_memory": True,
        })
        wb.set_properties({"title": "部门整体支出绩效自评 汇总表", "author": "perfxl", "company": "",
                           "comments": f"perfxl {__version__}; rulebook {info.rulebook_id}",
                           "created": info.started.replace(tzinfo=None)})
        fm = Formats(wb)
        ws_sum = wb.add_worksheet("汇总")
        ws_projects = wb.add_worksheet(PROJECTS_SHEET) if projects else None
        ws_find = wb.add_worksheet("问题清单")
        ws_rules = wb.add_worksheet("规则统计")
        ws_common = wb.add_worksheet("共性指标")
        ws_chart = wb.add_worksheet("图表")
        ws_note = wb.add_worksheet("说明")
        ws_sum.activate()

        # Pass over the files in input order: findings to 问题清单, CSV and JSON.
        code_units: dict[str, set[int]] = defaultdict(set)
        code_count: Counter[str] = Counter()
        code_sev: dict[str, set[str]] = defaultdict(set)
        with open(tmp_json, "w", encoding="utf-8") as jf, open(tmp_csv, "w", encoding="utf-8-sig", newline="") as cf:
            writer = csv.writer(cf)
            writer.writerow([h for h, _ in FINDING_COLUMNS])
            find_widths = _FindingsSheet(ws_find, fm)
            jf.write("{\n")
            _json_field(jf, "perfxl_version", __version__)
            _json_field(jf, "generated_at", info.started.astimezone(dt.timezone.utc).isoformat(timespec="seconds"))
            _json_field(jf, "rulebook", {"id": info.rulebook_id, "name": info.rulebook_name})
            _json_field(jf, "inputs", list(info.inputs))
            _json_field(jf, "skipped", [{"path": s.path, "reason": s.reason} for s in info.skipped])
            _json_field(jf, "totals", _totals(ordered_input))
            jf.write('  "units": [')
            fr = 1
            for i, row in enumerate(ordered_input):
                d = detail(row)
                records = [_finding_record(f, row) for f in d.findings]
                for f, rec in zip(d.findings, records):
                    code_units[f.code].add(row.key)
                    code_count[f.code] += 1
                    code_sev[f.code].add(f.severity.value)
                    writer.writerow([csv_text(_csv_value(f, k, rec)) for _, k in FINDING_COLUMNS])
                    find_widths.write(ws_find, fr, rec, fm)
                    fr += 1
                unit = row.to_dict()
                unit["score"] = d.score
                unit["findings"] = [{**f.to_dict(), "title": rec["title"]} for f, rec in zip(d.findings, records)]
                jf.write(("\n    " if i == 0 else ",\n    ") + _unit_json(unit))
            jf.write("\n  ],\n" if ordered_input else "],\n")
            stats = _rule_stats(code_units, code_count, code_sev)
            jf.write('  "rules": ' + json.dumps(stats, ensure_ascii=False) + "\n}\n")
        if fr > 1:
            ws_find.autofilter(0, 0, fr - 1, len(FINDING_COLUMNS) - 1)
        else:
            ws_find.write_string(1, 0, "未发现问题。", fm.text)
        find_widths.finish()

        _write_summary_sheet(ws_sum, depts, info, fm)
        if ws_projects is not None:
            write_projects_sheet(ws_projects, projects, depts, info, fm)
        _write_rules_sheet(ws_rules, stats, fm)
        _write_common_sheet(ws_common, [r for r in ordered_input if not is_part(r.kind)], fm)
        _write_chart_sheet(wb, ws_chart, depts, fm)
        _write_notes_sheet(ws_note, ordered_input, info, fm)
        wb.close()
        _forward_slash_links(tmp_xlsx)
    return targets


def _forward_slash_links(path: Path) -> None:
    """Relative links to the annotated copies with '/' (xlsxwriter writes Windows' '\\'):
    a relationship target is a URI, which Excel and LibreOffice, on Windows and on Linux,
    all resolve."""
    import re
    import zipfile

    with zipfile.ZipFile(path) as z:
        parts = [(i, z.read(i.filename)) for i in z.infolist()]
    changed = False
    out = []
    for info, data in parts:
        if info.filename.endswith(".rels") and b"TargetMode=\"External\"" in data:
            fixed = re.sub(rb'Target="([^"]*)"', lambda m: b'Target="' + m.group(1).replace(b"\\", b"/") + b'"', data)
            changed = changed or fixed != data
            data = fixed
        out.append((info, data))
    if not changed:
        return
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for info, data in out:
            z.writestr(info, data)


def _unit_json(unit: dict[str, Any]) -> str:
    """One unit of summary.json.  Walking every value for a NaN (:func:`_finite`) cost
    more than the encoding itself, so it is done only for a unit that has one."""
    try:
        return json.dumps(unit, ensure_ascii=False, default=str, allow_nan=False)
    except ValueError:  # a NaN or an infinity somewhere: JSON has no such numbers
        return json.dumps(_finite(unit), ensure_ascii=False, default=str, allow_nan=False)


def _finite(obj: Any) -> Any:
    """``obj`` with NaN and infinities replaced by None (JSON has no such numbers)."""
    if isinstance(obj, float):
        return obj if math.isfinite(obj) else None
    if isinstance(obj, dict):
        return {k: _finite(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_finite(v) for v in obj]
    return obj


def _json_field(fh: io.TextIOBase | Any, key: str, value: Any) -> None:
    fh.write(f"  {json.dumps(key)}: {json.dumps(value, ensure_ascii=False, default=str)},\n")


def _totals(rows: Sequence[SummaryRow]) -> dict[str, int]:
    status = Counter(r.status for r in rows)
    return {
        "files": len({r.path for r in rows}),
        "units": len(rows),  # a workbook of several project forms is one file, several units
        "projects": sum(1 for r in rows if is_part(r.kind)),
        "passed": status.get(STATUS_OK, 0),
        "to_fix": status.get(STATUS_FIX, 0),
        "unreadable": status.get(STATUS_UNREADABLE, 0),
        "errors": sum(r.errors for r in rows),
        "warnings": sum(r.warnings for r in rows),
    }


def _rule_stats(units: dict[str, set[int]], count: Counter[str], sev: dict[str, set[str]]) -> list[dict[str, Any]]:
    out = []
    for code in sorted(count, key=lambda c: (-count[c], c)):
        try:
            title = get_rule(code).title
        except KeyError:
            title = ""
        sevs = sorted(sev[code], key=lambda s: Severity(s).rank)
        out.append({"code": code, "title": title, "severity": "/".join(Severity(s).zh for s in sevs),
                    "units": len(units[code]), "findings": count[code]})
    return out


def _csv_value(f: Finding, key: str, rec: dict[str, Any]) -> Any:
    """A findings.csv field: expected and actual as people read them (76.80%, 11.20–14.00)."""
    if key == "expected":
        return f.expected_text()
    if key == "actual":
        return f.actual_text()
    return rec[key]


class _FindingsSheet:
    """问题清单, written a row at a time: the wrapped columns have fixed widths, the others
    grow with their content (up to a limit) and are set when the last row is written."""

    WRAPPED = {"title": 18.0, "message": 56.0, "expected": 14.0, "actual": 14.0}
    WIDEST = {"unit": 30.0, "form": 8.0, "file": 36.0, "sheet": 12.0, "cell": 10.0, "code": 8.0, "severity": 8.0}

    def __init__(self, ws: Any, fm: Formats):
        self.ws, self.fm = ws, fm
        self.widths = {k: column_width([], h) for h, k in FINDING_COLUMNS}
        self.widths.update(self.WRAPPED)
        for c, (h, _k) in enumerate(FINDING_COLUMNS):
            ws.write_string(0, c, h, fm.head)

    def write(self, ws: Any, r: int, rec: dict[str, Any], fm: Formats) -> None:
        texts = []
        for k, cap in self.WIDEST.items():
            w = column_width([rec[k]], maximum=cap)
            self.widths[k] = max(self.widths[k], w)
            if isinstance(rec[k], str) and text_width(rec[k]) + 1.5 > cap:
                texts.append((rec[k], cap))  # wraps at the column's limit
        texts += [(rec[k], w) for k, w in self.WRAPPED.items() if isinstance(rec[k], str)]
        fit_row(ws, r, texts)
        for c, (_, k) in enumerate(FINDING_COLUMNS):
            v = rec[k]
            if k in ("expected", "actual") and isinstance(v, (int, float)) and not isinstance(v, bool):
                fmt = fm.rate_wrap if rec["kind"] == "rate" else fm.score_wrap if isinstance(v, float) else fm.wrap
            else:
                fmt = fm.wrap
            put(ws, r, c, v, fmt)

    def finish(self) -> None:
        widths = [self.widths[k] for _, k in FINDING_COLUMNS]
        page_setup(self.ws, widths)


SUMMARY_HEADER_ROW = 2  # 0-based: a title, a line of totals, then the header


def _summary_title(rows: Sequence[SummaryRow], info: RunInfo) -> str:
    years = Counter(r.year for r in rows if r.year is not None)
    year = info.year if info.year is not None else (max(years, key=lambda y: (years[y], y)) if years else None)
    return f"{year}年度部门整体支出绩效自评复核汇总表" if year else "部门整体支出绩效自评复核汇总表"


def _write_summary_sheet(ws: Any, rows: Sequence[SummaryRow], info: RunInfo, fm: Formats) -> None:
    t = _totals(rows)
    ws.write_string(0, 0, _summary_title(rows, info), fm.title)
    ws.set_row(0, 22)
    ws.write_string(1, 0, clean_text(
        f"规则库：{info.rulebook_name or info.rulebook_id}；共 {t['files']} 份部门整体自评表：通过 {t['passed']}，"
        f"需修改 {t['to_fix']}，无法读取 {t['unreadable']}。按复核得分排名；差异 = 自评得分 − 复核得分。"
        f"各列含义和跳过的文件见“说明”工作表。"), fm.sub)
    head_row = SUMMARY_HEADER_ROW
    widths = column_widths(SUMMARY_COLUMNS, rows)
    for c, (h, attr, kind, _) in enumerate(SUMMARY_COLUMNS):
        ws.write_string(head_row, c, h, fm.head)
    heads = [(h, widths[attr]) for h, attr, _, _ in SUMMARY_COLUMNS]
    ws.set_row(head_row, row_height(max(wrapped_lines(h, w) for h, w in heads)) or 15)
    centred = {"rank", "year", "self_grade", "grade", "status", "errors", "warnings"}
    write_rows(ws, head_row + 1, SUMMARY_COLUMNS, rows, widths, fm, centred, ("note", "name", "path"))
    last = head_row + max(len(rows), 1)
    ws.autofilter(head_row, 0, last, len(SUMMARY_COLUMNS) - 1)
    colour_marks(ws, head_row + 1, last, {attr: c for c, (_, attr, _, _) in enumerate(SUMMARY_COLUMNS)}, fm)
    page_setup(ws, [widths[a] for _, a, _, _ in SUMMARY_COLUMNS], header_rows=head_row + 1, freeze_cols=2)


def _write_rules_sheet(ws: Any, stats: list[dict[str, Any]], fm: Formats) -> None:
    head = (("代码", "code"), ("规则", "title"), ("严重程度", "severity"), ("涉及单位数", "units"), ("问题数", "findings"))
    for c, (h, _k) in enumerate(head):
        ws.write_string(0, c, h, fm.head)
    for r, s in enumerate(stats, start=1):
        for c, (_h, k) in enumerate(head):
            put(ws, r, c, s[k], fm.int if k in ("units", "findings") else fm.text)
    if stats:
        ws.autofilter(0, 0, len(stats), len(head) - 1)
    page_setup(ws, [column_width([s[k] for s in stats], h, maximum=40, header_lines=1) for h, k in head])


def _write_common_sheet(ws: Any, rows: Sequence[SummaryRow], fm: Formats) -> None:
    from perfxl.common import COMMON_INDICATORS

    shown = [r for r in rows if r.status != STATUS_UNREADABLE]
    heads = ["单位名称", "文件"] + [ci.key + ("（万元）" if ci.kind == "amount" else "") for ci in COMMON_INDICATORS]
    for c, h in enumerate(heads):
        ws.write_string(0, c, h, fm.head)
    for c, ci in enumerate(COMMON_INDICATORS, start=2):
        ws.write_comment(0, c, f"{ci.key} = {ci.formula}")
    widths = [column_width([r.label for r in shown], heads[0], maximum=30),
              column_width([r.path for r in shown], heads[1], maximum=36)]
    widths += [column_width(["-100.00%", "1,000.00"], h, maximum=14) for h in heads[2:]]
    ws.set_row(0, row_height(max(wrapped_lines(h, w) for h, w in zip(heads, widths))) or 15)
    for r, row in enumerate(shown, start=1):
        fit_row(ws, r, [(row.label, widths[0]), (row.path, widths[1])])
        ws.write_string(r, 0, clean_text(row.label), fm.wrap)
        ws.write_string(r, 1, clean_text(row.path), fm.wrap)
        for c, ci in enumerate(COMMON_INDICATORS, start=2):
            put(ws, r, c, row.common.get(ci.key), fm.rate if ci.kind == "rate" else fm.amount)
    ws.autofilter(0, 0, max(len(shown), 1), 1 + len(COMMON_INDICATORS))
    page_setup(ws, widths, freeze_cols=1)


def _write_chart_sheet(wb: Any, ws: Any, rows: Sequence[SummaryRow], fm: Formats) -> None:
    grades = Counter(r.grade for r in rows if r.total is not None and r.grade)
    buckets = Counter(score_bucket(r.total) for r in rows if r.total is not None and r.status != STATUS_UNREADABLE)
    unscored = sum(1 for r in rows if r.total is None or r.status == STATUS_UNREADABLE)
    ws.write_string(0, 0, "复核等级", fm.head)
    ws.write_string(0, 1, "单位数", fm.head)
    for i, g in enumerate(GRADES, start=1):
        ws.write_string(i, 0, g, fm.text)
        ws.write_number(i, 1, grades.get(g, 0), fm.int)
    n = len(GRADES)
    ws.write_string(n + 1, 0, "未评分", fm.text)
    ws.write_number(n + 1, 1, unscored, fm.int)
    b0 = n + 3
    ws.write_string(b0, 0, "复核得分", fm.head)
    ws.write_string(b0, 1, "单位数", fm.head)
    for i, (label, _, _) in enumerate(SCORE_BUCKETS, start=1):
        ws.write_string(b0 + i, 0, label, fm.text)
        ws.write_number(b0 + i, 1, buckets.get(label, 0), fm.int)

    # The chart shows the table beside it: every grade and the units not scored, so its
    # bars add up to the number of files.
    grade_chart = wb.add_chart({"type": "column"})
    grade_chart.add_series({
        "name": "单位数",
        "categories": ["图表", 1, 0, n + 1, 0],
        "values": ["图表", 1, 1, n + 1, 1],
        "data_labels": {"value": True},
        "points": [{"fill": {"color": GRADE_COLOURS[g][1]}} for g in GRADES] + [{"fill": {"color": "#A6A6A6"}}],
    })
    grade_chart.set_title({"name": "各复核等级单位数"})
    grade_chart.set_legend({"none": True})
    grade_chart.set_y_axis({"major_gridlines": {"visible": True}, "min": 0})
    ws.insert_chart(0, 3, grade_chart, {"x_scale": 1.0, "y_scale": 0.9})

    hist = wb.add_chart({"type": "column"})
    hist.add_series({
        "name": "单位数",
        "categories": ["图表", b0 + 1, 0, b0 + len(SCORE_BUCKETS), 0],
        "values": ["图表", b0 + 1, 1, b0 + len(SCORE_BUCKETS), 1],
        "data_labels": {"value": True},
        "fill": {"color": "#4472C4"},
        "gap": 30,
    })
    hist.set_title({"name": "复核得分分布"})
    hist.set_legend({"none": True})
    hist.set_y_axis({"major_gridlines": {"visible": True}, "min": 0})
    ws.insert_chart(16, 3, hist, {"x_scale": 1.0, "y_scale": 0.9})
    page_setup(ws, [14, 10], header_rows=0)
    ws.set_landscape()  # the charts stand right of the tables
    ws.fit_to_pages(1, 1)


def _write_notes_sheet(ws: Any, rows: Sequence[SummaryRow], info: RunInfo, fm: Formats) -> None:
    widths = (14.0, 84.0)  # fits an A4 portrait page
    page_setup(ws, widths, header_rows=0)
    totals = _totals(rows)
    lines: list[tuple[str, str]] = [
        ("规则库", f"{info.rulebook_name}（{info.rulebook_id}）" if info.rulebook_name else info.rulebook_id),
        ("perfxl 版本", __version__),
        ("运行时间", info.started_text),
        ("输入", "；".join(info.inputs) or "—"),
        ("处理文件数", f"{totals['files']} 个"
                       + (f"，{totals['units']} 张自评表（其中项目支出 {totals['projects']} 张）" if totals["projects"] else "")
                       + f"：通过 {totals['passed']}，需修改 {totals['to_fix']}，"
                       f"无法读取 {totals['unreadable']}；错误 {totals['errors']} 个，警告 {totals['warnings']} 个"),
        ("跳过文件数", f"{len(info.skipped)} 个（见下表）" if info.skipped else "0 个"),
    ]
    if info.year is not None:
        lines.append(("评价年度", str(info.year)))
    r = 0
    ws.write_string(r, 0, "绩效自评复核汇总表 — 说明", fm.title)  # of both kinds
    r = 2
    for k, v in lines:
        fit_row(ws, r, [(v, widths[1])])
        ws.write_string(r, 0, k, fm.bold)
        ws.write_string(r, 1, clean_text(v), fm.wrap)
        r += 1
    r += 1
    ws.write_string(r, 0, "如何阅读", fm.heading)
    r += 1
    guide = [
        ("汇总", "每个部门整体自评表（及无法读取的文件）一行，按复核得分从高到低排名（同分按单位名称）；未评分或无法读取的文件排在最后、不排名。"
                 "差异 = 自评得分 − 复核得分；状态：通过 = 没有错误，需修改 = 有错误（强制性问题，须改正后重新提交），"
                 "无法读取 = 文件打不开或不是自评表（原因见“说明”列）。“打开”链接指向 annotated 文件夹中的标注副本。"),
        ("问题清单", "全部文件的全部问题：错误 = 强制性，必须修改；警告 = 提示性，须说明原因；提示 = 仅供参考。"
                     "可用筛选按单位、代码或严重程度查看。同样内容另存为 findings.csv。"),
        ("规则统计", "每条规则触发的单位数和问题数，用于发现共性问题（如普遍未填偏差原因）。"),
        ("共性指标", "按财预〔2013〕53号框架计算的部门整体共性指标（在职人员控制率、预算执行率、三公经费控制率等），"
                     "空白表示数据缺失或分母为 0。"),
        ("项目", "每张项目支出绩效自评表一行，按主管部门分组、组内按复核得分从高到低；下方为各部门汇总：项目数、资金、"
                 "以全年执行数为权重的加权平均复核得分、得分最低的项目，以及该部门是否报送了部门整体自评表。"
                 "金额为复核采用的数（年度资金总额与各来源之和不符时，按各来源之和）；“说明”列写明未评分的原因。"
                 "部门整体自评表只列在“汇总”“共性指标”“图表”中。"),
        ("图表", "各复核等级的单位数，以及复核得分的分布。"),
        ("标注副本", "annotated 文件夹中每个文件的副本：第一页“校验结果”列出全部问题并可跳转到单元格，"
                     "出问题的单元格标红加实线框（错误）或标橙加虚线框（警告）并附批注，计算单元格出错时其填报单元格加点线框，"
                     "“复核评分”页对照自评得分与复核得分。"
                     "副本中的公式在 Excel/WPS 打开时重新计算。"),
    ]
    for k, v in guide:
        fit_row(ws, r, [(v, widths[1])])
        ws.write_string(r, 0, k, fm.text)
        ws.write_string(r, 1, v, fm.wrap)
        r += 1
    r += 1
    ws.write_string(r, 0, "跳过的文件", fm.heading)
    r += 1
    if not info.skipped:
        ws.write_string(r, 0, "（无）", fm.text)
    for sk in info.skipped:
        text = clean_text(f"{sk.path} — {sk.reason}")
        fit_row(ws, r, [(text, widths[1])])
        ws.write_string(r, 0, "跳过", fm.text)
        ws.write_string(r, 1, text, fm.wrap)
        r += 1
