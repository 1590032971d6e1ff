"""Every mistake planted in samples/ is found at its cell; clean samples have no errors.

samples/MANIFEST.json (written by scripts/make_samples.py) lists each file, whether it is
clean and its mistakes with the cells a checker should point at.  Skipped when the
samples have not been generated.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from perfxl.check import CheckOptions, check_file
from perfxl.rulebook import default_rulebook

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
MANIFEST = SAMPLES / "MANIFEST.json"

# mistake tag → the codes that report it
CODES = {
    "total-off": {"B001"},
    "typed-over-formula": {"B001"},
    "weights-not-100": {"I006"},
    "inflated-self-score": {"I009"},
    "missing-reason": {"I012"},
    "words-in-number": {"V002"},
    "staff-over-quota": {"P005"},
    "bad-credit-code": {"P003"},
    "placeholder-required": {"P002"},
    "over-budget": {"B004"},
    "low-execution-no-note": {"B005"},
    "three-public-over-budget": {"S002"},
    "qualitative-out-of-band": {"I010"},
    "grade-mismatch": {"T004"},
    "text-number": {"V001", "V012"},
    "merged-levels": set(),
}
# Tags whose cells are alternatives (the sum of 分值 can be pointed at in either sheet).
ANY_CELL = {"weights-not-100"}
# Warnings a sample may carry beyond its planted mistakes (the seed's over-completions).
ALLOWED = {"I016"}

pytestmark = pytest.mark.skipif(not MANIFEST.exists(), reason="samples/ not generated (scripts/make_samples.py)")


@pytest.fixture(scope="module")
def checked():
    manifest = json.loads(MANIFEST.read_text("utf-8"))
    files = [f for f in manifest["files"] if (SAMPLES / f["file"]).exists()]
    # One file at a time: the seed is there in three formats (.xlsx/.xls/.ods), which as
    # one batch would rightly be the same unit three times (X001).
    options = CheckOptions(default_rulebook())
    return manifest, [(f, check_file(SAMPLES / f["file"], options)) for f in files]


def test_every_tag_is_mapped(checked):
    manifest, _ = checked
    assert set(manifest["tags"]) <= set(CODES)


def test_planted_mistakes_are_found_at_their_cells(checked):
    _, pairs = checked
    for entry, fr in pairs:
        found = {(f.code, f"{f.sheet}!{f.cell}"): f for f in fr.findings}
        for m in entry["mistakes"]:
            codes = CODES[m["tag"]]
            if not codes:
                continue
            hits = [(c, cell) for cell in m["cells"] for c in codes if (c, cell) in found]
            assert hits, (entry["file"], m)
            if m["tag"] not in ANY_CELL:
                assert {cell for _, cell in hits} == set(m["cells"]), (entry["file"], m)
            for key in hits:
                assert found[key].severity.value == m["severity"], (entry["file"], m, key)


def test_nothing_else_is_reported(checked):
    _, pairs = checked
    for entry, fr in pairs:
        planted = {(c, cell) for m in entry["mistakes"] for c in CODES[m["tag"]] for cell in m["cells"]}
        stray = [(f.code, f"{f.sheet}!{f.cell}") for f in fr.findings
                 if f.severity.value in ("error", "warning") and f.code not in ALLOWED
                 and (f.code, f"{f.sheet}!{f.cell}") not in planted]
        assert stray == [], entry["file"]


def test_clean_samples_have_no_errors(checked):
    _, pairs = checked
    clean = [(e, fr) for e, fr in pairs if e["clean"]]
    assert clean
    for entry, fr in clean:
        assert fr.readable and fr.errors == 0, (entry["file"], [f.code for f in fr.findings])
