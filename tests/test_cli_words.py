"""What the command line says: help pages that read well, usage errors in one language
(Chinese by default, English with --lang en), --debug before or after the command, English
messages as English sentences, and the README's command table generated from the CLI."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import typer.main
from _cli import run as cli
from _cli import script

from perfxl.check import CheckOptions, check_paths
from perfxl.cli import TEXTS, app, main
from perfxl.cli_help import width
from perfxl.rulebook import default_rulebook

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
SESSION = ["template", "check", "score", "batch", "report", "rules"]
COMMANDS = [*SESSION, "serve"]  # the web page runs apart from a session
CJK = re.compile(r"[\u4e00-\u9fff]")


# --- help ----------------------------------------------------------------------------


def test_commands_are_listed_in_the_order_of_a_session_with_whole_summaries(monkeypatch, capsys) -> None:
    rc, out, _ = cli(monkeypatch, capsys, "--help")
    assert rc == 0
    listed = out.split("命令（按使用顺序）：")[1].split()
    assert [w for w in listed if w in SESSION] == SESSION
    for name in SESSION:
        assert f"{name}  " in out and TEXTS.commands[name].zh in out  # never cut off
    rc, out, _ = cli(monkeypatch, capsys, "--help", "--lang", "en")
    for name in SESSION:
        assert TEXTS.commands[name].en in out
    assert "Commands (in the order of a session):" in out and "命令" not in out


@pytest.mark.parametrize("command, usage", [
    ("check", "用法：perfxl check [选项] FILE..."),
    ("score", "用法：perfxl score [选项] FILE..."),
    ("batch", "用法：perfxl batch [选项] INPUT..."),
    ("rules", "用法：perfxl rules [选项] [CODE]"),
    ("template", "用法：perfxl template [选项]"),
])
def test_usage_lines_name_the_arguments(command: str, usage: str, monkeypatch, capsys) -> None:
    rc, out, _ = cli(monkeypatch, capsys, command, "--help")
    assert rc == 0
    assert out.splitlines()[0] == usage
    assert "{" not in out and "<list" not in out and "<path>" not in out and "<str>" not in out


def test_help_lists_every_option_with_its_value(monkeypatch, capsys) -> None:
    rc, out, _ = cli(monkeypatch, capsys, "batch", "--help", "--lang", "en")
    for option in ("-o, --output OUTDIR", "-j, --jobs N", "--rules FILE", "--year YEAR", "--timeout SECONDS",
                   "--select CODES", "--ignore CODES", "--lang zh|en", "--debug", "--help"):
        assert option in out, option
    assert not CJK.search(out.replace("汇总表.xlsx", "").replace("财预〔2020〕10号", ""))
    # lines fit 80 columns, Chinese or English
    for lang in ("zh", "en"):
        for command in COMMANDS:
            rc, out, _ = cli(monkeypatch, capsys, command, "--help", "--lang", lang)
            assert max(width(line) for line in out.splitlines()) <= 80, (command, lang)


def test_every_parameter_has_help_in_both_languages() -> None:
    group = typer.main.get_command(app)
    for name, command in group.commands.items():  # type: ignore[attr-defined]
        assert TEXTS.commands[name].zh and TEXTS.commands[name].en
        for p in command.params:
            h = TEXTS.param(name, p.name)
            assert CJK.search(h.zh) and h.en and not CJK.search(h.en.replace("财预〔2020〕10号", "")
                                                                   .replace("汇总表.xlsx", "")), (name, p.name)


def _generator():
    return script("gen_readme_commands")


def test_readme_command_table_is_generated_from_the_cli() -> None:
    gen = _generator()
    text = (ROOT / "README.md").read_text("utf-8")
    assert gen.START in text and gen.END in text, "run python scripts/gen_readme_commands.py"
    assert gen.updated(text) == text, "README command table is out of date: run python scripts/gen_readme_commands.py"
    table = gen.render_table()
    for option in ("check FILE...", "--year YEAR", "batch INPUT... -o OUTDIR", "--timeout SECONDS",
                   "--select CODES", "--ignore CODES", "--lang zh\\|en", "rules [CODE]"):
        assert option in table, option
    assert [line.split("`perfxl ")[1].split()[0] for line in table.splitlines()[2:]] == COMMANDS


def test_the_generator_notices_a_new_option() -> None:
    gen = _generator()
    stale = gen.updated("# perfxl\n").replace("[--timeout SECONDS] ", "")
    assert gen.updated(stale) != stale


# --- usage errors and --debug ----------------------------------------------------------


@pytest.mark.parametrize("args, zh, en", [
    (["check", "x.xlsx", "--nosuch"], "错误：没有 --nosuch 这个选项。", "Error: No such option: --nosuch."),
    (["batch", "x.xlsx"], "错误：缺少选项 -o / --output。", "Error: Missing option -o / --output."),
    (["check"], "错误：缺少参数 FILE。", "Error: Missing argument FILE."),
    (["check", "x.xlsx", "--format", "yaml"], "错误：--format 的值 'yaml' 无效，应为 text、json 之一。",
     "Error: Invalid value 'yaml' for --format: expected one of text, json."),
    (["check", "x.xlsx", "--year"], "错误：选项 --year 需要一个值。", "Error: Option --year needs a value."),
    (["nosuch"], "错误：没有 nosuch 这个命令（可用：template、check、score、batch、report、rules、serve）。",
     "Error: No such command: nosuch (commands: template, check, score, batch, report, rules, serve)."),
    (["rules", "B001", "B002"], "错误：多余的参数：B002。", "Error: Unexpected extra argument: B002."),
])
def test_usage_errors_in_one_language(args: list[str], zh: str, en: str, monkeypatch, capsys) -> None:
    rc, out, err = cli(monkeypatch, capsys, *args)
    assert rc == 2 and out == ""
    assert err.strip().splitlines()[-1] == zh
    assert err.startswith("用法：perfxl")
    rc, out, err = cli(monkeypatch, capsys, "--lang", "en", *args)  # before the command, or after it
    assert rc == 2 and out == ""
    assert err.strip().splitlines()[-1] == en
    assert err.startswith("Usage: perfxl") and not CJK.search(err)


def test_debug_works_after_the_command(tmp_path: Path, monkeypatch, capsys) -> None:
    broken = tmp_path / "broken.toml"
    broken.write_text("[rules\n", "utf-8")
    for args in (["--debug", "check", str(SAMPLES / "007_示例县司法局.xlsx"), "--rules", str(broken)],
                 ["check", str(SAMPLES / "007_示例县司法局.xlsx"), "--rules", str(broken), "--debug"]):
        monkeypatch.setattr(sys, "argv", ["perfxl", *args])
        with pytest.raises(Exception) as e:  # the traceback: the error itself, not a mapped exit
            main()
        assert type(e.value).__name__ == "RulebookError"
    rc, _, err = cli(monkeypatch, capsys, "check", str(SAMPLES / "007_示例县司法局.xlsx"), "--rules", broken)
    assert rc == 2 and "Traceback" not in err and "broken.toml" in err


# --- English messages ------------------------------------------------------------------


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The samples and one broken input per guard (scripts/make_bad_inputs.py)."""
    out = tmp_path_factory.mktemp("bad")
    subprocess.run([sys.executable, str(ROOT / "scripts" / "make_bad_inputs.py"), "--out", str(out)], check=True,
                   capture_output=True)
    return out


