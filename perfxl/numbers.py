"""Pure parsers for cell values: numbers that arrive as text, years, dates, codes, labels.

Every parser takes what a spreadsheet library returned for one cell (``None``, ``''``,
``int``, ``float``, ``bool``, ``str``, ``date``/``datetime``/``time``/``timedelta``) and
returns a :class:`Parsed`: the value, a status (the same words as
:data:`perfxl.model.Status`), whether text was converted, and a ``reason`` that names
why a value was refused.  Nothing here raises for bad input and nothing knows about
sheets or cells: the reader turns a :class:`Parsed` into a :class:`~perfxl.model.Field`
and a finding.

Decisions (documented here because rules and scoring rely on them):

* Full-width characters are folded first (NFKC): ``１,２３４．５`` reads as ``1234.5``.
* Thousands separators are accepted only in correct groups of three (``1,234.50``);
  ``1,23`` and ``1.234,5`` are refused as ambiguous.
* Amounts (万元) accept a ``万元``/``万`` suffix; any other unit (``元``) is refused,
  since it would silently change the scale.
* A lone dash (``—``, ``-``, ``/``, ``－``) means zero-or-none: for amounts it reads as
  ``0`` (``dash=True``, the reader adds an info finding); for other kinds it reads as
  blank (raw kept), so required-field rules still fire.
* Rates: ``95%`` → ``0.95``; a bare number is taken as already a ratio.
* Indicator values (:func:`parse_value`) keep the scale they were written in: ``95%``
  → ``95`` with unit ``%`` and ``percent=True``; a sign or unit inside the cell
  (``≥10次``, ``≤90万元``) is split off into ``direction`` and ``unit``.
* Integers must be whole (``9.5`` people is refused); a unit word such as ``人`` or
  ``辆`` after the digits is accepted.
* Formula error values (``#DIV/0!`` …) give status ``error``.
"""

from __future__ import annotations

import functools
import math
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

__all__ = [
    "Parsed",
    "ERROR_VALUES",
    "DASHES",
    "fold",
    "norm_label",
    "parse_number",
    "parse_amount",
    "parse_rate",
    "parse_int",
    "parse_year",
    "parse_date",
    "parse_text",
    "parse_code",
    "parse_direction",
    "parse_value",
    "split_value",
    "excel_serial_to_date",
]

# Excel's error literals (as cached values or typed text).
ERROR_VALUES: frozenset[str] = frozenset(
    {"#DIV/0!", "#REF!", "#N/A", "#VALUE!", "#NAME?", "#NUM!", "#NULL!", "#SPILL!", "#CALC!", "#GETTING_DATA"}
)
# Cells meaning "zero or none" (after folding full-width forms).
DASHES: frozenset[str] = frozenset({"-", "—", "——", "–", "/", "−", "--", "---"})

# Unit words accepted after a whole number in an integer cell (编制人数 '11人').
INT_UNITS: frozenset[str] = frozenset({"人", "个", "辆", "次", "家", "名", "批", "批次", "人次", "台", "项"})

_DIRECTION_WORDS: dict[str, str] = {
    "≥": "≥", ">=": "≥", "≧": "≥", "=>": "≥", ">": "≥", "大于等于": "≥", "不低于": "≥", "不少于": "≥",
    "大于或等于": "≥", "以上": "≥", "正向": "≥",
    "≤": "≤", "<=": "≤", "≦": "≤", "=<": "≤", "<": "≤", "小于等于": "≤", "不高于": "≤", "不多于": "≤",
    "不超过": "≤", "小于或等于": "≤", "以下": "≤", "反向": "≤",
    "=": "=", "==": "=", "等于": "=",
    "定性": "定性",
}
# Signs that may lead a value cell ('≥10次'); longest first so '>=' wins over '>'.
_LEADING_SIGNS: tuple[tuple[str, str], ...] = tuple(
    sorted(
        ((k, v) for k, v in _DIRECTION_WORDS.items() if k not in ("定性", "以上", "以下", "正向", "反向")),
        key=lambda kv: -len(kv[0]),
    )
)

_NUM_RE = re.compile(r"^(?P<num>[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|[+-]?\.\d+)(?P<rest>.*)$")
_WS_RE = re.compile(r"\s+")
# Whitespace not between two digits ('309.39 万元', '≥ 10'); '1 234' keeps its space
# and is refused as ambiguous.
_SQUEEZE_RE = re.compile(r"(?<!\d)\s+|\s+(?!\d)")
_ENUM_RE = re.compile(r"^(?:[（(][一二三四五六七八九十\d]+[)）]|[一二三四五六七八九十\d]+[、.．]|其中[:：]?)")

