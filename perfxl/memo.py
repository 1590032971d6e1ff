"""A cache keyed by the identity of its arguments.

For facts worked out from long-lived objects — template specs, check options — that a
batch asks for once per workbook: hashing a frozen spec walks all of its fields, and some
of these objects (a rulebook's dicts) cannot be hashed at all.
"""

from __future__ import annotations

import functools
from typing import Any, Callable, TypeVar

__all__ = ["by_identity"]

T = TypeVar("T")
_LIMIT = 64  # entries kept before starting afresh: options objects come and go in tests


def by_identity(fn: Callable[..., T]) -> Callable[..., T]:
    """``fn(*args)`` worked out once per identity of ``args`` (which the cache keeps alive,
    so an id is never reused while its entry stands)."""
    memo: dict[tuple[int, ...], tuple[tuple[Any, ...], T]] = {}

    @functools.wraps(fn)
    def cached(*args: Any) -> T:
        got = memo.get(tuple(map(id, args)))
        if got is not None:
            return got[1]
        if len(memo) >= _LIMIT:
            memo.clear()
        out = fn(*args)
        memo[tuple(map(id, args))] = (args, out)
        return out

    return cached
