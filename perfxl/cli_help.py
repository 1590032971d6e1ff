"""The command line's words: help pages and usage errors, in one language at a time.

typer parses; what a person reads is written here, from one table of texts
(:data:`perfxl.cli.TEXTS`: every command's summary and description, every parameter's
help and metavar, in Chinese and English).  Chinese is the default; ``--lang en``
anywhere on the command line switches to English — for the help pages, for the usage
errors of the parser ("Missing option", "No such option" …, which are worded here from
the exception's kind and parameter, whatever the typer/click version), and for every
message perfxl prints.

:func:`synopsis` and :func:`option_rows` are what the README's command table is
generated from (``scripts/gen_readme_commands.py``), so the table cannot drift from the
CLI.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any, Iterator, Mapping, Sequence

__all__ = [
    "Cmd",
    "Param",
    "Texts",
    "lang_of",
    "debug_of",
    "render_help",
    "usage_line",
    "usage_error",
    "synopsis",
    "option_rows",
    "width",
    "wrap",
]


@dataclass(frozen=True)
class Param:
    """Help of one parameter: Chinese, English, the metavar of its value ('' for a flag)
    and the default worth showing."""

    zh: str
    en: str
    metavar: str = ""
    default: str | None = None

    def text(self, lang: str) -> str:
        return self.en if lang == "en" else self.zh


@dataclass(frozen=True)
class Cmd:
    """Help of one command: a one-line summary and a longer description, in both languages."""

    zh: str
    en: str
    body_zh: str = ""
    body_en: str = ""

    def summary(self, lang: str) -> str:
        return self.en if lang == "en" else self.zh

    def body(self, lang: str) -> str:
        return self.body_en if lang == "en" else self.body_zh


@dataclass(frozen=True)
class Texts:
    """Every text of the CLI: ``commands`` by name ('' is the program itself) and
    ``params`` by 'command.param' or, for a parameter several commands share, 'param'."""

    prog: str
    commands: Mapping[str, Cmd]
    params: Mapping[str, Param]

    def param(self, command: str, name: str) -> Param:
        return self.params.get(f"{command}.{name}") or self.params[name]


_WORDS = {
    "usage": ("用法：", "Usage: "),
    "options": ("选项", "OPTIONS"),
    "command": ("命令", "COMMAND"),
    "args": ("参数", "ARGS"),
    "arguments_h": ("参数：", "Arguments:"),
    "options_h": ("选项：", "Options:"),
    "commands_h": ("命令（按使用顺序）：", "Commands (in the order of a session):"),
    "required": ("必填", "required"),
    "default": ("默认：", "default: "),
    "try": ("运行 {cmd} --help 查看帮助。", "Try '{cmd} --help' for help."),
    "error": ("错误：", "Error: "),
}


def _w(key: str, lang: str) -> str:
    zh, en = _WORDS[key]
    return en if lang == "en" else zh


def lang_of(argv: Sequence[str], default: str = "zh") -> str:
    """The language asked for anywhere on the command line (``--lang en``, ``--lang=en``),
    so that even an error found while parsing is worded in it."""
    lang = default
    for i, a in enumerate(argv):
        if a == "--":
            break
        if a == "--lang" and i + 1 < len(argv):
            lang = argv[i + 1]
        elif a.startswith("--lang="):
            lang = a.split("=", 1)[1]
    return lang if lang in ("zh", "en") else default


def debug_of(argv: Sequence[str]) -> bool:
    """True when ``--debug`` is anywhere on the command line (before or after the command)."""
    return "--debug" in argv[: argv.index("--")] if "--" in argv else "--debug" in argv


# ---------------------------------------------------------------------------
# Text layout: display width (a CJK character takes two columns) and wrapping
# ---------------------------------------------------------------------------


def width(text: str) -> int:
    """Columns ``text`` takes in a terminal."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


_TOKEN = re.compile(r"[\u2e80-\u9fff\uff00-\uffef]|[^\s\u2e80-\u9fff\uff00-\uffef]+|\s+")


def wrap(text: str, cols: int) -> list[str]:
    """Lines of at most ``cols`` columns: English breaks at spaces, Chinese anywhere
    (but never before a closing punctuation mark)."""
    out: list[str] = []
    for para in text.split("\n"):
        line = ""
        for tok in _TOKEN.findall(para):
            if tok.isspace():
                if line:
                    line += " "
                continue
            if line and width(line) + width(tok) > cols and tok not in "，。；：、）」』”’！？":
                out.append(line.rstrip())
                line = ""
            line += tok
        out.append(line.rstrip())
    return out


def _rows(rows: Sequence[tuple[str, str]], total: int, indent: int = 2) -> list[str]:
    """A two-column list (name, text) with the text wrapped beside the names."""
    if not rows:
        return []
    first = min(max(width(n) for n, _ in rows), 28)
    lines = []
    for name, text in rows:
        room = max(total - indent - first - 2, 20)
        wrapped = wrap(text, room) if text else [""]
        if width(name) > first:
            lines.append(" " * indent + name)
            lines.extend(" " * (indent + first + 2) + w for w in wrapped)
            continue
        pad = " " * (first - width(name) + 2)
        lines.append((" " * indent + name + pad + wrapped[0]).rstrip())
        lines.extend(" " * (indent + first + 2) + w for w in wrapped[1:])
    return lines


