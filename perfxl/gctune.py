"""The garbage collector's settings for perfxl's own processes: the command line and the
batch's worker processes.  The library never changes them in a caller's process.

Reading and annotating a workbook allocates hundreds of thousands of short-lived objects
(cells, styles, parsed values).  With CPython's default first-generation threshold (700
allocations) the collector runs hundreds of times per workbook and scans each batch of
survivors; cyclic garbage (an openpyxl workbook is one) is still collected, only in fewer,
larger passes.  Measured with ``valgrind --tool=callgrind`` over six bench workbooks: a
batch worker's instructions per workbook fell by 4.6 % (about a fifth of its cost above
openpyxl's own load and save), and the collector's time in a check fell from 0.89 to
0.28 ms per workbook.

A batch file is the opposite case: the openpyxl workbook of its annotated copy (hundreds of
thousands of objects, all alive until the copy is saved) is scanned by every collection
that runs while it is built, and promoted into older generations that are scanned again.
:func:`one_file` turns the collector off for one file and collects what the file left
once at its end: over 60 bench workbooks (``batch --jobs 1``, alternating runs), 8.4–9.3 s
became 7.9–8.0 s (the collector's own time fell from 11 to 4 ms a file; the rest is memory
the scans no longer walk).
"""

from __future__ import annotations

import contextlib
import gc
from typing import Iterator

__all__ = ["tune", "one_file"]

GEN0_THRESHOLD = 20_000  # allocations between first-generation collections (CPython: 700)

_owned = False  # tune() ran: this process is perfxl's own


def tune(freeze: bool = False) -> None:
    """Raise the first-generation threshold.  ``freeze``: also move every object alive now
    (the modules a worker inherits from the forkserver) out of the collector's sight — for a
    worker process, whose imports live as long as it does."""
    global _owned
    _owned = True
    if freeze:
        gc.freeze()
    _, gen1, gen2 = gc.get_threshold()
    gc.set_threshold(GEN0_THRESHOLD, gen1, gen2)


@contextlib.contextmanager
def one_file() -> Iterator[None]:
    """Within the block (one file of a batch), no collection runs; at its end one
    first-generation collection frees the cycles the file left (an openpyxl workbook).
    Only in perfxl's own processes (after :func:`tune`) and only when the collector is on:
    a caller's process, or a block inside another, is left as it is."""
    if not _owned or not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
        gc.collect(0)
