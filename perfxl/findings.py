"""Findings, the rule catalogue they come from, and the report that holds them.

A :class:`Rule` is a catalogue entry (code, slug, severity, messages, why, example); a
rule module declares its rules with :func:`rule` and emits findings by calling them::

    B001 = rule("B001", "budget-total-mismatch", ...)
    yield B001(sheet, "B4", expected=10.0, actual=9.0, row="资金总额")

A :class:`Finding` is a typed record: code, severity, sheet, cell, expected, actual and
the parameters of its message, which is rendered from the rule's template in Chinese or
English, never assembled at the call site.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import Enum
from typing import Any, Iterable, Mapping

__all__ = [
    "Severity",
    "Rule",
    "Finding",
    "AREAS",
    "rule",
    "catalogue",
    "get_rule",
    "display",
    "percent",
    "select",
    "sort_key",
]


class Severity(str, Enum):
    """error = 强制性 (must fix); warning = 提示性 (must explain); info."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def zh(self) -> str:
        return {"error": "错误", "warning": "警告", "info": "提示"}[self.value]

    @property
    def rank(self) -> int:
        return {"error": 0, "warning": 1, "info": 2}[self.value]


# Area prefix → (Chinese name, English name), in report order.
AREAS: dict[str, tuple[str, str]] = {
    "F": ("文件与模板", "file and template"),
    "V": ("单元格取值", "cell values"),
    "P": ("基本信息", "unit profile"),
    "B": ("预算执行", "budget execution"),
    "S": ("三公经费", "three public costs"),
    "G": ("绩效目标", "performance goals"),
    "I": ("绩效指标", "performance indicators"),
    "T": ("自评得分", "self-score"),
    "X": ("批次", "batch"),
}


def display(value: Any) -> str:
    """A value as a message shows it: floats to two decimals, None as '（空）'."""
    if value is None:
        return "（空）"
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            return str(value)
        # Absurd magnitudes (a pasted 1e308) stay readable instead of 300 digits long.
        return f"{value:.4g}" if abs(value) >= 1e12 else f"{value:.2f}"
    return str(value)


def percent(rate: float) -> str:
    """A ratio as a message shows it: 0.768 → '76.80%' (absurd ones in short form)."""
    return f"{rate:.4g}" if abs(rate) >= 1e10 else f"{rate * 100:.2f}%"


class _Params(dict):
    """format_map helper: unknown keys render as '{key}' instead of raising."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


@dataclass(frozen=True)
class Finding:
    """One thing found in one workbook, at one cell where there is one."""

    code: str
    severity: Severity
    sheet: str | None
    cell: str | None
    expected: Any = None
    actual: Any = None
    params: tuple[tuple[str, Any], ...] = ()
    path: str | None = None  # the file, filled in when the finding joins a report

    def message(self, lang: str = "zh") -> str:
        """The message in 'zh' or 'en', with the values filled in."""
        rule = get_rule(self.code)
        template = rule.message_en if lang == "en" else rule.message
        values = _Params({k: display(v) for k, v in self.params})
        values.setdefault("expected", display(self.expected))
        values.setdefault("actual", display(self.actual))
        return template.format_map(values)

    @property
    def ref(self) -> str | None:
        if self.sheet is None or self.cell is None:
            return None
        return f"{self.sheet}!{self.cell}"

    def with_severity(self, severity: Severity) -> Finding:
        return Finding(self.code, severity, self.sheet, self.cell, self.expected, self.actual, self.params, self.path)

    def with_path(self, path: str) -> Finding:
        return Finding(self.code, self.severity, self.sheet, self.cell, self.expected, self.actual, self.params, path)

    def to_dict(self, lang: str = "zh") -> dict[str, Any]:
        """The JSON shape: code, severity, sheet, cell, message, expected, actual."""
        return {
            "code": self.code,
            "severity": self.severity.value,
            "sheet": self.sheet,
            "cell": self.cell,
            "message": self.message(lang),
            "expected": _jsonable(self.expected),
            "actual": _jsonable(self.actual),
        }


def _jsonable(v: Any) -> Any:
    if v is None or isinstance(v, (bool, int, str)):
        return v
    if isinstance(v, float):
        return None if (math.isnan(v) or math.isinf(v)) else round(v, 6)
    return str(v)


@dataclass(frozen=True)
class Rule:
    """A catalogue entry.  Calling it makes a :class:`Finding` of this rule."""

    code: str
    slug: str
    severity: Severity
    title: str  # short Chinese name
    title_en: str
    message: str  # Chinese template: {expected}, {actual} and named params
    message_en: str
    why: str  # why it matters (Chinese, for the clerk and the reviewer)
    example: str  # an example of what triggers it
    sheet: str | None = None  # the sheet it concerns, when fixed

    @property
    def area(self) -> str:
        return self.code[0]

    def __call__(
        self,
        sheet: str | None = None,
        cell: str | None = None,
        *,
        expected: Any = None,
        actual: Any = None,
        **params: Any,
    ) -> Finding:
        return Finding(
            code=self.code,
            severity=self.severity,
            sheet=sheet if sheet is not None else self.sheet,
            cell=cell,
            expected=expected,
            actual=actual,
            params=tuple(sorted(params.items())),
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "slug": self.slug,
            "area": self.area,
            "area_name": AREAS[self.area][0],
            "severity": self.severity.value,
            "title": self.title,
            "title_en": self.title_en,
            "message": self.message,
            "message_en": self.message_en,
            "why": self.why,
            "example": self.example,
        }


_RULES: dict[str, Rule] = {}


def rule(
    code: str,
    slug: str,
    severity: Severity | str,
    title: str,
    title_en: str,
    message: str,
    message_en: str,
    why: str,
    example: str,
    sheet: str | None = None,
) -> Rule:
    """Declare a rule and add it to the catalogue (codes are unique)."""
    if code in _RULES:
        raise ValueError(f"duplicate rule code {code}")
    if code[0] not in AREAS:
        raise ValueError(f"rule code {code} has an unknown area prefix")
    r = Rule(code, slug, Severity(severity), title, title_en, message, message_en, why, example, sheet)
    _RULES[code] = r
    return r


def _load_all() -> None:
    # Importing the rules package declares every rule.
    import perfxl.rules  # noqa: F401


def catalogue() -> list[Rule]:
    """Every rule, ordered by area then code."""
    _load_all()
    order = list(AREAS)
    return sorted(_RULES.values(), key=lambda r: (order.index(r.area), r.code))


def get_rule(code: str) -> Rule:
    """The rule with this code (KeyError when unknown)."""
    if code not in _RULES:
        _load_all()
    return _RULES[code]


def select(codes: Iterable[str], select: Iterable[str] = (), ignore: Iterable[str] = ()) -> set[str]:
    """Codes kept by ruff-style selectors: a code or a prefix ('B', 'I01')."""
    sel, ign = tuple(select), tuple(ignore)
    out = set()
    for c in codes:
        if sel and not any(c.startswith(s) for s in sel):
            continue
        if any(c.startswith(s) for s in ign):
            continue
        out.add(c)
    return out


def sort_key(f: Finding, sheet_order: Mapping[str, int]) -> tuple:
    """(file, sheet order, row, column, code): the one order findings are shown in."""
    from perfxl.spec import split_addr

    row, col = split_addr(f.cell) if f.cell else (0, 0)
    so = -1 if f.sheet is None else sheet_order.get(f.sheet, len(sheet_order))
    return (f.path or "", so, row, col, f.code)

