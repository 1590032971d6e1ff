"""The 项目支出绩效自评表 kind: each J rule (and I017, F024, the shared rules on a form)
fires on a planted mistake and stays quiet on a clean form; the shipped samples give
exactly their planted mistakes, at their cells, and the scores the national rules give."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any, Callable

import openpyxl
import pytest

from perfxl.check import CheckOptions, check_file, check_unit
from perfxl.reader import read_units
from perfxl.rulebook import default_rulebook
from perfxl.score import score_unit
from perfxl.template_project import write_project_workbook

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples" / "projects"
SHEET = "项目支出绩效自评表"


def _ind(level1: str, level2: str, name: str, target: str, actual: Any, weight: float, score: float,
         reason: str | None = None) -> dict[str, Any]:
    return {"level1": level1, "level2": level2, "name": name, "target": target, "actual": actual,
            "weight": weight, "self_score": score, "reason": reason}


CLEAN: dict[str, Any] = {
    "year": 2023, "name": "农村公路养护工程", "department": "示例县交通运输局", "implementer": "示例县公路事务中心",
    "budget": {
        "current": {"initial": 100.0, "adjusted": 110.0, "actual": 106.5},
        "carryover": {"initial": 20.0, "adjusted": 20.0, "actual": 20.0},
        "other": {"initial": 0, "adjusted": 0, "actual": 0},
    },
    "goals": [{"goal": "养护农村公路 120 公里，路面合格率不低于 95%。", "result": "全年养护 126 公里，合格率 97%。"}],
    "indicators": [
        _ind("产出指标", "数量指标", "养护里程", "≥120公里", 126, 20, 20),
        _ind("产出指标", "质量指标", "路面合格率", "≥95%", "97%", 15, 15),
        _ind("产出指标", "时效指标", "按期完成率", "=100%", "100%", 10, 10),
        _ind("产出指标", "成本指标", "养护成本", "≤130万元", 126.5, 5, 5),
        _ind("效益指标", "社会效益指标", "群众出行条件", "明显改善", "明显改善", 15, 15),
        _ind("效益指标", "可持续影响指标", "长效养护机制", "逐步健全", "已建立", 15, 15),
        _ind("满意度指标", "服务对象满意度指标", "沿线群众满意度", "≥90%", "95%", 10, 10),
    ],
    "total": {"weight": 100},
}


def _write(tmp_path: Path, form: dict[str, Any], name: str = "p.xlsx", cached: bool = True) -> Path:
    return write_project_workbook(tmp_path / name, [form], cached=cached)


def _findings(path: Path, rulebook: Any = None) -> list[Any]:
    opts = CheckOptions(rulebook or default_rulebook())
    return [f for u in read_units(path, opts.rulebook) for f in check_unit(u, opts)]


def _codes(path: Path) -> set[str]:
    return {f.code for f in _findings(path)}


def _edit(path: Path, fn: Callable[[Any], None]) -> Path:
    wb = openpyxl.load_workbook(path)
    fn(wb)
    wb.save(path)
    return path


def _find(ws: Any, text: str, after_row: int = 0) -> Any:
    for row in ws.iter_rows(min_row=after_row + 1):
        for c in row:
            if c.value == text:
                return c
    raise LookupError(text)


def _set(form: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    keys = path.split(".")
    d: Any = form
    for k in keys[:-1]:
        d = d[int(k)] if isinstance(d, list) else d.setdefault(k, {})
    if isinstance(d, list):
        d[int(keys[-1])] = value
    else:
        d[keys[-1]] = value
    return form


def test_a_clean_form_gets_no_error_or_warning_and_its_score(tmp_path: Path) -> None:
    for cached in (True, False):  # calculated or not: the same findings
        path = _write(tmp_path, copy.deepcopy(CLEAN), f"c{cached}.xlsx", cached=cached)
        bad = [(f.code, f.cell) for f in _findings(path) if f.severity.value in ("error", "warning") and f.code != "V003"]
        assert bad == []
        unit = read_units(path)[0]
        assert (unit.kind, unit.form_sheet, unit.name, unit.department, unit.year) == (
            "project", SHEET, "农村公路养护工程", "示例县交通运输局", 2023)
        card = score_unit(unit, default_rulebook())
        assert card.scored and card.total == pytest.approx(9.73 + 90, abs=0.01)
        assert card.self_total == pytest.approx(card.total, abs=0.01)


# (id, how the form is changed, the code expected, where: the cell's column label or None)
PROJECT_CASES: list[tuple[str, Callable[[dict[str, Any]], Any], str]] = [
    ("total-left-zero", lambda f: _set(f, "budget.total.actual", 0), "J001"),
    ("total-off", lambda f: _set(f, "budget.total.actual", 130.0), "J004"),
    ("amount-blank", lambda f: [_set(f, f"budget.{k}.adjusted", None) for k in ("current", "carryover", "other")],
     "J003"),
    ("rate-typed", lambda f: _set(f, "budget.total.rate", 0.5), "J005"),
    ("execution-score", lambda f: _set(f, "budget.total.score", 10), "J006"),
    ("over-budget", lambda f: _set(f, "budget.current.actual", 120.0), "J007"),
    ("implementer-blank", lambda f: _set(f, "implementer", None), "J008"),
    ("placeholder", lambda f: _set(f, "indicators.0.name", "指标1："), "I017"),
    ("missing-level", lambda f: f.update(indicators=f["indicators"][:-1]), "I001"),
    ("weights", lambda f: _set(f, "indicators.0.weight", 25), "I006"),
    ("inflated", lambda f: [_set(f, "indicators.0.actual", 100), _set(f, "indicators.0.reason", "资金晚到")], "I009"),
    ("met-below-full", lambda f: _set(f, "indicators.1.self_score", 12), "I009"),
    ("over-weight", lambda f: _set(f, "indicators.4.self_score", 18), "I008"),
    ("reason-missing", lambda f: [_set(f, "indicators.0.actual", 100),
                                  _set(f, "indicators.0.self_score", 16.67)], "I012"),
    ("cost-ge", lambda f: _set(f, "indicators.3.target", "≥130万元"), "I014"),
    ("goal-result-blank", lambda f: _set(f, "goals.0.result", "无"), "G003"),
    ("total-score-off", lambda f: _set(f, "total.self_score", 95), "T003"),
    ("words-in-number", lambda f: _set(f, "indicators.0.actual", "完成"), "V002"),
]


@pytest.mark.parametrize("case", PROJECT_CASES, ids=[c[0] for c in PROJECT_CASES])
def test_each_project_rule_fires_on_its_mistake(tmp_path: Path, case: Any) -> None:
    _id, plant, code = case
    form = copy.deepcopy(CLEAN)
    plant(form)
    assert code in _codes(_write(tmp_path, form))


def test_j007_names_a_source_as_a_sentence_does(tmp_path: Path) -> None:
    """The national form labels its first source '其中：当年财政拨款'; the message says
    当年财政拨款."""
    form = copy.deepcopy(CLEAN)
    _set(form, "budget.current.actual", 120.0)
    path = _write(tmp_path, form)
    said = [f.message() for f in check_file(path, CheckOptions(default_rulebook())).findings if f.code == "J007"]
    assert any(m.startswith("当年财政拨款全年执行数 120.00 超过全年预算数") for m in said), said
    assert not any("其中" in m for m in said), said


def test_a_year_missing_from_the_title_is_j009(tmp_path: Path) -> None:
    def blank_year(wb: Any) -> None:
        ws = wb[SHEET]
        _find(ws, "（2023年度）").value = None

    assert "J009" in _codes(_edit(_write(tmp_path, copy.deepcopy(CLEAN)), blank_year))


def test_a_form_without_its_weight_column_is_not_scorable_once(tmp_path: Path) -> None:
    def rename(wb: Any) -> None:
        ws = wb[SHEET]
        header = _find(ws, "三级指标")
        _find(ws, "分值", header.row - 1).value = "备注"

    path = _edit(_write(tmp_path, copy.deepcopy(CLEAN)), rename)
    found = _findings(path)
    assert [f.code for f in found].count("J002") == 1
    card = score_unit(read_units(path)[0], default_rulebook())
    assert not card.scored and len([r for r in card.reasons if "分值" in r]) == 1


def test_a_cover_sheet_is_skipped_with_an_info(tmp_path: Path) -> None:
    def cover(wb: Any) -> None:
        ws = wb.create_sheet("封面", 0)
        ws["A1"] = "2023年度项目支出绩效自评报告"

    found = _findings(_edit(_write(tmp_path, copy.deepcopy(CLEAN)), cover))
    f024 = [f for f in found if f.code == "F024"]
    assert len(f024) == 1 and f024[0].sheet == "封面" and f024[0].severity.value == "info"
    # 填报说明 and _perfxl of perfxl's own template are no cover pages
    assert "F024" not in _codes(_write(tmp_path, copy.deepcopy(CLEAN), "plain.xlsx"))


def test_several_forms_in_one_workbook_are_several_units(tmp_path: Path) -> None:
    other = copy.deepcopy(CLEAN)
    other["name"] = "桥梁检测"
    _set(other, "budget.total.actual", 0)
    path = write_project_workbook(tmp_path / "two.xlsx", [copy.deepcopy(CLEAN), other], sheet_names=["项目1", "项目2"])
    units = read_units(path)
    assert [(u.form_sheet, u.name) for u in units] == [("项目1", "农村公路养护工程"), ("项目2", "桥梁检测")]
    opts = CheckOptions(default_rulebook())
    assert "J001" not in {f.code for f in check_unit(units[0], opts)}
    assert [f.sheet for f in check_unit(units[1], opts) if f.code == "J001"] == ["项目2"]


def test_department_rules_do_not_run_on_a_form_and_project_rules_not_on_a_department(tmp_path: Path,
                                                                                     make_xlsx: Any,
                                                                                     seed_data: Any) -> None:
    codes = _codes(_write(tmp_path, copy.deepcopy(CLEAN)))
    assert not {c for c in codes if c[0] in "BS" or c in ("P001", "T004", "I004")}
    dept = {f.code for u in read_units(make_xlsx(seed_data)) for f in check_unit(u, CheckOptions(default_rulebook()))}
    assert not {c for c in dept if c[0] == "J"}


def test_rules_say_which_kinds_they_apply_to() -> None:
    """A catalogue entry's kinds are those of the checks that emit it (`perfxl rules` shows them)."""
    import perfxl.rules  # noqa: F401  (registers every check)
    from perfxl.catalogue import catalogue, get_rule
    from perfxl.rules.registry import CHECKS

    assert get_rule("J001").kinds == ("project",) and get_rule("B001").kinds == ("dept",)
    assert get_rule("I009").kinds == ("dept", "project") and get_rule("F001").kinds == ("dept", "project")
    emitted: dict[str, set[str]] = {}
    for c in CHECKS:
        for code in c.codes:
            if c.scope == "unit":  # a batch check reads every kind's reports; its entries say which they concern
                emitted.setdefault(code, set()).update(c.kinds)
            else:
                assert set(get_rule(code).kinds) <= set(c.kinds), code
    for r in catalogue():
        if r.code in emitted:
            assert emitted[r.code] == set(r.kinds), r.code
    assert {r.code for r in catalogue("project")} >= {"J001", "G003", "I001", "T003", "X004", "F024"}


