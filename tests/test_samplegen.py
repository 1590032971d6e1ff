"""The project sample generator (scripts/samplegen), tested without perfxl's reader.

The written workbooks are read back with python-calamine: every layout variant of
TEMPLATE-project.md is somewhere in them, every manifest cell holds the field it names, the
planted mistakes are mistakes by the national rules recomputed from the written cells (and
the clean forms are clean), the generator is deterministic, and the national writer knows
nothing of perfxl.
"""

from __future__ import annotations

import ast
import json
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from python_calamine import CalamineWorkbook

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from samplegen import national  # noqa: E402
from samplegen.make import make_project_samples  # noqa: E402
from samplegen.plan import PERFXL_VARIANT, build_plan  # noqa: E402
from samplegen.projects import MISTAKES  # noqa: E402
from samplegen.rules import (  # noqa: E402
    audit, execution_score, indicator_score, is_blank, norm, number, parse_target,
)
from samplegen.writers import WRITERS, WriterUnavailable, binding_layout, write_national  # noqa: E402

COMMITTED = ROOT / "samples" / "projects"


def _national_only(path: Path, pf: Any) -> list:
    if pf.writer != "national":
        raise WriterUnavailable("not in this test")
    return write_national(path, pf)


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    out = tmp_path_factory.mktemp("projects")
    make_project_samples(out, writers={"national": write_national, "perfxl": _national_only}, log=lambda m: None)
    return out, json.loads((out / "MANIFEST.json").read_text("utf-8"))


@pytest.fixture(scope="module")
def plan() -> list:
    return build_plan()


class Sheet:
    """A sheet read back with calamine: values by A1, rows, merged ranges."""

    def __init__(self, wb: CalamineWorkbook, name: str) -> None:
        sheet = wb.get_sheet_by_name(name)
        self.rows = sheet.to_python(skip_empty_area=False)
        self.merges = sheet.merged_cell_ranges or []

    def __getitem__(self, a1: str) -> Any:
        m = re.fullmatch(r"([A-Z]+)(\d+)", a1)
        assert m, a1
        col = 0
        for ch in m.group(1):
            col = col * 26 + ord(ch) - 64
        r, c = int(m.group(2)) - 1, col - 1
        if r >= len(self.rows) or c >= len(self.rows[r]):
            return None
        v = self.rows[r][c]
        return None if v == "" else v

    def texts(self) -> Iterator[str]:
        for row in self.rows:
            for v in row:
                if isinstance(v, str) and v:
                    yield v


def _book(path: Path) -> tuple[list[str], dict[str, Sheet]]:
    wb = CalamineWorkbook.from_path(str(path))
    return wb.sheet_names, {n: Sheet(wb, n) for n in wb.sheet_names}


@pytest.fixture(scope="module")
def books(generated: tuple[Path, dict[str, Any]]) -> dict[str, tuple[list[str], dict[str, Sheet]]]:
    out, manifest = generated
    return {e["file"]: _book(out / e["file"]) for e in manifest["files"] if e["written"]}


def _value(data: dict[str, Any], path: str) -> Any:
    cur: Any = data
    for part in path.split("."):
        cur = cur[int(part)] if isinstance(cur, list) else cur.get(part)
        if cur is None:
            return None
    return cur


# --------------------------------------------------------------------------- the plan


def test_plan_has_the_shape_the_issue_asks(plan: list) -> None:
    forms = [(pf, f) for pf in plan for f in pf.forms]
    assert len(forms) >= 60
    assert any(len(pf.forms) > 1 for pf in plan) and any(pf.format == "xls" for pf in plan)
    national_forms = [f for pf, f in forms if pf.writer == "national"]
    assert len(national_forms) >= 25
    assert {f.variant for f in national_forms} == set(national.PRESETS)
    assert {f.variant for pf, f in forms if pf.writer == "perfxl"} == {PERFXL_VARIANT}
    mistaken = [f for _, f in forms if f.mistakes]
    assert 0.25 <= len(mistaken) / len(forms) <= 0.45
    assert all(len(f.mistakes) == 1 for f in mistaken)
    for tag in MISTAKES:
        where = [pf.writer for pf, f in forms for m in f.mistakes if m.tag == tag]
        assert len(where) >= 2 and "national" in where, tag
    per_dept: dict[str, int] = {}
    for _, f in forms:
        per_dept[f.department] = per_dept.get(f.department, 0) + 1
    assert len(per_dept) == 30 and set(per_dept.values()) <= {2, 3, 4}
    for pf in plan:
        assert re.fullmatch(r"p\d{3}_示例县[^_]+_[^_/]+\.(xlsx|xls)", pf.file), pf.file


