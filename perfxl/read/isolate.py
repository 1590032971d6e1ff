"""Process isolation: parsing the formats the guards cannot vet in a forked child.

The guards (:mod:`perfxl.guards`) vet xlsx byte-wise before it is parsed in-process.
They cannot vet binary BIFF records (xls, xlsb) or every ODS construct, and calamine
answers some damaged files by aborting the whole process — so those formats are parsed
in a child with a memory cap, a CPU limit and a deadline, and a crash costs one file,
not the batch.  :func:`read_sheets` is the same guarded read for callers that want every
sheet's values (the annotated copy of a workbook openpyxl cannot open).

The grids are read through ``grids.read_grids`` (a unit's through ``grids.read_workbook_grids``)
looked up at call time, so that one stand-in for the parser (a test's) holds in-process and
in the child alike.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from perfxl.findings import Finding
from perfxl.guards import examine
from perfxl.read import grids
from perfxl.read.grids import Grid, ParserError, Sheets, TooManyRows, _workbook
from perfxl.rulebook import Rulebook, default_rulebook

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
    names, values = grids.read_grids(path, by_content=by_content, max_rows=max_rows)
    with _workbook(path, by_content) as wb:
        hidden = {m.name for m in wb.sheets_metadata if "hidden" in str(m.visible).lower()}
        merged = {}
        for name in names:
            ranges = getattr(wb.get_sheet_by_name(name), "merged_cell_ranges", None) or []
            merged[name] = [((r1, c1), (r2, c2)) for (r1, c1), (r2, c2) in ranges]
    return Sheets(names, values, merged, hidden)


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
    return run_isolated(grids.read_grids, path, timeout=timeout, **kwargs)


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
