"""Library exceptions.  The CLI maps every :class:`PerfxlError` to exit code 2 in one
place (``perfxl.cli.main``) and shows a traceback only with ``--debug``."""

from __future__ import annotations

__all__ = ["PerfxlError", "UsageError"]


class PerfxlError(Exception):
    """An error a user can act on: a code, a message, and the file (and cell) at fault."""

    code = "E000"

    def __init__(self, message: str, *, path: str | None = None, cell: str | None = None, code: str | None = None):
        self.message, self.path, self.cell = message, path, cell
        if code:
            self.code = code
        where = ":".join(x for x in (path, cell) if x)
        super().__init__(f"{where}: {message}" if where else message)


class UsageError(PerfxlError):
    """Bad options or arguments."""

    code = "E001"
