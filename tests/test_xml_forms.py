"""Any well-formed spelling of a workbook's XML reads the same (issue 11, point 13).

The same workbook — with uncalculated formulas, an error value and a cell formatted as a
percentage, the three things perfxl learns from the XML itself — is written out again with
its worksheet, workbook, relationship and style parts re-serialised: single quotes,
whitespace and line breaks around ``=``, a namespace prefix on every element, attributes in
reverse order, ``<v/>`` for ``<v></v>``, cells without ``r``.  The
reader's findings and the probe's answers must not change.  The guards read those spellings
too: a far cell spelt with other quotes, spaces or prefixes is still refused.
"""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import openpyxl
import pytest

from perfxl.guards import examine, sheet_parts
from perfxl.reader import read_unit
from perfxl.rulebook import default_rulebook
from perfxl.spec import BUDGET, INDICATORS, addr
from perfxl.xmlprobe import XmlProbe

RB = default_rulebook()
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def _esc(text: str, quote: str = "") -> str:
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    if quote:
        text = text.replace(quote, "&quot;" if quote == '"' else "&apos;")
        text = text.replace("\n", "&#10;").replace("\t", "&#9;").replace("\r", "&#13;")
    return text


def serialise(root: ET.Element, *, quote: str = '"', prefix: bool = False, spaced: bool = False,
              reverse: bool = False, self_close: bool = False, drop_r: bool = False) -> bytes:
    """Write an element tree again in one of XML's equivalent spellings."""
    uris: list[str] = []

    def uri_of(name: str) -> str | None:
        if name.startswith("{"):
            uri = name[1:].partition("}")[0]
            if uri not in uris:
                uris.append(uri)
            return uri
        return None

    for el in root.iter():
        uri_of(el.tag)
        for k in el.attrib:
            uri_of(k)
    names = {uri: (("x" if prefix else "") if uri == MAIN else f"ns{i}") for i, uri in enumerate(uris)}

    def qname(name: str, attribute: bool) -> str:
        uri = uri_of(name)
        local = name.rpartition("}")[2]
        if uri is None:
            return local
        p = names[uri]
        return f"{p}:{local}" if p else local

    sep = "\n    " if spaced else " "
    eq = " = " if spaced else "="
    out = io.StringIO()
    out.write("<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n")

    def write(el: ET.Element, top: bool) -> None:
        tag = qname(el.tag, False)
        items = [(k, v) for k, v in el.attrib.items() if not (drop_r and k == "r" and el.tag.endswith("}c"))]
        if reverse:
            items.reverse()
        attrs = [f"{qname(k, True)}{eq}{quote}{_esc(v, quote)}{quote}" for k, v in items]
        if top:
            attrs = [f"xmlns{':' + p if p else ''}{eq}{quote}{_esc(u, quote)}{quote}" for u, p in names.items()] + attrs
        out.write(f"<{tag}" + "".join(sep + a for a in attrs))
        if len(el) == 0 and not el.text and (self_close or el.tag.endswith("}v") is False):
            out.write(f"{sep if spaced else ''}/>")
        else:
            out.write(">")
            out.write(_esc(el.text or ""))
            for child in el:
                write(child, False)
                out.write(_esc(child.tail or ""))
            out.write(f"</{tag}{sep.rstrip(' ') if spaced else ''}>")

    write(root, True)
    return out.getvalue().encode("utf-8")


FORMS = {
    "single-quotes": {"quote": "'"},
    "spaced": {"spaced": True},
    "prefixed": {"prefix": True},
    "reversed-attributes": {"reverse": True, "quote": "'"},
    "self-closing-values": {"self_close": True},
    "cells-without-r": {"drop_r": True},
    "all-at-once": {"quote": "'", "spaced": True, "prefix": True, "reverse": True, "self_close": True},
}