_EXCEL_EPOCH = date(1899, 12, 30)
# Serials a date cell can plausibly hold (1900-01-01 … 9999-12-31).
_SERIAL_MIN, _SERIAL_MAX = 1, 2958465


@dataclass(slots=True)
class Parsed:
    """One cell's value as read.  Treat it as immutable: some results are shared.

    ``status``: ok / blank / invalid / error.  ``converted``: the cell held text that was
    read as a number (or a number read as text for codes).  ``reason`` names why a value
    was refused ('not-a-number', 'date', 'not-integer', 'bad-year', 'bad-date',
    'unit', 'boolean', 'ambiguous') or why it is notable ('dash').
    """

    value: Any
    status: str = "ok"
    converted: bool = False
    reason: str = ""
    percent: bool = False
    unit: str | None = None
    direction: str | None = None
    dash: bool = False


BLANK = Parsed(None, "blank")


def fold(text: str) -> str:
    """NFKC-fold full-width digits, letters and punctuation and trim whitespace."""
    return unicodedata.normalize("NFKC", text).strip()


def norm_label(text: Any) -> str:
    """A label as matched: folded, no whitespace, no '*' marks, no trailing colon, no
    leading enumerator such as '其中：', '1.', '（一）'.  Brackets fold to half-width."""
    if text is None:
        return ""
    s = _WS_RE.sub("", fold(str(text)))
    s = s.strip("*").rstrip(":")
    s = _ENUM_RE.sub("", s)
    return s.strip("*").rstrip(":")


def _is_blank(raw: Any) -> bool:
    return raw is None or (isinstance(raw, str) and raw.strip() == "") or (
        isinstance(raw, float) and math.isnan(raw)
    )


def _error_literal(raw: Any) -> str | None:
    if isinstance(raw, str):
        s = raw.strip().upper()
        if s in ERROR_VALUES:
            return s
    return None


def _number_from_text(s: str) -> tuple[float | None, str]:
    """Split folded text into a leading number and the rest ('309.39万元' → 309.39, '万元')."""
    m = _NUM_RE.match(s)
    if not m:
        return None, s
    try:
        return float(m.group("num").replace(",", "")), m.group("rest").strip()
    except ValueError:  # pragma: no cover - the regex admits only valid floats
        return None, s


def parse_number(raw: Any, *, units: frozenset[str] | set[str] = frozenset(), percent: str = "refuse") -> Parsed:
    """A real number.  Text is accepted when unambiguous; ``units`` are suffixes that may
    follow the digits; ``percent`` is 'refuse', 'ratio' (95% → 0.95) or 'keep' (→ 95)."""
    if raw.__class__ is float and raw - raw == 0:  # a finite float: the common case, first
        return Parsed(raw)
    if _is_blank(raw):
        return BLANK
    if isinstance(raw, bool):
        return Parsed(None, "invalid", reason="boolean")
    if isinstance(raw, (int, float)):
        if isinstance(raw, float) and math.isinf(raw):
            return Parsed(None, "invalid", reason="not-a-number")
        return Parsed(float(raw))
    if isinstance(raw, (datetime, date, time, timedelta)):
        return Parsed(None, "invalid", reason="date")
    if not isinstance(raw, str):
        return Parsed(None, "invalid", reason="not-a-number")
    err = _error_literal(raw)
    if err:
        return Parsed(err, "error", reason="error")
    s = _SQUEEZE_RE.sub("", fold(raw))
    if s in DASHES or s == "":
        return Parsed(0.0, "ok", converted=True, reason="dash", dash=True)
    num, rest = _number_from_text(s)
    if num is None:
        return Parsed(None, "invalid", reason="not-a-number")
    if rest == "":
        return Parsed(num, converted=True)
    if rest == "%":
        if percent == "ratio":
            return Parsed(num / 100.0, converted=True, percent=True)
        if percent == "keep":
            return Parsed(num, converted=True, percent=True, unit="%")
        return Parsed(None, "invalid", reason="unit", unit="%")
    if rest in units:
        return Parsed(num, converted=True, unit=rest)
    if rest[0].isdigit() or rest[0] in ",. ":
        return Parsed(None, "invalid", reason="ambiguous")
    return Parsed(None, "invalid", reason="unit" if _looks_like_unit(rest) else "not-a-number", unit=rest)


