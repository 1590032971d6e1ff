"""The rule catalogue, as ruff has one: every entry of :mod:`perfxl.codes`, in report order.

``perfxl rules`` prints it, the README's rule table is generated from it
(scripts/gen_readme_rules.py), and :func:`get_rule` looks an entry up by its code.
"""

from __future__ import annotations

import functools

from perfxl.codes import (
    batch,
    budget,
    crosskind,
    file,
    goals,
    indicators,
    profile,
    project,
    run,
    three_public,
    totals,
    values,
)
from perfxl.findings import AREAS, Rule

__all__ = ["catalogue", "get_rule"]

_MODULES = (file, run, values, profile, budget, three_public, goals, indicators, totals, batch, project, crosskind)


@functools.cache
def _entries() -> dict[str, Rule]:
    """Code → entry, every code once, in report order (area, then code)."""
    found: dict[str, Rule] = {}
    for module in _MODULES:
        for name in module.__all__:
            entry = getattr(module, name)
            if not isinstance(entry, Rule):
                continue  # a helper that makes findings (perfxl.codes.run.failure)
            if entry.code in found:
                raise ValueError(f"duplicate rule code {entry.code} ({module.__name__})")
            found[entry.code] = entry
    order = list(AREAS)
    return {r.code: r for r in sorted(found.values(), key=lambda r: (order.index(r.area), r.code))}


def catalogue(kind: str | None = None) -> list[Rule]:
    """Every entry, ordered by area then code; only those that apply to ``kind`` when given."""
    return [r for r in _entries().values() if kind is None or kind in r.kinds]


def get_rule(code: str) -> Rule:
    """The entry with this code (KeyError when unknown)."""
    return _entries()[code]