def _rewrite(src: Path, dest: Path, **form: object) -> Path:
    """Every worksheet, the workbook, its relationships and the styles, in ``form``."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            name = info.filename
            if name.startswith("xl/worksheets/sheet") or name in ("xl/workbook.xml", "xl/styles.xml",
                                                                   "xl/_rels/workbook.xml.rels"):
                opts = dict(form)
                if not name.startswith("xl/worksheets/"):
                    opts.pop("drop_r", None)
                data = serialise(ET.fromstring(data), **opts)
            zout.writestr(info, data)
    return dest


@pytest.fixture(scope="module")
def probed(tmp_path_factory) -> Path:
    """The seed unit as openpyxl saves it (no cached values), with an error value typed in
    an amount cell and a percentage-formatted target (1 shown as 100%)."""
    from samplegen.dept import seed_data
    from perfxl.template import write_workbook

    tmp = tmp_path_factory.mktemp("forms")
    d = seed_data()
    src = write_workbook(tmp / "seed.xlsx", d)
    wb = openpyxl.load_workbook(src)
    wb[BUDGET.name][BUDGET.cell("other", "last_year")] = "#DIV/0!"  # an error value
    i = next(k for k, ind in enumerate(d["indicators"]) if ind["target"] == 100 and ind["unit"] == "%")
    ws = wb[INDICATORS.name]
    for col in ("target", "actual"):
        c = ws[addr(INDICATORS.first_row + i, INDICATORS.col_of(col))]
        c.value, c.number_format = 1, "0%"
    ws[addr(INDICATORS.first_row + i, INDICATORS.col_of("unit"))] = None
    wb.save(tmp / "probed.xlsx")
    return tmp / "probed.xlsx"


def _answers(path: Path) -> tuple:
    u = read_unit(path, RB)
    probe = XmlProbe(path)
    try:
        cells = {s: probe.cells(s) for s in (BUDGET.name, INDICATORS.name)}
    finally:
        probe.close()
    with zipfile.ZipFile(path) as zf:
        parts = sheet_parts(zf)
    inds = [(i.target.value, i.actual.value, i.unit.value, i.percent) for i in u.indicators]
    return (sorted((f.code, f.sheet, f.cell, str(f.actual)) for f in u.findings), cells, sorted(parts), inds)


def test_the_probed_workbook_has_what_the_probe_finds(probed: Path) -> None:
    findings, cells, parts, inds = _answers(probed)
    codes = {c for c, *_ in findings}
    assert {"V003", "V005"} <= codes
    assert cells[BUDGET.name][BUDGET.cell("total", "actual")] == ("uncalculated", None)
    assert cells[BUDGET.name][BUDGET.cell("other", "last_year")] == ("error", "#DIV/0!")
    assert (100.0, 100.0, "%", True) in inds  # 1 formatted as 100% reads as 100 %
    assert len(parts) == len(openpyxl.load_workbook(probed).sheetnames)


@pytest.mark.parametrize("form", sorted(FORMS))
def test_every_spelling_reads_the_same(probed: Path, tmp_path: Path, form: str) -> None:
    assert _answers(_rewrite(probed, tmp_path / f"{form}.xlsx", **FORMS[form])) == _answers(probed)


@pytest.mark.parametrize("form", ["single-quotes", "spaced", "prefixed", "all-at-once"])
def test_a_far_cell_is_refused_however_it_is_spelt(make_xlsx, seed_data, tmp_path: Path, form: str) -> None:
    """A cell at XFD5 makes calamine allocate 16384 columns a row: refused before
    parsing, in any spelling (F023: beyond column ZZ)."""
    src = make_xlsx(seed_data)
    wb = openpyxl.load_workbook(src)
    wb[BUDGET.name]["XFD5"] = 1
    wb.save(tmp_path / "far.xlsx")
    dest = _rewrite(tmp_path / "far.xlsx", tmp_path / f"far-{form}.xlsx", **FORMS[form])
    ins = examine(dest, RB.limits)
    assert ins.refused and [f.code for f in ins.findings] == ["F023"], [f.message() for f in ins.findings]
    assert ins.findings[0].sheet == BUDGET.name  # named through workbook.xml, whatever its spelling


@pytest.mark.parametrize("decl", [
    b'<!DOCTYPE worksheet [<!ENTITY x "1">]>',
    b'<!DOCTYPE worksheet SYSTEM "http://example.invalid/x.dtd">',
])
def test_the_probe_refuses_a_dtd_even_past_the_guards(decl: bytes) -> None:
    """The guards refuse a DTD before the probe is asked; the probe's own parser refuses
    one too, so a path that skipped the guards could not expand an entity."""
    from defusedxml.common import DefusedXmlException

    from perfxl.xmlprobe import _scan

    part = b'<?xml version="1.0"?>' + decl + (b'<worksheet xmlns="%s"><sheetData><row r="1"><c r="A1"><f>1+1</f></c>'
                                             b'</row></sheetData></worksheet>' % MAIN.encode())
    with pytest.raises(DefusedXmlException):
        _scan(part, {}, {})
    found: dict = {}
    _scan(part.replace(decl, b""), found, {})
    assert found == {"A1": ("uncalculated", None)}
