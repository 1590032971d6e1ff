"""``perfxl check`` and ``perfxl rules``: exit codes, JSON equal to the library's report,
languages, selectors, --strict."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from pathlib import Path

import pytest
from _cli import run as cli

from perfxl.check import CheckOptions, check_paths
from perfxl.rulebook import default_rulebook


@pytest.fixture
def clean(make_xlsx, seed_data):
    return make_xlsx(seed_data, name="clean.xlsx")


@pytest.fixture
def bad(make_xlsx, seed_data):
    d = copy.deepcopy(seed_data)
    d["profile"]["credit_code"] = "13430725006431661G"
    d["profile"]["name"] = "桃源县科技传播服务中心"  # another unit: no batch duplicate
    return make_xlsx(d, name="bad.xlsx")


def test_exit_0_for_a_clean_file_with_the_zh_verdict(monkeypatch, capsys, clean):
    rc, out, _ = cli(monkeypatch, capsys, "check", clean)
    assert rc == 0
    assert "I016" in out and "G4" in out
    assert out.strip().splitlines()[-1] == "可以提交（2 个警告请在报送时说明）"


def test_exit_1_when_a_file_has_an_error(monkeypatch, capsys, clean, bad):
    rc, out, _ = cli(monkeypatch, capsys, "check", clean, bad)
    assert rc == 1
    assert "需修改：1 个错误，2 个警告" in out
    assert "P003" in out and "基本信息" in out


def test_exit_2_for_an_unreadable_file(monkeypatch, capsys, clean, tmp_path):
    junk = tmp_path / "junk.xlsx"
    junk.write_bytes(b"\x00not a workbook")
    rc, out, _ = cli(monkeypatch, capsys, "check", clean, junk)
    assert rc == 2
    assert "无法读取" in out


def test_exit_2_for_usage_errors(monkeypatch, capsys, clean):
    rc, _, err = cli(monkeypatch, capsys, "check", clean, "--select", "Q9")
    assert rc == 2 and "Q9" in err
    rc, _, _ = cli(monkeypatch, capsys, "check", clean, "--format", "yaml")
    assert rc == 2
    rc, _, _ = cli(monkeypatch, capsys, "check")
    assert rc == 2


def test_plurals_in_english(monkeypatch, capsys, clean):
    rc, out, _ = cli(monkeypatch, capsys, "check", clean, "--lang", "en")
    assert rc == 0 and out.strip().splitlines()[-1] == "OK to submit; explain the 2 warnings when you send it in."
    rc, out, _ = cli(monkeypatch, capsys, "check", clean, "--lang", "en", "--strict")
    assert rc == 1 and out.strip().splitlines()[-1] == "Needs changes: 0 errors, 2 warnings"


def test_strict_counts_warnings(monkeypatch, capsys, clean):
    rc, out, _ = cli(monkeypatch, capsys, "check", clean, "--strict")
    assert rc == 1
    assert "需修改：0 个错误，2 个警告" in out


def test_json_equals_the_library_report(monkeypatch, capsys, clean, bad):
    rc, out, _ = cli(monkeypatch, capsys, "check", clean, bad, "--format", "json", "--lang", "en")
    assert rc == 1
    got = json.loads(out)
    want = check_paths([clean, bad], CheckOptions(default_rulebook())).to_dict("en")
    assert got == want
    files = got["files"]  # in path order, as a folder's files are
    assert [Path(f["path"]).name for f in files] == ["bad.xlsx", "clean.xlsx"]
    assert [f["errors"] for f in files] == [1, 0] and [f["warnings"] for f in files] == [2, 2]
    # stable machine values beside the words of the chosen language
    assert [(f["status"], f["status_text"]) for f in files] == [("needs-changes", "Needs changes"),
                                                               ("passed", "Passed")]
    assert files[0]["unit"] == "桃源县科技传播服务中心"
    p003 = next(f for f in files[0]["findings"] if f["code"] == "P003")
    assert p003 == {"code": "P003", "severity": "error", "sheet": "基本信息", "cell": "B5",
                    "message": p003["message"], "expected": "H", "actual": "13430725006431661G",
                    "expected_text": "H", "actual_text": "13430725006431661G", "related_cells": []}
    assert "check character should be" in p003["message"]
    rc, out, _ = cli(monkeypatch, capsys, "check", clean, bad, "--format", "json")
    assert [(f["status"], f["status_text"]) for f in json.loads(out)["files"]] == [("needs-changes", "需修改"),
                                                                                  ("passed", "通过")]


def test_lang_en(monkeypatch, capsys, bad):
    rc, out, _ = cli(monkeypatch, capsys, "check", bad, "--lang", "en")
    assert rc == 1
    assert "Needs changes: 1 error, 2 warnings" in out
    assert "the check character should be" in out
    assert "校验位" not in out


def test_select_and_ignore(monkeypatch, capsys, bad):
    rc, out, _ = cli(monkeypatch, capsys, "check", bad, "--select", "I", "--format", "json")
    assert rc == 0  # the only error (P003) is not selected
    assert {f["code"] for f in json.loads(out)["files"][0]["findings"]} == {"I016"}
    rc, out, _ = cli(monkeypatch, capsys, "check", bad, "--ignore", "I016,P00", "--format", "json")
    assert rc == 0 and json.loads(out)["files"][0]["findings"] == []
    rc, out, _ = cli(monkeypatch, capsys, "check", bad, "--ignore", "I016", "--strict")
    assert rc == 1 and "P003" in out and "I016" not in out


def test_rulebook_option(monkeypatch, capsys, clean, tmp_path):
    rb = tmp_path / "rules.toml"
    rb.write_text('[rules]\n"I016" = "off"\n', "utf-8")
    rc, out, _ = cli(monkeypatch, capsys, "check", clean, "--rules", rb, "--strict")
    assert rc == 0 and "I016" not in out
    broken = tmp_path / "broken.toml"
    broken.write_text("[rules\n", "utf-8")
    rc, _, err = cli(monkeypatch, capsys, "check", clean, "--rules", broken)
    assert rc == 2 and "broken.toml" in err


def test_year_option(monkeypatch, capsys, clean):
    rc, out, _ = cli(monkeypatch, capsys, "check", clean, "--year", "2024", "--format", "json")
    assert rc == 1
    assert [f["code"] for f in json.loads(out)["files"][0]["findings"]][0] == "X003"


def test_rules_table_and_one_rule(monkeypatch, capsys):
    rc, out, _ = cli(monkeypatch, capsys, "rules")
    assert rc == 0
    for code in ("P001", "B001", "S001", "G001", "I016", "T004", "X001"):
        assert code in out
    rc, out, _ = cli(monkeypatch, capsys, "rules", "b001")
    assert rc == 0
    assert "budget-balance" in out and "预算执行表合计数与明细不符" in out and "原因：资金总额应等于" in out
    assert "budget total does not equal" not in out  # one language at a time
    rc, out, _ = cli(monkeypatch, capsys, "rules", "b001", "--lang", "en")
    assert rc == 0
    assert "title: budget total does not equal its parts" in out and "why: Total funds equal the four sources" in out
    assert "合计数" not in out and "原因" not in out
    rc, out, _ = cli(monkeypatch, capsys, "rules", "--lang", "en")
    assert rc == 0 and "budget total does not equal its parts" in out and "预算执行表合计数与明细不符" not in out
    rc, out, _ = cli(monkeypatch, capsys, "rules", "I016", "--format", "json")
    assert rc == 0 and json.loads(out)["severity"] == "warning"
    rc, out, _ = cli(monkeypatch, capsys, "rules", "--format", "json")
    assert rc == 0 and {r["code"] for r in json.loads(out)} >= {"P001", "X003"}
    assert all(r["why_en"] and r["example_en"] for r in json.loads(out))


def test_rules_unknown_code_exits_2(monkeypatch, capsys):
    rc, out, err = cli(monkeypatch, capsys, "rules", "Z999")
    assert rc == 2 and "Z999" in err and out == ""


def test_importing_the_cli_stays_light():
    code = ("import sys, perfxl.cli; "
            "print([m for m in ('pandas', 'rich', 'perfxl.reader', 'perfxl.read.unit', 'perfxl.check', 'openpyxl') if m in sys.modules])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