def _looks_like_unit(rest: str) -> bool:
    return len(rest) <= 4 and not any(ch.isdigit() for ch in rest)


def parse_amount(raw: Any) -> Parsed:
    """An amount in 万元: accepts '309.39万元', '1,234.50', '—' (→ 0, dash)."""
    p = parse_number(raw, units={"万元", "万"})
    if p.status == "ok" and p.unit is not None:
        return Parsed(p.value, "ok", converted=True)
    return p


def parse_rate(raw: Any) -> Parsed:
    """A ratio: '95%' → 0.95, 0.95 → 0.95."""
    p = parse_number(raw, percent="ratio")
    if p.dash:
        return Parsed(None, "blank", reason="dash", dash=True)
    return p


def parse_int(raw: Any) -> Parsed:
    """A whole number: 9, 9.0, '９', '11人'; refuses 9.5 ('not-integer')."""
    p = parse_number(raw, units=INT_UNITS)
    if p.dash:
        return Parsed(None, "blank", reason="dash", dash=True)
    if p.status != "ok":
        return p
    v = p.value
    if not float(v).is_integer():
        return Parsed(None, "invalid", converted=p.converted, reason="not-integer")
    return Parsed(int(v), converted=p.converted, unit=p.unit)


def parse_year(raw: Any) -> Parsed:
    """A four-digit year 1900…2100: 2023, '2023', '2023年', '2023年度'."""
    if isinstance(raw, str):
        s = fold(raw)
        for suffix in ("年度", "年"):
            if s.endswith(suffix):
                s = s[: -len(suffix)]
                break
        raw2: Any = s
    else:
        raw2 = raw
    p = parse_int(raw2)
    if p.status != "ok":
        return p if p.status != "invalid" else Parsed(None, "invalid", reason="bad-year")
    if not 1900 <= p.value <= 2100:
        return Parsed(None, "invalid", reason="bad-year")
    return Parsed(p.value, converted=isinstance(raw, str))


_DATE_RES = (
    re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})[日号]?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
)


def excel_serial_to_date(serial: float) -> date | None:
    """An Excel (1900 system) serial → date, or None when out of range."""
    if not _SERIAL_MIN <= serial <= _SERIAL_MAX:
        return None
    return _EXCEL_EPOCH + timedelta(days=int(serial))


def parse_date(raw: Any) -> Parsed:
    """A date: a real date, an Excel serial, '2024-03-15', '2024/3/15', '2024年3月15日'."""
    if _is_blank(raw):
        return BLANK
    if isinstance(raw, datetime):
        return Parsed(raw.date())
    if isinstance(raw, date):
        return Parsed(raw)
    if isinstance(raw, bool):
        return Parsed(None, "invalid", reason="bad-date")
    if isinstance(raw, (int, float)):
        d = excel_serial_to_date(float(raw))
        return Parsed(d, converted=True) if d else Parsed(None, "invalid", reason="bad-date")
    if isinstance(raw, str):
        err = _error_literal(raw)
        if err:
            return Parsed(err, "error", reason="error")
        s = _WS_RE.sub("", fold(raw)) if "年" in raw else fold(raw)
        for rx in _DATE_RES:
            m = rx.match(s)
            if m:
                try:
                    return Parsed(date(int(m.group(1)), int(m.group(2)), int(m.group(3))), converted=True)
                except ValueError:
                    return Parsed(None, "invalid", reason="bad-date")
    return Parsed(None, "invalid", reason="bad-date")


def _number_as_text(v: float | int) -> str:
    if isinstance(v, float) and v.is_integer() and abs(v) < 1e16:
        return str(int(v))
    return str(v)


def parse_text(raw: Any, max_chars: int | None = None) -> Parsed:
    """Free text, trimmed.  Numbers become text (13.0 → '13'); over ``max_chars`` the
    text is kept and ``reason`` is 'too-long'."""
    if _is_blank(raw):
        return BLANK
    if isinstance(raw, str):
        err = _error_literal(raw)
        if err:
            return Parsed(err, "error", reason="error")
        s = raw.strip()
    elif isinstance(raw, bool):
        s = "是" if raw else "否"
    elif isinstance(raw, (int, float)):
        s = _number_as_text(raw)
    elif isinstance(raw, datetime):
        s = raw.date().isoformat() if raw.time() == time() else raw.isoformat(sep=" ")
    elif isinstance(raw, date):
        s = raw.isoformat()
    else:
        s = str(raw)
    if max_chars is not None and len(s) > max_chars:
        return Parsed(s, "ok", reason="too-long")
    return Parsed(s)


