"""Read one filled workbook into a :class:`~perfxl.model.Unit`.

:func:`read_unit` never raises for bad input: whatever is wrong becomes a finding in
``unit.findings`` (with sheet and cell where there is one), and ``unit.readable`` is
False when the file cannot be read as a workbook of this template at all.

How it reads:

1. :func:`perfxl.guards.examine` looks at the bytes first (zip bombs, encryption,
   entities, far cells…); a refused file is never parsed.  Formats the guards cannot
   vet byte-wise (xls, xlsb, ods) are parsed in a forked child with a memory cap and a
   deadline (:func:`read_grids_isolated`): calamine aborts the process on some damaged
   files, and one bad file must not end a batch.
2. :func:`read_grids` turns every sheet into a list of rows (python-calamine, the
   engine behind ``pandas.read_excel(engine="calamine")``, used directly: pandas is not
   a dependency of reading; rows and columns start at A1 so indices align with addresses).
3. Everything is located by its label (:mod:`perfxl.spec`): form fields by the label in
   column A, tables by their header row (columns mapped by header text, so reordered or
   extra columns are fine), fixed rows by their label, free tables to the last
   non-blank row.
4. Each cell is parsed by its kind (:mod:`perfxl.numbers`).  Computed cells (template
   formulas) are read with ``formula=True`` and never trusted; a formula without a
   cached value — which calamine returns as empty — is found in the sheet XML
   (:mod:`perfxl.xmlprobe`) and reads as ``uncalculated``, never 0.  Formula error values
   (``#DIV/0!``), which calamine also returns as empty, are found the same way.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import math
import re
import threading
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from perfxl.findings import Finding
from perfxl.guards import examine
from perfxl.i18n import Text
from perfxl.memo import by_identity
from perfxl.model import (
    BudgetRow,
    Field,
    Goal,
    Indicator,
    ScoreRow,
    ThreePublicRow,
    Unit,
)
from perfxl.numbers import (
    ERROR_VALUES,
    Parsed,
    norm_label,
    parse_amount,
    parse_code,
    parse_date,
    parse_direction,
    parse_int,
    parse_number,
    parse_rate,
    parse_text,
    parse_value,
    parse_year,
)
from perfxl.rulebook import Rulebook, default_rulebook
from perfxl.rules.run import F901, F904, internal_error
from perfxl.rules.file import (
    F001,
    F002,
    F007,
    F013,
    F014,
    F015,
    F016,
    F017,
    F018,
    F019,
    F020,
    F021,
    F022,
)
from perfxl.rules.values import (
    V001,
    V002,
    V003,
    V004,
    V005,
    V006,
    V007,
    V008,
    V009,
    V010,
    V011,
    V012,
    V013,
    V014,
    V015,
    V016,
)
from perfxl.spec import (
    BUDGET,
    DEPT,
    GOALS,
    INDICATORS,
    PROFILE,
    QUALITATIVE,
    SELF_SCORE,
    SPECS,
    THREE_PUBLIC,
    Column,
    FormSheet,
    RowSpec,
    TableSheet,
    TemplateSpec,
    addr,
)
from perfxl.xmlprobe import XmlProbe

__all__ = [
    "read_unit", "read_units", "read_grids", "read_grids_isolated", "read_sheets", "run_isolated", "Book", "Sheets", "Refused",
    "TooManyRows", "ParserCrashed", "ParserTimedOut", "ParserError", "HEADER_SEARCH_ROWS", "ISOLATE_FORMATS",
]

Grid = list[list[Any]]

_norm = functools.lru_cache(maxsize=8192, typed=True)(norm_label)

_FLOAT_KINDS = frozenset({"amount", "number", "value", "rate"})
_PROBE_KINDS = frozenset({"amount", "number", "value", "rate", "int", "year"})
_TEXT_KINDS = frozenset({"text", "label", "choice"})

# How many rows from the top are searched for a table's header row.
HEADER_SEARCH_ROWS = 12

_KIND_NAMES: dict[str, tuple[str, str]] = {
    "amount": ("金额（数字，单位万元）", "an amount (a number, 万元)"),
    "number": ("数字", "a number"),
    "rate": ("比率（数字或百分比）", "a rate (a number or a percentage)"),
    "int": ("整数", "a whole number"),
    "value": ("数字（定量指标）", "a number (quantitative indicator)"),
    "year": ("年份", "a year"),
}


# ---------------------------------------------------------------------------
# Grids: the one place that talks to the spreadsheet library
# ---------------------------------------------------------------------------


@dataclass
class Book:
    """A workbook as grids: sheet names in order, each sheet a list of rows (A1 first)."""

    path: Path
    fmt: str
    names: list[str]
    grids: dict[str, Grid]
    suspect: bool = False  # the probe found uncalculated formulas or error values
    _probe: XmlProbe | None = None

    def probe(self) -> XmlProbe | None:
        """The sheet-XML probe (xlsx only): formula and error cells calamine hides."""
        if self.fmt != "xlsx":
            return None
        if self._probe is None:
            self._probe = XmlProbe(self.path)
        return self._probe


def _open_calamine(path: Path, by_content: bool):
    import python_calamine as pc

    try:
        if by_content:
            with open(path, "rb") as fh:
                return pc.CalamineWorkbook.from_filelike(fh)
        return pc.CalamineWorkbook.from_path(str(path))
    except BaseException as e:
        raise _as_parser_error(e) from e


class ParserError(Exception):
    """The spreadsheet library could not parse the file (a damaged or unsupported file).

    Raised only around the library's own calls (:func:`_as_parser_error`): an exception
    in perfxl's code is never one — it is a bug, reported as such (F902)."""

    def __init__(self, kind: str, detail: str):
        super().__init__(f"{kind}: {detail}")
        self.kind, self.detail = kind, detail


def _is_panic(e: BaseException) -> bool:
    # pyo3 turns a Rust panic into PanicException, which derives from BaseException.
    return type(e).__name__ == "PanicException"


def _as_parser_error(e: BaseException) -> BaseException:
    """What the parser library raised, as perfxl answers it: the file cannot be parsed
    (:class:`ParserError`) — except running out of memory, which is its own answer, and
    interrupts (Ctrl-C, the batch's time limit), which pass through as they are.  Used
    only around the library's own calls: an exception in perfxl's code is a bug."""
    if isinstance(e, (MemoryError, TooManyRows)) or not (isinstance(e, Exception) or _is_panic(e)):
        return e
    return ParserError(type(e).__name__, str(e)[:300])


