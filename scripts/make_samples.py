"""Regenerate samples/ (the seed unit, the 示例县 batch, MANIFEST.json) and the shipped template.

Usage: python scripts/make_samples.py [--out samples] [--formats DIR] [--no-convert] [--template PATH]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from samplegen.dept import make_samples  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=ROOT / "samples", help="output directory (default: samples/)")
    ap.add_argument("--formats", type=Path, default=ROOT / "tests" / "data" / "formats",
                    help="where the LibreOffice .ods/.xls copies of the seed go (default: tests/data/formats)")
    ap.add_argument("--no-convert", action="store_true", help="skip the .ods/.xls copies of the seed file")
    ap.add_argument("--template", type=Path, default=ROOT / "templates" / "部门整体支出绩效自评表.xlsx",
                    help="where to write the shipped blank template (year 2025)")
    args = ap.parse_args()
    for p in make_samples(args.out, formats_dir=None if args.no_convert else args.formats, template=args.template):
        print(p)


if __name__ == "__main__":
    main()
