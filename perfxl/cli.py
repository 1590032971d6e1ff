"""The ``perfxl`` command line: parse, call one library function, render, exit.

Exit codes: 0 clean, 1 errors found (warnings too with ``--strict``), 2 usage error or
unreadable input.  Library errors are mapped to messages in :func:`main`; a traceback is
shown only with ``--debug`` (before or after the command).  Logic lives in the library,
never here.  What a person reads — help pages, usage errors, every line printed — is in
one language: Chinese, or English with ``--lang en`` (:mod:`perfxl.cli_help`).
"""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import Any, List, Optional

import typer
import typer.main
from typer.core import TyperCommand, TyperGroup

from perfxl import __version__
from perfxl.cli_help import Cmd, Param, Texts, debug_of, lang_of, render_help, usage_error
from perfxl.errors import PerfxlError
from perfxl.i18n import plural

# Every command's and parameter's words, in both languages (the help pages, the README's
# command table and the usage errors all come from here).
TEXTS = Texts(
    prog="perfxl",
    commands={
        "": Cmd("部门整体支出绩效自评表：生成模板、校验、评分、批量标注与汇总。",
                "Check, score and annotate department performance self-evaluation workbooks "
                "(部门整体支出绩效自评表)."),
        "template": Cmd(
            "生成空白自评表模板（财政局下发给各单位）", "write the blank workbook the bureau hands out",
            "分值和填报说明中的评分规则取自规则库；评价年度默认为上一年。",
            "The rulebook fills the 分值 column and the scoring rules of 填报说明; the year defaults to last year."),
        "check": Cmd(
            "校验自评表（文件或文件夹），列出需修改之处", "check workbooks (files or folders) and list what to fix",
            "文件夹递归查找 .xlsx .xlsm .xls .ods；锁定文件、其他类型的文件和 perfxl 自己的输出会跳过，各有一行说明。\n"
            "退出码：0 没有错误（加 --strict 时也没有警告）；1 有错误；2 用法错误或有文件无法读取。",
            "Folders are searched recursively for .xlsx .xlsm .xls .ods; lock files, other file types and "
            "perfxl's own outputs are skipped, each with a line saying so.\n"
            "Exit 0 when no file has an error (with --strict: no warning either), 1 when one has, "
            "2 for a usage error or an unreadable file."),
        "score": Cmd(
            "按规则库评分，与自评得分对照", "score workbooks by the rulebook, beside their self-scores",
            "评分不作判断：文件都能读取时退出码为 0（得分差异由 perfxl check 判断），有文件无法读取时为 2。",
            "Scoring does not judge: exit 0 when every file was read (perfxl check judges the gaps), "
            "2 for an unreadable file."),
        "batch": Cmd(
            "批量校验、评分、标注，生成汇总表", "check a batch, annotate each workbook, write the summary",
            "写出 OUTDIR/汇总表.xlsx、summary.json、findings.csv，以及 OUTDIR/annotated/ 中每个文件的标注副本。\n"
            "退出码：0 全部通过；1 有文件有错误或无法读取（批处理仍会完成并列出）；2 用法错误（输入不存在、没有工作簿、规则库有误）。",
            "Writes OUTDIR/汇总表.xlsx, summary.json, findings.csv and an annotated copy of each workbook "
            "in OUTDIR/annotated/.\nExit 0 when every file passed, 1 when a file has errors or could not be "
            "read (the batch still completes and lists it), 2 for a usage error (no such input, no workbook, "
            "a bad rulebook)."),
        "report": Cmd(
            "为每个单位生成绩效自评报告草稿（.docx）", "write each unit's 自评报告 draft (.docx)",
            "每个自评表写出 <单位>_<年度>_绩效自评报告.docx。\n"
            "退出码：0 草稿都来自没有错误的自评表；1 有自评表有错误（其草稿首页列出须修改之处）；2 用法错误、模板有误或有自评表无法读取。",
            "Writes <单位>_<年度>_绩效自评报告.docx per workbook.\nExit 0 when every draft comes from a workbook "
            "without errors, 1 when a workbook has errors (its draft's first page lists them), 2 for a usage error, "
            "a bad template or a workbook that cannot be read."),
        "rules": Cmd("列出校验规则，或显示一条规则的详情", "list the rules, or show one in full"),
        "serve": Cmd(
            "启动网页：各部门上传、校验、提交，财政局查看收件箱", "run the web page for clerks and the bureau",
            "第一次启动（或加 --init）时打印财政局的管理链接；财政局在那里添加部门，并把上传链接发给各部门。所有数据保存在数据文件夹中。",
            "The first start (or --init) prints the bureau's admin link; the bureau adds departments there and "
            "sends each its upload link. Everything is kept in the data folder."),
    },
    params={
        "help": Param("显示本帮助并退出", "show this help and exit"),
        "version": Param("显示版本并退出", "show the version and exit"),
        "lang": Param("语言：zh 中文，en 英文", "language: zh Chinese, en English", "zh|en", "zh"),
        "debug": Param("出错时显示 traceback", "show a traceback on errors"),
        "rules": Param("规则库 TOML 文件（默认：财预〔2020〕10号）", "rulebook file (default: 财预〔2020〕10号)", "FILE"),
        "fmt": Param("输出格式", "output format", "text|json", "text"),
        "files": Param("自评表文件或文件夹（文件夹递归查找）", "workbooks, or folders searched recursively", "FILE"),
        "select": Param("只检查这些代码，逗号分隔，可用前缀（如 B,I01）",
                        "only these codes or prefixes, comma-separated (e.g. B,I01)", "CODES"),
        "ignore": Param("不检查这些代码或前缀", "skip these codes or prefixes", "CODES"),
        "strict": Param("警告也视为不通过", "warnings fail too"),
        "year": Param("本批次的评价年度（年度不同的文件报 X003）",
                      "the batch's evaluation year (a file of another year gets X003)", "YEAR"),
        "template.output": Param("输出文件（默认：部门整体支出绩效自评表.xlsx 或 项目支出绩效自评表.xlsx）",
                                 "output file (default: the form's Chinese title, .xlsx)", "FILE"),
        "template.kind": Param("模板种类：dept 部门整体支出绩效自评表，project 项目支出绩效自评表",
                               "the kind: dept the overall workbook, project the project form", "dept|project", "dept"),
        "template.year": Param("评价年度（默认：上一年）", "evaluation year (default: last year)", "YEAR"),
        "batch.inputs": Param("自评表文件或文件夹（递归查找）", "workbooks, or folders searched recursively", "INPUT"),
        "batch.output": Param("输出文件夹（汇总表.xlsx、annotated/ 等）", "output folder (汇总表.xlsx, annotated/, …)",
                              "OUTDIR"),
        "jobs": Param("并行进程数（默认：CPU 核数；1 = 不并行）", "worker processes (default: the CPUs; 1 = none)", "N"),
        "timeout": Param("每个文件的时限，秒（默认：规则库的 timeout_seconds）",
                         "seconds per file (default: the rulebook's timeout_seconds)", "SECONDS"),
        "code": Param("规则代码，如 B001", "a rule code such as B001", "CODE"),
        "reports": Param("同时生成各单位报告草稿和全县报告（OUTDIR/reports）",
                         "also write the units' drafts and the county report (OUTDIR/reports)"),
        "report_template": Param("单位报告模板 .docx", "the units' report template (.docx)", "FILE"),
        "county_template": Param("全县报告模板 .docx", "the county report's template (.docx)", "FILE"),
        "pdf": Param("同时用 LibreOffice 生成 PDF", "also write PDFs (needs LibreOffice)"),
        "report.output": Param("输出文件夹", "output folder", "FOLDER", "."),
        "report.template_file": Param("报告模板 .docx（默认：内置模板）", "report template (default: the shipped one)",
                                      "FILE"),
        "serve.data": Param("数据文件夹（数据库与上传的文件）", "data folder (database and uploads)", "FOLDER",
                            "perfxl-data"),
        "serve.host": Param("监听地址（办公网内用 0.0.0.0）", "address to listen on (0.0.0.0: the office network)",
                            "ADDRESS", "127.0.0.1"),
        "serve.port": Param("端口", "port", "PORT", "8000"),
        "serve.init": Param("生成新的管理链接（旧链接失效）", "issue a new admin link (the old one stops working)"),
        "check.jobs": Param("并行进程数（默认：200 个文件起用全部 CPU 核，否则 1；1 = 不并行）",
                            "worker processes (default: every CPU from 200 files on, else 1; 1 = none)", "N"),
        "serve.jobs": Param("校验进程数（默认：CPU 核数）", "worker processes for checks (default: the CPUs)", "N"),
    },
)

