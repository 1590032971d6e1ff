"""Regenerate samples/projects/ (the 示例县 project forms and their MANIFEST.json).

Usage: python scripts/make_project_samples.py [--out samples/projects] [--seed 2023]

Files planned for perfxl's own project template are skipped, each with a message, until
``perfxl.template.write_workbook(path, data, kind="project")`` exists; the national-layout
files are always written.  Same bytes on every run (.xlsx and .xls alike).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from samplegen.make import make_project_samples  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=ROOT / "samples" / "projects",
                    help="output directory (default: samples/projects)")
    ap.add_argument("--seed", type=int, default=2023, help="random seed of the plan (default: 2023)")
    args = ap.parse_args()
    result = make_project_samples(args.out, seed=args.seed, log=lambda m: print(m, file=sys.stderr))
    for p in result.written:
        print(p)
    print(result.manifest)
    print(f"{len(result.written)} files written, {len(result.skipped)} skipped", file=sys.stderr)


if __name__ == "__main__":
    main()
