"""What python-calamine does not say about an xlsx, read from its XML with a real parser.

calamine returns the cached value of every cell; a formula without a cached value (a file
a program wrote and nothing calculated) and an error value (``#DIV/0!``) both read as
empty.  :class:`XmlProbe` tells them apart, and says which cells are formatted as a
percentage (Excel stores a typed 95% as 0.95).  It parses the parts with an XML parser
(expat, through defusedxml), so every well-formed spelling reads the same: single or double
quotes, whitespace around ``=``, namespace prefixes (``<x:c>``), attributes in any order,
character references, cells without an ``r`` (their place follows from their order).

It runs only after :func:`perfxl.guards.examine` has vetted the file (no DTD, no entity,
sizes bounded), and only when asked: a sheet is parsed on the first question about it.
A part that cannot be read or parsed raises — the reader reports that (F902) instead of
reading uncalculated formulas as blank or 95% as 0.95.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from defusedxml.ElementTree import iterparse

from perfxl.guards import sheet_parts
from perfxl.spec import addr, split_addr

__all__ = ["XmlProbe", "Hit"]

Hit = tuple[str, "str | None"]  # ('uncalculated', None) | ('error', '#DIV/0!')

# Built-in number formats that show a percentage (ECMA-376 18.8.30).
_BUILTIN_PERCENT = frozenset({9, 10})
_NOT_SHOWN = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]')  # quoted text, escaped characters, [colours] and conditions


def _local(tag: str) -> str:
    """'{namespace}c' → 'c' (any namespace, any prefix in the file)."""
    return tag.rpartition("}")[2]


def _attr(el, name: str) -> str | None:  # noqa: ANN001 - an ElementTree element
    """An attribute without a namespace (``r``, ``t``, ``s``)."""
    return el.attrib.get(name)


def _uncalculated(formula: str, has_v: bool, v: str, typ: str) -> bool:
    """A formula cell without a cached value.  Excel stores an empty-string result as
    t="str" with an empty <v>; a formula that can return "" (IF(C6=0,"",…)) with an
    empty <v> is taken as calculated to empty, since some writers omit t="str"."""
    if not has_v:
        return True
    if v != "" or typ == "str":
        return False
    return '""' not in formula


class XmlProbe:
    """Formula and error cells, and percentage formats, of one xlsx (read once, on need)."""

    def __init__(self, path: Path):
        self.path = path
        self._zf: zipfile.ZipFile | None = None
        self._parts: dict[str, str] | None = None
        self._cells: dict[str, dict[str, Hit]] = {}
        self._styles: dict[str, dict[str, int]] = {}
        self._pct_styles: frozenset[int] | None = None

    def close(self) -> None:
        if self._zf is not None:
            self._zf.close()
            self._zf = None

    def loaded(self, sheet: str) -> bool:
        """Whether the sheet was parsed already (asking about it is then free)."""
        return sheet in self._cells

    # -- reading parts ----------------------------------------------------------------

    def _zip(self) -> zipfile.ZipFile:
        if self._zf is None:
            self._zf = zipfile.ZipFile(self.path)
            self._parts = sheet_parts(self._zf)
        return self._zf

    def _read_part(self, name: str) -> bytes | None:
        """A part's bytes; None when the package has no such part."""
        zf = self._zip()
        try:
            info = zf.getinfo(name)
        except KeyError:
            return None
        return zf.read(info)

    def _sheet(self, sheet: str) -> None:
        """Parse one sheet part (once): its formula and error cells, and its cells' styles."""
        if sheet in self._cells:
            return
        self._zip()
        part = (self._parts or {}).get(sheet)
        data = self._read_part(part) if part else None
        found: dict[str, Hit] = {}
        styles: dict[str, int] = {}
        if data:
            _scan(data, found, styles)
        self._cells[sheet] = found
        self._styles[sheet] = styles

    # -- what the reader asks ---------------------------------------------------------

    def cells(self, sheet: str) -> dict[str, Hit]:
        """{A1: ('uncalculated', None) | ('error', '#DIV/0!')} for one sheet."""
        self._sheet(sheet)
        return self._cells[sheet]

    def is_percent(self, sheet: str, a1: str) -> bool:
        """Whether a cell is formatted as a percentage (Excel stores 95% as 0.95)."""
        styles = self._percent_styles()
        if not styles:
            return False
        self._sheet(sheet)
        return self._styles[sheet].get(a1) in styles

    def _percent_styles(self) -> frozenset[int]:
        """Indices of cell styles (cellXfs) whose number format shows a percentage.  A
        package without a style part has none (every cell in the General format)."""
        if self._pct_styles is None:
            data = self._read_part("xl/styles.xml")
            self._pct_styles = _percent_styles(data) if data else frozenset()
        return self._pct_styles


def _events(data: bytes) -> Iterator[tuple[str, str, Any]]:
    """(event, local name, element) of an XML part, parsed without DTDs."""
    for event, el in iterparse(io.BytesIO(data), events=("start", "end"), forbid_dtd=True):
        yield event, _local(el.tag), el


def _scan(data: bytes, found: dict[str, Hit], styles: dict[str, int]) -> None:
    """One pass over a worksheet part: formula cells without a value and error cells into
    ``found``, every cell's style index into ``styles``.  A row or cell without ``r``
    follows the previous one, as spreadsheet programs read it."""
    row = 0
    col = 0
    in_data = False
    for event, name, el in _events(data):
        if event == "start":
            if name == "sheetData":
                in_data = True
            elif in_data and name == "row":
                r = _attr(el, "r")
                row = int(r) if r and r.strip().isdigit() else row + 1
                col = 0
            continue
        if name == "sheetData":
            in_data = False
            continue
        if not in_data or name != "c":
            if in_data and name == "row":
                el.clear()
            continue
        ref = _attr(el, "r")
        if ref:
            ref = ref.strip().upper()
            try:
                row, col = split_addr(ref)
            except ValueError:
                col += 1
                ref = addr(row, col)
        else:
            col += 1
            ref = addr(row, col)
        s = _attr(el, "s")
        if s and s.strip().isdigit():
            styles[ref] = int(s)
        typ = (_attr(el, "t") or "n").strip()
        f = v = None
        for child in el:
            n = _local(child.tag)
            if n == "f":
                f = child
            elif n == "v":
                v = child
        if typ == "e":
            found[ref] = ("error", (v.text or "").strip() or "#VALUE!" if v is not None else "#VALUE!")
        elif f is not None and _uncalculated(f.text or "", v is not None, v.text or "" if v is not None else "", typ):
            found[ref] = ("uncalculated", None)
        el.clear()


def _percent_styles(data: bytes) -> frozenset[int]:
    fmts = set(_BUILTIN_PERCENT)
    xfs: list[int | None] = []
    in_xfs = False
    for event, name, el in _events(data):
        if event == "start":
            if name == "cellXfs":
                in_xfs = True
            continue
        if name == "numFmt":
            fid, code = _attr(el, "numFmtId"), _attr(el, "formatCode") or ""
            if fid and fid.strip().isdigit() and "%" in _NOT_SHOWN.sub("", code):
                fmts.add(int(fid))
        elif name == "xf" and in_xfs:
            fid = _attr(el, "numFmtId")
            xfs.append(int(fid) if fid and fid.strip().isdigit() else None)
        elif name == "cellXfs":
            in_xfs = False
    return frozenset(i for i, fid in enumerate(xfs) if fid in fmts)