def read_grids(path: str | Path, *, by_content: bool = False, max_rows: int | None = None,
               only: Collection[str] | None = None) -> tuple[list[str], dict[str, Grid]]:
    """Every sheet (or those named in ``only``) as a list of rows through python-calamine,
    starting at A1, and the names of all sheets in order.

    ``by_content`` opens the file by its bytes instead of its extension (an .xls renamed
    .xlsx).  A sheet taller than ``max_rows`` raises :class:`TooManyRows` before its
    cells are turned into Python objects.  What the library cannot parse raises
    :class:`ParserError`.
    """
    with _workbook(Path(path), by_content) as wb:
        # The loop between the library's calls only stores their results.
        names = list(wb.sheet_names)
        grids: dict[str, Grid] = {}
        for name in names:
            if only is not None and name not in only:
                continue
            sheet = wb.get_sheet_by_name(name)
            h = sheet.total_height or sheet.height
            if max_rows is not None and h > max_rows:
                raise TooManyRows(name, h)
            grids[name] = sheet.to_python(skip_empty_area=False)
        return names, grids


@contextlib.contextmanager
def _workbook(path: Path, by_content: bool) -> Iterator[Any]:
    """An open python-calamine workbook, closed after use; what the library raises while
    it is used is a :class:`ParserError` (see :func:`_as_parser_error`)."""
    wb = _open_calamine(path, by_content)
    try:
        yield wb
    except BaseException as e:
        err = _as_parser_error(e)
        if err is e:
            raise
        raise err from e
    finally:
        close = getattr(wb, "close", None)
        if close:
            close()


@dataclass
class Sheets:
    """Every sheet of a workbook as values (for a copy of a workbook openpyxl cannot open):
    names in order, grids, merged ranges ((first row, first col), (last row, last col),
    0-based) and the names of hidden sheets."""

    names: list[str]
    grids: dict[str, Grid]
    merged: dict[str, list[tuple[tuple[int, int], tuple[int, int]]]]
    hidden: set[str]


class Refused(Exception):
    """The guards refused the file: it must not be parsed (``findings`` say why)."""

    def __init__(self, findings: list[Finding]):
        super().__init__("; ".join(f.message() for f in findings) or "refused")
        self.findings = findings


def read_sheets(path: str | Path, rulebook: Rulebook | None = None) -> Sheets:
    """Every sheet's values through the same guarded read as :func:`read_unit`: the guards
    first (:class:`Refused`), the row limit (:class:`TooManyRows`), and xls/xlsb/ods in the
    isolated child with its memory cap and deadline.  Failures raise what
    :func:`read_grids_isolated` raises."""
    rulebook = rulebook or default_rulebook()
    p = Path(path)
    ins = examine(p, rulebook.limits)
    if ins.refused or ins.fmt is None:
        raise Refused(ins.findings)
    kwargs = {"by_content": not ins.extension_ok, "max_rows": rulebook.limits.max_rows}
    if ins.fmt in ISOLATE_FORMATS:
        return run_isolated(_read_sheets, p, timeout=rulebook.limits.timeout_seconds, **kwargs)
    return _read_sheets(p, **kwargs)


def _read_sheets(path: Path, *, by_content: bool, max_rows: int) -> Sheets:
    names, grids = read_grids(path, by_content=by_content, max_rows=max_rows)
    with _workbook(path, by_content) as wb:
        hidden = {m.name for m in wb.sheets_metadata if "hidden" in str(m.visible).lower()}
        merged = {}
        for name in names:
            ranges = getattr(wb.get_sheet_by_name(name), "merged_cell_ranges", None) or []
            merged[name] = [((r1, c1), (r2, c2)) for (r1, c1), (r2, c2) in ranges]
    return Sheets(names, grids, merged, hidden)


# Formats parsed in a child process.  The guards cannot vet binary BIFF records (xls,
# xlsb) or every ODS construct, and calamine answers some damaged files by aborting the
# whole process (a failed allocation of hundreds of GB is not an exception): a crash
# must cost one file, not the batch.  xlsx is guarded byte-wise and parsed in-process.
ISOLATE_FORMATS = frozenset({"xls", "xlsb", "ods"})
_CHILD_MEMORY = 2 << 30  # address space a child parser may add to what the parent had


class ParserCrashed(Exception):
    """The isolated parser died (a signal, an abort): the file cannot be parsed."""


class ParserTimedOut(ParserCrashed):
    """The isolated parser ran past its deadline (and was killed)."""


def read_grids_isolated(path: str | Path, *, timeout: float = 60, **kwargs: Any) -> tuple[list[str], dict[str, Grid]]:
    """:func:`read_grids` in a forked child with a memory cap and a deadline.

    The child sends the grids back pickled through a pipe.  A child that dies raises
    :class:`ParserCrashed`, one that overruns :class:`ParserTimedOut`; a
    :class:`TooManyRows`, :class:`ParserError` or :class:`MemoryError` in the child is
    raised again here, and any other exception in the child (a bug in perfxl) as a
    RuntimeError.  The child never outlives the caller: it is killed when the caller is
    interrupted (the batch's time limit, Ctrl-C), dies with its parent process (Linux),
    and has a CPU-time limit.  Where ``os.fork`` is missing (Windows) the grids are read
    in-process.
    """
    return run_isolated(read_grids, path, timeout=timeout, **kwargs)


