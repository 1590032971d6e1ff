"""X rules: across the files of one batch (and the batch's year)."""

from __future__ import annotations

from collections import Counter, defaultdict
from pathlib import Path
from typing import TYPE_CHECKING, Iterable

from perfxl.kinds import is_part
from perfxl.codes.batch import X001, X002, X003
from perfxl.findings import Finding
from perfxl.i18n import Text
from perfxl.model import Unit
from perfxl.rules.registry import BOTH, RuleContext, check, sheet_of, text
from perfxl.spec import PROFILE

if TYPE_CHECKING:  # pragma: no cover
    from perfxl.report import FileReport

SHEET = PROFILE.name
__all__ = ["X001", "X002", "X003", "check_year", "check_batch"]



def _year_at(unit: Unit) -> tuple[str | None, str | None]:
    """Where the year was read: 单位信息's cell, or the title of a project form."""
    f = unit.profile.get("year")
    cell = f.cell if f is not None and f.cell else None
    if unit.form_sheet is not None:  # a form has no template address to fall back on
        return sheet_of(unit, SHEET), cell
    return SHEET, cell or PROFILE.cell("year")


@check("X003", kinds=BOTH)
def check_year(unit: Unit, ctx: RuleContext) -> Iterable[Finding]:
    """评价年度 = the batch year when one is given (``CheckOptions.year``); both kinds."""
    if ctx.year is None or unit.year is None:
        return
    if unit.year != ctx.year:
        yield X003(*_year_at(unit), expected=ctx.year, actual=unit.year)


def _units(reports: list[FileReport]) -> list[tuple[FileReport, Unit]]:
    return [(r, r.unit) for r in reports if r.readable and r.unit is not None and r.unit.readable]


# How many of the other files a duplicate finding names: a unit sent v1, v2, v3 is named in
# full, while a unit sent a hundred times does not make each of its findings a hundred
# names long (the batch stays linear in the number of files).
NAMED_OTHERS = 3


def _names(items: list[FileReport], me: FileReport) -> Text:
    """The other files' names, at most :data:`NAMED_OTHERS` of them, and how many more."""
    others = [Path(r.path).name for r in items[:NAMED_OTHERS + 1] if r is not me][:NAMED_OTHERS]
    rest = len(items) - 1 - len(others)
    return Text("、".join(others) + (f" 等另 {rest} 个文件" if rest > 0 else ""),
                ", ".join(others) + (f" and {rest} more" if rest > 0 else ""))


@check("X001", "X002", "X003", scope="batch", kinds=BOTH)
def check_batch(reports: list[FileReport], ctx: RuleContext) -> Iterable[tuple[FileReport, Finding]]:
    """Duplicates across files (X001 code, X002 name) and mixed years (X003, when no batch
    year was given: the most common year — the latest on a tie — is the batch's).  Duplicates
    are of 部门整体 units only: the project forms of one department share its name and have
    no credit code."""
    units = _units(reports)
    depts = [(r, u) for r, u in units if not is_part(u.kind)]
    by_code: dict[str, list[FileReport]] = defaultdict(list)
    by_name: dict[str, list[FileReport]] = defaultdict(list)
    for r, u in depts:
        code = text(u.profile.get("credit_code"))
        if code and not ctx.rulebook.is_placeholder(code):
            by_code[code.replace(" ", "").upper()].append(r)
        name = text(u.profile.get("name"))
        if name and not ctx.rulebook.is_placeholder(name):
            by_name["".join(name.split())].append(r)
    for code, rs in by_code.items():
        if len(rs) > 1:
            for r in rs:
                f = r.unit.profile["credit_code"]  # type: ignore[union-attr]
                yield r, X001(SHEET, f.cell or PROFILE.cell("credit_code"), actual=code, others=_names(rs, r))
    for rs in by_name.values():
        if len(rs) < 2:
            continue
        codes = {text(r.unit.profile.get("credit_code")) for r in rs}  # type: ignore[union-attr]
        if len(codes) == 1 and None not in codes and len(by_code.get(next(iter(codes)).replace(" ", "").upper(), [])) > 1:  # type: ignore[union-attr]
            continue  # same unit, same code: X001 already says it
        for r in rs:
            f = r.unit.profile["name"]  # type: ignore[union-attr]
            yield r, X002(SHEET, f.cell or PROFILE.cell("name"), actual=text(f), others=_names(rs, r))
    if ctx.year is not None:
        return  # each unit was compared with the given year already
    years = Counter(u.year for _r, u in units if u.year is not None)
    if len(years) < 2:
        return
    batch_year = max(years, key=lambda y: (years[y], y))
    for r, u in units:
        if u.year is not None and u.year != batch_year:
            yield r, X003(*_year_at(u), expected=batch_year, actual=u.year)
