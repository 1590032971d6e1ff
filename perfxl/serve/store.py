"""The data folder of ``perfxl serve``: an SQLite database (WAL mode) and the files.

::

    DATA/
      perfxl.sqlite3 (+ -wal, -shm)   departments, versions, submissions, settings
      files/<hex>.<ext>               each upload, under a name perfxl chose
      files/<hex>.annotated.xlsx      its annotated copy
      files/.incoming/<hex>/          an upload being received and checked (emptied at start)
      exports/                        the bureau's batch outputs (perfxl.serve.export)

Nothing a client sends becomes part of a path: stored names are random hex plus one of
the spreadsheet suffixes perfxl accepts (while it is checked, an upload is named after
its department, as the bureau typed it, through :func:`perfxl.safe.safe_filename`, so
the annotated copy names a file the clerk recognises).  A version's files are moved into ``files/``
before its row is committed, so a server killed at any moment leaves either a complete
version or nothing: :meth:`Store.recover` (run at every start) removes ``.incoming/``
leftovers and any file no row refers to.

Tokens: each department's link carries a long random token (``secrets.token_urlsafe``,
256 bits), kept in the database so the bureau's page can show the link again; revoking
clears it, re-issuing replaces it.  The bureau's admin token is kept only as a SHA-256
hash and shown once, when it is made (``perfxl serve --init`` makes a new one).

Thread-safe: one SQLite connection per thread; writes are short ``BEGIN IMMEDIATE``
transactions.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import hmac
import json
import os
import secrets
import shutil
import sqlite3
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator, Sequence

__all__ = ["Store", "Department", "Version", "Submission", "DB_NAME", "new_token"]

DB_NAME = "perfxl.sqlite3"
FILES_DIR = "files"
INCOMING_DIR = ".incoming"
SCHEMA_VERSION = 1

_SCHEMA = """
CREATE TABLE IF NOT EXISTS settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS departments (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    token TEXT UNIQUE,              -- NULL once revoked
    created_at TEXT NOT NULL,
    token_issued_at TEXT
);
CREATE TABLE IF NOT EXISTS versions (
    id INTEGER PRIMARY KEY,
    department_id INTEGER NOT NULL REFERENCES departments(id),
    number INTEGER NOT NULL,        -- 1, 2, 3 … within the department
    filename TEXT NOT NULL,         -- the clerk's file name, for display only
    stored TEXT NOT NULL UNIQUE,    -- name under files/, chosen by perfxl
    annotated TEXT UNIQUE,          -- name of the annotated copy under files/, or NULL
    size INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    uploaded_at TEXT NOT NULL,
    status TEXT NOT NULL,           -- 通过 / 需修改 / 无法读取
    errors INTEGER NOT NULL,
    warnings INTEGER NOT NULL,
    infos INTEGER NOT NULL,
    unit_name TEXT,
    year INTEGER,
    self_total REAL,
    total REAL,
    self_grade TEXT,
    grade TEXT,
    findings TEXT NOT NULL,         -- JSON: the findings, messages in zh and en
    summary TEXT NOT NULL,          -- JSON: the batch's summary row of this file
    check_ms INTEGER NOT NULL,
    UNIQUE (department_id, number)
);
CREATE TABLE IF NOT EXISTS submissions (
    id INTEGER PRIMARY KEY,
    department_id INTEGER NOT NULL REFERENCES departments(id),
    version_id INTEGER NOT NULL REFERENCES versions(id),
    submitted_at TEXT NOT NULL,
    explanations TEXT NOT NULL      -- JSON: {finding key: the clerk's explanation}
);
CREATE INDEX IF NOT EXISTS versions_by_department ON versions (department_id, number);
CREATE INDEX IF NOT EXISTS submissions_by_department ON submissions (department_id, id);
"""


def new_token() -> str:
    """A long random token for a link (43 URL-safe characters, 256 bits)."""
    return secrets.token_urlsafe(32)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def now_text() -> str:
    """The current time, UTC, ISO 8601 to the second (what every row stores)."""
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


@dataclass(frozen=True)
class Department:
    id: int
    name: str
    token: str | None  # None when revoked
    created_at: str


@dataclass(frozen=True)
class Version:
    """One upload of a department, as checked."""

    id: int
    department_id: int
    number: int
    filename: str
    stored: str
    annotated: str | None
    size: int
    sha256: str
    uploaded_at: str
    status: str
    errors: int
    warnings: int
    infos: int
    unit_name: str | None
    year: int | None
    self_total: float | None
    total: float | None
    self_grade: str | None
    grade: str | None
    findings: list[dict[str, Any]]
    summary: dict[str, Any]
    check_ms: int

    @property
    def readable(self) -> bool:
        return self.status != "无法读取"

    @property
    def can_submit(self) -> bool:
        """No error and readable: the clerk may submit it (warnings need explanations)."""
        return self.readable and self.errors == 0


@dataclass(frozen=True)
class Submission:
    id: int
    department_id: int
    version_id: int
    version_number: int
    submitted_at: str
    explanations: dict[str, str]


class Store:
    """The database and files of one data folder."""

    def __init__(self, root: str | os.PathLike[str]):
        self.root = Path(root)
        self.files = self.root / FILES_DIR
        self.incoming = self.files / INCOMING_DIR
        self.db_path = self.root / DB_NAME
        self._local = threading.local()
        self.root.mkdir(parents=True, exist_ok=True)
        self.incoming.mkdir(parents=True, exist_ok=True)
        self._db().executescript(f"BEGIN IMMEDIATE;{_SCHEMA}COMMIT;")
        with self._tx() as db:
            db.execute("INSERT OR IGNORE INTO settings VALUES ('schema', ?)", (str(SCHEMA_VERSION),))
            db.execute("INSERT OR IGNORE INTO settings VALUES ('secret', ?)", (secrets.token_hex(32),))
        found = self.setting("schema")
        if found != str(SCHEMA_VERSION):
            raise RuntimeError(f"{self.db_path}: schema {found}, this perfxl reads {SCHEMA_VERSION}")

    # --- connections -----------------------------------------------------------------

    def _db(self) -> sqlite3.Connection:
        db = getattr(self._local, "db", None)
        if db is None:
            db = sqlite3.connect(self.db_path, timeout=30, isolation_level=None)
            db.row_factory = sqlite3.Row
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=FULL")  # a committed version survives a power cut
            db.execute("PRAGMA foreign_keys=ON")
            db.execute("PRAGMA busy_timeout=30000")
            self._local.db = db
        return db

    @contextlib.contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        """A write transaction, taken at once (no upgrade deadlock between writers)."""
        db = self._db()
        db.execute("BEGIN IMMEDIATE")
        try:
            yield db
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")

    def close(self) -> None:
        """Close this thread's connection."""
        db = getattr(self._local, "db", None)
        if db is not None:
            db.close()
            self._local.db = None

    # --- settings and the admin token ------------------------------------------------

    def setting(self, key: str) -> str | None:
        row = self._db().execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        return None if row is None else row["value"]

    @property
    def secret(self) -> bytes:
        """The server's key for CSRF tokens (made once, kept in the database)."""
        return bytes.fromhex(self.setting("secret") or "")

    def has_admin(self) -> bool:
        return self.setting("admin_sha256") is not None

    def issue_admin_token(self) -> str:
        """A new admin token (the previous one stops working); only its hash is kept."""
        token = new_token()
        with self._tx() as db:
            db.execute("INSERT OR REPLACE INTO settings VALUES ('admin_sha256', ?)", (_hash(token),))
        return token

    def is_admin(self, token: str) -> bool:
        want = self.setting("admin_sha256")
        return want is not None and hmac.compare_digest(want, _hash(token))

    # --- departments -----------------------------------------------------------------

    def add_departments(self, names: Sequence[str]) -> list[Department]:
        """Add departments by name (blank lines and names already there are skipped);
        returns those added, each with a fresh token."""
        added: list[Department] = []
        with self._tx() as db:
            for raw in names:
                name = " ".join(str(raw).split())[:100]
                if not name:
                    continue
                if db.execute("SELECT 1 FROM departments WHERE name = ?", (name,)).fetchone():
                    continue
                token, at = new_token(), now_text()
                cur = db.execute("INSERT INTO departments (name, token, created_at, token_issued_at) "
                                 "VALUES (?, ?, ?, ?)", (name, token, at, at))
                added.append(Department(int(cur.lastrowid or 0), name, token, at))
        return added

    def departments(self) -> list[Department]:
        rows = self._db().execute("SELECT * FROM departments ORDER BY id").fetchall()
        return [_department(r) for r in rows]

    def department(self, dept_id: int) -> Department | None:
        row = self._db().execute("SELECT * FROM departments WHERE id = ?", (dept_id,)).fetchone()
        return None if row is None else _department(row)

    def department_by_token(self, token: str) -> Department | None:
        if not token:
            return None
        row = self._db().execute("SELECT * FROM departments WHERE token = ?", (token,)).fetchone()
        if row is None or not hmac.compare_digest(row["token"], token):
            return None
        return _department(row)

    def revoke(self, dept_id: int) -> None:
        with self._tx() as db:
            db.execute("UPDATE departments SET token = NULL WHERE id = ?", (dept_id,))

    def reissue(self, dept_id: int) -> str:
        token = new_token()
        with self._tx() as db:
            db.execute("UPDATE departments SET token = ?, token_issued_at = ? WHERE id = ?",
                       (token, now_text(), dept_id))
        return token

    # --- versions --------------------------------------------------------------------

    def incoming_dir(self) -> Path:
        """A fresh folder in ``.incoming/`` for one upload being received and checked."""
        path = self.incoming / secrets.token_hex(16)
        path.mkdir()
        return path

    def add_version(self, dept_id: int, *, upload: Path, annotated: Path | None, filename: str,
                    size: int, sha256: str, record: dict[str, Any]) -> Version:
        """Move a checked upload (and its annotated copy) from ``.incoming/`` into
        ``files/`` and commit its row; returns the new version.

        The files are in place (and synced) before the row is committed; should the
        commit fail they are removed, and should the process die in between,
        :meth:`recover` removes them at the next start.
        """
        stem = secrets.token_hex(16)
        stored = f"{stem}{upload.suffix}"
        annotated_name = f"{stem}.annotated.xlsx" if annotated is not None else None
        moved: list[Path] = []
        try:
            _publish(upload, self.files / stored)
            moved.append(self.files / stored)
            if annotated is not None and annotated_name is not None:
                _publish(annotated, self.files / annotated_name)
                moved.append(self.files / annotated_name)
            _fsync_dir(self.files)
            with self._tx() as db:
                number = db.execute("SELECT COALESCE(MAX(number), 0) + 1 FROM versions WHERE department_id = ?",
                                    (dept_id,)).fetchone()[0]
                cur = db.execute(
                    "INSERT INTO versions (department_id, number, filename, stored, annotated, size, sha256, "
                    "uploaded_at, status, errors, warnings, infos, unit_name, year, self_total, total, "
                    "self_grade, grade, findings, summary, check_ms) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (dept_id, number, filename, stored, annotated_name, size, sha256, now_text(),
                     record["status"], record["errors"], record["warnings"], record["infos"],
                     record.get("unit_name"), record.get("year"), record.get("self_total"), record.get("total"),
                     record.get("self_grade"), record.get("grade"),
                     json.dumps(record["findings"], ensure_ascii=False),
                     json.dumps(record["summary"], ensure_ascii=False, default=str), int(record["check_ms"])))
                version_id = int(cur.lastrowid or 0)
        except BaseException:
            for p in moved:
                with contextlib.suppress(OSError):
                    p.unlink()
            raise
        version = self.version_by_id(version_id)
        assert version is not None
        return version

    def versions(self, dept_id: int) -> list[Version]:
        """A department's versions, newest first."""
        rows = self._db().execute("SELECT * FROM versions WHERE department_id = ? ORDER BY number DESC",
                                  (dept_id,)).fetchall()
        return [_version(r) for r in rows]

    def version(self, dept_id: int, number: int) -> Version | None:
        row = self._db().execute("SELECT * FROM versions WHERE department_id = ? AND number = ?",
                                 (dept_id, number)).fetchone()
        return None if row is None else _version(row)

    def version_by_id(self, version_id: int) -> Version | None:
        row = self._db().execute("SELECT * FROM versions WHERE id = ?", (version_id,)).fetchone()
        return None if row is None else _version(row)

    def latest_versions(self) -> dict[int, Version]:
        """Each department's newest version, by department id."""
        rows = self._db().execute(
            "SELECT v.* FROM versions v JOIN (SELECT department_id, MAX(number) AS n FROM versions "
            "GROUP BY department_id) m ON v.department_id = m.department_id AND v.number = m.n").fetchall()
        return {r["department_id"]: _version(r) for r in rows}

    def count_versions(self) -> int:
        return int(self._db().execute("SELECT COUNT(*) FROM versions").fetchone()[0])

    def path_of(self, stored: str) -> Path:
        """The file of a stored name (names come from the database, never from a client)."""
        return self.files / Path(stored).name

    # --- submissions -----------------------------------------------------------------

    def submit(self, version: Version, explanations: dict[str, str]) -> Submission:
        with self._tx() as db:
            cur = db.execute("INSERT INTO submissions (department_id, version_id, submitted_at, explanations) "
                             "VALUES (?, ?, ?, ?)", (version.department_id, version.id, now_text(),
                                                     json.dumps(explanations, ensure_ascii=False)))
            sid = int(cur.lastrowid or 0)
        sub = self._submission("s.id = ?", (sid,))
        assert sub is not None
        return sub

    def submission(self, dept_id: int) -> Submission | None:
        """A department's current submission (its latest)."""
        return self._submission("s.department_id = ? ORDER BY s.id DESC LIMIT 1", (dept_id,))

    def submissions(self) -> dict[int, Submission]:
        """Every department's current submission, by department id."""
        rows = self._db().execute(
            "SELECT s.*, v.number AS version_number FROM submissions s JOIN versions v ON v.id = s.version_id "
            "WHERE s.id IN (SELECT MAX(id) FROM submissions GROUP BY department_id)").fetchall()
        return {r["department_id"]: _submission(r) for r in rows}

    def _submission(self, where: str, args: tuple) -> Submission | None:
        row = self._db().execute(
            "SELECT s.*, v.number AS version_number FROM submissions s JOIN versions v ON v.id = s.version_id "
            f"WHERE {where}", args).fetchone()
        return None if row is None else _submission(row)

    # --- recovery --------------------------------------------------------------------

    def recover(self) -> list[Path]:
        """Remove what a server killed half-way left behind: uploads still in
        ``.incoming/`` and files in ``files/`` that no committed row refers to.  Returns
        the paths removed.  Run before serving (no upload is in flight then)."""
        removed: list[Path] = []
        for p in self.incoming.iterdir():
            if p.is_dir() and not p.is_symlink():
                shutil.rmtree(p)
            else:
                p.unlink()
            removed.append(p)
        known: set[str] = set()
        for r in self._db().execute("SELECT stored, annotated FROM versions"):
            known.add(r["stored"])
            if r["annotated"]:
                known.add(r["annotated"])
        for p in self.files.iterdir():
            if p.name == INCOMING_DIR or p.name in known:
                continue
            if p.is_file() or p.is_symlink():
                p.unlink()
                removed.append(p)
        return removed

    def integrity(self) -> str:
        """SQLite's ``PRAGMA integrity_check`` answer ('ok' when sound)."""
        return str(self._db().execute("PRAGMA integrity_check").fetchone()[0])


def _publish(src: Path, dest: Path) -> None:
    """Sync ``src`` and rename it to ``dest`` (same file system: atomic)."""
    with open(src, "rb+") as fh:
        os.fsync(fh.fileno())
    os.replace(src, dest)


def _fsync_dir(path: Path) -> None:
    with contextlib.suppress(OSError):  # not every platform can open a directory
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _department(r: sqlite3.Row) -> Department:
    return Department(r["id"], r["name"], r["token"], r["created_at"])


def _version(r: sqlite3.Row) -> Version:
    d = dict(r)
    d["findings"] = json.loads(d["findings"])
    d["summary"] = json.loads(d["summary"])
    return Version(**d)


def _submission(r: sqlite3.Row) -> Submission:
    return Submission(r["id"], r["department_id"], r["version_id"], r["version_number"], r["submitted_at"],
                      json.loads(r["explanations"]))
