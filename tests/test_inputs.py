"""Which files a run reads (perfxl.inputs): ``check`` takes folders like ``batch``, a
missing path says so, a lock file never fails a run, perfxl's own outputs are never
inputs."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from _cli import run as cli

from perfxl.batch import BatchOptions, run_batch
from perfxl.check import CheckOptions, check_paths
from perfxl.inputs import MARKER, InputNotFound, discover
from perfxl.rulebook import default_rulebook

SAMPLES = Path(__file__).resolve().parent.parent / "samples"


@pytest.fixture
def inbox(tmp_path: Path) -> Path:
    """Three sample workbooks (one with an error) in a folder and a subfolder, with a lock
    file, a text file and a hidden folder beside them."""
    folder = tmp_path / "in2"
    (folder / "sub").mkdir(parents=True)
    shutil.copy(SAMPLES / "000_桃源县科学技术协会.xlsx", folder)
    shutil.copy(SAMPLES / "007_示例县司法局.xlsx", folder / "sub")
    shutil.copy(SAMPLES / "009_示例县人力资源和社会保障局.xlsx", folder / "sub")
    (folder / "~$007_示例县司法局.xlsx").write_bytes(b"\x00lock")
    (folder / "说明.txt").write_text("not a workbook", encoding="utf-8")
    (folder / ".git").mkdir()
    (folder / ".git" / "x.xlsx").write_bytes(b"x")
    return folder


def test_check_takes_a_folder_recursively(inbox: Path, monkeypatch, capsys) -> None:
    rc, out, err = cli(monkeypatch, capsys, "check", inbox, "--format", "json")
    assert rc == 1  # 009 has an error
    got = json.loads(out)
    assert [Path(f["path"]).name for f in got["files"]] == [
        "000_桃源县科学技术协会.xlsx", "007_示例县司法局.xlsx", "009_示例县人力资源和社会保障局.xlsx"]
    assert {Path(s["path"]).name for s in got["skipped"]} == {"~$007_示例县司法局.xlsx", "说明.txt", ".git"}
    # one line per skipped path, on stderr, saying why
    assert "跳过" in err and "锁定文件" in err and "不是电子表格" in err and "隐藏文件夹" in err
    assert got == check_paths([inbox], CheckOptions(default_rulebook())).to_dict("zh")


def test_check_text_output_ends_with_the_totals(inbox: Path, monkeypatch, capsys) -> None:
    rc, out, _ = cli(monkeypatch, capsys, "check", inbox)
    assert rc == 1
    assert out.strip().splitlines()[-1] == "共 3 个文件：通过 2，需修改 1，无法读取 0；跳过 3 个"


@pytest.mark.parametrize("command", [["check"], ["score"], ["batch", "-o", "OUT"]])
def test_a_missing_path_says_so_in_every_command(command: list[str], tmp_path: Path, monkeypatch, capsys) -> None:
    args = [str(tmp_path / "out") if a == "OUT" else a for a in command]
    rc, out, err = cli(monkeypatch, capsys, *args[:1], "nosuch.xlsx", *args[1:])
    assert rc == 2 and out == ""
    assert err.strip() == "错误 [E001] 找不到输入 nosuch.xlsx（文件或文件夹不存在）"
    rc, _, err = cli(monkeypatch, capsys, *args[:1], "nosuch.xlsx", *args[1:], "--lang", "en")
    assert rc == 2 and err.strip() == "error [E001] input not found: nosuch.xlsx (no such file or folder)"
    assert not (tmp_path / "out").exists()


def test_every_missing_path_is_named_at_once(tmp_path: Path) -> None:
    with pytest.raises(InputNotFound) as e:
        discover([tmp_path / "a.xlsx", SAMPLES, tmp_path / "b"])
    assert e.value.paths == [str(tmp_path / "a.xlsx"), str(tmp_path / "b")]


def test_a_lock_file_never_fails_the_run(inbox: Path, monkeypatch, capsys) -> None:
    good = inbox / "000_桃源县科学技术协会.xlsx"
    rc, out, err = cli(monkeypatch, capsys, "check", good, inbox / "~$007_示例县司法局.xlsx")
    assert rc == 0, out  # the clean workbook decides; the lock file is only skipped
    assert "跳过" in err and "~$007_示例县司法局.xlsx" in err
    assert out.strip().splitlines()[-1].startswith("可以提交")


def test_only_skipped_files_is_a_usage_error(inbox: Path, monkeypatch, capsys) -> None:
    rc, out, err = cli(monkeypatch, capsys, "check", inbox / "~$007_示例县司法局.xlsx", inbox / "说明.txt")
    assert rc == 2 and out == ""
    assert "没有找到可处理的工作簿" in err and "跳过 2 个" in err


def test_own_outputs_are_never_inputs(inbox: Path, monkeypatch, capsys) -> None:
    first = run_batch([inbox], inbox / "结果", BatchOptions(jobs=1))
    assert len(first.rows) == 3
    marker = json.loads((inbox / "结果" / MARKER).read_text("utf-8"))
    # .perfxl/ holds the published sets (perfxl.publish); the other names are links into it
    assert set(marker["outputs"]) == {"汇总表.xlsx", "summary.json", "findings.csv", "annotated/", ".perfxl/"}

    # A second run into another folder inside the input: the first run's outputs are
    # skipped with one line, so no annotated copy is read as a unit (no X001) and
    # 汇总表.xlsx is not called "not this template".
    rc, out, err = cli(monkeypatch, capsys, "batch", inbox, "-o", inbox / "第二次", "-j", "1")
    assert rc == 1  # 009's error
    second = json.loads((inbox / "第二次" / "summary.json").read_text("utf-8"))
    assert sorted(u["path"] for u in second["units"]) == sorted(r.path for r in first.rows)
    codes = {f["code"] for u in second["units"] for f in u["findings"]}
    assert not codes & {"X001", "X002", "F022"}
    own = [line for line in err.splitlines() if "结果" in line]
    assert len(own) == 1 and "perfxl 上次运行的输出" in own[0]

    # check skips them the same way, wherever they lie, even named one by one
    rc, out, err = cli(monkeypatch, capsys, "check", inbox / "结果" / "annotated", inbox / "结果" / "汇总表.xlsx",
                       "--format", "json")
    assert rc == 2 and out == ""  # nothing left to check
    assert "perfxl 上次运行的输出" in err
    files, skipped = discover([inbox])
    assert len(files) == 3
    assert sorted(Path(s.path).name for s in skipped if "perfxl" in s.reason) == ["第二次", "结果"]


def test_output_folder_inside_its_own_input_folder(inbox: Path) -> None:
    first = run_batch([inbox], inbox, BatchOptions(jobs=1))
    second = run_batch([inbox], inbox, BatchOptions(jobs=1))
    assert [r.path for r in second.rows] == [r.path for r in first.rows]
    own = [s for s in second.skipped if "perfxl" in s.reason]
    assert len(own) == 1 and "annotated/" in own[0].reason and "汇总表.xlsx" in own[0].reason
    # the workbooks beside the outputs are still read
    assert len(second.rows) == 3


def test_a_damaged_marker_still_marks_the_folder(inbox: Path) -> None:
    out = inbox / "old"
    (out / "annotated").mkdir(parents=True)
    shutil.copy(SAMPLES / "007_示例县司法局.xlsx", out / "annotated")
    (out / MARKER).write_text("{not json", encoding="utf-8")
    files, skipped = discover([inbox])
    assert all("old" not in str(p) for p in files)
    assert any(Path(s.path).name == "old" for s in skipped)