def _manifest() -> list[tuple[dict[str, Any], dict[str, Any]]]:
    m = json.loads((SAMPLES / "MANIFEST.json").read_text("utf-8"))
    return [(f, form) for f in m["files"] if f.get("written") for form in f["forms"]]


def test_every_sample_form_gives_its_planted_mistakes_and_nothing_else() -> None:
    opts = CheckOptions(default_rulebook())
    by_file: dict[str, list] = {}
    missed, extra = [], []
    for f, form in _manifest():
        if f["file"] not in by_file:
            by_file[f["file"]] = read_units(SAMPLES / f["file"])
        unit = next(u for u in by_file[f["file"]] if u.form_sheet == form["sheet"])
        found = [x for x in check_unit(unit, opts) if x.severity.value in ("error", "warning")]
        got = {(x.sheet, x.cell) for x in found}
        want = {tuple(c.split("!")) for m in form["mistakes"] for c in m["cells"]}
        want |= {(form["sheet"], None) for m in form["mistakes"] if not m["cells"]}
        missed += [(f["file"], w) for w in want - got]
        extra += [(f["file"], x.code, x.cell) for x in found if (x.sheet, x.cell) not in want]
    assert len(by_file) > 60 and sum(len(v) for v in by_file.values()) >= 60
    assert missed == [] and extra == []


