"""Safe text for cells and CSV, safe unique file names, atomic writes."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from perfxl.safe import (
    atomic_path,
    atomic_write_text,
    clean_text,
    csv_text,
    looks_like_formula,
    safe_filename,
    set_text,
    set_value,
    unique_names,
)

CELL_INJECTIONS = ['=HYPERLINK("http://x","x")', "@SUM(1)", "+1+2", "-3-4", "=1+1", "\t=1"]
# XML turns a carriage return into a line feed, so '\r' is checked in CSV only.
INJECTIONS = [*CELL_INJECTIONS, "\r=1"]


@pytest.mark.parametrize("text", CELL_INJECTIONS)
def test_formula_looking_text_stays_text_in_openpyxl(tmp_path: Path, text: str) -> None:
    from python_calamine import CalamineWorkbook

    wb = openpyxl.Workbook()
    set_text(wb.active["A1"], text)
    assert wb.active["A1"].data_type == "s"
    path = tmp_path / "t.xlsx"
    wb.save(path)
    back = openpyxl.load_workbook(path)
    assert back.active["A1"].data_type == "s"
    assert back.active["A1"].value == clean_text(text)
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
    assert rows[0][0] == clean_text(text)


def test_set_value_keeps_numbers_and_guards_text() -> None:
    ws = openpyxl.Workbook().active
    set_value(ws["A1"], 12.5)
    set_value(ws["A2"], "=A1*2")
    set_value(ws["A3"], None)
    assert ws["A1"].value == 12.5 and ws["A1"].data_type == "n"
    assert ws["A2"].value == "=A1*2" and ws["A2"].data_type == "s"
    assert ws["A3"].value is None


def test_control_characters_are_removed_not_raised() -> None:
    ws = openpyxl.Workbook().active
    set_text(ws["A1"], "单位\x00名\x07称\x1f")
    assert ws["A1"].value == "单位名称"
    assert len(clean_text("x" * 40000)) == 32767


@pytest.mark.parametrize("text", INJECTIONS)
def test_csv_text_prefixes_formula_text(text: str) -> None:
    assert looks_like_formula(text)
    assert csv_text(text).startswith("'")


def test_csv_text_leaves_plain_values() -> None:
    assert csv_text("桃源县科学技术协会") == "桃源县科学技术协会"
    assert csv_text(-3.5) == "-3.5"  # a number is not text: no prefix
    assert csv_text(7) == "7"
    assert csv_text(None) == ""


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("桃源县科学技术协会", "桃源县科学技术协会"),
        ("../../etc/passwd", "etc_passwd"),
        ("a/b\\c:d*e?f\"g<h>i|j", "a_b_c_d_e_f_g_h_i_j"),
        ("...hidden", "hidden"),
        ("CON", "_CON"),
        ("nul.tar", "_nul.tar"),
        ("trailing. ", "trailing"),
        ("", "workbook"),
        ("////", "workbook"),
        ("50%#1", "50_1"),
    ],
)
def test_safe_filename_examples(name: str, expected: str) -> None:
    assert safe_filename(name) == expected


@given(st.text(max_size=300))
def test_safe_filename_is_always_safe(name: str) -> None:
    out = safe_filename(name, max_bytes=60)
    assert out
    assert not set(out) & set('/\\:*?"<>|#%')
    assert not any(ord(ch) < 32 or ord(ch) == 127 for ch in out)
    assert not out.startswith((".", " ")) and not out.endswith((".", " "))
    assert ".." not in out
    assert len(out.encode("utf-8")) <= 61  # 60, plus '_' before a reserved device name
    assert out.split(".")[0].upper() not in {"CON", "PRN", "AUX", "NUL", "COM1", "LPT1"}


def test_safe_filename_caps_utf8_bytes_without_splitting_a_character() -> None:
    out = safe_filename("县" * 200, max_bytes=120)
    assert out == "县" * 40


def test_unique_names_suffix_in_order_ignoring_case() -> None:
    names = unique_names(["单位", "单位", "A", "a", "单位_2", "单位"], ".xlsx")
    assert names == ["单位.xlsx", "单位_2.xlsx", "A.xlsx", "a_2.xlsx", "单位_2_2.xlsx", "单位_3.xlsx"]
    assert len({n.casefold() for n in names}) == len(names)


@given(st.lists(st.text(max_size=20), max_size=30))
def test_unique_names_are_unique_and_deterministic(stems: list[str]) -> None:
    a = unique_names(stems, ".xlsx")
    assert a == unique_names(stems, ".xlsx")
    assert len({n.casefold() for n in a}) == len(stems)


def test_atomic_write_replaces_and_leaves_no_temp(tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    target.write_text("old")
    atomic_write_text(target, "new")
    assert target.read_text() == "new"
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]


def test_atomic_path_failure_keeps_old_file(tmp_path: Path) -> None:
    target = tmp_path / "汇总表.xlsx"
    target.write_bytes(b"old")
    with pytest.raises(RuntimeError):
        with atomic_path(target) as tmp:
            tmp.write_bytes(b"half")
            assert tmp.parent == target.parent and tmp.suffix == ".xlsx"
            raise RuntimeError("writer crashed")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["汇总表.xlsx"]