_state: dict[str, Any] = {"debug": False, "lang": "zh"}


class _Help:
    """Help pages written by :func:`perfxl.cli_help.render_help` in the chosen language."""

    def format_help(self, ctx: Any, formatter: Any) -> None:
        formatter.write(render_help(ctx, TEXTS, _state["lang"]))


class _Group(_Help, TyperGroup):
    pass


class _Command(_Help, TyperCommand):
    pass


def _h(key: str) -> str:
    return TEXTS.params[key].zh


def _c(name: str) -> dict[str, Any]:
    """The keyword arguments of ``app.command`` for a command: its class and help."""
    return {"cls": _Command, "help": TEXTS.commands[name].zh, "short_help": TEXTS.commands[name].zh}


app = typer.Typer(
    name="perfxl",
    cls=_Group,
    help=TEXTS.commands[""].zh,
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


class Format(str, Enum):
    text = "text"
    json = "json"


class Lang(str, Enum):
    zh = "zh"
    en = "en"


class KindName(str, Enum):
    dept = "dept"
    project = "project"


def _version(value: bool) -> None:
    if value:
        typer.echo(f"perfxl {__version__}")
        raise typer.Exit(0)


def _common(lang: Optional[Lang], debug: bool) -> str:
    """Apply a command's --lang/--debug (main() has already seen them; kept for callers
    that run the app directly) and return the language."""
    if debug:
        _state["debug"] = True
    if lang is not None:
        _state["lang"] = lang.value
    return _state["lang"]


LangOpt = typer.Option(None, "--lang", metavar="zh|en", help=_h("lang"))
DebugOpt = typer.Option(False, "--debug", help=_h("debug"))
RulesOpt = typer.Option(None, "--rules", metavar="FILE", help=_h("rules"))
FormatOpt = typer.Option(Format.text, "--format", metavar="text|json", help=_h("fmt"))
SelectOpt = typer.Option(None, "--select", metavar="CODES", help=_h("select"))
IgnoreOpt = typer.Option(None, "--ignore", metavar="CODES", help=_h("ignore"))
YearOpt = typer.Option(None, "--year", metavar="YEAR", help=_h("year"))
PdfOpt = typer.Option(False, "--pdf", help=_h("pdf"))


@app.callback()
def _root(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help=_h("version")),
    lang: Optional[Lang] = LangOpt,
    debug: bool = DebugOpt,
) -> None:
    _common(lang, debug)


