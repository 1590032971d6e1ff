"""Nothing lost (issue 6): inputs are never modified, and outputs are never half-written.

* ``perfxl check``, ``perfxl score`` and ``perfxl batch`` leave every input byte-identical
  (sha256, size and mtime) and add nothing to the input folder — also when the folder
  holds a corrupt workbook, Office/LibreOffice lock files and other files.
* A batch killed with SIGKILL (its whole process group: the parent, the forkserver and
  the workers) at any moment leaves only complete files under their final names; the
  temporary files and folders it may leave are the documented ones (hidden: a leading
  ``.``; :mod:`perfxl.safe` temps ``.<stem>.<hex>.tmp<suffix>``, a run's folder under
  ``.perfxl/runs/`` that was not published).  A rerun over the same output folder
  completes and leaves exactly the expected outputs — no stale copy, no leftover run.
* The outputs are published as one set (:mod:`perfxl.publish`): killed at each step of
  publishing, the folder shows the whole old set or the whole new one, never a mix; a
  file someone put into ``annotated/`` survives every rerun.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
SEED = "000_桃源县科学技术协会.xlsx"
OUTPUTS = {"汇总表.xlsx", "summary.json", "findings.csv", ".perfxl-output.json"}  # the summary files and the marker (README)
# Temporary names the batch may leave after a kill: perfxl.safe's hidden temp files and
# the runs perfxl.publish keeps under .perfxl/ (a published set and, after a kill, an
# unpublished one; a run's list of its files, its spool).
TEMP_FILE = re.compile(r"^\..+\.[0-9a-f]{8}\.tmp(\.[A-Za-z]+)?$")
STATE = ".perfxl"
N_COPIES = 40


def _perfxl(*args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "perfxl", *args], check=False, capture_output=True, text=True,
                          timeout=timeout, env={**os.environ, "PYTHONIOENCODING": "utf-8"})


def _state(folder: Path) -> dict[str, tuple[str, int, int]]:
    """Every file under ``folder``: relative path → (sha256, size, mtime_ns)."""
    out = {}
    for p in sorted(folder.rglob("*")):
        if p.is_file():
            st = p.stat()
            out[str(p.relative_to(folder))] = (hashlib.sha256(p.read_bytes()).hexdigest(), st.st_size, st.st_mtime_ns)
    return out


# ---------------------------------------------------------------------------
# Inputs are never modified
# ---------------------------------------------------------------------------


@pytest.fixture
def inbox(tmp_path: Path) -> Path:
    """A copy of samples/ plus what a real inbox holds: a corrupt workbook, lock files
    of Office/WPS and LibreOffice, a text file and a workbook in a subfolder."""
    box = tmp_path / "inbox"
    shutil.copytree(SAMPLES, box)
    seed = (SAMPLES / SEED).read_bytes()
    (box / "损坏的.xlsx").write_bytes(seed[: len(seed) // 2])
    (box / f"~${SEED}").write_bytes(b"\x08clerk   " + b"\x00" * 40 + b"\x08\x00c\x00l\x00e\x00r\x00k" + b"\x00" * 100)
    (box / f".~lock.{SEED}#").write_text("clerk,host,clerk,28.11.2026 08:00,file:///home/clerk;\n", encoding="utf-8")
    (box / "说明.txt").write_text("请于月底前报送。\n", encoding="utf-8")
    (box / "二级单位").mkdir()
    shutil.copy(SAMPLES / "003_示例县教育局.xlsx", box / "二级单位" / "003_副本.xlsx")
    return box


@pytest.mark.slow
def test_check_score_batch_leave_inputs_byte_identical(inbox: Path, tmp_path: Path) -> None:
    before = _state(inbox)
    workbooks = sorted(str(p) for p in inbox.rglob("*") if p.suffix in (".xlsx", ".xls", ".ods") or p.name.endswith("#"))
    assert len(workbooks) >= 33

    check = _perfxl("check", *workbooks, "--format", "json")
    assert check.returncode == 2, check.stderr  # the corrupt file is unreadable
    got = json.loads(check.stdout)
    locks = {w for w in workbooks if Path(w).name.startswith(("~$", ".~lock."))}
    assert len(locks) == 2  # named on the command line, skipped all the same
    assert {f["path"] for f in got["files"]} == set(workbooks) - locks
    assert {s["path"] for s in got["skipped"]} == locks

    score = _perfxl("score", *workbooks, "--format", "json")
    assert score.returncode == 2, score.stderr
    json.loads(score.stdout)

    out = tmp_path / "out"
    batch = _perfxl("batch", str(inbox), "-o", str(out), "--jobs", "2")
    assert batch.returncode == 1, batch.stderr  # completed; the corrupt file is listed as 无法读取
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert "Traceback" not in batch.stderr

    assert _state(inbox) == before, "an input file was changed, added or removed"
    # the batch really read the inbox: the corrupt file is in its summary, the lock files are not
    text = json.dumps(summary, ensure_ascii=False)
    assert "损坏的.xlsx" in text and "003_副本" in text


@pytest.mark.slow
def test_batch_with_output_inside_input_leaves_inputs_alone(tmp_path: Path) -> None:
    """``perfxl batch inbox -o inbox/结果`` twice: the second run must not read (or touch)
    the first one's outputs, and the inputs stay as they were."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for name in (SEED, "003_示例县教育局.xlsx"):
        shutil.copy(SAMPLES / name, inbox / name)
    (inbox / f"~${SEED}").write_bytes(b"\x05clerk" + b"\x00" * 50)
    before = _state(inbox)
    out = inbox / "结果"
    for _ in range(2):
        r = _perfxl("batch", str(inbox), "-o", str(out), "--jobs", "2")
        assert r.returncode in (0, 1), r.stderr
    after = {k: v for k, v in _state(inbox).items() if not k.startswith("结果" + os.sep)}
    assert after == before
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert sorted(Path(u["path"]).name for u in summary["units"]) == sorted([SEED, "003_示例县教育局.xlsx"])
    _assert_complete_outputs(out, {SEED, "003_示例县教育局.xlsx"})


