"""perfxl's load of a workbook for its annotated copy formats merged ranges with a memo
(perfxl.annotate.merges): the saved file must be what openpyxl's own load gives, byte for
byte, and any load outside perfxl's is openpyxl's own."""

from __future__ import annotations

import random
import zipfile
from pathlib import Path

import openpyxl
import pytest
from openpyxl.styles import Border, Protection, Side
from openpyxl.worksheet.cell_range import CellRange

import perfxl.annotate.merges as merges
from perfxl.annotate.merges import fast_merges

SAMPLES = Path(__file__).resolve().parents[1] / "samples"


def _saved(src: Path, dest: Path, fast: bool) -> dict[str, bytes]:
    """The parts of ``src`` loaded (with the memo or without) and saved again; docProps
    (which hold the time of saving) left out."""
    with open(src, "rb") as fh:
        if fast:
            with fast_merges():
                wb = openpyxl.load_workbook(fh, keep_vba=False, rich_text=False)
        else:
            wb = openpyxl.load_workbook(fh, keep_vba=False, rich_text=False)
    wb.save(dest)
    with zipfile.ZipFile(dest) as z:
        return {n: z.read(n) for n in z.namelist() if not n.startswith("docProps/")}


def _bordered_merges(path: Path, seed: int) -> Path:
    """A sheet whose merged ranges hold cells of many borders (saved without openpyxl's own
    merge formatting, as another program writes them): ranges of one row, one column and
    blocks, a range whose top-left cell does not exist, locked and unlocked start cells."""
    rnd = random.Random(seed)
    styles = [None, "thin", "medium", "dashed", "dotted", "double"]
    colours = ["FF000000", "FFC00000", "FF1F4E79"]

    def side() -> Side:
        style = rnd.choice(styles)
        return Side(style=style, color=rnd.choice(colours) if style else None)

    wb = openpyxl.Workbook()
    ws = wb.active
    for r in range(1, 15):
        for c in range(1, 11):
            if rnd.random() < 0.15:
                continue  # no cell here at all
            cell = ws.cell(r, c, value=rnd.choice([None, f"v{r}{c}", r * c]))
            cell.border = Border(top=side(), left=side(), right=side(), bottom=side())
            if rnd.random() < 0.3:
                cell.protection = Protection(locked=False)
    for ref in ("A1:C1", "E1:E4", "B3:D6", "F3:H4", "A8:J8", "C10:E13", "G10:G10", "H10:J14"):
        ws.merged_cells.add(CellRange(ref))  # added without formatting: the file keeps every cell's style
    ws.cell(10, 3).value = None
    del ws._cells[(10, 3)]  # the top-left cell of C10:E13 is missing
    wb.save(path)
    return path


@pytest.mark.parametrize("src", sorted((SAMPLES / "projects").glob("*.xlsx"))[::6] + sorted(SAMPLES.glob("*.xlsx"))[:3],
                         ids=lambda p: p.name[:12])
def test_a_sample_saves_the_same_bytes_as_openpyxls_own_load(src: Path, tmp_path: Path) -> None:
    assert _saved(src, tmp_path / "fast.xlsx", True) == _saved(src, tmp_path / "own.xlsx", False)


@pytest.mark.parametrize("seed", range(6))
def test_merged_ranges_over_cells_of_many_borders_save_the_same_bytes(seed: int, tmp_path: Path) -> None:
    src = _bordered_merges(tmp_path / "in.xlsx", seed)
    fast, own = _saved(src, tmp_path / "fast.xlsx", True), _saved(src, tmp_path / "own.xlsx", False)
    assert fast == own
    # and the merge formatting did something to compare: edge cells got borders
    styles = fast["xl/styles.xml"].decode()
    assert styles.count("<border>") + styles.count("<border ") > 10


def test_a_load_outside_perfxls_is_openpyxls_own(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    src = _bordered_merges(tmp_path / "in.xlsx", 0)
    with fast_merges():
        pass  # the hook is in place from now on

    def memo_used(*a: object) -> None:
        raise AssertionError("the memo ran outside fast_merges()")

    monkeypatch.setattr(merges, "_format", memo_used)
    wb = openpyxl.load_workbook(src)  # a caller's own load: openpyxl's method
    assert wb.active.merged_cells.ranges
    with pytest.raises(AssertionError, match="outside"), fast_merges():
        openpyxl.load_workbook(src)  # (and inside, the memo does run)
