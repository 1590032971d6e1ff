"""One report per run: a :class:`FileReport` per workbook, rendered as text, JSON,
annotated workbooks and summary rows — all from these objects."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from perfxl.findings import Finding, Severity

if TYPE_CHECKING:  # pragma: no cover
    from perfxl.model import Unit
    from perfxl.rulebook import Rulebook
    from perfxl.score import ScoreCard

__all__ = ["FileReport", "Report"]


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

    @property
    def unit_name(self) -> str | None:
        return self.unit.name if self.unit is not None else None

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
        """通过 / 需修改 / 无法读取."""
        if not self.readable:
            return "无法读取"
        return "需修改" if self.errors else "通过"

    def to_dict(self, lang: str = "zh") -> dict[str, Any]:
        return {
            "path": self.path,
            "unit": self.unit_name,
            "readable": self.readable,
            "status": self.status,
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
        }
