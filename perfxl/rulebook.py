"""The rulebook: the scoring parameters and rule switches a bureau edits without Python.

A TOML file (the shipped default is ``templates/rulebook.toml``, 财预〔2020〕10号).  A file
given with ``--rules`` is read over the default, so it need only name what it changes.
A broken file raises :class:`RulebookError` naming the file, the key and the line.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

from perfxl.errors import PerfxlError
from perfxl.spec import COMPLETIONS, GRADES

__all__ = ["Rulebook", "RulebookError", "load_rulebook", "default_rulebook", "LEVEL_KEYS"]

# The four weighted parts, in order: rulebook key (= the 自评得分 row label) → spec row key.
LEVEL_KEYS: dict[str, str] = {
    "预算执行率": "budget_execution",
    "产出指标": "output",
    "效益指标": "benefit",
    "满意度指标": "satisfaction",
}

_SEVERITIES = ("error", "warning", "info", "off")


class RulebookError(PerfxlError):
    """A rulebook that cannot be used; the message names the file, key and line."""

    code = "E002"

    def __init__(self, path: str, key: str | None, message: str, line: int | None = None,
                 message_en: str | None = None):
        self.key, self.line = key, line
        at = f" [{key}]" if key else ""
        zh = (f"第 {line} 行" if line else "") + at
        en = (f"line {line}" if line else "") + at
        super().__init__(f"{zh.strip()}：{message}" if zh else message, path=path,
                         message_en=f"{en.strip()}: {message_en or message}" if en else (message_en or message))


@dataclass(frozen=True)
class Limits:
    """Bounds checked before a file is opened (see README, Safety and limits)."""

    max_file_mb: float = 50
    max_uncompressed_mb: float = 200
    max_compression_ratio: float = 100
    max_rows: int = 5000
    max_cell_chars: int = 32767
    timeout_seconds: float = 60


@dataclass(frozen=True)
class Rulebook:
    """Scoring rules and rule switches.  Build one with :func:`load_rulebook`."""

    id: str
    name: str
    weights: dict[str, float]  # LEVEL_KEYS label → 分值
    grades: dict[str, float]  # 优/良/中 → lower bound; below 中 is 差
    score_tolerance: float
    amount_tolerance: float
    explain_below: float
    explain_above: float
    reverse_method: str  # 'ratio' or 'linear'
    over_completion: float
    over_completion_policy: str  # 'warn' or 'cap'
    over_completion_cap: float
    equal_tolerance: float
    qualitative: dict[str, tuple[float, float]]  # 完成情况 → [low, high] fraction of 分值
    placeholders: tuple[str, ...]
    limits: Limits
    project_weights: dict[str, float] = field(default_factory=dict)  # the 项目支出 kind's weights
    bare_direction: str = "="  # a project target written without a sign ('10次'): '=' or '≥'
    severities: dict[str, str] = field(default_factory=dict)  # code → error/warning/info/off
    source: str = "default"

    @property
    def total_weight(self) -> float:
        return sum(self.weights.values())

    def weight(self, level: str) -> float:
        """分值 of a part by its label (预算执行率, 产出指标, …)."""
        return self.weights[level]

    def grade(self, total: float) -> str:
        """The grade of a total: 优/良/中/差 by the bands (lower bounds inclusive)."""
        for g in GRADES[:-1]:
            if total >= self.grades[g] - 1e-9:
                return g
        return GRADES[-1]

    def is_placeholder(self, text: str) -> bool:
        return text.strip() in self.placeholders

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "source": self.source,
            "weights": dict(self.weights),
            "grades": dict(self.grades),
            "tolerance": {"score": self.score_tolerance, "amount": self.amount_tolerance},
            "reverse_method": self.reverse_method,
            "over_completion": self.over_completion,
            "over_completion_policy": self.over_completion_policy,
        }


def _default_text() -> str:
    return resources.files("perfxl").joinpath("data/rulebook.toml").read_text("utf-8")


def _line_of(text: str, key: str) -> int | None:
    """Best-effort line number of a key in TOML text (for error messages)."""
    for i, line in enumerate(text.splitlines(), 1):
        s = line.strip()
        if s.startswith((key, f'"{key}"', f"'{key}'")) and "=" in s:
            return i
        if s in (f"[{key}]",):
            return i
    return None


def _merge(base: dict, over: dict) -> dict:
    out = dict(base)
    for k, v in over.items():
        out[k] = _merge(base[k], v) if isinstance(v, dict) and isinstance(base.get(k), dict) else v
    return out


def _parse(data: dict, text: str, path: str) -> Rulebook:
    def err(section: str, key: str | None, zh: str, en: str) -> RulebookError:
        full = f"{section}.{key}" if key else section
        return RulebookError(path, full, zh, _line_of(text, key or section), en)

    def number(section: str, key: str, lo: float | None = None, hi: float | None = None) -> float:
        try:
            v = data[section][key]
        except KeyError:
            raise err(section, key, "缺少此项", "missing") from None
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            raise err(section, key, f"应为数字，实际为 {v!r}", f"must be a number, got {v!r}")
        if (lo is not None and v < lo) or (hi is not None and v > hi):
            raise err(section, key, f"应在 {lo} 到 {hi} 之间，实际为 {v}", f"must be between {lo} and {hi}, got {v}")
        return float(v)

    known = {"rulebook", "weights", "grades", "tolerance", "execution", "indicators", "qualitative",
             "placeholders", "limits", "rules", "project"}
    for section in data:
        if section not in known:
            raise err(section, None, f"未知的节，应为 {'、'.join(sorted(known))} 之一",
                      f"unknown section; expected one of {sorted(known)}")

    weights = {}
    for label in LEVEL_KEYS:
        weights[label] = number("weights", label, 0, 100)
    for k in data["weights"]:
        if k not in LEVEL_KEYS:
            raise err("weights", k, f"未知的评价内容，应为 {'、'.join(LEVEL_KEYS)} 之一",
                      f"unknown part; expected one of {list(LEVEL_KEYS)}")
    project = data.get("project", {})
    if not isinstance(project, dict) or not isinstance(project.get("weights", {}), dict):
        raise err("project", None, "应为含 [project.weights] 表的表", "must be a table with a [project.weights] table")
    for k in project:
        if k not in ("weights", "bare_direction"):
            raise err("project", k, '未知的键，应为 "weights" 或 "bare_direction"',
                      'unknown key; expected "weights" or "bare_direction"')
    project_weights = {}
    for label in LEVEL_KEYS:
        v = project.get("weights", {}).get(label)
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not 0 <= v <= 100:
            raise err("project", label, f"[project.weights] {label} 应为 0 到 100 之间的数，实际为 {v!r}",
                      f"[project.weights] {label} must be a number from 0 to 100, got {v!r}")
        project_weights[label] = float(v)
    for k in project.get("weights", {}):
        if k not in LEVEL_KEYS:
            raise err("project", k, f"[project.weights] 中未知的评价内容，应为 {'、'.join(LEVEL_KEYS)} 之一",
                      f"unknown part in [project.weights]; expected one of {list(LEVEL_KEYS)}")
    bare = project.get("bare_direction", "=")
    if bare not in ("=", "≥"):
        raise err("project", "bare_direction", f'应为 "=" 或 "≥"，实际为 {bare!r}', f'must be "=" or "≥", got {bare!r}')
    grades = {g: number("grades", g, 0, 100) for g in GRADES[:-1]}
    if not grades["优"] >= grades["良"] >= grades["中"]:
        raise err("grades", None, "等级下限应满足 优 ≥ 良 ≥ 中", "bands must satisfy 优 ≥ 良 ≥ 中")
    method = data["indicators"].get("reverse_method")
    if method not in ("ratio", "linear"):
        raise err("indicators", "reverse_method", f'应为 "ratio" 或 "linear"，实际为 {method!r}',
                  f'must be "ratio" or "linear", got {method!r}')
    policy = data["indicators"].get("over_completion_policy")
    if policy not in ("warn", "cap"):
        raise err("indicators", "over_completion_policy", f'应为 "warn" 或 "cap"，实际为 {policy!r}',
                  f'must be "warn" or "cap", got {policy!r}')
    qual = {}
    for c in COMPLETIONS:
        band = data["qualitative"].get(c)
        if (not isinstance(band, list) or len(band) != 2
                or not all(isinstance(x, (int, float)) and not isinstance(x, bool) for x in band)
                or not 0 <= band[0] <= band[1] <= 1):
            raise err("qualitative", c, f"应为 [下限, 上限]，且 0 ≤ 下限 ≤ 上限 ≤ 1，实际为 {band!r}",
                      f"must be [low, high] with 0 ≤ low ≤ high ≤ 1, got {band!r}")
        qual[c] = (float(band[0]), float(band[1]))
    words = data["placeholders"].get("words", [])
    if not isinstance(words, list) or not all(isinstance(w, str) for w in words):
        raise err("placeholders", "words", "应为文字列表", "must be a list of strings")
    severities = {}
    for code, sev in data.get("rules", {}).items():
        if sev not in _SEVERITIES:
            raise err("rules", code, f"应为 {'、'.join(_SEVERITIES)} 之一，实际为 {sev!r}",
                      f"must be one of {list(_SEVERITIES)}, got {sev!r}")
        severities[code] = sev
    lim = data["limits"]
    # By the field's declared type: 'max_file_mb = 0.5' stays 0.5 (not int(0.5) = 0, no limit).
    limits = Limits(**{k: (int if f.type == "int" else float)(number("limits", k, 0))
                       for k, f in Limits.__dataclass_fields__.items() if k in lim})
    for k in lim:
        if k not in Limits.__dataclass_fields__:
            raise err("limits", k, f"未知的限值，应为 {'、'.join(Limits.__dataclass_fields__)} 之一",
                      f"unknown limit; expected one of {list(Limits.__dataclass_fields__)}")
    meta = data.get("rulebook", {})
    return Rulebook(
        id=str(meta.get("id", "custom")),
        name=str(meta.get("name", "")),
        weights=weights,
        grades=grades,
        score_tolerance=number("tolerance", "score", 0),
        amount_tolerance=number("tolerance", "amount", 0),
        explain_below=number("execution", "explain_below", 0),
        explain_above=number("execution", "explain_above", 0),
        reverse_method=method,
        over_completion=number("indicators", "over_completion", 1),
        over_completion_policy=policy,
        over_completion_cap=number("indicators", "over_completion_cap", 0, 1),
        equal_tolerance=number("indicators", "equal_tolerance", 0),
        qualitative=qual,
        placeholders=tuple(words),
        limits=limits,
        project_weights=project_weights,
        bare_direction=bare,
        severities=severities,
        source=path,
    )


_DEFAULT: Rulebook | None = None


def default_rulebook() -> Rulebook:
    """The shipped rulebook (财预〔2020〕10号)."""
    global _DEFAULT
    if _DEFAULT is None:
        text = _default_text()
        _DEFAULT = _parse(tomllib.loads(text), text, "default")
    return _DEFAULT


def load_rulebook(path: str | Path | None = None) -> Rulebook:
    """Read a rulebook file over the default; None gives the default."""
    if path is None:
        return default_rulebook()
    p = str(path)
    try:
        text = Path(path).read_text("utf-8")
    except OSError as e:
        raise RulebookError(p, None, f"无法读取：{e.strerror or e}", message_en=f"cannot read: {e.strerror or e}") from None
    except UnicodeDecodeError:
        raise RulebookError(p, None, "不是 UTF-8 文本", message_en="not UTF-8 text") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        line = getattr(e, "lineno", None)
        raise RulebookError(p, None, f"不是有效的 TOML：{e}", line, f"not valid TOML: {e}") from None
    base_text = _default_text()
    merged = _merge(tomllib.loads(base_text), data)
    return _parse(merged, text, p)
