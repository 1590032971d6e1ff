"""One report per run: a :class:`FileReport` per workbook, rendered as text, JSON,
annotated workbooks and summary rows — all from these objects."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from perfxl.findings import Finding, Severity

if TYPE_CHECKING:  # pragma: no cover
    from perfxl.inputs import Skipped
    from perfxl.model import Unit
    from perfxl.rulebook import Rulebook
    from perfxl.score import ScoreCard

__all__ = ["FileReport", "Report", "STATUSES", "status_text"]

# A file's status: the stable value JSON carries → (Chinese, English) words for people.
STATUSES: dict[str, tuple[str, str]] = {
    "passed": ("通过", "Passed"),
    "needs-changes": ("需修改", "Needs changes"),
    "unreadable": ("无法读取", "Unreadable"),
}


def status_text(status: str, lang: str = "zh") -> str:
    """The words for a status value ('needs-changes' → '需修改' / 'Needs changes')."""
    zh, en = STATUSES[status]
    return en if lang == "en" else zh


@dataclass
class FileReport:
    """What perfxl found in one file.

    ``readable`` is False when the file could not be read as a workbook at all (it is then
    listed as 无法读取 and makes ``check`` exit 2).  ``findings`` are sorted (sheet order,
    row, column, code) and carry ``path``.
    """

    path: str
    findings: list[Finding] = field(default_factory=list)
    unit: Unit | None = None
    score: ScoreCard | None = None
    readable: bool = True
    # The template kind ('dept', 'project') and, for a project form, its sheet: a workbook
    # of several 项目支出绩效自评表 gives one FileReport per form sheet.
    kind: str = "dept"
    sheet: str | None = None

    @classmethod
    def of_unit(cls, path: str, unit: Unit, findings: list[Finding], score: ScoreCard | None = None) -> FileReport:
        """The report of one read unit of the file at ``path``."""
        return cls(path=path, findings=findings, unit=unit, score=score, readable=unit.readable, kind=unit.kind,
                   sheet=unit.form_sheet)

    @property
    def unit_name(self) -> str | None:
        return self.unit.name if self.unit is not None else None

    @property
    def where(self) -> str:
        """How the unit is named in output: the file, and ``file › sheet`` for a project form."""
        return f"{self.path} › {self.sheet}" if self.sheet else self.path

    def count(self, severity: Severity) -> int:
        return sum(1 for f in self.findings if f.severity == severity)

    @property
    def errors(self) -> int:
        return self.count(Severity.ERROR)

    @property
    def warnings(self) -> int:
        return self.count(Severity.WARNING)

    @property
    def infos(self) -> int:
        return self.count(Severity.INFO)

    def failed(self, strict: bool = False) -> bool:
        """True when the file must be fixed: an error (or, strict, a warning)."""
        return self.errors > 0 or (strict and self.warnings > 0)

    @property
    def status(self) -> str:
        """'passed', 'needs-changes' or 'unreadable' (stable values; see :func:`status_text`)."""
        if not self.readable:
            return "unreadable"
        return "needs-changes" if self.errors else "passed"

    def status_text(self, lang: str = "zh") -> str:
        """通过 / 需修改 / 无法读取, or the English."""
        return status_text(self.status, lang)

    def to_dict(self, lang: str = "zh") -> dict[str, Any]:
        """The JSON shape; ``status`` is a stable value, ``status_text`` and the messages
        follow ``lang``."""
        return {
            "path": self.path,
            "kind": self.kind,
            "sheet": self.sheet,
            "unit": self.unit_name,
            "readable": self.readable,
            "status": self.status,
            "status_text": self.status_text(lang),
            "errors": self.errors,
            "warnings": self.warnings,
            "infos": self.infos,
            "findings": [f.to_dict(lang) for f in self.findings],
        }


@dataclass
class Report:
    """The result of a run over one or more files."""

    files: list[FileReport] = field(default_factory=list)
    rulebook: Rulebook | None = None
    skipped: list[Skipped] = field(default_factory=list)  # inputs left out (lock files, …)

    @property
    def errors(self) -> int:
        return sum(f.errors for f in self.files)

    @property
    def warnings(self) -> int:
        return sum(f.warnings for f in self.files)

    @property
    def unreadable(self) -> list[FileReport]:
        return [f for f in self.files if not f.readable]

    def exit_code(self, strict: bool = False) -> int:
        """0 clean, 1 findings that fail, 2 an unreadable file."""
        if self.unreadable:
            return 2
        return 1 if any(f.failed(strict) for f in self.files) else 0

    def to_dict(self, lang: str = "zh") -> dict[str, Any]:
        return {
            "rulebook": self.rulebook.id if self.rulebook else None,
            "files": [f.to_dict(lang) for f in self.files],
            "skipped": [{"path": s.path, "reason": s.text(lang)} for s in self.skipped],
        }
