"""Figures in the words of a 自评报告: 万元 to two decimals, rates as percentages, changes
phrased as the seed report phrases them, and the placeholders for what only a unit can write.

The seed (桃源县科协 2023) writes “与上年相比，减少16.89万元，减少5.18%” and “完成年初预算的
108.24%”; every function here returns such a fragment, or a placeholder when the figure is
unknown — an unknown figure is never written as 0.
"""

from __future__ import annotations

import math

__all__ = [
    "PLACEHOLDER_OPEN",
    "PLACEHOLDER_CLOSE",
    "fill",
    "unknown",
    "plain",
    "amount",
    "rate",
    "points",
    "count",
    "change",
    "change_amount",
    "share",
]

PLACEHOLDER_OPEN = "【请填写："
PLACEHOLDER_CLOSE = "】"

# A change smaller than half a cent of 万元 is no change.
_ZERO = 0.005


def fill(what: str) -> str:
    """The visible placeholder for what only the unit can write: 【请填写：what】."""
    return f"{PLACEHOLDER_OPEN}{what}{PLACEHOLDER_CLOSE}"


def unknown(what: str) -> str:
    """The placeholder for a figure the workbook did not give (blank or unreadable)."""
    return fill(f"{what}（自评表中未能读取）")


def _finite(v: float | int | None) -> float | None:
    if v is None or isinstance(v, bool) or not isinstance(v, (int, float)):
        return None
    v = float(v)
    return v if math.isfinite(v) else None


def plain(v: float | int | None, digits: int = 2) -> str | None:
    """A number without trailing zeros: 10.0 → '10', 5.20 → '5.2', 1234.5 → '1234.5'."""
    v = _finite(v)
    if v is None:
        return None
    text = f"{round(v, digits) + 0.0:.{digits}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def amount(v: float | int | None) -> str | None:
    """万元 to two decimals: 309.39 → '309.39', 0 → '0.00' (None when unknown)."""
    v = _finite(v)
    if v is None:
        return None
    return f"{round(v, 2) + 0.0:.2f}"


def rate(v: float | None, fixed: bool = False) -> str | None:
    """A fraction as a percentage, two decimals at most: 1.0824 → '108.24%', 1.0 → '100%'
    (``fixed``: always two, for a table's column: '100.00%')."""
    v = _finite(v)
    if v is None:
        return None
    if fixed:
        return f"{round(v * 100, 2) + 0.0:.2f}%"
    return f"{plain(v * 100)}%"


def points(v: float | None, fixed: bool = False) -> str | None:
    """A score: 95.0 → '95', 87.5 → '87.5', 12.333 → '12.33' (``fixed``: '95.00')."""
    if fixed:
        return amount(v)
    return plain(v)


def count(v: float | int | None) -> str | None:
    """A head count or number of groups: 26 → '26'."""
    return plain(v, 0)


def change_amount(delta: float | None) -> str | None:
    """'减少18.02万元' / '增加1.13万元' / '持平' (None when unknown)."""
    d = _finite(delta)
    if d is None:
        return None
    if abs(d) < _ZERO:
        return "持平"
    return f"{'增加' if d > 0 else '减少'}{amount(abs(d))}万元"


def change(delta: float | None, base: float | None) -> str | None:
    """The seed's phrase for a change on last year: '减少16.89万元，减少5.18%'.

    Without a usable base (last year 0 or unknown) only the amount is said; None when the
    change itself is unknown.
    """
    d = _finite(delta)
    words = change_amount(d)
    if words is None or words == "持平":
        return words
    b = _finite(base)
    if b is None or abs(b) < _ZERO:
        return words
    assert d is not None
    return f"{words}，{'增加' if d > 0 else '减少'}{rate(abs(d / b))}"


def share(part: float | None, whole: float | None) -> str | None:
    """A part's share of a whole as a percentage ('100%'); '0%' of a zero whole when the
    part is zero too; None when unknown."""
    p, w = _finite(part), _finite(whole)
    if p is None or w is None:
        return None
    if abs(w) < _ZERO:
        return "0%" if abs(p) < _ZERO else None
    return rate(p / w)
