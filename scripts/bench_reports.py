#!/usr/bin/env python3
"""Time the written reports (perfxl report, batch --reports) on the shipped samples.

    python scripts/bench_reports.py [--repeats 5] [--no-pdf] [--jobs 2]

Prints, per unit draft and per county report:

- draft in-process   read + score + context + render + write of one unit's draft (each
                     sample, the fastest of ``--repeats`` passes);
- county in-process  context (with the two matplotlib charts) + render + write, from the
                     summary rows of a batch over the samples;
- cold report        ``perfxl report samples/000_….xlsx -o DIR`` as a clerk runs it (median);
- batch delta        ``perfxl batch samples -o OUT --jobs J --reports`` minus the same
                     batch without ``--reports``, per unit (wall, subprocess);
- pdf                one LibreOffice call converting every report of the batch, per
                     document (``--no-pdf`` skips it).

Wall times on a shared machine drift; each figure is the fastest (or median) of several runs.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
SAMPLES = REPO / "samples"
SEED = SAMPLES / "000_桃源县科学技术协会.xlsx"


def _wall(cmd: list[str]) -> float:
    t0 = time.perf_counter()
    subprocess.run(cmd, check=False, capture_output=True)
    return time.perf_counter() - t0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--no-pdf", action="store_true")
    args = ap.parse_args(argv)

    import perfxl
    from perfxl.batch import BatchOptions, run_batch
    from perfxl.check import CheckOptions, check_file
    from perfxl.writeup.county import county_context
    from perfxl.writeup.fields import COUNTY_FIELDS, UNIT_FIELDS
    from perfxl.writeup.render import COUNTY_TEMPLATE, UNIT_TEMPLATE, ReportTemplate
    from perfxl.writeup.unit import draft_context

    rb = perfxl.load_rulebook()
    files = sorted(SAMPLES.glob("*.xlsx"))
    rows: list[tuple[str, str]] = []
    with tempfile.TemporaryDirectory(prefix="perfxl-bench-reports-") as tmp_name:
        tmp = Path(tmp_name)
        t0 = time.perf_counter()
        unit_tpl = ReportTemplate.load(None, UNIT_TEMPLATE, UNIT_FIELDS)
        county_tpl = ReportTemplate.load(None, COUNTY_TEMPLATE, COUNTY_FIELDS)
        rows.append(("load + check both templates (once per run)", f"{(time.perf_counter() - t0) * 1000:.0f} ms"))

        best = []
        for _ in range(args.repeats):
            t0 = time.perf_counter()
            for i, f in enumerate(files):
                report = check_file(f, CheckOptions(rb))
                unit_tpl.write(draft_context(report, rb), tmp / f"{i}.docx")
            best.append((time.perf_counter() - t0) / len(files))
        rows.append((f"draft in-process, per unit (read + check + score + render; {len(files)} samples)",
                     f"{min(best) * 1000:.0f} ms"))
        best = []
        for _ in range(args.repeats):
            t0 = time.perf_counter()
            for f in files:
                check_file(f, CheckOptions(rb))
            best.append((time.perf_counter() - t0) / len(files))
        rows.append(("  of which read + check + score", f"{min(best) * 1000:.0f} ms"))

        result = run_batch([SAMPLES], tmp / "batch", BatchOptions(jobs=1, rulebook=rb))
        from perfxl.summary import UnitDetail

        detail = {r.index: UnitDetail() for r in result.rows}
        times = []
        for _ in range(args.repeats):
            t0 = time.perf_counter()
            county_tpl.write(county_context(result.rows, lambda r: detail[r.index], rb), tmp / "county.docx")
            times.append(time.perf_counter() - t0)
        rows.append(("county report in-process (context + 2 charts + render)", f"{min(times) * 1000:.0f} ms"))
        times = []
        for _ in range(args.repeats):
            t0 = time.perf_counter()
            county_tpl.write(county_context(result.rows, lambda r: detail[r.index], rb, charts=False),
                             tmp / "county.docx")
            times.append(time.perf_counter() - t0)
        rows.append(("  of which without the charts", f"{min(times) * 1000:.0f} ms"))

        exe = [sys.executable, "-m", "perfxl"]
        cold = [_wall([*exe, "report", str(SEED), "-o", str(tmp / "cold")]) for _ in range(args.repeats)]
        rows.append(("cold `perfxl report samples/000_….xlsx` (median)", f"{statistics.median(cold):.2f} s"))

        base = min(_wall([*exe, "batch", str(SAMPLES), "-o", str(tmp / "b0"), "--jobs", str(args.jobs)])
                   for _ in range(2))
        with_reports = min(_wall([*exe, "batch", str(SAMPLES), "-o", str(tmp / "b1"), "--jobs", str(args.jobs),
                                  "--reports"]) for _ in range(2))
        n = len(files)
        rows.append((f"`batch samples --jobs {args.jobs}` without / with --reports",
                     f"{base:.1f} s / {with_reports:.1f} s"))
        rows.append(("  --reports adds, per unit (drafts + county report)", f"{(with_reports - base) / n * 1000:.0f} ms"))

        if not args.no_pdf:
            from perfxl.writeup.pdf import find_soffice, to_pdf

            if find_soffice() is None:
                rows.append(("pdf", "n/a (LibreOffice not installed)"))
            else:
                docs = sorted((tmp / "b1" / "reports").glob("*.docx"))
                t0 = time.perf_counter()
                conv = to_pdf(docs)
                dt = time.perf_counter() - t0
                rows.append((f"pdf: one soffice call for {len(docs)} reports, per document",
                             f"{dt / len(docs) * 1000:.0f} ms ({dt:.1f} s total, {len(conv.failed)} failed)"))
                t0 = time.perf_counter()
                to_pdf([docs[0]])
                rows.append(("pdf: one report alone (LibreOffice start included)", f"{time.perf_counter() - t0:.1f} s"))

    width = max(len(k) for k, _ in rows)
    for k, v in rows:
        print(f"{k.ljust(width)}  {v}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
