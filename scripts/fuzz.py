#!/usr/bin/env python3
"""Fuzz perfxl's reader and checker for a long time (not in CI; issue 6).

Usage::

    python scripts/fuzz.py [--seconds S] [--examples N] [--seed K] [--kinds cells,bytes,zip]
                           [--out DIR] [--shrink] [--no-lo]

Runs the strategies of ``tests/test_fuzz.py`` (``tests/_fuzz.py``: random cell edits
through openpyxl, damaged bytes, one damaged part of the zip) in rounds of 50 examples,
each round with seed K, K+1, … (default: a random K, printed, so a run can be repeated),
(or $PERFXL_FUZZ_SEED) until S seconds have passed (default 600) or N examples have run.  Byte damage also
hits the seed as .xls and .ods, converted once with LibreOffice when it is installed
(``--no-lo`` to skip).  Every example runs in
a forked child with a memory cap and a time limit, so a parser that aborts, hangs or
eats memory is a failure like an exception is.

Each failure is printed and saved under DIR (default /tmp/perfxl-fuzz/): the mutated
file (named by its sha256) and a ``.txt`` beside it with the base, the operations and
what went wrong.  Reproduce one with::

    perfxl --debug check /tmp/perfxl-fuzz/<sha>.xlsx

Exit 0 when nothing failed, 1 otherwise.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import os
import random
import sys
import time
from pathlib import Path
from typing import Any, Callable

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

import _fuzz
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st

ROUND = 50


class Stats:
    """What the run has done so far."""

    def __init__(self, out: Path):
        self.out = out
        self.count = 0
        self.failures: dict[str, Path] = {}  # first line of the problem → a reproducer

    def record(self, data: bytes, suffix: str, what: str, problem: str) -> Path:
        self.out.mkdir(parents=True, exist_ok=True)
        sha = hashlib.sha256(data).hexdigest()[:16]
        path = self.out / f"{sha}{suffix}"
        path.write_bytes(data)
        path.with_suffix(path.suffix + ".txt").write_text(f"{what}\n\n{problem}\n", encoding="utf-8")
        key = _signature(problem)
        if key not in self.failures:
            self.failures[key] = path
            print(f"\nFAIL {path}\n  {what}\n  {key}", flush=True)
        return path


def _signature(problem: str) -> str:
    """A short line that tells failures apart (the last line of a traceback)."""
    lines = [ln for ln in problem.strip().splitlines() if ln.strip()]
    if lines and lines[0].startswith(("killed by", "timed out")):
        return " / ".join(lines[:2])[:300]  # the signal and the native error's first line
    return (lines[-1] if lines else problem)[:300]


def _try(stats: Stats, work: Path, data: bytes, suffix: str, what: str) -> None:
    stats.count += 1
    path = work / f"mutant{suffix}"
    path.write_bytes(data)
    problem = _fuzz.run_isolated(_fuzz.check_mutant, path)
    if problem is not None:
        stats.record(data, suffix, what, problem)


def _round(kind: str, k: int, n: int, stats: Stats, work: Path, deadline: float, shrink: bool) -> None:
    phases = (Phase.generate, Phase.shrink) if shrink else (Phase.generate,)
    conf = settings(max_examples=n, deadline=None, database=None, phases=phases, derandomize=False,
                    suppress_health_check=list(HealthCheck))

    def out_of_time() -> bool:
        return time.monotonic() > deadline

    def examples(**strategies: Any) -> Callable[[Callable[..., None]], Callable[[], None]]:
        """hypothesis' given + this round's seed and settings, in one decorator."""
        return lambda fn: seed(k)(conf(given(**strategies)(fn)))

    if kind == "cells":
        @examples(base=st.sampled_from(_fuzz.XLSX_BASES), ops=_fuzz.cell_ops())
        def run(base: str, ops: list) -> None:
            if out_of_time():
                return
            stats.count += 1
            dest = work / "edited.xlsx"
            dest.unlink(missing_ok=True)
            # openpyxl's edits run in the capped child too (a far address can be costly)
            problem = _fuzz.run_isolated(_fuzz.edit_and_check, _fuzz.SAMPLES / base, dest, ops)
            if problem is not None:
                data = dest.read_bytes() if dest.exists() else b""
                stats.record(data, ".xlsx", f"cells base={base} ops={ops!r:.3000}", problem)
    elif kind == "bytes":
        @examples(base=st.sampled_from(_fuzz.BYTE_BASES), ops=_fuzz.byte_ops())
        def run(base: str, ops: list) -> None:
            if out_of_time():
                return
            src = _fuzz.SAMPLES / base
            _try(stats, work, _fuzz.apply_byte_ops(src.read_bytes(), ops), src.suffix,
                 f"bytes base={base} ops={ops!r:.3000}")
    else:
        @examples(base=st.sampled_from([b for b in _fuzz.BYTE_BASES if not b.endswith(".xls")]),
                  op=_fuzz.zip_member_ops())
        def run(base: str, op: tuple) -> None:
            if out_of_time():
                return
            src = _fuzz.SAMPLES / base
            data = src.read_bytes()
            member = _fuzz.target_member(data, op[0])
            _try(stats, work, _fuzz.apply_zip_member_ops(data, op), src.suffix,
                 f"zip base={base} member={member} op={op!r:.3000}")

    with contextlib.suppress(Exception):  # a failure was recorded by _try; hypothesis re-raises it
        run()


def _lo_bases(out: Path) -> list[str]:
    """The seed workbook as .xls and .ods (made once with LibreOffice, when installed and
    when samples/ lacks them), so the byte damage reaches those parsers too."""
    import shutil
    import subprocess

    exe = shutil.which("soffice") or shutil.which("libreoffice")
    seed_xlsx = _fuzz.SAMPLES / _fuzz.XLSX_BASES[0]
    made = []
    for fmt in ("xls", "ods"):
        if (_fuzz.SAMPLES / seed_xlsx.with_suffix("." + fmt).name).exists():
            continue
        dest = out / "bases" / seed_xlsx.with_suffix("." + fmt).name
        if not dest.exists() and exe:
            profile = out / "bases" / f"lo-profile-{os.getpid()}"
            subprocess.run([exe, f"-env:UserInstallation={profile.resolve().as_uri()}", "--headless",
                            "--norestore", "--convert-to", fmt, "--outdir", str(dest.parent), str(seed_xlsx)],
                           check=False, capture_output=True, timeout=300)
            shutil.rmtree(profile, ignore_errors=True)
        if dest.exists():
            made.append(str(dest.resolve()))  # absolute: SAMPLES / base then yields it as is
    return made


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seconds", type=float, default=600.0, help="stop after this long (default 600)")
    ap.add_argument("--examples", type=int, default=None, help="stop after this many examples")
    env_seed = os.environ.get("PERFXL_FUZZ_SEED")
    ap.add_argument("--seed", type=int, default=int(env_seed) if env_seed else None,
                    help="first round's seed (default: $PERFXL_FUZZ_SEED, else random, printed)")
    ap.add_argument("--kinds", default="cells,bytes,zip", help="comma-separated: cells, bytes, zip")
    ap.add_argument("--out", type=Path, default=Path("/tmp/perfxl-fuzz"), help="where reproducers go")
    ap.add_argument("--shrink", action="store_true", help="shrink failures (slower; more files saved)")
    ap.add_argument("--no-lo", action="store_true", help="don't make .xls/.ods bases with LibreOffice")
    args = ap.parse_args(argv)
    kinds = [k.strip() for k in args.kinds.split(",") if k.strip()]
    if not kinds or set(kinds) - {"cells", "bytes", "zip"}:
        ap.error("--kinds takes cells, bytes, zip")
    first = args.seed if args.seed is not None else random.SystemRandom().randrange(2**31)
    stats = Stats(args.out)
    work = args.out / f"work-{first}"
    work.mkdir(parents=True, exist_ok=True)
    if not args.no_lo:
        _fuzz.BYTE_BASES = tuple(_fuzz.BYTE_BASES) + tuple(_lo_bases(args.out))
    started = time.monotonic()
    deadline = started + args.seconds
    print(f"perfxl fuzz: seed {first}, kinds {','.join(kinds)}, bases {', '.join(Path(b).name for b in _fuzz.BYTE_BASES)},"
          f" up to {args.seconds:g} s"
          + (f" / {args.examples} examples" if args.examples else "") + f"; reproducers in {args.out}", flush=True)
    r = 0
    last_report = started
    while time.monotonic() < deadline and (args.examples is None or stats.count < args.examples):
        n = ROUND if args.examples is None else min(ROUND, args.examples - stats.count)
        kind = kinds[r % len(kinds)]
        _round(kind, first + r, n, stats, work, deadline, args.shrink)
        r += 1
        if time.monotonic() - last_report > 30:
            last_report = time.monotonic()
            print(f"  {stats.count} examples, {last_report - started:.0f} s, {len(stats.failures)} distinct failures",
                  flush=True)
    elapsed = time.monotonic() - started
    print(f"done: {stats.count} examples in {elapsed:.0f} s ({stats.count / max(elapsed, 1e-9):.1f}/s), "
          f"seeds {first}..{first + r - 1}, {len(stats.failures)} distinct failures")
    for key, path in stats.failures.items():
        print(f"  {path}: {key}")
    return 1 if stats.failures else 0


if __name__ == "__main__":
    sys.exit(main())
