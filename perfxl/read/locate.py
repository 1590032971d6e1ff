"""Locating blocks: where each form field, table, column and fixed row of a template is.

Nothing is read by a fixed address.  Form fields are found by their label in column A,
tables by their header row (columns mapped by header text, so reordered or extra columns
are fine), fixed rows by their label, free tables to the last non-blank row — each label
with its aliases from the spec (:mod:`perfxl.spec`).  What is missing becomes a finding
where the clerk would look for it (F014–F017, F021), and its cells read as absent.
"""

from __future__ import annotations

from dataclasses import dataclass

from perfxl.codes.file import F014, F015, F016, F017, F021
from perfxl.memo import by_identity
from perfxl.model import Field
from perfxl.read.cells import _A1_COLS, _FLOAT_KINDS, _a1_row, _absent, _norm, _Reader
from perfxl.read.grids import Grid, _get, _row_blank, _span
from perfxl.read.probe import scanned_cells
from perfxl.spec import Column, FormSheet, RowSpec, TableSheet, addr

# How many rows from the top are searched for a table's header row.
HEADER_SEARCH_ROWS = 12


def labels_in_column(grid: Grid, c: int, start: int = 0) -> dict[str, int]:
    """Normalised label → first 0-based row holding it in column ``c`` (from ``start``)."""
    out: dict[str, int] = {}
    for r in range(start, len(grid)):
        row = grid[r]
        if c < len(row):
            v = row[c]
            if v.__class__ is str and v:
                key = _norm(v)
                if key and key not in out:
                    out[key] = r
    return out


def find_header(rd: _Reader, spec: TableSheet, aliases: dict[str, tuple[str, ...]]) -> tuple[int, dict[str, int]] | None:
    """The header row (0-based) and column key → 0-based column, or None.

    The header is the row among the first :data:`HEADER_SEARCH_ROWS` that holds the
    most of the table's header labels (at least two, or the first column's label).
    Missing and extra columns become F014/F015 findings at the header row.
    """
    grid = rd.book.grids[spec.name]
    wanted = _header_labels(spec, aliases)
    best, best_n = None, 0
    for r in range(min(HEADER_SEARCH_ROWS, len(grid))):
        texts = [v for v in grid[r] if v.__class__ is str and v]
        if len(texts) <= best_n:
            continue  # cannot hold more labels than the best row: no need to look
        n = sum(1 for v in texts if _norm(v) in wanted)
        if n > best_n:
            best, best_n = r, n
    first = _norm(spec.columns[0].label)
    if best is None or (best_n < 2 and first not in {_norm(v) for v in grid[best] if v.__class__ is str}):
        return None
    colmap: dict[str, int] = {}
    extras: list[tuple[int, str]] = []
    for c, v in enumerate(grid[best]):
        if v is None or v == "":
            continue
        key = wanted.get(_norm(v))
        if key is None:
            if isinstance(v, str) and v.strip():
                extras.append((c, v.strip()))
        elif key not in colmap:
            colmap[key] = c
    hr = best + 1
    if hr != spec.header_row:
        rd.findings.append(F021(spec.name, addr(hr, 1), expected=spec.header_row, actual=hr))
    for i, col in enumerate(spec.columns):
        if col.key not in colmap:
            at = _get(grid, best, i)
            rd.findings.append(F014(spec.name, addr(hr, i + 1), expected=col.label,
                                    actual=at if isinstance(at, str) else None))
    for c, text in extras:
        rd.findings.append(F015(spec.name, addr(hr, c + 1), actual=text))
    return best, colmap


@by_identity
def _header_labels(spec: TableSheet, aliases: dict) -> dict[str, str]:
    """Normalised header label (and alias) → column key, once per table spec."""
    wanted: dict[str, str] = {}
    for col in spec.columns:
        for lab in (col.label, *aliases.get(col.label, ())):
            wanted.setdefault(_norm(lab), col.key)
    return wanted


def _read_form(rd: _Reader, spec: FormSheet, present: bool, aliases: dict) -> dict[str, Field]:
    out: dict[str, Field] = {}
    if not present:
        return {f.key: _absent(spec.name, spec.cell(f.key)) for f in spec.fields}
    labels = labels_in_column(rd.book.grids[spec.name], 0)
    for f in spec.fields:
        r = _find_label(labels, f.label, aliases)
        if r is None:
            rd.findings.append(F017(spec.name, addr(spec.row_of(f.key), 1), expected=f.label))
            out[f.key] = _absent(spec.name, spec.cell(f.key))
        else:
            out[f.key] = rd.cell(spec.name, r, 1, f.kind)
    return out


def _find_label(labels: dict[str, int], label: str, aliases: dict) -> int | None:
    for lab in (label, *aliases.get(label, ())):
        r = labels.get(_norm(lab))
        if r is not None:
            return r
    return None


