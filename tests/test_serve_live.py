"""``perfxl serve`` as a process: the command, one server per data folder, a server
killed with SIGKILL mid-upload, and page views while a check runs."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import httpx
import pytest

from perfxl.serve.store import Store

from _serve import B001_SAMPLE, DEPT, Live, dept_links, form_csrf, start_server

pytestmark = pytest.mark.slow


def _add_department(live: Live, client: httpx.Client, name: str = DEPT) -> str:
    assert live.admin is not None
    page = client.get(live.admin).text
    client.post(f"{live.admin}/departments", data={"csrf": form_csrf(page, f"{live.admin}/departments"),
                                                   "names": name})
    return dept_links(client.get(live.admin).text)[name]


def _multipart(csrf: str, name: str, body: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{csrf}\r\n"
             f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n"
             f"Content-Type: application/octet-stream\r\n\r\n").encode() + body + f"\r\n--{boundary}--\r\n".encode()
    return parts, f"multipart/form-data; boundary={boundary}"


def _raw_post(port: int, path: str, body: bytes, content_type: str, send: int | None = None) -> socket.socket:
    """Send a POST (only its first ``send`` bytes of body when given) and leave it open."""
    s = socket.create_connection(("127.0.0.1", port))
    head = (f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: {content_type}\r\n"
            f"Content-Length: {len(body)}\r\n\r\n").encode()
    s.sendall(head + (body if send is None else body[:send]))
    return s


def _consistent(data: Path) -> Store:
    """After a restart: no half-written file or row."""
    store = Store(data)
    assert store.integrity() == "ok"
    assert not any(store.incoming.iterdir())
    rows = {n for d in store.departments() for v in store.versions(d.id) for n in (v.stored, v.annotated) if n}
    on_disk = {p.name for p in store.files.iterdir() if p.name != ".incoming"}
    assert on_disk == rows
    for d in store.departments():
        for v in store.versions(d.id):
            assert store.path_of(v.stored).stat().st_size == v.size
    return store


def test_serve_prints_the_admin_link_once_and_holds_its_data_folder(tmp_path: Path) -> None:
    data = tmp_path / "inbox"
    live = start_server(data)
    try:
        assert live.admin and "admin link" in live.output
        with httpx.Client(base_url=live.url) as client:
            assert client.get(live.admin).status_code == 200
            assert client.get("/").status_code == 404
        second = subprocess.run([sys.executable, "-m", "perfxl", "serve", "--data", str(data), "--port", "1"],
                                capture_output=True, text=True, timeout=60)
        assert second.returncode == 2 and "另一个 perfxl serve" in second.stderr
    finally:
        live.stop()
    assert live.proc.returncode in (0, -signal.SIGTERM)  # uvicorn shuts down, then re-raises the signal
    again = start_server(data)
    try:
        assert again.admin is None  # the link stands; it is not shown again
        with httpx.Client(base_url=again.url) as client:
            assert client.get(live.admin).status_code == 200
    finally:
        again.stop()
    renewed = start_server(data, "--init")
    try:
        assert renewed.admin and renewed.admin != live.admin
        with httpx.Client(base_url=renewed.url) as client:
            assert client.get(live.admin).status_code == 404 and client.get(renewed.admin).status_code == 200
    finally:
        renewed.stop()


def test_a_server_killed_mid_upload_restarts_with_no_half_written_file_or_row(tmp_path: Path) -> None:
    data = tmp_path / "inbox"
    live = start_server(data)
    admin = live.admin
    body = B001_SAMPLE.read_bytes()
    try:
        with httpx.Client(base_url=live.url) as client:
            link = _add_department(live, client)
            page = client.get(link).text
            csrf = form_csrf(page, f"{link}/upload")
            payload, ctype = _multipart(csrf, "a.xlsx", body)
            r = client.post(f"{link}/upload", content=payload, headers={"content-type": ctype})
            assert r.status_code == 303
        # 1. Killed while the body is still arriving.
        sock = _raw_post(live.port, f"{link}/upload", payload, ctype, send=len(payload) // 2)
        time.sleep(0.5)
        live.stop(signal.SIGKILL)
        sock.close()
        assert _consistent(data).count_versions() == 1

        # 2. Killed while the upload is being checked: it is in .incoming/, no row yet.
        live = start_server(data)
        store = Store(data)
        sock = _raw_post(live.port, f"{link}/upload", payload, ctype)
        deadline = time.monotonic() + 30
        while not any(store.incoming.glob("*/*.xlsx")) and time.monotonic() < deadline:
            time.sleep(0.002)
        assert any(store.incoming.glob("*/*.xlsx")), "the upload never reached .incoming/"
        live.stop(signal.SIGKILL)
        sock.close()
        assert store.count_versions() == 1  # the row was never written

        # The restart cleans up, and the department carries on at version 2.
        live = start_server(data)
        assert "已清理" in live.output
        _consistent(data)
        with httpx.Client(base_url=live.url) as client:
            r = client.post(f"{link}/upload", content=payload, headers={"content-type": ctype})
            assert r.status_code == 303 and r.headers["location"].endswith("/v/2")
            assert client.get(admin).status_code == 200
    finally:
        live.stop()
    assert _consistent(data).count_versions() == 2


def test_pages_answer_while_an_upload_is_checked(tmp_path: Path) -> None:
    data = tmp_path / "inbox"
    live = start_server(data, "--jobs", "1")
    try:
        with httpx.Client(base_url=live.url, timeout=60) as client:
            link = _add_department(live, client)
            csrf = form_csrf(client.get(link).text, f"{link}/upload")
        payload, ctype = _multipart(csrf, "a.xlsx", B001_SAMPLE.read_bytes())
        finished: dict[str, float] = {}

        def upload(i: int) -> None:
            with httpx.Client(base_url=live.url, timeout=120) as c:
                assert c.post(f"{link}/upload", content=payload, headers={"content-type": ctype}).status_code == 303
            finished[f"upload{i}"] = time.monotonic()

        threads = [threading.Thread(target=upload, args=(i,)) for i in range(4)]
        for t in threads:
            t.start()
        store = Store(data)
        deadline = time.monotonic() + 30
        while not any(store.incoming.glob("*/*.xlsx")) and time.monotonic() < deadline:
            time.sleep(0.002)
        with httpx.Client(base_url=live.url, timeout=60) as client:
            started = time.monotonic()
            assert client.get(live.admin).status_code == 200 and client.get(link).status_code == 200
            finished["pages"] = time.monotonic()
        for t in threads:
            t.join()
        # Four checks queue for one worker; both pages came back before the last of them.
        assert finished["pages"] < max(v for k, v in finished.items() if k.startswith("upload"))
        assert finished["pages"] - started < 5
        assert Store(data).count_versions() == 4
    finally:
        live.stop()
