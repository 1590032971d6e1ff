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
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Sequence

from perfxl import __version__
from perfxl.findings import Finding, Severity, get_rule
from perfxl.inputs import Skipped
from perfxl.layout import FOOTER, column_width, is_landscape, row_height, text_width, wrapped_lines
from perfxl.safe import atomic_path, clean_text, csv_text
from perfxl.spec import GRADES

if TYPE_CHECKING:  # pragma: no cover
    from perfxl.report import FileReport
    from perfxl.rulebook import Rulebook

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

STATUS_OK, STATUS_FIX, STATUS_UNREADABLE = "通过", "需修改", "无法读取"
# The stable values summary.json carries for them (as ``perfxl check --format json`` does).
_STATUS_VALUES = {STATUS_OK: "passed", STATUS_FIX: "needs-changes", STATUS_UNREADABLE: "unreadable"}

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
)

# The 复核得分 histogram of the 图表 sheet: (label, low inclusive, high exclusive).
SCORE_BUCKETS: tuple[tuple[str, float, float], ...] = (
    ("<60", -math.inf, 60),
    ("60–70", 60, 70),
    ("70–80", 70, 80),
    ("80–90", 80, 90),
    ("≥90", 90, math.inf),
)

_GRADE_COLOURS = {"优": ("#C6EFCE", "#006100"), "良": ("#DDEBF7", "#1F4E79"),
                  "中": ("#FFEB9C", "#9C5700"), "差": ("#FFC7CE", "#9C0006")}
_STATUS_COLOURS = {STATUS_OK: ("#C6EFCE", "#006100"), STATUS_FIX: ("#FFEB9C", "#9C5700"),
                   STATUS_UNREADABLE: ("#FFC7CE", "#9C0006")}