def run_isolated(fn: Callable[..., Any], *args: Any, timeout: float = 60, **kwargs: Any) -> Any:
    """``fn(*args, **kwargs)`` in a forked child (see :func:`read_grids_isolated`); the
    result must pickle."""
    import os
    import pickle
    import select
    import signal
    import tempfile
    import time as _time

    if not hasattr(os, "fork"):  # pragma: no cover - Windows
        return fn(*args, **kwargs)
    r, w = os.pipe()
    err = tempfile.TemporaryFile()  # noqa: SIM115 - the child's stderr; closed below
    parent = os.getpid()
    pid = os.fork()
    if pid == 0:  # the child: parse, send, and leave without running any parent cleanup
        code = 0
        try:
            os.close(r)
            os.dup2(err.fileno(), 2)  # a Rust panic or allocation message is read by the parent
            import faulthandler

            faulthandler.disable()  # a crash here is expected and reported by the parent
            _bind_to_parent(parent, timeout)
            _cap_memory()
            try:
                result: tuple = ("ok", fn(*args, **kwargs))
            except TooManyRows as e:
                result = ("rows", e.sheet, e.rows)
            except ParserError as e:
                result = ("parser", e.kind, e.detail)
            except MemoryError as e:
                result = ("memory", str(e)[:300])
            except Exception as e:  # noqa: BLE001 - a bug in perfxl's code: reported to the parent as one
                result = ("bug", type(e).__name__, str(e)[:300])
            data = pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)
            with os.fdopen(w, "wb") as fh:
                fh.write(data)
        except BaseException:  # noqa: BLE001 - nothing may escape a forked child
            code = 1
        finally:
            os._exit(code)
    os.close(w)
    chunks: list[bytes] = []
    deadline = _time.monotonic() + timeout
    status: int | None = None
    try:
        while True:
            left = deadline - _time.monotonic()
            if left <= 0:
                raise ParserTimedOut(f"读取超时 timed out after {timeout:g} s")
            ready, _, _ = select.select([r], [], [], left)
            if ready:
                chunk = os.read(r, 1 << 20)
                if not chunk:
                    break
                chunks.append(chunk)
        _, status = os.waitpid(pid, 0)
    finally:
        os.close(r)
        if status is None:  # interrupted, timed out or failed: the child must not outlive this call
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        err.seek(0)
        stderr = err.read()[-4000:]
        err.close()
    if not chunks:
        if b"memory allocation of" in stderr:  # the Rust allocator gave up: out of memory
            raise MemoryError(f"解析程序内存不足 the parser ran out of memory ({stderr.decode(errors='replace').strip()[-200:]})")
        sig = os.WTERMSIG(status) if os.WIFSIGNALED(status) else None
        raise ParserCrashed(f"解析程序崩溃 the parser crashed ({'signal ' + str(sig) if sig else 'no result'})")
    result = pickle.loads(b"".join(chunks))  # noqa: S301 - our own child's answer
    if result[0] == "ok":
        return result[1]
    if result[0] == "rows":
        raise TooManyRows(result[1], result[2])
    if result[0] == "parser":
        raise ParserError(result[1], result[2])
    if result[0] == "memory":
        raise MemoryError(result[1])
    raise RuntimeError(f"{result[1]}: {result[2]}")


def _bind_to_parent(parent: int, timeout: float) -> None:
    """Make a forked child die with its parent (Linux: PR_SET_PDEATHSIG) and stop after
    a CPU-time limit a little above the deadline (everywhere with rlimits), so that a
    parser that hangs never outlives a worker killed on time-out."""
    import os
    import signal

    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG = 1
    except (OSError, AttributeError):  # not Linux: the CPU limit below still holds
        pass
    if os.getppid() != parent:  # the parent died before the signal was armed
        os._exit(1)
    try:
        import resource

        cpu = int(timeout) + 2
        soft, hard = resource.getrlimit(resource.RLIMIT_CPU)
        if hard != resource.RLIM_INFINITY:
            cpu = min(cpu, hard)
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, hard))
    except (ImportError, OSError, ValueError):  # no rlimits here: the parent's kill still stands
        pass


def _cap_memory() -> None:
    """Limit the child's address space so a runaway allocation fails fast."""
    try:
        import resource

        with open("/proc/self/statm") as fh:
            vsz = int(fh.read().split()[0]) * resource.getpagesize()
        cap = vsz + _CHILD_MEMORY
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard != resource.RLIM_INFINITY:
            cap = min(cap, hard)
        resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
    except (ImportError, OSError, ValueError):  # no /proc or no rlimits: parse uncapped
        pass


class TooManyRows(Exception):
    """A sheet taller than the row limit (raised by :func:`read_grids`)."""

    def __init__(self, sheet: str, rows: int):
        super().__init__(sheet, rows)
        self.sheet, self.rows = sheet, rows


def _get(grid: Grid, r: int, c: int) -> Any:
    """Cell at 0-based row/column; None beyond the (possibly ragged) grid."""
    if 0 <= r < len(grid):
        row = grid[r]
        if 0 <= c < len(row):
            v = row[c]
            return None if v == "" else v
    return None


def _row_blank(grid: Grid, r: int, cols: list[int], span: tuple[int, int] | None = None) -> bool:
    """Whether row ``r`` holds nothing (or only whitespace) in ``cols``.  ``span`` is
    (first, end) when ``cols`` is that whole contiguous range: a row of empty cells —
    most rows of a template table — is then told by one C-level count."""
    if r >= len(grid):
        return True
    row = grid[r]
    if span is not None:
        seg = row[span[0]:span[1]]
        if seg.count("") + seg.count(None) == len(seg):
            return True
    n = len(row)
    for c in cols:
        if c < n:
            v = row[c]
            if v is not None and v != "" and not (v.__class__ is str and not v.strip()):
                return False
    return True


# A1 addresses of 0-based (row, column), built a row at a time on first use: a file reads
# hundreds of cells and a table lookup costs a tenth of a cached call.
_A1_COLS = 32
_A1_TABLE: list[list[str]] = []


_A1_ROWS = 4096  # rows kept in the table; beyond, addresses are made on demand


_A1_LOCK = threading.Lock()


def _a1_row(r: int) -> list[str] | None:
    """The A1 addresses of 0-based row ``r``'s first :data:`_A1_COLS` columns (the table
    grows to it), or None for a row outside the table.

    The table is shared by every thread: it only ever grows, one whole row at a time under
    a lock (two threads growing it at once would append the same row twice and shift every
    address after it); readers index it without the lock, only below its length."""
    if not 0 <= r < _A1_ROWS:
        return None
    if r >= len(_A1_TABLE):
        with _A1_LOCK:
            while len(_A1_TABLE) <= r:
                n = len(_A1_TABLE) + 1
                _A1_TABLE.append([addr(n, k + 1) for k in range(_A1_COLS)])
    return _A1_TABLE[r]


def _a1(row: int, col: int) -> str:
    """1-based row and column → 'B3' (as :func:`perfxl.spec.addr`, from the table)."""
    a1s = _A1_TABLE[row - 1] if 0 < row <= len(_A1_TABLE) else _a1_row(row - 1)
    return a1s[col - 1] if a1s is not None and 0 < col <= _A1_COLS else addr(row, col)


# ---------------------------------------------------------------------------
# Reading cells
# ---------------------------------------------------------------------------


def _parser(kind: str, max_chars: int) -> Callable[[Any], Parsed]:
    if kind == "amount":
        return parse_amount
    if kind == "rate":
        return parse_rate
    if kind == "number":
        return _parse_points
    if kind == "int":
        return parse_int
    if kind == "year":
        return parse_year
    if kind == "date":
        return parse_date
    if kind == "uscc":
        return lambda raw: parse_code(raw, upper=True)
    if kind == "phone":
        return parse_code
    if kind == "value":
        return parse_value
    return lambda raw: parse_text(raw, max_chars)


def _parse_points(raw: Any) -> Parsed:
    """分值 / 自评得分: a number, '5分' accepted."""
    return parse_number(raw, units=_POINT_UNITS)