def test_forms_are_consistent_by_the_national_rules(plan: list) -> None:
    for pf in plan:
        for f in pf.forms:
            b = f.data["budget"]
            for col in ("initial", "adjusted", "actual"):
                parts = round(sum(b[k][col] for k in b if k != "total"), 2)
                if not any(m.tag in ("proj-total-off", "proj-total-zero") for m in f.mistakes):
                    assert b["total"][col] == pytest.approx(parts, abs=0.005), (pf.file, col)
            if not f.mistakes:
                assert b["total"]["score"] == execution_score(b["total"]["adjusted"], b["total"]["actual"])
                assert 0.9 <= b["total"]["actual"] / b["total"]["adjusted"] <= 1.0
                parts = b["total"]["score"] + sum(d["self_score"] for d in f.data["indicators"])
                assert f.data["total"]["self_score"] == pytest.approx(parts, abs=0.005)


# --------------------------------------------------------------------------- the rules, by hand


def test_rules_score_by_hand_examples() -> None:
    assert execution_score(130, 126.5) == 9.73
    assert execution_score(100, 108) == 10
    assert execution_score(0, 5) is None
    assert indicator_score(parse_target("≥100次"), 80, 10) == 8
    assert indicator_score(parse_target("≥100次"), 120, 10) == 10
    assert indicator_score(parse_target("≤100万元"), 125, 10) == 8
    assert indicator_score(parse_target("≤100万元"), 90, 10) == 10
    assert indicator_score(parse_target("=100%"), 90, 20) == 18
    assert indicator_score(parse_target("10次"), 10, 5) == 5
    assert indicator_score(parse_target("有效提升"), None, 5) is None


def test_rules_read_what_clerks_write() -> None:
    assert parse_target("≧95%")[:3] == (">=", 95, "%")
    assert parse_target("﹦100%")[:3] == ("=", 100, "%")
    assert parse_target("=8个")[:3] == ("=", 8, "个")
    assert parse_target("10次")[:3] == ("=", 10, "次")
    assert parse_target("≤1.05万元")[:3] == ("<=", 1.05, "万元")
    assert parse_target(120, "≧", "公里")[:3] == (">=", 120, "公里")
    assert parse_target("明显改善").direction == "qual"
    assert parse_target("明显改善", "定性").direction == "qual"
    assert number("864.2万") == 864.2 and number("100分") == 100 and number("75元") == 75
    assert number("20.00") == 20 and number("99%") == 99 and number(" 1,234.50 ") == 1234.5
    assert number("完成") is None and number("—") is None and number("2023年12月") is None
    assert norm("项 目\u3000名\n称") == "项目名称"


def _small_form() -> dict[str, Any]:
    ind = [{"level1": "产出指标", "level2": "数量指标", "name": "养护里程", "target": "≥100公里", "actual": 100,
            "weight": 30, "self_score": 30, "reason": None},
           {"level1": "产出指标", "level2": "成本指标", "name": "项目总成本", "target": "≤100万元", "actual": 98,
            "weight": 20, "self_score": 20, "reason": None},
           {"level1": "效益指标", "level2": "社会效益指标", "name": "出行条件", "target": "明显改善",
            "actual": "明显改善", "weight": 30, "self_score": 30, "reason": None},
           {"level1": "满意度指标", "level2": "服务对象满意度指标", "name": "群众满意度", "target": "≥90%",
            "actual": 93, "weight": 10, "self_score": 10, "reason": None}]
    return {"year": 2023, "name": "农村公路养护", "department": "示例县交通运输局", "implementer": "示例县交通运输局",
            "budget": {"total": {"initial": 100, "adjusted": 100, "actual": 98, "score": 9.8},
                       "current": {"initial": 100, "adjusted": 100, "actual": 98},
                       "carryover": {"initial": 0, "adjusted": 0, "actual": 0},
                       "other": {"initial": 0, "adjusted": 0, "actual": 0}},
            "goals": [{"goal": "养护100公里", "result": "养护100公里"}], "indicators": ind,
            "total": {"weight": 100, "self_score": 99.8}}


