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


def test_fractional_limits_in_a_rulebook_file_stay_fractional(seed, tmp_path):
    from perfxl.rulebook import load_rulebook

    (tmp_path / "rb.toml").write_text("[limits]\nmax_file_mb = 0.001\ntimeout_seconds = 0.5\nmax_rows = 20\n")
    limits = load_rulebook(tmp_path / "rb.toml").limits
    assert (limits.max_file_mb, limits.timeout_seconds, limits.max_rows) == (0.001, 0.5, 20)
    assert isinstance(limits.max_rows, int)
    ins = examine(seed, limits)  # was read as 0 MB, and a 0.5 s limit as none at all
    assert ins.refused and ins.findings[0].code == "F005"


def test_too_many_rows_from_dimension(seed):
    rb = default_rulebook()
    rb = dataclasses.replace(rb, limits=dataclasses.replace(rb.limits, max_rows=20))
    u = read_unit(seed, rb)
    assert not u.readable
    assert [f.code for f in u.findings] == ["F007"]


def test_too_many_rows_without_dimension(seed, tmp_path):
    """No <dimension> element (some writers omit it): the cells themselves are counted."""
    import re

    path = seed
    for i in range(1, 9):
        path = bad.rewrite_part(path, tmp_path / f"nodim{i}.xlsx", f"xl/worksheets/sheet{i}.xml",
                                lambda d: re.sub(rb"<dimension[^>]*/>", b"", d))
    rb = default_rulebook()
    rb = dataclasses.replace(rb, limits=dataclasses.replace(rb.limits, max_rows=20))
    u = read_unit(path, rb)
    assert not u.readable and [f.code for f in u.findings] == ["F007"]
    assert u.findings[0].sheet is not None


def test_parser_side_row_limit(seed):
    """For formats the guard cannot count (xls), the grid reader stops at the limit."""
    from perfxl.reader import TooManyRows, read_grids

    with pytest.raises(TooManyRows) as e:
        read_grids(seed, max_rows=20)
    assert e.value.rows > 20 and e.value.sheet


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


@pytest.mark.parametrize("ref, code", [("XFD1048576", "F023"), ("AAA1", "F023"), ("A999999", "F007")])
def test_far_cell_refused_whatever_the_dimension_says(seed, tmp_path, ref, code):
    """One cell far away makes calamine allocate rows × columns and abort the process:
    the guard finds it in the sheet XML, not only in <dimension>."""
    def far(data: bytes) -> bytes:
        return data.replace(b"</sheetData>", b'<row r="9"><c s="0" r = \'' + ref.encode() + b"'><v>1</v></c></row></sheetData>")

    path = bad.rewrite_part(seed, tmp_path / "far.xlsx", "xl/worksheets/sheet8.xml", far)
    ins = examine(path)
    assert ins.refused and [(f.code, f.sheet) for f in ins.findings] == [(code, "_perfxl")]
    # The message names what is wrong: the cell beyond column ZZ, or the row count.
    assert (ref if code == "F023" else "999999") in ins.findings[0].message("zh")


def test_a_far_cell_in_a_sheet_the_reader_skips_is_still_refused(seed, tmp_path):
    """填报说明 is never parsed, but the file goes on to openpyxl and LibreOffice: still vetted."""
    def far(data: bytes) -> bytes:
        return data.replace(b"</sheetData>", b'<row r="9"><c r="XFD1048576"><v>1</v></c></row></sheetData>')

    ins = examine(bad.rewrite_part(seed, tmp_path / "far.xlsx", "xl/worksheets/sheet1.xml", far))
    assert [(f.code, f.sheet, f.actual) for f in ins.findings] == [("F023", "填报说明", "XFD1048576")]
    assert "XFD1048576" in ins.findings[0].message("en") and "column ZZ" in ins.findings[0].message("en")


def test_a_binary_that_is_not_a_workbook_is_not_called_text(tmp_path):
    exe = tmp_path / "setup.xlsx"
    exe.write_bytes(b"MZ" + b"\x00" * 200 + b"PK\x03\x04")
    nul = tmp_path / "nul.xlsx"
    nul.write_bytes(b"\x01\x00\x02\x00" * 100)
    csv = tmp_path / "data.xlsx"
    csv.write_text("单位,金额\n科协,1\n", "utf-8")
    said = {p.name: examine(p).findings[0].message("en") for p in (exe, nul, csv)}
    assert [examine(p).findings[0].code for p in (exe, nul, csv)] == ["F003"] * 3
    assert "Windows program" in said["setup.xlsx"] and "text file" not in said["nul.xlsx"]
    assert "text file" in said["data.xlsx"]


def test_far_cell_guard_ignores_lookalike_attributes(seed, tmp_path):
    def lookalike(data: bytes) -> bytes:
        return data.replace(b"</worksheet>", b'<pageSetup paper="9" header="12345" footer="ABCD"/></worksheet>')

    path = bad.rewrite_part(seed, tmp_path / "ok.xlsx", "xl/worksheets/sheet8.xml", lookalike)
    assert not examine(path).refused