@dataclass
class SummaryRow:
    """One file's line of the summary.  Small and picklable: no Unit, no findings."""

    index: int  # position in the batch's sorted input order
    path: str  # the input file, as discovered
    name: str | None = None
    credit_code: str | None = None
    department: str | None = None
    year: int | None = None
    budget: float | None = None  # 全年预算数 (资金总额), 万元
    actual: float | None = None  # 全年执行数, 万元
    rate: float | None = None  # 执行率 (fraction)
    self_total: float | None = None
    total: float | None = None  # 复核得分
    self_grade: str | None = None
    grade: str | None = None  # 复核等级
    errors: int = 0
    warnings: int = 0
    infos: int = 0
    status: str = STATUS_OK
    annotated: str | None = None  # relative path of the annotated copy ('annotated/x.xlsx')
    note: str = ""  # why unreadable / not scored
    rank: int | None = None
    common: dict[str, float | None] = field(default_factory=dict)
    cells: dict[str, str] = field(default_factory=dict)  # where name, year, credit_code were read

    @property
    def diff(self) -> float | None:
        """自评得分 − 复核得分."""
        if self.self_total is None or self.total is None:
            return None
        return round(self.self_total - self.total, 2)

    @property
    def label(self) -> str:
        """The unit's name, or its file name when the name could not be read."""
        return self.name or Path(self.path).name

    @classmethod
    def from_report(cls, report: FileReport, index: int, annotated: str | None = None) -> SummaryRow:
        """The row of one checked file."""
        row = cls(index=index, path=report.path, annotated=annotated)
        row.errors, row.warnings, row.infos = report.errors, report.warnings, report.infos
        row.status = report.status_text("zh")
        unit = report.unit
        if not report.readable or unit is None or not unit.readable:
            row.status = STATUS_UNREADABLE
            row.note = first_error(report.findings)
            return row
        row.name = _clip(unit.name)
        row.credit_code = _clip(unit.credit_code)
        dep = unit.profile.get("department")
        row.department = _clip(dep.value) if dep is not None and dep.ok and dep.value is not None else None
        row.year = unit.year
        for key in ("name", "year", "credit_code"):
            f = unit.profile.get(key)
            if f is not None and f.cell:
                row.cells[key] = f.cell
        from perfxl.common import budget_amount, common_indicators

        card = report.score
        # Figures that cannot be computed are None (shown blank), never a guess; an
        # exception here is a bug and is reported as such (F902) by the batch.
        row.budget = _round(budget_amount(unit, "adjusted")[0])
        row.actual = _round(budget_amount(unit, "actual")[0])
        common = card.common if card is not None else common_indicators(unit)
        row.common = {k: (None if v is None else round(v, 6)) for k, v in common.items()}
        if card is not None:
            row.rate = _round(card.execution.rate, 6) if card.execution is not None else None
            row.total, row.grade = _round(card.total), card.grade
            row.self_total, row.self_grade = _round(card.self_total), card.self_grade
            if card.total is None:
                row.note = "未评分：" + "；".join(card.reasons or ["评分所需数据不全"])
        if row.rate is None and row.common.get("预算执行率") is not None:
            row.rate = row.common["预算执行率"]
        return row

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape (English keys; ``status`` a stable value, ``status_text`` the words)."""
        d = asdict(self)
        d["diff"] = self.diff
        d["status"] = _STATUS_VALUES.get(self.status, self.status)
        d["status_text"] = self.status
        return d


def first_error(findings: Sequence[Finding]) -> str:
    """The message of the first error (why a file could not be read)."""
    for f in findings:
        if f.severity == Severity.ERROR:
            return f"{f.code} {f.message()}"
    return findings[0].message() if findings else "无法读取"


def _clip(v: Any, limit: int = 500) -> Any:
    if isinstance(v, str):
        return clean_text(v, limit)
    return v


def _round(v: float | None, nd: int = 2) -> float | None:
    if v is None or not isinstance(v, (int, float)) or isinstance(v, bool) or not math.isfinite(v):
        return None
    return round(float(v), nd)


@dataclass
class UnitDetail:
    """What the outputs need of one file beyond its row: findings and score card."""

    findings: list[Finding] = field(default_factory=list)
    score: dict[str, Any] | None = None  # ScoreCard.to_dict()


@dataclass
class RunInfo:
    """What the 说明 sheet and summary.json say about the run."""

    rulebook_id: str = ""
    rulebook_name: str = ""
    inputs: list[str] = field(default_factory=list)  # the paths given on the command line
    skipped: list[Skipped] = field(default_factory=list)
    started: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.timezone.utc))
    jobs: int = 1
    timeout: float | None = None
    year: int | None = None

    @classmethod
    def for_rulebook(cls, rulebook: Rulebook | None, **kw: Any) -> RunInfo:
        if rulebook is None:
            return cls(**kw)
        return cls(rulebook_id=rulebook.id, rulebook_name=rulebook.name, **kw)

    @property
    def started_text(self) -> str:
        return self.started.astimezone(dt.timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")


def score_bucket(total: float) -> str:
    """The histogram bucket of a 复核得分 ('<60', '60–70', …, '≥90')."""
    for label, lo, hi in SCORE_BUCKETS:
        if lo <= total < hi:
            return label
    return SCORE_BUCKETS[-1][0]


def rank_rows(rows: Sequence[SummaryRow]) -> list[SummaryRow]:
    """Rows in 汇总 order, with ``rank`` set.

    Scored files first, by 复核得分 descending, ties by name then path; equal scores
    share a rank (1, 2, 2, 4).  Unscored and unreadable files follow in input order,
    without a rank.
    """
    scored = [r for r in rows if r.total is not None and r.status != STATUS_UNREADABLE]
    rest = [r for r in rows if not (r.total is not None and r.status != STATUS_UNREADABLE)]
    scored.sort(key=lambda r: (-round(r.total or 0.0, 2), r.label, r.path))
    rest.sort(key=lambda r: r.index)
    prev: float | None = None
    rank = 0
    for i, r in enumerate(scored, start=1):
        t = round(r.total or 0.0, 2)
        if t != prev:
            rank, prev = i, t
        r.rank = rank
    for r in rest:
        r.rank = None
    return scored + rest


def _finding_record(f: Finding, row: SummaryRow) -> dict[str, Any]:
    try:
        title = get_rule(f.code).title
    except KeyError:
        title = ""
    return {
        "unit": row.label,
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


class _Formats:
    """The xlsxwriter formats of the summary, made once."""

    def __init__(self, wb: Any):
        plain = {"font_name": "等线", "font_size": 10, "valign": "top"}
        self.title = wb.add_format({**plain, "bold": True, "font_size": 14})
        self.sub = wb.add_format({**plain, "font_color": "#595959"})
        self.heading = wb.add_format({**plain, "bold": True, "font_size": 11})
        # Table cells carry a light border, so a printout reads as a table without
        # printing the gridlines of the title rows.
        base = {**plain, "border": 1, "border_color": "#BFBFBF"}
        self.head = wb.add_format({**base, "bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True,
                                   "align": "center", "valign": "vcenter"})
        self.text = wb.add_format(base)
        self.wrap = wb.add_format({**base, "text_wrap": True})
        self.int = wb.add_format({**base, "num_format": "0"})
        self.amount = wb.add_format({**base, "num_format": "#,##0.00"})
        self.rate = wb.add_format({**base, "num_format": "0.00%"})
        self.score = wb.add_format({**base, "num_format": "0.00"})
        self.rate_wrap = wb.add_format({**base, "num_format": "0.00%", "text_wrap": True})
        self.score_wrap = wb.add_format({**base, "num_format": "0.00", "text_wrap": True})
        self.link = wb.add_format({**base, "font_color": "#0563C1", "underline": 1})
        self.bold = wb.add_format({**base, "bold": True})
        self.centre = wb.add_format({**base, "align": "center"})
        self.cond = {text: wb.add_format({"bg_color": bg, "font_color": fg})
                     for text, (bg, fg) in {**_GRADE_COLOURS, **_STATUS_COLOURS}.items()}

    def of(self, kind: str) -> Any:
        return {"int": self.int, "amount": self.amount, "rate": self.rate, "score": self.score}.get(kind, self.text)


def _put(ws: Any, r: int, c: int, value: Any, fmt: Any) -> None:
    """Write one value: text always as a string, numbers as numbers, None as nothing."""
    if value is None:
        ws.write_blank(r, c, None, fmt)
    elif isinstance(value, bool):
        ws.write_boolean(r, c, value, fmt)
    elif isinstance(value, (int, float)):
        if isinstance(value, float) and not math.isfinite(value):
            ws.write_blank(r, c, None, fmt)
        else:
            ws.write_number(r, c, value, fmt)
    else:
        ws.write_string(r, c, clean_text(str(value)), fmt)


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
    ordered_input = sorted(rows, key=lambda r: r.index)
    ranked = rank_rows(ordered_input)
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
        fm = _Formats(wb)
        ws_sum = wb.add_worksheet("汇总")
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
                    code_units[f.code].add(row.index)
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

        _write_summary_sheet(ws_sum, ranked, info, fm)
        _write_rules_sheet(ws_rules, stats, fm)
        _write_common_sheet(ws_common, ordered_input, fm)
        _write_chart_sheet(wb, ws_chart, ranked, fm)
        _write_notes_sheet(ws_note, ordered_input, info, fm)
        wb.close()
        _forward_slash_links(tmp_xlsx)
    return targets


def _page_setup(ws: Any, widths: Sequence[float], header_rows: int = 1, freeze_cols: int = 0) -> None:
    """Print as a finance office prints (:mod:`perfxl.layout`): A4, landscape when wider
    than a portrait page, one page wide, the header rows repeated and frozen, page numbers
    in the footer.  ``widths`` are the columns' widths (set here too)."""
    for c, w in enumerate(widths):
        ws.set_column(c, c, w)
    if is_landscape(sum(widths)):
        ws.set_landscape()
    else:
        ws.set_portrait()
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)
    if header_rows:
        ws.repeat_rows(0, header_rows - 1)
        ws.freeze_panes(header_rows, freeze_cols)
    ws.hide_gridlines(1)
    ws.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.6)
    ws.set_footer(FOOTER)


