"""Smoke test of the benchmark harness (scripts/bench.py): it runs end to end on a tiny N,
prints every ratio with its target and a verdict, and writes the same numbers as JSON.

Not a timed test: the numbers themselves are never asserted, only that they are reported.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "scripts" / "bench.py"

# The five targets of issue 7, as the bench names them on their lines.
RATIO_LINES = {
    "check_vs_floor_read": "check / floor-read",
    "batch_j1_vs_floor_write": "batch --jobs 1 / floor-write",
    "batch_speedup_j2": "batch speed-up --jobs 1 ÷ --jobs 2",
    "rss_growth": "peak RSS N=3 ÷ N=1",
    "cold_check": "cold `perfxl check one.xlsx`",
    # issue 13: whole-process check, the project forms and a mixed inbox
    "check_cli_vs_floor_read_cli": "whole process: `perfxl check DIR` / calamine read",
    "check_cli_j1_vs_floor_read_cli": "  … one process: `perfxl check --jobs 1 DIR` / calamine read",
    "check_projects_vs_floor_read": "project forms: check / floor-read",
    "check_projects_cli_vs_floor_read_projects_cli": "project forms, whole process: `perfxl check DIR` / calamine read",
    "batch_mixed_j1_vs_floor_write": "mixed inbox: batch --jobs 1 / floor-write",
}
TARGETS = {"check_vs_floor_read": "≤ 3×", "batch_j1_vs_floor_write": "≤ 1.3×",
           "batch_speedup_j2": "≥ 1.7×", "rss_growth": "≤ 1.2×", "cold_check": "≤ 1 s",
           "check_cli_vs_floor_read_cli": "≤ 3×", "check_cli_j1_vs_floor_read_cli": "≤ 3×",
           "check_projects_vs_floor_read": "≤ 3×", "check_projects_cli_vs_floor_read_projects_cli": "≤ 3×",
           "batch_mixed_j1_vs_floor_write": "≤ 1.3×"}


def _ratio_section(stdout: str) -> list[str]:
    """The lines of the ratio table (after its 'ratio' header, up to the first blank line)."""
    lines = stdout.splitlines()
    start = next(i for i, ln in enumerate(lines) if ln.startswith("ratio "))
    section = []
    for ln in lines[start + 1:]:
        if not ln.strip():
            break
        section.append(ln)
    return section


def _load_bench():
    spec = importlib.util.spec_from_file_location("perfxl_bench", BENCH)
    mod = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    sys.modules[spec.name] = mod  # dataclasses look their module up while being built
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope="module")
def quick_run(tmp_path_factory):
    work = tmp_path_factory.mktemp("bench")
    out = subprocess.run(
        [sys.executable, str(BENCH), "--n", "3", "--quick", "--workdir", str(work), "--json", str(work / "b.json")],
        capture_output=True,
        text=True,
        timeout=600,
    )
    return out, json.loads((work / "b.json").read_text("utf-8"))


@pytest.mark.slow
def test_quick_run_prints_every_ratio_with_target_and_verdict(quick_run):
    out, _ = quick_run
    assert out.returncode == 0, out.stderr
    lines = _ratio_section(out.stdout)
    for key, label in RATIO_LINES.items():
        hits = [ln for ln in lines if ln.startswith(label)]
        assert len(hits) == 1, f"no single ratio line for {label!r} in:\n{out.stdout}"
        line = hits[0]
        assert TARGETS[key] in line, line
        assert any(v in line for v in ("PASS", "FAIL", "n/a")), line


@pytest.mark.slow
def test_quick_run_names_the_machine(quick_run):
    out, doc = quick_run
    assert "machine:" in out.stdout and "cores" in out.stdout
    assert doc["machine"]["cores"] >= 1
    assert "python-calamine" in doc["machine"]["libraries"]


@pytest.mark.slow
def test_json_carries_the_printed_ratios_and_no_measurement_broke(quick_run):
    out, doc = quick_run
    assert set(doc["ratios"]) == set(RATIO_LINES)
    for key, r in doc["ratios"].items():
        assert r["result"] in ("PASS", "FAIL", "n/a")
        label_line = next(ln for ln in _ratio_section(out.stdout) if ln.startswith(RATIO_LINES[key]))
        assert r["result"] in label_line
        if r["value"] is not None:
            assert f"{r['value']:.2f}" in label_line
    # 'n/a' is allowed while a module is not built; 'error' means the harness or perfxl broke.
    broken = {k: m["note"] for k, m in doc["measurements"].items() if m["status"] == "error"}
    assert not broken, broken
    assert doc["n"] == 3 and doc["n_small"] == 1


def test_ratio_verdicts_follow_their_direction():
    bench = _load_bench()
    le = bench.Ratio("x", "x", "<=", 3.0)
    ge = bench.Ratio("y", "y", ">=", 1.7)
    assert le.result == "n/a"
    le.value, ge.value = 3.0, 1.7
    assert (le.result, ge.result) == ("PASS", "PASS")
    le.value, ge.value = 3.01, 1.69
    assert (le.result, ge.result) == ("FAIL", "FAIL")


def test_ratios_compare_per_workbook_times_and_rss_either_way():
    bench = _load_bench()
    ms = {
        "floor_read": bench.Measurement("floor_read", "").done(1.0, 100),  # 10 ms/wb
        "check": bench.Measurement("check", "").done(2.5, 100),  # 25 ms/wb
        "floor_write": bench.Measurement("floor_write", "").done(10.0, 100),
        "batch_j1": bench.Measurement("batch_j1", "").done(12.0, 100),
        "batch_j2": bench.Measurement("batch_j2", "").done(8.0, 100),
        "rss_small": bench.Measurement("rss_small", "").done(1.0, 10),
        "cold_check": bench.Measurement("cold_check", "").done(0.8, 1),
    }
    ms["rss_small"].peak_rss_mb, ms["batch_j2"].peak_rss_mb = 150.0, 100.0
    got = {r.key: r for r in bench.ratios(ms, 10, 100)}
    assert got["check_vs_floor_read"].value == pytest.approx(2.5)
    assert got["batch_j1_vs_floor_write"].value == pytest.approx(1.2)
    assert got["batch_speedup_j2"].value == pytest.approx(1.5)
    assert got["batch_speedup_j2"].result == "FAIL"
    assert got["rss_growth"].value == pytest.approx(1.5)  # shrinking by a third also fails
    assert got["rss_growth"].result == "FAIL"
    assert got["cold_check"].result == "PASS"


@pytest.mark.parametrize("method", ["fork", "forkserver"])
def test_wrapper_sees_the_peak_of_a_pool_worker(tmp_path, method):
    """Peak RSS must include the pool's workers, not just the parent process -- also a
    forkserver's workers, which are the server's children and never the parent's."""
    bench = _load_bench()
    (tmp_path / "grow.py").write_text(
        "def grow(mb):\n"
        "    b = bytearray(mb * 1024 * 1024)\n"
        "    b[::4096] = b'x' * len(b[::4096])\n"
        "    return len(b)\n"
    )
    code = (
        "import multiprocessing as mp, sys\n"
        f"sys.path.insert(0, {str(tmp_path)!r})\n"
        "from grow import grow\n"
        "if __name__ == '__main__':\n"
        f"    with mp.get_context({method!r}).Pool(1) as pool:\n"
        "        print(pool.map(grow, [160]))\n"
    )
    r = bench.run_wrapped([sys.executable, "-c", code], tmp_path / "log")
    assert r["rc"] == 0, (tmp_path / "log").read_text()
    assert r["rusage_maxrss_kb"] >= 160 * 1024
    assert r["wall_s"] > 0


