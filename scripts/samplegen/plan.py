"""The plan: which forms go into which workbook, written by whom, in which layout variant.

The 30 departments of 示例县 (samplegen.dept) get 2–4 projects each.  Half of them send
workbooks in the national layout written by :mod:`samplegen.national` — one file per project
or all projects in one workbook, .xls or .xlsx, cover and notes sheets, every variant of
:data:`national.PRESETS` — and the other half send perfxl's own template, one .xlsx per
project.  About a third of all forms carry one planted mistake; every tag of
:data:`projects.MISTAKES` is planted at least twice, at least once in a national-layout file.
Deterministic from the seed.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from typing import Any

from .dept import _DEPARTMENTS, COUNTY, county_units

from .catalogue import Project, projects_of
from .national import variant_of
from .projects import MISTAKES, Mistake, make_form

__all__ = ["PlannedForm", "PlannedFile", "build_plan", "PERFXL_VARIANT", "YEAR"]

YEAR = 2023
PERFXL_VARIANT = "perfxl-template"  # the variant name of forms written by perfxl's own template
N_DEPARTMENTS = 30

# The national-layout departments' files, in order: the variants of their forms (a form
# past the end of the tuple takes the last), one workbook for all projects or one per
# project, the format, a cover sheet 封面, a notes sheet 填表说明.
_NATIONAL_FILES: tuple[tuple[tuple[str, ...], bool, str, bool, bool], ...] = (
    (("national",), True, "xls", True, True),
    (("spaced",), True, "xls", False, False),
    (("no-initial",), False, "xlsx", False, False),
    (("sichuan",), True, "xls", False, True),
    (("split-target",), False, "xlsx", False, False),
    (("star",), True, "xlsx", True, False),
    (("flat",), False, "xls", False, False),
    (("no-weight", "national"), False, "xlsx", False, False),
    (("spaced",), False, "xlsx", False, False),
    (("no-initial",), True, "xls", False, True),
    (("sichuan",), False, "xlsx", False, False),
    (("split-target",), True, "xls", True, False),
    (("star",), False, "xls", False, False),
    (("flat",), True, "xlsx", False, False),
    (("national", "no-weight", "national"), True, "xlsx", False, False),
)
_NOTES = (
    "填表说明",
    "1. 本表依据《项目支出绩效自评表》（财预〔2020〕10号附件1）格式填报，每个项目一张表。",
    "2. 金额单位为万元，保留两位小数；执行率 = 全年执行数 ÷ 全年预算数。",
    "3. 一级指标权重：产出指标 50 分，效益指标 30 分，满意度指标 10 分，预算执行率 10 分。",
    "4. 未完成年度指标值的，须在偏差原因分析中说明原因及改进措施。",
)


@dataclass
class PlannedForm:
    """One form of the plan: where it goes, its data, its variant and its planted mistakes."""

    sheet: str
    department: str
    project: str
    variant: str
    data: dict[str, Any]
    mistakes: list[Mistake] = field(default_factory=list)


@dataclass
class PlannedFile:
    """One workbook of the plan; ``writer`` names an entry of the writer registry."""

    file: str
    format: str
    writer: str
    forms: list[PlannedForm]
    cover: list[str] | None = None
    notes: list[str] | None = None

    @property
    def variants(self) -> list[str]:
        return sorted({f.variant for f in self.forms})


@dataclass
class _Slot:
    """A form before its data exists: enough to choose the mistake it may carry."""

    dept: int
    department: str
    project: Project
    variant: str
    writer: str
    tags: list[str] = field(default_factory=list)
    weak: bool = False  # an honest poor year: clean, graded 良 or 中


def _allowed(tag: str, slot: _Slot) -> bool:
    v = variant_of("national" if slot.variant == PERFXL_VARIANT else slot.variant)
    if tag == "proj-no-weight-column":
        return not v.weight_column
    if not v.weight_column:
        return False  # a form without 分值 carries that one finding only
    if tag == "proj-total-zero":
        return v.money != "no_initial"
    if tag == "proj-total-score-off":
        return v.total_row in ("score", "text")
    if tag == "proj-cost-ge":  # the ≥ sits in 年度指标值 itself, not a split 指标性质 cell
        return slot.project.unit_cost is not None and not v.target_split
    return True


def _assign(rng: random.Random, slots: list[_Slot]) -> None:
    """Each tag twice: first on a national-layout form, then anywhere (perfxl's first)."""
    for tag in MISTAKES:
        for round_ in (0, 1):
            pool = [s for s in slots if not s.tags and _allowed(tag, s)
                    and (s.writer == "national" if round_ == 0 else True)]
            if round_ == 1 and tag != "proj-no-weight-column":
                pool = [s for s in pool if s.writer == "perfxl"] or pool
            if not pool:
                raise LookupError(f"no form can carry {tag}")
            rng.choice(pool).tags.append(tag)


def _sheet_name(text: str) -> str:
    return re.sub(r"[\[\]:*?/\\]", "", text)[:31]


def build_plan(seed: int = 2023) -> list[PlannedFile]:
    """The project samples as files of forms, deterministic from ``seed``."""
    rng = random.Random(seed)
    depts = list(_DEPARTMENTS[:N_DEPARTMENTS])
    counts = [2] * 6 + [3] * 12 + [4] * 12
    rng.shuffle(counts)
    national_depts = sorted(rng.sample(range(N_DEPARTMENTS), len(_NATIONAL_FILES)))
    slots: list[_Slot] = []
    for k, (suffix, _type, _code, _work) in enumerate(depts):
        chosen = rng.sample(projects_of(suffix), counts[k])
        if k in national_depts:
            presets = _NATIONAL_FILES[national_depts.index(k)][0]
            variants = [presets[min(i, len(presets) - 1)] for i in range(len(chosen))]
            writer = "national"
        else:
            variants, writer = [PERFXL_VARIANT] * len(chosen), "perfxl"
        slots += [_Slot(k, f"{COUNTY}{suffix}", p, v, writer) for p, v in zip(chosen, variants)]
    _assign(rng, slots)
    clean = [s for s in slots if not s.tags]
    for s in rng.sample(clean, 8):
        s.weak = True
    files: list[PlannedFile] = []
    spent = _project_spending()
    for k in range(N_DEPARTMENTS):
        mine = [s for s in slots if s.dept == k]
        # The projects share out at most 90% of the department's own 项目支出 (X004 stays quiet).
        shares = [rng.uniform(0.5, 1.0) for _ in mine]
        room = spent.get(mine[0].department, 0.0) * rng.uniform(0.6, 0.9) if mine else 0.0
        forms = [_form(rng, s, room * w / sum(shares) if room else None) for s, w in zip(mine, shares)]
        if k not in national_depts:
            files += [PlannedFile("", "xlsx", "perfxl", [f]) for f in forms]
            continue
        _presets, together, fmt, cover, notes = _NATIONAL_FILES[national_depts.index(k)]
        style = national_depts.index(k) % 3
        if together:
            for i, f in enumerate(forms, start=1):
                f.sheet = _sheet_name(f.project) if style == 0 else (f"项目{i}" if style == 1 else f"表{i}")
            files.append(PlannedFile("", fmt, "national", forms,
                                     _cover(mine[0].department, len(forms)) if cover else None,
                                     list(_NOTES) if notes else None))
        else:
            for f in forms:
                f.sheet = ("Sheet1", "项目支出绩效自评表", _sheet_name(f.project))[style]
                files.append(PlannedFile("", fmt, "national", [f]))
    for n, pf in enumerate(files, start=1):
        dept = pf.forms[0].department
        what = "项目" if len(pf.forms) > 1 else pf.forms[0].project
        pf.file = f"p{n:03d}_{dept}_{what}.{pf.format}"
    return files


def _project_spending() -> dict[str, float]:
    """Each department's 项目支出 全年执行数 in its 部门整体 sample (samplegen.dept)."""
    return {d["profile"]["name"]: d["budget"]["project"]["actual"] for _f, d, _m in county_units()}


def _form(rng: random.Random, slot: _Slot, cap: float | None = None) -> PlannedForm:
    v = variant_of("national" if slot.variant == PERFXL_VARIANT else slot.variant)
    sources = ("current", "carryover", "special", "own") if v.money == "sichuan" else ("current", "carryover", "other")
    data, mistakes = make_form(rng, department=slot.department, project=slot.project, year=YEAR,
                               sources=sources, tags=slot.tags, weight_column=v.weight_column, weak=slot.weak,
                               cap=cap)
    return PlannedForm("项目支出绩效自评表", slot.department, slot.project.name, slot.variant, data, mistakes)


def _cover(department: str, n: int) -> list[str]:
    return [f"{department}{YEAR}年度项目支出绩效自评表", f"主管部门（盖章）：{department}",
            f"共 {n} 个项目，每个项目一张表", "报送日期：2024年3月15日"]