_POINT_UNITS = frozenset({"分"})


class _Reader:
    """Reads cells of one book, collecting findings."""

    def __init__(self, book: Book, rulebook: Rulebook):
        self.book = book
        self.rulebook = rulebook
        self.max_chars = rulebook.limits.max_cell_chars
        self.findings: list[Finding] = []
        # Uncalculated computed cells, per sheet: reported once per sheet (V003), since a
        # script-written file has dozens of them and perfxl recomputes them all anyway.
        self.uncalculated: dict[str, list[str]] = {}

    def uncalculated_findings(self) -> list[Finding]:
        """One V003 per sheet, at its first uncalculated computed cell, naming the rest."""
        out = []
        for sheet, cells in self.uncalculated.items():
            more = "…" if len(cells) > 6 else ""
            shown = Text("、".join(cells[:6]) + more, ", ".join(cells[:6]) + more)
            out.append(V003(sheet, cells[0], actual=len(cells), count=len(cells), cells=shown))
        return out

    # -- one cell -----------------------------------------------------------

    def cell(self, sheet: str, r: int, c: int, kind: str, *, computed: bool = False) -> Field:
        """Read the cell at 0-based (r, c) of ``sheet`` as ``kind``; emit V findings."""
        # This runs for every cell read (hundreds per file), so _get is spelt out here.
        grid = self.book.grids[sheet]
        row = grid[r] if 0 <= r < len(grid) else ()
        raw = row[c] if 0 <= c < len(row) else None
        # (_a1 spelt out: no call for a row the table already holds)
        a1s = _A1_TABLE[r] if 0 <= r < len(_A1_TABLE) else _a1_row(r)
        a1 = a1s[c] if a1s is not None and 0 <= c < _A1_COLS else addr(r + 1, c + 1)
        if raw is None or raw == "":
            return self._empty(sheet, a1, computed, kind)
        cls = raw.__class__
        if cls is float and kind in _FLOAT_KINDS and math.isfinite(raw):
            return Field(raw, sheet, a1, raw, "ok", formula=computed)  # the common case, fast
        if cls is float and kind == "int" and raw.is_integer():  # (is_integer: finite too)
            return Field(int(raw), sheet, a1, raw, "ok", formula=computed)  # as parse_int reads it
        if cls is str and kind in _TEXT_KINDS and len(raw) <= self.max_chars:
            v = raw.strip()
            if v and v.upper() not in ERROR_VALUES:
                return Field(v, sheet, a1, raw, "ok", formula=computed)
        p = _parser(kind, self.max_chars)(raw)
        return self.field_from(p, sheet, a1, raw, kind, computed=computed)

    def _empty(self, sheet: str, a1: str, computed: bool, kind: str = "text") -> Field:
        # The sheet XML is scanned only when needed: for an empty computed total (a sum
        # always has a value once Excel saved the file; a rate may rightly be "" when
        # its budget is 0), for an empty number cell (an error value reads as empty),
        # or for any empty cell once the file is known to hold uncalculated formulas.
        need = (kind in _PROBE_KINDS and (not computed or kind != "rate")) or self.book.suspect
        loaded = self.book._probe is not None and self.book._probe.loaded(sheet)  # free to ask
        probe = self.book.probe() if need or loaded else None
        hit = probe.cells(sheet).get(a1) if probe else None
        if hit is not None:
            self.book.suspect = True
        if hit is None:
            return Field(None, sheet, a1, None, "blank", formula=computed)
        what, val = hit
        if what == "error":
            self.findings.append((V006 if computed else V005)(sheet, a1, actual=val))
            return Field(val, sheet, a1, val, "error", formula=True)
        if computed:
            self.uncalculated.setdefault(sheet, []).append(a1)
        else:
            self.findings.append(V004(sheet, a1))
        return Field(None, sheet, a1, None, "uncalculated", formula=True)

    def field_from(self, p: Parsed, sheet: str, a1: str, raw: Any, kind: str, *, computed: bool = False,
                   note_conversion: bool = True) -> Field:
        """A Field from a parse result, with the finding the result calls for."""
        status = p.status
        if status == "ok" and not p.converted and not p.reason and not p.dash:
            return Field(p.value, sheet, a1, raw, "ok", formula=computed)  # the common case
        if status == "error":
            self.findings.append((V006 if computed else V005)(sheet, a1, actual=p.value))
            return Field(p.value, sheet, a1, raw, "error", formula=computed)
        if status == "invalid":
            kz, ke = _KIND_NAMES.get(kind, ("数字", "a number"))
            shown = raw if not isinstance(raw, float) or not raw.is_integer() else int(raw)
            if p.reason == "date":
                f = V007(sheet, a1, actual=str(raw), kind_zh=kz, kind_en=ke)
            elif p.reason == "not-integer":
                f = V009(sheet, a1, actual=shown)
            elif p.reason == "bad-year":
                f = V010(sheet, a1, actual=shown)
            elif p.reason == "bad-date":
                f = V011(sheet, a1, actual=shown)
            elif p.reason == "direction":
                f = V013(sheet, a1, actual=shown)
            else:
                f = V002(sheet, a1, actual=shown, kind_zh=kz, kind_en=ke)
            if not computed or kind != "rate":
                self.findings.append(f)
            return Field(None, sheet, a1, raw, "invalid", formula=computed)
        if p.status == "blank":
            return Field(None, sheet, a1, raw, "blank", formula=computed)
        if p.reason == "too-long":
            self.findings.append(V008(sheet, a1, expected=self.max_chars, actual=len(p.value)))
        if p.dash and kind == "amount":
            self.findings.append(V012(sheet, a1, actual=str(raw).strip()))
        elif p.converted and isinstance(raw, str) and note_conversion and kind in _KIND_NAMES and not computed:
            self.findings.append(V001(sheet, a1, expected=p.value, actual=raw.strip()))
        return Field(p.value, sheet, a1, raw, "ok", converted=p.converted and isinstance(raw, str), formula=computed)

    # -- locating -----------------------------------------------------------

    def labels_in_column(self, sheet: str, c: int, start: int = 0) -> dict[str, int]:
        """Normalised label → first 0-based row holding it in column ``c`` (from ``start``)."""
        out: dict[str, int] = {}
        grid = self.book.grids[sheet]
        for r in range(start, len(grid)):
            row = grid[r]
            if c < len(row):
                v = row[c]
                if v.__class__ is str and v:
                    key = _norm(v)
                    if key and key not in out:
                        out[key] = r
        return out

    def find_header(self, spec: TableSheet, aliases: dict[str, tuple[str, ...]]) -> tuple[int, dict[str, int]] | None:
        """The header row (0-based) and column key → 0-based column, or None.

        The header is the row among the first :data:`HEADER_SEARCH_ROWS` that holds the
        most of the table's header labels (at least two, or the first column's label).
        Missing and extra columns become F014/F015 findings at the header row.
        """
        grid = self.book.grids[spec.name]
        wanted = _header_labels(spec, aliases)
        best, best_n = None, 0
        for r in range(min(HEADER_SEARCH_ROWS, len(grid))):
            texts = [v for v in grid[r] if v.__class__ is str and v]
            if len(texts) <= best_n:
                continue  # cannot hold more labels than the best row: no need to look
            n = sum(1 for v in texts if _norm(v) in wanted)
            if n > best_n:
                best, best_n = r, n
        first = _norm(spec.columns[0].label)
        if best is None or (best_n < 2 and first not in {_norm(v) for v in grid[best] if v.__class__ is str}):
            return None
        colmap: dict[str, int] = {}
        extras: list[tuple[int, str]] = []
        for c, v in enumerate(grid[best]):
            if v is None or v == "":
                continue
            key = wanted.get(_norm(v))
            if key is None:
                if isinstance(v, str) and v.strip():
                    extras.append((c, v.strip()))
            elif key not in colmap:
                colmap[key] = c
        hr = best + 1
        if hr != spec.header_row:
            self.findings.append(F021(spec.name, addr(hr, 1), expected=spec.header_row, actual=hr))
        for i, col in enumerate(spec.columns):
            if col.key not in colmap:
                at = _get(grid, best, i)
                self.findings.append(F014(spec.name, addr(hr, i + 1), expected=col.label,
                                          actual=at if isinstance(at, str) else None))
        for c, text in extras:
            self.findings.append(F015(spec.name, addr(hr, c + 1), actual=text))
        return best, colmap


