"""The template kinds perfxl reads, by name: what differs between them is data.

``dept``: the 部门整体支出绩效自评表, one workbook of fixed sheets per department.
``project``: the 项目支出绩效自评表 (national layout), one form per sheet, found by its labels.
Rules declare the kinds they apply to (:func:`perfxl.rules.registry.check`); the scorer
takes a kind's weights from the rulebook; the reader picks the kind from the workbook.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING

from perfxl.spec import DEPT, TemplateSpec
from perfxl.spec_project import PROJECT, PROJECT_PAGE, FormPage

if TYPE_CHECKING:  # pragma: no cover
    from perfxl.model import Unit
    from perfxl.rulebook import Rulebook

__all__ = ["Kind", "KINDS", "DEPT_KIND", "PROJECT_KIND", "kind_of", "form_kinds", "is_part", "wholes",
           "by_template_id", "department_key"]


@dataclass(frozen=True)
class Kind:
    name: str
    title: str
    title_en: str
    spec: TemplateSpec  # computed cells, sheet order, aliases
    weights_key: str  # the rulebook attribute holding this kind's weights by 一级指标
    # Reader notes that describe this kind's normal layout, not a slip: the national form
    # writes the sign and unit inside 年度指标值 (≥95%), so V014 says nothing there.
    layout_notes: frozenset[str] = frozenset()
    # Whether a 定性 indicator carries a 完成情况 (scored within its band); the national form
    # has none: there the clerk's 得分 within [0, 分值] is the judgement.
    qualitative_completion: bool = True
    # Whether the unit yields the county's common indicators (perfxl.common): a department does.
    common_indicators: bool = True
    # A kind read form by form (any sheet, found by its labels): its page; None for a
    # workbook of fixed sheets (the 部门整体 kind: perfxl.spec.DEPT).
    page: FormPage | None = None
    # The kind whose unit this kind's units are part of, matched by 主管部门 = its 单位名称:
    # a project is part of its department.  The summary lists parts on their own sheet,
    # grouped by that unit; the batch checks them against it (X004/X005).
    part_of: str | None = None

    def weights(self, rulebook: Rulebook) -> dict[str, float]:
        return getattr(rulebook, self.weights_key)

    def weight(self, rulebook: Rulebook, level: str) -> float:
        return self.weights(rulebook)[level]


DEPT_KIND = Kind("dept", "部门整体支出绩效自评表", "overall expenditure self-evaluation", DEPT, "weights")
PROJECT_KIND = Kind("project", "项目支出绩效自评表", "project expenditure self-evaluation", PROJECT,
                    "project_weights", frozenset({"V014", "V012"}), qualitative_completion=False,
                    common_indicators=False, page=PROJECT_PAGE, part_of="dept")
KINDS: dict[str, Kind] = {k.name: k for k in (DEPT_KIND, PROJECT_KIND)}


def kind_of(unit: Unit) -> Kind:
    return KINDS[unit.kind]


def is_part(kind: str) -> bool:
    """Whether units of ``kind`` are parts of another kind's units (projects of a department)."""
    k = KINDS.get(kind)
    return k is not None and k.part_of is not None


def wholes() -> frozenset[str]:
    """The kinds whose units have parts (the 部门整体 kind)."""
    return frozenset(k.part_of for k in KINDS.values() if k.part_of is not None)


def form_kinds() -> list[Kind]:
    """The kinds read form by form, in the order a sheet is tried against them."""
    return [k for k in KINDS.values() if k.page is not None]


def by_template_id(template_id: str | None) -> Kind | None:
    for k in KINDS.values():
        if k.spec.template_id == template_id:
            return k
    return None


def department_key(name: str | None) -> str:
    """A department's name as compared across kinds (a project form's 主管部门 against a
    部门整体 workbook's 单位名称, both typed by hand): full-width folded, spaces removed."""
    return "".join(unicodedata.normalize("NFKC", name or "").split())
