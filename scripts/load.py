"""Load test of ``perfxl serve`` (development only; local traffic only).

Starts a server on 127.0.0.1 over a fresh data folder with N departments, then:

1. one clerk alone uploads a sample ``--alone`` times, one after the other (the latency a
   clerk meets on a quiet server);
2. N clerks at once (default 50), each uploading ``--uploads`` samples in turn, while the
   bureau's page is fetched every half second;

and prints p50/p95/max latency of an upload (POST until the answer, which comes after the
check), uploads per second, and the bureau page's latency under load.  Afterwards the
server is stopped and the database is checked: every upload that was answered is a row,
each row's files exist, no other file is left, ``PRAGMA integrity_check`` is ok.

    python scripts/load.py                      # 50 clerks × 4 uploads
    python scripts/load.py --clerks 10 --uploads 2 --jobs 2
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from perfxl.serve import prepare  # noqa: E402
from perfxl.serve.store import Store  # noqa: E402


def tree_cpu(root: int) -> float:
    """CPU seconds used so far by process ``root`` and everything below it (Linux /proc:
    the server, its forkserver and check workers, and the children they reaped)."""
    tick = os.sysconf("SC_CLK_TCK")
    stats: dict[int, tuple[int, float]] = {}
    for d in Path("/proc").iterdir():
        if not d.name.isdigit():
            continue
        try:
            fields = (d / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        ppid = int(fields[1])
        cpu = sum(int(x) for x in fields[11:15]) / tick  # utime stime cutime cstime
        stats[int(d.name)] = (ppid, cpu)
    total, todo = 0.0, [root]
    while todo:
        pid = todo.pop()
        total += stats.get(pid, (0, 0.0))[1]
        todo.extend(c for c, (pp, _) in stats.items() if pp == pid)
    return total


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = max(0, min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start(data: Path, port: int, jobs: int | None) -> subprocess.Popen:
    cmd = [sys.executable, "-m", "perfxl", "serve", "--data", str(data), "--port", str(port)]
    if jobs:
        cmd += ["--jobs", str(jobs)]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            httpx.get(f"http://127.0.0.1:{port}/", timeout=1)
            return proc
        except httpx.TransportError:
            if proc.poll() is not None:
                raise SystemExit("the server did not start: " + proc.stderr.read().decode(errors="replace"))
            time.sleep(0.1)
    raise SystemExit("the server did not start in 60 s")


CSRF = re.compile(r'action="(/d/[^"?]+/upload)[^"]*".*?name="csrf" value="([^"]+)"', re.S)


async def clerk(client: httpx.AsyncClient, link: str, files: list[Path], latencies: list[float],
                failures: list[str]) -> int:
    page = (await client.get(link)).text
    m = CSRF.search(page)
    assert m, "no upload form"
    action, token = m.group(1), m.group(2)
    done = 0
    for path in files:
        body = path.read_bytes()
        started = time.perf_counter()
        try:
            r = await client.post(action, data={"csrf": token}, files={"file": (path.name, body)})
        except httpx.HTTPError as e:
            failures.append(f"{link}: {type(e).__name__}: {e}")
            continue
        latencies.append(time.perf_counter() - started)
        if r.status_code == 303:
            done += 1
        else:
            failures.append(f"{link}: HTTP {r.status_code}")
    return done


async def watch(client: httpx.AsyncClient, admin: str, stop: asyncio.Event, latencies: list[float]) -> None:
    while not stop.is_set():
        started = time.perf_counter()
        r = await client.get(admin)
        if r.status_code == 200:
            latencies.append(time.perf_counter() - started)
        try:
            await asyncio.wait_for(stop.wait(), 0.5)
        except asyncio.TimeoutError:
            pass


async def run(url: str, admin: str, links: list[str], samples: list[Path], args: argparse.Namespace,
              server: int) -> dict:
    limits = httpx.Limits(max_connections=args.clerks + 8, max_keepalive_connections=args.clerks + 8)
    async with httpx.AsyncClient(base_url=url, timeout=600, limits=limits) as client:
        alone: list[float] = []
        failures: list[str] = []
        await clerk(client, links[0], [samples[i % len(samples)] for i in range(args.alone)], alone, failures)

        plans = [[samples[(c * args.uploads + k) % len(samples)] for k in range(args.uploads)]
                 for c in range(args.clerks)]
        latencies: list[float] = []
        pages: list[float] = []
        stop = asyncio.Event()
        watcher = asyncio.create_task(watch(client, admin, stop, pages))
        cpu = tree_cpu(server)
        started = time.perf_counter()
        answered = await asyncio.gather(*(clerk(client, links[1 + c], plans[c], latencies, failures)
                                          for c in range(args.clerks)))
        wall = time.perf_counter() - started
        cpu = tree_cpu(server) - cpu
        stop.set()
        await watcher
    return {"alone": alone, "latencies": latencies, "pages": pages, "wall": wall, "answered": answered,
            "failures": failures, "cpu": cpu}


def verify(data: Path, expected: dict[str, int]) -> list[str]:
    """Every answered upload is a row with its files; nothing else is on disk."""
    problems = []
    store = Store(data)
    if store.integrity() != "ok":
        problems.append("integrity_check: " + store.integrity())
    by_name = {d.name: d for d in store.departments()}
    known: set[str] = set()
    for name, n in expected.items():
        versions = store.versions(by_name[name].id)
        if len(versions) != n:
            problems.append(f"{name}: {len(versions)} rows for {n} answered uploads")
        for v in versions:
            for stored in (v.stored, v.annotated):
                if stored:
                    known.add(stored)
                    if not store.path_of(stored).is_file():
                        problems.append(f"{name} v{v.number}: {stored} missing")
    extra = {p.name for p in store.files.iterdir() if p.name != ".incoming"} - known
    if extra:
        problems.append(f"{len(extra)} files without a row")
    if any(store.incoming.iterdir()):
        problems.append(".incoming/ is not empty")
    return problems


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--clerks", type=int, default=50)
    ap.add_argument("--uploads", type=int, default=4, help="uploads per clerk")
    ap.add_argument("--alone", type=int, default=10, help="uploads by one clerk on a quiet server first")
    ap.add_argument("--jobs", type=int, default=None, help="the server's --jobs (default: its CPUs)")
    ap.add_argument("--data", type=Path, default=None, help="data folder (default: a temporary one)")
    args = ap.parse_args()

    samples = sorted((ROOT / "samples").glob("*.xlsx"))
    data = args.data or Path(tempfile.mkdtemp(prefix="perfxl-load-")) / "inbox"
    store, token, _ = prepare(data, init=True)
    names = ["独自上传的部门"] + [f"负载测试部门{c + 1:02d}" for c in range(args.clerks)]
    store.add_departments(names)
    links = {d.name: f"/d/{d.token}" for d in store.departments()}
    port = free_port()
    proc = start(data, port, args.jobs)
    try:
        res = asyncio.run(run(f"http://127.0.0.1:{port}", f"/a/{token}", [links[n] for n in names], samples, args,
                              proc.pid))
    finally:
        proc.terminate()
        proc.wait(timeout=60)
    expected = {names[0]: len(res["alone"])} | {names[1 + c]: n for c, n in enumerate(res["answered"])}
    problems = verify(data, expected)

    ms = lambda xs, p: percentile(xs, p) * 1000  # noqa: E731
    total = sum(res["answered"])
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    print(f"machine: {cpus} CPUs, Python {sys.version.split()[0]}; server --jobs {args.jobs or cpus}")
    print(f"one clerk alone, {len(res['alone'])} uploads: p50 {ms(res['alone'], 50):.0f} ms, "
          f"p95 {ms(res['alone'], 95):.0f} ms, max {max(res['alone']) * 1000:.0f} ms")
    lat = res["latencies"]
    print(f"{args.clerks} clerks × {args.uploads} uploads: {total} answered in {res['wall']:.1f} s → "
          f"{total / res['wall']:.2f} uploads/s; latency p50 {ms(lat, 50):.0f} ms, p95 {ms(lat, 95):.0f} ms, "
          f"max {max(lat) * 1000:.0f} ms")
    print(f"server CPU (the server, its workers): {res['cpu']:.1f} s → {res['cpu'] / max(total, 1) * 1000:.0f} ms "
          f"per upload, i.e. at most {total / res['cpu'] * cpus:.1f} uploads/s on {cpus} idle CPUs; "
          f"load average during the run {os.getloadavg()[0]:.1f}")
    if res["pages"]:
        print(f"bureau page under load ({len(res['pages'])} views): p50 {ms(res['pages'], 50):.0f} ms, "
              f"p95 {ms(res['pages'], 95):.0f} ms")
    print(f"failures: {len(res['failures'])}" + "".join(f"\n  {f}" for f in res["failures"][:10]))
    print(f"database: {'every answered upload is a row with its files; nothing else on disk' if not problems else ''}"
          + "".join(f"\n  PROBLEM {p}" for p in problems))
    if problems or res["failures"]:
        sys.exit(1)


if __name__ == "__main__":
    main()