# ---------------------------------------------------------------------------
# Help pages
# ---------------------------------------------------------------------------


def _command_name(ctx: Any) -> str:
    return "" if ctx.parent is None else ctx.command.name


def _visible(command: Any) -> Iterator[Any]:
    for p in command.params:
        if not getattr(p, "hidden", False):
            yield p


def _is_option(p: Any) -> bool:
    return bool(p.opts) and p.opts[0].startswith("-")


def _arg_usage(p: Any, texts: Texts, command: str) -> str:
    meta = texts.param(command, p.name).metavar or p.name.upper()
    many = p.nargs == -1 or (p.nargs or 1) > 1
    shown = meta + ("..." if many else "")
    return shown if p.required else f"[{shown}]"


def usage_line(ctx: Any, texts: Texts, lang: str) -> str:
    """'用法：perfxl check [选项] FILE...' / 'Usage: perfxl check [OPTIONS] FILE...'."""
    command = ctx.command
    name = _command_name(ctx)
    path = f"{texts.prog} {name}".strip()
    pieces = [f"[{_w('options', lang)}]"]
    if hasattr(command, "commands"):
        pieces.append(f"{_w('command', lang)} [{_w('args', lang)}]...")
    for p in _visible(command):
        if not _is_option(p):
            pieces.append(_arg_usage(p, texts, name))
    return _w("usage", lang) + " ".join([path, *pieces])


def _option_label(p: Any, texts: Texts, command: str) -> str:
    help_ = texts.param(command, p.name)
    opts = sorted(p.opts, key=lambda o: (o.startswith("--"), o))  # '-o, --output'
    names = ", ".join([*opts, *getattr(p, "secondary_opts", [])])
    return f"{names} {help_.metavar}" if help_.metavar else names


def _param_text(p: Any, texts: Texts, command: str, lang: str) -> str:
    help_ = texts.param(command, p.name)
    extra = []
    if help_.default is not None:
        extra.append(_w("default", lang) + help_.default)
    if getattr(p, "required", False):
        extra.append(_w("required", lang))
    tail = f"  [{'; '.join(extra)}]" if extra else ""
    return help_.text(lang) + tail


def option_rows(command: Any, texts: Texts, name: str, lang: str) -> list[tuple[str, str]]:
    """(label, help) of every option of ``command`` ('--rules FILE', '规则库 …'), help last."""
    rows = [(_option_label(p, texts, name), _param_text(p, texts, name, lang))
            for p in _visible(command) if _is_option(p)]
    rows.append(("--help", texts.params["help"].text(lang)))
    return rows


def render_help(ctx: Any, texts: Texts, lang: str, cols: int = 80) -> str:
    """The help page of the command ``ctx`` runs (the program itself for the root)."""
    command = ctx.command
    name = _command_name(ctx)
    cmd = texts.commands[name]
    lines = [usage_line(ctx, texts, lang), ""]
    lines += ["  " + w for w in wrap(cmd.summary(lang), cols - 2)]
    if cmd.body(lang):
        lines.append("")
        lines += ["  " + w for w in wrap(cmd.body(lang), cols - 2)]
    args = [(_arg_usage(p, texts, name).strip("[]"), _param_text(p, texts, name, lang))
            for p in _visible(command) if not _is_option(p)]
    if args:
        lines += ["", _w("arguments_h", lang), *_rows(args, cols)]
    lines += ["", _w("options_h", lang), *_rows(option_rows(command, texts, name, lang), cols)]
    subs = getattr(command, "commands", None)
    if subs:
        listed = [(n, texts.commands[n].summary(lang)) for n in subs if not getattr(subs[n], "hidden", False)]
        lines += ["", _w("commands_h", lang), *_rows(listed, cols)]
    return "\n".join(lines) + "\n"


def synopsis(command: Any, texts: Texts, name: str) -> str:
    """One line naming every parameter: 'perfxl check FILE... [--rules FILE] [--strict] …'
    (the README's command table)."""
    parts = [texts.prog, name]
    for p in _visible(command):
        if not _is_option(p):
            parts.append(_arg_usage(p, texts, name))
            continue
        label = _option_label(p, texts, name).split(", ")[-1] if len(p.opts) > 1 else _option_label(p, texts, name)
        short = [o for o in p.opts if not o.startswith("--")]
        if short:  # '-o OUTDIR' reads better than '--output OUTDIR' in a synopsis
            meta = texts.param(name, p.name).metavar
            label = f"{short[0]} {meta}".strip()
        parts.append(label if getattr(p, "required", False) else f"[{label}]")
    return " ".join(parts)


# ---------------------------------------------------------------------------
# Usage errors
# ---------------------------------------------------------------------------


