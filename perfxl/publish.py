"""A batch's outputs appear as one set: after a kill at any moment, the output folder holds
either the whole previous set or the whole new one — never a mix.

Layout (``OUTDIR``)::

    汇总表.xlsx  -> .perfxl/current/汇总表.xlsx      the names a reviewer opens
    summary.json -> .perfxl/current/summary.json    are links into the current set
    findings.csv -> .perfxl/current/findings.csv
    annotated    -> .perfxl/current/annotated
    .perfxl/current -> runs/<run>                   one link, swapped atomically
    .perfxl/runs/<run>/…                            each run's complete set, and the list
                                                    of the files it wrote (.perfxl-files)

A run writes its set into a new ``runs/<run>`` folder (the stage), then publishes it by
swapping the one ``current`` link (``rename(2)`` is atomic); the previous set is then
removed, file by file, as far as it holds files perfxl wrote and nobody changed since
(each run lists them with their SHA-256).  perfxl never deletes a file it did not write: a
file someone put into the current set (``OUTDIR/annotated/说明.docx``), or changed there,
is carried into the new set — or, when the new set has a file of that name, the run
refuses to start and names it.  Outputs of earlier perfxl versions (real files under the
same names) are moved once into ``.perfxl/legacy-<time>/``, not deleted.

Where the file system has no symbolic links (FAT, some network shares, Windows without
the privilege), the set is swapped one entry at a time instead: each file atomically, the
``annotated`` folder renamed aside and the new one renamed in.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import shutil
import time
from pathlib import Path

from perfxl.safe import atomic_write_text, file_sha256

__all__ = ["OutputSet", "STATE_DIR", "MANIFEST", "Conflict", "running"]

STATE_DIR = ".perfxl"
MANIFEST = ".perfxl-files"  # in each run's folder: the files that run wrote, one a line
_RUNS = "runs"
_CURRENT = "current"
_FALLBACK_MANIFEST = "published-files"  # without symbolic links: what the last run published
_RUN_RE = re.compile(r"(\d+)-")
_STALE_AGE = 24 * 3600  # where process ids cannot be checked, a run folder this old is dead


class Conflict(Exception):
    """Files someone else put into the output set that the new set would replace."""

    def __init__(self, paths: list[Path]):
        super().__init__(", ".join(map(str, paths)))
        self.paths = paths


class OutputSet:
    """The output folder of batches (see the module docstring)."""

    def __init__(self, outdir: str | os.PathLike[str]):
        self.out = Path(outdir)
        self.state = self.out / STATE_DIR
        self.runs = self.state / _RUNS

    # -- a run ----------------------------------------------------------------------

    def begin(self, names: set[str]) -> Path:
        """Start a run that will publish ``names`` (relative paths: '汇总表.xlsx',
        'annotated/x.xlsx'): clean what dead runs left, refuse when a file someone else
        put into the current set has one of those names (:class:`Conflict`), and return
        the new run's empty folder."""
        self.runs.mkdir(parents=True, exist_ok=True)
        self._clean_dead_runs()
        clash = sorted(self.out / rel for rel in self.foreign() if rel.as_posix() in names)
        if clash:
            raise Conflict(clash)
        stage = self.runs / f"{os.getpid()}-{secrets.token_hex(6)}"
        stage.mkdir()
        return stage

    def publish(self, stage: Path) -> None:
        """Make ``stage`` the current set, atomically, and retire the previous one."""
        _write_manifest(stage)
        old = self.current()
        if old is not None:
            _carry(old, stage)
        if not _links_work(self.state):
            self._publish_by_entries(stage)
            return
        entries = sorted(p.name for p in stage.iterdir() if p.name != MANIFEST)
        for name in entries:
            self._link(name)
        tmp = self.state / f"{_CURRENT}.tmp-{os.getpid()}-{secrets.token_hex(6)}"
        os.symlink(os.path.join(_RUNS, stage.name), tmp)
        os.replace(tmp, self.state / _CURRENT)  # the moment the new set appears, whole
        if old is not None and old != stage:
            _carry(old, stage)  # anything put into the old set while this one was published
            self._retire(old)
        for p in self.out.iterdir():  # links to entries the new set does not have
            if p.name not in entries and _is_our_link(p):
                p.unlink()

    def discard(self, stage: Path) -> None:
        """Remove a run's folder that will not be published (every file in it is ours)."""
        if stage.is_dir() and stage != self.current():
            shutil.rmtree(stage)

    # -- what is there --------------------------------------------------------------

    def current(self) -> Path | None:
        """The folder of the published set, or None."""
        link = self.state / _CURRENT
        if not link.is_symlink():
            return None
        target = self.state / os.readlink(link)
        return target if target.is_dir() else None

    def foreign(self) -> list[Path]:
        """Files in the published set that perfxl did not write (relative to the set)."""
        cur = self.current()
        if cur is not None:
            listed = _read_manifest(cur)
            if listed is None:
                return []
            return [rel for rel in _files(cur) if rel.name != MANIFEST and not _ours(cur, rel, listed)]
        before = self._published_by_entries()
        if before is None:
            return []
        out = []
        for d in self.out.iterdir():
            if d.is_dir() and not d.is_symlink() and d.name != STATE_DIR and any(n.startswith(d.name + "/")
                                                                                 for n in before):
                out += [d.name / rel for rel in _files(d) if f"{d.name}/{rel.as_posix()}" not in before]
        return sorted(out)

    def _published_by_entries(self) -> set[str] | None:
        """What the last run published without symbolic links, or None."""
        published = self.state / _FALLBACK_MANIFEST
        return set(published.read_text("utf-8").splitlines()) if published.exists() else None

    # -- inside ---------------------------------------------------------------------

    def _link(self, name: str) -> None:
        """``OUTDIR/name`` as a link into the current set; whatever stood there under that
        name before (an earlier version's output, someone's own file) is moved aside."""
        p = self.out / name
        if _is_our_link(p):
            return
        if p.exists() or p.is_symlink():
            self._aside(p)
        os.symlink(os.path.join(STATE_DIR, _CURRENT, name), p)

    def _retire(self, run: Path) -> None:
        """Remove a set that is no longer current: the files its run wrote (unchanged since),
        and files carried into the current set (the same file by another name); nothing else."""
        listed = _read_manifest(run)
        cur = self.current()
        for rel in _files(run):
            p = run / rel
            carried = cur is not None and (cur / rel).exists() and os.path.samefile(p, cur / rel)
            if listed is None or rel.name == MANIFEST or carried or _ours(run, rel, listed):
                p.unlink()
        _remove_empty_dirs(run)

    def _clean_dead_runs(self) -> None:
        """Retire the folders of runs that died before or while publishing."""
        cur = self.current()
        for d in self.runs.iterdir():
            if d == cur or not d.is_dir() or d.is_symlink() or running(d.name, d):
                continue
            self._retire(d)
        for p in self.state.glob(f"{_CURRENT}.tmp-*"):
            if p.is_symlink() and not running(p.name.split(".tmp-", 1)[1], p):
                p.unlink()

    def _publish_by_entries(self, stage: Path) -> None:
        """Without symbolic links: each top-level entry swapped into place in turn (each
        file atomically; a folder renamed aside, the new one renamed in)."""
        before = self._published_by_entries()
        listed = sorted(rel.as_posix() for rel in _files(stage) if rel.name != MANIFEST)
        for p in sorted(stage.iterdir()):
            if p.name == MANIFEST:
                continue
            target = self.out / p.name
            if before is None and (target.exists() or target.is_symlink()):
                self._aside(target)  # an earlier version's output: kept, not deleted
            if not (p.is_dir() and target.is_dir() and not target.is_symlink()):
                os.replace(p, target)
                continue
            for rel in _files(target):  # someone's own files in the folder go along
                if f"{p.name}/{rel.as_posix()}" not in (before or set()) and not (p / rel).exists():
                    _link_or_copy(target / rel, p / rel)
            old = self.state / f"old-{secrets.token_hex(6)}"
            os.replace(target, old)
            os.replace(p, target)
            for rel in _files(old):
                carried = (target / rel).exists() and os.path.samefile(old / rel, target / rel)
                if f"{p.name}/{rel.as_posix()}" in (before or set()) or carried:
                    (old / rel).unlink()
            _remove_empty_dirs(old)
        atomic_write_text(self.state / _FALLBACK_MANIFEST, "\n".join(listed) + "\n")
        shutil.rmtree(stage)

    def _aside(self, p: Path) -> None:
        aside = self.state / f"legacy-{time.strftime('%Y%m%d-%H%M%S')}"
        aside.mkdir(parents=True, exist_ok=True)
        os.replace(p, _free(aside / p.name))


