"""Fuzzing helpers shared by tests/test_fuzz.py and scripts/fuzz.py.

Two families of mutation, each described by plain data that hypothesis draws (so a
failure shrinks to a short, printable list of operations):

* **cell edits** through openpyxl (:func:`cell_ops`, :func:`apply_cell_ops`): random values
  in the template's input cells and at random addresses, deleted rows, merged ranges,
  renamed or deleted sheets;
* **byte damage** (:func:`byte_ops`, :func:`apply_byte_ops`, :func:`zip_member_ops`,
  :func:`apply_zip_member_ops`): bits flipped, bytes overwritten, inserted or cut off in
  the file itself, or in one XML part of the zip which is then re-zipped.

:func:`assert_well_formed` states what every run must give, whatever the input: a
FileReport whose findings all come from the catalogue, at valid addresses, serialisable
as JSON, with an F error when the file is unreadable, and no internal error (F902).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import faulthandler
import io
import json
import math
import os
import re
import signal
import tempfile
import time
import traceback
import zipfile
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

from perfxl.catalogue import get_rule
from perfxl.findings import Severity
from perfxl.spec import DEPT, FormSheet, TableSheet, addr

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"

# Bases for cell edits (openpyxl can only load .xlsx) and for byte damage (every format).
XLSX_BASES = ("000_桃源县科学技术协会.xlsx", "003_示例县教育局.xlsx", "006_示例县民政局.xlsx")
# The .xls/.ods copies of the seed are made by LibreOffice and may be absent.
BYTE_BASES = tuple(b for b in ("000_桃源县科学技术协会.xlsx", "000_桃源县科学技术协会.xls",
                               "000_桃源县科学技术协会.ods", "003_示例县教育局.xlsx")
                   if (SAMPLES / b).exists())

INTERNAL_CODES = frozenset({"F902"})  # a rule or the reader raised: always a bug
_A1 = re.compile(r"^([A-Z]{1,3})([1-9][0-9]{0,6})$")
_PLACEHOLDER = re.compile(r"\{[A-Za-z_][A-Za-z0-9_]*\}")


def input_cells() -> list[tuple[str, str]]:
    """Every (sheet, cell) a clerk types into, from the spec (never hand-written)."""
    out: list[tuple[str, str]] = []
    for s in DEPT.sheets:
        if isinstance(s, FormSheet):
            out += [(s.name, s.cell(f.key)) for f in s.fields]
        elif isinstance(s, TableSheet):
            for row in range(s.first_row, s.last_row + 1):
                out += [(s.name, addr(row, s.col_of(c.key))) for c in s.columns if not c.computed]
            out += [(s.name, s.after_cell(f.key)) for f in s.after]
    return out


INPUT_CELLS = input_cells()
SHEETS = DEPT.sheet_names

# ---------------------------------------------------------------------------
# Values
# ---------------------------------------------------------------------------

_FORMULAS = ("=1/0", "=A1", "=B2", "=SUM(A1:A3)", "=#REF!", '=HYPERLINK("http://x","y")', "=NA()",
             "=1E308*10", "=Sheet9!A1", "=INDIRECT(\"A\"&1)", "=" + "(" * 50 + "1" + ")" * 50)
_SPECIAL_TEXT = ("", " ", "无", "完成", "100%", "1,234.5", "１２３", "（空）", "-", "—", "N/A", "#DIV/0!",
                 "1e999", "-0", "0x10", "TRUE", "=1+1", "+1", "@SUM(1)", "\u200b", "\ufeff12",
                 "一百二十三", "12万元", "2023年", "31/02/2023", "9" * 400)


def values() -> st.SearchStrategy[Any]:
    """Anything a cell may hold, and more: text (control characters, very long), numbers
    (NaN, infinities, huge, negative), dates, booleans, formulas and None."""
    return st.one_of(
        st.none(),
        st.booleans(),
        st.integers(min_value=-(10**20), max_value=10**20),
        st.floats(allow_nan=True, allow_infinity=True),
        st.sampled_from([0.0, -0.0, 1e308, -1e308, 5e-324, 1e15 + 0.3, 123456789012345678.0]),
        st.text(max_size=40),
        st.text(alphabet=st.characters(min_codepoint=0, max_codepoint=0x3000), max_size=20),
        st.sampled_from(_SPECIAL_TEXT),
        st.integers(min_value=100, max_value=40000).map(lambda n: "长" * n),
        st.dates(min_value=dt.date(1900, 3, 1), max_value=dt.date(9999, 12, 31)),
        st.datetimes(min_value=dt.datetime(1900, 3, 1), max_value=dt.datetime(9999, 12, 31)),
        st.times(),
        st.sampled_from(_FORMULAS),
    )


# ---------------------------------------------------------------------------
# Cell edits through openpyxl
# ---------------------------------------------------------------------------


def _any_addr() -> st.SearchStrategy[str]:
    small = st.builds(addr, st.integers(1, 120), st.integers(1, 16))
    far = st.builds(addr, st.integers(1, 1_048_576), st.integers(1, 16_384))
    return st.one_of(small, small, far)


def cell_ops() -> st.SearchStrategy[list[tuple]]:
    """A short list of edits; each a tuple naming what to do (printable when shrunk)."""
    sheet = st.sampled_from(SHEETS)
    set_input = st.tuples(st.just("set"), st.sampled_from(INPUT_CELLS), values())
    set_any = st.tuples(st.just("set"), st.tuples(sheet, _any_addr()), values())
    delete_rows = st.tuples(st.just("delete_rows"), sheet, st.integers(1, 110), st.integers(1, 5))
    insert_rows = st.tuples(st.just("insert_rows"), sheet, st.integers(1, 110), st.integers(1, 3))
    delete_cols = st.tuples(st.just("delete_cols"), sheet, st.integers(1, 12), st.integers(1, 2))
    merge = st.tuples(st.just("merge"), sheet, st.integers(1, 110), st.integers(1, 11),
                      st.integers(0, 4), st.integers(0, 3))
    rename = st.tuples(st.just("rename"), sheet,
                       st.one_of(st.sampled_from(["Sheet1", "基本信息 ", "预算执行(2)", "x", "绩效指标"]),
                                 st.text(min_size=1, max_size=31)))
    delete_sheet = st.tuples(st.just("delete_sheet"), sheet)
    add_sheet = st.tuples(st.just("add_sheet"), st.integers(0, 8))
    op = st.one_of(set_input, set_input, set_input, set_any, set_any, delete_rows, insert_rows,
                   delete_cols, merge, rename, delete_sheet, add_sheet)
    return st.lists(op, min_size=1, max_size=12)


_SHIFTS = {"delete_rows", "insert_rows", "delete_cols"}
_SHIFT_LIMIT = 200_000  # cells in a sheet's used rectangle beyond which shifts are skipped


def _put(cell: Any, value: Any) -> None:
    try:
        cell.value = value
    except Exception:  # noqa: BLE001 - openpyxl refuses XML-illegal characters and some types
        cell.value = re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", "?", value) if isinstance(value, str) else None


def apply_cell_ops(src: Path, dest: Path, ops: list[tuple]) -> Path:
    """Load ``src`` with openpyxl, apply ``ops`` (see :func:`cell_ops`), save to ``dest``.

    An edit openpyxl refuses (an illegal title, deleting the last sheet…) is skipped: the
    point is the file that results, not openpyxl's own checks.
    """
    import openpyxl

    wb = openpyxl.load_workbook(src)
    for op in ops:
        kind = op[0]
        try:
            if kind == "add_sheet":
                wb.create_sheet(f"新表{op[1]}", index=op[1])
                continue
            if kind == "set":
                (name, a1), value = op[1], op[2]
            else:
                name = op[1]
            if name not in wb.sheetnames:
                continue
            ws = wb[name]
            if kind in _SHIFTS and ws.max_row * ws.max_column > _SHIFT_LIMIT:
                continue  # openpyxl shifts cell by cell over the whole rectangle: minutes
            if kind == "set":
                _put(ws[a1], value)
            elif kind == "delete_rows":
                ws.delete_rows(op[2], op[3])
            elif kind == "insert_rows":
                ws.insert_rows(op[2], op[3])
            elif kind == "delete_cols":
                ws.delete_cols(op[2], op[3])
            elif kind == "merge":
                r, c, dr, dc = op[2:]
                if dr or dc:
                    ws.merge_cells(start_row=r, start_column=c, end_row=r + dr, end_column=c + dc)
            elif kind == "rename":
                ws.title = op[2]
            elif kind == "delete_sheet" and len(wb.sheetnames) > 1:
                wb.remove(ws)
        except Exception:  # noqa: BLE001, S112 - see docstring
            continue
    try:
        wb.save(dest)
    except Exception:  # noqa: BLE001 - a value openpyxl cannot serialise: drop the odd ones
        # Only the cells that exist (ws._cells): iter_rows() would walk the whole
        # rectangle up to a far address such as XFD1048576 — billions of cells.
        for ws in wb.worksheets:
            for c in list(ws._cells.values()):
                if isinstance(c.value, float) and not math.isfinite(c.value):
                    c.value = None
                elif not isinstance(c.value, (str, int, float, bool, type(None))):
                    c.value = str(c.value)
        wb.save(dest)
    return dest


# ---------------------------------------------------------------------------
# Byte damage
# ---------------------------------------------------------------------------

_frac = st.floats(min_value=0.0, max_value=1.0, allow_nan=False)


def byte_ops() -> st.SearchStrategy[list[tuple]]:
    """Damage at positions given as fractions of the length (so ops fit any file)."""
    flip = st.tuples(st.just("flip"), _frac, st.integers(0, 7))
    overwrite = st.tuples(st.just("overwrite"), _frac, st.binary(min_size=1, max_size=64))
    insert = st.tuples(st.just("insert"), _frac, st.binary(min_size=1, max_size=64))
    delete = st.tuples(st.just("delete"), _frac, st.integers(1, 256))
    truncate = st.tuples(st.just("truncate"), _frac)
    op = st.one_of(flip, flip, overwrite, insert, delete, truncate)
    return st.lists(op, min_size=1, max_size=6)


def apply_byte_ops(data: bytes, ops: list[tuple]) -> bytes:
    """``data`` with ``ops`` (see :func:`byte_ops`) applied in order."""
    buf = bytearray(data)
    for op in ops:
        kind, frac = op[0], op[1]
        pos = min(int(frac * len(buf)), max(len(buf) - 1, 0))
        if kind == "flip" and buf:
            buf[pos] ^= 1 << op[2]
        elif kind == "overwrite":
            buf[pos:pos + len(op[2])] = op[2]
        elif kind == "insert":
            buf[pos:pos] = op[2]
        elif kind == "delete":
            del buf[pos:pos + op[2]]
        elif kind == "truncate":
            del buf[pos:]
    return bytes(buf)


# Targeted edits of XML text: what a broken exporter or a hand-edited file may hold.
XML_EDITS: tuple[tuple[str, str], ...] = (
    (r'r="([A-Z]+)(\d+)"', r'r="XFD1048577"'),
    (r'r="([A-Z]+)(\d+)"', r'r="\1 0"'),
    (r'r="[A-Z]+\d+"', ""),
    (r'<dimension ref="[^"]*"', '<dimension ref="A1:XFD1048576"'),
    (r't="s"', 't="n"'),
    (r't="n"', 't="s"'),
    (r't="s"', 't="b"'),
    (r't="s"', 't="e"'),
    (r't="s"', 't="d"'),
    (r't="s"', 't="inlineStr"'),
    (r"<v>\d+</v>", "<v>999999999</v>"),
    (r"<v>[^<]*</v>", "<v>-1</v>"),
    (r"<v>[^<]*</v>", "<v>1e400</v>"),
    (r"<v>[^<]*</v>", "<v>NaN</v>"),
    (r"<v>[^<]*</v>", "<v>abc</v>"),
    (r"<v>[^<]*</v>", "<v></v>"),
    (r"<t[^>]*>[^<]*</t>", "<t>\x01\x02</t>"),
    (r"<t[^>]*>[^<]*</t>", "<t>&#1;&#xFFFE;</t>"),
    (r"<t[^>]*>[^<]*</t>", "<t>" + "长" * 40000 + "</t>"),
    (r'<sheet [^>]*name="[^"]*"', '<sheet name=""'),
    (r'name="([^"]*)"', r'name="\1\1"'),
    (r'<mergeCell ref="[^"]*"', '<mergeCell ref="A1:XFD1048576"'),
    (r'<mergeCell ref="[^"]*"', '<mergeCell ref="B2:A1"'),
    (r"<f>[^<]*</f>", "<f>1/0</f>"),
    (r'<\?xml[^>]*\?>', '<?xml version="1.0" encoding="UTF-16"?>'),
    (r'<\?xml[^>]*\?>', '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]>'),
    (r"</sheetData>", ""),
    (r"<row [^>]*>", '<row r="0">'),
    (r"<row [^>]*>", '<row r="2000000">'),
    (r'count="\d+"', 'count="-5"'),
    (r'uniqueCount="\d+"', 'uniqueCount="999999999"'),
    (r"<si>", ""),
)


def zip_member_ops() -> st.SearchStrategy[tuple[int, str, Any]]:
    """(member index mod count, 'bytes' | 'xml' | 'drop' | 'dup', its ops)."""
    member = st.integers(0, 50)
    as_bytes = st.tuples(member, st.just("bytes"), byte_ops())
    as_xml = st.tuples(member, st.just("xml"),
                       st.lists(st.tuples(st.integers(0, len(XML_EDITS) - 1), st.integers(0, 30)),
                                min_size=1, max_size=4))
    drop = st.tuples(member, st.just("drop"), st.none())
    return st.one_of(as_bytes, as_xml, as_xml, drop)


def _xml_edit(text: str, which: int, nth: int) -> str:
    pattern, repl = XML_EDITS[which]
    hits = list(re.finditer(pattern, text))
    if not hits:
        return text
    m = hits[nth % len(hits)]
    return text[:m.start()] + m.expand(repl) + text[m.end():]


def apply_zip_member_ops(data: bytes, op: tuple[int, str, Any]) -> bytes:
    """Re-zip ``data`` with one member changed (see :func:`zip_member_ops`).

    Members are sorted by name so the same op hits the same part whatever the writer's
    order; a file that is not a zip comes back unchanged.
    """
    try:
        zin = zipfile.ZipFile(io.BytesIO(data))
        infos = sorted(zin.infolist(), key=lambda i: i.filename)
        parts = [(i, zin.read(i)) for i in infos]
    except Exception:  # noqa: BLE001 - .xls is not a zip
        return data
    if not parts:
        return data
    index, kind, arg = op
    target = index % len(parts)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for k, (info, body) in enumerate(parts):
            if k == target:
                if kind == "drop":
                    continue
                if kind == "bytes":
                    body = apply_byte_ops(body, arg)
                elif kind == "xml":
                    text = body.decode("utf-8", errors="surrogateescape")
                    for which, nth in arg:
                        text = _xml_edit(text, which, nth)
                    body = text.encode("utf-8", errors="surrogateescape")
            zout.writestr(info.filename, body)
    return out.getvalue()


def target_member(data: bytes, index: int) -> str | None:
    """The name of the member ``index`` hits (for messages)."""
    try:
        names = sorted(zipfile.ZipFile(io.BytesIO(data)).namelist())
    except Exception:  # noqa: BLE001
        return None
    return names[index % len(names)] if names else None


# ---------------------------------------------------------------------------
# What must hold
# ---------------------------------------------------------------------------


def _valid_a1(cell: str) -> bool:
    m = _A1.match(cell)
    if not m:
        return False
    letters, row = m.groups()
    col = 0
    for ch in letters:
        col = col * 26 + ord(ch) - 64
    return 1 <= col <= 16_384 and 1 <= int(row) <= 1_048_576


def finding_problems(findings: Any) -> list[str]:
    """What is wrong with these findings (empty when all is well)."""
    problems = []
    for f in findings:
        try:
            get_rule(f.code)
        except KeyError:
            problems.append(f"{f.code}: not in the catalogue")
            continue
        if not isinstance(f.severity, Severity):
            problems.append(f"{f.code}: severity {f.severity!r}")
        if f.code in INTERNAL_CODES:
            problems.append(f"{f.code} internal error: {dict(f.params)}")
        if f.sheet is not None and (not isinstance(f.sheet, str) or not f.sheet):
            problems.append(f"{f.code}: sheet {f.sheet!r}")
        if f.cell is not None:
            if not isinstance(f.cell, str) or not _valid_a1(f.cell):
                problems.append(f"{f.code}: cell {f.cell!r} is not an A1 address")
            if f.sheet is None:
                problems.append(f"{f.code}: cell {f.cell!r} without a sheet")
        for lang in ("zh", "en"):
            msg = f.message(lang)
            if _PLACEHOLDER.search(msg):
                problems.append(f"{f.code}: unfilled placeholder in {lang} message {msg!r}")
    return problems


def assert_well_formed(report: Any, path: Path) -> None:
    """Everything a FileReport must satisfy, whatever file it came from."""
    from perfxl.report import FileReport

    assert isinstance(report, FileReport), type(report)
    assert report.path == str(path)
    problems = finding_problems(report.findings)
    assert not problems, problems
    assert all(f.path == str(path) for f in report.findings)
    for lang in ("zh", "en"):
        text = json.dumps(report.to_dict(lang), ensure_ascii=False, allow_nan=False)
        assert json.loads(text)["readable"] is report.readable
    if not report.readable:
        assert any(f.code.startswith("F") and f.severity is Severity.ERROR for f in report.findings), \
            [f.code for f in report.findings]
        assert report.status == "unreadable"


def assert_unit_well_formed(unit: Any) -> None:
    """read_unit's result: a Unit, its findings well formed, F error when unreadable."""
    from perfxl.model import Unit

    assert isinstance(unit, Unit), type(unit)
    problems = finding_problems(unit.findings)
    assert not problems, problems
    if not unit.readable:
        assert any(f.code.startswith("F") and f.severity is Severity.ERROR for f in unit.findings)


