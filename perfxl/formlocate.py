"""Locating the blocks of a one-sheet form by their labels, wherever they stand.

A 项目支出绩效自评表 comes from many hands: perfxl's template, the bureau's copy of the
national form, a department's own re-typing.  Rows are inserted, columns dropped or
swapped, labels merged across cells and broken by spaces.  Nothing here trusts an
address: each block is found by its labels, each value by where it stands relative to
its label.  The result is coordinates only (0-based); reading and judging the cells is
the reader's job.

Merged ranges (xlsx and xls tell them; ods does not) say where a label's cell ends, so
a value is the first cell after it.  Without them, the value is the first non-empty
cell right of the label before the next label.
"""

from __future__ import annotations

import functools
import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping, Sequence

from perfxl.numbers import fold, norm_label
from perfxl.spec_project import FormBlock, FormPage, TableBlock, TotalBlock

__all__ = ["Merges", "TableHit", "FormHit", "locate_form", "find_year", "is_form", "label_key"]

Grid = Sequence[Sequence[Any]]
Range = tuple[tuple[int, int], tuple[int, int]]

# A label is short; longer text is content (a goal, an explanation) and never a label.
_MAX_LABEL = 40
# '指标1：' and '（一）' style prefixes, '★' marks and trailing '（50分）' weights on labels.
_YEAR_RES = (
    re.compile(r"(?<!\d)((?:19|20)\d{2})年度"),
    re.compile(r"(?:填报|评价|所属)?年度[:：]((?:19|20)\d{2})(?!\d)"),
)


def label_key(text: Any) -> str:
    """A cell's text as labels are compared: folded, no whitespace (``项 目 名 称``), no
    colon, enumerator or ``*``; brackets half-width."""
    if not isinstance(text, str) or not text or len(text) > _MAX_LABEL * 2:
        return ""
    return _norm(text)


# Every cell of every form is looked at, and forms repeat their labels: each text once.
_norm = functools.lru_cache(maxsize=16384)(norm_label)


class Merges:
    """Merged ranges of one sheet: where a merged cell ends and where it starts."""

    def __init__(self, ranges: Iterable[Range] | None):
        self.known = ranges is not None
        self._end: dict[tuple[int, int], tuple[int, int]] = {}
        self._top: dict[tuple[int, int], tuple[int, int]] = {}
        for (r1, c1), (r2, c2) in ranges or ():
            self._end[(r1, c1)] = (r2, c2)
            if (r2 - r1 + 1) * (c2 - c1 + 1) <= 400:  # a form's merges are small; a whole-sheet merge is not mapped
                for r in range(r1, r2 + 1):
                    for c in range(c1, c2 + 1):
                        self._top[(r, c)] = (r1, c1)

    def end(self, r: int, c: int) -> tuple[int, int]:
        """The bottom-right cell of the merge whose top-left is (r, c), else (r, c)."""
        return self._end.get((r, c), (r, c))

    def top(self, r: int, c: int) -> tuple[int, int]:
        """The top-left cell of the merge holding (r, c), else (r, c)."""
        return self._top.get((r, c), (r, c))


@dataclass
class TableHit:
    """A located table: its header rows, its columns and its rows (0-based)."""

    role: str
    header: int  # the first header row
    header_end: int  # the last header row (a two-row header ends one lower)
    cols: dict[str, int]
    rows: dict[str, int] = field(default_factory=dict)  # fixed rows by key
    data: list[int] = field(default_factory=list)  # free rows: candidates down to the next block
    extras: list[tuple[int, str]] = field(default_factory=list)  # header cells that are no column
    label_weights: dict[int, float] = field(default_factory=dict)  # row → weight inside an 一级 label

    def col(self, key: str) -> int | None:
        return self.cols.get(key)


@dataclass
class FormHit:
    """Every block of one form sheet, located (or not: None and a note in ``missing``)."""

    sheet: str
    year: tuple[int, int, int, str] | None = None  # row, column, year, the text it came from
    fields: dict[str, tuple[tuple[int, int] | None, tuple[int, int] | None]] = field(default_factory=dict)
    tables: dict[str, TableHit] = field(default_factory=dict)
    total: tuple[int, int] | None = None  # the 总分 row and its label's column
    missing: list[tuple[str, str]] = field(default_factory=list)  # (role, key or '') not found
    anchors: tuple[str, ...] = ()  # the page's tables that make a sheet a form

    def table(self, role: str) -> TableHit | None:
        return self.tables.get(role)


Aliases = Mapping[str, tuple[str, ...]]


def _labels_of(label: str, aliases: Aliases) -> tuple[str, ...]:
    return (label, *aliases.get(label, ()))


def _key_map(block: TableBlock, aliases: Aliases) -> dict[str, str]:
    """Normalised header label or alias → column key (first column wins a shared alias)."""
    out: dict[str, str] = {}
    for col in block.columns:
        for lab in _labels_of(col.label, aliases):
            out.setdefault(_norm(lab), col.key)
    return out