def _files(root: Path) -> list[Path]:
    """Every file under ``root`` (relative), links not followed."""
    out = []
    for dirpath, _dirs, files in os.walk(root):
        for f in files:
            out.append((Path(dirpath) / f).relative_to(root))
    return sorted(out)


def _write_manifest(stage: Path) -> None:
    """The list of the files this run wrote — with each one's size, time and SHA-256, so a
    file changed since (a report edited in Word) is told from one as perfxl wrote it —
    written before anything else is carried in."""
    lines = []
    for rel in _files(stage):
        st = (stage / rel).stat()
        lines.append(f"{file_sha256(stage / rel)} {st.st_size} {st.st_mtime_ns} {rel.as_posix()}")
    atomic_write_text(stage / MANIFEST, "\n".join(lines) + "\n")


def _read_manifest(run: Path) -> dict[str, tuple[str, int, int]] | None:
    """rel → (SHA-256, size, mtime) of each file the run wrote; None when it wrote no list
    (a run that died before publishing: every file in it is its own)."""
    try:
        text = (run / MANIFEST).read_text("utf-8")
    except FileNotFoundError:
        return None
    out = {}
    for line in text.splitlines():
        parts = line.split(" ", 3)
        if len(parts) == 4 and parts[1].isdigit() and parts[2].isdigit():
            out[parts[3]] = (parts[0], int(parts[1]), int(parts[2]))
    return out