# The functions that call into the parser library (python-calamine) inside the reader's
# ``_parsing`` boundary: an exception raised there is the library's answer about the file.
PARSER_BOUNDARY = frozenset({"_open_calamine", "read_grids", "read_workbook_grids"})


def own_code_problems(causes: list[BaseException | None]) -> list[str]:
    """The F001s (file unreadable) whose cause is an exception in perfxl's own code: a bug
    told to the clerk as a damaged file.  ``causes`` holds the exception being handled when
    each F001 was made (None for an F001 made without one)."""
    from perfxl.reader import ParserCrashed, ParserError

    problems = []
    for exc in causes:
        if exc is None or isinstance(exc, ParserCrashed):
            continue  # the guards' or the isolated parser's own answer
        root = exc.__cause__ if isinstance(exc, ParserError) else exc
        if root is None:
            continue  # the isolated parser's answer, sent back from its process
        tb = root.__traceback__
        while tb is not None and tb.tb_next is not None:
            tb = tb.tb_next
        frame = tb.tb_frame if tb is not None else None
        module = frame.f_globals.get("__name__", "") if frame is not None else ""
        if not isinstance(exc, ParserError) or (module.startswith("perfxl") and
                                                 frame.f_code.co_name not in PARSER_BOUNDARY):
            where = f"{module}.{frame.f_code.co_name}:{tb.tb_lineno}" if frame is not None else "?"
            problems.append(f"F001 from {type(root).__name__}: {root} raised in perfxl's own code ({where})")
    return problems


