"""I codes: the catalogue entries of the 绩效指标 (performance indicators) checks (:mod:`perfxl.rules.indicators`)."""

from __future__ import annotations

from perfxl.findings import BOTH_KINDS, rule
from perfxl.spec import INDICATORS

SHEET = INDICATORS.name
__all__ = ["I001", "I002", "I003", "I004", "I005", "I006", "I007", "I008", "I009", "I010", "I011", "I012", "I013", "I014", "I015", "I016"]

I001 = rule(
    "I001", "missing-level", "error",
    "缺少一级指标", "a level-1 indicator group is missing",
    "没有{level}，至少要有一个{level}下的三级指标。",
    "There is no {level_en} indicator; at least one is required.",
    "部门整体绩效指标必须覆盖产出、效益、满意度三方面，分值分别计入 50、30、10 分。",
    "指标表里只有产出指标和效益指标，没有满意度指标。",
    SHEET,
    kinds=BOTH_KINDS,
)
I002 = rule(
    "I002", "no-indicators", "error",
    "未填写绩效指标", "no indicators",
    "绩效指标表没有任何指标，请按年初绩效目标填写三级指标。",
    "The indicator table is empty; enter the level-3 indicators of the year's goals.",
    "绩效指标占 90 分，没有指标无法评分。",
    "绩效指标表只有表头。",
    SHEET,
    kinds=BOTH_KINDS,
)
I003 = rule(
    "I003", "level-pair-invalid", "error",
    "一级/二级指标不匹配", "invalid level-1/level-2 pair",
    "{what}“{actual}”无效：{hint}。",
    "{what_en} “{actual}” is invalid: {hint_en}.",
    "二级指标必须属于对应的一级指标（如“数量指标”只属于“产出指标”），否则分值会计入错误的一级指标。",
    "一级指标“效益指标”下填二级指标“数量指标”。",
    SHEET,
    kinds=BOTH_KINDS,
)
I004 = rule(
    "I004", "indicator-field-blank", "error",
    "指标必填项未填写", "indicator field blank",
    "第 {row} 行指标的{column}未填写。",
    "Row {row}: the indicator's {column_en} is blank.",
    "三级指标的名称、性质、目标值、完成值、分值和自评得分缺一项都无法核对和评分。",
    "“党建活动开展次数”一行分值留空。",
    SHEET,
)
I005 = rule(
    "I005", "weight-not-positive", "error",
    "分值不大于 0", "weight not positive",
    "第 {row} 行指标分值为 {actual}，分值必须大于 0。",
    "Row {row}: the weight is {actual}; weights must be above 0.",
    "分值为 0 或负数的指标不计分，等于没有这个指标，还会打乱各一级指标的分值合计。",
    "某三级指标分值填 0。",
    SHEET,
    kinds=BOTH_KINDS,
)
I006 = rule(
    "I006", "level-weight-sum", "error",
    "一级指标分值合计不符", "level weights do not add up",
    "{level}各三级指标分值合计为 {actual}，应为 {expected}（差 {diff}）。",
    "The {level_en} weights add up to {actual}, should be {expected} (off by {diff}).",
    "按规则库，产出、效益、满意度指标分值合计应分别为 50、30、10（加预算执行率 10 共 100 分）。",
    "产出指标下各三级指标分值合计 52。",
    SHEET,
    kinds=BOTH_KINDS,
)
I007 = rule(
    "I007", "weights-not-100", "error",
    "分值总和不是 100", "weights do not total 100",
    "预算执行率分值 {execution} 加各指标分值合计为 {actual}，应为 {expected}。",
    "The execution weight {execution} plus all indicator weights total {actual}, should be {expected}.",
    "百分制评分要求全部分值之和为 100，否则总分和等级失去可比性。",
    "规则库权重为 10/50/30/20，指标分值按其填写后总和为 110。",
    SHEET,
    kinds=BOTH_KINDS,
)
I008 = rule(
    "I008", "self-score-out-of-range", "error",
    "自评得分超出分值范围", "self-score outside [0, weight]",
    "第 {row} 行自评得分 {actual} 不在 0 到分值 {expected} 之间。",
    "Row {row}: self-score {actual} is outside 0 to the weight {expected}.",
    "单项得分不能为负，也不能超过该指标的分值。",
    "分值 5 的指标自评 6 分。",
    SHEET,
    kinds=BOTH_KINDS,
)
I009 = rule(
    "I009", "self-score-differs", "error",
    "自评得分与计分规则不符", "self-score differs from the rule's score",
    "第 {row} 行“{name}”自评 {actual} 分，按计分规则应为 {expected} 分（{method}：目标 {target}，实际 {value}）。",
    "Row {row} “{name}”: self-score {actual}, the scoring rule gives {expected} ({method}: target {target}, actual {value}).",
    "定量指标的得分由完成值和目标值按规则计算（财预〔2020〕10号），自评得分与之相差超过 0.1 分需要改正。",
    "目标 ≥10 次、实际 8 次、分值 5，自评 5 分（应为 4 分）。",
    SHEET,
    kinds=BOTH_KINDS,
)
I010 = rule(
    "I010", "qualitative-band", "error",
    "定性指标得分不在完成情况区间内", "qualitative score outside its band",
    "第 {row} 行定性指标完成情况为“{completion}”，自评得分应在 {low} 到 {high} 分之间，实际为 {actual}。",
    "Row {row}: the qualitative indicator is “{completion}”, so its self-score must lie in {low}–{high}; it is {actual}.",
    "定性指标按完成情况打分：达成 80%–100%，部分达成 60%–80%，未达成 60% 以下（占分值）。",
    "完成情况“部分达成年度指标并具有一定效果”，分值 10，自评 9 分。",
    SHEET,
    kinds=BOTH_KINDS,
)
I011 = rule(
    "I011", "qualitative-completion-missing", "error",
    "定性指标未选完成情况", "qualitative indicator without its completion",
    "第 {row} 行是定性指标，完成情况{problem}，请从下拉列表中选择。",
    "Row {row} is qualitative; its completion {problem_en}; pick one from the dropdown.",
    "定性指标的得分区间由完成情况决定，未选或填写其他内容时无法核对得分。",
    "定性指标“公民科学素质水平进一步提高”完成情况留空。",
    SHEET,
    kinds=BOTH_KINDS,
)
I012 = rule(
    "I012", "shortfall-unexplained", "warning",
    "未完成指标未分析原因", "shortfall without an explanation",
    "第 {row} 行“{name}”未完全达成年度指标值，偏差原因分析及改进措施{problem}。",
    "Row {row} “{name}” did not fully meet its target, and the explanation of the shortfall {problem_en}.",
    "未完成的指标必须分析原因并提出改进措施，这是自评的核心内容，不能空白或填“无”。",
    "目标 ≥10 次、实际 8 次，偏差原因填“无”。",
    SHEET,
    kinds=BOTH_KINDS,
)
I013 = rule(
    "I013", "percent-target-over-100", "warning",
    "百分比目标超过 100%", "percentage target above 100%",
    "第 {row} 行指标目标为 ≥{actual}%，百分比目标超过 100%，请核对目标或单位。",
    "Row {row}: the target is ≥{actual}%, a percentage above 100; check the target or its unit.",
    "率类指标（合格率、覆盖率等）最高 100%；≥ 超过 100% 的目标通常是单位填错或把数量写成了百分比。",
    "乡镇科协组织规范合格率 ≥ 120%。",
    SHEET,
    kinds=BOTH_KINDS,
)
I014 = rule(
    "I014", "cost-indicator-ge", "error",
    "成本指标用了 ≥", "cost indicator with ≥",
    "第 {row} 行“{name}”是成本指标，指标性质应为 ≤（越省越好），而不是 ≥。",
    "Row {row} “{name}” is a cost indicator: its direction should be ≤ (less is better), not ≥.",
    "成本指标是反向指标，用 ≥ 计分会把超支算成完成得更好。",
    "成本指标“人均培训成本” 指标性质填 ≥。",
    SHEET,
    kinds=BOTH_KINDS,
)
I015 = rule(
    "I015", "duplicate-indicator", "error",
    "三级指标重复", "same indicator twice",
    "第 {row} 行“{actual}”与第 {first_row} 行重复。",
    "Row {row} “{actual}” repeats row {first_row}.",
    "同一指标出现两次会重复计分，通常是复制行后忘了修改。",
    "“党建活动开展次数”出现两行。",
    SHEET,
    kinds=BOTH_KINDS,
)
I016 = rule(
    "I016", "over-completion", "warning",
    "大幅超额完成", "large over-completion",
    "第 {row} 行“{name}”实际完成 {value}，是目标 {target} 的 {ratio} 倍（≥ {threshold} 倍），目标可能定得过低，请说明。",
    "Row {row} “{name}”: actual {value} is {ratio}× the target {target} (≥ {threshold}×); the target was probably set too low — explain.",
    "大幅超额完成通常说明年初目标定得过低，复核时会关注并可能扣分；应说明原因并在下年合理设定目标。",
    "开展科技志愿服务活动目标 ≥10 次，实际 151 次。",
    SHEET,
    kinds=BOTH_KINDS,
)