# ---------------------------------------------------------------------------
# Outputs are atomic, and a rerun cleans up
# ---------------------------------------------------------------------------


def _valid(path: Path) -> str | None:
    """None when ``path`` is a complete file of its kind, else what is wrong."""
    try:
        if path.suffix == ".xlsx":
            with zipfile.ZipFile(path) as zf:
                bad = zf.testzip()
                if bad is not None:
                    return f"bad zip member {bad}"
            from python_calamine import CalamineWorkbook

            wb = CalamineWorkbook.from_path(str(path))
            for name in wb.sheet_names:
                wb.get_sheet_by_name(name).to_python()
        elif path.suffix == ".json":
            json.loads(path.read_text(encoding="utf-8"))
        elif path.suffix == ".csv":
            rows = list(csv.reader(io.StringIO(path.read_bytes().decode("utf-8-sig"))))
            if not rows:
                return "empty csv"
            if any(len(r) != len(rows[0]) for r in rows):
                return "ragged csv (cut short?)"
    except Exception as e:  # noqa: BLE001
        return f"{type(e).__name__}: {e}"
    return None


def _is_temp(rel: Path) -> bool:
    # (.carry/N.pickle: the check pass's reports, kept for the copy pass)
    return (bool(TEMP_FILE.match(rel.name)) or rel.name in (".spool.bin", ".perfxl-files")
            or (rel.parent.name == ".carry" and rel.suffix == ".pickle"))


def _visible(out: Path) -> dict[str, Path]:
    """What a reviewer sees in ``out`` (links followed): relative name → file."""
    found = {}
    for root, dirs, files in os.walk(out, followlinks=True):
        dirs[:] = [d for d in dirs if d != STATE]
        for f in files:
            p = Path(root) / f
            found[str(p.relative_to(out))] = p
    return found