def _say(zh: str, en: str, err: bool = False) -> None:
    typer.echo(en if _state["lang"] == "en" else zh, err=err)


def _print_skipped(skipped: Any, lang: str) -> None:
    from perfxl.render import skipped_line

    for s in skipped:
        typer.echo(skipped_line(s, lang), err=True)


def _found(report: Any, lang: str) -> None:
    """Say which inputs were skipped; stop (exit 2) when no workbook was left to read."""
    from perfxl.inputs import NoWorkbook

    _print_skipped(report.skipped, lang)
    if not report.files:
        raise NoWorkbook(report.skipped)


# --- the commands, in the order of a session ---------------------------------------------


@app.command(**_c("template"))
def template(
    output: Optional[Path] = typer.Option(None, "-o", "--output", metavar="FILE", help=_h("template.output")),
    kind: KindName = typer.Option(KindName.dept, "--kind", metavar="dept|project", help=_h("template.kind")),
    year: Optional[int] = typer.Option(None, "--year", metavar="YEAR", help=_h("template.year")),
    rules: Optional[Path] = RulesOpt,
    lang: Optional[Lang] = LangOpt,
    debug: bool = DebugOpt,
) -> None:
    from perfxl.kinds import KINDS
    from perfxl.rulebook import load_rulebook
    from perfxl.template import write_template

    _common(lang, debug)
    output = output or Path(f"{KINDS[kind.value].title}.xlsx")
    path = write_template(output, year=year, rulebook=load_rulebook(rules), kind=kind.value)
    _say(f"已生成模板：{path}", f"wrote the template: {path}", err=True)


