"""pandas DataFrames of a check, for the analyst in Jupyter (``pip install 'perfxl[pandas]'``).

::

    import perfxl
    f = perfxl.frames(["收件箱/"])            # or perfxl.frames(report) for a Report you hold
    f.units.sort_values("total")             # one row per workbook
    f.indicators.groupby("level1")["diff"].describe()
    f.findings.code.value_counts()
    f.scores.pivot(index="unit", columns="part", values="score")

pandas is optional: nothing on the command line imports this module, and importing it
without pandas raises an error that says how to install it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Sequence

from perfxl.errors import PerfxlError

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from perfxl.report import Report
    from perfxl.rulebook import Rulebook

__all__ = ["Frames", "frames"]


@dataclass(frozen=True)
class Frames:
    """A check as four tables (every row names its file in ``path``):

    ``units``: one row per workbook — unit, credit code, year, budget, spending, execution
    rate, self-score and reviewed score with their grades and difference, counts of
    errors/warnings/infos, status and the common indicators (one column each).
    ``indicators``: one row per indicator — its cells' values, 分值, self-score, computed
    score, difference, method and flags.  ``findings``: one row per finding — code,
    severity, sheet, cell, message, expected and actual (raw and as shown).  ``scores``:
    one row per unit and part (预算执行率, 产出指标, 效益指标, 满意度指标, 总分).
    """

    units: pd.DataFrame
    indicators: pd.DataFrame
    findings: pd.DataFrame
    scores: pd.DataFrame


def _pandas() -> Any:
    try:
        import pandas
    except ImportError:
        raise PerfxlError("perfxl.frames 需要 pandas：pip install 'perfxl[pandas]'",
                          message_en="perfxl.frames needs pandas: pip install 'perfxl[pandas]'",
                          code="E003") from None
    return pandas


def frames(source: Report | Sequence[str | Path], *, rulebook: Rulebook | None = None, lang: str = "zh") -> Frames:
    """The DataFrames of a :class:`~perfxl.report.Report`, or of checking ``source``'s
    files and folders (as ``perfxl check`` does) with ``rulebook`` (default: the shipped
    one).  Messages follow ``lang``."""
    pd = _pandas()
    from perfxl.report import Report

    if isinstance(source, Report):
        report = source
    else:
        from perfxl.check import CheckOptions, check_paths
        from perfxl.rulebook import default_rulebook

        report = check_paths(list(source), CheckOptions(rulebook or default_rulebook()))
    units, indicators, findings, scores = [], [], [], []
    for i, fr in enumerate(report.files):
        units.append(_unit_row(fr, i))
        name = fr.unit_name
        for f in fr.findings:
            findings.append({"path": fr.path, "unit": name, **f.to_dict(lang)})
        card = fr.score
        if card is None:
            continue
        for s in card.indicators:
            d = s.to_dict(lang)
            ind = s.indicator
            d.update(level2=ind.level2.value if ind.level2.ok else None,
                     unit_of_measure=ind.unit.value if ind.unit.ok else None)
            indicators.append({"path": fr.path, "unit": name, **d})
        for part, lv in card.levels.items():
            scores.append({"path": fr.path, "unit": name, "part": part, **lv.to_dict()})
        scores.append({"path": fr.path, "unit": name, "part": "总分", "weight": sum(lv.weight for lv in card.levels.values()),
                       "score": card.total, "self_score": card.self_total, "declared_self": card.self_total,
                       "diff": card.diff})
    return Frames(
        units=pd.DataFrame(units),
        indicators=pd.DataFrame(indicators),
        findings=pd.DataFrame(findings, columns=[
            "path", "unit", "code", "severity", "sheet", "cell", "message", "expected", "actual",
            "expected_text", "actual_text", "related_cells"]),
        scores=pd.DataFrame(scores, columns=["path", "unit", "part", "weight", "score", "self_score",
                                             "declared_self", "diff"]),
    )


def _unit_row(fr: Any, index: int) -> dict[str, Any]:
    from perfxl.summary import SummaryRow

    d = SummaryRow.from_report(fr, index).to_dict()
    common = d.pop("common") or {}
    for key in ("index", "cells", "annotated", "rank"):
        d.pop(key, None)
    d["status"] = fr.status
    d["infos"] = fr.infos
    d.update(common)
    place = d.pop("unit", 0)  # the form's place in its file (a workbook of several project forms)
    return {"path": d.pop("path"), "unit": d.pop("name"), "form": place, **d}