# ---------------------------------------------------------------------------
# Parser isolation: a parser that aborts or hangs costs one file, not the batch
# ---------------------------------------------------------------------------

needs_fork = pytest.mark.skipif(not hasattr(__import__("os"), "fork"), reason="needs os.fork")


@needs_fork
def test_parser_abort_is_contained(seed, monkeypatch):
    import os

    import perfxl.read.grids as grids
    import perfxl.reader as reader

    monkeypatch.setattr(grids, "read_grids", lambda *a, **k: os.abort())  # what calamine does on a huge allocation
    with pytest.raises(reader.ParserCrashed, match="signal"):
        reader.read_grids_isolated(seed)


@needs_fork
def test_parser_timeout_is_contained(seed, monkeypatch):
    import perfxl.read.grids as grids
    import perfxl.reader as reader

    monkeypatch.setattr(grids, "read_grids", lambda *a, **k: time.sleep(30))
    t = time.perf_counter()
    with pytest.raises(reader.ParserCrashed, match="timed out"):
        reader.read_grids_isolated(seed, timeout=0.5)
    assert time.perf_counter() - t < 5


@needs_fork
def test_isolated_read_matches_and_reports(seed, monkeypatch, tmp_path):
    import perfxl.read.grids as grids
    import perfxl.reader as reader

    assert reader.read_grids_isolated(seed) == reader.read_grids(seed)
    with pytest.raises(reader.TooManyRows):
        reader.read_grids_isolated(seed, max_rows=5)
    # Through read_unit: an ods whose parser dies is one F001, not a dead batch.
    ods = bad.ods_empty_tail(None, tmp_path / "x.ods")
    monkeypatch.setattr(grids, "read_workbook_grids", lambda *a, **k: __import__("os").abort())
    u = read_unit(ods)
    assert not u.readable and [f.code for f in u.findings] == ["F001"]
    assert "crashed" in u.findings[0].message("en")


@pytest.mark.lo
@pytest.mark.slow
def test_damaged_xls_and_ods_never_kill_the_reader(seed, soffice_convert, tmp_path):
    """Random byte damage to real xls/ods files: always a Unit, never an exception or a
    dead process (calamine aborts on some damaged BIFF; the child absorbs it)."""
    import random

    rng = random.Random(2)
    for fmt in ("xls", "ods"):
        base = soffice_convert(seed, fmt, tmp_path / fmt).read_bytes()
        for i in range(60):
            b = bytearray(base)
            for _ in range(rng.randint(1, 20)):
                b[rng.randrange(len(b))] = rng.randrange(256)
            p = tmp_path / f"m{i}.{fmt}"
            p.write_bytes(bytes(b))
            u = read_unit(p)
            assert u.readable or u.findings


@pytest.mark.parametrize("cut", [1, 5, 40, 150, 210, 216])
def test_far_cell_found_across_a_chunk_boundary_whatever_the_whitespace(cut):
    """A sheet part is scanned in 1 MB chunks; a reference attribute spread over much
    whitespace (valid XML) and cut by a chunk boundary must still be found."""
    import io

    from perfxl.guards import _far_cell

    attr = b"<c r" + b" " * 100 + b"=" + b" " * 100 + b'"XFD1048576"><v>1</v></c>'
    start = b'<worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>'
    end = b"</row></sheetData></worksheet>"
    filler = (1 << 20) - len(start) - len(b"</t></is></c>") - cut  # the boundary falls `cut` bytes into attr
    data = start + b"x" * filler + b"</t></is></c>" + attr + end
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as z:  # stored: chunks of exactly 1 MB
        z.writestr("xl/worksheets/sheet1.xml", data)
    with zipfile.ZipFile(buf) as zf:
        assert _far_cell(zf, zf.infolist()[0], buf, 100_000) is not None


# ---------------------------------------------------------------------------
# The far-cell pre-scan (_far_ref) answers exactly as the exact scan (_far_cell)
# ---------------------------------------------------------------------------

_FAR_CASES = [
    b'<c r="A1"><v>1</v></c><c r="M103"><v>2</v></c>',  # an ordinary sheet
    b'<c r="A1"/><c r="XFD1048576"><v>1</v></c>',  # far both ways
    b'<c r="AAA1"><v>1</v></c>',  # beyond column ZZ
    b'<c r="ZZ1"><v>1</v></c>',  # the last column allowed
    b'<c r="A5000"><v>1</v></c>',  # the last row allowed
    b'<c r="A5001"><v>1</v></c>',  # one row too far
    b'<c r="B4999"><v>1</v></c><c r="C1000"><v>1</v></c>',  # long rows, not far: the exact scan decides
    b"<c r = 'A99999'><v>1</v></c>",  # any quoting and spacing
    b'<c\tr\n=\r\n"XFD1"><v>1</v></c>',
    b'<row r="12345"><c r="A1"><v>1</v></c></row>',  # a far row element
    b'<pageSetup paper="12345" header="0.3" footer="ABCD"/><c r="A1"/>',  # look-alike attributes
    b'<c r="A1" s="1234" t="s"><v>98765</v></c>',  # long numbers elsewhere
    b'<c r="A1" t="inlineStr"><is><t>r="XFD1" ABCDEF 123456</t></is></c>',  # text, not an attribute
    b'<sheetView><selection sqref="A10000"/></sheetView><c r="A1"/>',
]


