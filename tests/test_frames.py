"""For the analyst: perfxl.frames gives DataFrames; pandas is an extra the command line
never loads."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import perfxl
from perfxl.check import CheckOptions, check_paths
from perfxl.errors import PerfxlError
from perfxl.rulebook import default_rulebook

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"


def test_frames_of_a_check() -> None:
    pd = pytest.importorskip("pandas")
    f = perfxl.frames([SAMPLES])
    report = check_paths([SAMPLES], CheckOptions(default_rulebook()))
    assert len(f.units) == len(report.files)
    forms = sum(len(x["forms"]) for x in json.loads((SAMPLES / "projects" / "MANIFEST.json").read_text("utf-8"))["files"])
    assert f.units.kind.value_counts().to_dict() == {"dept": 31, "project": forms}  # a row per unit, of both kinds
    assert list(f.units.columns[:2]) == ["path", "unit"]
    seed = f.units.set_index("unit").loc["桃源县科学技术协会"]
    assert seed.total == 95.0 and seed.grade == "优" and seed.status == "passed"
    assert round(seed["执行数占年初预算"], 4) == 1.0824  # the common indicators, one column each
    assert len(f.findings) == sum(len(fr.findings) for fr in report.files)
    b005 = f.findings[(f.findings.code == "B005") & (f.findings.cell == "H4")].iloc[0]
    assert b005.actual_text == "76.80%" and pd.isna(b005.expected_text)
    assert len(f.indicators) == sum(len(fr.score.indicators) for fr in report.files if fr.score)
    assert {"level1", "level2", "name", "target", "actual", "weight", "self_score", "score", "diff"} <= set(
        f.indicators.columns)
    parts = f.scores[f.scores.unit == "桃源县科学技术协会"].set_index("part")
    assert list(parts.index) == ["预算执行率", "产出指标", "效益指标", "满意度指标", "总分"]
    assert parts.loc["总分", "score"] == 95.0 and parts.loc["效益指标", "self_score"] == 25.0
    # a Report the caller holds gives the same tables
    again = perfxl.frames(report)
    assert again.units.equals(f.units) and again.findings.equals(f.findings)


def test_frames_without_pandas_says_how_to_get_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pandas", None)  # import pandas now raises ImportError
    with pytest.raises(PerfxlError) as e:
        perfxl.frames([SAMPLES / "007_示例县司法局.xlsx"])
    assert "pip install 'perfxl[pandas]'" in str(e.value)


def test_pandas_is_not_a_required_dependency() -> None:
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    assert not any(d.split(">")[0].split("=")[0].strip() in ("pandas", "numpy") for d in project["dependencies"])
    assert any(d.startswith("pandas") for d in project["optional-dependencies"]["pandas"])


def test_checking_never_loads_pandas() -> None:
    code = textwrap.dedent(f"""
        import sys
        from perfxl.cli import main
        try:
            main(["check", {str(SAMPLES / "009_示例县人力资源和社会保障局.xlsx")!r}, "--format", "json"])
        except SystemExit as e:
            code = e.code
        print("RESULT", code, sorted(m for m in ("pandas", "numpy") if m in sys.modules), file=sys.stderr)
    """)
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert "RESULT 1 []" in proc.stderr, proc.stderr[-2000:]