@by_identity
def _header_labels(spec: TableSheet, aliases: dict) -> dict[str, str]:
    """Normalised header label (and alias) → column key, once per table spec."""
    wanted: dict[str, str] = {}
    for col in spec.columns:
        for lab in (col.label, *aliases.get(col.label, ())):
            wanted.setdefault(_norm(lab), col.key)
    return wanted


# ---------------------------------------------------------------------------
# Sheets
# ---------------------------------------------------------------------------


def _absent(sheet: str, cell: str | None) -> Field:
    return Field.absent(sheet, cell)


def _read_form(rd: _Reader, spec: FormSheet, present: bool, aliases: dict) -> dict[str, Field]:
    out: dict[str, Field] = {}
    if not present:
        return {f.key: _absent(spec.name, spec.cell(f.key)) for f in spec.fields}
    labels = rd.labels_in_column(spec.name, 0)
    for f in spec.fields:
        r = _find_label(labels, f.label, aliases)
        if r is None:
            rd.findings.append(F017(spec.name, addr(spec.row_of(f.key), 1), expected=f.label))
            out[f.key] = _absent(spec.name, spec.cell(f.key))
        else:
            out[f.key] = rd.cell(spec.name, r, 1, f.kind)
    return out


def _find_label(labels: dict[str, int], label: str, aliases: dict) -> int | None:
    for lab in (label, *aliases.get(label, ())):
        r = labels.get(_norm(lab))
        if r is not None:
            return r
    return None


@dataclass
class _Table:
    """A located table: header row and column map (0-based), or not found."""

    spec: TableSheet
    header: int | None
    cols: dict[str, int]

    def col(self, key: str) -> int | None:
        return self.cols.get(key)


def _locate(rd: _Reader, spec: TableSheet, present: bool, aliases: dict) -> _Table:
    if not present:
        return _Table(spec, None, {})
    found = rd.find_header(spec, aliases)
    if found is None:
        rd.findings.append(F016(spec.name, addr(spec.header_row, 1), expected=spec.columns[0].label,
                                rows=HEADER_SEARCH_ROWS))
        return _Table(spec, None, {})
    return _Table(spec, found[0], found[1])


def _computed_cell(spec: TableSheet, row: RowSpec, col: Column) -> bool:
    """Whether the cell is computed, never an input: a declared formula cell of the
    template (:attr:`TableSheet.computed`) or a column the template fills itself."""
    return col.computed or (row.key, col.key) in spec.computed_cells


@by_identity
def _row_plan(spec: TableSheet) -> tuple[tuple[RowSpec, tuple[tuple[str, str, bool], ...]], ...]:
    """How each cell of each fixed row is read: (column key, kind, computed), worked out
    once per table spec rather than for every cell of every file."""
    plan = []
    for row in spec.rows:
        cells = []
        for col in spec.columns:
            if col.key in row.na or col.kind == "label":
                cells.append((col.key, "text", False))
            else:
                cells.append((col.key, col.kind, _computed_cell(spec, row, col)))
        plan.append((row, tuple(cells)))
    return tuple(plan)


def _fixed_rows(rd: _Reader, t: _Table, aliases: dict) -> dict[str, tuple[int | None, dict[str, Field]]]:
    """Each fixed row: (1-based row or None, column key → Field)."""
    spec = t.spec
    out: dict[str, tuple[int | None, dict[str, Field]]] = {}
    label_col = t.col(spec.columns[0].key)
    labels = rd.labels_in_column(spec.name, label_col, t.header + 1) if t.header is not None and label_col is not None else {}
    cols, name, cell = t.cols, spec.name, rd.cell
    grid = rd.book.grids[name] if t.header is not None else []
    for row, plan in _row_plan(spec):
        r = _find_label(labels, row.label, aliases) if labels else None
        if r is None:
            if t.header is not None and label_col is not None:
                rd.findings.append(F017(name, addr(spec.row_of(row.key), 1), expected=row.label))
            out[row.key] = (None, {c.key: _absent(name, spec.cell(row.key, c.key)) for c in spec.columns})
            continue
        fields: dict[str, Field] = {}
        cells = grid[r]  # r was found in this grid
        n = len(cells)
        a1s = _a1_row(r)
        for key, kind, computed in plan:
            c = cols.get(key)
            if c is None:
                fields[key] = _absent(name, addr(r + 1, spec.col_of(key)))
                continue
            raw = cells[c] if c < n else None
            if raw.__class__ is float and a1s is not None and c < _A1_COLS and kind in _FLOAT_KINDS and raw - raw == 0:
                fields[key] = Field(raw, name, a1s[c], raw, "ok", False, computed)  # most cells: as cell() would
            else:
                fields[key] = cell(name, r, c, kind, computed=computed)
        out[row.key] = (r + 1, fields)
    # A probe loaded by a later row also answers for blank computed cells read earlier.
    probe = rd.book._probe
    hits = probe.cells(spec.name) if probe is not None and probe.loaded(spec.name) else None
    if hits:
        for _row, fields in out.values():
            for key, f in fields.items():
                if f.status == "blank" and f.formula and f.cell in hits:
                    fields[key] = rd._empty(spec.name, f.cell, True, spec.column(key).kind)
    return out


