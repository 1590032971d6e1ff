"""``perfxl batch``: discovery, isolation of bad files, determinism, reruns, the CLI."""

from __future__ import annotations

import copy
import hashlib
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Callable

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from perfxl.batch import BatchOptions, Task, discover, is_lock_file, process_file, run_batch
from perfxl.check import CheckOptions, check_file
from perfxl.errors import UsageError
from perfxl.inputs import MARKER
from perfxl.rulebook import default_rulebook
from perfxl.summary import SUMMARY_HEADER_ROW

EVIL_NAME = '=HYPERLINK("http://x","x")'


# --- worker hooks (module level: the pool pickles them by name) ----------------------


def misbehaving_worker(task: Task) -> Any:
    """process_file, except for files named to hang, crash or raise."""
    name = Path(task.path).name
    if "hang" in name:
        time.sleep(120)
    if "crash" in name:
        os._exit(3)
    if "boom" in name:
        raise RuntimeError("boom in a rule")
    return process_file(task)


def hung_parser_worker(task: Task) -> Any:
    """process_file with a parser that hangs: the forked parser child writes its pid and
    its parent's (the worker's) next to the input, then sleeps."""
    import perfxl.read.grids as grids

    def hang(*a: Any, **k: Any) -> None:
        Path(task.abspath + ".pids").write_text(f"{os.getpid()} {os.getppid()}")
        time.sleep(60)

    real, grids.read_workbook_grids = grids.read_workbook_grids, hang
    try:
        return process_file(task)
    finally:  # with jobs=1 this runs in the test's own process
        grids.read_workbook_grids = real


def failing_second_pass_worker(task: Task) -> Any:
    """process_file, but writing the copy again with the cross-file findings fails."""
    if task.extra:
        raise OSError("disk full")
    return process_file(task)


# --- helpers ---------------------------------------------------------------------------


def _unit(seed: dict[str, Any], name: str, code17: str) -> dict[str, Any]:
    from stdnum.cn import uscc

    data = copy.deepcopy(seed)
    data["profile"]["name"] = name
    data["profile"]["credit_code"] = code17 + uscc.calc_check_digit(code17)
    return data


@pytest.fixture
def inbox(seed_data: dict[str, Any], make_xlsx: Callable[..., Path], tmp_path: Path) -> Path:
    """Two good workbooks (one named like a formula), one corrupt file, a lock file and a
    text file, in a folder with a subfolder."""
    make_xlsx(seed_data, name="inbox/桃源县科协.xlsx")
    make_xlsx(_unit(seed_data, EVIL_NAME, "12430725006431662"), name="inbox/sub/第二单位.xlsx")
    folder = tmp_path / "inbox"
    (folder / "损坏.xlsx").write_bytes(b"PK\x03\x04" + b"\x00" * 40)
    (folder / "~$桃源县科协.xlsx").write_bytes(b"\x00lock")
    (folder / "说明.txt").write_text("not a workbook", encoding="utf-8")
    return folder