def _fit_row(ws: Any, r: int, texts: Sequence[tuple[Any, float]]) -> None:
    """Set a row tall enough for its wrapped texts (LibreOffice and Excel do not refit
    rows of a generated file); a row whose texts fit on one line keeps the default."""
    n = max((wrapped_lines(t, w) for t, w in texts if isinstance(t, str) and t), default=1)
    height = row_height(n)
    if height is not None:
        ws.set_row(r, height)


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
        "files": len(rows),
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
    WIDEST = {"unit": 30.0, "file": 36.0, "sheet": 12.0, "cell": 10.0, "code": 8.0, "severity": 8.0}

    def __init__(self, ws: Any, fm: _Formats):
        self.ws, self.fm = ws, fm
        self.widths = {k: column_width([], h) for h, k in FINDING_COLUMNS}
        self.widths.update(self.WRAPPED)
        for c, (h, _k) in enumerate(FINDING_COLUMNS):
            ws.write_string(0, c, h, fm.head)

    def write(self, ws: Any, r: int, rec: dict[str, Any], fm: _Formats) -> None:
        texts = []
        for k, cap in self.WIDEST.items():
            w = column_width([rec[k]], maximum=cap)
            self.widths[k] = max(self.widths[k], w)
            if isinstance(rec[k], str) and text_width(rec[k]) + 1.5 > cap:
                texts.append((rec[k], cap))  # wraps at the column's limit
        texts += [(rec[k], w) for k, w in self.WRAPPED.items() if isinstance(rec[k], str)]
        _fit_row(ws, r, texts)
        for c, (_, k) in enumerate(FINDING_COLUMNS):
            v = rec[k]
            if k in ("expected", "actual") and isinstance(v, (int, float)) and not isinstance(v, bool):
                fmt = fm.rate_wrap if rec["kind"] == "rate" else fm.score_wrap if isinstance(v, float) else fm.wrap
            else:
                fmt = fm.wrap
            _put(ws, r, c, v, fmt)

    def finish(self) -> None:
        widths = [self.widths[k] for _, k in FINDING_COLUMNS]
        _page_setup(self.ws, widths)