@contextlib.contextmanager
def recording_f001() -> Any:
    """Record, for each F001 the reader makes, the exception it was handling."""
    import sys

    import perfxl.read.unit as reader

    real = reader.F001
    causes: list[BaseException | None] = []

    def recording(*args: Any, **kwargs: Any) -> Any:
        causes.append(sys.exc_info()[1])
        return real(*args, **kwargs)

    reader.F001 = recording
    try:
        yield causes
    finally:
        reader.F001 = real


def check_mutant(path: Path) -> Any:
    """Run the library over one mutated file and assert the invariants; the report.

    Beyond a well-formed report: no F001 may come from an exception in perfxl's own code
    (a bug in the reader is F902, which :func:`finding_problems` refuses too)."""
    from perfxl.check import CheckOptions, check_file
    from perfxl.reader import read_unit
    from perfxl.rulebook import default_rulebook

    rulebook = default_rulebook()
    with recording_f001() as causes:
        assert_unit_well_formed(read_unit(path, rulebook=rulebook))
        report = check_file(path, CheckOptions(rulebook=rulebook))
    assert_well_formed(report, path)
    problems = own_code_problems(causes)
    assert not problems, problems
    return report


# ---------------------------------------------------------------------------
# Isolation: one example in a forked child with a memory cap and a time limit
# ---------------------------------------------------------------------------

