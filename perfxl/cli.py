"""The ``perfxl`` command line: parse, call one library function, render, exit.

Exit codes: 0 clean, 1 errors found (warnings too with ``--strict``), 2 usage error or
unreadable input.  Library errors are mapped to messages in :func:`main`; a traceback is
shown only with ``--debug``.  Logic lives in the library, never here.
"""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import Any, List, Optional

import typer

from perfxl import __version__
from perfxl.errors import PerfxlError

app = typer.Typer(
    name="perfxl",
    help=(
        "部门整体支出绩效自评表：生成模板、校验、评分、标注、汇总。\n\n"
        "Check, score and annotate department performance self-evaluation workbooks."
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

_state = {"debug": False}


class Format(str, Enum):
    text = "text"
    json = "json"


class Lang(str, Enum):
    zh = "zh"
    en = "en"


def _version(value: bool) -> None:
    if value:
        typer.echo(f"perfxl {__version__}")
        raise typer.Exit(0)


@app.callback()
def _root(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="显示版本 / show the version."),
    debug: bool = typer.Option(False, "--debug", help="出错时显示 traceback / show tracebacks on errors."),
) -> None:
    _state["debug"] = debug


RulesOpt = typer.Option(None, "--rules", help="规则库 TOML 文件 / rulebook file (default: 财预〔2020〕10号).")
TemplateOpt = typer.Option(None, "--template", help="报告模板 .docx（默认用内置模板）/ report template (default: the shipped one).")
PdfOpt = typer.Option(False, "--pdf", help="同时用 LibreOffice 生成 PDF / also write PDFs (needs LibreOffice).")


@app.command()
def template(
    output: Path = typer.Option(Path("部门整体支出绩效自评表.xlsx"), "-o", "--output", help="输出文件 / output file."),
    year: Optional[int] = typer.Option(None, "--year", help="评价年度 / evaluation year (default: last year)."),
    rules: Optional[Path] = RulesOpt,
) -> None:
    """生成空白自评表模板 / write the blank workbook the bureau hands out."""
    from perfxl.rulebook import load_rulebook
    from perfxl.template import write_template

    path = write_template(output, year=year, rulebook=load_rulebook(rules))
    typer.echo(f"已生成模板 wrote {path}", err=True)


@app.command()
def score(
    files: List[Path] = typer.Argument(..., help="自评表文件 / workbooks to score."),
    rules: Optional[Path] = RulesOpt,
    fmt: Format = typer.Option(Format.text, "--format", help="输出格式 / output format."),
) -> None:
    """按规则库评分，与自评得分对照 / score workbooks beside their self-scores.

    Exit 0 when every file was read (a gap between self-score and computed score is a
    result, not a failure: `perfxl check` judges it); 2 for an unreadable file.
    """
    import json

    from perfxl.rulebook import load_rulebook
    from perfxl.score import score_files, scores_to_dict

    report = score_files(files, load_rulebook(rules))
    if fmt == Format.json:
        typer.echo(json.dumps(scores_to_dict(report), ensure_ascii=False, indent=2))
    else:
        from perfxl.render_score import render_scores

        render_scores(report)
    raise typer.Exit(2 if report.unreadable else 0)


@app.command("rules")
def rules_cmd(
    code: Optional[str] = typer.Argument(None, help="规则代码，如 B001 / a rule code such as B001."),
    fmt: Format = typer.Option(Format.text, "--format", help="输出格式 / output format."),
) -> None:
    """列出校验规则，或显示一条规则的详情 / list the rules, or show one in full."""
    import json

    from perfxl.findings import catalogue, get_rule

    if code is None:
        items = catalogue()
        if fmt == Format.json:
            typer.echo(json.dumps([r.to_dict() for r in items], ensure_ascii=False, indent=2))
        else:
            from perfxl.render import render_rules

            render_rules(items)
        return
    try:
        r = get_rule(code.strip().upper())
    except KeyError:
        typer.echo(f"错误 error: 没有规则 {code} / no rule {code}（perfxl rules 列出全部 / list them all）", err=True)
        raise typer.Exit(2) from None
    if fmt == Format.json:
        typer.echo(json.dumps(r.to_dict(), ensure_ascii=False, indent=2))
    else:
        from perfxl.render import render_rule

        render_rule(r)


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
            raise UsageError(f"{option} {s}: 没有以此开头的规则代码 / no rule code starts with {s} (see `perfxl rules`)")
    return sel


@app.command()
def check(
    files: List[Path] = typer.Argument(..., help="自评表文件 / workbooks to check."),
    rules: Optional[Path] = RulesOpt,
    fmt: Format = typer.Option(Format.text, "--format", help="输出格式 / output format."),
    lang: Lang = typer.Option(Lang.zh, "--lang", help="提示语言 / message language."),
    select: Optional[str] = typer.Option(None, "--select", help="只检查这些代码（逗号分隔，可用前缀）/ only these codes or prefixes, comma-separated."),
    ignore: Optional[str] = typer.Option(None, "--ignore", help="忽略这些代码 / skip these codes or prefixes."),
    strict: bool = typer.Option(False, "--strict", help="警告也视为不通过 / warnings fail too."),
    year: Optional[int] = typer.Option(None, "--year", help="本批次评价年度 / the batch's evaluation year."),
) -> None:
    """校验自评表，列出需修改之处 / check workbooks and list what must be fixed.

    Exit 0 when no file has an error (or, with --strict, a warning), 1 when one has,
    2 for a usage error or an unreadable file.
    """
    import json

    from perfxl.check import CheckOptions, check_files
    from perfxl.rulebook import load_rulebook

    options = CheckOptions(
        rulebook=load_rulebook(rules), select=_codes(select, "--select"), ignore=_codes(ignore, "--ignore"),
        strict=strict, year=year, debug=_state["debug"],
    )
    report = check_files(files, options)
    if fmt == Format.json:
        typer.echo(json.dumps(report.to_dict(lang.value), ensure_ascii=False, indent=2))
    else:
        from perfxl.render import render_report

        render_report(report, lang=lang.value, strict=strict)
    raise typer.Exit(report.exit_code(strict))


@app.command()
def batch(
    inputs: List[Path] = typer.Argument(..., metavar="INPUT...", help="自评表文件或文件夹（递归）/ workbooks or folders (recursive)."),
    output: Path = typer.Option(..., "-o", "--output", help="输出文件夹 / output folder (汇总表.xlsx, annotated/, …)."),
    jobs: Optional[int] = typer.Option(None, "--jobs", "-j", help="并行进程数（默认 CPU 核数；1 = 不并行）/ worker processes."),
    rules: Optional[Path] = RulesOpt,
    year: Optional[int] = typer.Option(None, "--year", help="本批次评价年度 / the batch's evaluation year."),
    timeout: Optional[float] = typer.Option(None, "--timeout", help="每个文件的时限（秒；默认取规则库）/ seconds per file."),
    select: Optional[str] = typer.Option(None, "--select", help="只检查这些代码 / only these codes or prefixes."),
    ignore: Optional[str] = typer.Option(None, "--ignore", help="忽略这些代码 / skip these codes or prefixes."),
    reports: bool = typer.Option(False, "--reports", help="同时生成各单位报告草稿和全县报告 / also write the drafts and the county report (OUTPUT/reports)."),
    report_template: Optional[Path] = typer.Option(None, "--report-template", help="单位报告模板 .docx / the units' report template."),
    county_template: Optional[Path] = typer.Option(None, "--county-template", help="全县报告模板 .docx / the county report's template."),
    pdf: bool = PdfOpt,
) -> None:
    """批量校验、评分、标注，生成汇总表 / check a batch, annotate each file, write the summary.

    Writes OUTPUT/汇总表.xlsx, OUTPUT/summary.json, OUTPUT/findings.csv and one annotated
    copy per file in OUTPUT/annotated/.  Exit 0 when every file passed, 1 when a file has
    errors or could not be read (the batch still completes and lists it), 2 for a usage
    error (no such input, no workbook found, a bad rulebook).
    """
    from perfxl.batch import BatchOptions, rich_progress, run_batch
    from perfxl.rulebook import load_rulebook

    rulebook = load_rulebook(rules)
    report_options = None
    if reports or report_template or county_template or pdf:
        from perfxl.writeup import ReportOptions

        report_options = ReportOptions(template=report_template, county_template=county_template, pdf=pdf)
    with rich_progress() as progress:
        result = run_batch(inputs, output, BatchOptions(
            jobs=jobs, rulebook=rulebook, year=year, timeout=timeout, progress=progress,
            select=_codes(select, "--select"), ignore=_codes(ignore, "--ignore"), reports=report_options,
        ))
    for s in result.skipped:
        typer.echo(f"跳过 skipped {s.path}: {s.reason}", err=True)
    c = result.counts
    typer.echo(f"{len(result.rows)} 个文件 files：通过 {c['通过']}，需修改 {c['需修改']}，无法读取 {c['无法读取']}"
               f"；跳过 {len(result.skipped)} 个 skipped")
    for p in result.outputs:
        typer.echo(f"已写入 wrote {p}")
    typer.echo(f"已写入 wrote {len(result.annotated)} 个标注副本 annotated copies in {result.outdir / 'annotated'}")
    if result.reports is not None:
        _say_reports(result.reports, each=False)
    raise typer.Exit(result.exit_code)


def _say_reports(result: Any, each: bool = True) -> None:
    """What `report` (each draft) and `batch --reports` (a count) wrote, and what not."""
    for d in result.drafts:
        if d.path is None:
            if each or d.status != "无法读取":  # the batch lists unreadable files already
                typer.echo(f"未生成 no draft for {d.source}: {d.problem}", err=True)
        elif not each:
            continue
        elif d.errors:
            typer.echo(f"已写入 wrote {d.path}（自评表有 {d.errors} 个错误，首页列出须修改之处 / first page lists what to fix）")
        else:
            typer.echo(f"已写入 wrote {d.path}")
        if each and d.pdf is not None:
            typer.echo(f"已写入 wrote {d.pdf}")
    if not each:
        drafts = [d for d in result.drafts if d.path is not None]
        if drafts:
            folder = drafts[0].path.parent
            fix = sum(1 for d in drafts if d.errors)
            pdfs = sum(1 for d in drafts if d.pdf is not None)
            typer.echo(f"已写入 wrote {len(drafts)} 份报告草稿 drafts in {folder}"
                       + (f"（{fix} 份首页列出须修改之处 / {fix} list what to fix first）" if fix else "")
                       + ("，及其 PDF / with PDFs" if pdfs else ""))
    for p in (result.county, result.county_pdf):
        if p is not None:
            typer.echo(f"已写入 wrote {p}")
    for kept, new in result.kept:
        typer.echo(f"保留 kept {kept}（已被修改或不是 perfxl 写的 / edited or not written by perfxl），"
                   f"新草稿写为 new draft written as {new.name}", err=True)
    if result.pdf_note:
        typer.echo(f"注意 note: {result.pdf_note}", err=True)


@app.command()
def report(
    files: List[Path] = typer.Argument(..., metavar="FILE...", help="自评表文件或文件夹 / workbooks or folders."),
    output: Path = typer.Option(Path("."), "-o", "--output", help="输出文件夹 / output folder (default: here)."),
    template_file: Optional[Path] = TemplateOpt,
    pdf: bool = PdfOpt,
    rules: Optional[Path] = RulesOpt,
) -> None:
    """为每个单位生成绩效自评报告草稿（.docx）/ write each unit's 自评报告 draft.

    Writes <单位>_<年度>_绩效自评报告.docx per workbook.  Exit 0 when every draft comes from
    a workbook without errors, 1 when a workbook has errors (its draft's first page lists
    them), 2 for a usage error, a bad template or a workbook that cannot be read.
    """
    from perfxl.rulebook import load_rulebook
    from perfxl.writeup import ReportOptions, write_reports

    result = write_reports(files, output, ReportOptions(template=template_file, pdf=pdf, rulebook=load_rulebook(rules)))
    _say_reports(result)
    raise typer.Exit(result.exit_code)


@app.command()
def serve(
    data: Path = typer.Option(Path("perfxl-data"), "--data", help="数据文件夹（数据库与上传的文件）/ data folder (database and uploads)."),
    host: str = typer.Option("127.0.0.1", "--host", help="监听地址（办公网内用 0.0.0.0）/ address to listen on (0.0.0.0: the office network)."),
    port: int = typer.Option(8000, "--port", help="端口 / port."),
    init: bool = typer.Option(False, "--init", help="生成新的管理链接（旧链接失效）/ issue a new admin link (the old one stops working)."),
    jobs: Optional[int] = typer.Option(None, "--jobs", "-j", help="校验进程数（默认 CPU 核数）/ worker processes for checks."),
    rules: Optional[Path] = RulesOpt,
) -> None:
    """启动网页：各部门上传、校验、提交，财政局查看收件箱 / run the web page for clerks and the bureau.

    The first start (or --init) prints the bureau's admin link; the bureau adds departments
    there and sends each its upload link.  Everything is kept in the data folder.
    """
    from perfxl.rulebook import load_rulebook
    from perfxl.serve import serve as run

    run(data, host=host, port=port, init=init, rulebook=load_rulebook(rules), jobs=jobs, echo=typer.echo)


def main() -> None:
    """Entry point: run the app, mapping library errors to exit code 2."""
    try:
        rc = app(standalone_mode=False)
        sys.exit(rc if isinstance(rc, int) else 0)
    except typer.Exit as e:
        sys.exit(e.exit_code)
    except PerfxlError as e:
        if _state["debug"]:
            raise
        typer.echo(f"错误 error [{e.code}] {e}", err=True)
        sys.exit(2)
    except typer.Abort:
        sys.exit(130)
    except Exception as e:  # noqa: BLE001 - the one place unexpected errors are mapped
        show = getattr(e, "show", None)
        if callable(show) and hasattr(e, "exit_code"):  # a click/typer usage error
            show()
            sys.exit(2 if e.exit_code else 0)
        if _state["debug"]:
            raise
        typer.echo(
            f"内部错误 internal error: {type(e).__name__}: {e}\n（加 --debug 查看详情 / rerun with --debug for details）",
            err=True,
        )
        sys.exit(2)
