"""`perfxl score` fits an 80-column terminal: nothing cut, no header broken into a column
of single characters, one self-score column."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from rich.cells import cell_len
from rich.console import Console

from perfxl.render_score import render_scores
from perfxl.rulebook import default_rulebook
from perfxl.score_report import score_paths

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
HEADERS = {"zh": ("单元格", "三级指标", "性质", "目标", "实际", "分值", "自评", "复核", "差异"),
           "en": ("cell", "indicator", "dir.", "target", "actual", "weight", "self", "score", "diff")}


def _render(paths: list[Path], lang: str, width: int = 80) -> list[str]:
    buf = StringIO()
    render_scores(score_paths(paths, default_rulebook()), Console(file=buf, width=width, color_system=None), lang=lang)
    return buf.getvalue().splitlines()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_score_cards_fit_80_columns(lang: str) -> None:
    # the seed (long indicator names), a unit not scored, a qualitative band
    paths = [SAMPLES / n for n in ("000_桃源县科学技术协会.xlsx", "023_示例县医疗保障局.xlsx", "001_示例县人民政府办公室.xlsx")]
    lines = _render(paths, lang)
    assert max(cell_len(line) for line in lines) <= 80
    # every header of the indicator table whole, on one line
    header_lines = [line for line in lines if all(h in line.split() for h in HEADERS[lang])]
    assert len(header_lines) == len(paths)
    # the parts table's header whole too
    parts = {"zh": ["评价内容", "分值", "自评", "复核", "差异"], "en": ["part", "weight", "self", "score", "diff"]}[lang]
    assert sum(1 for line in lines if line.split() == parts) == len(paths)


def test_one_self_score_column_and_the_sheet_s_figure_as_a_note() -> None:
    lines = _render([SAMPLES / "000_桃源县科学技术协会.xlsx"], "zh")
    parts_header = next(line for line in lines if line.split()[:1] == ["评价内容"])
    assert parts_header.split() == ["评价内容", "分值", "自评", "复核", "差异"]
    assert not any("自评表填写" in line for line in lines)


def test_nothing_is_cut_at_80_columns() -> None:
    narrow = _render([SAMPLES / "000_桃源县科学技术协会.xlsx"], "zh", width=80)
    assert not any("…" in line for line in narrow)
    text = "\n".join(narrow)
    for word in ("大幅超额完成", "在职人员控制率", "95.00", "100.00%", "-16.89 万元", "(三公经费决算数 − 上年决算数) ÷ 上年决算数"):
        assert word in text, word
    # a long indicator name folds onto the next lines of its column, whole
    i4 = next(i for i, line in enumerate(narrow) if line.startswith("I4 "))
    i5 = next(i for i, line in enumerate(narrow) if line.startswith("I5 "))
    folded = narrow[i4].split()[1] + "".join(line.split()[0] for line in narrow[i4 + 1:i5])
    assert folded == "开展科技志愿服务活动次数"
