"""Guards: every broken or hostile input gives its F finding — no exception, bounded time,
and a refused file is never handed to a parser."""

from __future__ import annotations

import dataclasses
import importlib.util
import shutil
import time
import zipfile
from pathlib import Path

import pytest

from perfxl.guards import examine, inspect_file, is_lock_file
from perfxl.reader import read_unit
from perfxl.rulebook import Limits, default_rulebook

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("make_bad_inputs", ROOT / "scripts" / "make_bad_inputs.py")
bad = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bad)

REFUSED = {code for _, code in bad.BUILDERS.values()} - {"F012"}


@pytest.fixture
def seed(make_xlsx, seed_data) -> Path:
    return make_xlsx(seed_data, name="seed.xlsx")


def _timed_read(path: Path, rulebook=None):
    t = time.perf_counter()
    u = read_unit(path, rulebook)
    return u, time.perf_counter() - t


@pytest.mark.parametrize("name", list(bad.BUILDERS))
def test_bad_input_gives_its_code(name, seed, tmp_path):
    build, code = bad.BUILDERS[name]
    path = build(seed, tmp_path / name)
    u, secs = _timed_read(path)
    assert code in [f.code for f in u.findings], [(f.code, f.message("en")) for f in u.findings]
    assert secs < 10
    if code in REFUSED:
        assert not u.readable
        assert u.indicators == [] and u.budget == {}
    f = next(f for f in u.findings if f.code == code)
    assert f.message("zh") and f.message("en") and "{" not in f.message("en")


def test_macros_are_noted_and_the_file_read(seed, tmp_path):
    u = read_unit(bad.macros(seed, tmp_path / "m.xlsm"))
    assert u.readable and len(u.indicators) == 14
    assert [f.code for f in u.findings if f.code.startswith("F")] == ["F012"]


def test_real_encrypted_workbook(seed, tmp_path):
    pytest.importorskip("msoffcrypto")
    u = read_unit(bad.encrypted_real(seed, tmp_path / "enc.xlsx"))
    assert not u.readable
    assert [f.code for f in u.findings] == ["F002"]


def test_zip_bomb_refused_before_inflating(seed, tmp_path):
    path = bad.zip_bomb(seed, tmp_path / "bomb.xlsx", mb=300)
    assert path.stat().st_size < 5 * 1024 * 1024  # small on disk
    t = time.perf_counter()
    ins = examine(path, default_rulebook().limits)
    assert time.perf_counter() - t < 1.0  # judged from the zip directory, nothing inflated
    assert ins.refused and [f.code for f in ins.findings] == ["F006"]


def test_ratio_limit_has_a_size_floor(seed, tmp_path):
    # A small, highly compressible member (a sharedStrings of repeated text) is fine.
    path = bad.add_member(seed, tmp_path / "ok.xlsx", "xl/media/small.bin", b"\x00" * 500_000)
    assert not examine(path).refused
    assert examine(bad.ratio_bomb(seed, tmp_path / "r.xlsx")).refused


def test_uncompressed_limit_from_rulebook(seed, tmp_path):
    limits = Limits(max_uncompressed_mb=0.01)
    ins = examine(seed, limits)
    assert ins.refused and ins.findings[0].code == "F006"


def test_file_size_limit(seed):
    ins = examine(seed, Limits(max_file_mb=0.001))
    assert ins.refused and ins.findings[0].code == "F005"


def test_too_many_rows_from_dimension(seed):
    rb = default_rulebook()
    rb = dataclasses.replace(rb, limits=dataclasses.replace(rb.limits, max_rows=20))
    u = read_unit(seed, rb)
    assert not u.readable
    assert [f.code for f in u.findings] == ["F007"]


def test_too_many_rows_without_dimension(seed, tmp_path):
    """No <dimension> element (some writers omit it): calamine's sheet height decides."""
    import re

    path = seed
    for i in range(1, 9):
        path = bad.rewrite_part(path, tmp_path / f"nodim{i}.xlsx", f"xl/worksheets/sheet{i}.xml",
                                lambda d: re.sub(rb"<dimension[^>]*/>", b"", d))
    rb = default_rulebook()
    rb = dataclasses.replace(rb, limits=dataclasses.replace(rb.limits, max_rows=20))
    assert not examine(path, rb.limits).refused
    u = read_unit(path, rb)
    assert not u.readable and [f.code for f in u.findings] == ["F007"]
    assert u.findings[0].sheet is not None