def test_every_sample_form_scores_as_the_national_rules_give() -> None:
    rb = default_rulebook()
    checked = 0
    for f, form in _manifest():
        tags = {m["tag"] for m in form["mistakes"]}
        if tags & {"proj-total-off", "proj-total-zero"}:
            continue  # perfxl scores by the sum of the sources; the manifest by the typed total
        unit = next(u for u in read_units(SAMPLES / f["file"], rb) if u.form_sheet == form["sheet"])
        card = score_unit(unit, rb)
        want = form["rule_score_total"]
        assert (card.total is None) == (want is None), (f["file"], form["sheet"], card.reasons)
        if want is not None:
            assert card.total == pytest.approx(want, abs=0.02), (f["file"], form["sheet"])
        if form["self_score_total"] is not None:
            assert card.self_total == pytest.approx(form["self_score_total"], abs=0.02)
        checked += 1
    assert checked > 60


def _essence(path: Path) -> list[tuple[Any, ...]]:
    """What a file's units say: sheet, name, department, year, money and the errors/warnings."""
    opts = CheckOptions(default_rulebook())
    out = []
    for u in read_units(path):
        found = sorted((f.code, f.cell) for f in check_unit(u, opts) if f.severity.value in ("error", "warning"))
        total = u.budget["total"]
        out.append((u.form_sheet, u.name, u.department, u.year, total.adjusted.number, total.actual.number, found))
    return out


