"""The rule catalogue: complete entries, a firing test per code, README in sync."""

from __future__ import annotations

import copy
import re
import string
from pathlib import Path
from typing import Any

import pytest
from _cli import script

from perfxl.catalogue import catalogue, get_rule
from perfxl.findings import AREAS
from perfxl.rules.registry import CHECKS

ROOT = Path(__file__).resolve().parent.parent
MY_AREAS = ("P", "B", "S", "G", "I", "T", "X", "J")  # the checks' codes (F/V are the reader's)


def _script():
    return script("gen_readme_rules")


def _fields(template: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(template) if f}


@pytest.mark.parametrize("rule", catalogue(), ids=lambda r: r.code)
def test_every_rule_is_complete(rule):
    assert re.fullmatch(r"[A-Z]\d{3}", rule.code) and rule.code[0] in AREAS
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", rule.slug)
    for text in (rule.title, rule.title_en, rule.message, rule.message_en, rule.why, rule.example):
        assert text.strip()
    assert re.search(r"[\u4e00-\u9fff]", rule.message), "the Chinese message is Chinese"
    assert re.search(r"[a-zA-Z]{3}", rule.message_en)


@pytest.mark.parametrize("rule", [r for r in catalogue() if r.area in MY_AREAS], ids=lambda r: r.code)
def test_messages_name_the_same_values_in_both_languages(rule):
    """The English message may use an *_en variant of a parameter, nothing else."""
    zh = _fields(rule.message)
    en = {f[:-3] if f.endswith("_en") else f for f in _fields(rule.message_en)}
    assert en <= zh | {"row", "column", "parts", "level", "item", "side", "what", "hint", "reason", "filled",
                       "problem"}, (zh, en)


def test_slugs_are_unique():
    slugs = [r.slug for r in catalogue()]
    assert len(slugs) == len(set(slugs))


def test_every_check_code_is_declared_and_every_declared_code_has_a_check():
    declared = {r.code for r in catalogue() if r.area in MY_AREAS}
    emitted = {c for chk in CHECKS for c in chk.codes}
    assert emitted <= {r.code for r in catalogue()}
    assert declared <= emitted


def _planted_cases() -> dict[str, Any]:
    """code → the first planted case that expects it, from the CASES tables of the rule
    tests (a function planting the mistake in the seed data, or profile changes)."""
    import importlib

    out: dict[str, Any] = {}
    for path in sorted((ROOT / "tests").glob("test_rules_*.py")):
        module = importlib.import_module(path.stem)
        for case in getattr(module, "CASES", []):
            plant, expected = case[1], case[-1]
            for code, *_ in expected:
                out.setdefault(code, plant)
    return out


def _two_files(make_xlsx, seed_data, second) -> list[Any]:  # noqa: ANN001
    from perfxl.check import CheckOptions, check_files
    from perfxl.rulebook import default_rulebook

    other = copy.deepcopy(seed_data)
    second(other)
    paths = [make_xlsx(seed_data, name="a.xlsx"), make_xlsx(other, name="b.xlsx")]
    return [f for fr in check_files(paths, CheckOptions(default_rulebook())).files for f in fr.findings]


def _other_code(d: dict[str, Any]) -> None:
    from stdnum.cn import uscc

    d["profile"]["credit_code"] = "13430725006439999"[:17] + uscc.calc_check_digit("13430725006439999"[:17])


def _project(code: str):  # noqa: ANN202 - the project form planted with the mistake that fires ``code``
    def run(make_xlsx, d):  # noqa: ANN001, ANN202
        import copy
        import tempfile
        from pathlib import Path

        import test_rules_project as tp

        form = copy.deepcopy(tp.CLEAN)
        next(plant for _id, plant, c in tp.PROJECT_CASES if c == code)(form)
        return tp._findings(tp._write(Path(tempfile.mkdtemp()), form))

    return run


def _project_edit(test: str):  # noqa: ANN202 - a project case that edits the written form
    def run(make_xlsx, d):  # noqa: ANN001, ANN202
        import copy
        import tempfile
        from pathlib import Path

        import openpyxl

        import test_rules_project as tp

        path = tp._write(Path(tempfile.mkdtemp()), copy.deepcopy(tp.CLEAN))
        wb = openpyxl.load_workbook(path)
        ws = wb[tp.SHEET]
        if test == "J009":
            tp._find(ws, "（2023年度）").value = None
        else:  # J002: the indicator table's 分值 renamed
            tp._find(ws, "分值", tp._find(ws, "三级指标").row - 1).value = "备注"
        wb.save(path)
        return tp._findings(path)

    return run


# Codes no CASES table plants: how each is made to fire.
OTHER_CASES: dict[str, Any] = {
    **{c: _project(c) for c in ("J001", "J003", "J004", "J005", "J006", "J007", "J008", "I017")},
    "J002": _project_edit("J002"),
    "J009": _project_edit("J009"),
    "I007": lambda make_xlsx, d: _findings_of(make_xlsx(_weights_110(d)), _rulebook_110()),
    "I016": lambda make_xlsx, d: _findings_of(make_xlsx(d)),  # the seed's own 151 vs 10
    "P008": lambda make_xlsx, d: _findings_of(make_xlsx(d, year=2022)),
    "X001": lambda make_xlsx, d: _two_files(make_xlsx, d, lambda o: None),
    "X002": lambda make_xlsx, d: _two_files(make_xlsx, d, _other_code),
    "X003": lambda make_xlsx, d: _two_files(
        make_xlsx, d, lambda o: (_other_code(o), o["profile"].update(name="另一单位", year=2022))),
    "X004": lambda make_xlsx, d: _with_projects(make_xlsx, d, 200.0),  # the seed's 项目支出 is 112.87
    "X005": lambda make_xlsx, d: _with_projects(make_xlsx, d, 10.0, department="示例县商务局"),
}