def _after_field(rd: _Reader, t: _Table, key: str, aliases: dict) -> Field:
    spec = t.spec
    f = spec.after_field(key)
    if t.header is None:
        return _absent(spec.name, spec.after_cell(key))
    labels = rd.labels_in_column(spec.name, 0, t.header + 1)
    r = _find_label(labels, f.label, aliases)
    if r is None:
        rd.findings.append(F017(spec.name, addr(spec.after_row_of(key), 1), expected=f.label))
        return _absent(spec.name, spec.after_cell(key))
    return rd.cell(spec.name, r, 1, f.kind)


def _free_rows(rd: _Reader, t: _Table, content_keys: tuple[str, ...]) -> list[int]:
    """0-based rows of a free table holding something in ``content_keys`` columns, from
    the row after the header to the last non-blank row (blank rows skipped)."""
    if t.header is None:
        return []
    grid = rd.book.grids[t.spec.name]
    cols = [t.cols[k] for k in content_keys if k in t.cols]
    span = _span(cols)
    return [r for r in range(t.header + 1, len(grid)) if not _row_blank(grid, r, cols, span)]


def _span(cols: list[int]) -> tuple[int, int] | None:
    """(first, end) when ``cols`` are exactly a contiguous range of columns."""
    if not cols:
        return None
    lo, hi = min(cols), max(cols) + 1
    return (lo, hi) if hi - lo == len(set(cols)) else None


def _read_goals(rd: _Reader, t: _Table) -> list:
    spec = GOALS
    rows = _free_rows(rd, t, ("goal", "result"))
    out = []
    for r in rows:
        f = {}
        for col in spec.columns:
            c = t.col(col.key)
            if c is None:
                f[col.key] = _absent(spec.name, addr(r + 1, spec.col_of(col.key)))
            elif col.key == "seq":
                # 序号 is only a label ('1、', '一'): a whole number when it reads as one,
                # else kept as text — never a finding.
                raw = _get(rd.book.grids[spec.name], r, c)
                p = parse_int(raw)
                f[col.key] = (Field(p.value, spec.name, _a1(r + 1, c + 1), raw, p.status) if p.status != "invalid"
                              else Field(parse_text(raw).value, spec.name, _a1(r + 1, c + 1), raw, "ok"))
            else:
                f[col.key] = rd.cell(spec.name, r, c, col.kind)
        out.append(Goal(row=r + 1, seq=f["seq"], goal=f["goal"], result=f["result"]))
    return out


_INDICATOR_CONTENT = ("name", "direction", "target", "unit", "actual", "weight", "self_score", "completion", "reason")


class _Levels:
    """一级/二级指标 carried down merged or blank cells.

    A blank 一级 under a filled one inherits it; a blank 二级 inherits only within the same
    一级 (a new 一级 starts a new block).  Inherited fields keep the address of the cell
    that holds the text (the top of a merged block), which is where a clerk fixes it.
    """

    def __init__(self) -> None:
        self.l1: Field | None = None
        self.l2: Field | None = None

    def see(self, l1: Field, l2: Field) -> None:
        """A row that only carries labels (no indicator content)."""
        if l1.ok:
            self.l1, self.l2 = l1, None
        if l2.ok:
            self.l2 = l2

    def resolve(self, l1: Field, l2: Field) -> tuple[Field, bool, Field, bool]:
        inh1 = inh2 = False
        if l1.status == "blank" and self.l1 is not None:
            l1, inh1 = self.l1, True
        elif l1.ok:
            if self.l1 is None or l1.value != self.l1.value:
                self.l2 = None
            self.l1 = l1
        if l2.status == "blank" and self.l2 is not None:
            l2, inh2 = self.l2, True
        elif l2.ok:
            self.l2 = l2
        return l1, inh1, l2, inh2


class _Row:
    """Cell access for one indicator row (column keys → cells, template column when the
    column is missing)."""

    __slots__ = ("rd", "t", "r", "name", "cells", "cols")

    def __init__(self, rd: _Reader, t: _Table, r: int):
        self.rd, self.t, self.r = rd, t, r
        self.name = t.spec.name
        self.cells = rd.book.grids[self.name][r]  # the row exists: r comes from the grid
        self.cols = t.cols

    def raw(self, key: str) -> Any:
        c = self.cols.get(key)
        if c is None or c >= len(self.cells):
            return None
        v = self.cells[c]
        return None if v == "" else v

    def a1(self, key: str) -> str:
        c = self.cols.get(key)
        return _a1(self.r + 1, (c + 1) if c is not None else self.t.spec.col_of(key))

    def read(self, key: str, kind: str) -> Field:
        c = self.cols.get(key)
        return _absent(self.name, self.a1(key)) if c is None else self.rd.cell(self.name, self.r, c, kind)


def _read_indicators(rd: _Reader, t: _Table) -> list[Indicator]:
    out: list[Indicator] = []
    if t.header is None:
        return out
    grid = rd.book.grids[t.spec.name]
    content_cols = [t.cols[k] for k in _INDICATOR_CONTENT if k in t.cols]
    level_cols = [t.cols[k] for k in ("level1", "level2") if k in t.cols]
    content_span, level_span = _span(content_cols), _span(level_cols)
    # Most of the template's hundred rows are empty in every column: skipped at once.
    lo, hi = _span(content_cols + level_cols) or (0, 0)
    levels = _Levels()
    for r in range(t.header + 1, len(grid)):
        if hi:
            seg = grid[r][lo:hi]
            if seg.count("") == len(seg):
                continue
        if _row_blank(grid, r, content_cols, content_span):
            # Level labels on an otherwise blank row (the top of a merged block) still carry.
            if level_cols and not _row_blank(grid, r, level_cols, level_span):
                row = _Row(rd, t, r)
                levels.see(row.read("level1", "text"), row.read("level2", "text"))
            continue
        row = _Row(rd, t, r)
        l1, inh1, l2, inh2 = levels.resolve(row.read("level1", "text"), row.read("level2", "text"))
        direction, unit, target, actual, percent = _indicator_values(row)
        out.append(Indicator(
            row=r + 1, level1=l1, level2=l2, name=row.read("name", "text"), direction=direction,
            target=target, unit=unit, actual=actual, weight=row.read("weight", "number"),
            self_score=row.read("self_score", "number"), completion=row.read("completion", "text"),
            reason=row.read("reason", "text"), level1_inherited=inh1, level2_inherited=inh2, percent=percent,
        ))
    return out