@dataclass
class _Table:
    """A located table: header row and column map (0-based), or not found."""

    spec: TableSheet
    header: int | None
    cols: dict[str, int]

    def col(self, key: str) -> int | None:
        return self.cols.get(key)


def _locate(rd: _Reader, spec: TableSheet, present: bool, aliases: dict) -> _Table:
    if not present:
        return _Table(spec, None, {})
    found = find_header(rd, spec, aliases)
    if found is None:
        rd.findings.append(F016(spec.name, addr(spec.header_row, 1), expected=spec.columns[0].label,
                                rows=HEADER_SEARCH_ROWS))
        return _Table(spec, None, {})
    return _Table(spec, found[0], found[1])


def _computed_cell(spec: TableSheet, row: RowSpec, col: Column) -> bool:
    """Whether the cell is computed, never an input: a declared formula cell of the
    template (:attr:`TableSheet.computed`) or a column the template fills itself."""
    return col.computed or (row.key, col.key) in spec.computed_cells


@by_identity
def _row_plan(spec: TableSheet) -> tuple[tuple[RowSpec, tuple[tuple[str, str, bool], ...]], ...]:
    """How each cell of each fixed row is read: (column key, kind, computed), worked out
    once per table spec rather than for every cell of every file."""
    plan = []
    for row in spec.rows:
        cells = []
        for col in spec.columns:
            if col.key in row.na or col.kind == "label":
                cells.append((col.key, "text", False))
            else:
                cells.append((col.key, col.kind, _computed_cell(spec, row, col)))
        plan.append((row, tuple(cells)))
    return tuple(plan)


def _fixed_rows(rd: _Reader, t: _Table, aliases: dict) -> dict[str, tuple[int | None, dict[str, Field]]]:
    """Each fixed row: (1-based row or None, column key → Field)."""
    spec = t.spec
    out: dict[str, tuple[int | None, dict[str, Field]]] = {}
    label_col = t.col(spec.columns[0].key)
    labels = (labels_in_column(rd.book.grids[spec.name], label_col, t.header + 1)
              if t.header is not None and label_col is not None else {})
    cols, name, cell = t.cols, spec.name, rd.cell
    grid = rd.book.grids[name] if t.header is not None else []
    for row, plan in _row_plan(spec):
        r = _find_label(labels, row.label, aliases) if labels else None
        if r is None:
            if t.header is not None and label_col is not None:
                rd.findings.append(F017(name, addr(spec.row_of(row.key), 1), expected=row.label))
            out[row.key] = (None, {c.key: _absent(name, spec.cell(row.key, c.key)) for c in spec.columns})
            continue
        fields: dict[str, Field] = {}
        cells = grid[r]  # r was found in this grid
        n = len(cells)
        a1s = _a1_row(r)
        for key, kind, computed in plan:
            c = cols.get(key)
            if c is None:
                fields[key] = _absent(name, addr(r + 1, spec.col_of(key)))
                continue
            raw = cells[c] if c < n else None
            if raw.__class__ is float and a1s is not None and c < _A1_COLS and kind in _FLOAT_KINDS and raw - raw == 0:
                fields[key] = Field(raw, name, a1s[c], raw, "ok", False, computed)  # most cells: as cell() would
            else:
                fields[key] = cell(name, r, c, kind, computed=computed)
        out[row.key] = (r + 1, fields)
    # A probe loaded by a later row also answers for blank computed cells read earlier.
    hits = scanned_cells(rd.book, spec.name)
    if hits:
        for _row, fields in out.values():
            for key, f in fields.items():
                if f.status == "blank" and f.formula and f.cell in hits:
                    fields[key] = rd._empty(spec.name, f.cell, True, spec.column(key).kind)
    return out


def _after_field(rd: _Reader, t: _Table, key: str, aliases: dict) -> Field:
    spec = t.spec
    f = spec.after_field(key)
    if t.header is None:
        return _absent(spec.name, spec.after_cell(key))
    labels = labels_in_column(rd.book.grids[spec.name], 0, t.header + 1)
    r = _find_label(labels, f.label, aliases)
    if r is None:
        rd.findings.append(F017(spec.name, addr(spec.after_row_of(key), 1), expected=f.label))
        return _absent(spec.name, spec.after_cell(key))
    return rd.cell(spec.name, r, 1, f.kind)


def _free_rows(rd: _Reader, t: _Table, content_keys: tuple[str, ...]) -> list[int]:
    """0-based rows of a free table holding something in ``content_keys`` columns, from
    the row after the header to the last non-blank row (blank rows skipped)."""
    if t.header is None:
        return []
    grid = rd.book.grids[t.spec.name]
    cols = [t.cols[k] for k in content_keys if k in t.cols]
    span = _span(cols)
    return [r for r in range(t.header + 1, len(grid)) if not _row_blank(grid, r, cols, span)]