@pytest.mark.parametrize("body", _FAR_CASES)
def test_far_ref_prescan_agrees_with_the_exact_scan(body):
    import io

    from perfxl.guards import _far_cell, _far_ref

    data = b"<worksheet><sheetData>" + body + b"</sheetData></worksheet>"
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/worksheets/sheet1.xml", data)
    with zipfile.ZipFile(buf) as zf:
        exact = _far_cell(zf, zf.infolist()[0], buf, 5000)
    assert _far_ref(data, 5000) == exact


def test_far_ref_prescan_agrees_on_random_references():
    """Random reference attributes (any letters, digits, spacing, quotes) amid random XML."""
    import io
    import random

    from perfxl.guards import _far_cell, _far_ref

    rng = random.Random(7)
    for _ in range(300):
        parts = []
        for _ in range(rng.randint(1, 8)):
            ref = "".join(rng.choice("ABXZ") for _ in range(rng.randint(0, 4))) + str(rng.choice(
                [1, 9, 103, 999, 4999, 5000, 5001, 12345, 1048576]))
            ws = lambda: rng.choice(["", " ", "\t", "\n ", "  "])  # noqa: E731
            q = rng.choice(['"', "'"])
            name = rng.choice(["r", "r", "sqref", "paper"])
            parts.append(f'<c{rng.choice([" ", chr(10)])}{name}{ws()}={ws()}{q}{ref}{q} s="{rng.randint(0, 2000)}"/>')
        data = ("<worksheet><sheetData>" + "".join(parts) + "</sheetData></worksheet>").encode()
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
            z.writestr("xl/worksheets/sheet1.xml", data)
        with zipfile.ZipFile(buf) as zf:
            assert _far_ref(data, 5000) == _far_cell(zf, zf.infolist()[0], buf, 5000), data


def test_plain_zip_directory_reads_as_zipfile_does(seed, tmp_path):
    """The guard's own reading of a plain zip's central directory gives exactly the
    members zipfile gives; anything it does not read (damage, zip64, a comment, a
    prefix) is left to zipfile — never accepted where zipfile would refuse."""
    import io
    import random

    from perfxl.guards import _plain_directory

    def members(data: bytes):
        try:
            infos = zipfile.ZipFile(io.BytesIO(data)).infolist()
        except Exception:  # noqa: BLE001 - zipfile refuses: the fast read must not accept
            return None
        return [(i.filename, i.flag_bits, i.compress_type, i.compress_size, i.file_size, i.header_offset)
                for i in infos]

    base = seed.read_bytes()
    fast = _plain_directory(base)
    assert fast is not None and [(m.filename, m.flag_bits, m.compress_type, m.compress_size, m.file_size,
                                  m.header_offset) for m in fast] == members(base)
    comment = io.BytesIO()
    with zipfile.ZipFile(comment, "w") as z:
        z.writestr("a.xml", "<a/>")
        z.comment = b"note"
    assert _plain_directory(comment.getvalue()) is None and members(comment.getvalue())
    assert _plain_directory(b"junk" + base) is None  # a prefix: zipfile's to read

    rng = random.Random(3)
    accepted = 0
    for _ in range(1500):
        b = bytearray(base)
        for _ in range(rng.randint(1, 4)):  # mostly in the central directory, at the end
            i = rng.randrange(len(b) - 1500, len(b)) if rng.random() < 0.9 else rng.randrange(len(b))
            b[i] = rng.randrange(256)
        got = _plain_directory(bytes(b))
        if got is not None:
            accepted += 1
            assert [(m.filename, m.flag_bits, m.compress_type, m.compress_size, m.file_size, m.header_offset)
                    for m in got] == members(bytes(b))
    assert accepted > 100  # damage outside the directory still reads the fast way


def test_a_part_written_twice_is_refused(seed, tmp_path):
    """A zip holding one part name twice reads differently in different programs: refused,
    naming the part, before any parser picks one."""
    import warnings

    dup = tmp_path / "dup.xlsx"
    with zipfile.ZipFile(seed) as zin, zipfile.ZipFile(dup, "w", zipfile.ZIP_DEFLATED) as z:
        for i in zin.infolist():
            z.writestr(i, zin.read(i.filename))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # zipfile warns of the duplicate name: that is the point
            z.writestr("xl/worksheets/sheet3.xml", b"<worksheet/>")
    ins = examine(dup)
    assert ins.refused and [f.code for f in ins.findings] == ["F001"]
    assert "xl/worksheets/sheet3.xml" in ins.findings[0].message("en")
    assert not examine(seed).refused
