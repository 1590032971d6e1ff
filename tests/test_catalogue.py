"""The rule catalogue: complete entries, a firing test per code, README in sync."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest
from _cli import script

from perfxl.findings import AREAS, catalogue
from perfxl.rules.registry import CHECKS

ROOT = Path(__file__).resolve().parent.parent
MY_AREAS = ("P", "B", "S", "G", "I", "T", "X")  # the checks' codes (F/V are the reader's)


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


def test_every_code_has_a_firing_test():
    """Each P/B/S/G/I/T/X code appears in a test that plants its mistake."""
    sources = "\n".join(p.read_text("utf-8") for p in (ROOT / "tests").glob("test_rules_*.py"))
    missing = [r.code for r in catalogue() if r.area in MY_AREAS and f'("{r.code}", S' not in sources
               and f'("{r.code}",' not in sources]
    assert missing == []


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
    from perfxl.rules.english import WHY_EN

    assert sorted(WHY_EN) == sorted(r.code for r in catalogue())
    for code, (why, example) in WHY_EN.items():
        assert why.strip().endswith(".") and example.strip().endswith("."), code