class _Sheet:
    """One grid with its label index: normalised text → cells holding it."""

    def __init__(self, grid: Grid, merges: Merges):
        self.grid = grid
        self.merges = merges
        self.keys: dict[tuple[int, int], str] = {}
        self.index: dict[str, list[tuple[int, int]]] = {}
        for r, row in enumerate(grid):
            for c, v in enumerate(row):
                # (label_key spelt out: numbers and empty cells, most of a form, cost no call)
                if v.__class__ is not str or not v or len(v) > _MAX_LABEL * 2:
                    continue
                k = _norm(v)
                if k:
                    self.keys[(r, c)] = k
                    self.index.setdefault(k, []).append((r, c))

    def width(self, r: int) -> int:
        return len(self.grid[r]) if 0 <= r < len(self.grid) else 0

    def value(self, r: int, c: int) -> Any:
        if 0 <= r < len(self.grid):
            row = self.grid[r]
            if 0 <= c < len(row):
                v = row[c]
                return None if v == "" else v
        return None

    def find(self, labels: Iterable[str], rows: range | None = None) -> list[tuple[int, int]]:
        out: list[tuple[int, int]] = []
        for lab in labels:
            for rc in self.index.get(_norm(lab), ()):
                if rows is None or rc[0] in rows:
                    out.append(rc)
        return sorted(set(out))


def find_year(grid: Grid, rows: int = 8) -> tuple[int, int, int, str] | None:
    """The year of the form from its title area: ``（2023年度）``, ``2023年度``,
    ``（ 2023 年度 ）``, ``填报年度：2023`` (row, column, year, text)."""
    for r in range(min(rows, len(grid))):
        for c, v in enumerate(grid[r]):
            if not isinstance(v, str) or not v.strip():
                continue
            s = re.sub(r"\s+", "", fold(v))
            for pat in _YEAR_RES:
                m = pat.search(s)
                if m:
                    return r, c, int(m.group(1)), v
    return None


def _header(sh: _Sheet, block: TableBlock, aliases: Aliases, after: int = 0,
            before: int | None = None) -> TableHit | None:
    """The row holding most of the block's key columns (at least ``min_keys``); the first
    such row when several tie.  Looked up in the sheet's label index, not cell by cell."""
    keymap = _key_map(block, aliases)
    keys = set(block.key_columns)
    stop = len(sh.grid) if before is None else before
    per_row: dict[int, set[str]] = defaultdict(set)
    for label, key in keymap.items():
        if key in keys:
            for r, _c in sh.index.get(label, ()):
                if after <= r < stop:
                    per_row[r].add(key)
    best: tuple[int, int] | None = None
    for r in sorted(per_row):
        n = len(per_row[r])
        if n >= block.min_keys and (best is None or n > best[1]):
            best = (r, n)
    if best is None:
        return None
    r = best[0]
    cols: dict[str, int] = {}
    extras: list[tuple[int, str]] = []
    for c in range(sh.width(r)):
        k = sh.keys.get((r, c))
        if not k:
            continue
        key = keymap.get(k)
        if key is None:
            extras.append((c, str(sh.value(r, c)).strip()))
        elif key not in cols:
            cols[key] = c
    titles = {_norm(x) for x in (block.title, *block.title_aliases)}
    extras = [(c, t) for c, t in extras if label_key(t) not in titles]
    hit = TableHit(block.role, r, r, cols, extras=extras)
    _second_header_row(sh, hit, keymap)
    return hit


def _second_header_row(sh: _Sheet, hit: TableHit, keymap: dict[str, str]) -> None:
    """A two-row header: the row below names sub-columns (指标性质 | 指标值 | 度量单位 under a
    merged 年度指标值).  Sub-labels take their own columns; a parent whose merge they
    split gives way to them."""
    r = hit.header + 1
    found: dict[str, int] = {}
    for c in range(sh.width(r)):
        k = sh.keys.get((r, c))
        key = keymap.get(k) if k else None
        if key is not None and key not in found:
            found[key] = c
    # Data rows hold no header labels: two of them make the row a sub-header.
    if len(found) < 2:
        return
    hit.cols.update(found)
    hit.header_end = r


def _row_labels(sh: _Sheet, block: TableBlock, hit: TableHit, stop: int, aliases: Aliases) -> None:
    """Fixed rows: each row label found left of the first data column, below the header."""
    data_cols = [c for k, c in hit.cols.items() if k != "item"]
    first_data = min(data_cols) if data_cols else sh.width(hit.header)
    for rs in block.rows:
        want = {_norm(x) for x in _labels_of(rs.label, aliases)}
        for r in range(hit.header_end + 1, stop):
            if r in hit.rows.values():
                continue
            if any(sh.keys.get((r, c)) in want for c in range(first_data)):
                hit.rows[rs.key] = r
                break
    if "item" not in hit.cols and hit.rows:
        # Where the labels stand (the first of them) is the item column.
        r = hit.rows[next(iter(hit.rows))]
        for c in range(first_data):
            if sh.keys.get((r, c)):
                hit.cols["item"] = c
                break