def _indicator_values(row: _Row) -> tuple[Field, Field, Field, Field, bool]:
    """指标性质, 度量单位, 年度指标值, 实际完成值 and the percent flag of one row.

    A sign or unit inside a value cell (``≥10次``) fills a blank 指标性质/度量单位 (V014)
    or is compared with it (V015/V016).  Values are numbers for ≥ ≤ =, text for 定性,
    and either when the direction is unknown.
    """
    rd, name = row.rd, row.name
    draw = row.raw("direction")
    if row.t.col("direction") is None or draw is None:
        direction = row.read("direction", "text")  # missing, blank, uncalculated or error
    else:
        direction = rd.field_from(parse_direction(draw), name, row.a1("direction"), draw, "choice")
    unit = row.read("unit", "text")
    numeric = (direction.value != QUALITATIVE) if direction.ok else None

    raws = {key: row.raw(key) for key in ("target", "actual")}
    parsed = {key: parse_value(raw, numeric=numeric) for key, raw in raws.items() if raw is not None}
    for key, p in parsed.items():  # a sign in the value fills a blank 指标性质 or conflicts with it
        if p.direction is None:
            continue
        if direction.status == "blank":
            direction = Field(p.direction, name, row.a1(key), raws[key], "ok", converted=True)
            numeric = direction.value != QUALITATIVE
            parsed = {k: parse_value(raws[k], numeric=numeric) for k in parsed}
        elif direction.ok and direction.value != p.direction:
            rd.findings.append(V015(name, row.a1(key), expected=direction.value, actual=str(raws[key]).strip()))

    # Excel stores a typed 95% as 0.95 in a percent-formatted cell: read it on the written
    # scale (95, unit %), like the text '95%'.  Only xlsx shows formats, and only small
    # values can be such fractions, so the styles are looked at only then.
    from_format: set[str] = set()
    for key, p in parsed.items():
        raw = raws[key]
        if (raw.__class__ is float and numeric is not False and 0 < abs(raw) <= 1.5
                and (unit.status == "blank" or (unit.ok and unit.value == "%"))
                and rd.book.fmt == "xlsx" and rd.book.probe().is_percent(name, row.a1(key))):
            parsed[key] = Parsed(round(raw * 100, 10), percent=True, unit="%")
            from_format.add(key)

    values: dict[str, Field] = {}
    percent = unit.ok and _norm(unit.value) == "%"
    for key in ("target", "actual"):
        if row.t.col(key) is None or key not in parsed:
            values[key] = row.read(key, "value")  # missing, blank, uncalculated or error
            continue
        p, raw, cell = parsed[key], raws[key], row.a1(key)
        split = [f"指标性质 {p.direction}"] if p.direction is not None else []
        if p.unit is not None and p.status == "ok" and not isinstance(p.value, str):
            percent = percent or p.percent
            if unit.status == "blank":
                unit = Field(p.unit, name, cell, raw, "ok", converted=key not in from_format)
                if key not in from_format:
                    split.append(f"度量单位 {p.unit}")
            elif unit.ok and _norm(unit.value) != _norm(p.unit):
                rd.findings.append(V016(name, cell, expected=unit.value, actual=str(raw).strip()))
        if split and p.status == "ok":
            rd.findings.append(V014(name, cell, actual=str(raw).strip(), detail=Text("，".join(split), ", ".join(split))))
        kind = "value" if numeric is not False else "text"
        f = rd.field_from(p, name, cell, raw, kind, note_conversion=not split)
        values[key] = dataclasses.replace(f, converted=False) if key in from_format else f
    return direction, unit, values["target"], values["actual"], percent


def _read_meta(rd: _Reader, sheet: str) -> dict[str, str]:
    grid = rd.book.grids[sheet]
    meta: dict[str, str] = {}
    for r in range(len(grid)):
        k, v = _get(grid, r, 0), _get(grid, r, 1)
        if isinstance(k, str) and k.strip() and v is not None:
            meta[k.strip()] = parse_text(v).value or ""
    return meta


def _major(version: str) -> int | None:
    m = re.match(r"\s*v?(\d+)", version or "")
    return int(m.group(1)) if m else None


def _find_sheet(names: list[str], wanted: str) -> str | None:
    return wanted if wanted in names else None


# ---------------------------------------------------------------------------
# The entry point
# ---------------------------------------------------------------------------


def read_unit(path: str | Path, rulebook: Rulebook | None = None) -> Unit:
    """Read a workbook into a :class:`Unit` (its first, for a workbook of several project
    forms: see :func:`read_units`); never raises for bad input."""
    return read_units(path, rulebook)[0]


def read_units(path: str | Path, rulebook: Rulebook | None = None) -> list[Unit]:
    """Read a workbook into its units; never raises for bad input.

    A 部门整体 workbook is one unit; a workbook of 项目支出绩效自评表 forms is one unit per
    form sheet (kind ``project``, :mod:`perfxl.read_project`).  File-level problems
    (refused by :mod:`perfxl.guards`, unreadable, wrong template) give one unit with
    ``readable`` False and an F finding.  Cell-level problems are V findings at their
    cells, and the Field's ``status`` says what was wrong.
    """
    from perfxl.read_project import grids_and_merges, read_forms

    rulebook = rulebook or default_rulebook()
    p = Path(path)
    unit = Unit(path=p)
    ins = examine(p, rulebook.limits)
    unit.findings.extend(ins.findings)
    if ins.refused or ins.fmt is None:
        unit.readable = False
        return [unit]
    try:
        # Of a 部门整体 workbook only the template's sheets are parsed: 填报说明 and a clerk's
        # own extra sheets are never read, so they cost nothing (and cannot trouble the
        # parser).  Any other workbook is read whole: its forms may stand on any sheet.
        kwargs = {"by_content": not ins.extension_ok, "max_rows": rulebook.limits.max_rows,
                  "only": _template_sheets()}
        if ins.fmt in ISOLATE_FORMATS:
            names, grids, merges = run_isolated(grids_and_merges, p, timeout=rulebook.limits.timeout_seconds, **kwargs)
        else:
            names, grids, merges = grids_and_merges(p, **kwargs)
    except TooManyRows as e:
        unit.findings.append(F007(e.sheet, None, expected=rulebook.limits.max_rows, actual=e.rows, sheet_name=e.sheet))
        unit.readable = False
        return [unit]
    except ParserTimedOut:
        return [_unreadable(unit, F901(None, None, expected=rulebook.limits.timeout_seconds))]
    except MemoryError as e:
        return [_unreadable(unit, F904(None, None, detail=Text(f"读取时：{e}"[:300], f"while reading: {e}"[:300])))]
    except (ParserError, ParserCrashed) as e:  # the file cannot be parsed
        return [_unreadable(unit, _parser_failure(e))]
    except Exception as e:  # noqa: BLE001 - a bug in perfxl's own code: named as one, never a damaged file
        return [_unreadable(unit, internal_error("read_grids", e))]
    book = Book(p, ins.fmt, names, grids)
    rd = _Reader(book, rulebook)
    unit.sheets = tuple(names)
    units = [unit]
    try:
        if merges is None:
            _read_book(rd, unit)
        else:
            units = read_forms(book, merges, unit, lambda: _Reader(book, rulebook))
    except MemoryError as e:
        unit.findings.append(F904(None, None, detail=Text(f"读取时：{e}"[:300], f"while reading: {e}"[:300])))
        unit.readable, units = False, [unit]
    except Exception as e:  # noqa: BLE001 - a bug in perfxl's reader: F902 says so (the file may be fine)
        unit.findings.append(internal_error("read_unit", e))
        unit.readable, units = False, [unit]
    finally:
        if book._probe is not None:
            book._probe.close()
    if merges is None or not unit.readable:
        unit.findings.extend(_without_text_consequences(unit, rd.findings, rulebook))
        unit.findings.extend(rd.uncalculated_findings())
    return units


