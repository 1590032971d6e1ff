"""The ``perfxl`` command line: parse, call one library function, render, exit.

Exit codes: 0 clean, 1 errors found (warnings too with ``--strict``), 2 usage error or
unreadable input.  Library errors are mapped to messages in :func:`main`; a traceback is
shown only with ``--debug``.  Logic lives in the library, never here.
"""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import List, Optional

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
