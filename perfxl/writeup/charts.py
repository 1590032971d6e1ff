"""The county report's charts, drawn with matplotlib in a CJK font found on this system.

No pyplot and no global settings: each chart is its own ``Figure`` with the font passed
explicitly, so drawing is safe from several threads and leaves a host program's matplotlib
configuration alone.  Without any CJK font the charts are not drawn (Chinese labels would
come out as empty boxes) and :func:`county_charts` says why instead.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Sequence

from perfxl.spec import GRADES

if TYPE_CHECKING:  # pragma: no cover
    from perfxl.summary import SummaryRow

__all__ = ["Picture", "cjk_font", "county_charts", "CJK_FAMILIES"]

# Families that carry Chinese, best first: what Debian (fonts-noto-cjk, fonts-wqy-*),
# Windows and macOS install.
CJK_FAMILIES: tuple[str, ...] = (
    "Noto Sans CJK SC", "Source Han Sans SC", "Source Han Sans CN", "WenQuanYi Zen Hei", "WenQuanYi Micro Hei",
    "Microsoft YaHei", "SimHei", "PingFang SC", "Hiragino Sans GB", "Heiti SC", "Noto Sans SC",
    "Noto Sans CJK JP", "Noto Sans CJK TC", "Noto Serif CJK SC", "Source Han Serif SC", "SimSun", "AR PL UMing CN",
)

_DPI = 200
_INK, _LIGHT, _ACCENT = "#1F3864", "#9DC3E6", "#C00000"


@dataclass(frozen=True)
class Picture:
    """A PNG image for a report, and the width it should have on the page."""

    png: bytes
    width_mm: float


@lru_cache(maxsize=1)
def cjk_font() -> str | None:
    """The path of a font file with Chinese glyphs, or None when the system has none."""
    from matplotlib import font_manager

    # The regular face of each family (a family lists its bold and light files too).
    fonts: dict[str, str] = {}
    for f in sorted(font_manager.fontManager.ttflist, key=lambda f: (abs(_weight(f.weight) - 400), f.fname)):
        fonts.setdefault(f.name, f.fname)
    for family in CJK_FAMILIES:
        if family in fonts:
            return fonts[family]
    for name, path in sorted(fonts.items()):
        if any(k in name for k in ("CJK", "Han Sans", "Hei", "Song", "Kai", "Ming")):
            return path
    return None


def _weight(w: int | str) -> int:
    if isinstance(w, int):
        return w
    return {"light": 300, "normal": 400, "regular": 400, "book": 400, "medium": 500, "bold": 700,
            "black": 900}.get(str(w).lower(), 400)


def _figure(width_mm: float, height_mm: float) -> Any:
    from matplotlib.figure import Figure

    return Figure(figsize=(width_mm / 25.4, height_mm / 25.4), dpi=_DPI)


def _png(fig: Any) -> bytes:
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    FigureCanvasAgg(fig)
    buf = io.BytesIO()
    # No 'Software' stamp: the same data give the same bytes.
    fig.savefig(buf, format="png", dpi=_DPI, metadata={"Software": None})
    return buf.getvalue()


def _style(ax: Any, font: Any) -> None:
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    for label in (*ax.get_xticklabels(), *ax.get_yticklabels()):
        label.set_fontproperties(font)


def grade_chart(rows: Sequence[SummaryRow], font_path: str) -> Picture:
    """Units per grade: self-assessed beside reviewed (复核), one pair of bars per grade."""
    from matplotlib.font_manager import FontProperties

    font = FontProperties(fname=font_path, size=9)
    labels = [*GRADES, "未评分"]
    own = [sum(1 for r in rows if (r.self_grade or "未评分") == g) for g in labels]
    review = [sum(1 for r in rows if (r.grade or "未评分") == g) for g in labels]
    if not own[-1] and not review[-1]:
        labels, own, review = labels[:-1], own[:-1], review[:-1]
    fig = _figure(150, 70)
    ax = fig.add_subplot()
    x = range(len(labels))
    b1 = ax.bar([i - 0.2 for i in x], own, width=0.4, color=_LIGHT, label="自评等级")
    b2 = ax.bar([i + 0.2 for i in x], review, width=0.4, color=_INK, label="复核等级")
    for bars in (b1, b2):
        ax.bar_label(bars, fontproperties=font, padding=2)
    ax.set_xticks(list(x), labels)
    ax.set_ylabel("单位数", fontproperties=font)
    ax.set_ylim(0, max([*own, *review, 1]) * 1.2)
    ax.yaxis.get_major_locator().set_params(integer=True)
    ax.legend(prop=font, frameon=False)
    _style(ax, font)
    fig.tight_layout()
    return Picture(_png(fig), 150)


def score_chart(rows: Sequence[SummaryRow], tolerance: float, font_path: str) -> Picture:
    """Self-score against the reviewed score, one dot per unit; dots off the diagonal by
    more than the tolerance are red, and the three largest gaps are named."""
    from matplotlib.font_manager import FontProperties

    font = FontProperties(fname=font_path, size=9)
    small = FontProperties(fname=font_path, size=7)
    both = [r for r in rows if r.total is not None and r.self_total is not None]
    fig = _figure(150, 95)
    ax = fig.add_subplot()
    lo = min([r.total for r in both] + [r.self_total for r in both] + [60.0]) - 5  # type: ignore[list-item]
    ax.plot([lo, 100], [lo, 100], color="#7F7F7F", linewidth=0.8, linestyle="--")
    same = [r for r in both if abs(r.diff or 0.0) <= tolerance]
    off = [r for r in both if abs(r.diff or 0.0) > tolerance]
    ax.scatter([r.total for r in same], [r.self_total for r in same], s=18, color=_INK, label="一致")
    ax.scatter([r.total for r in off], [r.self_total for r in off], s=22, color=_ACCENT, label="自评与复核不一致")
    for r in sorted(off, key=lambda r: (-abs(r.diff or 0.0), r.label))[:3]:
        ax.annotate(r.label, (r.total, r.self_total), xytext=(4, -10), textcoords="offset points",
                    fontproperties=small)
    ax.set_xlim(lo, 101)
    ax.set_ylim(lo, 101)
    ax.set_xlabel("复核得分", fontproperties=font)
    ax.set_ylabel("自评得分", fontproperties=font)
    ax.legend(prop=font, frameon=False, loc="upper left")
    _style(ax, font)
    fig.tight_layout()
    return Picture(_png(fig), 150)


def county_charts(rows: Sequence[SummaryRow], tolerance: float) -> dict[str, Any]:
    """The county report's chart fields: 等级分布图, 得分对比图 and 图表说明 (why they are
    missing, or empty)."""
    font = cjk_font()
    if font is None:
        return {"等级分布图": None, "得分对比图": None,
                "图表说明": "（本机没有中文字体，未生成图表；安装 fonts-noto-cjk 后重新生成。）"}
    scored = any(r.total is not None and r.self_total is not None for r in rows)
    return {"等级分布图": grade_chart(rows, font),
            "得分对比图": score_chart(rows, tolerance, font) if scored else None,
            "图表说明": ""}