def _field_value(sh: _Sheet, r: int, c: int, stop_labels: set[str]) -> tuple[int, int]:
    """Where the value of the label at (r, c) sits: right after the label's merged range;
    without merge information, the first non-empty cell before another label."""
    _r2, c2 = sh.merges.end(r, c)
    if sh.merges.known:
        return r, c2 + 1
    for cc in range(c + 1, sh.width(r)):
        if sh.keys.get((r, cc)) in stop_labels:
            break
        if sh.value(r, cc) is not None:
            return r, cc
    return r, c + 1


def _weight_in_label(text: Any) -> float | None:
    """``产出指标（50分）`` → 50."""
    if not isinstance(text, str):
        return None
    m = re.search(r"[(（]\s*(\d+(?:\.\d+)?)\s*分?\s*[)）]", fold(text))
    return float(m.group(1)) if m else None


def locate_form(sheet: str, grid: Grid, merges: Iterable[Range] | None, page: FormPage) -> FormHit:
    """Locate every block of ``page`` on one sheet.

    Tables are looked for from the last one up (``page.blocks`` stand in sheet order): the
    last table's header is searched on the whole sheet, each earlier one above the next
    one found (a money table's 分值/得分 headers are no indicator table).  A table's rows
    run down to the next table's header, a free table's down to its total row.
    """
    sh = _Sheet(grid, Merges(merges))
    hit = FormHit(sheet)
    aliases = page.aliases
    tables = page.tables
    found: dict[str, TableHit] = {}
    before: int | None = None
    for block in reversed(tables):
        h = _header(sh, block, aliases, 0, before)
        if h is not None:
            found[block.role] = h
            before = h.header
    located = [b for b in tables if b.role in found]
    totals = {b.of: b for b in page.blocks if isinstance(b, TotalBlock)}
    for i, block in enumerate(located):
        t = found[block.role]
        stop = found[located[i + 1].role].header if i + 1 < len(located) else len(grid)
        if block.rows:
            _row_labels(sh, block, t, stop, aliases)
        else:
            total = _total_row(sh, totals.get(block.role), t, aliases)
            if total is not None:
                stop = min(stop, total[0])
                hit.total = total
            t.data = list(range(t.header_end + 1, stop))
            level1 = t.col("level1")
            if level1 is not None:
                for r in t.data:
                    w = _weight_in_label(sh.value(r, level1))
                    if w is not None:
                        t.label_weights[r] = w
        hit.tables[block.role] = t
    for block in tables:
        if block.role not in hit.tables:
            hit.missing.append((block.role, ""))
    for block in page.blocks:
        if isinstance(block, FormBlock):
            _form_fields(sh, block, hit, aliases)
    # The year stands in the title lines, above the first block (a project name such as
    # '2023年高标准农田建设' further down is not the year of the form).
    first = min([rc[0] for rc, _v in hit.fields.values() if rc is not None]
                + [t.header for t in hit.tables.values()], default=8)
    hit.year = find_year(grid, max(first, 1))
    hit.anchors = page.anchors
    return hit


def _total_row(sh: _Sheet, block: Any, ind: TableHit, aliases: Aliases) -> tuple[int, int] | None:
    if not isinstance(block, TotalBlock):
        return None
    want = {_norm(x) for x in (block.label, *block.aliases, *aliases.get(block.label, ()))}
    data_cols = [c for k, c in ind.cols.items() if k in ("target", "actual", "weight", "self_score")]
    first = min(data_cols) if data_cols else sh.width(ind.header)
    for r in range(ind.header_end + 1, len(sh.grid)):
        for c in range(first):
            if sh.keys.get((r, c)) in want:
                return r, c
    return None


def _form_fields(sh: _Sheet, block: FormBlock, hit: FormHit, aliases: Aliases) -> None:
    stop = min((t.header for t in hit.tables.values()), default=len(sh.grid))
    all_labels = {_norm(x) for f in block.fields for x in _labels_of(f.label, aliases)}
    for t in hit.tables.values():
        all_labels |= {sh.keys[(t.header, c)] for c in t.cols.values() if (t.header, c) in sh.keys}
    for f in block.fields:
        found = sh.find(_labels_of(f.label, aliases), range(0, stop)) or sh.find(_labels_of(f.label, aliases))
        if not found:
            hit.fields[f.key] = (None, None)
            hit.missing.append(("profile", f.key))
            continue
        r, c = found[0]
        hit.fields[f.key] = ((r, c), _field_value(sh, r, c, all_labels))


def is_form(hit: FormHit) -> bool:
    """Whether a located sheet holds a form at all (one of its page's anchor tables)."""
    return any(role in hit.tables for role in hit.anchors)