def _codes(value: Optional[str], option: str) -> tuple[str, ...]:
    """'B,I01' → ('B', 'I01'); every selector must match a rule code (else a usage error)."""
    if not value:
        return ()
    from perfxl.check import all_codes
    from perfxl.errors import UsageError

    sel = tuple(s.strip().upper() for s in value.split(",") if s.strip())
    known = all_codes()
    for s in sel:
        if not any(c.startswith(s) for c in known):
            raise UsageError(f"{option} {s}：没有以此开头的规则代码（perfxl rules 列出全部）",
                             message_en=f"{option} {s}: no rule code starts with {s} (see perfxl rules)")
    return sel


@app.command(**_c("check"))
def check(
    files: List[Path] = typer.Argument(..., metavar="FILE", help=_h("files")),
    rules: Optional[Path] = RulesOpt,
    fmt: Format = FormatOpt,
    lang: Optional[Lang] = LangOpt,
    select: Optional[str] = SelectOpt,
    ignore: Optional[str] = IgnoreOpt,
    strict: bool = typer.Option(False, "--strict", help=_h("strict")),
    year: Optional[int] = YearOpt,
    jobs: Optional[int] = typer.Option(None, "--jobs", "-j", metavar="N", help=_h("check.jobs")),
    debug: bool = DebugOpt,
) -> None:
    import json

    from perfxl.check import CheckOptions
    from perfxl.check_pool import check_paths
    from perfxl.rulebook import load_rulebook

    language = _common(lang, debug)
    options = CheckOptions(
        rulebook=load_rulebook(rules), select=_codes(select, "--select"), ignore=_codes(ignore, "--ignore"),
        strict=strict, year=year, debug=_state["debug"],
    )
    report = check_paths(files, options, jobs)
    _found(report, language)
    if fmt == Format.json:
        typer.echo(json.dumps(report.to_dict(language), ensure_ascii=False, indent=2))
    else:
        from perfxl.render import render_report

        render_report(report, lang=language, strict=strict)
    raise typer.Exit(report.exit_code(strict))


@app.command(**_c("score"))
def score(
    files: List[Path] = typer.Argument(..., metavar="FILE", help=_h("files")),
    rules: Optional[Path] = RulesOpt,
    fmt: Format = FormatOpt,
    lang: Optional[Lang] = LangOpt,
    debug: bool = DebugOpt,
) -> None:
    import json

    from perfxl.rulebook import load_rulebook
    from perfxl.score_report import score_paths, scores_to_dict

    language = _common(lang, debug)
    report = score_paths(files, load_rulebook(rules))
    _found(report, language)
    if fmt == Format.json:
        typer.echo(json.dumps(scores_to_dict(report, language), ensure_ascii=False, indent=2))
    else:
        from perfxl.render_score import render_scores

        render_scores(report, lang=language)
    raise typer.Exit(2 if report.unreadable else 0)