SUMMARY_HEADER_ROW = 2  # 0-based: a title, a line of totals, then the header


def _summary_title(rows: Sequence[SummaryRow], info: RunInfo) -> str:
    years = Counter(r.year for r in rows if r.year is not None)
    year = info.year if info.year is not None else (max(years, key=lambda y: (years[y], y)) if years else None)
    return f"{year}年度部门整体支出绩效自评复核汇总表" if year else "部门整体支出绩效自评复核汇总表"


def _summary_widths(rows: Sequence[SummaryRow]) -> dict[str, float]:
    """Each 汇总 column as wide as its content (as shown), up to its limit."""
    shown = {"amount": "{:,.2f}", "rate": "{:.2%}", "score": "{:.2f}"}
    widths = {}
    for header, attr, kind, widest in SUMMARY_COLUMNS:
        if kind == "link":
            values: list[Any] = ["打开"]
        else:
            values = [getattr(r, attr) for r in rows]
            fmt = shown.get(kind)
            if fmt:
                values = [fmt.format(v) for v in values if isinstance(v, (int, float))]
        widths[attr] = column_width(values, header, minimum=5, maximum=widest)
    return widths


def _write_summary_sheet(ws: Any, rows: Sequence[SummaryRow], info: RunInfo, fm: _Formats) -> None:
    t = _totals(rows)
    ws.write_string(0, 0, _summary_title(rows, info), fm.title)
    ws.set_row(0, 22)
    ws.write_string(1, 0, clean_text(
        f"规则库：{info.rulebook_name or info.rulebook_id}；共 {t['files']} 个文件：通过 {t['passed']}，"
        f"需修改 {t['to_fix']}，无法读取 {t['unreadable']}。按复核得分排名；差异 = 自评得分 − 复核得分。"
        f"各列含义和跳过的文件见“说明”工作表。"), fm.sub)
    head_row = SUMMARY_HEADER_ROW
    widths = _summary_widths(rows)
    for c, (h, attr, kind, _) in enumerate(SUMMARY_COLUMNS):
        ws.write_string(head_row, c, h, fm.head)
    heads = [(h, widths[attr]) for h, attr, _, _ in SUMMARY_COLUMNS]
    ws.set_row(head_row, row_height(max(wrapped_lines(h, w) for h, w in heads)) or 15)
    centred = {"rank", "year", "self_grade", "grade", "status", "errors", "warnings"}
    wrapped = ("note", "name", "path")
    for i, row in enumerate(rows, start=head_row + 1):
        _fit_row(ws, i, [(getattr(row, a) or "", widths[a]) for a in wrapped])
        for c, (_, attr, kind, _) in enumerate(SUMMARY_COLUMNS):
            if kind == "link":
                if row.annotated:
                    # A relative link, so the output folder can be moved or zipped as a whole.
                    ws.write_url(i, c, "external:" + row.annotated, fm.link, string="打开",
                                 tip=clean_text(row.annotated, 250))
                else:
                    ws.write_blank(i, c, None, fm.text)
                continue
            value = getattr(row, attr)
            fmt = fm.centre if attr in centred else fm.wrap if attr in wrapped else fm.of(kind)
            _put(ws, i, c, value, fmt)
    last = head_row + max(len(rows), 1)
    ws.autofilter(head_row, 0, last, len(SUMMARY_COLUMNS) - 1)
    cols = {attr: c for c, (_, attr, _, _) in enumerate(SUMMARY_COLUMNS)}
    for attr in ("grade", "self_grade"):
        for g in GRADES:
            ws.conditional_format(head_row + 1, cols[attr], last, cols[attr],
                                  {"type": "cell", "criteria": "==", "value": f'"{g}"', "format": fm.cond[g]})
    for st in (STATUS_OK, STATUS_FIX, STATUS_UNREADABLE):
        ws.conditional_format(head_row + 1, cols["status"], last, cols["status"],
                              {"type": "cell", "criteria": "==", "value": f'"{st}"', "format": fm.cond[st]})
    # A difference of a point or more between self and computed score deserves a look.
    ws.conditional_format(head_row + 1, cols["diff"], last, cols["diff"],
                          {"type": "cell", "criteria": "not between", "minimum": -1, "maximum": 1,
                           "format": fm.cond["中"]})
    _page_setup(ws, [widths[a] for _, a, _, _ in SUMMARY_COLUMNS], header_rows=head_row + 1, freeze_cols=2)


