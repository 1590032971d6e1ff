"""Shared fixtures: the seed unit's data, a workbook factory, and a LibreOffice converter."""

from __future__ import annotations

import shutil
import subprocess
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from samplegen import dept as samples



@pytest.fixture
def seed_data() -> dict[str, Any]:
    """A fresh deep copy of the reference unit's data (桃源县科学技术协会, 2023)."""
    return samples.seed_data()


@pytest.fixture
def make_xlsx(tmp_path: Path) -> Callable[..., Path]:
    """Factory: ``make_xlsx(data=None, name="t.xlsx", **write_workbook_kwargs) -> Path``."""
    from perfxl.template import write_workbook

    def make(data: dict[str, Any] | None = None, name: str = "t.xlsx", **kwargs: Any) -> Path:
        return write_workbook(tmp_path / name, data, **kwargs)

    return make


@pytest.fixture
def soffice_convert(tmp_path: Path) -> Callable[..., Path]:
    """``soffice_convert(src, fmt, outdir) -> Path``: convert with LibreOffice headless.

    Each call uses its own profile directory; the test is skipped when soffice is absent.
    ``fmt`` is a --convert-to argument such as "xlsx", "ods", "csv" or "pdf".
    """
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if exe is None:
        pytest.skip("LibreOffice (soffice) not installed")

    def convert(src: str | Path, fmt: str, outdir: str | Path) -> Path:
        src, outdir = Path(src), Path(outdir)
        outdir.mkdir(parents=True, exist_ok=True)
        profile = tmp_path / f"lo-profile-{uuid.uuid4().hex}"
        proc = subprocess.run(
            [exe, f"-env:UserInstallation={profile.resolve().as_uri()}", "--headless", "--norestore",
             "--convert-to", fmt, "--outdir", str(outdir), str(src)],
            capture_output=True, text=True, timeout=180,
        )
        out = outdir / f"{src.stem}.{fmt.split(':')[0]}"
        if proc.returncode != 0 or not out.exists():
            raise AssertionError(f"soffice failed ({proc.returncode}): {proc.stdout} {proc.stderr}")
        return out

    return convert