def parse_code(raw: Any, *, upper: bool = False) -> Parsed:
    """A code kept as text (phone, 统一社会信用代码): 13912345678.0 → '13912345678'.

    Full-width forms fold; for ``upper`` codes spaces inside are removed and letters
    upper-cased.  A number that lost leading zeros cannot be repaired and is kept as is.
    """
    if _is_blank(raw):
        return BLANK
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        return Parsed(_number_as_text(raw), converted=True)
    p = parse_text(raw)
    if p.status != "ok":
        return p
    s = fold(p.value)
    if upper:
        s = _WS_RE.sub("", s).upper()
    if s.endswith(".0") and s[:-2].isdigit():
        s = s[:-2]
    return Parsed(s)


def parse_direction(raw: Any) -> Parsed:
    """指标性质 → one of '≥' '≤' '=' '定性'; words like '大于等于', '>=', '≧' accepted."""
    if _is_blank(raw):
        return BLANK
    if not isinstance(raw, str):
        return Parsed(None, "invalid", reason="direction")
    return _direction_text(raw)


@functools.lru_cache(maxsize=1024)
def _direction_text(raw: str) -> Parsed:
    # A handful of spellings recur in every file: each is folded once per process.
    s = _WS_RE.sub("", fold(raw))
    d = _DIRECTION_WORDS.get(s)
    if d is None:
        return Parsed(None, "invalid", reason="direction")
    return Parsed(d, converted=d != raw.strip())


def split_value(text: str) -> tuple[str | None, str]:
    """Split a leading comparison sign off folded text: '≥10次' → ('≥', '10次')."""
    s = _SQUEEZE_RE.sub("", fold(text))
    for word in ("大于等于", "小于等于", "不低于", "不高于", "不少于", "不多于", "不超过", "等于"):
        if s.startswith(word):
            return _DIRECTION_WORDS[word], s[len(word):]
    for sign, d in _LEADING_SIGNS:
        if s.startswith(sign):
            return d, s[len(sign):]
    return None, s


def parse_value(raw: Any, *, numeric: bool | None = None) -> Parsed:
    """An indicator value (年度指标值 / 实际完成值).

    ``numeric`` True: the indicator is ≥ ≤ = and a number is required; False: 定性, the
    value is text; None: unknown direction — a number when the cell reads as one, text
    otherwise.  Returns ``direction`` when the cell starts with a sign, ``unit`` when a
    unit follows the number (``%`` sets ``percent``; 95% → 95, the written scale).
    """
    if raw.__class__ is float and numeric is not False and raw - raw == 0:
        return Parsed(raw)  # a finite float: the common case, first
    if raw.__class__ is str:
        return _value_text(raw, numeric)
    return _parse_value(raw, numeric)


@functools.lru_cache(maxsize=4096)
def _value_text(raw: str, numeric: bool | None) -> Parsed:
    # Indicator values written as text ('≥95%', '好', '按时完成') recur across a county's
    # files: each spelling is parsed once per process.
    return _parse_value(raw, numeric)


def _parse_value(raw: Any, numeric: bool | None) -> Parsed:
    if _is_blank(raw):
        return BLANK
    if numeric is False:
        return parse_text(raw)
    if isinstance(raw, (bool, datetime, date, time, timedelta)):
        return Parsed(None, "invalid", reason="boolean" if isinstance(raw, bool) else "date")
    if isinstance(raw, (int, float)):
        return parse_number(raw)
    if not isinstance(raw, str):
        return Parsed(None, "invalid", reason="not-a-number")
    err = _error_literal(raw)
    if err:
        return Parsed(err, "error", reason="error")
    if _WS_RE.sub("", fold(raw)) in DASHES:
        return Parsed(None, "blank", reason="dash", dash=True)
    direction, rest = split_value(raw)
    # '≥ 10 次' and '10%以上' (a trailing 以上/以下 is a direction too).
    for word in ("以上", "以下"):
        if direction is None and rest.endswith(word) and len(rest) > len(word):
            direction, rest = _DIRECTION_WORDS[word], rest[: -len(word)]
    num, unit = _number_from_text(rest)
    if num is None or (unit and (unit[0].isdigit() or unit[0] in ",. ")):
        if numeric:
            return Parsed(None, "invalid", reason="not-a-number", direction=direction)
        return parse_text(raw)
    pct = unit == "%"
    return Parsed(num, converted=True, percent=pct, unit=unit or None, direction=direction)