@app.command(**_c("batch"))
def batch(
    inputs: List[Path] = typer.Argument(..., metavar="INPUT", help=_h("batch.inputs")),
    output: Path = typer.Option(..., "-o", "--output", metavar="OUTDIR", help=_h("batch.output")),
    jobs: Optional[int] = typer.Option(None, "--jobs", "-j", metavar="N", help=_h("jobs")),
    rules: Optional[Path] = RulesOpt,
    year: Optional[int] = YearOpt,
    timeout: Optional[float] = typer.Option(None, "--timeout", metavar="SECONDS", help=_h("timeout")),
    select: Optional[str] = SelectOpt,
    ignore: Optional[str] = IgnoreOpt,
    reports: bool = typer.Option(False, "--reports", help=_h("reports")),
    report_template: Optional[Path] = typer.Option(None, "--report-template", metavar="FILE",
                                                   help=_h("report_template")),
    county_template: Optional[Path] = typer.Option(None, "--county-template", metavar="FILE",
                                                   help=_h("county_template")),
    pdf: bool = PdfOpt,
    lang: Optional[Lang] = LangOpt,
    debug: bool = DebugOpt,
) -> None:
    from perfxl.batch import BatchOptions, rich_progress, run_batch
    from perfxl.render import batch_lines
    from perfxl.rulebook import load_rulebook

    language = _common(lang, debug)
    rulebook = load_rulebook(rules)
    report_options = None
    if reports or report_template or county_template or pdf:
        from perfxl.writeup import ReportOptions

        report_options = ReportOptions(template=report_template, county_template=county_template, pdf=pdf)
    with rich_progress(language) as progress:
        result = run_batch(inputs, output, BatchOptions(
            jobs=jobs, rulebook=rulebook, year=year, timeout=timeout, progress=progress,
            select=_codes(select, "--select"), ignore=_codes(ignore, "--ignore"), reports=report_options,
        ))
    _print_skipped(result.skipped, language)
    for line in batch_lines(result, language):
        typer.echo(line)
    if result.reports is not None:
        _say_reports(result.reports, each=False)
    raise typer.Exit(result.exit_code)


def _say_reports(result: Any, each: bool = True) -> None:
    """What `report` (each draft) and `batch --reports` (a count) wrote, and what not."""
    for d in result.drafts:
        if d.not_drafted:  # a project form: named once by `report`, silently left out of the batch's count
            if each:
                _say(str(d.problem), getattr(d.problem, "en", str(d.problem)), err=True)
        elif d.path is None:
            if each or d.status != "无法读取":  # the batch lists unreadable files already
                _say(f"未生成报告草稿 {d.source}：{d.problem}", f"no draft for {d.source}: {d.problem}", err=True)
        elif not each:
            continue
        elif d.errors:
            _say(f"已写入 {d.path}（自评表有 {d.errors} 个错误，首页列出须修改之处）",
                 f"wrote {d.path} (the workbook has {plural(d.errors, 'error')}; its first page lists what to fix)")
        else:
            _say(f"已写入 {d.path}", f"wrote {d.path}")
        if each and d.pdf is not None:
            _say(f"已写入 {d.pdf}", f"wrote {d.pdf}")
    if not each:
        drafts = [d for d in result.drafts if d.path is not None]
        if drafts:
            folder = drafts[0].path.parent
            fix = sum(1 for d in drafts if d.errors)
            pdfs = any(d.pdf is not None for d in drafts)
            _say(f"已写入 {len(drafts)} 份报告草稿：{folder}" + (f"（{fix} 份首页列出须修改之处）" if fix else "")
                 + ("，及其 PDF" if pdfs else ""),
                 f"wrote {plural(len(drafts), 'draft')} in {folder}" + (f" ({fix} list what to fix first)" if fix else "")
                 + (", with PDFs" if pdfs else ""))
    for p in (result.county, result.county_pdf):
        if p is not None:
            _say(f"已写入 {p}", f"wrote {p}")
    for kept, new in result.kept:
        _say(f"保留 {kept}（已被修改或不是 perfxl 写的），新草稿写为 {new.name}",
             f"kept {kept} (edited, or not written by perfxl); the new draft is {new.name}", err=True)
    if result.pdf_note:
        _say(f"注意：{result.pdf_note}", f"note: {result.pdf_note}", err=True)


@app.command(**_c("report"))
def report(
    files: List[Path] = typer.Argument(..., metavar="FILE", help=_h("files")),
    output: Path = typer.Option(Path("."), "-o", "--output", metavar="FOLDER", help=_h("report.output")),
    template_file: Optional[Path] = typer.Option(None, "--template", metavar="FILE", help=_h("report.template_file")),
    pdf: bool = PdfOpt,
    rules: Optional[Path] = RulesOpt,
    lang: Optional[Lang] = LangOpt,
    debug: bool = DebugOpt,
) -> None:
    from perfxl.rulebook import load_rulebook
    from perfxl.writeup import ReportOptions, write_reports

    _common(lang, debug)
    result = write_reports(files, output, ReportOptions(template=template_file, pdf=pdf, rulebook=load_rulebook(rules)))
    _say_reports(result)
    raise typer.Exit(result.exit_code)