MEM_HEADROOM_MB = 1536  # what one small workbook may add to the process's address space
TIME_LIMIT_S = 60.0


def _vm_size() -> int:
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmSize:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def run_isolated(fn: Any, *args: Any, headroom_mb: int = MEM_HEADROOM_MB,
                 time_limit: float = TIME_LIMIT_S) -> str | None:
    """Run ``fn(*args)`` in a forked child capped at ``headroom_mb`` more address space
    than this process has and ``time_limit`` seconds; None when it returned, else what
    went wrong (the exception's traceback, the signal that killed it — SIGABRT is what
    a Rust allocation failure in calamine looks like — or the timeout).

    Where fork is unavailable it runs in this process (no cap).
    """
    if not hasattr(os, "fork"):  # pragma: no cover - Windows
        try:
            fn(*args)
        except BaseException:  # noqa: BLE001
            return traceback.format_exc()
        return None
    import resource  # POSIX only

    rfd, wfd = os.pipe()
    cap = _vm_size() + headroom_mb * 1024 * 1024
    err = tempfile.TemporaryFile()  # noqa: SIM115 - closed on every path below; the child's stderr
    pid = os.fork()
    if pid == 0:  # the child: never returns into the caller's code (pytest, hypothesis)
        code = 0
        try:
            os.close(rfd)
            faulthandler.disable()  # pytest's handler writes to the real stderr: the report says it
            os.dup2(err.fileno(), 2)
            resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
            fn(*args)
        except BaseException:  # noqa: BLE001
            code = 1
            with contextlib.suppress(Exception):
                os.write(wfd, traceback.format_exc()[-8000:].encode("utf-8", "replace"))
        finally:
            os._exit(code)
    os.close(wfd)
    deadline = time.monotonic() + time_limit
    status = None
    while time.monotonic() < deadline:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            break
        time.sleep(0.01)
    else:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        os.close(rfd)
        err.close()
        return f"timed out after {time_limit:g} s"
    err.seek(0)
    native = err.read(1500).decode("utf-8", "replace")
    err.close()
    chunks = []
    while True:
        b = os.read(rfd, 65536)
        if not b:
            break
        chunks.append(b)
    os.close(rfd)
    text = b"".join(chunks).decode("utf-8", "replace")
    if os.WIFSIGNALED(status):
        sig = os.WTERMSIG(status)
        return (f"killed by signal {signal.Signals(sig).name} (memory cap {headroom_mb} MB over the parent)\n"
                + native.split("stack backtrace")[0].strip())
    if os.WEXITSTATUS(status) != 0:
        return text or f"exit status {os.WEXITSTATUS(status)}"
    return None


def check_isolated(path: Path) -> None:
    """:func:`check_mutant` in a capped child; an AssertionError naming the problem."""
    problem = run_isolated(check_mutant, path)
    assert problem is None, f"{path}: {problem}"


def edit_and_check(src: Path, dest: Path, ops: list[tuple]) -> None:
    """:func:`apply_cell_ops` then :func:`check_mutant` (both in one capped child: a far
    address or a huge range can make openpyxl itself eat memory)."""
    check_mutant(apply_cell_ops(src, dest, ops))


def edit_and_check_isolated(src: Path, dest: Path, ops: list[tuple]) -> None:
    """:func:`edit_and_check` in a capped child; an AssertionError naming the problem."""
    problem = run_isolated(edit_and_check, src, dest, ops)
    assert problem is None, f"{dest} (from {src.name}, ops {ops!r:.2000}): {problem}"
