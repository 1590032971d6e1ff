"""Read one filled workbook into a :class:`~perfxl.model.Unit` — the public names.

The reading itself lives in :mod:`perfxl.read`, one module per stage (grids and process
isolation, the XML probe, cell parsing, locating blocks, building a unit).  This module
keeps the names the rest of perfxl and its users import from ``perfxl.reader``.
"""

from __future__ import annotations

from perfxl.read.grids import Book, Grid, ParserError, Sheets, TooManyRows, read_grids
from perfxl.read.isolate import (
    ISOLATE_FORMATS,
    ParserCrashed,
    ParserTimedOut,
    Refused,
    read_grids_isolated,
    read_sheets,
    run_isolated,
)
from perfxl.read.locate import HEADER_SEARCH_ROWS
from perfxl.read.unit import read_unit, read_units

__all__ = [
    "read_unit", "read_units", "read_grids", "read_grids_isolated", "read_sheets", "run_isolated", "Book", "Sheets", "Refused",
    "TooManyRows", "ParserCrashed", "ParserTimedOut", "ParserError", "HEADER_SEARCH_ROWS", "ISOLATE_FORMATS", "Grid",
]