@app.command("rules", **_c("rules"))
def rules_cmd(
    code: Optional[str] = typer.Argument(None, metavar="CODE", help=_h("code")),
    fmt: Format = FormatOpt,
    lang: Optional[Lang] = LangOpt,
    debug: bool = DebugOpt,
) -> None:
    import json

    from perfxl.catalogue import catalogue, get_rule
    from perfxl.errors import UsageError

    language = _common(lang, debug)
    if code is None:
        items = catalogue()
        if fmt == Format.json:
            typer.echo(json.dumps([r.to_dict() for r in items], ensure_ascii=False, indent=2))
        else:
            from perfxl.render import render_rules

            render_rules(items, lang=language)
        return
    try:
        r = get_rule(code.strip().upper())
    except KeyError:
        raise UsageError(f"没有规则 {code}（perfxl rules 列出全部规则）",
                         message_en=f"no rule {code} (perfxl rules lists them all)") from None
    if fmt == Format.json:
        typer.echo(json.dumps(r.to_dict(), ensure_ascii=False, indent=2))
    else:
        from perfxl.render import render_rule

        render_rule(r, lang=language)


@app.command(**_c("serve"))
def serve(
    data: Path = typer.Option(Path("perfxl-data"), "--data", metavar="FOLDER", help=_h("serve.data")),
    host: str = typer.Option("127.0.0.1", "--host", metavar="ADDRESS", help=_h("serve.host")),
    port: int = typer.Option(8000, "--port", metavar="PORT", help=_h("serve.port")),
    init: bool = typer.Option(False, "--init", help=_h("serve.init")),
    jobs: Optional[int] = typer.Option(None, "--jobs", "-j", metavar="N", help=_h("serve.jobs")),
    rules: Optional[Path] = RulesOpt,
    lang: Optional[Lang] = LangOpt,
    debug: bool = DebugOpt,
) -> None:
    from perfxl.rulebook import load_rulebook
    from perfxl.serve import serve as run

    _common(lang, debug)
    run(data, host=host, port=port, init=init, rulebook=load_rulebook(rules), jobs=jobs, echo=typer.echo)


def main(argv: Optional[List[str]] = None) -> None:
    """Entry point: run the app, mapping library errors to exit code 2."""
    from perfxl.gctune import tune

    tune()  # this process is perfxl's own (see perfxl.gctune)
    args = list(sys.argv[1:] if argv is None else argv)
    _state["lang"], _state["debug"] = lang_of(args), debug_of(args)
    en = _state["lang"] == "en"
    try:
        rc = app(args=args, prog_name="perfxl", standalone_mode=False)
        sys.exit(rc if isinstance(rc, int) else 0)
    except typer.Exit as e:
        sys.exit(e.exit_code)
    except PerfxlError as e:
        if _state["debug"]:
            raise
        typer.echo(f"{'error' if en else '错误'} [{e.code}] {e.text(_state['lang'])}", err=True)
        sys.exit(2)
    except typer.Abort:
        sys.exit(130)
    except Exception as e:  # noqa: BLE001 - the one place unexpected errors are mapped
        if type(e).__name__ == "NoArgsIsHelpError" and getattr(e, "ctx", None) is not None:
            typer.echo(render_help(e.ctx, TEXTS, _state["lang"]), nl=False)
            sys.exit(0)
        if callable(getattr(e, "show", None)) and hasattr(e, "exit_code"):  # a click/typer usage error
            typer.echo(usage_error(e, TEXTS, _state["lang"], args, typer.main.get_command(app)), err=True)
            sys.exit(2 if e.exit_code else 0)
        if _state["debug"]:
            raise
        if en:
            typer.echo(f"internal error: {type(e).__name__}: {e}\n(rerun with --debug for details)", err=True)
        else:
            typer.echo(f"内部错误：{type(e).__name__}: {e}\n（加 --debug 查看详情）", err=True)
        sys.exit(2)
