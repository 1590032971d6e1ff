"""汇总表.xlsx, summary.json and findings.csv from hand-made rows and findings."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any, Callable

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from perfxl.catalogue import get_rule
from perfxl.summary import (
    FINDING_COLUMNS,
    SUMMARY_COLUMNS,
    SUMMARY_HEADER_ROW,
    RunInfo,
    Skipped,
    SummaryRow,
    UnitDetail,
    iter_details,
    rank_rows,
    score_bucket,
    write_outputs,
)

EVIL_NAME = '=HYPERLINK("http://x","x")'
EVIL_TEXT = "@SUM(1)"


def _rows_and_details() -> tuple[list[SummaryRow], dict[int, UnitDetail]]:
    b001, i009, f001 = get_rule("B001"), get_rule("I009"), get_rule("F001")
    rows = [
        SummaryRow(0, "in/a.xlsx", name="乙单位", year=2023, budget=100.0, actual=95.0, rate=0.95,
                   self_total=92.0, total=90.5, self_grade="优", grade="优", status="通过",
                   annotated="annotated/a.xlsx", common={"预算执行率": 0.95}),
        SummaryRow(1, "in/b.xlsx", name=EVIL_NAME, credit_code="13430725006431661H", year=2023,
                   self_total=80.0, total=75.0, self_grade="良", grade="中", errors=2, status="需修改",
                   annotated="annotated/b.xlsx"),
        SummaryRow(2, "in/c.xls", status="无法读取", errors=1, note="F001 文件无法读取"),
        SummaryRow(3, "in/d.xlsx", name="甲单位", year=2023, self_total=95.0, total=90.5, self_grade="优",
                   grade="优", status="通过", annotated="annotated/d.xlsx"),
        SummaryRow(4, "in/e.xlsx", name="丙单位", year=2023, status="需修改", errors=1, note="未评分：缺数据"),
    ]
    details = {
        0: UnitDetail([], {"total": 90.5}),
        1: UnitDetail([b001("预算执行", "D4", expected=10.0, actual=9.0),
                       i009("绩效指标", "C5", expected=EVIL_TEXT, actual="-1")], {"total": 75.0}),
        2: UnitDetail([f001(None, None, detail="zip 末尾缺失")]),
        3: UnitDetail([b001("预算执行", "D5", expected=1.0, actual=2.0)]),
        4: UnitDetail([]),
    }
    return rows, details


def _write(tmp_path: Path) -> tuple[Path, list[SummaryRow], dict[int, UnitDetail]]:
    rows, details = _rows_and_details()
    info = RunInfo(rulebook_id="cz-2020-10", rulebook_name="默认", inputs=["in"],
                   skipped=[Skipped("in/~$a.xlsx", "Office/WPS 锁定文件")])
    write_outputs(tmp_path, rows, lambda r: details[r.index], info)
    return tmp_path, rows, details


def _sheet(path: Path, name: str) -> list[list[Any]]:
    return CalamineWorkbook.from_path(str(path)).get_sheet_by_name(name).to_python()


def test_rank_rows_orders_by_score_then_name_and_shares_ties() -> None:
    rows, _ = _rows_and_details()
    ranked = rank_rows(rows)
    assert [(r.label, r.rank) for r in ranked] == [
        ("乙单位", 1), ("甲单位", 1), (EVIL_NAME, 3), ("c.xls", None), ("丙单位", None),
    ]


@pytest.mark.parametrize(("total", "bucket"), [(0, "<60"), (59.99, "<60"), (60, "60–70"), (79.9, "70–80"),
                                               (89.99, "80–90"), (90, "≥90"), (100, "≥90")])
def test_score_buckets(total: float, bucket: str) -> None:
    assert score_bucket(total) == bucket


def test_summary_sheet_rows_match_the_rows(tmp_path: Path) -> None:
    out, rows, _ = _write(tmp_path)
    data = _sheet(out / "汇总表.xlsx", "汇总")
    header = data[SUMMARY_HEADER_ROW]
    assert header == [h for h, *_ in SUMMARY_COLUMNS]
    body = data[SUMMARY_HEADER_ROW + 1:]
    col = {attr: i for i, (_, attr, _, _) in enumerate(SUMMARY_COLUMNS)}
    by_path = {r.path: r for r in rows}
    assert [line[col["path"]] for line in body] == ["in/a.xlsx", "in/d.xlsx", "in/b.xlsx", "in/c.xls", "in/e.xlsx"]
    for line in body:
        r = by_path[line[col["path"]]]
        assert line[col["rank"]] == ("" if r.rank is None else r.rank)
        assert line[col["name"]] == (r.name or "")
        assert line[col["status"]] == r.status
        assert line[col["errors"]] == r.errors
        assert line[col["total"]] == ("" if r.total is None else pytest.approx(r.total))
        assert line[col["diff"]] == ("" if r.diff is None else pytest.approx(r.diff))
        assert line[col["annotated"]] == ("打开" if r.annotated else "")


def test_workbook_text_stays_text_in_the_summary(tmp_path: Path) -> None:
    out, _, _ = _write(tmp_path)
    wb = openpyxl.load_workbook(out / "汇总表.xlsx")
    cells = [c for row in wb["汇总"].iter_rows() for c in row if c.value == EVIL_NAME]
    assert cells and all(c.data_type == "s" for c in cells)
    found = [c for row in wb["问题清单"].iter_rows() for c in row if c.value in (EVIL_TEXT, EVIL_NAME, "-1")]
    assert len(found) >= 3 and all(c.data_type == "s" for c in found)
    assert any(EVIL_NAME in line for line in _sheet(out / "汇总表.xlsx", "汇总"))
    assert any(EVIL_TEXT in line for line in _sheet(out / "汇总表.xlsx", "问题清单"))


def test_link_to_the_annotated_copy_is_relative(tmp_path: Path) -> None:
    out, _, _ = _write(tmp_path)
    ws = openpyxl.load_workbook(out / "汇总表.xlsx")["汇总"]
    link_col = 1 + [attr for _, attr, _, _ in SUMMARY_COLUMNS].index("annotated")
    targets = {ws.cell(r, link_col).hyperlink.target for r in range(SUMMARY_HEADER_ROW + 2, ws.max_row + 1)
               if ws.cell(r, link_col).hyperlink is not None}
    assert {t.replace("\\", "/") for t in targets} == {"annotated/a.xlsx", "annotated/b.xlsx", "annotated/d.xlsx"}


def test_findings_sheet_and_csv_list_every_finding(tmp_path: Path) -> None:
    out, rows, details = _write(tmp_path)
    expected = [(r.label, f.code, f.message()) for r in rows for f in details[r.index].findings]
    sheet = _sheet(out / "汇总表.xlsx", "问题清单")
    assert sheet[0] == [h for h, _ in FINDING_COLUMNS]
    keys = [k for _, k in FINDING_COLUMNS]
    got = [(line[keys.index("unit")], line[keys.index("code")], line[keys.index("message")]) for line in sheet[1:]]
    assert got == expected
    raw = (out / "findings.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # utf-8-sig, so Excel reads the Chinese
    lines = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
    assert lines[0] == [h for h, _ in FINDING_COLUMNS]
    assert len(lines) == 1 + len(expected)
    for line in lines[1:]:
        for field in line:
            assert not field.startswith(("=", "+", "@", "\t", "\r")), field
            assert not (field.startswith("-") and not _is_number(field)), field
    units = [line[0] for line in lines[1:]]
    assert "'" + EVIL_NAME in units


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def test_summary_json_holds_rows_scores_and_findings(tmp_path: Path) -> None:
    out, rows, details = _write(tmp_path)
    doc = json.loads((out / "summary.json").read_text("utf-8"))
    assert doc["rulebook"]["id"] == "cz-2020-10"
    assert doc["skipped"] == [{"path": "in/~$a.xlsx", "reason": "Office/WPS 锁定文件"}]
    assert doc["totals"] == {"files": 5, "units": 5, "projects": 0, "passed": 2, "to_fix": 2, "unreadable": 1,
                             "errors": 4, "warnings": 0}
    assert [u["path"] for u in doc["units"]] == [r.path for r in rows]
    b = doc["units"][1]
    assert b["name"] == EVIL_NAME and b["score"] == {"total": 75.0} and b["rank"] == 3
    assert [f["code"] for f in b["findings"]] == ["B001", "I009"]
    assert doc["rules"][0] == {"code": "B001", "title": get_rule("B001").title, "severity": "错误",
                               "units": 2, "findings": 2}


def test_rule_statistics_and_other_sheets(tmp_path: Path) -> None:
    out, _, _ = _write(tmp_path)
    book = CalamineWorkbook.from_path(str(out / "汇总表.xlsx"))
    assert book.sheet_names == ["汇总", "问题清单", "规则统计", "共性指标", "图表", "说明"]
    stats = book.get_sheet_by_name("规则统计").to_python()
    assert [line[0] for line in stats[1:]] == ["B001", "F001", "I009"]  # by findings desc, then code
    assert [line[4] for line in stats[1:]] == [2, 1, 1]
    chart = book.get_sheet_by_name("图表").to_python()
    counts = {line[0]: line[1] for line in chart if line and line[0] in ("优", "良", "中", "差", "未评分")}
    assert counts == {"优": 2, "良": 0, "中": 1, "差": 0, "未评分": 2}
    notes = "\n".join(str(c) for line in book.get_sheet_by_name("说明").to_python() for c in line)
    assert "cz-2020-10" in notes and "in/~$a.xlsx" in notes and "Office/WPS 锁定文件" in notes
    common = book.get_sheet_by_name("共性指标").to_python()
    assert [line[1] for line in common[1:]] == ["in/a.xlsx", "in/b.xlsx", "in/d.xlsx", "in/e.xlsx"]
    wb = openpyxl.load_workbook(out / "汇总表.xlsx")
    assert wb["汇总"].freeze_panes == f"C{SUMMARY_HEADER_ROW + 2}"
    assert wb["汇总"].auto_filter.ref
    assert wb["汇总"].conditional_formatting


def test_outputs_are_deterministic_apart_from_the_run_time(tmp_path: Path) -> None:
    import datetime as dt

    rows, details = _rows_and_details()
    when = dt.datetime(2024, 3, 1, tzinfo=dt.timezone.utc)
    for d in ("one", "two"):
        write_outputs(tmp_path / d, rank_rows(list(reversed(rows))) if d == "two" else rows,
                      iter_details((r, details[r.index]) for r in rows), RunInfo(inputs=["in"], started=when))
    for name in ("summary.json", "findings.csv"):
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes()
    for sheet in ("汇总", "问题清单", "规则统计", "共性指标", "图表", "说明"):
        assert _sheet(tmp_path / "one" / "汇总表.xlsx", sheet) == _sheet(tmp_path / "two" / "汇总表.xlsx", sheet)


def test_a_failing_writer_leaves_the_previous_outputs(tmp_path: Path) -> None:
    out, rows, details = _write(tmp_path)
    before = {p.name: p.read_bytes() for p in out.iterdir()}

    def broken(row: SummaryRow) -> UnitDetail:
        raise RuntimeError("spool lost")

    with pytest.raises(RuntimeError):
        write_outputs(out, rows, broken, RunInfo())
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


@pytest.mark.lo
def test_summary_opens_in_libreoffice(tmp_path: Path, soffice_convert: Callable[..., Path]) -> None:
    out, _, _ = _write(tmp_path / "out")
    pdf = soffice_convert(out / "汇总表.xlsx", "pdf", tmp_path / "pdf")
    assert pdf.stat().st_size > 1000


def test_non_finite_numbers_become_null_in_json(tmp_path: Path) -> None:
    rows = [SummaryRow(0, "x.xlsx", name="单位", total=80.0, status="通过", common={"预算执行率": float("nan")})]
    write_outputs(tmp_path, rows, lambda r: UnitDetail([], {"ratio": float("inf")}), RunInfo())
    unit = json.loads((tmp_path / "summary.json").read_text("utf-8"))["units"][0]
    assert unit["common"]["预算执行率"] is None and unit["score"]["ratio"] is None