def _write_rules_sheet(ws: Any, stats: list[dict[str, Any]], fm: _Formats) -> None:
    head = (("代码", "code"), ("规则", "title"), ("严重程度", "severity"), ("涉及单位数", "units"), ("问题数", "findings"))
    for c, (h, _k) in enumerate(head):
        ws.write_string(0, c, h, fm.head)
    for r, s in enumerate(stats, start=1):
        for c, (_h, k) in enumerate(head):
            _put(ws, r, c, s[k], fm.int if k in ("units", "findings") else fm.text)
    if stats:
        ws.autofilter(0, 0, len(stats), len(head) - 1)
    _page_setup(ws, [column_width([s[k] for s in stats], h, maximum=40, header_lines=1) for h, k in head])


def _write_common_sheet(ws: Any, rows: Sequence[SummaryRow], fm: _Formats) -> None:
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
        _fit_row(ws, r, [(row.label, widths[0]), (row.path, widths[1])])
        ws.write_string(r, 0, clean_text(row.label), fm.wrap)
        ws.write_string(r, 1, clean_text(row.path), fm.wrap)
        for c, ci in enumerate(COMMON_INDICATORS, start=2):
            _put(ws, r, c, row.common.get(ci.key), fm.rate if ci.kind == "rate" else fm.amount)
    ws.autofilter(0, 0, max(len(shown), 1), 1 + len(COMMON_INDICATORS))
    _page_setup(ws, widths, freeze_cols=1)