def test_english_messages_are_english_sentences(corpus: Path) -> None:
    report = check_paths([SAMPLES, corpus], CheckOptions(default_rulebook()))
    seen = set()
    for fr in report.files:
        for f in fr.findings:
            m = f.message("en")
            seen.add(f.code)
            own = re.sub(r"“[^”]*”", "“”", m)  # text quoted from the workbook is the clerk's own
            assert not re.search(r"[、，。；：！？（）]", own), (f.code, m)  # English list separators and stops
            assert m[0].isupper() or m[0] in "“\"'(0123456789" or CJK.match(m), (f.code, m)  # or a sheet's label
            assert m.endswith((".", "?", "!")), (f.code, m)
    assert len(seen) >= 20  # the corpus reaches many rules


def test_json_keeps_stable_values_whatever_the_language(monkeypatch, capsys) -> None:
    path = SAMPLES / "009_示例县人力资源和社会保障局.xlsx"
    rc, zh, _ = cli(monkeypatch, capsys, "check", path, "--format", "json")
    rc, en, _ = cli(monkeypatch, capsys, "check", path, "--format", "json", "--lang", "en")
    zh_d, en_d = json.loads(zh), json.loads(en)

    def stable(d: dict) -> list:
        return [(f["status"], [(g["code"], g["severity"], g["cell"], g["expected"], g["actual"])
                               for g in f["findings"]]) for f in d["files"]]

    assert stable(zh_d) == stable(en_d)
    assert zh_d["files"][0]["status"] == "needs-changes"
    assert zh_d["files"][0]["status_text"] == "需修改" and en_d["files"][0]["status_text"] == "Needs changes"


def test_batch_speaks_one_language(tmp_path: Path, monkeypatch, capsys) -> None:
    inbox = tmp_path / "in"
    inbox.mkdir()
    for name in ("007_示例县司法局.xlsx", "009_示例县人力资源和社会保障局.xlsx"):
        (inbox / name).write_bytes((SAMPLES / name).read_bytes())
    (inbox / "~$x.xlsx").write_bytes(b"lock")
    rc, out, err = cli(monkeypatch, capsys, "batch", inbox, "-o", tmp_path / "out", "-j", "1", "--lang", "en")
    assert rc == 1
    lines = out.strip().splitlines()
    assert lines[0] == "2 files: 1 passed, 1 to fix, 0 unreadable; 1 skipped"
    assert lines[-1].startswith("wrote 2 annotated copies in ")
    assert "skipped" in err and "lock file" in err
    assert not CJK.search("\n".join(lines).replace("汇总表", "")) and not CJK.search(
        err.replace(str(inbox), "").replace("~$x.xlsx", ""))