def test_a_missing_api_is_reported_as_not_built_yet():
    bench = _load_bench()
    assert bench.api("perfxl.no_such_module", "x") == "n/a (not built yet: perfxl.no_such_module)"
    assert bench.api("perfxl.errors", "no_such_name") == "n/a (not built yet: perfxl.errors.no_such_name)"
    (err,) = bench.api("perfxl.errors", "PerfxlError")
    assert err.__name__ == "PerfxlError"
    ms = {"floor_read": bench.Measurement("floor_read", "").done(1.0, 10),
          "check": bench.Measurement("check", "", note=bench.missing("perfxl.check"))}
    got = {r.key: r for r in bench.ratios(ms, 1, 10)}
    assert got["check_vs_floor_read"].result == "n/a"
    assert "not built yet: perfxl.check" in got["check_vs_floor_read"].note


@pytest.mark.slow
def test_the_mixed_pair_is_timed_as_the_main_pair(quick_run):
    _, doc = quick_run
    for key in ("floor_write", "floor_write_mixed"):
        assert "half before, half after batch --jobs 1" in doc["measurements"][key]["note"], doc["measurements"][key]


def test_a_batch_runs_with_its_bytecode_cached_as_an_installed_perfxl(tmp_path, monkeypatch):
    bench = _load_bench()
    monkeypatch.setenv("PYTHONDONTWRITEBYTECODE", "1")
    seen = {}

    def wrapped(cmd, log_path, env=None):
        seen["cmd"], seen["env"] = cmd, env
        log_path.write_text("done\n", "utf-8")
        return {"rc": 0, "wall_s": 1.0, "rusage_maxrss_kb": 1, "polled_hwm_kb": 1}

    monkeypatch.setattr(bench, "run_wrapped", wrapped)
    monkeypatch.setattr(bench, "batch_available", lambda: None)
    compiled = []
    monkeypatch.setattr(bench, "_compile_once", compiled.append)
    scratch = tmp_path / "work" / "run"
    scratch.mkdir(parents=True)
    bench.batch_run("batch_j1", "", tmp_path, 1, 1, scratch)
    env = seen["env"]
    assert "batch" in seen["cmd"] and env is not None
    assert "PYTHONDONTWRITEBYTECODE" not in env
    assert env["PYTHONPYCACHEPREFIX"] == str(tmp_path / "work" / "pycache")
    assert compiled == [env]  # the cache is filled before the timed run
