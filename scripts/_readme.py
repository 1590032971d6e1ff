"""Generated blocks of README.md: the text between two markers is rewritten from code
(the rule catalogue, the command line), so the README cannot drift from what perfxl does.
Used by gen_readme_rules.py and gen_readme_commands.py; the tests call their ``updated``."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Callable

README = Path(__file__).resolve().parent.parent / "README.md"


def cell(text: str) -> str:
    """Markdown table cell: no pipes, no line breaks."""
    return " ".join(text.replace("|", "\\|").split())


def replace_block(text: str, start: str, end: str, block: str, section: str, intro: str) -> str:
    """``text`` with what lies between ``start`` and ``end`` replaced by ``block`` (which
    holds the markers); without the markers, a ``## section`` holding it is appended."""
    if start in text and end in text:
        head, rest = text.split(start, 1)
        _, tail = rest.split(end, 1)
        return head + block + tail
    sep = "" if text.endswith("\n\n") else ("\n" if text.endswith("\n") else "\n\n")
    return f"{text}{sep}## {section}\n\n{intro}{block}\n"


def main(argv: list[str], updated: Callable[[str], str], what: str, script: str) -> int:
    """Rewrite README.md (or, with --check, exit 1 when it is out of date)."""
    text = README.read_text("utf-8") if README.exists() else "# perfxl\n"
    new = updated(text)
    if "--check" in argv:
        if new != text:
            print(f"README.md {what} is out of date: run python scripts/{script}", file=sys.stderr)
            return 1
        return 0
    if new != text:
        from perfxl.safe import atomic_write_text

        atomic_write_text(README, new)  # keeps the umask's permissions (mkstemp would make it 0600)
    return 0
