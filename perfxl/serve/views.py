"""What the pages show, worked out from stored versions (no web framework here)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Sequence

from perfxl.findings import display

from perfxl.serve.store import Department, Submission, Version

__all__ = ["SheetGroup", "Changes", "group_by_sheet", "changes", "warnings_of", "missing_explanations",
           "InboxRow", "inbox_rows", "shown"]


@dataclass
class SheetGroup:
    sheet: str | None
    findings: list[dict[str, Any]] = field(default_factory=list)


def group_by_sheet(findings: Sequence[dict[str, Any]]) -> list[SheetGroup]:
    """Findings grouped by sheet, in the order they come (the checker's order: sheets in
    template order, then row, column, code); file-level findings (no sheet) first."""
    groups: dict[str | None, SheetGroup] = {}
    for f in sorted(findings, key=lambda f: f.get("sheet") is not None):
        groups.setdefault(f.get("sheet"), SheetGroup(f.get("sheet"))).findings.append(f)
    return list(groups.values())


def shown(finding: dict[str, Any], key: str) -> str:
    """A finding's expected or actual value (``key``) as the page shows it: in the
    finding's own terms (a rate as 76.80%, a range as 11.20–14.00) where the record
    carries them, blank when there is none."""
    text_key = f"{key}_text"
    if text_key in finding:
        return finding[text_key] or ""
    value = finding.get(key)  # a record stored before findings carried their texts
    return "" if value is None else display(value)


@dataclass
class Changes:
    """A version's findings against the previous version's, by code and cell."""

    previous: int
    fixed: list[dict[str, Any]]
    new: list[dict[str, Any]]
    still_open: list[dict[str, Any]]

    @property
    def same(self) -> bool:
        return not self.fixed and not self.new


def changes(current: Version, previous: Version | None) -> Changes | None:
    """What changed since ``previous`` (None for a first version).  Info findings take
    no part: they ask nothing of the clerk."""
    if previous is None:
        return None

    def keyed(v: Version) -> dict[str, dict[str, Any]]:
        return {f["key"]: f for f in v.findings if f["severity"] != "info"}

    now, before = keyed(current), keyed(previous)
    return Changes(
        previous=previous.number,
        fixed=[f for k, f in before.items() if k not in now],
        new=[f for k, f in now.items() if k not in before],
        still_open=[f for k, f in now.items() if k in before],
    )


def warnings_of(version: Version) -> list[dict[str, Any]]:
    """The warnings a clerk must explain before submitting, one per code and cell."""
    seen: dict[str, dict[str, Any]] = {}
    for f in version.findings:
        if f["severity"] == "warning":
            seen.setdefault(f["key"], f)
    return list(seen.values())


def missing_explanations(version: Version, explanations: dict[str, str], placeholders: Sequence[str]) -> list[str]:
    """Keys of the warnings whose explanation is blank or a placeholder (无, /, -…)."""
    out = []
    for f in warnings_of(version):
        text = (explanations.get(f["key"]) or "").strip()
        if not text or text in placeholders:
            out.append(f["key"])
    return out


@dataclass
class InboxRow:
    """One department on the bureau's page: its latest upload and its submission."""

    department: Department
    latest: Version | None
    submission: Submission | None


def inbox_rows(departments: Sequence[Department], latest: dict[int, Version],
               submissions: dict[int, Submission]) -> list[InboxRow]:
    return [InboxRow(d, latest.get(d.id), submissions.get(d.id)) for d in departments]
