"""Reading a filled workbook into a typed :class:`~perfxl.model.Unit`, one stage a module.

1. :mod:`perfxl.guards` looks at the bytes first (zip bombs, encryption, entities, far
   cells…); a refused file is never parsed.
2. :mod:`~perfxl.read.grids` turns every sheet into a list of rows (python-calamine),
   in-process for xlsx and in a forked child with a memory cap and a deadline for the
   formats the guards cannot vet byte-wise (:mod:`~perfxl.read.isolate`).
3. :mod:`~perfxl.read.locate` finds every block by its labels (:mod:`perfxl.spec`).
4. :mod:`~perfxl.read.cells` parses each cell by its kind; computed cells are read and
   never trusted, and an empty cell that hides an uncalculated formula or an error value
   is found in the sheet XML (:mod:`~perfxl.read.probe`), never read as 0.
5. :mod:`~perfxl.read.indicators` reads the free tables, and :mod:`~perfxl.read.unit`
   puts the unit together (:func:`~perfxl.read.unit.read_unit`, the entry point).

The package imports nothing here, so that importing one stage costs only that stage.
"""