def test_entity_hidden_behind_padding(seed, tmp_path):
    def pad(data: bytes) -> bytes:
        return b'<?xml version="1.0"?>' + b"<!-- " + b"x" * 100_000 + b" -->" + b"<!DOCTYPE a [<!ENTITY b 'c'>]>" + data[38:]

    path = bad.rewrite_part(seed, tmp_path / "pad.xlsx", "xl/workbook.xml", pad)
    ins = examine(path)
    assert ins.refused and ins.findings[0].code == "F008"


def test_xlsx_renamed_xls_is_read_by_content(seed, tmp_path):
    path = tmp_path / "renamed.xls"
    shutil.copyfile(seed, path)
    u = read_unit(path)
    assert u.readable and len(u.indicators) == 14
    assert [(f.code, f.expected, f.actual) for f in u.findings if f.code.startswith("F")] == [("F011", "xlsx", ".xls")]


@pytest.mark.lo
def test_xls_renamed_xlsx_is_read_by_content(seed, soffice_convert, tmp_path):
    xls = soffice_convert(seed, "xls", tmp_path / "x")
    path = tmp_path / "renamed.xlsx"
    shutil.copyfile(xls, path)
    assert examine(path).fmt == "xls"
    u = read_unit(path)
    assert u.readable, [(f.code, f.message("en")) for f in u.findings]
    assert [f.code for f in u.findings if f.code.startswith("F")] == ["F011"]
    assert u.budget["total"].actual.value == pytest.approx(309.39)


def test_lock_files(tmp_path):
    assert is_lock_file("~$自评表.xlsx") and is_lock_file(".~lock.自评表.xlsx#")
    assert not is_lock_file("自评表.xlsx")
    p = tmp_path / "~$自评表.xlsx"
    p.write_bytes(b"x" * 165)
    assert [f.code for f in inspect_file(p)] == ["F009"]


def test_missing_file(tmp_path):
    u = read_unit(tmp_path / "nope.xlsx")
    assert not u.readable and [f.code for f in u.findings] == ["F001"]


def test_a_directory(tmp_path):
    d = tmp_path / "dir.xlsx"
    d.mkdir()
    assert [f.code for f in inspect_file(d)] == ["F001"]


def test_good_files_pass(seed):
    ins = examine(seed)
    assert (ins.refused, ins.fmt, ins.findings) == (False, "xlsx", [])


def test_damaged_member_data(seed, tmp_path):
    """The directory is intact but a member's compressed bytes are garbage."""
    data = bytearray(seed.read_bytes())
    with zipfile.ZipFile(seed) as z:
        info = z.getinfo("xl/workbook.xml")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    for i in range(start, start + min(40, info.compress_size)):
        data[i] ^= 0x5A
    p = tmp_path / "damaged.xlsx"
    p.write_bytes(bytes(data))
    u = read_unit(p)
    assert not u.readable and u.findings[0].code == "F001"


def test_ods_empty_repeated_tail_is_fine(tmp_path):
    """LibreOffice ends every sheet with a million styled empty rows: not a refusal."""
    ins = examine(bad.ods_empty_tail(None, tmp_path / "tail.ods"))
    assert (ins.refused, ins.fmt) == (False, "ods")
    u = read_unit(tmp_path / "tail.ods")
    assert u.readable and ("F013", "预算执行", None) in [(f.code, f.sheet, f.cell) for f in u.findings]


def test_ods_repeats_refused_before_parsing(tmp_path):
    for build in (bad.ods_repeated_rows, bad.ods_repeated_columns):
        t = time.perf_counter()
        ins = examine(build(None, tmp_path / f"{build.__name__}.ods"))
        assert time.perf_counter() - t < 2
        assert ins.refused and [(f.code, f.sheet) for f in ins.findings] == [("F007", "基本信息")]
