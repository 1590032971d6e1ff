"""The sample workbooks: the seed unit's figures, the 示例县 batch and its manifest."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from python_calamine import CalamineWorkbook
from stdnum.cn import uscc

from perfxl.rulebook import LEVEL_KEYS, default_rulebook
from samplegen.dept import COUNTY, MISTAKES, SEED_FILE, county_units, make_samples, seed_data
from perfxl.spec import (
    BUDGET,
    DEPT,
    INDICATORS,
    PROFILE,
    SELF_SCORE,
    THREE_PUBLIC,
    addr,
    split_addr,
)

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
FORMATS = ROOT / "tests" / "data" / "formats"
RB = default_rulebook()


class Book:
    """Cached cell values of a workbook, read with python-calamine, by sheet!A1."""

    def __init__(self, path: Path):
        wb = CalamineWorkbook.from_path(str(path))
        self.sheets = {n: wb.get_sheet_by_name(n).to_python() for n in wb.sheet_names}

    def __getitem__(self, ref: str):
        sheet, a1 = ref.split("!")
        row, col = split_addr(a1)
        rows = self.sheets[sheet]
        if row > len(rows) or col > len(rows[row - 1]):
            return ""
        return rows[row - 1][col - 1]

    def budget(self, row: str, col: str):
        return self[f"{BUDGET.name}!{BUDGET.cell(row, col)}"]

    def profile(self, key: str):
        return self[f"{PROFILE.name}!{PROFILE.cell(key)}"]

    def score(self, row: str, col: str = "self_score"):
        return self[f"{SELF_SCORE.name}!{SELF_SCORE.cell(row, col)}"]

    def indicators(self) -> list[dict]:
        rows = self.sheets[INDICATORS.name][INDICATORS.first_row - 1:]
        keys = [c.key for c in INDICATORS.columns]
        out, level1, level2 = [], None, None
        for row in rows:
            d = dict(zip(keys, row))
            if not d["name"]:
                continue
            level1 = d["level1"] or level1
            level2 = d["level2"] or level2
            out.append({**d, "level1": level1, "level2": level2})
        return out


def rule_score(ind: dict) -> float | None:
    """The score the default rules give a quantitative indicator (DOMAIN.md)."""
    t, a, w = ind["target"], ind["actual"], ind["weight"]
    if not isinstance(a, (int, float)):
        return None
    if ind["direction"] == "≥":
        return w if a >= t else a / t * w
    if ind["direction"] == "≤":
        return w if a <= t else t / a * w
    return w if a == t else min(a, t) / max(a, t) * w


def in_band(ind: dict) -> bool:
    lo, hi = RB.qualitative[ind["completion"]]
    frac = ind["self_score"] / ind["weight"]
    top = hi >= 1
    return lo - 1e-9 <= frac and (frac <= hi + 1e-9 if top else frac < hi - 1e-9)


@pytest.fixture(scope="module")
def seed_book() -> Book:
    return Book(SAMPLES / SEED_FILE)


def test_seed_data_does_not_import_xlsxwriter() -> None:
    scripts = str(Path(__file__).resolve().parent.parent / "scripts")
    code = (f"import sys; sys.path.insert(0, {scripts!r}); from samplegen.dept import seed_data; seed_data(); "
            "print('xlsxwriter' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_seed_data_is_a_fresh_copy() -> None:
    a = seed_data()
    a["indicators"].clear()
    assert len(seed_data()["indicators"]) == 14


def test_seed_profile(seed_book: Book) -> None:
    assert seed_book.profile("name") == "桃源县科学技术协会"
    assert seed_book.profile("year") == 2023
    assert seed_book.profile("credit_code") == "13430725006431661H"
    assert uscc.is_valid(seed_book.profile("credit_code"))
    assert seed_book.profile("unit_type") == "群团组织"
    expected = {"internal_orgs": 3, "sub_orgs": 1, "staff_quota": 11, "staff_on_post": 9, "retirees": 10}
    assert {k: seed_book.profile(k) for k in expected} == expected


def test_seed_budget(seed_book: Book) -> None:
    b = seed_book.budget
    assert b("total", "initial") == pytest.approx(285.84)
    assert b("total", "actual") == pytest.approx(309.39)
    assert b("total", "last_year") == pytest.approx(326.28)
    assert b("total", "change") == pytest.approx(-16.89)
    assert b("total", "change") / b("total", "last_year") == pytest.approx(-0.0518, abs=5e-5)
    assert b("total", "actual") / b("total", "initial") == pytest.approx(1.0824, abs=5e-5)
    assert b("total", "rate") == pytest.approx(1.0)
    assert b("basic", "change") == pytest.approx(-18.02)
    assert b("project", "change") == pytest.approx(1.13)
    for col in ("initial", "adjusted", "actual", "last_year"):
        assert b("basic", col) + b("project", col) == pytest.approx(b("total", col))
        assert b("staff", col) + b("public", col) == pytest.approx(b("basic", col))


def test_seed_three_public(seed_book: Book) -> None:
    def tp(row: str, col: str):
        return seed_book[f"{THREE_PUBLIC.name}!{THREE_PUBLIC.cell(row, col)}"]

    assert tp("reception", "actual") == pytest.approx(3.75)
    assert (tp("reception", "batches"), tp("reception", "persons")) == (26, 270)
    assert tp("abroad", "actual") == 0 and tp("cars", "actual") == 0
    assert tp("total", "actual") == pytest.approx(3.75)
    assert seed_book[f"{THREE_PUBLIC.name}!{THREE_PUBLIC.after_cell('car_count')}"] == 0


def test_seed_goals_indicators_and_scores(seed_book: Book) -> None:
    goals = [r for r in seed_book.sheets["绩效目标"][3:] if r[1]]
    assert len(goals) == 4 and goals[0][1].startswith("进一步抓好重点人群的科学素质提升")
    inds = seed_book.indicators()
    assert len(inds) == 14
    by_name = {d["name"]: d for d in inds}
    assert by_name["开展科技志愿服务活动次数"]["target"] == 10 and by_name["开展科技志愿服务活动次数"]["actual"] == 151
    assert by_name["评选表彰优秀科技工作者人数"]["actual"] == 45
    for label, weight in RB.weights.items():
        if label in ("产出指标", "效益指标", "满意度指标"):
            assert sum(d["weight"] for d in inds if d["level1"] == label) == weight
            assert seed_book.score(LEVEL_KEYS[label]) == pytest.approx(
                sum(d["self_score"] for d in inds if d["level1"] == label))
    # Every self-score is what the default rules give (the seed has no errors).
    for d in inds:
        if d["direction"] == "定性":
            assert in_band(d), d["name"]
        else:
            assert d["self_score"] == pytest.approx(rule_score(d), abs=RB.score_tolerance), d["name"]
        if d["self_score"] < d["weight"]:
            assert d["reason"], d["name"]
    assert seed_book.score("budget_execution") == 10
    assert seed_book.score("total") == 95
    assert seed_book[f"{SELF_SCORE.name}!{SELF_SCORE.after_cell('grade')}"] == "优" == RB.grade(95)
    text = " ".join(r[0] for r in seed_book.sheets["填报说明"] if r and r[0])
    assert "示例数字" in text and "全年预算数" in text and "满意度" in text


def test_seed_through_the_reader() -> None:
    from perfxl.reader import read_unit

    unit = read_unit(SAMPLES / SEED_FILE)
    assert (unit.name, unit.year, unit.credit_code) == ("桃源县科学技术协会", 2023, "13430725006431661H")
    assert unit.template_id == DEPT.template_id
    assert unit.budget["total"].actual.value == pytest.approx(309.39)
    assert unit.budget["total"].actual.ref == f"{BUDGET.name}!{BUDGET.cell('total', 'actual')}"
    assert len(unit.indicators) == 14 and len(unit.goals) == 4
    assert unit.scores["total"].self_score.value == pytest.approx(95)
    assert unit.grade.value == "优"


@pytest.fixture(scope="module")
def manifest() -> dict:
    return json.loads((SAMPLES / "MANIFEST.json").read_text("utf-8"))


def test_county_is_fictional_and_large_enough(manifest: dict) -> None:
    county = [f for f in manifest["files"] if f["unit"].find(COUNTY) >= 0]
    assert len(county) >= 30
    assert COUNTY == "示例县"
    names = [f["unit"] for f in county]
    assert len(set(names)) == len(names)
    faulty = [f for f in county if not f["clean"]]
    for f in county:
        assert f["clean"] == (not any(m["severity"] in ("error", "warning") for m in f["mistakes"]))
    assert 0.25 <= len(faulty) / len(county) <= 0.45
    planted = {m["tag"] for f in county for m in f["mistakes"]}
    assert planted == set(MISTAKES)


def test_county_units_deterministic_and_writable(make_xlsx) -> None:
    a, b = county_units(), county_units()
    assert a == b
    assert county_units(seed=7) != a
    name, data, tags = a[0]
    assert name.endswith(".xlsx") and isinstance(tags, list)
    make_xlsx(data)  # the data dicts are plain write_workbook input


def _check_mistake(book: Book, wb: openpyxl.Workbook, tag: str, cells: list[str]) -> None:
    """Independently confirm that the planted mistake is there, at the cells listed."""
    inds = book.indicators()
    cell = cells[0] if cells else None
    if cell:
        sheet = cell.split("!")[0]
        assert sheet in DEPT.sheet_names
    if cell:
        row, col = split_addr(cell.split("!")[1])
    if tag in ("bad-credit-code", "staff-over-quota", "placeholder-required"):
        field = PROFILE.fields[row - PROFILE.first_row]
        assert col == 2
    if tag == "bad-credit-code":
        assert field.key == "credit_code" and not uscc.is_valid(book[cell])
    elif tag == "staff-over-quota":
        assert field.key == "staff_on_post" and book[cell] > book.profile("staff_quota")
    elif tag == "placeholder-required":
        assert field.required and RB.is_placeholder(book[cell])
    elif tag == "words-in-number":
        assert INDICATORS.columns[col - 1].key in ("target", "actual")
        assert isinstance(book[cell], str) and not book[cell].replace(".", "").isdigit()
    elif tag == "text-number":
        assert BUDGET.columns[col - 1].kind == "amount"
        assert isinstance(book[cell], str)
        assert float(book[cell].replace(",", "").replace("万元", "")) > 0
    elif tag == "total-off":
        sources = sum(book.budget(k, "actual") for k in ("general", "fund", "special", "other"))
        assert abs(sources - book.budget("basic", "actual") - book.budget("project", "actual")) > 0.01
    elif tag == "typed-over-formula":
        sheet, a1 = cell.split("!")
        assert wb[sheet][a1].data_type == "n"
        sources = sum(book.budget(k, "actual") for k in ("general", "fund", "special", "other"))
        assert abs(book[cell] - sources) > 0.01
    elif tag == "over-budget":
        for c in cells:
            row, _ = split_addr(c.split("!")[1])
            key = BUDGET.rows[row - BUDGET.first_row].key
            assert book.budget(key, "actual") > book.budget(key, "adjusted")
    elif tag == "low-execution-no-note":
        for c in cells:
            row, _ = split_addr(c.split("!")[1])
            key = BUDGET.rows[row - BUDGET.first_row].key
            assert book[c] == "" and book.budget(key, "rate") < RB.explain_below
    elif tag == "three-public-over-budget":
        row, col = split_addr(cell.split("!")[1])
        assert book[cell] > book.sheets[THREE_PUBLIC.name][row - 1][THREE_PUBLIC.col_of("budget") - 1]
    elif tag in ("inflated-self-score", "missing-reason", "qualitative-out-of-band"):
        row, _ = split_addr(cell.split("!")[1])
        d = inds[row - INDICATORS.first_row]
        if tag == "qualitative-out-of-band":
            assert d["direction"] == "定性" and not in_band(d)
        elif tag == "inflated-self-score":
            assert d["self_score"] > rule_score(d) + RB.score_tolerance
        else:
            assert d["actual"] < d["target"] and book[cell] == ""
            assert d["self_score"] == pytest.approx(rule_score(d), abs=RB.score_tolerance)
    elif tag == "weights-not-100":
        assert sum(d["weight"] for d in inds if d["level1"] == "产出指标") != RB.weights["产出指标"]
        # Reported where the 产出指标 group starts.
        assert cell == f"{INDICATORS.name}!{addr(INDICATORS.first_row, INDICATORS.col_of('weight'))}"
    elif tag == "grade-mismatch":
        assert book[cell] != RB.grade(round(book.score("total"), 2))
    elif tag == "merged-levels":
        assert wb[INDICATORS.name].merged_cells.ranges
    else:  # pragma: no cover - a new tag needs a check here
        raise AssertionError(f"no check for {tag}")


def _clean_checks(book: Book) -> None:
    """What a clean file satisfies: balances, valid code, scores by the rules, grade."""
    assert uscc.is_valid(book.profile("credit_code"))
    assert book.profile("staff_on_post") <= book.profile("staff_quota")
    b = book.budget
    for col in ("initial", "adjusted", "actual", "last_year"):
        total = sum(b(k, col) for k in ("general", "fund", "special", "other") if not isinstance(b(k, col), str))
        if not any(isinstance(b(k, col), str) for k in ("general", "fund", "special", "other")):
            assert b("basic", col) + b("project", col) == pytest.approx(total, abs=0.005)
    for d in book.indicators():
        if d["direction"] == "定性":
            assert in_band(d)
        else:
            assert d["self_score"] == pytest.approx(rule_score(d), abs=RB.score_tolerance)
            if d["self_score"] < d["weight"]:
                assert d["reason"]
    for label in ("产出指标", "效益指标", "满意度指标"):
        assert sum(d["weight"] for d in book.indicators() if d["level1"] == label) == RB.weights[label]
    grade = book[f"{SELF_SCORE.name}!{SELF_SCORE.after_cell('grade')}"]
    assert grade == RB.grade(round(book.score("total"), 2))


def test_manifest_cells_show_the_planted_mistakes(manifest: dict) -> None:
    for entry in manifest["files"]:
        if not entry["file"].endswith(".xlsx"):
            continue
        path = SAMPLES / entry["file"]
        book, wb = Book(path), openpyxl.load_workbook(path)
        for m in entry["mistakes"]:
            _check_mistake(book, wb, m["tag"], m["cells"])
        for w in entry.get("expected_warnings", []):
            assert w["tag"] == "over-completion"
            for c in w["cells"]:
                row, _ = split_addr(c.split("!")[1])
                d = book.indicators()[row - INDICATORS.first_row]
                assert d["actual"] >= RB.over_completion * d["target"]
        if entry["clean"] and "text-number" not in entry["tags"]:
            _clean_checks(book)
        assert entry["grade"] == book[f"{SELF_SCORE.name}!{SELF_SCORE.after_cell('grade')}"]


def _cells(path: Path) -> dict:
    return Book(path).sheets


def test_make_samples_is_deterministic(tmp_path: Path) -> None:
    a = make_samples(tmp_path / "a", n=6, seed=11, formats_dir=None)
    b = make_samples(tmp_path / "b", n=6, seed=11, formats_dir=None)
    assert [p.name for p in a] == [p.name for p in b]
    assert len(a) == 1 + 6 + 1  # seed, county, manifest
    for pa, pb in zip(a, b):
        assert pa.read_bytes() == pb.read_bytes(), pa.name


def test_committed_samples_match_a_fresh_generation(tmp_path: Path) -> None:
    fresh = make_samples(tmp_path, formats_dir=None)
    for p in fresh:
        committed = SAMPLES / p.name
        assert committed.exists(), f"{p.name} missing: run python scripts/make_samples.py"
        if p.suffix == ".xlsx":
            assert _cells(committed) == _cells(p), p.name
    fresh_manifest = json.loads((tmp_path / "MANIFEST.json").read_text("utf-8"))
    committed_manifest = json.loads((SAMPLES / "MANIFEST.json").read_text("utf-8"))
    assert committed_manifest == fresh_manifest


def test_converted_copies_read_like_the_original() -> None:
    converted = sorted(FORMATS.glob("*.*"))
    assert {p.suffix for p in converted} == {".ods", ".xls"}, "run python scripts/make_samples.py"
    original = Book(SAMPLES / SEED_FILE)
    for path in converted:
        book = Book(path)
        assert book.profile("name") == original.profile("name")
        assert book.budget("total", "actual") == pytest.approx(309.39)
        assert book.score("total") == pytest.approx(95)


def test_the_installed_package_carries_no_sample_generator() -> None:
    import importlib.util

    import perfxl

    assert importlib.util.find_spec("perfxl.samples") is None
    pkg = Path(perfxl.__file__).resolve().parent
    assert not list(pkg.rglob("samplegen*")) and not (pkg / "samples.py").exists()
