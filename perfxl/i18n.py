"""One language at a time: Chinese by default, English on request (``--lang en``).

Rule messages carry both languages in the catalogue (:mod:`perfxl.findings`).  Texts made
elsewhere — a score card's reasons, a skipped file's reason — are :class:`Text` values: a
``str`` holding the Chinese, with the English beside it, so code that joins or stores
them as strings keeps working and a renderer picks the language with :func:`tr`.
"""

from __future__ import annotations

from typing import Any, Iterable

__all__ = ["LANGS", "Text", "tr", "plural", "join", "sentence"]

LANGS = ("zh", "en")


class Text(str):
    """A Chinese text with its English translation in ``en``."""

    en: str

    def __new__(cls, zh: str, en: str) -> Text:
        obj = super().__new__(cls, zh)
        obj.en = en
        return obj

    def __reduce__(self) -> tuple[Any, ...]:  # picklable: batch workers send score cards back
        return (Text, (str(self), self.en))

    def __add__(self, other: Any) -> Any:
        if isinstance(other, Text):
            return Text(str(self) + str(other), self.en + other.en)
        return str(self) + other


def tr(text: Any, lang: str = "zh") -> str:
    """``text`` in ``lang``: the English of a :class:`Text` for 'en', else the text itself."""
    if lang == "en" and isinstance(text, Text):
        return text.en
    return str(text)


def plural(n: int, one: str, many: str | None = None) -> str:
    """'1 error', '3 errors' (English counts)."""
    return f"{n} {one if n == 1 else (many or one + 's')}"


def join(items: Iterable[str], lang: str = "zh") -> str:
    """A list as a sentence shows it: '甲、乙、丙' or 'A, B, C'."""
    return (", " if lang == "en" else "、").join(items)


def sentence(text: str) -> str:
    """An English message as a full sentence: a capital first letter, a full stop at the end."""
    text = text.strip()
    if not text:
        return text
    if text[0].islower():
        text = text[0].upper() + text[1:]
    return text if text.endswith((".", "?", "!")) else text + "."
