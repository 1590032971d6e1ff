"""The written reports: each unit's 自评报告 draft and the bureau's county report (.docx).

The stage after read → check → score::

    import perfxl
    perfxl.write_reports(["自评表.xlsx"], "报告")                          # perfxl report
    perfxl.run_batch(["收件箱"], "out", perfxl.BatchOptions(reports=perfxl.ReportOptions()))

Modules: :mod:`~perfxl.writeup.unit` (a unit's figures and sentences),
:mod:`~perfxl.writeup.county` (the county's), :mod:`~perfxl.writeup.fields` (the fields a
template may name), :mod:`~perfxl.writeup.render` (docxtpl, escaping, checks),
:mod:`~perfxl.writeup.gbt9704` (the official document format), :mod:`~perfxl.writeup.charts`
(matplotlib), :mod:`~perfxl.writeup.pdf` (LibreOffice), :mod:`~perfxl.writeup.publish`
(never overwriting an edited draft) and :mod:`~perfxl.writeup.run` (the two entry points).
Not to be confused with :mod:`perfxl.report`, the check report.

Importing this package is cheap: docxtpl, python-docx and matplotlib are imported only when
a report is written.
"""

from __future__ import annotations

from perfxl.writeup.county import ProjectLine, county_context
from perfxl.writeup.fields import COUNTY_FIELDS, UNIT_FIELDS
from perfxl.writeup.render import ReportTemplate, ReportTemplateError, TemplateFieldError
from perfxl.writeup.run import (
    COUNTY_REPORT,
    REPORTS_DIR,
    DraftResult,
    ReportOptions,
    ReportsResult,
    write_batch_reports,
    write_reports,
)
from perfxl.writeup.unit import draft_context

__all__ = [
    "write_reports",
    "write_batch_reports",
    "ReportOptions",
    "ReportsResult",
    "DraftResult",
    "REPORTS_DIR",
    "COUNTY_REPORT",
    "draft_context",
    "county_context",
    "ProjectLine",
    "UNIT_FIELDS",
    "COUNTY_FIELDS",
    "ReportTemplate",
    "ReportTemplateError",
    "TemplateFieldError",
]