def _hashes(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _summary_lines(out: Path) -> list[dict[str, Any]]:
    data = CalamineWorkbook.from_path(str(out / "汇总表.xlsx")).get_sheet_by_name("汇总").to_python()
    header = data[SUMMARY_HEADER_ROW]
    return [dict(zip(header, line)) for line in data[SUMMARY_HEADER_ROW + 1:]]


def _json_units(out: Path) -> list[dict[str, Any]]:
    return json.loads((out / "summary.json").read_text("utf-8"))["units"]


# --- discovery -------------------------------------------------------------------------


def test_lock_files_are_recognised() -> None:
    assert is_lock_file("~$单位.xlsx") and is_lock_file(".~lock.单位.xlsx#")
    assert not is_lock_file("单位.xlsx") and not is_lock_file(".~lock.单位.xlsx")


def test_discover_lists_workbooks_and_says_why_others_are_skipped(tmp_path: Path) -> None:
    root = tmp_path / "in"
    for rel in ("a.xlsx", "sub/b.XLSX", "sub/c.ods", "d.xls", "e.xlsm", "~$a.xlsx", ".~lock.a.xlsx#",
                "notes.txt", "._a.xlsx", ".git/x.xlsx", "out/annotated/a.xlsx", "noext"):
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(b"x")
    files, skipped = discover([root, root / "a.xlsx"], root / "out")
    assert [p.relative_to(root).as_posix() for p in files] == ["a.xlsx", "d.xls", "e.xlsm", "sub/b.XLSX", "sub/c.ods"]
    reasons = {Path(s.path).name: s.reason for s in skipped}
    assert "锁定文件" in reasons["~$a.xlsx"] and "锁定文件" in reasons[".~lock.a.xlsx#"]
    assert ".txt" in reasons["notes.txt"] and "无" in reasons["noext"]
    assert "macOS" in reasons["._a.xlsx"]
    assert "隐藏" in reasons[".git"] and "输出" in reasons["out"]
    with pytest.raises(UsageError):
        discover([root / "missing"])


# --- the batch ---------------------------------------------------------------------------


def test_batch_completes_around_a_corrupt_file_and_skips_the_lock_file(inbox: Path, tmp_path: Path) -> None:
    before = _hashes(inbox)
    out = tmp_path / "out"
    result = run_batch([inbox], out, BatchOptions(jobs=2))
    assert _hashes(inbox) == before  # inputs untouched
    assert result.exit_code == 1
    assert {Path(s.path).name for s in result.skipped} == {"~$桃源县科协.xlsx", "说明.txt"}
    by_file = {Path(r.path).name: r for r in result.rows}
    assert set(by_file) == {"桃源县科协.xlsx", "第二单位.xlsx", "损坏.xlsx"}
    bad = by_file["损坏.xlsx"]
    assert bad.status == "无法读取" and bad.rank is None and bad.annotated is None
    assert bad.note.startswith("F0")  # the reader's reason, with its code
    assert result.rows[-1] is bad  # unreadable files sort last
    assert sorted(p.name for p in (out / "annotated").iterdir()) == ["桃源县科协.xlsx", "第二单位.xlsx"]
    assert {p.name for p in out.iterdir()} == {"annotated", "汇总表.xlsx", "summary.json", "findings.csv", MARKER,
                                               ".perfxl"}

    # The summary's rows are the reports' figures.
    lines = {line["文件"]: line for line in _summary_lines(out)}
    for r in result.rows:
        line = lines[r.path]
        report = check_file(r.path, CheckOptions(default_rulebook()))
        assert line["状态"] == report.status_text()
        assert line["错误数"] == report.errors and line["警告数"] == report.warnings
        if report.score is not None and report.score.total is not None:
            assert line["复核得分"] == pytest.approx(report.score.total)
            assert line["复核等级"] == report.score.grade
            assert line["单位名称"] == report.unit.name
    assert "F0" in lines[bad.path]["说明"]
    notes = CalamineWorkbook.from_path(str(out / "汇总表.xlsx")).get_sheet_by_name("说明").to_python()
    assert any("~$桃源县科协.xlsx" in str(c) for line in notes for c in line)


def test_unit_text_stays_text_through_a_batch(inbox: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    run_batch([inbox], out, BatchOptions(jobs=1))
    assert EVIL_NAME in [line["单位名称"] for line in _summary_lines(out)]
    ws = openpyxl.load_workbook(out / "汇总表.xlsx")["汇总"]
    cells = [c for row in ws.iter_rows() for c in row if c.value == EVIL_NAME]
    assert cells and all(c.data_type == "s" for c in cells)
    copy_ = openpyxl.load_workbook(out / "annotated" / "第二单位.xlsx")
    name_cells = [c for row in copy_["基本信息"].iter_rows() for c in row if c.value == EVIL_NAME]
    assert name_cells and all(c.data_type == "s" for c in name_cells)
    csv_units = (out / "findings.csv").read_text("utf-8-sig")
    assert f"\n{EVIL_NAME}" not in csv_units and f'\n"{EVIL_NAME}' not in csv_units


def test_two_runs_and_any_job_count_give_the_same_outputs(inbox: Path, tmp_path: Path) -> None:
    run_batch([inbox], tmp_path / "a", BatchOptions(jobs=2))
    run_batch([inbox], tmp_path / "b", BatchOptions(jobs=1))
    run_batch([inbox], tmp_path / "c", BatchOptions(jobs=2))
    a, b, c = (tmp_path / d for d in "abc")
    assert _summary_lines(a) == _summary_lines(b) == _summary_lines(c)
    assert _json_units(a) == _json_units(b) == _json_units(c)
    assert (a / "findings.csv").read_bytes() == (b / "findings.csv").read_bytes() == (c / "findings.csv").read_bytes()
    assert sorted(p.name for p in (a / "annotated").iterdir()) == sorted(p.name for p in (b / "annotated").iterdir())


def test_rerun_replaces_outputs_and_drops_stale_copies(inbox: Path, tmp_path: Path) -> None:
    out = inbox / "结果"  # inside the input folder: a rerun must not read its own outputs
    first = run_batch([inbox], out, BatchOptions(jobs=1))
    (inbox / "sub" / "第二单位.xlsx").unlink()
    second = run_batch([inbox], out, BatchOptions(jobs=1))
    assert len(second.rows) == len(first.rows) - 1
    assert [p.name for p in (out / "annotated").iterdir()] == ["桃源县科协.xlsx"]
    assert sorted(p.name for p in out.iterdir()) == sorted([".perfxl", "annotated", "汇总表.xlsx", "summary.json",
                                                            "findings.csv", MARKER])
    assert any("输出" in s.reason for s in second.skipped)
    assert len(_summary_lines(out)) == 2


def test_output_into_the_input_folder_itself(inbox: Path) -> None:
    first = run_batch([inbox], inbox, BatchOptions(jobs=1))
    second = run_batch([inbox], inbox, BatchOptions(jobs=1))
    assert [r.path for r in second.rows] == [r.path for r in first.rows]
    reasons = {Path(s.path).name: s.reason for s in second.skipped}
    # one line for the outputs the first run marked, naming them
    assert "输出" in reasons[inbox.name] and "annotated/" in reasons[inbox.name] and "汇总表.xlsx" in reasons[inbox.name]


def test_same_file_names_in_two_folders_get_unique_copies(seed_data: dict[str, Any], make_xlsx: Callable[..., Path],
                                                          tmp_path: Path) -> None:
    make_xlsx(seed_data, name="in/a/自评表.xlsx")
    make_xlsx(_unit(seed_data, "第二单位", "12430725006431662"), name="in/b/自评表.xlsx")
    result = run_batch([tmp_path / "in"], tmp_path / "out", BatchOptions(jobs=1))
    assert sorted(r.annotated for r in result.rows) == ["annotated/自评表.xlsx", "annotated/自评表_2.xlsx"]
    by_copy = {r.annotated: r.path for r in result.rows}
    assert Path(by_copy["annotated/自评表.xlsx"]).parent.name == "a"  # suffixes follow the sorted input order


@pytest.mark.slow
def test_a_hung_crashed_or_raising_worker_costs_only_its_file(inbox: Path, tmp_path: Path) -> None:
    good = inbox / "桃源县科协.xlsx"
    for name in ("hang.xlsx", "crash.xlsx", "boom.xlsx"):
        (inbox / name).write_bytes(good.read_bytes())
    started = time.monotonic()
    result = run_batch([inbox], tmp_path / "out", BatchOptions(jobs=2, timeout=3, worker=misbehaving_worker))
    assert time.monotonic() - started < 60
    by_file = {Path(r.path).name: r for r in result.rows}
    assert by_file["hang.xlsx"].status == "无法读取" and "F901" in by_file["hang.xlsx"].note
    assert by_file["crash.xlsx"].status == "无法读取" and "F902" in by_file["crash.xlsx"].note
    assert "code 3" in by_file["crash.xlsx"].note
    assert by_file["boom.xlsx"].status == "无法读取" and "boom in a rule" in by_file["boom.xlsx"].note
    assert by_file["桃源县科协.xlsx"].status == "通过"
    assert by_file["第二单位.xlsx"].annotated is not None
    codes = [u["findings"][0]["code"] for u in _json_units(tmp_path / "out") if Path(u["path"]).name == "hang.xlsx"]
    assert codes == ["F901"]


def test_in_process_run_enforces_the_time_limit(tmp_path: Path, seed_data: dict[str, Any],
                                                make_xlsx: Callable[..., Path]) -> None:
    make_xlsx(seed_data, name="in/ok.xlsx")
    make_xlsx(seed_data, name="in/hang.xlsx")
    result = run_batch([tmp_path / "in"], tmp_path / "out", BatchOptions(jobs=1, timeout=1, worker=misbehaving_worker))
    by_file = {Path(r.path).name: r for r in result.rows}
    assert "F901" in by_file["hang.xlsx"].note
    assert by_file["ok.xlsx"].status in ("通过", "需修改") and by_file["ok.xlsx"].total is not None


def test_the_same_unit_twice_is_a_batch_finding(seed_data: dict[str, Any], make_xlsx: Callable[..., Path],
                                                tmp_path: Path) -> None:
    make_xlsx(seed_data, name="in/一.xlsx")
    make_xlsx(seed_data, name="in/二.xlsx")
    make_xlsx(_unit(seed_data, "第二单位", "12430725006431662"), name="in/三.xlsx")
    result = run_batch([tmp_path / "in"], tmp_path / "out", BatchOptions(jobs=2))
    by_file = {Path(r.path).name: r for r in result.rows}
    assert by_file["一.xlsx"].status == by_file["二.xlsx"].status == "需修改"
    assert by_file["三.xlsx"].status == "通过"
    units = {Path(u["path"]).name: u for u in _json_units(tmp_path / "out")}
    assert "X001" in [f["code"] for f in units["一.xlsx"]["findings"]]
    assert "X001" not in [f["code"] for f in units["三.xlsx"]["findings"]]
    assert units["一.xlsx"]["errors"] == sum(f["severity"] == "error" for f in units["一.xlsx"]["findings"])
    assert "X001" in (tmp_path / "out" / "findings.csv").read_text("utf-8-sig")
    # The annotated copies of the flagged files show the cross-file finding too; the other's does not.
    import openpyxl

    from perfxl.annotate import FINDINGS_SHEET
    from perfxl.spec import PROFILE

    for name, flagged in (("一", True), ("二", True), ("三", False)):
        wb = openpyxl.load_workbook(tmp_path / "out" / "annotated" / f"{name}.xlsx")
        listed = [wb[FINDINGS_SHEET].cell(r, 3).value for r in range(6, wb[FINDINGS_SHEET].max_row + 1)]
        assert ("X001" in listed) is flagged, (name, listed)
        comment = wb[PROFILE.name][PROFILE.cell("credit_code")].comment
        assert (comment is not None and "X001" in comment.text) is flagged


def _gone(pid: int, within: float = 5.0) -> bool:
    """True when process ``pid`` has ended (or is a zombie waiting for init) within ``within`` s."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            with open(f"/proc/{pid}/stat") as fh:
                if fh.read().rsplit(")", 1)[1].split()[0] == "Z":
                    return True
        except FileNotFoundError:
            return True
        time.sleep(0.1)
    return False


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc").is_dir() or not hasattr(os, "fork"), reason="needs /proc and fork")
@pytest.mark.parametrize("jobs", [1, 2])
def test_no_process_outlives_a_batch_with_a_hung_parser(tmp_path: Path, jobs: int) -> None:
    """The worker killed on time-out (jobs 2) or the time limit raised in this process
    (jobs 1) takes the forked xls parser with it: no perfxl process is left behind."""
    xls = Path(__file__).parent / "data" / "formats" / "000_桃源县科学技术协会.xls"
    (tmp_path / "in").mkdir()
    src = tmp_path / "in" / "hang.xls"
    src.write_bytes(xls.read_bytes())
    started = time.monotonic()
    result = run_batch([src], tmp_path / "out", BatchOptions(jobs=jobs, timeout=3, worker=hung_parser_worker))
    assert time.monotonic() - started < 30
    assert result.rows[0].note.startswith("F901"), result.rows[0].note
    parser, worker = map(int, Path(str(src) + ".pids").read_text().split())
    assert _gone(parser), f"parser process {parser} outlived the batch"
    if jobs > 1:
        assert _gone(worker), f"worker process {worker} outlived the batch"


def test_a_copy_that_cannot_be_written_says_so(seed_data: dict[str, Any], make_xlsx: Callable[..., Path],
                                               tmp_path: Path) -> None:
    """The same unit twice: each copy is written once, with X001; when writing it fails the
    file carries an F903 naming why, the summary keeps X001, and no copy stands for it —
    never silence."""
    make_xlsx(seed_data, name="in/一.xlsx")
    make_xlsx(seed_data, name="in/二.xlsx")
    result = run_batch([tmp_path / "in"], tmp_path / "out", BatchOptions(jobs=1, worker=failing_second_pass_worker))
    for unit in _json_units(tmp_path / "out"):
        found = {f["code"]: f for f in unit["findings"]}
        assert "X001" in found and "F903" in found, unit["path"]
        assert "disk full" in found["F903"]["message"]
    assert all(r.warnings >= 1 and r.annotated is None for r in result.rows)
    assert not list((tmp_path / "out" / "annotated").glob("*.xlsx"))


def test_each_copy_is_written_once_whatever_the_cross_file_rules_flag(seed_data: dict[str, Any],
                                                                     make_xlsx: Callable[..., Path],
                                                                     tmp_path: Path) -> None:
    """Every file flagged across files (here all: the same unit three times) still gets one
    copy written, by one call of the worker that writes copies — checked first, annotated
    after the cross-file rules."""
    for k in range(3):
        make_xlsx(seed_data, name=f"in/v{k}.xlsx")
    written: list[str] = []
    result = run_batch([tmp_path / "in"], tmp_path / "out", BatchOptions(jobs=1, worker=_counting_worker(written)))
    assert sorted(written) == sorted(str((tmp_path / "in" / f"v{k}.xlsx").resolve()) for k in range(3))
    assert all(r.annotated for r in result.rows)
    from perfxl.annotate import FINDINGS_SHEET

    for k in range(3):
        ws = openpyxl.load_workbook(tmp_path / "out" / "annotated" / f"v{k}.xlsx")[FINDINGS_SHEET]
        assert "X001" in [ws.cell(r, 3).value for r in range(6, ws.max_row + 1)]


def _saving_again_worker(task: Task) -> Any:
    """process_file; after checking 改.xlsx (the first pass) the clerk saves it again,
    unchanged: a new modification time."""
    result = process_file(task)
    if task.annotated_dest is None and Path(task.abspath).name == "改.xlsx":
        st = os.stat(task.abspath)
        os.utime(task.abspath, ns=(st.st_atime_ns, st.st_mtime_ns + 5_000_000_000))
    return result


def test_a_file_changed_between_its_check_and_its_copy_is_named(seed_data: dict[str, Any],
                                                              make_xlsx: Callable[..., Path], tmp_path: Path) -> None:
    """F905 fires for the file saved again while the batch ran — the copy is still written,
    and the finding says the summary and the copy may show two versions — and stays
    quiet for the file nobody touched."""
    make_xlsx(_unit(seed_data, "示例县甲单位", "12430725006431662"), name="in/改.xlsx")
    make_xlsx(_unit(seed_data, "示例县乙单位", "12430725006431670"), name="in/未改.xlsx")
    result = run_batch([tmp_path / "in"], tmp_path / "out", BatchOptions(jobs=1, worker=_saving_again_worker))
    by_name = {Path(u["path"]).name: {f["code"]: f for f in u["findings"]} for u in _json_units(tmp_path / "out")}
    assert "F905" in by_name["改.xlsx"] and "F905" not in by_name["未改.xlsx"]
    f905 = by_name["改.xlsx"]["F905"]
    assert f905["severity"] == "warning" and "修改时间" in f905["message"] and "改动" in f905["message"]
    assert all(r.annotated for r in result.rows)  # the copy is written all the same


def test_no_file_is_said_to_have_changed_when_none_did(seed_data: dict[str, Any], make_xlsx: Callable[..., Path],
                                                       tmp_path: Path) -> None:
    for k in range(2):
        make_xlsx(seed_data, name=f"in/v{k}.xlsx")
    run_batch([tmp_path / "in"], tmp_path / "out", BatchOptions(jobs=2))
    units = _json_units(tmp_path / "out")
    assert units and not [f for u in units for f in u["findings"] if f["code"] == "F905"]


def _counting_worker(written: list[str]) -> Callable[[Task], Any]:
    def worker(task: Task) -> Any:
        if task.annotated_dest:
            written.append(task.abspath)
        return process_file(task)

    return worker


def test_copies_are_written_again_by_the_workers_not_here(seed_data: dict[str, Any], make_xlsx: Callable[..., Path],
                                                          tmp_path: Path, monkeypatch) -> None:
    """Resubmissions (v1, v2, v3 …) are re-annotated in the worker pool, in parallel: the
    batch stays linear in time and this process's memory never holds a workbook."""
    import perfxl.annotate

    for k in range(4):
        make_xlsx(seed_data, name=f"in/v{k}.xlsx")

    def not_here(*a: Any, **k: Any) -> None:
        raise AssertionError("annotate called in the batch's own process")

    monkeypatch.setattr(perfxl.annotate, "annotate", not_here)
    run_batch([tmp_path / "in"], tmp_path / "out", BatchOptions(jobs=2))
    from perfxl.annotate import FINDINGS_SHEET

    for k in range(4):
        ws = openpyxl.load_workbook(tmp_path / "out" / "annotated" / f"v{k}.xlsx")[FINDINGS_SHEET]
        assert "X001" in [ws.cell(r, 3).value for r in range(6, ws.max_row + 1)]
    assert not any(f["code"] == "F903" for u in _json_units(tmp_path / "out") for f in u["findings"])


def test_a_unit_sent_many_times_names_a_few_copies_not_all(seed_data: dict[str, Any],
                                                           make_xlsx: Callable[..., Path]) -> None:
    """Each X001 names at most three other copies and counts the rest: the findings of a
    unit sent n times grow as n, not n²."""
    from perfxl.check import check_files

    paths = [make_xlsx(seed_data, name=f"copies/v{k:02d}.xlsx") for k in range(12)]
    report = check_files(paths, CheckOptions(default_rulebook()))
    x001 = [f for fr in report.files for f in fr.findings if f.code == "X001"]
    assert len(x001) == 12
    for f in x001:
        assert f.message("zh").count(".xlsx") == 3 and "等另 8 个文件" in f.message("zh")
        assert "and 8 more" in f.message("en")
    two = check_files(paths[:2], CheckOptions(default_rulebook()))
    assert "v01.xlsx" in [f for f in two.files[0].findings if f.code == "X001"][0].message("zh")


def test_a_custom_rulebook_is_used_and_named(inbox: Path, tmp_path: Path) -> None:
    from perfxl.rulebook import load_rulebook

    custom = tmp_path / "rules.toml"
    custom.write_text('[rulebook]\nid = "county-2024"\nname = "某县规则"\n[grades]\n"优" = 99\n"良" = 98\n"中" = 60\n',
                      encoding="utf-8")
    out = tmp_path / "out"
    result = run_batch([inbox], out, BatchOptions(jobs=1, rulebook=load_rulebook(custom)))
    doc = json.loads((out / "summary.json").read_text("utf-8"))
    assert doc["rulebook"] == {"id": "county-2024", "name": "某县规则"}
    graded = [r for r in result.rows if r.total is not None]
    assert graded and all(r.grade == ("优" if r.total >= 99 else "良" if r.total >= 98 else "中")
                          for r in graded if r.total >= 60)


def test_a_worker_sends_back_a_compact_result(inbox: Path, tmp_path: Path) -> None:
    import pickle

    src = inbox / "桃源县科协.xlsx"
    task = Task(index=0, path=str(src), abspath=str(src), annotated_dest=str(tmp_path / "c.xlsx"),
                annotated_rel="annotated/c.xlsx", options=CheckOptions(default_rulebook()), timeout=None)
    result = process_file(task)
    data = pickle.dumps(result)
    assert b"perfxl.model" not in data  # no Unit, Field or Indicator travels back
    assert len(data) < 50_000
    assert result.row.annotated == "annotated/c.xlsx" and (tmp_path / "c.xlsx").is_file()
    assert result.detail.score is not None and result.detail.score["total"] == result.row.total


def test_progress_is_reported_for_every_file(inbox: Path, tmp_path: Path) -> None:
    seen: list[tuple[int, int]] = []
    run_batch([inbox], tmp_path / "out", BatchOptions(jobs=2, progress=lambda ev: seen.append((ev.done, ev.total))))
    assert seen == [(1, 3), (2, 3), (3, 3)]


def test_usage_errors(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "a.txt").write_text("x")
    with pytest.raises(UsageError):
        run_batch([tmp_path / "empty"], tmp_path / "out")
    with pytest.raises(UsageError):
        run_batch([tmp_path / "nope"], tmp_path / "out")
    with pytest.raises(UsageError):
        run_batch([tmp_path / "empty"], tmp_path / "out", BatchOptions(jobs=0))
    assert not (tmp_path / "out").exists()


# --- the command line --------------------------------------------------------------------


def _cli(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "perfxl", "batch", *map(str, args)], cwd=cwd,
                          capture_output=True, text=True, timeout=300)


def test_cli_exit_codes_and_outputs(inbox: Path, tmp_path: Path, seed_data: dict[str, Any],
                                    make_xlsx: Callable[..., Path]) -> None:
    clean = make_xlsx(seed_data, name="clean/自评表.xlsx").parent
    ok = _cli(clean, "-o", tmp_path / "o0", "--jobs", "1", cwd=tmp_path)
    assert ok.returncode == 0, ok.stderr
    for name in ("汇总表.xlsx", "summary.json", "findings.csv", "annotated/自评表.xlsx"):
        assert (tmp_path / "o0" / name).is_file()
    assert "通过 1" in ok.stdout

    failing = _cli(inbox, "-o", tmp_path / "o1", cwd=tmp_path)
    assert failing.returncode == 1, failing.stderr
    assert "无法读取 1" in failing.stdout and "~$桃源县科协.xlsx" in failing.stderr

    assert _cli(inbox, cwd=tmp_path).returncode == 2  # -o is required
    missing = _cli(tmp_path / "nope", "-o", tmp_path / "o2", cwd=tmp_path)
    assert missing.returncode == 2 and "nope" in missing.stderr
    assert _cli(inbox, "-o", tmp_path / "o3", "--jobs", "0", cwd=tmp_path).returncode == 2
    assert not (tmp_path / "o2").exists() and not (tmp_path / "o3").exists()


@pytest.mark.lo
def test_batch_outputs_open_in_libreoffice(inbox: Path, tmp_path: Path, soffice_convert: Callable[..., Path]) -> None:
    out = tmp_path / "out"
    run_batch([inbox], out, BatchOptions(jobs=2))
    csv_out = soffice_convert(out / "汇总表.xlsx", "csv:Text - txt - csv (StarCalc):44,34,76", tmp_path / "lo")
    text = csv_out.read_text("utf-8", errors="replace")
    assert "桃源县科学技术协会" in text
    pdf = soffice_convert(out / "annotated" / "第二单位.xlsx", "pdf", tmp_path / "lo")
    assert pdf.stat().st_size > 1000


@pytest.mark.slow
def test_a_worker_pool_serves_threads_and_survives_hung_and_crashing_files(tmp_path: Path, seed_data: dict[str, Any],
                                                                           make_xlsx: Callable[..., Path]) -> None:
    from concurrent.futures import ThreadPoolExecutor

    from perfxl.batch import WorkerPool

    good = make_xlsx(seed_data, name="ok.xlsx")
    options = CheckOptions(default_rulebook())

    def task(name: str, i: int) -> Task:
        return Task(index=i, path=name, abspath=str(good), annotated_dest=str(tmp_path / f"a{i}.xlsx"),
                    annotated_rel=f"a{i}.xlsx", options=options, timeout=3)

    pool = WorkerPool(2, misbehaving_worker)
    try:
        names = ["ok.xlsx", "hang.xlsx", "ok.xlsx", "crash.xlsx", "ok.xlsx", "ok.xlsx"]
        started = time.monotonic()
        with ThreadPoolExecutor(6) as ex:
            results = list(ex.map(lambda a: pool.run(task(*a)), [(n, i) for i, n in enumerate(names)]))
        assert time.monotonic() - started < 30
        codes = [r.row.note.split()[0] if r.row.status == "无法读取" else r.row.status for r in results]
        assert codes == ["通过", "F901", "通过", "F902", "通过", "通过"]
        assert all((tmp_path / f"a{i}.xlsx").exists() for i, n in enumerate(names) if n == "ok.xlsx")
        assert pool.run(task("ok.xlsx", 9)).row.status == "通过"  # the pool still works after both
    finally:
        pool.close()
    with pytest.raises(RuntimeError):
        pool.run(task("ok.xlsx", 10))


def test_a_worker_gone_before_its_task_is_sent_costs_only_that_task(inbox: Path) -> None:
    """Sending a task to a worker that has died raises nothing: the task is reported as
    having died with it (F90x), and the worker is replaced."""
    from multiprocessing.connection import wait

    from perfxl.batch import _mp_context, _Worker

    src = inbox / "桃源县科协.xlsx"
    task = Task(index=0, path=str(src), abspath=str(src), annotated_dest=None, annotated_rel=None,
                options=CheckOptions(default_rulebook()), timeout=30)
    w = _Worker(_mp_context(), process_file)
    w.proc.kill()
    w.proc.join(timeout=10)
    w.give(task)
    ready = set(wait([w.conn, w.proc.sentinel], timeout=10))
    result, replace = w.outcome(ready, time.monotonic())
    assert replace and result is not None
    assert result.row.status == "无法读取"
    f = result.detail.findings[0]
    assert f.code == "F902" and "before the file was sent" in f.message("en")