def _assert_no_half_files(out: Path, theirs: tuple[str, ...] = ()) -> None:
    """Every file with a final name under ``out`` — what a reviewer sees, and every run
    kept under .perfxl — is complete; only documented temporaries besides."""
    if not out.exists():
        return
    for p in sorted(out.rglob("*")) + sorted(_visible(out).values()):
        rel = p.relative_to(out) if p.is_relative_to(out) else Path(p.name)
        if p.is_dir() or _is_temp(rel) or not p.exists() or p.name in theirs:
            continue
        assert p.suffix in (".xlsx", ".json", ".csv"), f"unexpected file {rel}"
        problem = _valid(p)
        assert problem is None, f"half-written output {rel}: {problem}"


def _assert_complete_outputs(out: Path, expected_annotated: set[str] | None) -> None:
    """``out`` shows the summary files and the annotated copies, nothing else; under
    .perfxl only the published set is kept."""
    top = {p.name for p in out.iterdir()}
    assert top == OUTPUTS | {"annotated", STATE}, top
    names = _visible(out)
    annotated = {n.split(os.sep, 1)[1] for n in names if n.startswith("annotated" + os.sep)}
    if expected_annotated is not None:
        assert annotated == expected_annotated
    for n, p in names.items():
        assert _valid(p) is None, n
    runs = list((out / STATE / "runs").iterdir())
    assert len(runs) == 1, f"runs left besides the published one: {runs}"
    kept = {str(p.relative_to(runs[0])) for p in runs[0].rglob("*") if p.is_file()}
    # The marker lies beside the set (written before it is published), not in it.
    assert kept == set(names) - {".perfxl-output.json"} | {".perfxl-files"}, kept
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary


def _start_batch(inbox: Path, out: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "perfxl", "batch", str(inbox), "-o", str(out), "--jobs", "2"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)


def _kill_when(proc: subprocess.Popen[bytes], ready, limit: float = 120) -> bool:
    """SIGKILL ``proc``'s whole session as soon as ``ready()``; False when it finished first."""
    deadline = time.monotonic() + limit
    while proc.poll() is None:
        if ready() or time.monotonic() > deadline:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=30)
            return True
        time.sleep(0.005)
    try:  # the batch finished first: make sure no worker is left behind either
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    return False


@pytest.fixture(scope="module")
def forty(tmp_path_factory: pytest.TempPathFactory) -> Path:
    box = tmp_path_factory.mktemp("forty")
    for i in range(N_COPIES):
        shutil.copy(SAMPLES / ("003_示例县教育局.xlsx" if i % 2 else SEED), box / f"u{i:02d}.xlsx")
    return box


def _after(seconds: float):
    t0 = time.monotonic()
    return lambda: time.monotonic() - t0 >= seconds


def _first_annotated(out: Path):
    # the batch writes its annotated copies into OUT/.perfxl/runs/<run>/annotated/ before publishing
    def ready() -> bool:
        current = (out / STATE / "current").resolve() if (out / STATE / "current").is_symlink() else None
        return any(not _is_temp(Path(p.name)) and p.parent.parent != current
                   for p in out.glob(f"{STATE}/runs/*/annotated/*.xlsx"))
    return ready


def _summary_temp(out: Path):
    return lambda: any(TEMP_FILE.match(p.name) for p in out.glob(f"{STATE}/runs/*/.*"))


