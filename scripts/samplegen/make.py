"""Write the project samples of the plan and their MANIFEST.json.

    from samplegen.make import make_project_samples
    result = make_project_samples("samples/projects")   # writers: samplegen.writers.WRITERS

Each planned file goes to the writer its plan names; a writer that cannot write here yet
(:class:`writers.WriterUnavailable`) has its files skipped with a message, and the manifest
still lists them (``"written": false``) with the cells of the binding layout.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .national import PRESETS, FormLayout
from .plan import COUNTY, PERFXL_VARIANT, YEAR, PlannedFile, PlannedForm, build_plan
from .projects import MISTAKES
from .rules import execution_score, indicator_score, number, parse_target
from .writers import WRITERS, Writer, WriterUnavailable, binding_layout

__all__ = ["make_project_samples", "Result", "MANIFEST"]

MANIFEST = "MANIFEST.json"
# The cells every form entry of the manifest names (when the form has them).
_KEY_FIELDS = ("year", "name", "department", "implementer", "budget.total.initial", "budget.total.adjusted",
               "budget.total.actual", "budget.total.score", "total.weight", "total.self_score")
_VARIANT_NOTES = {
    "national": "the binding layout (财预〔2020〕10号附件1), merged title, 项目资金 and 绩效指标 merged down, 一级/二级 merged down their groups",
    "spaced": "labels broken by spaces and line breaks (项 目 名 称, 年度资金\\n总额, 绩 效 指 标, full-width spaces), half-width colons and brackets, （ 2023 年度 ）, 年度资金总额：, 其中:财政拨款, 自评得分, ≧ and ﹦",
    "no-initial": "no 年初预算数 column, 其中：本年财政拨款, 2023年度, 指标值/全年实际值/偏差原因分析, 分值/得分 repeated as numbers in the sub-rows, units inside number cells (864.2万, 10分, 75元, 100分), 总分 as text",
    "sichuan": "Sichuan's money block (年初预算 | 调整后预算数 | 预算执行数 | 预算执行率 | 权重 | 得分 | 原因) with rows 财政专户管理资金 and 单位资金, 填报年度：2023, weights inside the 一级 label (产出指标（50分）), 20 and 20.00 in one column, 总分 as 合计 100 only",
    "split-target": "the target split into 指标性质 | 指标值 | 度量单位 under a two-row merged header, 指标1： prefixes, …… rows and an empty category row, rows above the form (附件1), 资金总额, 上年结余结转资金, 未完成原因分析, percentages as text",
    "star": "★ parent rows with unweighted 其中… children, 执行率 before 分值, 当年财政拨款, 年度目标值/完成值, ≧ and ﹦, 20 and 20.00, sub-rows as numbers, no 总分 row",
    "flat": "一级/二级 not merged (written once above blanks), …… rows and an empty category row, percentages as text, sub-rows blank",
    "no-weight": "no 分值 column at all: nothing can be scored (reported once); 财政拨款",
    PERFXL_VARIANT: "perfxl's own project template (perfxl.template.write_workbook(path, data, kind='project'))",
}


@dataclass
class Result:
    """What a run wrote and skipped, and the manifest it wrote."""

    written: list[Path] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (file, why)
    manifest: Path | None = None


def make_project_samples(out_dir: str | Path = "samples/projects", *, seed: int = 2023,
                         writers: Mapping[str, Writer] | None = None,
                         log: Callable[[str], None] = print) -> Result:
    """Write every planned file its writer can write, then ``MANIFEST.json``."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    writers = WRITERS if writers is None else writers
    result = Result()
    entries = []
    for pf in build_plan(seed):
        path: Path | None = out / pf.file
        try:
            layouts = writers[pf.writer](out / pf.file, pf)
            result.written.append(out / pf.file)
        except WriterUnavailable as e:
            log(f"skipped {pf.file}: {e}")
            result.skipped.append((pf.file, str(e)))
            layouts, path = [binding_layout(f) for f in pf.forms], None
        entries.append(_file_entry(pf, layouts, path))
    manifest = {
        "about": f"Project samples (项目支出绩效自评表) of the fictional {COUNTY}, "
                 "written by scripts/make_project_samples.py. Each form lists its planted mistakes with the "
                 "cells (sheet!A1) where a checker must report them; clean = no error or warning expected. "
                 "self_score_total is 总分 as written (the sum of the parts where the form has no 总分 score); "
                 "rule_score_total applies the national rules to the values as written (null when a value "
                 "cannot be read or the form has no 分值). Files with \"written\": false wait for their writer.",
        "county": COUNTY, "seed": seed, "year": YEAR,
        "variants": {k: _VARIANT_NOTES[k] for k in [*PRESETS, PERFXL_VARIANT]},
        "tags": {t: {"message": m, "severity": s} for t, (m, s) in MISTAKES.items()},
        "files": entries,
    }
    result.manifest = out / MANIFEST
    _atomic_text(result.manifest, json.dumps(manifest, ensure_ascii=False, indent=1) + "\n")
    return result


def _file_entry(pf: PlannedFile, layouts: list[FormLayout], path: Path | None) -> dict[str, Any]:
    if path is not None:  # every sheet the writer made (perfxl's template adds its own)
        from python_calamine import CalamineWorkbook

        sheets = CalamineWorkbook.from_path(str(path)).sheet_names
    else:
        sheets = ([] if not pf.cover else ["封面"]) + [lay.sheet for lay in layouts] + ([] if not pf.notes else ["填表说明"])
    written = path is not None
    return {"file": pf.file, "format": pf.format, "writer": pf.writer, "written": written,
            "variants": pf.variants, "sheets": sheets,
            "forms": [_form_entry(f, lay) for f, lay in zip(pf.forms, layouts)]}


def _form_entry(f: PlannedForm, lay: FormLayout) -> dict[str, Any]:
    d = f.data
    total = d["budget"]["total"]
    return {
        "sheet": lay.sheet, "department": f.department, "project": f.project, "implementer": d.get("implementer"),
        "year": d["year"], "variant": f.variant,
        "clean": not f.mistakes,
        "mistakes": [{"tag": m.tag, "cells": [f"{lay.sheet}!{lay.cells[k]}" for k in m.fields], "fields": list(m.fields),
                      "message": m.message, "severity": m.severity} for m in f.mistakes],
        "budget": {"adjusted": total["adjusted"], "actual": total["actual"]},
        "self_score_total": d["total"]["self_score"],
        "rule_score_total": _rule_total(f),
        "cells": {k: lay.cells[k] for k in _KEY_FIELDS if k in lay.cells},
    }


def _rule_total(f: PlannedForm) -> float | None:
    if f.variant in PRESETS and not PRESETS[f.variant].weight_column:
        return None
    total = f.data["budget"]["total"]
    score = execution_score(number(total["adjusted"]), number(total["actual"]))
    if score is None:
        return None
    for d in f.data["indicators"]:
        t, w = parse_target(d["target"]), number(d["weight"]) or 0.0
        s = indicator_score(t, number(d["actual"]), w)
        if t.direction == "qual":
            s = number(d["self_score"])
            s = s if s is not None and 0 <= s <= w else None
        if s is None:
            return None
        score += s
    return round(score, 2)


def _atomic_text(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".~", suffix=path.suffix)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)
    os.chmod(tmp, 0o644)
    os.replace(tmp, path)
