"""Writing untrusted text safely: cell text, CSV fields, file names, atomic files.

Everything perfxl writes may quote text a clerk typed into a workbook (a unit name, an
indicator, a note).  Such text must reach the bureau's spreadsheet as *text*, never as a
formula or a link, and never as a path that escapes the output folder.  The helpers here
are the one place that knows how:

* :func:`set_text` / :func:`set_value` put a value into an openpyxl cell; text starting
  with ``= + - @`` stays a string (openpyxl would otherwise store ``=…`` as a formula).
* :func:`csv_text` prefixes ``'`` to CSV fields a spreadsheet would evaluate.
* :func:`safe_filename` and :func:`unique_names` derive safe, deterministic file names.
* :func:`atomic_path` / :func:`atomic_write_text` write a file under a temporary name in
  the same directory and ``os.replace`` it into place, so a reader never sees half a file.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import secrets
import unicodedata
from pathlib import Path
from typing import Any, Iterable, Iterator

__all__ = [
    "FORMULA_PREFIXES",
    "MAX_CELL_CHARS",
    "clean_text",
    "looks_like_formula",
    "set_text",
    "set_value",
    "csv_text",
    "safe_filename",
    "unique_names",
    "atomic_path",
    "atomic_write_text",
    "atomic_write_bytes",
    "file_sha256",
]

# A spreadsheet evaluates a cell or CSV field that starts with one of these (OWASP's CSV
# injection list: tab and carriage return too, because some programs strip them first).
FORMULA_PREFIXES: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")

# Excel's limit on the characters of one cell.
MAX_CELL_CHARS = 32767

# XML 1.0 cannot carry these control characters (openpyxl raises on them).
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def clean_text(text: str, limit: int = MAX_CELL_CHARS) -> str:
    """``text`` with characters XML cannot hold removed and cut to ``limit`` characters."""
    text = _ILLEGAL.sub("", text)
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return text


def looks_like_formula(text: str) -> bool:
    """True when a spreadsheet would read ``text`` as a formula (``=…``, ``@SUM(1)``, …)."""
    return text.startswith(FORMULA_PREFIXES)


def set_text(cell: Any, text: str) -> None:
    """Put ``text`` into an openpyxl cell as a string, whatever it starts with."""
    text = clean_text(str(text))
    cell.value = text
    # openpyxl turns a str starting with '=' into a formula on assignment; force text.
    cell.data_type = "s"


def set_value(cell: Any, value: Any) -> None:
    """Put a value into an openpyxl cell: text through :func:`set_text`, others as is."""
    if isinstance(value, str):
        set_text(cell, value)
    else:
        cell.value = value


def csv_text(value: Any) -> str:
    """A CSV field: ``None`` → ``''``; text a spreadsheet would evaluate gets a ``'`` prefix.

    Numbers are written as they are (``-3.5`` stays a number); only text is guarded.
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, (int, float)):
        return repr(value) if isinstance(value, float) else str(value)
    text = _ILLEGAL.sub("", str(value))
    return "'" + text if looks_like_formula(text) else text


# Characters no file name may hold on Windows, macOS or Linux, plus '#' and '%' which
# break the relative hyperlinks of the summary.
_BAD_NAME_CHARS = re.compile(r'[/\\:*?"<>|#%\x00-\x1f\x7f]')
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}


def safe_filename(name: str, max_bytes: int = 120, fallback: str = "workbook") -> str:
    """A file-name stem made safe on every platform.

    Removes path separators, ``..``, ``: * ? " < > | # %`` and control characters, leading
    dots and spaces, trailing dots and spaces (Windows drops them), renames reserved device
    names (``CON`` → ``_CON``) and caps the UTF-8 length at ``max_bytes`` (a Chinese
    character is 3 bytes; file systems allow 255).  Never returns an empty string.
    """
    s = unicodedata.normalize("NFC", str(name))
    s = _BAD_NAME_CHARS.sub("_", s)
    s = re.sub(r"\.{2,}", ".", s)
    s = re.sub(r"\s+", " ", s)
    s = s.lstrip("._ ").rstrip(". ")
    s = re.sub(r"_{2,}", "_", s)
    encoded = s.encode("utf-8")
    if len(encoded) > max_bytes:
        s = encoded[:max_bytes].decode("utf-8", errors="ignore").rstrip(". ")
    if not s or set(s) <= {"_"}:
        s = fallback
    if s.split(".")[0].strip().upper() in _RESERVED:
        s = "_" + s
    return s


def unique_names(stems: Iterable[str], suffix: str = "") -> list[str]:
    """Safe, unique file names for ``stems`` in the order given.

    Each stem goes through :func:`safe_filename`; a name already taken (compared without
    case, as Windows and macOS do) gets ``_2``, ``_3``… in order, so the same inputs in
    the same order always get the same names.
    """
    used: set[str] = set()
    out: list[str] = []
    for stem in stems:
        base = safe_filename(stem)
        name, n = base, 1
        while (name + suffix).casefold() in used:
            n += 1
            name = f"{base}_{n}"
        used.add((name + suffix).casefold())
        out.append(name + suffix)
    return out


def _temp_sibling(path: Path) -> Path:
    # Same directory (so os.replace is atomic), hidden, and keeping the suffix so that
    # libraries which look at the extension still know what they write.
    return path.with_name(f".{path.stem}.{secrets.token_hex(4)}.tmp{path.suffix}")


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path next to ``path``; on success move it over ``path``.

    For libraries that write to a file name (xlsxwriter, openpyxl)::

        with atomic_path(out / "汇总表.xlsx") as tmp:
            workbook = xlsxwriter.Workbook(tmp); ...; workbook.close()

    On an exception the temporary file is removed and ``path`` is left untouched.
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = _temp_sibling(target)
    try:
        yield tmp
        with open(tmp, "rb+") as fh:  # flush to disk before the rename makes it visible
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


def atomic_write_bytes(path: str | os.PathLike[str], data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically; returns the path."""
    target = Path(path)
    with atomic_path(target) as tmp:
        tmp.write_bytes(data)
    return target


def atomic_write_text(path: str | os.PathLike[str], text: str, encoding: str = "utf-8") -> Path:
    """Write ``text`` to ``path`` atomically; returns the path."""
    return atomic_write_bytes(path, text.encode(encoding))


def file_sha256(path: str | os.PathLike[str]) -> str:
    """The SHA-256 of a file's bytes, in hex (read in chunks)."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 16), b""):
            h.update(chunk)
    return h.hexdigest()