@pytest.mark.parametrize("change, expected", [
    (lambda f: None, []),
    (lambda f: f["budget"]["total"].update(actual=90), [("proj-total-off", ["budget.total.actual"]),
                                                        ("proj-execution-score", ["budget.total.score"])]),
    (lambda f: f["budget"]["total"].update(initial=0), [("proj-total-zero", ["budget.total.initial"])]),
    (lambda f: f["indicators"][0].update(actual=80), [("proj-inflated-score", ["indicators.0.self_score"]),
                                                      ("proj-missing-reason", ["indicators.0.reason"])]),
    (lambda f: f["indicators"][0].update(self_score=28), [("proj-met-below-full", ["indicators.0.self_score"]),
                                                          ("proj-total-score-off", ["total.self_score"])]),
    (lambda f: f["indicators"][1].update(target="≥98万元"), [("proj-cost-ge", ["indicators.1.target"])]),
    (lambda f: f["indicators"][0].update(actual="完成"), [("proj-words-in-number", ["indicators.0.actual"])]),
    (lambda f: f["indicators"][0].update(name="指标1："), [("proj-placeholder-indicator", ["indicators.0.name"])]),
    (lambda f: f["indicators"].pop(), [("proj-missing-level", ["indicators.0.level1"]),
                                       ("proj-total-score-off", ["total.self_score"])]),
    (lambda f: f.update(implementer=" "), [("proj-required-blank", ["implementer"])]),
    (lambda f: f["goals"][0].update(result=None), [("proj-goal-result-blank", ["goals.0.result"])]),
])
def test_audit_finds_each_mistake_on_a_hand_made_form(change: Any, expected: list) -> None:
    form = _small_form()
    change(form)
    assert audit(form) == expected


# --------------------------------------------------------------------------- determinism


def test_generator_is_deterministic(generated: tuple[Path, dict[str, Any]], tmp_path: Path) -> None:
    out, manifest = generated
    make_project_samples(tmp_path, writers={"national": write_national, "perfxl": _national_only}, log=lambda m: None)
    names = sorted(p.name for p in out.iterdir())
    assert names == sorted(p.name for p in tmp_path.iterdir())
    assert any(n.endswith(".xls") for n in names) and any(n.endswith(".xlsx") for n in names)
    for name in names:
        assert (out / name).read_bytes() == (tmp_path / name).read_bytes(), name


@pytest.mark.skipif(not (COMMITTED / "MANIFEST.json").exists(), reason="samples/projects not generated")
def test_committed_samples_match_a_fresh_generation(tmp_path: Path) -> None:
    result = make_project_samples(tmp_path, log=lambda m: None)
    committed = json.loads((COMMITTED / "MANIFEST.json").read_text("utf-8"))
    assert committed == json.loads(result.manifest.read_text("utf-8")), "run python scripts/make_project_samples.py"
    for p in result.written:
        assert (COMMITTED / p.name).exists(), f"{p.name} missing: run python scripts/make_project_samples.py"
        fresh_names, fresh = _book(p)
        names, old = _book(COMMITTED / p.name)
        assert names == fresh_names, p.name
        for n in names:
            assert old[n].rows == fresh[n].rows and sorted(old[n].merges) == sorted(fresh[n].merges), (p.name, n)


# --------------------------------------------------------------------------- the variants


def _sheets(books: dict, *, forms_only: bool = True) -> Iterator[tuple[str, str, Sheet]]:
    for file, (_, sheets) in books.items():
        for name, sheet in sheets.items():
            if not forms_only or name not in ("封面", "填表说明"):
                yield file, name, sheet


def _has_text(books: dict, text: str) -> bool:
    return any(t == text for _, _, s in _sheets(books) for t in s.texts())


def _row_of(sheet: Sheet, pred: Any) -> list[Any] | None:
    return next((row for row in sheet.rows if any(isinstance(v, str) and pred(v) for v in row)), None)


LABEL_VARIANTS = [
    "年度资金总额", "资金总额", "其中：当年财政拨款", "其中：本年财政拨款", "其中:财政拨款", "当年财政拨款", "财政拨款",
    "上年结转资金", "上年结余结转资金", "得分", "自评得分", "年度指标值", "指标值", "年度目标值", "实际完成值",
    "全年实际值", "完成值", "偏差原因分析及改进措施", "偏差原因分析", "未完成原因分析",
    "（2023年度）", "2023年度", "（ 2023 年度 ）", "填报年度：2023",
    "年度资金总额：", "年度资金\n总额", "项 目 名 称", "绩 效 指 标",
    "年初预算", "调整后预算数", "预算执行数", "预算执行率", "权重", "原因", "财政专户管理资金", "单位资金",
    "指标性质", "度量单位", "产出指标（50分）", "效益指标（30分）", "满意度指标（10分）", "……", "合计", "附件1",
]


