"""The XML probe's use: what calamine returns as empty, asked of the sheet XML.

calamine reads a formula without a cached value (a file written by a program, never
calculated) and a formula error value (``#DIV/0!``) both as an empty cell.  Neither may
read as blank, let alone 0: the sheet XML (:mod:`perfxl.xmlprobe`) tells them apart.
Scanning the XML costs as much as reading the file, so it is asked only when an empty
cell could hide one — an empty number or computed total, or any empty cell once the file
is known to hold uncalculated formulas — and a sheet already scanned answers for free.
"""

from __future__ import annotations

from perfxl.codes.values import V003, V004, V005, V006
from perfxl.findings import Finding
from perfxl.i18n import Text
from perfxl.model import Field
from perfxl.read.grids import Book
from perfxl.xmlprobe import Hit

# Kinds whose empty cell may hide a formula error value or an uncalculated formula.
_PROBE_KINDS = frozenset({"amount", "number", "value", "rate", "int", "year"})


def empty_cell(book: Book, findings: list[Finding], uncalculated: dict[str, list[str]],
               sheet: str, a1: str, computed: bool, kind: str = "text") -> Field:
    """The Field for a cell calamine returns as empty: blank, a formula error value
    (V005, or V006 for a computed cell), or an uncalculated formula (V004 at an input;
    a computed cell is noted in ``uncalculated`` for one V003 per sheet)."""
    # The sheet XML is scanned only when needed: for an empty computed total (a sum
    # always has a value once Excel saved the file; a rate may rightly be "" when
    # its budget is 0), for an empty number cell (an error value reads as empty),
    # or for any empty cell once the file is known to hold uncalculated formulas.
    need = (kind in _PROBE_KINDS and (not computed or kind != "rate")) or book.suspect
    loaded = book._probe is not None and book._probe.loaded(sheet)  # free to ask
    probe = book.probe() if need or loaded else None
    hit = probe.cells(sheet).get(a1) if probe else None
    if hit is not None:
        book.suspect = True
    if hit is None:
        return Field(None, sheet, a1, None, "blank", formula=computed)
    what, val = hit
    if what == "error":
        findings.append((V006 if computed else V005)(sheet, a1, actual=val))
        return Field(val, sheet, a1, val, "error", formula=True)
    if computed:
        uncalculated.setdefault(sheet, []).append(a1)
    else:
        findings.append(V004(sheet, a1))
    return Field(None, sheet, a1, None, "uncalculated", formula=True)


def uncalculated_findings(uncalculated: dict[str, list[str]]) -> list[Finding]:
    """One V003 per sheet, at its first uncalculated computed cell, naming the rest: a
    script-written file has dozens of them and perfxl recomputes them all anyway."""
    out = []
    for sheet, cells in uncalculated.items():
        more = "…" if len(cells) > 6 else ""
        shown = Text("、".join(cells[:6]) + more, ", ".join(cells[:6]) + more)
        out.append(V003(sheet, cells[0], actual=len(cells), count=len(cells), cells=shown))
    return out


def scanned_cells(book: Book, sheet: str) -> dict[str, Hit] | None:
    """The probe's hits on ``sheet`` if its XML was already scanned (asking is then
    free), else None."""
    probe = book._probe
    return probe.cells(sheet) if probe is not None and probe.loaded(sheet) else None


def percent_formatted(book: Book, sheet: str, a1: str) -> bool:
    """Whether the cell is percent-formatted (only xlsx shows formats)."""
    probe = book.probe()
    return probe is not None and probe.is_percent(sheet, a1)