@pytest.mark.slow
def test_killed_batch_leaves_no_half_written_output_and_rerun_cleans_up(forty: Path, tmp_path: Path) -> None:
    before = _state(forty)
    out = tmp_path / "out"
    expected = {f"u{i:02d}.xlsx" for i in range(N_COPIES)}

    # Killed on a fresh output folder, at different moments.
    for moment in (_after(0.5), _after(1.5), _first_annotated(out)):
        proc = _start_batch(forty, out)
        assert _kill_when(proc, moment), "the batch finished before it could be killed"
        _assert_no_half_files(out)

    # A rerun completes and leaves exactly the outputs.
    r = _perfxl("batch", str(forty), "-o", str(out), "--jobs", "2")
    assert r.returncode in (0, 1), r.stderr
    _assert_complete_outputs(out, expected)
    complete = _visible_state(out)

    # Killed while rerunning over complete outputs: the previous outputs stay whole.
    for moment in (_first_annotated(out), _summary_temp(out)):
        proc = _start_batch(forty, out)
        killed = _kill_when(proc, moment)
        _assert_no_half_files(out)
        if killed:
            assert _visible_state(out) == complete, "a kill lost, added or changed an output"

    r = _perfxl("batch", str(forty), "-o", str(out), "--jobs", "2")
    assert r.returncode in (0, 1), r.stderr
    _assert_complete_outputs(out, expected)
    assert _state(forty) == before


def _visible_state(out: Path) -> dict[str, tuple[str, int]]:
    return {n: (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_size) for n, p in _visible(out).items()}


# ---------------------------------------------------------------------------
# The outputs are one set
# ---------------------------------------------------------------------------

# Runs a batch (jobs 1) that SIGKILLs itself at the k-th change perfxl.publish makes to
# the output folder (a file or link created, renamed or removed).
_KILL_AT = r"""
import os, signal, sys
import perfxl.publish as publish
from perfxl.batch import BatchOptions, run_batch

k, counting, n = int(sys.argv[3]), [False], [0]
for name in ("replace", "rename", "symlink", "link", "unlink", "rmdir", "mkdir"):
    real = getattr(os, name)
    def counted(*a, _real=real, **kw):
        if counting[0]:
            n[0] += 1
            if n[0] == k:
                os.kill(os.getpid(), signal.SIGKILL)
        return _real(*a, **kw)
    setattr(os, name, counted)
publish_real = publish.OutputSet.publish
def publish_counted(self, stage):
    counting[0] = True
    return publish_real(self, stage)
publish.OutputSet.publish = publish_counted
if __name__ == "__main__":
    run_batch([sys.argv[1]], sys.argv[2], BatchOptions(jobs=1))
"""


def _the_set(out: Path) -> int:
    """How many units the visible outputs are of — the same count in every output, or a
    failed assertion naming the mix."""
    units = len(json.loads((out / "summary.json").read_text("utf-8"))["units"])
    with open(out / "findings.csv", encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(fh))
    in_csv = len({r["文件"] for r in rows})
    copies = len([n for n in os.listdir(out / "annotated") if n.endswith(".xlsx")])
    from python_calamine import CalamineWorkbook

    grid = CalamineWorkbook.from_path(str(out / "汇总表.xlsx")).get_sheet_by_name("汇总").to_python()
    in_summary = sum(1 for r in grid[3:] if any(c not in ("", None) for c in r))
    assert units == in_csv == copies == in_summary, (units, in_csv, copies, in_summary)
    return units


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(os, "fork"), reason="POSIX")
def test_a_kill_at_any_step_of_publishing_leaves_the_old_set_or_the_new_one(tmp_path: Path) -> None:
    two, three = tmp_path / "two", tmp_path / "three"
    for folder, names in ((two, ("a", "b")), (three, ("a", "b", "c"))):
        folder.mkdir()
        for name, sample in zip(names, ("001_示例县人民政府办公室", "009_示例县人力资源和社会保障局", "013_示例县水利局")):
            shutil.copy(SAMPLES / f"{sample}.xlsx", folder / f"{name}.xlsx")  # a unit with findings each
    out = tmp_path / "out"
    assert _perfxl("batch", str(two), "-o", str(out), "--jobs", "1").returncode in (0, 1)
    assert _the_set(out) == 2
    note = out / "annotated" / "说明.txt"  # a reviewer's own file among the copies
    note.write_bytes(b"reviewer's notes")
    script = tmp_path / "kill_at.py"
    script.write_text(_KILL_AT, encoding="utf-8")
    seen = set()
    for k in range(1, 200):
        proc = subprocess.run([sys.executable, str(script), str(three), str(out), str(k)], capture_output=True,
                              text=True, timeout=300)
        assert proc.returncode in (0, 1, -signal.SIGKILL), proc.stderr
        seen.add(_the_set(out))  # whole: 2 or 3, never a mix
        _assert_no_half_files(out, theirs=(note.name,))
        assert note.read_bytes() == b"reviewer's notes", f"the reviewer's file was lost at step {k}"
        if proc.returncode != -signal.SIGKILL:
            break  # the run got through every step
        # Back to the old set for the next step: a complete run over the two files.
        assert _perfxl("batch", str(two), "-o", str(out), "--jobs", "1").returncode in (0, 1)
    else:
        pytest.fail("publishing never completed")
    assert seen == {2, 3} and _the_set(out) == 3
    assert note.read_bytes() == b"reviewer's notes"
    _assert_complete_outputs_but(out, {"a.xlsx", "b.xlsx", "c.xlsx", "说明.txt"})