@pytest.mark.parametrize("text", LABEL_VARIANTS)
def test_every_label_variant_is_written_somewhere(books: dict, text: str) -> None:
    assert _has_text(books, text), text


@pytest.mark.parametrize("name, pattern", [
    ("≧ sign", r"^≧\d"), ("﹦ sign (U+FE66)", r"^﹦\d"), ("=8个 with its unit", r"^=\d+[^\d%.]+$"),
    ("money with 万 inside", r"^\d+(\.\d+)?万$"), ("100分 as text", r"^100分$"), ("元 inside the actual", r"^\d+(\.\d+)?元$"),
    ("percentage as text", r"^\d+(\.\d+)?%$"), ("20.00 as text", r"^\d+\.00$"), ("指标1： prefix", r"^指标1：.+"),
    ("★ parent", r"^★.+"), ("其中… child", r"^其中：上半年$"), ("full-width space in a label", "\u3000"),
    ("half-width brackets", r"\(万元\)"), ("total score as text", r"^\d+(\.\d+)?分$"),
])
def test_every_value_variant_is_written_somewhere(books: dict, name: str, pattern: str) -> None:
    assert any(re.search(pattern, t) for _, _, s in _sheets(books) for t in s.texts()), name


def _money_header(sheet: Sheet) -> list[str]:
    row = _row_of(sheet, lambda v: v in ("全年预算数", "调整后预算数")) or []
    return [v for v in row if isinstance(v, str) and v and not norm(v).startswith("项目资金")]


def test_money_block_layouts(books: dict) -> None:
    headers = [_money_header(s) for _, _, s in _sheets(books)]
    assert ["年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"] in headers  # 分值 before 执行率
    assert ["年初预算数", "全年预算数", "全年执行数", "执行率", "分值", "得分"] in headers  # 执行率 first
    assert ["全年预算数", "全年执行数", "分值", "执行率", "得分"] in headers                # no 年初预算数
    assert ["年初预算", "调整后预算数", "预算执行数", "预算执行率", "权重", "得分", "原因"] in headers  # Sichuan
    # sub-rows: — in 分值 and 得分, or the numbers repeated
    subs = [_row_of(s, lambda v: norm(v) in ("上年结转资金", "上年结余结转资金")) for _, _, s in _sheets(books)]
    assert any(row and row.count("—") == 2 for row in subs)
    assert any(row and 10 in row and "—" not in row for row in subs)


def test_merged_cells_everywhere(books: dict) -> None:
    seen = set()
    for _, _, s in _sheets(books):
        for (r1, c1), (r2, c2) in s.merges:
            top = s.rows[r1][c1]
            if top == "项目支出绩效自评表" and c2 - c1 >= 7:
                seen.add("title")
            if isinstance(top, str) and norm(top).startswith("项目资金") and r2 - r1 >= 4:
                seen.add("项目资金 down")
            if isinstance(top, str) and norm(top) == "绩效指标" and r2 - r1 >= 5:
                seen.add("绩效指标 down")
            if isinstance(top, str) and norm(top).startswith("产出指标") and c1 == 1 and r2 > r1:
                seen.add("一级 down")
            if top == "数量指标" and r2 > r1:
                seen.add("二级 down")
            if top == "年度指标值" and c2 - c1 == 2:
                seen.add("split header")
            if top == "一级指标" and r2 - r1 == 1:
                seen.add("two-row header")
    assert seen == {"title", "项目资金 down", "绩效指标 down", "一级 down", "二级 down", "split header", "two-row header"}


def test_layouts_without_a_column_or_a_row(books: dict) -> None:
    indicator_heads = [_row_of(s, lambda v: v == "一级指标") for _, _, s in _sheets(books)]
    assert any(row and "分值" not in row and "权重" not in row for row in indicator_heads)  # no 分值 column
    endings = {"总分": 0, "合计": 0, "none": 0}
    for _, _, s in _sheets(books):
        if _row_of(s, lambda v: v == "总分"):
            endings["总分"] += 1
        elif (row := _row_of(s, lambda v: v == "合计")) is not None:
            assert 100 in row and len([v for v in row if v not in ("", None)]) == 2  # 合计 100, no score
            endings["合计"] += 1
        else:
            endings["none"] += 1
    assert all(endings.values()), endings


