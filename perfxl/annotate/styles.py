"""How the annotated copy looks: the fills and borders of a cell at fault, and the style
ids of the two added sheets (:class:`Styles`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from perfxl.findings import Severity

if TYPE_CHECKING:  # pragma: no cover
    from openpyxl import Workbook


# Fills (ARGB) and borders of a cell at fault, by severity.  The fills differ in hue from
# the template's light-yellow input cells and grey computed cells on screen; the borders
# (solid for an error, dashed for a warning, dotted for a cell to look at) tell them
# apart in a grey-scale print.
FILLS: dict[Severity, str | None] = {
    Severity.ERROR: "FFFF9999",
    Severity.WARNING: "FFFFC000",
    Severity.INFO: None,
}
BORDERS: dict[Severity, tuple[str, str] | None] = {  # (openpyxl border style, colour)
    Severity.ERROR: ("medium", "FFC00000"),
    Severity.WARNING: ("mediumDashed", "FF9C5700"),
    Severity.INFO: None,
}
# An input cell behind a finding on a computed cell: a lighter fill, a dotted border.
RELATED_FILLS: dict[Severity, str | None] = {Severity.ERROR: "FFFFD9D9", Severity.WARNING: "FFFFE699",
                                            Severity.INFO: None}
RELATED_BORDER = "dotted"
FONT_COLOURS = {Severity.ERROR: "FF9C0006", Severity.WARNING: "FF9C5700", Severity.INFO: "FF1F4E79"}
HEADER_FILL = "FFDDEBF7"
SUBTOTAL_FILL = "FFF2F2F2"


_FONT_NAME = "等线"  # Excel's default CJK font; LibreOffice substitutes its own


def _font(**kw: Any) -> Any:
    from openpyxl.styles import Font

    kw.setdefault("size", 10)
    return Font(name=_FONT_NAME, **kw)


class Styles:
    """Style ids of the added sheets, each added to the workbook's collections once.

    Assigning ``cell.font = Font(...)`` makes openpyxl hash the whole style object to
    find its id in the workbook's list, on every cell (about 15 % of an annotated copy).
    Here each distinct font/fill/alignment/border is added on its first use — in the
    same order as plain assignments would, so the saved styles are identical — and
    later cells get the id written straight into their style array (what openpyxl's
    descriptor does after the lookup).
    """

    def __init__(self, wb: Workbook) -> None:
        self.wb = wb
        self._ids: dict[tuple[Any, ...], int] = {}

    @staticmethod
    def _array(cell: Any) -> Any:
        style = cell._style
        if not style:  # a new cell has no style array yet
            from openpyxl.styles.cell_style import StyleArray

            style = cell._style = StyleArray()
        return style

    def _id(self, collection: str, key: tuple[Any, ...], make: Any) -> int:
        k = (collection, *key)
        i = self._ids.get(k)
        if i is None:
            i = self._ids[k] = getattr(self.wb, collection).add(make())
        return i

    # Keys are the keyword arguments in call order: the same style spelt in another
    # order only costs one more lookup, which returns the same id.
    def font(self, cell: Any, **kw: Any) -> None:
        self._array(cell).fontId = self._id("_fonts", tuple(kw.items()), lambda: _font(**kw))

    def fill(self, cell: Any, colour: str) -> None:
        self._array(cell).fillId = self._id("_fills", (colour,), lambda: _solid_fill(colour))

    def alignment(self, cell: Any, **kw: Any) -> None:
        self._array(cell).alignmentId = self._id("_alignments", tuple(kw.items()), lambda: _alignment(**kw))

    def bottom_border(self, cell: Any) -> None:
        self._array(cell).borderId = self._id("_borders", ("bottom-thin",), _bottom_border)

    def box(self, cell: Any, style: str, colour: str, left: bool = True, right: bool = True) -> None:
        """A border of one ``style`` and ``colour`` round the cell (without its left or
        right side, for the inner cells of a merged range)."""
        self._array(cell).borderId = self._id("_borders", ("box", style, colour, left, right),
                                              lambda: _box(style, colour, left, right))


def _solid_fill(colour: str) -> Any:
    from openpyxl.styles import PatternFill

    return PatternFill("solid", start_color=colour, end_color=colour)


def _alignment(**kw: Any) -> Any:
    from openpyxl.styles import Alignment

    return Alignment(**kw)


def _box(style: str, colour: str, left: bool, right: bool) -> Any:
    from openpyxl.styles import Border, Side

    side = Side(style=style, color=colour)
    return Border(left=side if left else Side(), right=side if right else Side(), top=side, bottom=side)


def _bottom_border() -> Any:
    from openpyxl.styles import Border, Side

    return Border(bottom=Side(style="thin", color="FF9E9E9E"))