def _write_chart_sheet(wb: Any, ws: Any, rows: Sequence[SummaryRow], fm: _Formats) -> None:
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
        "points": [{"fill": {"color": _GRADE_COLOURS[g][1]}} for g in GRADES] + [{"fill": {"color": "#A6A6A6"}}],
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
    _page_setup(ws, [14, 10], header_rows=0)
    ws.set_landscape()  # the charts stand right of the tables
    ws.fit_to_pages(1, 1)


def _write_notes_sheet(ws: Any, rows: Sequence[SummaryRow], info: RunInfo, fm: _Formats) -> None:
    widths = (14.0, 84.0)  # fits an A4 portrait page
    _page_setup(ws, widths, header_rows=0)
    totals = _totals(rows)
    lines: list[tuple[str, str]] = [
        ("规则库", f"{info.rulebook_name}（{info.rulebook_id}）" if info.rulebook_name else info.rulebook_id),
        ("perfxl 版本", __version__),
        ("运行时间", info.started_text),
        ("输入", "；".join(info.inputs) or "—"),
        ("处理文件数", f"{totals['files']} 个：通过 {totals['passed']}，需修改 {totals['to_fix']}，"
                       f"无法读取 {totals['unreadable']}；错误 {totals['errors']} 个，警告 {totals['warnings']} 个"),
        ("跳过文件数", f"{len(info.skipped)} 个（见下表）" if info.skipped else "0 个"),
    ]
    if info.year is not None:
        lines.append(("评价年度", str(info.year)))
    r = 0
    ws.write_string(r, 0, "部门整体支出绩效自评 汇总表 — 说明", fm.title)
    r = 2
    for k, v in lines:
        _fit_row(ws, r, [(v, widths[1])])
        ws.write_string(r, 0, k, fm.bold)
        ws.write_string(r, 1, clean_text(v), fm.wrap)
        r += 1
    r += 1
    ws.write_string(r, 0, "如何阅读", fm.heading)
    r += 1
    guide = [
        ("汇总", "每个文件一行，按复核得分从高到低排名（同分按单位名称）；未评分或无法读取的文件排在最后、不排名。"
                 "差异 = 自评得分 − 复核得分；状态：通过 = 没有错误，需修改 = 有错误（强制性问题，须改正后重新提交），"
                 "无法读取 = 文件打不开或不是自评表（原因见“说明”列）。“打开”链接指向 annotated 文件夹中的标注副本。"),
        ("问题清单", "全部文件的全部问题：错误 = 强制性，必须修改；警告 = 提示性，须说明原因；提示 = 仅供参考。"
                     "可用筛选按单位、代码或严重程度查看。同样内容另存为 findings.csv。"),
        ("规则统计", "每条规则触发的单位数和问题数，用于发现共性问题（如普遍未填偏差原因）。"),
        ("共性指标", "按财预〔2013〕53号框架计算的部门整体共性指标（在职人员控制率、预算执行率、三公经费控制率等），"
                     "空白表示数据缺失或分母为 0。"),
        ("图表", "各复核等级的单位数，以及复核得分的分布。"),
        ("标注副本", "annotated 文件夹中每个文件的副本：第一页“校验结果”列出全部问题并可跳转到单元格，"
                     "出问题的单元格标红加实线框（错误）或标橙加虚线框（警告）并附批注，计算单元格出错时其填报单元格加点线框，"
                     "“复核评分”页对照自评得分与复核得分。"
                     "副本中的公式在 Excel/WPS 打开时重新计算。"),
    ]
    for k, v in guide:
        _fit_row(ws, r, [(v, widths[1])])
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
        _fit_row(ws, r, [(text, widths[1])])
        ws.write_string(r, 0, "跳过", fm.text)
        ws.write_string(r, 1, text, fm.wrap)
        r += 1


def iter_details(details: Iterable[tuple[SummaryRow, UnitDetail]]) -> Callable[[SummaryRow], UnitDetail]:
    """A ``detail`` callback over an in-memory mapping (for callers that hold everything)."""
    table = {row.index: d for row, d in details}
    return lambda row: table.get(row.index, UnitDetail())
