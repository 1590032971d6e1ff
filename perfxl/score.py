"""Scoring a read unit by the rulebook (财预〔2020〕10号 by default).

INTERFACE STUB — the dataclasses below are the contract other modules use; the scoring
functions are filled in by the scoring work (issue 4).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from perfxl.model import Indicator, Unit
from perfxl.rulebook import Rulebook

__all__ = ["IndicatorScore", "LevelScore", "ExecutionScore", "ScoreCard", "score_indicator", "score_unit"]


@dataclass
class IndicatorScore:
    """The computed score of one indicator beside the clerk's."""

    indicator: Indicator
    weight: float | None
    self_score: float | None
    score: float | None  # None: not scorable (reasons say why)
    method: str = ""  # '≥', '≤ ratio', '≤ linear', '=', '定性 band', …
    ratio: float | None = None  # actual ÷ target where it applies
    over_completed: bool = False
    capped: bool = False
    band: tuple[float, float] | None = None  # 定性: allowed [low, high] in points
    clamped: bool = False  # 定性: the self-score lay outside its band
    reasons: list[str] = field(default_factory=list)

    @property
    def diff(self) -> float | None:
        """self-score − computed score."""
        if self.score is None or self.self_score is None:
            return None
        return round(self.self_score - self.score, 2)


@dataclass
class LevelScore:
    """One 一级指标 (or 预算执行率): weight, computed and self-scored."""

    label: str
    weight: float
    score: float | None
    self_score: float | None  # the sum of indicator self-scores (or the typed 预算执行率)
    declared_self: float | None = None  # what 自评得分 sheet says

    @property
    def diff(self) -> float | None:
        if self.score is None or self.self_score is None:
            return None
        return round(self.self_score - self.score, 2)


@dataclass
class ExecutionScore:
    rate: float | None
    score: float | None
    weight: float


@dataclass
class ScoreCard:
    """The scores of one unit.  ``status`` is 'scored' or 'not scored' (with reasons)."""

    status: str
    reasons: list[str]
    total: float | None
    grade: str | None
    self_total: float | None
    self_grade: str | None
    execution: ExecutionScore
    levels: dict[str, LevelScore]  # keyed by label: 预算执行率, 产出指标, 效益指标, 满意度指标
    indicators: list[IndicatorScore]
    common: dict[str, float | None]

    def to_dict(self) -> dict[str, Any]:  # filled in by the scoring work
        raise NotImplementedError


def score_indicator(ind: Indicator, rulebook: Rulebook) -> IndicatorScore:
    """Score one indicator by its direction and the rulebook."""
    raise NotImplementedError


def score_unit(unit: Unit, rulebook: Rulebook) -> ScoreCard:
    """Score a unit: execution, every indicator, subtotals, total, grade, common indicators."""
    raise NotImplementedError