def test_empty_category_rows_and_flat_levels(books: dict) -> None:
    empty = flat = False
    for _, _, s in _sheets(books):
        for r, row in enumerate(s.rows):
            cells = [v for v in row if v not in ("", None)]
            if cells in (["经济效益指标"], ["生态效益指标"], ["可持续影响指标"]):
                empty = True
            merged_here = any(r1 <= r <= r2 and c1 == 2 for (r1, c1), (r2, _) in s.merges)
            if len(row) > 3 and row[2] == "数量指标" and not merged_here and r + 1 < len(s.rows) \
                    and s.rows[r + 1][2] == "" and s.rows[r + 1][3]:
                flat = True
    assert empty and flat


def test_workbooks_with_cover_notes_and_several_forms(generated: tuple[Path, dict[str, Any]], books: dict) -> None:
    _, manifest = generated
    for e in manifest["files"]:
        if e["written"]:
            assert books[e["file"]][0] == e["sheets"], e["file"]
    sheets = [e["sheets"] for e in manifest["files"] if e["written"]]
    assert any(s[0] == "封面" for s in sheets) and any(s[-1] == "填表说明" for s in sheets)
    assert any(len(e["forms"]) >= 3 for e in manifest["files"] if e["writer"] == "national")
    assert {e["format"] for e in manifest["files"] if e["writer"] == "national"} == {"xls", "xlsx"}
    # a cover or notes sheet does not look like a form
    for _, _, s in ((f, n, s) for f, n, s in _sheets(books, forms_only=False) if n in ("封面", "填表说明")):
        assert not any(t in ("项目名称", "年度资金总额", "一级指标") for t in s.texts())


# --------------------------------------------------------------------------- manifest against the files


def _holds(cell: Any, expected: Any, field: str) -> bool:
    if expected is None:
        return is_blank(cell)
    if field == "year":
        return str(expected) in str(cell)
    if field.endswith(".target"):
        return parse_target(cell).value == parse_target(expected).value
    if isinstance(expected, (int, float)):
        got = number(cell)
        return got is not None and abs(got - expected) < 0.005
    return norm(expected) in norm(cell)


def _cells_held(folder: Path, manifest: dict[str, Any], plan: list) -> int:
    """Assert every cell the manifest names holds its field; returns how many were checked."""
    forms = {(pf.file, f.sheet): f for pf in plan for f in pf.forms}
    checked = 0
    for e in manifest["files"]:
        if not e["written"]:
            continue
        names, sheets = _book(folder / e["file"])
        assert names == e["sheets"], e["file"]
        for fe in e["forms"]:
            planned = forms.get((e["file"], fe["sheet"])) or next(
                f for pf in plan if pf.file == e["file"] for f in pf.forms if f.project == fe["project"])
            cells = dict(fe["cells"])
            for m in fe["mistakes"]:
                assert len(m["cells"]) == len(m["fields"])
                for a, field in zip(m["cells"], m["fields"]):
                    sheet, addr = a.split("!")
                    assert sheet == fe["sheet"]
                    cells[field] = addr
            for field, addr in cells.items():
                got = sheets[fe["sheet"]][addr]
                assert _holds(got, _value(planned.data, field), field), (e["file"], fe["sheet"], field, addr, got)
                checked += 1
    return checked


def test_every_manifest_cell_holds_its_field(generated: tuple[Path, dict[str, Any]], plan: list) -> None:
    out, manifest = generated
    assert _cells_held(out, manifest, plan) > 300


@pytest.mark.skipif(not (COMMITTED / "MANIFEST.json").exists(), reason="samples/projects not generated")
def test_committed_manifest_cells_hold_their_fields(plan: list) -> None:
    """Whoever wrote a committed file (national or perfxl's template), its cells are where the manifest says."""
    manifest = json.loads((COMMITTED / "MANIFEST.json").read_text("utf-8"))
    assert _cells_held(COMMITTED, manifest, plan) > 300


def _read_back(sheet: Sheet, cells: dict[str, str]) -> dict[str, Any]:
    """The form as the written cells give it (the contract's nested shape)."""
    form: dict[str, Any] = {"budget": {}, "goals": [], "indicators": [], "total": {}}
    for field, addr in cells.items():
        value = sheet[addr]
        parts = field.split(".")
        if parts[0] == "budget":
            form["budget"].setdefault(parts[1], {})[parts[2]] = value
        elif parts[0] in ("goals", "indicators"):
            items = form[parts[0]]
            while len(items) <= int(parts[1]):
                items.append({})
            items[int(parts[1])][parts[2]] = value
        elif parts[0] == "total":
            form["total"][parts[1]] = value
        else:
            form[field] = value
    return form