def _unreadable(unit: Unit, finding: Finding) -> Unit:
    unit.findings.append(finding)
    unit.readable = False
    return unit


def _without_text_consequences(unit: Unit, findings: list[Finding], rulebook: Rulebook) -> list[Finding]:
    """The reader's findings less the error values (V006) that computed cells show only
    because an input they read holds text: the V001/V002 at that input says it, and a
    file never calculated — whose formulas show nothing yet — must get the same findings."""
    if not unit.readable or not any(f.code == "V006" for f in findings):
        return findings
    from perfxl.computed import values

    vals = values(unit, rulebook)
    explained: set[tuple[str, str]] = set()
    for t in vals.spec.tables:
        for c in t.computed:
            f = vals.field(t.name, c.row, c.col)
            if f is not None and f.cell and f.status == "error" and vals.depends_on_text(t.name, c.row, c.col):
                explained.add((t.name, f.cell))
    return [f for f in findings if not (f.code == "V006" and (f.sheet, f.cell) in explained)]


@functools.cache
def _template_sheets() -> frozenset[str]:
    """The names of every sheet the reader reads, in any template it knows."""
    return frozenset(
        name for spec in SPECS.values()
        for name in (spec.meta_sheet, *(s.name for s in spec.sheets if isinstance(s, (FormSheet, TableSheet))))
    )


def _parser_failure(e: ParserError | ParserCrashed) -> Finding:
    """The finding for a file the parser could not read: encrypted (F002) or damaged (F001)."""
    kind = e.kind if isinstance(e, ParserError) else ""
    if kind == "PasswordError" or "password" in str(e).lower() or "encrypt" in str(e).lower():
        return F002(None, None)
    return F001(None, None, detail=str(e)[:200])


def _read_book(rd: _Reader, unit: Unit) -> None:
    names = list(rd.book.names)
    # The hidden meta sheet names the template kind and version.
    spec: TemplateSpec = DEPT
    meta_name = _find_sheet(names, DEPT.meta_sheet)
    if meta_name is not None:
        unit.meta = _read_meta(rd, meta_name)
        tid = unit.meta.get("template_id")
        if tid is not None and tid not in SPECS:
            rd.findings.append(F020(meta_name, None, expected=", ".join(SPECS), actual=tid))
            unit.template_id = tid
            unit.readable = False
            return
        spec = SPECS.get(tid or DEPT.template_id, DEPT)
        unit.template_id = spec.template_id
        major = _major(unit.meta.get("template_version", ""))
        unit.template_version = major
        if major is not None and major != spec.version:
            rd.findings.append(F019(meta_name, None, expected=spec.version, actual=unit.meta.get("template_version")))
            unit.readable = False
            return
    aliases = spec.aliases

    # Sheets are found by their exact name: findings and annotations address them by it.
    present = {s.name for s in spec.sheets if s.name in names}
    if meta_name is None and not any(isinstance(s, (FormSheet, TableSheet)) and s.name in present for s in spec.sheets):
        # Some other workbook altogether: one clear answer, not a missing-sheet finding per sheet.
        rd.findings.append(F022(None, None, actual=Text("、".join(names) or "（无）", ", ".join(names) or "(none)")))
        unit.readable = False
        return
    if meta_name is None:
        rd.findings.append(F018(None, None))
    for s in spec.sheets:
        if s.name not in present and isinstance(s, (FormSheet, TableSheet)):
            rd.findings.append(F013(s.name, None, sheet_name=s.name))

    def locate(table: TableSheet) -> _Table:
        t = _locate(rd, table, table.name in present, aliases)
        if t.header is None:
            unit.unread.add(table.name)  # its cells are unknown, never empty
        return t

    # Sheets with computed cells first: an empty computed cell is what reveals a file
    # with uncalculated formulas, and then input cells are probed too.
    t = locate(BUDGET)
    for key, (row, f) in _fixed_rows(rd, t, aliases).items():
        unit.budget[key] = BudgetRow(key, BUDGET.row_spec(key).label, row, f["initial"], f["adjusted"], f["actual"],
                                     f["last_year"], f["rate"], f["change"], f["note"])

    t = locate(THREE_PUBLIC)
    for key, (row, f) in _fixed_rows(rd, t, aliases).items():
        unit.three_public[key] = ThreePublicRow(key, THREE_PUBLIC.row_spec(key).label, row, f["budget"], f["actual"],
                                                f["last_year"], f["batches"], f["persons"])
    unit.car_count = _after_field(rd, t, "car_count", aliases)

    t = locate(SELF_SCORE)
    for key, (row, f) in _fixed_rows(rd, t, aliases).items():
        unit.scores[key] = ScoreRow(key, SELF_SCORE.row_spec(key).label, row, f["weight"], f["self_score"])
    unit.grade = _after_field(rd, t, "grade", aliases)

    if PROFILE.name not in present:
        unit.unread.add(PROFILE.name)
    unit.profile = _read_form(rd, PROFILE, PROFILE.name in present, aliases)
    unit.goals = _read_goals(rd, locate(GOALS))
    unit.indicators = _read_indicators(rd, locate(INDICATORS))
