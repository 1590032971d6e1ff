"""The checks, one module per area (P B S G I T X J); importing the package registers them
all (:data:`perfxl.rules.registry.CHECKS`).  Their catalogue entries — codes, severities,
messages — are data in :mod:`perfxl.codes`, which the reader and the guards use too."""

from perfxl.rules import batch, budget, crosskind, goals, indicators, profile, project, three_public, totals  # noqa: F401
