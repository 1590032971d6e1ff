"""Findings and the record type of the catalogue entries they come from.

A :class:`Rule` is a catalogue entry (code, slug, severity, messages, why, example, the
template kinds it applies to), declared as data with :func:`rule` in :mod:`perfxl.codes`
and assembled by :mod:`perfxl.catalogue`.  Whatever finds something — the guards, the
reader, a check — calls the entry to make a finding::

    B001 = rule("B001", "budget-total-mismatch", ...)      # perfxl/codes/budget.py
    yield B001(sheet, "B4", expected=10.0, actual=9.0, row="资金总额")

A :class:`Finding` is a typed record: code, severity, sheet, cell, expected, actual and
the parameters of its message, which is rendered from its entry's template in Chinese or
English, never assembled at the call site.  A finding keeps its entry, so this module
needs no registry and imports no rule: the entries (:mod:`perfxl.codes`), the catalogue and
the rules all sit above it.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass
from enum import Enum
from typing import Any, Iterable, Mapping

from perfxl.codes.english import WHY_EN
from perfxl.i18n import Text, sentence, tr

__all__ = [
    "Severity",
    "Rule",
    "Finding",
    "AREAS",
    "KIND_NAMES",
    "kind_names",
    "rule",
    "display",
    "shown",
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
    "J": ("项目资金与信息", "project funds and details"),
    "X": ("批次", "batch"),
}


# Template kind (the spec's kind name) → (Chinese name, English name), as ``perfxl rules`` shows it.
KIND_NAMES: dict[str, tuple[str, str]] = {
    "dept": ("部门整体", "department"),
    "project": ("项目支出", "project"),
}


def kind_names(kinds: Iterable[str], lang: str = "zh") -> str:
    """The kinds an entry applies to, as people read them: '部门整体、项目支出'."""
    names = [KIND_NAMES.get(k, (k, k))[1 if lang == "en" else 0] for k in kinds]
    return (", " if lang == "en" else "、").join(names)


def display(value: Any, lang: str = "zh") -> str:
    """A value as a message shows it: floats to two decimals, None as '（空）' ('(blank)')."""
    if value is None:
        return "(blank)" if lang == "en" else "（空）"
    if isinstance(value, Text):  # a list or phrase made for both languages
        return tr(value, lang)
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


def shown(value: Any, kind: str = "", lang: str = "zh") -> str:
    """A finding's expected or actual value in its own terms: a rate (``kind`` 'rate') as
    76.80%, a range (a (low, high) pair) as 11.20–14.00, anything else as :func:`display`."""
    if isinstance(value, tuple) and len(value) == 2:
        return f"{shown(value[0], kind, lang)}–{shown(value[1], kind, lang)}"
    if kind == "rate" and isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value):
        return percent(value)
    return display(value, lang)


class _Params(dict):
    """format_map helper: unknown keys render as '{key}' instead of raising."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


@dataclass(frozen=True)
class Finding:
    """One thing found in one workbook, at one cell where there is one.

    ``expected`` and ``actual`` keep their raw values (a range is a (low, high) pair);
    ``kind`` says how people read them ('rate': 0.768 is 76.80%).  ``related`` names other
    cells of the same sheet behind the finding — the inputs to look at when ``cell`` is a
    computed one the clerk cannot edit — which the annotated copy marks too.
    """

    code: str
    severity: Severity
    sheet: str | None
    cell: str | None
    expected: Any = None
    actual: Any = None
    params: tuple[tuple[str, Any], ...] = ()
    path: str | None = None  # the file, filled in when the finding joins a report
    kind: str = ""
    related: tuple[str, ...] = ()
    # The catalogue entry that made it (its message templates); not part of its identity.
    rule: Rule | None = dataclasses.field(default=None, compare=False, repr=False)

    def message(self, lang: str = "zh") -> str:
        """The message in 'zh' or 'en', with the values filled in."""
        rule = self.rule
        if rule is None:
            raise LookupError(f"finding {self.code} was not made by a catalogue entry")
        template = rule.message_en if lang == "en" else rule.message
        values = _Params({k: display(v, lang) for k, v in self.params})
        values.setdefault("expected", shown(self.expected, self.kind, lang))
        values.setdefault("actual", shown(self.actual, self.kind, lang))
        text = template.format_map(values)
        return sentence(text) if lang == "en" else text

    def expected_text(self, lang: str = "zh") -> str | None:
        """What the cell should hold, as people read it; None when there is nothing to expect."""
        return None if self.expected is None else shown(self.expected, self.kind, lang)

    def actual_text(self, lang: str = "zh") -> str | None:
        """What the cell holds, as people read it ('（空）' beside an expected value); None
        when the finding has neither."""
        if self.actual is None and self.expected is None:
            return None
        return shown(self.actual, self.kind, lang)

    @property
    def ref(self) -> str | None:
        if self.sheet is None or self.cell is None:
            return None
        return f"{self.sheet}!{self.cell}"

    def with_severity(self, severity: Severity) -> Finding:
        return dataclasses.replace(self, severity=severity)

    def with_path(self, path: str) -> Finding:
        return dataclasses.replace(self, path=path)

    def to_dict(self, lang: str = "zh") -> dict[str, Any]:
        """The JSON shape: code, severity, sheet, cell, message; expected and actual as raw
        values (a range as [low, high]) with ``expected_text``/``actual_text`` as people read
        them; ``related_cells`` (other cells to look at, same sheet)."""
        return {
            "code": self.code,
            "severity": self.severity.value,
            "sheet": self.sheet,
            "cell": self.cell,
            "message": self.message(lang),
            "expected": _jsonable(self.expected),
            "actual": _jsonable(self.actual),
            "expected_text": self.expected_text(lang),
            "actual_text": self.actual_text(lang),
            "related_cells": list(self.related),
        }


def _jsonable(v: Any) -> Any:
    if v is None or isinstance(v, (bool, int, str)):
        return v
    if isinstance(v, float):
        return None if (math.isnan(v) or math.isinf(v)) else round(v, 6)
    if isinstance(v, tuple):
        return [_jsonable(x) for x in v]
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
    kinds: tuple[str, ...] = ("dept",)  # the template kinds (spec kind names) it applies to

    @property
    def area(self) -> str:
        return self.code[0]

    @property
    def why_en(self) -> str:
        """Why it matters, in English (:mod:`perfxl.codes.english`)."""
        return WHY_EN.get(self.code, (self.why, self.example))[0]

    @property
    def example_en(self) -> str:
        return WHY_EN.get(self.code, (self.why, self.example))[1]

    def __call__(
        self,
        sheet: str | None = None,
        cell: str | None = None,
        *,
        expected: Any = None,
        actual: Any = None,
        kind: str = "",
        related: tuple[str, ...] = (),
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
            kind=kind,
            related=tuple(related),
            rule=self,
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
            "why_en": self.why_en,
            "example": self.example,
            "example_en": self.example_en,
            "kinds": list(self.kinds),
        }


# The kinds perfxl reads (perfxl.kinds): an entry that applies to both says so with this.
BOTH_KINDS = ("dept", "project")


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
    *,
    kinds: tuple[str, ...] = ("dept",),
) -> Rule:
    """A catalogue entry, checked as it is declared (the catalogue checks that codes are
    unique across :mod:`perfxl.codes`)."""
    if code[0] not in AREAS:
        raise ValueError(f"rule code {code} has an unknown area prefix")
    if not kinds:
        raise ValueError(f"rule {code} applies to no template kind")
    return Rule(code, slug, Severity(severity), title, title_en, message, message_en, why, example, sheet, tuple(kinds))


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