def _assert_complete_outputs_but(out: Path, annotated: set[str]) -> None:
    assert set(os.listdir(out / "annotated")) == annotated
    assert len(list((out / STATE / "runs").iterdir())) == 1


def test_a_file_in_the_way_of_the_new_set_stops_the_run_naming_it(tmp_path: Path) -> None:
    inbox = tmp_path / "in"
    inbox.mkdir()
    shutil.copy(SAMPLES / SEED, inbox / "a.xlsx")
    out = tmp_path / "out"
    assert _perfxl("batch", str(inbox), "-o", str(out), "--jobs", "1").returncode in (0, 1)
    shutil.copy(SAMPLES / "003_示例县教育局.xlsx", inbox / "b.xlsx")
    (out / "annotated" / "b.xlsx").write_bytes(b"someone's own b.xlsx")  # where the new copy of b would go
    before = _visible_state(out)
    r = _perfxl("batch", str(inbox), "-o", str(out), "--jobs", "1")
    assert r.returncode == 2 and "b.xlsx" in r.stderr and "Traceback" not in r.stderr
    assert _visible_state(out) == before


def test_without_symbolic_links_the_entries_are_swapped_in_turn(tmp_path: Path, monkeypatch) -> None:
    """On a file system without symbolic links (FAT, some shares): real files and folder
    under the usual names, each swapped in whole; the reviewer's own file still survives."""
    import perfxl.publish
    from perfxl.batch import BatchOptions, run_batch

    monkeypatch.setattr(perfxl.publish, "_links_work", lambda state: False)
    inbox = tmp_path / "in"
    inbox.mkdir()
    shutil.copy(SAMPLES / SEED, inbox / "a.xlsx")
    out = tmp_path / "out"
    run_batch([inbox], out, BatchOptions(jobs=1))
    (out / "annotated" / "说明.txt").write_text("reviewer's notes", encoding="utf-8")
    shutil.copy(SAMPLES / "003_示例县教育局.xlsx", inbox / "b.xlsx")
    run_batch([inbox], out, BatchOptions(jobs=1))
    assert not any(p.is_symlink() for p in out.iterdir())
    assert sorted(os.listdir(out / "annotated")) == ["a.xlsx", "b.xlsx", "说明.txt"]
    assert len(json.loads((out / "summary.json").read_text("utf-8"))["units"]) == 2
    assert list((out / STATE / "runs").iterdir()) == []
    (inbox / "b.xlsx").unlink()
    run_batch([inbox], out, BatchOptions(jobs=1))
    assert sorted(os.listdir(out / "annotated")) == ["a.xlsx", "说明.txt"]  # the stale copy of b is gone