def _ours(run: Path, rel: Path, listed: dict[str, tuple[str, int, int]]) -> bool:
    """Whether ``run/rel`` is a file perfxl wrote there and nobody changed since."""
    entry = listed.get(rel.as_posix())
    if entry is None:
        return False
    st = (run / rel).stat()
    if (st.st_size, st.st_mtime_ns) == entry[1:]:
        return True
    return st.st_size == entry[1] and file_sha256(run / rel) == entry[0]


def _carry(old: Path, new: Path) -> None:
    """Files someone put into the old set, or changed there, into the new one: the same
    file under a second name where the file system allows, else a copy."""
    listed = _read_manifest(old)
    if listed is None:
        return
    for rel in _files(old):
        if rel.name == MANIFEST or (new / rel).exists() or _ours(old, rel, listed):
            continue
        _link_or_copy(old / rel, new / rel)


def _link_or_copy(src: Path, dest: Path) -> None:
    dest.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(src, dest)
    except OSError:
        shutil.copy2(src, dest)


def _is_our_link(p: Path) -> bool:
    return p.is_symlink() and os.readlink(p) == os.path.join(STATE_DIR, _CURRENT, p.name)


def _links_work(state: Path) -> bool:
    """Whether symbolic links can be made here."""
    probe = state / f".probe-{secrets.token_hex(4)}"
    try:
        os.symlink(_RUNS, probe)
    except (OSError, NotImplementedError):
        return False
    probe.unlink()
    return True


def _free(path: Path) -> Path:
    """``path``, or ``path`` with a counter when that name is taken."""
    n = 1
    candidate = path
    while candidate.exists() or candidate.is_symlink():
        n += 1
        candidate = path.with_name(f"{path.stem}_{n}{path.suffix}")
    return candidate


def _remove_empty_dirs(root: Path) -> None:
    for dirpath, _dirs, _files in sorted(os.walk(root), key=lambda t: -len(t[0])):
        with contextlib.suppress(OSError):  # not empty: it holds someone's file, which stays
            os.rmdir(dirpath)


def running(tag: str, path: Path) -> bool:
    """True when ``path`` — whose name ``tag`` starts with the process id of the batch
    that made it (``<pid>-…``) — may belong to a batch still running."""
    m = _RUN_RE.match(tag)
    if m is None:
        return False
    pid = int(m.group(1))
    if pid == os.getpid():
        return False
    if os.name != "posix":  # os.kill(pid, 0) would terminate the process on Windows
        return time.time() - path.lstat().st_mtime < _STALE_AGE
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # e.g. PermissionError: the process exists
        return True
    return True
