"""T codes: the catalogue entries of the 自评得分 (the self-score table) checks (:mod:`perfxl.rules.totals`)."""

from __future__ import annotations

from perfxl.findings import BOTH_KINDS, rule
from perfxl.spec import SELF_SCORE

SHEET = SELF_SCORE.name
__all__ = ["T001", "T002", "T003", "T004", "T005", "T006", "T007"]

T001 = rule(
    "T001", "execution-score-differs", "error",
    "预算执行率得分与计算不符", "execution self-score differs from the rule",
    "预算执行率自评 {actual} 分，按 min(执行率 {rate}, 100%) × {weight} 应为 {expected} 分。",
    "Budget execution self-score {actual}; min(execution {rate}, 100%) × {weight} gives {expected}.",
    "预算执行率得分 = min(全年执行数 ÷ 全年预算数, 1) × 分值，是唯一可以直接算出的得分项，不应自行估计。",
    "执行率 95.00%，自评 10 分（应为 9.50 分）。",
    SHEET,
)
T002 = rule(
    "T002", "subtotal-differs", "error",
    "一级指标小计与明细不符", "subtotal does not equal the indicators",
    "{level}自评得分 {actual} 不等于绩效指标表中该类各指标自评得分之和 {expected}。",
    "The {level_en} self-score {actual} does not equal the sum of its indicators' self-scores, {expected}.",
    "小计本是 SUMIF 公式；被手工改过或指标行增删后不一致，总分和等级就会错。",
    "产出指标小计填 50，而各产出指标自评得分之和为 48。",
    SHEET,
)
T003 = rule(
    "T003", "total-differs", "error",
    "总分与各项之和不符", "total does not equal its parts",
    "总分 {actual} 不等于预算执行率、产出、效益、满意度四项自评得分之和 {expected}。",
    "The total {actual} does not equal the sum of the four parts, {expected}.",
    "总分决定等级和排名，必须等于四项之和。",
    "四项合计 93.50，总分填 95。",
    SHEET,
    kinds=BOTH_KINDS,
)
T004 = rule(
    "T004", "grade-differs", "error",
    "自评等级与总分不符", "grade does not match the total",
    "总分 {total} 对应的等级为“{expected}”，自评等级填的是“{actual}”。",
    "A total of {total} is graded “{expected}”, but the self-grade says “{actual}”.",
    "等级按总分划档（默认 优 ≥ 90、良 80–90、中 60–80、差 < 60）；自评等级必须与总分一致。",
    "总分 88，自评等级填“优”。",
    SHEET,
)
T005 = rule(
    "T005", "weight-column-differs", "error",
    "分值与规则库不符", "weight column differs from the rulebook",
    "{item}分值为 {actual}，规则库规定为 {expected}，请勿修改分值列。",
    "The weight of {item_en} is {actual}; the rulebook says {expected}. Do not edit the weight column.",
    "分值列由模板按规则库填入（默认 10/50/30/10，共 100）；被改动后各项得分失去统一口径。",
    "产出指标分值被改成 60。",
    SHEET,
)
T006 = rule(
    "T006", "self-score-required-blank", "error",
    "自评得分必填项未填写", "self-score field blank",
    "{item}未填写。", "{item_en} is blank.",
    "预算执行率自评得分和自评等级需由单位填写，是复核比对的对象。",
    "自评等级留空。",
    SHEET,
)
T007 = rule(
    "T007", "grade-invalid", "error",
    "自评等级不是优/良/中/差", "grade not one of 优/良/中/差",
    "自评等级“{actual}”不是优、良、中、差之一。",
    "The grade “{actual}” is not one of 优, 良, 中, 差.",
    "等级只能是优、良、中、差之一，便于汇总和排名。",
    "自评等级填“优秀”或“A”。",
    SHEET,
)
