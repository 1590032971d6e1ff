"""What python-calamine does not say about an xlsx, read from its XML with a real parser.

calamine returns the cached value of every cell; a formula without a cached value (a file
a program wrote and nothing calculated) and an error value (``#DIV/0!``) both read as
empty.  :class:`XmlProbe` tells them apart, and says which cells are formatted as a
percentage (Excel stores a typed 95% as 0.95).  It parses the parts with an XML parser
(expat, refusing DTDs and entities as defusedxml does; handlers rather than ElementTree's
events, which cost five times as much), so every well-formed spelling reads the same: single or double
quotes, whitespace around ``=``, namespace prefixes (``<x:c>``), attributes in any order,
character references, cells without an ``r`` (their place follows from their order).

It runs only after :func:`perfxl.guards.examine` has vetted the file (no DTD, no entity,
sizes bounded), and only when asked: a sheet is parsed on the first question about it.
A part that cannot be read or parsed raises — the reader reports that (F902) instead of
reading uncalculated formulas as blank or 95% as 0.95.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import Any
from xml.parsers import expat

from defusedxml.common import DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden

from perfxl.guards import sheet_parts
from perfxl.spec import addr, split_addr

__all__ = ["XmlProbe", "Hit"]

Hit = tuple[str, "str | None"]  # ('uncalculated', None) | ('error', '#DIV/0!')

# Built-in number formats that show a percentage (ECMA-376 18.8.30).
_BUILTIN_PERCENT = frozenset({9, 10})
_NOT_SHOWN = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]')  # quoted text, escaped characters, [colours] and conditions


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


def _expat(handler: Any) -> Any:
    """A namespace-aware expat parser feeding ``handler`` (its start/end/text methods),
    refusing DTDs and entities as defusedxml does."""
    p = expat.ParserCreate(namespace_separator="}")
    p.buffer_text = True
    p.StartDoctypeDeclHandler = _no_dtd
    p.EntityDeclHandler = _no_entity
    p.UnparsedEntityDeclHandler = _no_entity
    p.ExternalEntityRefHandler = _no_external
    p.StartElementHandler = handler.start
    p.EndElementHandler = handler.end
    p.CharacterDataHandler = handler.text
    return p


def _no_dtd(name: str, sysid: str | None, pubid: str | None, has_internal_subset: bool) -> None:
    raise DTDForbidden(name, sysid, pubid)


def _no_entity(name: str, *args: Any) -> None:
    raise EntitiesForbidden(name, None, None, None, None, None)


def _no_external(context: str, base: str | None, sysid: str | None, pubid: str | None) -> None:
    raise ExternalReferenceForbidden(context, base, sysid, pubid)


class _SheetScan:
    """Expat handlers for one pass over a worksheet part (see :func:`_scan`).  Called
    for every element of the sheet, so it keeps to plain attributes: ElementTree's
    events cost five times as much on the same part."""

    __slots__ = ("found", "styles", "row", "col", "in_data", "depth", "cell_depth", "ref", "typ",
                 "grab", "buf", "f", "v")

    def __init__(self, found: dict[str, Hit], styles: dict[str, int]):
        self.found, self.styles = found, styles
        self.row = self.col = self.depth = 0
        self.in_data = False
        self.cell_depth = -1  # depth of the <c> being read, -1 outside one
        self.ref = self.typ = ""
        self.grab: str | None = None  # 'f' or 'v' while inside one of the cell's own children
        self.buf: list[str] = []
        self.f: str | None = None
        self.v: str | None = None

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        self.depth += 1
        name = tag.rpartition("}")[2]
        if self.cell_depth >= 0:
            if self.depth == self.cell_depth + 1 and (name == "f" or name == "v"):
                self.grab, self.buf = name, []
            return
        if name == "sheetData":
            self.in_data = True
        elif not self.in_data:
            return
        elif name == "row":
            r = attrs.get("r")
            self.row = int(r) if r and r.strip().isdigit() else self.row + 1
            self.col = 0
        elif name == "c":
            ref = attrs.get("r")
            if ref:
                ref = ref.strip().upper()
                try:
                    self.row, self.col = split_addr(ref)
                except ValueError:
                    self.col += 1
                    ref = addr(self.row, self.col)
            else:
                self.col += 1
                ref = addr(self.row, self.col)
            st = attrs.get("s")
            if st and st.strip().isdigit():
                self.styles[ref] = int(st)
            self.ref, self.typ = ref, (attrs.get("t") or "n").strip()
            self.f = self.v = None
            self.cell_depth = self.depth

    def end(self, tag: str) -> None:
        depth = self.depth
        self.depth -= 1
        if self.cell_depth < 0:
            if tag.rpartition("}")[2] == "sheetData":
                self.in_data = False
            return
        if depth == self.cell_depth + 1 and self.grab is not None:
            text = "".join(self.buf)
            if self.grab == "f":
                self.f = text
            else:
                self.v = text
            self.grab = None
        elif depth == self.cell_depth:
            self.cell_depth = -1
            f, v = self.f, self.v
            if self.typ == "e":
                self.found[self.ref] = ("error", (v or "").strip() or "#VALUE!")
            elif f is not None and _uncalculated(f, v is not None, v or "", self.typ):
                self.found[self.ref] = ("uncalculated", None)

    def text(self, data: str) -> None:
        if self.grab is not None:
            self.buf.append(data)


def _scan(data: bytes, found: dict[str, Hit], styles: dict[str, int]) -> None:
    """One pass over a worksheet part: formula cells without a value and error cells into
    ``found``, every cell's style index into ``styles``.  A row or cell without ``r``
    follows the previous one, as spreadsheet programs read it."""
    _expat(_SheetScan(found, styles)).Parse(data, True)


class _StyleScan:
    """Expat handlers reading the percent number formats and the cellXfs' formats."""

    def __init__(self) -> None:
        self.fmts = set(_BUILTIN_PERCENT)
        self.xfs: list[int | None] = []
        self.in_xfs = False

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        name = tag.rpartition("}")[2]
        if name == "cellXfs":
            self.in_xfs = True
        elif name == "numFmt":
            fid, code = attrs.get("numFmtId"), attrs.get("formatCode") or ""
            if fid and fid.strip().isdigit() and "%" in _NOT_SHOWN.sub("", code):
                self.fmts.add(int(fid))
        elif name == "xf" and self.in_xfs:
            fid = attrs.get("numFmtId")
            self.xfs.append(int(fid) if fid and fid.strip().isdigit() else None)

    def end(self, tag: str) -> None:
        if tag.rpartition("}")[2] == "cellXfs":
            self.in_xfs = False

    def text(self, data: str) -> None:
        pass


def _percent_styles(data: bytes) -> frozenset[int]:
    scan = _StyleScan()
    _expat(scan).Parse(data, True)
    return frozenset(i for i, fid in enumerate(scan.xfs) if fid in scan.fmts)