@pytest.mark.lo
@pytest.mark.parametrize("name", ["p001_示例县人民政府办公室_项目.xls", "p067_示例县机关事务服务中心_项目.xls",
                                  "p002_示例县发展和改革局_价格监测.xlsx"])
def test_a_form_reads_the_same_in_every_format(name: str, soffice_convert: Any, tmp_path: Path) -> None:
    """xls, xlsx, xlsm and ods (which tells no merged cells) give the same units and findings."""
    src = SAMPLES / name
    want = _essence(src)
    assert want and all(w[1] for w in want)
    for fmt in ("xlsx", "ods", "xls", "xlsm:Calc MS Excel 2007 VBA XML"):
        if src.suffix == "." + fmt:
            continue
        converted = soffice_convert(src, fmt, tmp_path / fmt.split(":")[0])
        assert _essence(converted) == want, fmt


def test_cli_writes_the_blank_project_form_and_checks_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    from _cli import run

    monkeypatch.chdir(tmp_path)
    rc, _out, err = run(monkeypatch, capsys, "template", "--kind", "project", "--year", "2023")
    assert rc == 0 and "项目支出绩效自评表.xlsx" in err
    wb = openpyxl.load_workbook(tmp_path / "项目支出绩效自评表.xlsx")
    assert wb.sheetnames == ["填报说明", SHEET, "_perfxl"] and wb["_perfxl"].sheet_state == "hidden"
    rc, out, _err = run(monkeypatch, capsys, "check", "项目支出绩效自评表.xlsx", "--format", "json")
    found = {f["code"] for f in json.loads(out)["files"][0]["findings"]}
    assert rc == 1 and {"J008", "J003", "G001", "I002"} <= found and not {c for c in found if c[0] in "BS"}
    rc, _out, err = run(monkeypatch, capsys, "template", "--kind", "nosuch")
    assert rc == 2 and "nosuch" in err
    rc, _out, err = run(monkeypatch, capsys, "template", "--kind", "project", "-o", "x.xls")
    assert rc == 2 and ".xlsx" in err and not (tmp_path / "x.xls").exists()