def test_planted_mistakes_are_mistakes_and_clean_forms_clean(generated: tuple[Path, dict[str, Any]],
                                                             books: dict, plan: list) -> None:
    _, manifest = generated
    forms = {(pf.file, f.sheet): f for pf in plan for f in pf.forms}
    for e in manifest["files"]:
        if not e["written"]:
            continue
        _, sheets = books[e["file"]]
        for fe in e["forms"]:
            f = forms[(e["file"], fe["sheet"])]
            _, cells = national.layout(f.data, f.variant, sheet=fe["sheet"])
            found = audit(_read_back(sheets[fe["sheet"]], cells),
                          weight_column=national.variant_of(f.variant).weight_column)
            got = sorted((tag, sorted(f"{fe['sheet']}!{cells[k]}" for k in fields)) for tag, fields in found)
            want = sorted((m["tag"], sorted(m["cells"])) for m in fe["mistakes"])
            assert got == want, (e["file"], fe["sheet"])
            assert fe["clean"] == (not want)


# --------------------------------------------------------------------------- the writer registry


def test_national_writer_does_not_know_perfxl() -> None:
    pkg = ROOT / "scripts" / "samplegen"
    todo, seen = ["national"], set()
    while todo:  # national.py and every module of the package it imports
        mod = todo.pop()
        seen.add(mod)
        tree = ast.parse((pkg / f"{mod}.py").read_text("utf-8"))
        for node in ast.walk(tree):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else (
                [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            for name in names:
                assert name != "perfxl" and not name.startswith("perfxl."), (mod, name)
            if isinstance(node, ast.ImportFrom) and node.level == 1 and node.module not in seen:
                todo.append(node.module)
        assert "perfxl" not in re.sub(r'""".*?"""|#.*', "", (pkg / f"{mod}.py").read_text("utf-8"), flags=re.S)
    assert seen == {"national", "grid", "rules"}
    code = ("import sys; sys.path.insert(0, 'scripts'); import samplegen.national; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] == 'perfxl'))")
    run = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert run.stdout.strip() == "[]"


def test_a_writer_plugs_into_the_registry(tmp_path: Path) -> None:
    """What the lead's perfxl writer will do: every planned file written, none skipped."""
    calls = []

    def fake_perfxl(path: Path, pf: Any) -> list:
        calls.append(pf.file)
        national.write_workbook(path, [national.Form("项目支出绩效自评表", pf.forms[0].data, "national")])
        return [binding_layout(pf.forms[0])]

    result = make_project_samples(tmp_path, writers={**WRITERS, "perfxl": fake_perfxl}, log=lambda m: None)
    manifest = json.loads(result.manifest.read_text("utf-8"))
    assert result.skipped == [] and all(e["written"] for e in manifest["files"])
    assert len(calls) == sum(1 for e in manifest["files"] if e["writer"] == "perfxl") > 0
    assert len(result.written) == len(manifest["files"])


def test_perfxl_files_wait_for_perfxl_project_writer(tmp_path: Path) -> None:
    import inspect

    from perfxl.template import write_workbook

    messages: list[str] = []
    result = make_project_samples(tmp_path, log=messages.append)
    manifest = json.loads(result.manifest.read_text("utf-8"))
    perfxl_files = [e["file"] for e in manifest["files"] if e["writer"] == "perfxl"]
    if "kind" in inspect.signature(write_workbook).parameters:
        assert result.skipped == [] and all((tmp_path / f).exists() for f in perfxl_files)
    else:
        assert [f for f, _ in result.skipped] == perfxl_files
        assert all("kind='project'" in why for _, why in result.skipped)
        assert len(messages) == len(perfxl_files) and all(m.startswith("skipped p") for m in messages)
        assert not any((tmp_path / f).exists() for f in perfxl_files)
        assert all(not e["written"] for e in manifest["files"] if e["writer"] == "perfxl")


def test_cli_writes_the_samples(tmp_path: Path) -> None:
    run = subprocess.run([sys.executable, "scripts/make_project_samples.py", "--out", str(tmp_path)],
                         cwd=ROOT, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip().splitlines()[-1] == str(tmp_path / "MANIFEST.json")
    assert re.search(r"^\d+ files written, \d+ skipped$", run.stderr, flags=re.M)
    assert len(list(tmp_path.glob("p*.xls*"))) == len(run.stdout.strip().splitlines()) - 1
