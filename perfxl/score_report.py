"""The score report: ``perfxl score``'s files read and scored into one :class:`Report`,
and its JSON.

Kept apart from the scoring engine (:mod:`perfxl.score`), which a report's file entries
refer to for their score cards: the engine knows nothing of reports, reading or files.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterable

from perfxl.inputs import discover
from perfxl.reader import read_units
from perfxl.report import FileReport, Report
from perfxl.rulebook import Rulebook
from perfxl.score import SCORE_STATUSES, score_unit

__all__ = ["score_files", "score_paths", "scores_to_dict"]


def score_files(paths: Iterable[str | Path], rulebook: Rulebook) -> Report:
    """Read and score every file: a :class:`~perfxl.report.Report` whose FileReports carry
    the unit, the reader's findings and the score card (None for an unreadable file); a
    file of several project forms gives one FileReport per form."""
    files = []
    for p in paths:
        for unit in read_units(p, rulebook):
            findings = [f.with_path(str(p)) for f in unit.findings]
            card = score_unit(unit, rulebook) if unit.readable else None
            files.append(FileReport.of_unit(str(p), unit, findings, card))
    return Report(files=files, rulebook=rulebook)


def score_paths(inputs: Iterable[str | Path], rulebook: Rulebook) -> Report:
    """What ``perfxl score`` does: find the workbooks among ``inputs`` as ``perfxl check``
    does (:func:`perfxl.inputs.discover`: folders recursively, lock files and perfxl's own
    outputs left out and listed in ``Report.skipped``), then :func:`score_files` them."""
    files, skipped = discover(list(inputs))
    report = score_files(files, rulebook)
    report.skipped = skipped
    return report


def scores_to_dict(report: Report, lang: str = "zh") -> dict[str, Any]:
    """The JSON shape of ``perfxl score``: ``{"rulebook", "units": [...]}``, one entry per
    unit: path, kind, form sheet, unit name and :meth:`ScoreCard.to_dict`; an unreadable file has status
    "unreadable" and its reasons are the reader's findings.  Texts follow ``lang``."""
    units = []
    for fr in report.files:
        entry: dict[str, Any] = {"path": fr.path, "kind": fr.kind, "sheet": fr.sheet, "unit": fr.unit_name}
        if fr.score is None:
            zh, en = SCORE_STATUSES["unreadable"]
            entry.update({"status": "unreadable", "status_text": en if lang == "en" else zh,
                          "reasons": [f"{f.ref + ' ' if f.ref else ''}{f.message(lang)}" for f in fr.findings]})
        else:
            entry.update(fr.score.to_dict(lang))
        units.append(entry)
    return {"rulebook": report.rulebook.id if report.rulebook is not None else None, "units": units}
