"""Library exceptions.  The CLI maps every :class:`PerfxlError` to exit code 2 in one
place (``perfxl.cli.main``) and shows a traceback only with ``--debug``."""

from __future__ import annotations

__all__ = ["PerfxlError", "UsageError"]


class PerfxlError(Exception):
    """An error a user can act on: a code, a message (Chinese, and English when given),
    and the file (and cell) at fault."""

    code = "E000"

    def __init__(self, message: str, *, path: str | None = None, cell: str | None = None, code: str | None = None,
                 message_en: str | None = None):
        self.message, self.path, self.cell = message, path, cell
        self.message_en = message_en
        if code:
            self.code = code
        super().__init__(self.text("zh"))

    def text(self, lang: str = "zh") -> str:
        """The message in ``lang`` ('zh' or 'en'), prefixed with the file (and cell)."""
        message = self.message_en if lang == "en" and self.message_en else self.message
        where = ":".join(x for x in (self.path, self.cell) if x)
        return f"{where}: {message}" if where else message


class UsageError(PerfxlError):
    """Bad options or arguments."""

    code = "E001"
