"""PDF copies of the reports, made by LibreOffice (``soffice --headless --convert-to pdf``).

One soffice call converts every document of a run (LibreOffice starts once), with its own
profile directory (two runs at once do not share, or lock, a profile) and a fontconfig file
that maps the GB/T 9704 fonts to the closest installed faces when the GB fonts themselves are
absent (:data:`perfxl.writeup.gbt9704.FONTCONFIG_ALIASES`), so a Linux server prints 仿宋 as
a serif face rather than whatever comes first.  The PDFs are written next to the .docx files
under temporary names and moved into place one by one, atomically.

Without soffice on PATH nothing is converted and :func:`find_soffice` returns None; callers
say so.  A conversion that fails or hangs (``timeout``) is reported, never hidden.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence
from xml.sax.saxutils import escape

from perfxl.writeup.gbt9704 import FONTCONFIG_ALIASES

__all__ = ["find_soffice", "PdfResult", "to_pdf", "NO_SOFFICE", "fontconfig_file"]

NO_SOFFICE = ("未找到 LibreOffice（soffice），未生成 PDF；安装 libreoffice-writer 后重试 / "
              "LibreOffice (soffice) not found: no PDF written")


def find_soffice() -> str | None:
    """The LibreOffice executable on PATH, or None."""
    return shutil.which("soffice") or shutil.which("libreoffice")


@dataclass
class PdfResult:
    """PDFs written, and the documents that could not be converted (with why)."""

    written: list[Path] = field(default_factory=list)
    failed: list[tuple[Path, str]] = field(default_factory=list)


def fontconfig_file(folder: Path) -> Path:
    """A fontconfig file: the system's configuration plus the GB font fallbacks."""
    rules = []
    for name, families in FONTCONFIG_ALIASES.items():
        accept = "".join(f"<family>{escape(f)}</family>" for f in families)
        rules.append(f'  <alias binding="same"><family>{escape(name)}</family><accept>{accept}</accept></alias>')
    path = folder / "fonts.conf"
    path.write_text('<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n'
                    '  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>\n'
                    + "\n".join(rules) + "\n</fontconfig>\n", encoding="utf-8")
    return path


def to_pdf(docs: Sequence[Path], soffice: str | None = None, timeout: float | None = None) -> PdfResult:
    """Convert ``docs`` (.docx) to PDFs beside them; returns what was written and what failed.

    ``timeout``: seconds for the whole call (default 60 + 10 per document).
    """
    result = PdfResult()
    if not docs:
        return result
    exe = soffice or find_soffice()
    if exe is None:
        result.failed = [(d, NO_SOFFICE) for d in docs]
        return result
    limit = timeout if timeout is not None else 60 + 10 * len(docs)
    with tempfile.TemporaryDirectory(prefix="perfxl-pdf-") as tmp_name:
        tmp = Path(tmp_name)
        outdir = tmp / "out"
        outdir.mkdir()
        env = dict(os.environ, FONTCONFIG_FILE=str(fontconfig_file(tmp)))
        # Each document gets a short ASCII name in the work folder: soffice names its
        # output after the input, and two inputs of the same stem must not collide.
        staged = []
        for i, doc in enumerate(docs):
            src = tmp / f"doc{i:05d}.docx"
            shutil.copyfile(doc, src)
            staged.append(src)
        cmd = [exe, f"-env:UserInstallation={(tmp / 'profile').as_uri()}", "--headless", "--norestore",
               "--nologo", "--convert-to", "pdf", "--outdir", str(outdir), *map(str, staged)]
        try:
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=limit, env=env, check=False)
            why = (proc.stderr or proc.stdout or "").strip()[-300:] or f"soffice exited with code {proc.returncode}"
        except subprocess.TimeoutExpired:
            why = f"LibreOffice 转换超时（{limit:.0f} 秒）/ conversion timed out"
        except OSError as e:
            why = f"无法运行 LibreOffice / cannot run soffice: {e}"
        from perfxl.safe import atomic_path

        for doc, src in zip(docs, staged):
            made = outdir / f"{src.stem}.pdf"
            if made.exists() and made.stat().st_size > 0:
                dest = doc.with_suffix(".pdf")
                with atomic_path(dest) as tmp_dest:
                    shutil.copyfile(made, tmp_dest)
                result.written.append(dest)
            else:
                result.failed.append((doc, f"PDF 转换失败 / conversion failed: {why}"))
    return result
