"""A small 项目支出绩效自评表 for tests: one clean form's data, and a workbook writer."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def project(name: str = "农村公路养护", department: str = "桃源县科学技术协会", actual: float = 60.0,
            budget: float = 64.0, year: int = 2023) -> dict[str, Any]:
    """One project form's data (perfxl.template_project's dict): money of one source."""
    return {
        "year": year, "name": name, "department": department, "implementer": department,
        "budget": {"total": {"initial": budget, "adjusted": budget, "actual": actual},
                   "current": {"initial": budget, "adjusted": budget, "actual": actual},
                   "carryover": {"initial": 0, "adjusted": 0, "actual": 0},
                   "other": {"initial": 0, "adjusted": 0, "actual": 0}},
        "goals": [{"goal": "完成年度养护任务", "result": "已完成年度养护任务"}],
        "indicators": [
            {"level1": "产出指标", "level2": "数量指标", "name": "养护里程", "target": "≥120公里", "actual": "126公里",
             "weight": 50, "self_score": 50, "reason": None},
            {"level1": "效益指标", "level2": "社会效益指标", "name": "道路通行条件", "target": "有效改善",
             "actual": "有效改善", "weight": 30, "self_score": 30, "reason": None},
            {"level1": "满意度指标", "level2": "服务对象满意度指标", "name": "群众满意度", "target": "≥90%",
             "actual": "95%", "weight": 10, "self_score": 10, "reason": None},
        ],
        "total": {"weight": 100, "self_score": None},
    }


def write_projects(path: Path, *forms: dict[str, Any]) -> Path:
    """A workbook of ``forms``, one form sheet each, named after their projects."""
    from perfxl.template_project import write_project_workbook

    return write_project_workbook(path, list(forms), sheet_names=[f["name"] for f in forms])
