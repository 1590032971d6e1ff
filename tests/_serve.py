"""Helpers for the ``perfxl serve`` tests: sample workbooks, forms, a live server."""

from __future__ import annotations

import copy
import html
import os
import re
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
B001_SAMPLE = next(SAMPLES.glob("009_*.xlsx"))  # B001 planted at 预算执行!D4 (samples/MANIFEST.json)
DEPT = "示例县人力资源和社会保障局"


def sample_data(prefix: str = "009_") -> dict[str, Any]:
    """The data of a shipped sample (as :func:`samplegen.dept.county_units` made it)."""
    from samplegen.dept import county_units

    return copy.deepcopy(next(d for f, d, _ in county_units() if f.startswith(prefix)))


def fixed_009(path: Path) -> Path:
    """Sample 009 with its planted B001 undone (its three B005 warnings stay)."""
    from perfxl.template import write_workbook

    data = sample_data("009_")
    data["budget"]["project"]["actual"] = round(data["budget"]["project"]["actual"] + 0.5, 2)
    return write_workbook(path, data)


def form_csrf(page: str, action: str) -> str:
    """The CSRF token of the form whose action starts with ``action`` on ``page``."""
    for m in re.finditer(r'<form[^>]*action="([^"]*)"[^>]*>(.*?)</form>', page, re.S):
        if html.unescape(m.group(1)).split("?")[0] == action:
            found = re.search(r'name="csrf" value="([^"]+)"', m.group(2))
            if found:
                return found.group(1)
    raise AssertionError(f"no form for {action}")


def dept_links(page: str) -> dict[str, str]:
    """Department name → its upload link path ('/d/<token>'), from the bureau's page."""
    out = {}
    for m in re.finditer(r'<tr data-dept="([^"]*)".*?value="[^"]*?(/d/[A-Za-z0-9_-]+)"', page, re.S):
        out[html.unescape(m.group(1))] = m.group(2)
    return out


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Live:
    """A ``perfxl serve`` process."""

    proc: subprocess.Popen
    port: int
    data: Path
    admin: str | None  # the admin path '/a/<token>' when this start printed one
    output: str

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stop(self, sig: int = signal.SIGTERM) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)


def start_server(data: Path, *extra: str, port: int | None = None, timeout: float = 60) -> Live:
    """Start ``python -m perfxl serve`` on a free port; wait until it listens."""
    port = port or free_port()
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen([sys.executable, "-m", "perfxl", "serve", "--data", str(data), "--port", str(port),
                             *extra], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
    lines: list[str] = []
    deadline = time.monotonic() + timeout
    assert proc.stdout is not None
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            raise AssertionError("perfxl serve exited:\n" + "".join(lines))
        lines.append(line)
        if "serving on" in line:
            break
    while time.monotonic() < deadline:  # the line comes just before uvicorn binds
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                break
        time.sleep(0.05)
    out = "".join(lines)
    m = re.search(r"/a/[A-Za-z0-9_-]+", out)
    return Live(proc, port, data, m.group(0) if m else None, out)
