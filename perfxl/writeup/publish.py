"""Putting finished reports into the output folder without losing anyone's work.

A draft is meant to be edited: a clerk opens ``…_绩效自评报告.docx`` in Word, writes the
placeholders' text, saves — and later, after fixing the workbook, runs perfxl again.  So:

* perfxl records what it wrote in ``.perfxl-reports.json`` (file name → SHA-256) in the
  folder;
* a file is replaced only when perfxl wrote it and it has not changed since; an edited
  draft, or a file perfxl never wrote, stays as it is and the new one is written beside it
  (``…_2.docx``), and the result says so;
* with ``prune`` (the batch's own ``reports/`` folder), drafts of an earlier run that this
  run no longer produces are removed — again only when unchanged.

Each file is moved into place with ``os.replace`` (atomic); the manifest is written first
with the old and the new hashes, so a run stopped half-way still recognises every file it
wrote.  A document and its PDF keep the same stem.
"""

from __future__ import annotations

import contextlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

from perfxl.safe import atomic_write_text, file_sha256

__all__ = ["MANIFEST", "Published", "publish"]

MANIFEST = ".perfxl-reports.json"


@dataclass
class Published:
    """What :func:`publish` did: files written, and drafts kept because they were edited
    or not perfxl's (each with the name the new file got instead)."""

    written: list[Path] = field(default_factory=list)
    kept: list[tuple[Path, Path]] = field(default_factory=list)  # (kept file, new file's name)
    removed: list[Path] = field(default_factory=list)


def _read_manifest(folder: Path) -> dict[str, list[str]]:
    try:
        data = json.loads((folder / MANIFEST).read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    files = data.get("files") if isinstance(data, dict) else None
    if not isinstance(files, dict):
        return {}
    return {str(k): [str(h) for h in v] if isinstance(v, list) else [str(v)] for k, v in files.items()}


def _write_manifest(folder: Path, files: dict[str, list[str]]) -> None:
    atomic_write_text(folder / MANIFEST, json.dumps(
        {"about": "perfxl: the reports it wrote here (name → SHA-256); a file not listed, or changed, is never "
                  "replaced or removed", "files": dict(sorted(files.items()))},
        ensure_ascii=False, indent=1) + "\n")


def _ours(path: Path, manifest: dict[str, list[str]]) -> bool:
    """True when ``path`` is what perfxl last wrote there (unchanged since)."""
    return path.name in manifest and file_sha256(path) in manifest[path.name]


def _free_stem(folder: Path, stem: str, suffixes: Sequence[str], manifest: dict[str, list[str]],
               taken: set[str]) -> str:
    """``stem``, or ``stem_2``, ``stem_3``… — the first whose files are absent or ours."""
    n = 1
    while True:
        candidate = stem if n == 1 else f"{stem}_{n}"
        names = [candidate + s for s in suffixes]
        if not any(x.casefold() in taken for x in names) and all(
                not (folder / x).exists() or _ours(folder / x, manifest) for x in names):
            return candidate
        n += 1


def publish(groups: Sequence[Sequence[Path]], folder: str | os.PathLike[str], prune: bool = False) -> Published:
    """Move each group of staged files (a document and its PDF: same stem) into ``folder``.

    See the module docstring for what is replaced, kept and removed.
    """
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    manifest = _read_manifest(out)
    result = Published()
    plan: list[tuple[Path, Path]] = []
    taken: set[str] = set()
    for group in groups:
        if not group:
            continue
        stem = group[0].stem
        suffixes = [p.suffix for p in group]
        final = _free_stem(out, stem, suffixes, manifest, taken)
        for src in group:
            dest = out / (final + src.suffix)
            taken.add(dest.name.casefold())
            plan.append((src, dest))
            if final != stem:
                blocked = out / (stem + src.suffix)
                if blocked.exists():
                    result.kept.append((blocked, dest))
    new = {dest.name: [file_sha256(src)] for src, dest in plan}
    # First the union, so a run stopped half-way still knows every file it wrote.
    _write_manifest(out, {**manifest, **{k: sorted(set(manifest.get(k, [])) | set(v)) for k, v in new.items()}})
    for src, dest in plan:
        os.replace(src, dest)
        result.written.append(dest)
    keep = dict(new)
    for name, hashes in manifest.items():
        if name in keep:
            continue
        path = out / name
        if not path.exists():
            continue
        if prune and _ours(path, manifest):
            with contextlib.suppress(OSError):
                path.unlink()
                result.removed.append(path)
                continue
        if _ours(path, manifest):
            keep[name] = hashes  # an earlier draft of another unit, still as perfxl wrote it
    _write_manifest(out, keep)
    return result
