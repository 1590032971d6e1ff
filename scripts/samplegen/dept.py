"""Sample data: the reference unit of the seed report, and a fictional county's batch.

:func:`seed_data` is 桃源县科学技术协会's 2023 self-evaluation as a :func:`write_workbook`
data dict; :func:`county_units` makes ≥30 departments of the fictional 示例县, about a
third of them with a realistic mistake planted, each recorded with the cell where a
checker should report it; :func:`make_samples` writes them all plus ``MANIFEST.json``.

Importing this module does not import xlsxwriter (only :func:`make_samples` writes).
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import random
from pathlib import Path
from typing import Any

from perfxl.spec import BUDGET, INDICATORS, PROFILE, SELF_SCORE, THREE_PUBLIC, addr

__all__ = ["seed_data", "SEED_NOTE", "county_units", "make_samples", "MISTAKES", "COUNTY", "SEED_FILE"]

SEED_NOTE = (
    "本样表据《2023年度桃源县科学技术协会整体支出绩效自评报告》填写。报告未给出的数字为样表设定的示例数字："
    "全年预算数（调整后预算，取 309.39 万元，执行率 100%）、资金来源拆分（全部为一般公共预算拨款）、"
    "基本支出与项目支出及人员经费与公用经费的拆分（保持报告所述合计及较上年增减）、三公经费预算数和上年决算数、"
    "科普中国信息员注册率与村社区科协组织建设普及率的实际值、满意度调查结果（92%）、填报人、联系电话和填报日期。"
)


def _row(initial: float, adjusted: float, actual: float, last_year: float, note: str | None = None) -> dict[str, Any]:
    row: dict[str, Any] = {"initial": initial, "adjusted": adjusted, "actual": actual, "last_year": last_year}
    if note:
        row["note"] = note
    return row


def _ind(level1: str, level2: str, name: str, direction: str, target: Any, unit: str | None, actual: Any,
         weight: float, self_score: float, completion: str | None = None, reason: str | None = None) -> dict[str, Any]:
    return {"level1": level1, "level2": level2, "name": name, "direction": direction, "target": target,
            "unit": unit, "actual": actual, "weight": weight, "self_score": self_score,
            "completion": completion, "reason": reason}


_SEED: dict[str, Any] = {
    "profile": {
        "year": 2023,
        "name": "桃源县科学技术协会",
        "credit_code": "13430725006431661H",
        "department": None,
        "unit_type": "群团组织",
        "internal_orgs": 3,
        "sub_orgs": 1,
        "staff_quota": 11,
        "staff_on_post": 9,
        "retirees": 10,
        "duties": (
            "组织学术活动，开展学术交流；弘扬科学精神，普及科学知识，开展青少年科学技术教育活动，提高全民科学文化素质；"
            "反映科技工作者的意见和要求，维护其合法权益，表彰奖励优秀科技工作者，举荐人才；开展继续教育和技术培训，"
            "组织科学论证和科技咨询服务，推动科技成果转化；开展民间科学技术交流活动。"
        ),
        "preparer": "样表填报人",
        "phone": "0736-0000000",
        "fill_date": dt.date(2024, 10, 8),
    },
    # Leaves only: 资金总额 and 基本支出 are template formulas.  Basic: 196.52 now,
    # 214.54 last year (−18.02); project: 112.87 now, 111.74 last year (+1.13).
    "budget": {
        "total": {"note": "全年执行数较年初预算增加 23.55 万元（完成年初预算的 108%），主要为年中追加项目经费；较上年减少 16.89 万元（−5.18%），主要是厉行节约、压减开支。"},
        "general": _row(285.84, 309.39, 309.39, 326.28),
        "fund": _row(0, 0, 0, 0),
        "special": _row(0, 0, 0, 0),
        "other": _row(0, 0, 0, 0),
        "staff": _row(152.40, 158.36, 158.36, 170.25),
        "public": _row(36.24, 38.16, 38.16, 44.29),
        "project": _row(97.20, 112.87, 112.87, 111.74),
    },
    "three_public": {
        "abroad": {"budget": 0, "actual": 0, "last_year": 0, "batches": 0, "persons": 0},
        "reception": {"budget": 4.00, "actual": 3.75, "last_year": 4.12, "batches": 26, "persons": 270},
        "car_purchase": {"budget": 0, "actual": 0, "last_year": 0},
        "car_maint": {"budget": 0, "actual": 0, "last_year": 0},
    },
    "car_count": 0,
    "goals": [
        {"seq": 1, "goal": "进一步抓好重点人群的科学素质提升，为全县经济可持续发展夯实基础。",
         "result": "接受中国科协科学素质调查，本地区公民具备科学素质比例较2022年提高1.5%；开展科普资源进校园26次。"},
        {"seq": 2, "goal": "进一步加大科普宣传阵地建设，为广大公民学习科普知识拓宽渠道。",
         "result": "“科普桃源”推送科普信息1800条，举办科普大讲堂10期，室外电子显示屏播放科普知识120期。"},
        {"seq": 3, "goal": "进一步强化学会工作管理，为学会的交流活动开展创造良好的条件。",
         "result": "组织专家为企业和乡村振兴服务5场次以上，开展科学家精神宣讲进16所学校。"},
        {"seq": 4, "goal": "进一步优化科协上下级之间的关系，为全县科技工作者打造好平台作用。",
         "result": "乡镇（街道）科协联合村（社区）科普协会开展全国科普日活动不少于26场。"},
    ],
    "indicators": [
        _ind("产出指标", "数量指标", "开展科技志愿服务活动次数", "≥", 10, "次", 151, 5, 5),
        _ind("产出指标", "数量指标", "科普中国信息员注册率（占常住人口）", "≥", 5, "%", 5.2, 5, 5),
        _ind("产出指标", "数量指标", "评选表彰优秀科技工作者人数", "≥", 20, "人", 45, 5, 5),
        _ind("产出指标", "数量指标", "基层科普行动表彰单位数", "≥", 1, "个", 1, 5, 5),
        _ind("产出指标", "数量指标", "党建活动开展次数", "≥", 12, "次", 12, 4, 4),
        _ind("产出指标", "数量指标", "人员经费保障人数", "=", 9, "人", 9, 4, 4),
        _ind("产出指标", "质量指标", "乡镇、街道科协组织规范合格率", "=", 100, "%", 100, 5, 5),
        _ind("产出指标", "质量指标", "村、社区科协组织建设普及率", "≥", 90, "%", 92, 5, 5),
        _ind("产出指标", "质量指标", "机关事务正常运转率", "=", 100, "%", 100, 4, 4),
        _ind("产出指标", "质量指标", "各项支出规范、合理率", "=", 100, "%", 100, 4, 4),
        _ind("产出指标", "时效指标", "任务完成及时率", "=", 100, "%", 100, 4, 4),
        _ind("效益指标", "社会效益指标", "公民科学素质水平", "定性", "进一步提高", None,
             "公民具备科学素质比例较2022年提高1.5%", 15, 15, "达成年度指标"),
        _ind("效益指标", "可持续影响指标", "崇尚科学、尊重科技人才氛围", "定性", "进一步提升", None,
             "氛围有所提升，农村地区覆盖不足", 15, 10, "部分达成年度指标并具有一定效果",
             "科普宣传覆盖面不够大，农村科普工作相对薄弱，宣传形式单一。下一步在农村人口集中地建设科普阵地，"
             "组织学会专业人才定期开展科普讲座，利用新媒体提高覆盖率。"),
        _ind("满意度指标", "服务对象满意度指标", "社会公众对科普工作的满意度", "≥", 90, "%", 92, 10, 10),
    ],
    "scores": {"budget_execution": {"self_score": 10}},
    "grade": "优",
    "sample_note": SEED_NOTE,
}


def seed_data() -> dict[str, Any]:
    """The reference unit (桃源县科学技术协会, 2023) as a fresh data dict for write_workbook.

    Self-scores follow the default rulebook: execution 100% → 10; every quantitative
    indicator met → full 分值; one 定性 indicator partly achieved → 10 of 15 (inside the
    [60%, 80%) band, with a 偏差原因).  Total 95, grade 优.
    """
    return copy.deepcopy(_SEED)


# ---------------------------------------------------------------------------
# The fictional county: 示例县
# ---------------------------------------------------------------------------

COUNTY = "示例县"
SEED_FILE = "000_桃源县科学技术协会.xlsx"
_REGION = "990101"  # not a real administrative division code: the county is fictional

# tag → (what a checker should say, whether the file still passes: 'error'/'warning'/'info'/'none')
MISTAKES: dict[str, tuple[str, str]] = {
    "total-off": ("资金总额 ≠ 基本支出 + 项目支出（全年执行数）", "error"),
    "typed-over-formula": ("资金总额全年执行数的公式被手填数字覆盖，且与各来源之和不符", "error"),
    "weights-not-100": ("产出指标各三级指标分值之和 ≠ 权重 50", "error"),
    "inflated-self-score": ("指标未达标却自评满分：自评得分 ≠ 规则计算得分", "error"),
    "missing-reason": ("指标未完全达标，偏差原因分析为空", "warning"),
    "words-in-number": ("定量指标的实际完成值是文字（完成）", "error"),
    "staff-over-quota": ("在职人数 > 编制人数", "warning"),
    "bad-credit-code": ("统一社会信用代码校验位错误", "error"),
    "placeholder-required": ("必填项部门职能职责概述填了占位符“无”", "error"),
    "over-budget": ("全年执行数 > 全年预算数（超预算支出）", "error"),
    "low-execution-no-note": ("执行率 < 90% 而偏差说明为空", "warning"),
    "three-public-over-budget": ("三公经费决算数 > 预算数", "warning"),
    "qualitative-out-of-band": ("定性指标自评得分不在其完成情况的区间内", "error"),
    "grade-mismatch": ("自评等级与总分对应的等级不符", "error"),
    "text-number": ("金额以文本填写（如 1,234.50 或 309.39万元），可读取，仅提示", "info"),
    "merged-levels": ("一级/二级指标合并单元格（有效写法，不是错误）", "none"),
}
_PLANTABLE = [t for t, (_, sev) in MISTAKES.items() if sev in ("error", "warning")]

# name, 单位类型, USCC 登记管理部门+机构类别, line of work (for indicator names)
_DEPARTMENTS: tuple[tuple[str, str, str, str], ...] = (
    ("人民政府办公室", "行政单位", "11", "政务服务"),
    ("发展和改革局", "行政单位", "11", "项目审批"),
    ("教育局", "行政单位", "11", "教育督导"),
    ("科学技术局", "行政单位", "11", "科技项目管理"),
    ("工业和信息化局", "行政单位", "11", "企业服务"),
    ("民政局", "行政单位", "11", "社会救助"),
    ("司法局", "行政单位", "11", "法律援助"),
    ("财政局", "行政单位", "11", "预算管理"),
    ("人力资源和社会保障局", "行政单位", "11", "就业培训"),
    ("自然资源局", "行政单位", "11", "国土整治"),
    ("住房和城乡建设局", "行政单位", "11", "城乡建设"),
    ("交通运输局", "行政单位", "11", "农村公路养护"),
    ("水利局", "行政单位", "11", "水利工程管护"),
    ("农业农村局", "行政单位", "11", "农技推广"),
    ("商务局", "行政单位", "11", "商贸流通"),
    ("文化旅游广电体育局", "行政单位", "11", "公共文化服务"),
    ("卫生健康局", "行政单位", "11", "基本公共卫生"),
    ("退役军人事务局", "行政单位", "11", "优抚安置"),
    ("应急管理局", "行政单位", "11", "安全生产检查"),
    ("审计局", "行政单位", "11", "审计监督"),
    ("市场监督管理局", "行政单位", "11", "市场监管"),
    ("统计局", "行政单位", "11", "统计调查"),
    ("医疗保障局", "行政单位", "11", "医保经办"),
    ("林业局", "行政单位", "11", "森林防火"),
    ("机关事务服务中心", "参照公务员法管理事业单位", "12", "机关后勤保障"),
    ("疾病预防控制中心", "事业单位", "12", "疾病预防"),
    ("图书馆", "事业单位", "12", "阅读推广"),
    ("第一中学", "事业单位", "12", "教学管理"),
    ("总工会", "群团组织", "13", "职工服务"),
    ("妇女联合会", "群团组织", "13", "妇女儿童服务"),
    ("残疾人联合会", "群团组织", "13", "残疾人康复"),
    ("科学技术协会", "群团组织", "13", "科普宣传"),
    ("共青团委员会", "群团组织", "13", "青少年服务"),
    ("档案馆", "事业单位", "12", "档案管理"),
    ("融媒体中心", "事业单位", "12", "新闻宣传"),
    ("供销合作社联合社", "其他", "19", "农资供应"),
)
_SURNAMES = "王李张刘陈杨黄赵周吴徐孙胡朱高林何郭马罗"
_GIVEN = "明华英伟芳丽军强敏静磊洋艳勇杰娟涛超"


def _org_code(rng: random.Random) -> str:
    """A 9-character organisation code with its GB 11714 check character."""
    body = "".join(rng.choice("0123456789") for _ in range(8))
    s = sum(int(c) * w for c, w in zip(body, (3, 7, 9, 10, 5, 8, 4, 2)))
    c = 11 - s % 11
    return body + ("X" if c == 10 else "0" if c == 11 else str(c))


def _uscc(rng: random.Random, prefix: str) -> str:
    """A valid 统一社会信用代码 (GB 32100-2015 check character by python-stdnum)."""
    from stdnum.cn import uscc

    body = prefix + _REGION + _org_code(rng)
    return body + uscc.calc_check_digit(body)


def _r2(x: float) -> float:
    return round(x + 0.0, 2)


def _budget(rng: random.Random) -> dict[str, dict[str, Any]]:
    """Leaf rows of 预算执行 whose sums agree both ways (sources = basic + project)."""
    staff = _r2(rng.uniform(80, 900))
    public = _r2(staff * rng.uniform(0.12, 0.3))
    project = _r2(rng.uniform(30, 1500))
    rows: dict[str, dict[str, Any]] = {}
    for key, adj in (("staff", staff), ("public", public), ("project", project)):
        rows[key] = {
            "initial": _r2(adj * rng.uniform(0.85, 1.0)),
            "adjusted": adj,
            "actual": _r2(adj * rng.uniform(0.93, 1.0)),
            "last_year": _r2(adj * rng.uniform(0.9, 1.1)),
        }
    total = {c: _r2(sum(rows[k][c] for k in ("staff", "public", "project"))) for c in ("initial", "adjusted", "actual", "last_year")}
    # Sources: a small 政府性基金 share for some, the rest 一般公共预算; both stay ≥ 93% executed.
    fund_share = rng.choice((0, 0, 0, 0.05, 0.1))
    fund = {c: _r2(total[c] * fund_share) for c in total}
    if fund["actual"] > fund["adjusted"]:
        fund["actual"] = fund["adjusted"]
    rows["fund"] = fund
    rows["general"] = {c: _r2(total[c] - fund[c]) for c in total}
    rows["special"] = {c: 0 for c in total}
    rows["other"] = {c: 0 for c in total}
    return rows


def _indicator_pool(work: str) -> dict[str, list[tuple]]:
    """Indicator shapes per 二级指标: (name, direction, target, unit, kind)."""
    return {
        "数量指标": [
            (f"开展{work}培训次数", "≥", 6, "次"),
            (f"{work}政策宣传活动场次", "≥", 10, "场"),
            (f"{work}服务对象人数", "≥", 500, "人"),
            (f"下乡开展{work}服务次数", "≥", 12, "次"),
            ("人员经费保障人数", "=", None, "人"),
        ],
        "质量指标": [
            (f"{work}工作合格率", "≥", 95, "%"),
            ("资金使用合规率", "=", 100, "%"),
        ],
        "时效指标": [
            ("任务按时完成率", "=", 100, "%"),
            ("资金拨付及时率", "≥", 95, "%"),
        ],
        "成本指标": [
            ("公用经费控制数", "≤", None, "万元"),
        ],
        "社会效益指标": [
            (f"{work}服务水平", "定性", "进一步提升", None),
            ("群众办事便利度", "定性", "明显提高", None),
        ],
        "可持续影响指标": [
            (f"{work}长效管理机制", "定性", "逐步健全", None),
        ],
        "服务对象满意度指标": [
            ("服务对象满意度", "≥", 90, "%"),
        ],
    }


def _split(total: int, n: int, rng: random.Random) -> list[int]:
    """``n`` integer weights summing to ``total``, near-equal (a clerk's usual split)."""
    base, extra = divmod(total, n)
    parts = [base + (1 if k < extra else 0) for k in range(n)]
    for _ in range(n):  # move a point or two between indicators, keeping each ≥ 3
        a, b = rng.randrange(n), rng.randrange(n)
        step = rng.choice((1, 2))
        if a != b and parts[a] - step >= 3:
            parts[a] -= step
            parts[b] += step
    return parts


def _indicators(rng: random.Random, work: str, staff: int, public_budget: float) -> list[dict[str, Any]]:
    pool = _indicator_pool(work)
    chosen: list[tuple[str, str, tuple]] = []
    out_l2 = ["数量指标", "数量指标", "数量指标", "质量指标", "时效指标"] + (["成本指标"] if rng.random() < 0.5 else [])
    used: set[str] = set()
    for l2 in out_l2:
        options = [p for p in pool[l2] if p[0] not in used]
        p = rng.choice(options)
        used.add(p[0])
        chosen.append(("产出指标", l2, p))
    chosen.append(("效益指标", "社会效益指标", rng.choice(pool["社会效益指标"])))
    chosen.append(("效益指标", "可持续影响指标", pool["可持续影响指标"][0]))
    chosen.append(("满意度指标", "服务对象满意度指标", pool["服务对象满意度指标"][0]))
    weights = {"产出指标": _split(50, len(out_l2), rng), "效益指标": _split(30, 2, rng), "满意度指标": [10]}
    taken = {k: 0 for k in weights}
    result = []
    partial_done = False
    for l1, l2, (name, direction, target, unit) in chosen:
        w = weights[l1][taken[l1]]
        taken[l1] += 1
        ind = {"level1": l1, "level2": l2, "name": name, "direction": direction, "target": target,
               "unit": unit, "actual": None, "weight": w, "self_score": w, "completion": None, "reason": None}
        if name == "人员经费保障人数":
            ind["target"] = ind["actual"] = staff
        elif direction == "≤":
            ind["target"] = _r2(public_budget)
            ind["actual"] = _r2(public_budget * rng.uniform(0.9, 1.0))
        elif direction == "定性":
            ind["actual"] = "已完成年度目标"
            ind["completion"] = "达成年度指标"
            if not partial_done and rng.random() < 0.4:
                partial_done = True
                ind["actual"] = "部分完成，仍有差距"
                ind["completion"] = "部分达成年度指标并具有一定效果"
                ind["self_score"] = _r2(w * 0.7)  # inside the [60%, 80%) band
                ind["reason"] = "基层覆盖面不足。下一步加大投入，完善考核机制。"
        elif unit == "%":
            ind["actual"] = target if direction == "=" else min(100, target + rng.choice((0, 1, 2, 3)))
        else:
            ind["actual"] = target + rng.randint(0, max(1, target // 4))
        result.append(ind)
    # Some units fall short on one quantitative indicator: scored by the rule, explained.
    short = [d for d in result if d["direction"] == "≥" and d["unit"] != "%" and d["level1"] == "产出指标"]
    if short and rng.random() < 0.35:
        d = rng.choice(short)
        d["actual"] = int(d["target"] * rng.uniform(0.6, 0.9))
        d["self_score"] = _r2(d["actual"] / d["target"] * d["weight"])
        d["reason"] = "受人员和经费所限，部分活动未按计划开展。下一步提前谋划，按季度调度。"
    return result


def _weaken(unit: dict[str, Any], rng: random.Random) -> None:
    """A weak year, honestly reported: shortfalls scored by the rules and explained."""
    reason = "年度任务量估计偏高，人员和经费不足。下一步合理设定目标，加强过程监控。"
    done_qual = False
    for d in unit["indicators"]:
        if d["direction"] == "≥" and d["unit"] != "%" and d["level1"] == "产出指标":
            d["actual"] = max(1, int(d["target"] * rng.uniform(0.5, 0.8)))
            d["self_score"] = _r2(d["actual"] / d["target"] * d["weight"])
            d["reason"] = reason
        elif d["direction"] == "定性" and not done_qual:
            done_qual = True
            d["actual"] = "未达到预期"
            d["completion"] = "未达成年度指标且效果较差"
            d["self_score"] = _r2(d["weight"] * 0.4)
            d["reason"] = reason
        elif d["level1"] == "满意度指标":
            d["actual"] = 85
            d["self_score"] = _r2(85 / d["target"] * d["weight"])
            d["reason"] = "群众对服务时效反映较多。下一步优化办事流程。"


def _exec_score(budget: dict[str, dict[str, Any]]) -> float:
    adj = sum(budget[k]["adjusted"] for k in ("general", "fund", "special", "other"))
    act = sum(_num(budget[k]["actual"]) for k in ("general", "fund", "special", "other"))
    return _r2(min(act / adj, 1) * 10) if adj else 0.0


def _num(v: Any) -> float:
    if isinstance(v, str):
        return float(v.replace(",", "").replace("万元", ""))
    return float(v or 0)


def _grade(total: float) -> str:
    from perfxl.rulebook import default_rulebook

    return default_rulebook().grade(round(total, 2))


def _base_unit(rng: random.Random, i: int, dept: tuple[str, str, str, str]) -> dict[str, Any]:
    suffix, unit_type, prefix, work = dept
    name = f"共青团{COUNTY}委员会" if suffix == "共青团委员会" else f"{COUNTY}{suffix}"
    quota = rng.randint(8, 80)
    on_post = quota - rng.randint(0, max(1, quota // 6))
    budget = _budget(rng)
    reception_budget = _r2(rng.uniform(1, 8))
    reception = _r2(reception_budget * rng.uniform(0.6, 0.98))
    cars = rng.choice((0, 0, 1, 2, 3))
    maint_budget = _r2(cars * rng.uniform(1.5, 3)) if cars else 0
    maint = _r2(maint_budget * rng.uniform(0.8, 0.98)) if cars else 0
    batches = rng.randint(5, 60)
    three = {
        "abroad": {"budget": 0, "actual": 0, "last_year": 0, "batches": 0, "persons": 0},
        "reception": {"budget": reception_budget, "actual": reception, "last_year": _r2(reception * rng.uniform(1.0, 1.2)),
                      "batches": batches, "persons": batches * rng.randint(3, 9)},
        "car_purchase": {"budget": 0, "actual": 0, "last_year": 0},
        "car_maint": {"budget": maint_budget, "actual": maint, "last_year": _r2(maint * rng.uniform(1.0, 1.15))},
    }
    preparer = rng.choice(_SURNAMES) + rng.choice(_GIVEN) + rng.choice(_GIVEN)
    return {
        "profile": {
            "year": 2023,
            "name": name,
            "credit_code": _uscc(rng, prefix),
            "department": None if unit_type != "事业单位" else f"{COUNTY}人民政府",
            "unit_type": unit_type,
            "internal_orgs": rng.randint(2, 9),
            "sub_orgs": rng.randint(0, 4),
            "staff_quota": quota,
            "staff_on_post": on_post,
            "retirees": rng.randint(0, 40),
            "duties": f"负责全县{work}工作，落实上级部署的相关任务，承办县委、县人民政府交办的其他事项。",
            "preparer": preparer,
            "phone": f"0123-{rng.randint(0, 9999999):07d}",
            "fill_date": dt.date(2024, 3, rng.randint(1, 28)),
        },
        "budget": budget,
        "three_public": three,
        "car_count": cars,
        "goals": [
            {"seq": 1, "goal": f"保障机构正常运转，完成年度{work}重点任务。", "result": "机构运转正常，重点任务按期完成。"},
            {"seq": 2, "goal": f"提升{work}服务质量和群众满意度。", "result": "服务质量稳步提升，满意度调查达到目标。"},
        ],
        "indicators": _indicators(rng, work, on_post, budget["public"]["adjusted"]),
        "scores": {},
        "grade": None,
        "sample_note": f"本样表为虚构的{COUNTY}单位，全部数字为生成的示例数据，仅用于演示和测试。",
    }


def _ind_cell(index: int, col: str) -> str:
    return f"{INDICATORS.name}!{addr(INDICATORS.first_row + index, INDICATORS.col_of(col))}"


def _find(unit: dict[str, Any], pred: Any) -> int:
    for i, ind in enumerate(unit["indicators"]):
        if pred(ind):
            return i
    raise LookupError("no indicator fits the planted mistake")


def _quantitative_ge(ind: dict[str, Any]) -> bool:
    return ind["direction"] == "≥" and ind["level1"] == "产出指标" and ind["unit"] != "%"


def _plant(unit: dict[str, Any], tag: str, rng: random.Random) -> list[str]:
    """Plant one mistake in ``unit``; returns the cells a checker should report."""
    b, prof, inds = unit["budget"], unit["profile"], unit["indicators"]
    if tag == "total-off":
        b["project"]["actual"] = _r2(b["project"]["actual"] - 0.5)  # sources no longer = basic + project
        return [f"{BUDGET.name}!{BUDGET.cell('total', 'actual')}"]
    if tag == "typed-over-formula":
        right = sum(_num(b[k]["actual"]) for k in ("general", "fund", "special", "other"))
        b["total"] = {**b.get("total", {}), "actual": _r2(right - 10.0)}  # a stale figure over the formula
        return [f"{BUDGET.name}!{BUDGET.cell('total', 'actual')}"]
    if tag == "weights-not-100":
        i = max((i for i, d in enumerate(inds) if d["level1"] == "产出指标"), key=lambda i: inds[i]["weight"])
        inds[i]["weight"] -= 5
        inds[i]["self_score"] = inds[i]["weight"]
        # Reported where the 产出指标 group starts (the sum is the group's, not one row's).
        return [_ind_cell(_find(unit, lambda d: d["level1"] == "产出指标"), "weight")]
    if tag in ("inflated-self-score", "missing-reason"):
        i = _find(unit, lambda d: _quantitative_ge(d) and not d.get("_planted"))
        d = inds[i]
        d["_planted"] = True
        d["actual"] = int(d["target"] * 0.8)
        if tag == "inflated-self-score":
            d["self_score"] = d["weight"]  # full marks although the target was missed
            d["reason"] = "受客观因素影响，部分活动未能开展。下一步提前谋划。"
            return [_ind_cell(i, "self_score")]
        d["self_score"] = _r2(d["actual"] / d["target"] * d["weight"])
        d["reason"] = None
        return [_ind_cell(i, "reason")]
    if tag == "words-in-number":
        i = _find(unit, lambda d: _quantitative_ge(d) and not d.get("_planted"))
        inds[i]["_planted"] = True
        inds[i]["actual"] = "完成"
        return [_ind_cell(i, "actual")]
    if tag == "staff-over-quota":
        prof["staff_on_post"] = prof["staff_quota"] + 3
        return [f"{PROFILE.name}!{PROFILE.cell('staff_on_post')}"]
    if tag == "bad-credit-code":
        code = prof["credit_code"]
        prof["credit_code"] = code[:-1] + ("0" if code[-1] != "0" else "1")
        return [f"{PROFILE.name}!{PROFILE.cell('credit_code')}"]
    if tag == "placeholder-required":
        prof["duties"] = "无"
        return [f"{PROFILE.name}!{PROFILE.cell('duties')}"]
    if tag == "over-budget":
        extra = _r2(b["project"]["adjusted"] * 0.08)
        b["project"]["actual"] = _r2(b["project"]["adjusted"] + extra)
        _rebalance_general(b)
        note = "年中追加项目任务，支出超出全年预算，已报财政局备案。"
        for key in ("total", "general", "project", "fund", "basic"):
            if _rate(b, key) is not None and _rate(b, key) > 1.0 + 1e-9:
                b.setdefault(key, {})["note"] = note
        return [f"{BUDGET.name}!{BUDGET.cell(k, 'actual')}" for k in ("total", "general", "project") if _rate(b, k) > 1 + 1e-9]
    if tag == "low-execution-no-note":
        b["project"]["actual"] = _r2(b["project"]["adjusted"] * 0.7)
        _rebalance_general(b)
        cells = []
        for key in ("total", "general", "fund", "basic", "project"):
            r = _rate(b, key)
            if r is not None and r < 0.9:
                b.get(key, {}).pop("note", None)
                cells.append(f"{BUDGET.name}!{BUDGET.cell(key, 'note')}")
        return cells
    if tag == "three-public-over-budget":
        t = unit["three_public"]["reception"]
        t["actual"] = _r2(t["budget"] * 1.2)
        t["last_year"] = _r2(t["actual"] * 1.05)  # above last year would be a second finding
        cells = [f"{THREE_PUBLIC.name}!{THREE_PUBLIC.cell('reception', 'actual')}"]
        tp = unit["three_public"]
        tot_b = sum(tp[k]["budget"] for k in ("abroad", "reception", "car_purchase", "car_maint"))
        tot_a = sum(tp[k]["actual"] for k in ("abroad", "reception", "car_purchase", "car_maint"))
        if tot_a > tot_b + 1e-9:
            cells.insert(0, f"{THREE_PUBLIC.name}!{THREE_PUBLIC.cell('total', 'actual')}")
        return cells
    if tag == "qualitative-out-of-band":
        i = _find(unit, lambda d: d["direction"] == "定性" and d["completion"] == "达成年度指标")
        inds[i]["self_score"] = _r2(inds[i]["weight"] * 0.5)
        return [_ind_cell(i, "self_score")]
    if tag == "grade-mismatch":
        return [f"{SELF_SCORE.name}!{SELF_SCORE.after_cell('grade')}"]  # set when the grade is settled
    if tag == "text-number":
        v = b["general"]["actual"]
        b["general"]["actual"] = f"{v:,.2f}" if v >= 1000 else f"{v:.2f}万元"
        return [f"{BUDGET.name}!{BUDGET.cell('general', 'actual')}"]
    if tag == "merged-levels":
        return []
    raise ValueError(f"unknown mistake tag {tag!r}")


def _rebalance_general(b: dict[str, dict[str, Any]]) -> None:
    """Keep 一般公共预算拨款 = basic + project − other sources after a planted change."""
    spent = sum(_num(b[k]["actual"]) for k in ("staff", "public", "project"))
    b["general"]["actual"] = _r2(spent - sum(_num(b[k]["actual"]) for k in ("fund", "special", "other")))


def _rate(b: dict[str, dict[str, Any]], key: str) -> float | None:
    parts = {"total": ("general", "fund", "special", "other"), "basic": ("staff", "public")}.get(key, (key,))
    adj = sum(_num(b[k]["adjusted"]) for k in parts)
    act = sum(_num(b[k]["actual"]) for k in parts)
    return act / adj if adj else None


def _settle(unit: dict[str, Any], tags: list[str]) -> None:
    """Fill the self-score and grade the way a careful clerk would (after planting)."""
    unit["scores"] = {"budget_execution": {"self_score": _exec_score(unit["budget"])}}
    total = unit["scores"]["budget_execution"]["self_score"] + sum(
        d["self_score"] for d in unit["indicators"] if isinstance(d["self_score"], (int, float)))
    grade = _grade(total)
    if "grade-mismatch" in tags:
        from perfxl.spec import GRADES

        grade = GRADES[max(0, GRADES.index(grade) - 1)] if grade != "优" else "良"
    unit["grade"] = grade
    for d in unit["indicators"]:
        d.pop("_planted", None)


def county_units(n: int = 30, seed: int = 2023) -> list[tuple[str, dict[str, Any], list[str]]]:
    """``n`` departments of the fictional 示例县: (file name, data, mistake tags).

    Deterministic from ``seed``.  About a third carry one or two planted mistakes (tags
    from :data:`MISTAKES`); a few others use merged 一级/二级指标 cells or text numbers,
    which are valid.  The cells where each mistake should be reported are given by
    :func:`county_manifest`.
    """
    return [(f, d, [m["tag"] for m in ms]) for f, d, ms in _county(n, seed)]


def _county(n: int, seed: int) -> list[tuple[str, dict[str, Any], list[dict[str, Any]]]]:
    rng = random.Random(seed)
    depts = list(_DEPARTMENTS)
    while len(depts) < n:
        k = len(depts) - len(_DEPARTMENTS) + 1
        depts.append((f"第{k}事务服务中心", "事业单位", "12", "事务服务"))
    depts = depts[:n]
    units = [_base_unit(rng, i, d) for i, d in enumerate(depts)]
    order = list(range(n))
    rng.shuffle(order)
    n_bad = max(1, round(n / 3))
    bad, rest = order[:n_bad], order[n_bad:]
    plan: dict[int, list[str]] = {i: [] for i in range(n)}
    tags = list(_PLANTABLE)
    for k, tag in enumerate(tags):
        plan[bad[k % n_bad]].append(tag)
    for i in rest[:4]:
        plan[i].append("merged-levels")
    for i in rest[4:6]:
        plan[i].append("text-number")
    for i in rest[6:9]:
        _weaken(units[i], rng)  # valid files with a 良/中 grade, for a realistic summary
    out = []
    for i, unit in enumerate(units):
        mistakes = []
        # Changes that re-balance the budget go first, so a planted imbalance survives.
        for tag in sorted(plan[i], key=lambda t: (t in ("total-off", "typed-over-formula"), t)):
            mistakes.append({"tag": tag, "cells": _plant(unit, tag, rng), "message": MISTAKES[tag][0],
                             "severity": MISTAKES[tag][1]})
        _settle(unit, plan[i])
        fname = f"{i + 1:03d}_{unit['profile']['name']}.xlsx"
        out.append((fname, unit, mistakes))
    return out


def make_samples(out_dir: str | Path = "samples", *, n: int = 30, seed: int = 2023,
                 formats_dir: str | Path | None = None, template: str | Path | None = None) -> list[Path]:
    """Write the seed unit, the 示例县 batch and ``MANIFEST.json`` into ``out_dir``.

    With ``formats_dir`` (and LibreOffice present) the seed file is also saved there as .ods
    and .xls — a folder of its own, since in one batch the same unit three times is rightly
    a duplicate submission.  ``template`` also writes the shipped blank template (year 2025).
    Returns the paths written, manifest last.
    """
    from perfxl.template import write_template, write_workbook

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    entries: list[dict[str, Any]] = []
    seed_path = write_workbook(out / SEED_FILE, seed_data())
    written.append(seed_path)
    over = [_ind_cell(i, "actual") for i, d in enumerate(_SEED["indicators"])
            if d["direction"] == "≥" and isinstance(d["actual"], (int, float)) and d["actual"] >= 1.5 * d["target"]]
    entries.append({"file": SEED_FILE, "unit": _SEED["profile"]["name"], "year": 2023,
                    "credit_code": _SEED["profile"]["credit_code"], "clean": False, "tags": [], "mistakes": [],
                    "expected_warnings": [{"tag": "over-completion", "cells": over, "severity": "warning",
                                           "message": "报告原有数字大幅超额完成（151 次对目标 10 次，45 人对目标 20 人）：目标可能定得过低"}],
                    "self_score_total": 95, "grade": "优"})
    for fname, data, mistakes in _county(n, seed):
        merge = any(m["tag"] == "merged-levels" for m in mistakes)
        written.append(write_workbook(out / fname, data, merge_levels=merge))
        entries.append({
            "file": fname, "unit": data["profile"]["name"], "year": data["profile"]["year"],
            "credit_code": data["profile"]["credit_code"],
            "clean": not any(m["severity"] in ("error", "warning") for m in mistakes),
            "tags": [m["tag"] for m in mistakes], "mistakes": mistakes,
            "self_score_total": _r2(data["scores"]["budget_execution"]["self_score"]
                                    + sum(d["self_score"] for d in data["indicators"])),
            "grade": data["grade"],
        })
    if formats_dir is not None:
        Path(formats_dir).mkdir(parents=True, exist_ok=True)
        for fmt in ("ods", "xls"):
            p = _convert(seed_path, fmt, Path(formats_dir))
            if p is not None:
                written.append(p)
    if template is not None:
        written.append(write_template(template, year=2025))
    manifest = {
        "about": f"perfxl samples: the seed unit (桃源县科学技术协会 2023) and the fictional {COUNTY} batch. "
                 "Each planted mistake lists the cell(s) where a checker should report it (sheet!A1). "
                 "clean = no error or warning expected; the seed keeps the report's own figures, which "
                 "draw the warnings listed in expected_warnings.",
        "county": COUNTY, "seed": seed, "n": n,
        "tags": {t: {"message": m, "severity": s} for t, (m, s) in MISTAKES.items()},
        "files": entries,
    }
    mpath = out / "MANIFEST.json"
    _atomic_text(mpath, json.dumps(manifest, ensure_ascii=False, indent=1, default=str) + "\n")
    written.append(mpath)
    return written


def _atomic_text(path: Path, text: str) -> None:
    from perfxl.safe import atomic_write_text

    atomic_write_text(path, text)  # follows the umask, like every file perfxl writes


def _convert(src: Path, fmt: str, out_dir: Path) -> Path | None:
    """Convert with LibreOffice headless (own profile); None when soffice is absent."""
    import shutil
    import subprocess
    import tempfile

    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if exe is None:
        return None
    with tempfile.TemporaryDirectory(prefix="perfxl-lo-") as tmp:
        profile = Path(tmp, "profile").as_uri()
        proc = subprocess.run([exe, f"-env:UserInstallation={profile}", "--headless", "--norestore",
                               "--convert-to", fmt, "--outdir", tmp, str(src)],
                              capture_output=True, text=True, timeout=180)
        produced = Path(tmp, f"{src.stem}.{fmt}")
        if proc.returncode != 0 or not produced.exists():
            return None
        dest = out_dir / produced.name
        shutil.copyfile(produced, dest)
    return dest
