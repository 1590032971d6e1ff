"""``perfxl serve``: a page where clerks check and submit, and the bureau sees its inbox.

::

    from perfxl.serve import serve
    serve("/srv/inbox", host="0.0.0.0", port=8000)   # blocks; Ctrl-C stops it

The application (:mod:`perfxl.serve.app`) runs on Starlette and uvicorn; its state lives
in one data folder (:mod:`perfxl.serve.store`).  Importing this package imports no web
framework: the check workers import :mod:`perfxl.serve.checker` alone, and ``perfxl
check`` never imports any of it.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import Any, Callable, Iterator

from perfxl.errors import UsageError

__all__ = ["serve", "prepare", "admin_url", "LOCK_NAME"]

LOCK_NAME = ".serve.lock"


def admin_url(host: str, port: int, token: str) -> str:
    shown = "127.0.0.1" if host in ("0.0.0.0", "::", "") else host
    if ":" in shown:
        shown = f"[{shown}]"
    return f"http://{shown}:{port}/a/{token}"


@contextlib.contextmanager
def _exclusive(data: Path) -> Iterator[None]:
    """Hold the data folder for this process: two servers on one database would each
    sweep the other's uploads in progress."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: no advisory lock
        yield
        return
    fh = open(data / LOCK_NAME, "a+")  # noqa: SIM115 - held for the server's life
    try:
        try:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            raise UsageError(f"另一个 perfxl serve 正在使用 {data} / another perfxl serve is using this data "
                             "folder", path=str(data)) from None
        yield
    finally:
        fh.close()


def prepare(data: str | os.PathLike[str], *, init: bool = False) -> tuple[Any, str | None, int]:
    """Open (or create) the data folder, clean what a killed server left, and make the
    admin token when asked or when there is none.  Returns the store, the new admin
    token (None when the existing one stands) and how many leftovers were removed."""
    from perfxl.serve.store import Store

    store = Store(data)
    removed = store.recover()
    token = store.issue_admin_token() if init or not store.has_admin() else None
    return store, token, len(removed)


def serve(data: str | os.PathLike[str], *, host: str = "127.0.0.1", port: int = 8000, init: bool = False,
          rulebook: Any = None, jobs: int | None = None, echo: Callable[[str], None] = print) -> None:
    """Run the server until interrupted.  Prints the admin link when it is made (the
    first start, or ``init``)."""
    import uvicorn

    from perfxl.rulebook import default_rulebook
    from perfxl.serve.app import Settings, create_app

    if jobs is not None and jobs < 1:
        raise UsageError(f"--jobs 必须 ≥ 1，得到 {jobs} / jobs must be at least 1")
    root = Path(data)
    if root.exists() and not root.is_dir():
        raise UsageError(f"数据位置 {root} 已存在且不是文件夹 / --data exists and is not a folder", path=str(root))
    root.mkdir(parents=True, exist_ok=True)
    with _exclusive(root):
        store, token, removed = prepare(root, init=init)
        if removed:
            echo(f"已清理 cleaned {removed} 个上次中断留下的文件 leftovers of an interrupted run")
        if token is not None:
            echo("财政局管理链接（请妥善保存，只显示这一次）/ the bureau's admin link (keep it; shown only now):")
            echo(f"  {admin_url(host, port, token)}")
            if host in ("0.0.0.0", "::", ""):
                echo("  （在其他电脑上打开时，把 127.0.0.1 换成本机在办公网中的地址；部门链接按打开管理页时的地址生成）"
                     "\n  (from another computer, use this machine's address on the office network; department "
                     "links follow the address the admin page was opened with)")
        depts = store.departments()
        echo(f"数据 data: {root.resolve()} · 部门 departments: {len(depts)} · 版本 versions: {store.count_versions()}")
        echo(f"正在运行 serving on http://{host}:{port} （Ctrl-C 停止 / to stop）")
        app = create_app(Settings(store=store, rulebook=rulebook or default_rulebook(), jobs=jobs))
        # No access log: every path carries a link token.
        uvicorn.run(app, host=host, port=port, access_log=False, log_level="warning", server_header=False,
                    proxy_headers=False, timeout_graceful_shutdown=10)
