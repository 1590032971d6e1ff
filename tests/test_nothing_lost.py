"""Nothing lost (issue 6): inputs are never modified, and outputs are never half-written.

* ``perfxl check``, ``perfxl score`` and ``perfxl batch`` leave every input byte-identical
  (sha256, size and mtime) and add nothing to the input folder — also when the folder
  holds a corrupt workbook, Office/LibreOffice lock files and other files.
* A batch killed with SIGKILL (its whole process group: the parent, the forkserver and
  the workers) at any moment leaves only complete files under their final names; the
  temporary files and folders it may leave are the documented ones (hidden: a leading
  ``.``; :mod:`perfxl.safe` temps ``.<stem>.<hex>.tmp<suffix>``, :mod:`perfxl.batch`
  staging folders ``.perfxl-run-…``).  A rerun over the same output folder completes and
  leaves exactly the expected outputs — no stale copy, no leftover temporary.
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
# perfxl.batch's hidden staging folders.
TEMP_FILE = re.compile(r"^\..+\.[0-9a-f]{8}\.tmp(\.[A-Za-z]+)?$")
STAGING = ".perfxl-run-"
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
    return any(part.startswith(STAGING) for part in rel.parts) or bool(TEMP_FILE.match(rel.name))


def _assert_no_half_files(out: Path) -> None:
    """Every file with a final name under ``out`` is complete; only documented temps besides."""
    if not out.exists():
        return
    for p in sorted(out.rglob("*")):
        rel = p.relative_to(out)
        if p.is_dir() or _is_temp(rel):
            continue
        assert p.suffix in (".xlsx", ".json", ".csv"), f"unexpected file {rel}"
        problem = _valid(p)
        assert problem is None, f"half-written output {rel}: {problem}"


def _assert_complete_outputs(out: Path, expected_annotated: set[str] | None) -> None:
    """``out`` holds the summary files and the annotated copies, nothing else."""
    names = {str(p.relative_to(out)) for p in out.rglob("*")}
    leftovers = sorted(n for n in names if _is_temp(Path(n)))
    assert not leftovers, f"temporary files left after a completed run: {leftovers}"
    top = {n for n in names if os.sep not in n}
    assert top == OUTPUTS | {"annotated"}, top
    annotated = {n.split(os.sep, 1)[1] for n in names if n.startswith("annotated" + os.sep)}
    if expected_annotated is not None:
        assert annotated == expected_annotated
    for n in names:
        if (out / n).is_file():
            assert _valid(out / n) is None, n
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
    # the batch stages annotated copies in OUT/.perfxl-run-*/annotated/ before swapping them in
    return lambda: any(not _is_temp(Path(p.name)) for p in out.glob(f"{STAGING}*/annotated/*.xlsx"))


def _summary_temp(out: Path):
    return lambda: any(TEMP_FILE.match(p.name) for p in out.glob(".*"))


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
    complete = _state(out)

    # Killed while rerunning over complete outputs: the previous outputs stay whole.
    for moment in (_first_annotated(out), _summary_temp(out)):
        proc = _start_batch(forty, out)
        killed = _kill_when(proc, moment)
        _assert_no_half_files(out)
        if killed:
            finals = {k for k in _state(out) if not _is_temp(Path(k))}
            assert finals == {k for k in complete}, "a kill lost or added an output"

    r = _perfxl("batch", str(forty), "-o", str(out), "--jobs", "2")
    assert r.returncode in (0, 1), r.stderr
    _assert_complete_outputs(out, expected)
    assert _state(forty) == before
