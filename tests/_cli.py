"""Run the perfxl command line in-process, as a user's shell would: (exit code, stdout, stderr)."""

from __future__ import annotations

import sys
from typing import Any

import pytest

from perfxl.cli import main


def run(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *args: Any) -> tuple[int, str, str]:
    """``perfxl ARGS...`` through :func:`perfxl.cli.main`, which maps errors to exit codes."""
    monkeypatch.setattr(sys, "argv", ["perfxl", *map(str, args)])
    with pytest.raises(SystemExit) as e:
        main()
    out, err = capsys.readouterr()
    return int(e.value.code or 0), out, err


def script(name: str) -> Any:
    """A module of scripts/ (development tools are not installed with perfxl), loaded by path."""
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parent.parent / "scripts" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod
