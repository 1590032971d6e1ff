"""What `pip install .` puts in the wheel: every package of perfxl, and no development code."""

from __future__ import annotations

import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _wheel_packages() -> set[str]:
    """The packages setuptools builds from pyproject.toml, as a wheel build reads it."""
    from setuptools.config.pyprojecttoml import apply_configuration
    from setuptools.dist import Distribution

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        dist = apply_configuration(Distribution(), ROOT / "pyproject.toml")
    return set(dist.packages or ())


def test_every_perfxl_package_goes_into_the_wheel() -> None:
    """A package missing from the wheel works in an editable install and fails in a real
    one (perfxl.read and perfxl.codes were once left out)."""
    on_disk = {".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "perfxl").rglob("__init__.py")}
    assert {"perfxl", "perfxl.read", "perfxl.codes"} <= on_disk
    assert on_disk <= _wheel_packages()


def test_the_wheel_carries_no_development_code() -> None:
    packages = _wheel_packages()
    assert all(p == "perfxl" or p.startswith("perfxl.") for p in packages), packages