def _with_projects(make_xlsx, seed_data, actual: float, department: str = "桃源县科学技术协会") -> list[Any]:  # noqa: ANN001
    """The seed's workbook and a project form of ``department`` spending ``actual``."""
    from _projects import project, write_projects

    from perfxl.check import CheckOptions, check_files
    from perfxl.rulebook import default_rulebook

    dept = make_xlsx(seed_data, name="dept.xlsx")
    forms = write_projects(dept.parent / "p.xlsx", project(department=department, actual=actual, budget=actual))
    return [f for fr in check_files([dept, forms], CheckOptions(default_rulebook())).files for f in fr.findings]


def _findings_of(path, rulebook=None):  # noqa: ANN001, ANN202
    from _rules_util import findings_of

    return findings_of(path, rulebook)


def _rulebook_110():  # noqa: ANN202 - weights 10/50/30/20: every level adds up, the whole is 110
    import dataclasses

    from perfxl.rulebook import default_rulebook

    return dataclasses.replace(default_rulebook(), weights={"预算执行率": 10.0, "产出指标": 50.0, "效益指标": 30.0,
                                                             "满意度指标": 20.0})


def _weights_110(d: dict[str, Any]) -> dict[str, Any]:
    d["indicators"][13].update(weight=20, self_score=20)
    return d


PLANTED = _planted_cases()


@pytest.mark.parametrize("rule", [r for r in catalogue() if r.area in MY_AREAS], ids=lambda r: r.code)
def test_every_code_fires_on_a_planted_case(rule, make_xlsx, seed_data) -> None:
    """Each P/B/S/G/I/T/X code is made to fire here, by running the checks on a workbook
    with its mistake planted (not by finding its code in a test's text)."""
    plant = PLANTED.get(rule.code)
    if plant is None:
        assert rule.code in OTHER_CASES, f"no case plants {rule.code}: add one to a CASES table"
        found = OTHER_CASES[rule.code](make_xlsx, seed_data)
    else:
        if isinstance(plant, dict):
            seed_data["profile"].update(plant)
        else:
            plant(seed_data)
        found = _findings_of(make_xlsx(seed_data))
    assert rule.code in {f.code for f in found}, [f.code for f in found]


def test_readme_rule_table_matches_the_catalogue():
    gen = _script()
    text = (ROOT / "README.md").read_text("utf-8")
    assert gen.START in text and gen.END in text, "run python scripts/gen_readme_rules.py"
    assert gen.updated(text) == text, "README rule table is out of date: run python scripts/gen_readme_rules.py"
    for r in catalogue():
        assert f"`{r.code}`" in text


def test_the_generator_adds_a_section_when_markers_are_missing():
    gen = _script()
    out = gen.updated("# perfxl\n\nSome text.\n")
    assert out.startswith("# perfxl\n\nSome text.\n\n## Rules\n")
    assert gen.updated(out) == out  # idempotent
    assert out.count(gen.START) == 1 and "| `B001` budget-balance |" in out


def test_every_rule_is_explained_in_english():
    """`perfxl rules CODE --lang en` shows why and an example in English for every rule."""
    from perfxl.codes.english import WHY_EN

    assert sorted(WHY_EN) == sorted(r.code for r in catalogue())
    for code, (why, example) in WHY_EN.items():
        assert why.strip().endswith(".") and example.strip().endswith("."), code


def test_every_entry_names_the_kinds_it_applies_to(capsys):
    """Each entry says which template kinds it applies to; `perfxl rules` shows them as a
    column in either language, and the catalogue can be asked for one kind's entries."""
    import dataclasses

    from perfxl.cli import main
    from perfxl.findings import rule

    assert all(r.kinds for r in catalogue())
    assert {r.code for r in catalogue("dept")} == {r.code for r in catalogue() if "dept" in r.kinds}
    assert catalogue("no-such-kind") == []
    assert get_rule("B001").to_dict()["kinds"] == list(get_rule("B001").kinds)
    with pytest.raises(ValueError, match="no template kind"):
        rule("B999", "x", "error", "x", "x", "x", "x", "x", "x", kinds=())
    shared = dataclasses.replace(get_rule("B001"), kinds=("dept", "project"))
    assert shared("预算执行", "D6").rule is shared

    for lang, head, shown in (("zh", "适用表", "部门整体"), ("en", "kinds", "department")):
        with pytest.raises(SystemExit) as e:
            main(["rules", "--lang", lang])
        out = capsys.readouterr().out
        assert e.value.code == 0 and head in out and shown in out
    with pytest.raises(SystemExit):
        main(["rules", "B001", "--lang", "en"])
    assert "kinds: department" in capsys.readouterr().out


def test_a_finding_keeps_its_entry_across_processes():
    """A finding renders its message from the entry that made it, also after a batch
    worker pickled it to the parent; the entry is no part of its identity."""
    import pickle

    f = get_rule("V005")("预算执行", "D6", actual="#DIV/0!")
    back = pickle.loads(pickle.dumps(f))
    assert back == f and back.rule == get_rule("V005")
    assert back.message("zh") == f.message("zh") and "#DIV/0!" in back.message("en")
