"""Fuzzing: whatever a workbook holds or however its bytes are damaged, reading and
checking it returns a well-formed report and never raises (issue 6).

Bounded and derandomised for CI (65 examples in all, ``PERFXL_FUZZ_CELLS`` raises the
cell-edit count); ``scripts/fuzz.py`` runs the same strategies for as long as you like
with a random seed.  Each example runs in a forked child capped in memory and time
(:func:`_fuzz.run_isolated`): a parser that aborts the process (a Rust allocation
failure), hangs or balloons fails the test instead of taking pytest down with it.
"""

from __future__ import annotations

import io
import json
import os
import random
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from _fuzz import (
    BYTE_BASES,
    SAMPLES,
    XLSX_BASES,
    XML_EDITS,
    apply_byte_ops,
    apply_cell_ops,
    apply_zip_member_ops,
    byte_ops,
    cell_ops,
    check_isolated,
    edit_and_check_isolated,
    target_member,
    zip_member_ops,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

FUZZ = settings(
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


@settings(FUZZ, max_examples=int(os.environ.get("PERFXL_FUZZ_CELLS", "20")))
@given(base=st.sampled_from(XLSX_BASES), ops=cell_ops())
def test_cell_edits_never_break_check(tmp_path: Path, base: str, ops: list[tuple]) -> None:
    edit_and_check_isolated(SAMPLES / base, tmp_path / "edited.xlsx", ops)


@settings(FUZZ, max_examples=20)
@given(base=st.sampled_from(BYTE_BASES), ops=byte_ops())
def test_damaged_bytes_never_break_check(tmp_path: Path, base: str, ops: list[tuple]) -> None:
    src = SAMPLES / base
    path = tmp_path / f"damaged{src.suffix}"
    path.write_bytes(apply_byte_ops(src.read_bytes(), ops))
    check_isolated(path)


@settings(FUZZ, max_examples=25)
@given(base=st.sampled_from([b for b in BYTE_BASES if not b.endswith(".xls")]), op=zip_member_ops())
def test_damaged_zip_member_never_breaks_check(tmp_path: Path, base: str, op: tuple) -> None:
    src = SAMPLES / base
    path = tmp_path / f"member{src.suffix}"
    path.write_bytes(apply_zip_member_ops(src.read_bytes(), op))
    check_isolated(path)


def test_the_fuzz_checks_fail_on_an_f001_from_perfxls_own_code(tmp_path: Path, monkeypatch) -> None:
    """What perfxl did before: a bug in the reader (here a KeyError in _read_book) turned
    into F001 "文件已损坏".  The fuzz checks must fail on it, not only on F902."""
    import perfxl.read.unit as reader
    from _fuzz import check_mutant

    src = SAMPLES / XLSX_BASES[0]
    check_mutant(src)  # passes as it is

    def buggy_read_book(rd, unit):  # noqa: ANN001
        raise KeyError("a bug in the reader")

    monkeypatch.setattr(reader, "_read_book", buggy_read_book)
    monkeypatch.setattr(reader, "internal_error", lambda where, e: reader.F001(None, None, detail=str(e)))
    with pytest.raises(AssertionError, match="F001 from KeyError"):
        check_mutant(src)


def test_fuzz_helpers_do_mutate(tmp_path: Path) -> None:
    """The mutators change what they claim to (else the tests above prove nothing)."""
    src = SAMPLES / XLSX_BASES[0]
    data = src.read_bytes()
    assert apply_byte_ops(data, [("truncate", 0.5)]) == data[: len(data) // 2]
    assert apply_byte_ops(data, [("flip", 0.0, 0)])[0] == data[0] ^ 1
    sheet = next(k for k in range(50) if target_member(data, k) == "xl/worksheets/sheet2.xml")
    dim = next(i for i, (pattern, _) in enumerate(XML_EDITS) if pattern.startswith("<dimension"))
    rezipped = zipfile.ZipFile(io.BytesIO(apply_zip_member_ops(data, (sheet, "xml", [(dim, 0)]))))
    assert b'<dimension ref="A1:XFD1048576"' in rezipped.read("xl/worksheets/sheet2.xml")
    assert rezipped.read("xl/workbook.xml") == zipfile.ZipFile(src).read("xl/workbook.xml")
    dropped = zipfile.ZipFile(io.BytesIO(apply_zip_member_ops(data, (sheet, "drop", None))))
    assert "xl/worksheets/sheet2.xml" not in dropped.namelist()
    import openpyxl

    from perfxl.spec import PROFILE

    out = apply_cell_ops(src, tmp_path / "x.xlsx", [("set", (PROFILE.name, PROFILE.cell("name")), "=1/0"),
                                                     ("rename", "三公经费", "Sheet1")])
    wb = openpyxl.load_workbook(out)
    assert wb[PROFILE.name][PROFILE.cell("name")].value == "=1/0"
    assert "Sheet1" in wb.sheetnames and "三公经费" not in wb.sheetnames


def _mutants(tmp_path: Path, n: int, seed: int) -> list[Path]:
    """``n`` mutated files made with a fixed seed (one of each kind in turn)."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        base = SAMPLES / rng.choice(BYTE_BASES)
        data = base.read_bytes()
        if i % 3 == 0:
            ops = [("flip", rng.random(), rng.randrange(8)) for _ in range(rng.randint(1, 4))]
            data = apply_byte_ops(data, ops)
        elif i % 3 == 1:
            data = apply_zip_member_ops(data, (rng.randrange(50), "xml", [(rng.randrange(30), rng.randrange(5))]))
        else:
            data = apply_byte_ops(data, [("truncate", rng.uniform(0.3, 0.99))])
        p = tmp_path / f"m{i:02d}{base.suffix}"
        p.write_bytes(data)
        out.append(p)
    return out


@pytest.mark.slow
def test_cli_check_json_on_mutants(tmp_path: Path) -> None:
    """`perfxl check --format json` on damaged files: exit 0/1/2, JSON on stdout, no traceback."""
    files = _mutants(tmp_path, 9, seed=6)
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    for chunk in (files[:3], files[3:6], files[6:]):
        proc = subprocess.run([sys.executable, "-m", "perfxl", "check", *map(str, chunk), "--format", "json"],
                              check=False, capture_output=True, text=True, timeout=120, env=env)
        assert proc.returncode in (0, 1, 2), proc.stderr
        assert "Traceback" not in proc.stderr and "internal error" not in proc.stderr, proc.stderr
        doc = json.loads(proc.stdout)
        assert [f["path"] for f in doc["files"]] == [str(p) for p in chunk]
        unreadable = [f for f in doc["files"] if not f["readable"]]
        assert (proc.returncode == 2) == bool(unreadable)
        for f in doc["files"]:
            assert "F902" not in {x["code"] for x in f["findings"]}


def test_lying_shared_string_count_does_not_kill_the_process(tmp_path: Path) -> None:
    """A sharedStrings part declaring uniqueCount="999999999" (found by fuzzing): calamine
    reserves 24 bytes per declared string up front, so the allocation fails and the Rust
    runtime aborts the whole process — no exception to catch.  The guard must refuse it."""
    src = SAMPLES / XLSX_BASES[0]
    edit = next(i for i, (pattern, _) in enumerate(XML_EDITS) if "uniqueCount" in pattern)
    data = src.read_bytes()
    member = next(k for k in range(50) if target_member(data, k) == "xl/sharedStrings.xml")
    path = tmp_path / "lying-count.xlsx"
    path.write_bytes(apply_zip_member_ops(data, (member, "xml", [(edit, 0)])))
    assert b'uniqueCount="999999999"' in zipfile.ZipFile(path).read("xl/sharedStrings.xml")
    check_isolated(path)