class _Context:
    """The little of a click context the usage line needs (for errors raised without one)."""

    def __init__(self, command: Any, parent: Any):
        self.command, self.parent = command, parent


def _context_of(root: Any, argv: Sequence[str]) -> Any:
    """The command ``argv`` runs (the first argument naming one), as a context."""
    top = _Context(root, None)
    for a in argv:
        if a in getattr(root, "commands", {}):
            return _Context(root.commands[a], top)
    return top


def _option_value(argv: Sequence[str], opts: Sequence[str]) -> str | None:
    """The value given to an option on the command line (for an error message)."""
    for i, a in enumerate(argv):
        for o in opts:
            if a == o and i + 1 < len(argv):
                return argv[i + 1]
            if a.startswith(o + "="):
                return a.split("=", 1)[1]
    return None


def _hint(p: Any, texts: Texts, command: str) -> str:
    if p is None:
        return ""
    return " / ".join(p.opts) if _is_option(p) else (texts.param(command, p.name).metavar or p.name.upper())


def _expected(p: Any, texts: Texts, command: str, lang: str) -> str:
    """What a parameter's value should look like, from its metavar."""
    meta = texts.param(command, p.name).metavar if p is not None else ""
    if "|" in meta:
        choices = meta.split("|")
        return ("one of " + ", ".join(choices)) if lang == "en" else ("、".join(choices) + " 之一")
    kinds = {"YEAR": ("a year such as 2023", "年份，如 2023"), "N": ("a whole number", "整数"),
             "SECONDS": ("a number of seconds", "秒数")}
    if meta in kinds:
        en, zh = kinds[meta]
        return en if lang == "en" else zh
    return ""


def usage_error(e: Any, texts: Texts, lang: str, argv: Sequence[str], root: Any = None) -> str:
    """The text shown for a parser error ``e`` (a click/typer UsageError): the usage line,
    where to find help and what is wrong, worded by perfxl from the error's kind.
    ``root`` (the program's click group) gives the usage line of an error raised without
    a context (an option missing its value)."""
    ctx = getattr(e, "ctx", None)
    if ctx is None and root is not None:
        ctx = _context_of(root, argv)
    kind = type(e).__name__
    param = getattr(e, "param", None)
    command = _command_name(ctx) if ctx is not None else ""
    en = lang == "en"
    if kind == "NoSuchOption":
        opt = e.option_name
        maybe = [p for p in (getattr(e, "possibilities", None) or []) if p != opt]
        if en:
            msg = f"No such option: {opt}." + (f" Did you mean {' or '.join(maybe)}?" if maybe else "")
        else:
            msg = f"没有 {opt} 这个选项。" + (f"是否想用 {' 或 '.join(maybe)}？" if maybe else "")
    elif kind == "MissingParameter":
        hint = _hint(param, texts, command)
        if param is not None and _is_option(param):
            msg = f"Missing option {hint}." if en else f"缺少选项 {hint}。"
        else:
            msg = f"Missing argument {hint}." if en else f"缺少参数 {hint}。"
    elif kind == "BadParameter" and param is not None:
        value = _option_value(argv, [*param.opts, *getattr(param, "secondary_opts", [])]) if _is_option(param) else None
        want = _expected(param, texts, command, lang)
        hint = _hint(param, texts, command)
        if en:
            shown = f" {value!r}" if value is not None else ""
            msg = f"Invalid value{shown} for {hint}" + (f": expected {want}." if want else ".")
        else:
            shown = f" {value!r} " if value is not None else ""
            space = " " if want[:1].isascii() else ""
            msg = f"{hint} 的值{shown}无效" + (f"，应为{space}{want}。" if want else "。")
    elif kind == "BadOptionUsage" and "does not take a value" in str(getattr(e, "message", "")):
        opt = e.option_name
        msg = f"Option {opt} does not take a value." if en else f"选项 {opt} 不带值。"
    elif kind == "BadOptionUsage":
        opt = e.option_name
        msg = f"Option {opt} needs a value." if en else f"选项 {opt} 需要一个值。"
    else:
        text = str(getattr(e, "message", e))
        extra = re.match(r"Got unexpected extra arguments?(?:\(s\))? \((.*)\)", text)
        command_name = re.match(r"No such command '(.*)'\.", text)
        if extra:
            msg = f"Unexpected extra argument: {extra.group(1)}." if en else f"多余的参数：{extra.group(1)}。"
        elif command_name:
            names = [n for n in texts.commands if n]
            msg = (f"No such command: {command_name.group(1)} (commands: {', '.join(names)})." if en
                   else f"没有 {command_name.group(1)} 这个命令（可用：{'、'.join(names)}）。")
        elif text.startswith("Missing command"):
            msg = "Missing command." if en else "缺少命令。"
        else:
            msg = text  # a parser message perfxl does not know: shown as it is
    lines = []
    if ctx is not None:
        path = f"{texts.prog} {command}".strip()
        lines += [usage_line(ctx, texts, lang), _w("try", lang).format(cmd=path), ""]
    lines.append(_w("error", lang) + msg)
    return "\n".join(lines)