def test_the_annotated_copy_of_several_forms_marks_each_and_scores_each(tmp_path: Path) -> None:
    from perfxl.annotate import SCORE_SHEET, annotate
    from perfxl.check import check_file_units

    other = copy.deepcopy(CLEAN)
    other["name"] = "桥梁检测"
    _set(other, "budget.total.actual", 0)
    path = write_project_workbook(tmp_path / "two.xlsx", [copy.deepcopy(CLEAN), other], sheet_names=["项目1", "项目2"])
    reports = check_file_units(path, CheckOptions(default_rulebook()))
    j001 = next(f for f in reports[1].findings if f.code == "J001")
    wb = openpyxl.load_workbook(annotate(reports[0], tmp_path / "out.xlsx", others=reports[1:]))
    assert "J001" in wb["项目2"][j001.cell].comment.text
    heads = [c.value for c in wb[SCORE_SHEET]["A"] if isinstance(c.value, str)]
    assert "农村公路养护工程（工作表：项目1）" in heads and "桥梁检测（工作表：项目2）" in heads
    places = [c.value for c in wb[SCORE_SHEET]["E"] if isinstance(c.value, str) and "!" in c.value]
    assert any(p.startswith("项目1!") for p in places) and any(p.startswith("项目2!") for p in places)


def test_report_names_a_project_form_it_writes_no_draft_for(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    from _cli import run

    form = _write(tmp_path, copy.deepcopy(CLEAN))
    rc, _out, err = run(monkeypatch, capsys, "report", form, "-o", tmp_path / "out")
    assert rc == 0 and "不单独生成自评报告草稿" in err and "p.xlsx › 项目支出绩效自评表" in err
    assert not list((tmp_path / "out").glob("*.docx"))


def test_a_form_without_its_funds_table_says_so_once_and_checks_the_rest(tmp_path: Path) -> None:
    def no_funds(wb: Any) -> None:
        ws = wb[SHEET]
        header = _find(ws, "年初预算数").row
        for c in ws[header]:
            if c.__class__.__name__ != "MergedCell":
                c.value = None  # the money table's header is gone: the table cannot be located

    form = copy.deepcopy(CLEAN)
    _set(form, "goals.0.result", "略")  # a mistake in another part is still found
    found = _findings(_edit(_write(tmp_path, form), no_funds))
    f025 = [f for f in found if f.code == "F025"]
    assert len(f025) == 1 and "项目资金" in f025[0].message()
    codes = {f.code for f in found}
    assert "G003" in codes and not {c for c in codes if c.startswith("J00")}
    assert "F025" not in _codes(_write(tmp_path, copy.deepcopy(CLEAN), "ok.xlsx"))


def test_a_values_only_copy_of_an_xls_form_has_readable_columns(tmp_path: Path) -> None:
    """openpyxl cannot open an .xls: its copy holds the values only, and then its columns are
    sized to them (Excel's default width cuts every Chinese label)."""
    from perfxl.annotate import annotate
    from perfxl.check import check_file_units

    reports = check_file_units(SAMPLES / "p001_示例县人民政府办公室_项目.xls", CheckOptions(default_rulebook()))
    ws = openpyxl.load_workbook(annotate(reports[0], tmp_path / "c.xlsx", others=reports[1:]))[reports[0].sheet]
    names = [c for c in ws["D"] if isinstance(c.value, str) and len(c.value) >= 6]  # 三级指标
    assert names and ws.column_dimensions["D"].width >= 12
    assert ws.column_dimensions["D"].width <= 30


def test_what_is_said_of_the_file_is_said_once_not_per_form(tmp_path: Path) -> None:
    renamed = tmp_path / "p001.ods"  # an .xls under another name: F011, a note on the file
    renamed.write_bytes((SAMPLES / "p001_示例县人民政府办公室_项目.xls").read_bytes())
    units = read_units(renamed)
    assert len(units) == 4
    assert [sum(f.code == "F011" for f in u.findings) for u in units] == [1, 0, 0, 0]
