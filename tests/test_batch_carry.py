"""The batch checks each file once: the copy pass takes the check pass's reports
(``Task.carry_in``) — unless the file changed in between, or the kept reports cannot be
read, when it checks the file again."""

from __future__ import annotations

import gc
import os
from pathlib import Path
from typing import Any, Callable

import openpyxl
import pytest

import perfxl.check
from perfxl import gctune
from perfxl.batch import BatchOptions, Task, process_file, run_batch


@pytest.fixture
def checks(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The files perfxl.check.check_file_units was called on, in order."""
    seen: list[str] = []
    real = perfxl.check.check_file_units

    def counting(path: Any, options: Any) -> Any:
        seen.append(Path(path).name)
        return real(path, options)

    monkeypatch.setattr(perfxl.check, "check_file_units", counting)
    return seen


def _findings_codes(path: Path) -> list[str]:
    from perfxl.annotate import FINDINGS_SHEET

    ws = openpyxl.load_workbook(path)[FINDINGS_SHEET]
    return [ws.cell(r, 3).value for r in range(6, ws.max_row + 1)]


def test_each_file_is_checked_once(seed_data: dict[str, Any], make_xlsx: Callable[..., Path], tmp_path: Path,
                                   checks: list[str]) -> None:
    for k in range(3):  # the same unit three times: every copy carries X001 as well
        make_xlsx(seed_data, name=f"in/v{k}.xlsx")
    result = run_batch([tmp_path / "in"], tmp_path / "out", BatchOptions(jobs=1))
    assert sorted(checks) == ["v0.xlsx", "v1.xlsx", "v2.xlsx"]
    assert all(r.annotated for r in result.rows)
    for k in range(3):
        assert "X001" in _findings_codes(tmp_path / "out" / "annotated" / f"v{k}.xlsx")
    # What the check pass kept is gone with the run: nothing of it is published.
    assert not [p for p in (tmp_path / "out").rglob("*") if ".carry" in p.parts or p.suffix == ".pickle"]


def _rewriting_worker(replacement: Path) -> Callable[[Task], Any]:
    """process_file; after the check pass read 改.xlsx, the clerk saves another version."""
    def worker(task: Task) -> Any:
        result = process_file(task)
        target = Path(task.abspath)
        if task.annotated_dest is None and target.name == "改.xlsx":
            st = os.stat(target)
            target.write_bytes(replacement.read_bytes())
            os.utime(target, ns=(st.st_atime_ns, st.st_mtime_ns + 5_000_000_000))
        return result

    return worker


def test_a_file_changed_after_its_check_is_checked_again_for_its_copy(seed_data: dict[str, Any],
                                                                      make_xlsx: Callable[..., Path],
                                                                      tmp_path: Path, checks: list[str]) -> None:
    make_xlsx(seed_data, name="in/改.xlsx")
    make_xlsx(seed_data, name="in/未改.xlsx")
    broken = dict(seed_data, profile=dict(seed_data["profile"], name=""))  # the new version lacks its name
    newer = make_xlsx(broken, name="newer.xlsx")
    run_batch([tmp_path / "in"], tmp_path / "out", BatchOptions(jobs=1, worker=_rewriting_worker(newer)))
    assert sorted(checks) == ["改.xlsx", "改.xlsx", "未改.xlsx"]
    import json

    units = json.loads((tmp_path / "out" / "summary.json").read_text(encoding="utf-8"))["units"]
    f905 = {Path(u["path"]).name for u in units for f in u["findings"] if f["code"] == "F905"}
    assert f905 == {"改.xlsx"}
    changed = _findings_codes(tmp_path / "out" / "annotated" / "改.xlsx")
    # The copy shows the file as it is now: its own check of the new version.
    from perfxl.check import CheckOptions
    from perfxl.rulebook import default_rulebook

    opts = CheckOptions(default_rulebook())
    now = {f.code for f in perfxl.check.check_file_units(tmp_path / "in" / "改.xlsx", opts)[0].findings}
    then = {f.code for f in perfxl.check.check_file_units(tmp_path / "in" / "未改.xlsx", opts)[0].findings}
    assert now - then and (now - then) <= set(changed)


def _spoiling_worker(task: Task) -> Any:
    """process_file; the copy pass finds what the check pass kept cut short."""
    if task.carry_in is not None and Path(task.abspath).name == "坏.xlsx":
        data = Path(task.carry_in).read_bytes()
        Path(task.carry_in).write_bytes(data[: len(data) // 2])
    return process_file(task)


def test_kept_reports_that_cannot_be_read_mean_a_second_check(seed_data: dict[str, Any],
                                                             make_xlsx: Callable[..., Path], tmp_path: Path,
                                                             checks: list[str]) -> None:
    make_xlsx(seed_data, name="in/坏.xlsx")
    make_xlsx(dict(seed_data, profile=dict(seed_data["profile"], name="示例县乙单位")), name="in/好.xlsx")
    result = run_batch([tmp_path / "in"], tmp_path / "out", BatchOptions(jobs=1, worker=_spoiling_worker))
    assert sorted(checks) == ["坏.xlsx", "坏.xlsx", "好.xlsx"]
    assert all(r.annotated for r in result.rows)
    codes = _findings_codes(tmp_path / "out" / "annotated" / "坏.xlsx")
    assert not {"F902", "F903"} & set(codes)


# -------------------------------------------------------------- the collector, per file


def test_one_file_turns_the_collector_off_in_perfxls_own_process(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(gctune, "_owned", True)
    assert gc.isenabled()
    with gctune.one_file():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_one_file_leaves_a_callers_process_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(gctune, "_owned", False)  # the library in someone else's program
    with gctune.one_file():
        assert gc.isenabled()
    gc.disable()  # a caller who turned it off keeps it off
    try:
        monkeypatch.setattr(gctune, "_owned", True)
        with gctune.one_file():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_one_file_turns_the_collector_back_on_after_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(gctune, "_owned", True)
    with pytest.raises(KeyError), gctune.one_file():
        raise KeyError("a file's failure")
    assert gc.isenabled()
