"""Helpers for the rule tests: plant one mistake in the seed unit's data, write the
workbook from the template, read and check it, and flatten the findings."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

from perfxl.check import CheckOptions, check_file
from perfxl.findings import Finding, Severity
from perfxl.rulebook import Rulebook, default_rulebook
from perfxl.spec import INDICATORS, addr

# The seed unit's own warnings: two over-completed indicators (151 vs 10, 45 vs 20).
BASELINE = {("I016", "绩效指标", "G4"), ("I016", "绩效指标", "G6")}


def ind_cell(i: int, key: str) -> str:
    """The cell of column ``key`` of the i-th (0-based) indicator of the seed layout."""
    return addr(INDICATORS.first_row + i, INDICATORS.col_of(key))


def findings_of(path: Path, rulebook: Rulebook | None = None, **opts: Any) -> list[Finding]:
    report = check_file(path, CheckOptions(rulebook or default_rulebook(), debug=True, **opts))
    for f in report.findings:  # every message renders fully, in both languages
        for lang in ("zh", "en"):
            msg = f.message(lang)
            assert "{" not in msg and "}" not in msg, (f.code, lang, msg)
    return report.findings


def flat(findings: list[Finding], *, infos: bool = False, baseline: bool = False) -> list[tuple[str, str, str]]:
    """Sorted (code, sheet, cell) of the findings beyond the seed's own warnings."""
    out = []
    for f in findings:
        t = (f.code, f.sheet, f.cell)
        if not baseline and t in BASELINE:
            continue
        if not infos and f.severity == Severity.INFO:
            continue
        out.append(t)
    return sorted(out)


def planted(make_xlsx: Callable[..., Path], data: dict, rulebook: Rulebook | None = None,
            **opts: Any) -> list[tuple[str, str, str]]:
    """Write ``data`` as a workbook (computed cells cached), check it, flatten."""
    path = make_xlsx(data, rulebook=rulebook) if rulebook is not None else make_xlsx(data)
    return flat(findings_of(path, rulebook, **opts))
