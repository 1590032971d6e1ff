"""How values look inside messages."""

from perfxl.findings import display, percent


def test_display_rounds_to_two_decimals_and_names_blank():
    assert display(309.385) in ("309.38", "309.39")
    assert display(None) == "（空）"
    assert display(26) == "26"


def test_absurd_magnitudes_stay_short():
    assert display(1e308) == "1e+308"
    assert percent(3.4e305) == "3.4e+305"
    assert percent(0.768) == "76.80%"
