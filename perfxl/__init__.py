"""perfxl: check, score and annotate 部门整体支出绩效自评表 workbooks.

Library first: every CLI command is one call here::

    import perfxl
    rb = perfxl.load_rulebook()                      # or load_rulebook("my.toml")
    report = perfxl.check_files(["a.xlsx"], perfxl.CheckOptions(rulebook=rb))
    unit = perfxl.read_unit("a.xlsx")
    card = perfxl.score_unit(unit, rb)
    perfxl.write_reports(["a.xlsx"], "报告")          # each unit's 自评报告 draft (.docx)
    f = perfxl.frames(report)                        # DataFrames: pip install 'perfxl[pandas]'

Names are resolved lazily, so ``import perfxl`` (and a one-file ``perfxl check``) does not
pay for openpyxl or xlsxwriter until a function needs them; pandas is optional and only
:func:`perfxl.frames` uses it.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

__version__ = "0.1.0"

# public name → module that defines it
_EXPORTS = {
    "read_unit": "perfxl.reader",
    "read_units": "perfxl.reader",
    "CheckOptions": "perfxl.check",
    "check_file": "perfxl.check",
    "check_file_units": "perfxl.check",
    "check_files": "perfxl.check_pool",  # with jobs=; perfxl.check's, on one process by default
    "check_paths": "perfxl.check_pool",
    "check_unit": "perfxl.check",
    "score_unit": "perfxl.score",
    "score_files": "perfxl.score_report",
    "score_paths": "perfxl.score_report",
    "common_indicators": "perfxl.common",
    "run_batch": "perfxl.batch",
    "BatchOptions": "perfxl.batch",
    "write_reports": "perfxl.writeup",
    "ReportOptions": "perfxl.writeup",
    "write_template": "perfxl.template",
    "write_workbook": "perfxl.template",
    "load_rulebook": "perfxl.rulebook",
    "Rulebook": "perfxl.rulebook",
    "catalogue": "perfxl.catalogue",
    "Finding": "perfxl.findings",
    "Severity": "perfxl.findings",
    "Report": "perfxl.report",
    "FileReport": "perfxl.report",
    "Unit": "perfxl.model",
    "DEPT": "perfxl.spec",
    "frames": "perfxl.dataframes",
    "Frames": "perfxl.dataframes",
    "discover": "perfxl.inputs",
}

__all__ = ["__version__", *_EXPORTS]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'perfxl' has no attribute {name!r}")
    return getattr(import_module(module), name)


def __dir__() -> list[str]:
    return sorted(__all__)
