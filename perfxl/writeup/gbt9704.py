"""GB/T 9704-2012 党政机关公文格式, as styles of a python-docx document.

What the standard fixes and how it is set here:

* A4 (210 × 297 mm); 天头 (top) 37 mm, 订口 (left) 28 mm, type area 156 × 225 mm — so
  right 26 mm, bottom 35 mm.
* Title 2号 (22 pt) 方正小标宋简体, centred; body 3号 (16 pt) 仿宋_GB2312, 22 lines a page:
  a fixed line pitch of 225 mm ÷ 22 ≈ 28.95 pt, first line indented two characters.
* Headings: 一、 in 黑体, （一） in 楷体_GB2312, 1. in 仿宋_GB2312, all 3号 (Word's Heading 1–3,
  so the navigation pane shows the outline).
* Page numbers 4号 (14 pt) 宋体 as “— 1 —”, odd pages right and even pages left, one
  character in from the edge of the type area, about 7 mm below it.

Fonts are named with their east-Asian attribute (``w:eastAsia``) so Word and WPS pick them
for Chinese text; Latin letters and digits use Times New Roman.  The font table names a
fallback for each (``w:altName``: 仿宋 for 仿宋_GB2312, 楷体 for 楷体_GB2312, 宋体 for
方正小标宋简体), with the GB2312 character set, so a machine without the GB fonts still picks
a Chinese face of the same kind.  :data:`FONTCONFIG_ALIASES` does the same for LibreOffice
on Linux (see :mod:`perfxl.writeup.pdf`).

The shipped templates are built with these functions by ``scripts/make_report_templates.py``;
:func:`highlight_placeholders` runs on every rendered report.
"""

from __future__ import annotations

import copy
import re
from typing import Any

from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_COLOR_INDEX, WD_LINE_SPACING
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Pt

from perfxl.writeup.phrasing import PLACEHOLDER_CLOSE, PLACEHOLDER_OPEN

__all__ = [
    "PAGE_MM",
    "MARGINS_MM",
    "FONT_TITLE",
    "FONT_BODY",
    "FONT_HEADING1",
    "FONT_HEADING2",
    "FONT_PAGE_NUMBER",
    "FONT_LATIN",
    "FALLBACKS",
    "FONTCONFIG_ALIASES",
    "SIZE_PT",
    "LINE_PITCH_PT",
    "TABLE_STYLE",
    "TABLE_TEXT",
    "NOTE_STYLE",
    "apply_format",
    "set_fonts",
    "highlight_placeholders",
]

PAGE_MM = (210, 297)
MARGINS_MM = {"top": 37, "bottom": 35, "left": 28, "right": 26}
FONT_TITLE = "方正小标宋简体"
FONT_BODY = "仿宋_GB2312"
FONT_HEADING1 = "黑体"
FONT_HEADING2 = "楷体_GB2312"
FONT_PAGE_NUMBER = "宋体"
FONT_LATIN = "Times New Roman"
# Chinese font sizes (字号) in points.
SIZE_PT = {"二号": 22.0, "三号": 16.0, "四号": 14.0, "小四": 12.0, "五号": 10.5}
LINE_PITCH_PT = 28.95  # 22 lines in the 225 mm type area
# (alternative name for Word/WPS, families fontconfig may use instead, in order)
FALLBACKS: dict[str, tuple[str, tuple[str, ...]]] = {
    FONT_TITLE: ("宋体", ("方正小标宋_GBK", "华文中宋", "STZhongsong", "SimSun", "Noto Serif CJK SC",
                        "Source Han Serif SC")),
    FONT_BODY: ("仿宋", ("仿宋", "FangSong", "STFangsong", "Noto Serif CJK SC", "Source Han Serif SC")),
    FONT_HEADING2: ("楷体", ("楷体", "KaiTi", "STKaiti", "AR PL UKai CN", "Noto Serif CJK SC")),
    FONT_HEADING1: ("SimHei", ("SimHei", "STHeiti", "Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Zen Hei")),
    FONT_PAGE_NUMBER: ("SimSun", ("SimSun", "Noto Serif CJK SC", "Source Han Serif SC")),
}
# fontconfig <alias> rules: a GB font that is installed wins; otherwise the next family.
FONTCONFIG_ALIASES: dict[str, tuple[str, ...]] = {name: fams for name, (_, fams) in FALLBACKS.items()}

TABLE_STYLE = "Table Grid"
TABLE_TEXT = "表格文字"  # paragraph style of table cells: no indent, single spacing, 五号
NOTE_STYLE = "提示文字"  # the draft's first page (what to fix): 四号, single spacing

_PLACEHOLDER_RE = re.compile(re.escape(PLACEHOLDER_OPEN) + r"[^" + re.escape(PLACEHOLDER_CLOSE) + r"]*"
                             + re.escape(PLACEHOLDER_CLOSE))


def set_fonts(rpr_owner: Any, east_asia: str, latin: str = FONT_LATIN) -> None:
    """Name the fonts of a run or style: Latin and east-Asian faces, with the east-Asian
    hint so Word and WPS use ``east_asia`` for Chinese punctuation too."""
    rpr = rpr_owner.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.insert(0, fonts)
    for attr in list(fonts.attrib):
        del fonts.attrib[attr]  # theme fonts (asciiTheme …) would override the names
    fonts.set(qn("w:ascii"), latin)
    fonts.set(qn("w:hAnsi"), latin)
    fonts.set(qn("w:eastAsia"), east_asia)
    fonts.set(qn("w:cs"), latin)
    fonts.set(qn("w:hint"), "eastAsia")


def _reset(style: Any) -> None:
    """Drop a built-in style's own run and paragraph properties (theme colours, fonts,
    spacing) so only what is set here applies."""
    el = style.element
    for tag in ("w:rPr", "w:pPr"):
        old = el.find(qn(tag))
        if old is not None:
            el.remove(old)


def _paragraph_style(doc: Any, name: str, *, font: str, size: float, bold: bool = False,
                     align: Any = WD_ALIGN_PARAGRAPH.JUSTIFY, indent: bool = True, exact: bool = True,
                     outline: int | None = None, keep_next: bool = False, base: str | None = "Normal") -> Any:
    styles = doc.styles
    style = styles[name] if name in [s.name for s in styles] else styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    _reset(style)
    if base and name != base:
        style.base_style = styles[base]
    style.font.size = Pt(size)
    style.font.bold = bold
    style.font.italic = False
    set_fonts(style.element, font)
    pf = style.paragraph_format
    pf.alignment = align
    pf.space_before = Pt(0)
    pf.space_after = Pt(0)
    if exact:
        pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        pf.line_spacing = Pt(LINE_PITCH_PT)
    else:
        pf.line_spacing_rule = WD_LINE_SPACING.SINGLE
    pf.first_line_indent = Pt(2 * size) if indent else Pt(0)
    pf.keep_with_next = keep_next
    pf.widow_control = True
    if outline is not None:
        ppr = style.element.get_or_add_pPr()
        ppr.append(parse_xml(f'<w:outlineLvl {nsdecls("w")} w:val="{outline}"/>'))
    return style


def _page(section: Any) -> None:
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(PAGE_MM[0]), Mm(PAGE_MM[1])
    section.top_margin = Mm(MARGINS_MM["top"])
    section.bottom_margin = Mm(MARGINS_MM["bottom"])
    section.left_margin = Mm(MARGINS_MM["left"])
    section.right_margin = Mm(MARGINS_MM["right"])
    section.header_distance = Mm(15)
    section.footer_distance = Mm(22)  # puts the page number about 7 mm below the type area
    section.gutter = Mm(0)


def _page_number(doc: Any, footer: Any, odd: bool) -> None:
    """“— 1 —” in 4号 宋体: right on odd pages, left on even ones, one character in."""
    p = footer.paragraphs[0]
    for r in list(p.runs):
        r._r.getparent().remove(r._r)
    p.style = doc.styles["Footer"]
    pf = p.paragraph_format
    pf.alignment = WD_ALIGN_PARAGRAPH.RIGHT if odd else WD_ALIGN_PARAGRAPH.LEFT
    size = SIZE_PT["四号"]
    pf.first_line_indent = Pt(0)
    if odd:
        pf.right_indent = Pt(size)
    else:
        pf.left_indent = Pt(size)
    rpr = (f'<w:rPr><w:rFonts w:ascii="{FONT_PAGE_NUMBER}" w:hAnsi="{FONT_PAGE_NUMBER}" '
           f'w:eastAsia="{FONT_PAGE_NUMBER}" w:hint="eastAsia"/><w:sz w:val="{int(size * 2)}"/>'
           f'<w:szCs w:val="{int(size * 2)}"/></w:rPr>')
    p._p.append(parse_xml(f'<w:r {nsdecls("w")}>{rpr}<w:t xml:space="preserve">— </w:t></w:r>'))
    p._p.append(parse_xml(f'<w:fldSimple {nsdecls("w")} w:instr=" PAGE "><w:r>{rpr}<w:t>1</w:t></w:r></w:fldSimple>'))
    p._p.append(parse_xml(f'<w:r {nsdecls("w")}>{rpr}<w:t xml:space="preserve"> —</w:t></w:r>'))


def _font_table(doc: Any) -> None:
    """Declare the GB fonts with their fallback names and the GB2312 character set."""
    part = next((p for p in doc.part.package.iter_parts() if p.partname == "/word/fontTable.xml"), None)
    if part is None:  # pragma: no cover - python-docx's default template has one
        return
    from lxml import etree

    root = etree.fromstring(part.blob)
    for name in [FONT_LATIN, *FALLBACKS]:
        for old in root.findall(qn("w:font")):
            if old.get(qn("w:name")) == name:
                root.remove(old)
        alt = FALLBACKS.get(name, (None, ()))[0]
        font = etree.SubElement(root, qn("w:font"), {qn("w:name"): name})
        if alt:
            etree.SubElement(font, qn("w:altName"), {qn("w:val"): alt})
        cjk = name != FONT_LATIN
        etree.SubElement(font, qn("w:charset"), {qn("w:val"): "86" if cjk else "00"})
        etree.SubElement(font, qn("w:family"), {qn("w:val"): "modern" if cjk else "roman"})
        etree.SubElement(font, qn("w:pitch"), {qn("w:val"): "fixed" if cjk else "variable"})
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _language(doc: Any) -> None:
    """Default language zh-CN (Chinese line breaking and punctuation rules)."""
    rpr_default = doc.styles.element.find(qn("w:docDefaults"))
    if rpr_default is None:  # pragma: no cover
        return
    rpr = rpr_default.find(qn("w:rPrDefault") + "/" + qn("w:rPr"))
    if rpr is None:  # pragma: no cover
        return
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = rpr.makeelement(qn("w:lang"), {})
        rpr.append(lang)
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")
    lang.set(qn("w:bidi"), "ar-SA")


def apply_format(doc: Any) -> None:
    """Give a python-docx document the GB/T 9704 page, styles, page numbers and fonts."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    body = SIZE_PT["三号"]
    _paragraph_style(doc, "Normal", font=FONT_BODY, size=body, base=None)
    _paragraph_style(doc, "Title", font=FONT_TITLE, size=SIZE_PT["二号"], align=WD_ALIGN_PARAGRAPH.CENTER,
                     indent=False, exact=False, keep_next=True)
    title_pf = doc.styles["Title"].paragraph_format
    title_pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    title_pf.line_spacing = Pt(36)
    _paragraph_style(doc, "Heading 1", font=FONT_HEADING1, size=body, outline=0, keep_next=True)
    _paragraph_style(doc, "Heading 2", font=FONT_HEADING2, size=body, outline=1, keep_next=True)
    _paragraph_style(doc, "Heading 3", font=FONT_BODY, size=body, outline=2, keep_next=True)
    _paragraph_style(doc, TABLE_TEXT, font=FONT_BODY, size=SIZE_PT["五号"], align=WD_ALIGN_PARAGRAPH.LEFT,
                     indent=False, exact=False)
    table_pf = doc.styles[TABLE_TEXT].paragraph_format
    table_pf.space_before = table_pf.space_after = Pt(1.5)
    _paragraph_style(doc, NOTE_STYLE, font=FONT_BODY, size=SIZE_PT["四号"], indent=False, exact=False)
    for name in ("Header", "Footer"):
        _paragraph_style(doc, name, font=FONT_PAGE_NUMBER, size=SIZE_PT["四号"], indent=False, exact=False)
    for style in ("Heading 1 Char", "Heading 2 Char", "Heading 3 Char", "Title Char"):
        if style in [s.name for s in doc.styles]:
            _reset(doc.styles[style])
    for section in doc.sections:
        _page(section)
    doc.settings.odd_and_even_pages_header_footer = True
    section = doc.sections[0]
    _page_number(doc, section.footer, odd=True)
    _page_number(doc, section.even_page_footer, odd=False)
    _font_table(doc)
    _language(doc)
    # python-docx's default template carries a thumbnail of its own; a file manager would
    # show it as this document's preview.
    pkg = doc.part.package
    for rid, rel in list(pkg.rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            del pkg.rels[rid]


def _explode(run: Any) -> list[Any]:
    """Split a run holding several texts and breaks into one run per child, each with a
    copy of the run's properties (so a placeholder can be highlighted on its own)."""
    rpr = run.find(qn("w:rPr"))
    children = [c for c in run if c.tag != qn("w:rPr")]
    if len(children) <= 1:
        return [run]
    parent, at = run.getparent(), run.getparent().index(run)
    out = []
    for i, child in enumerate(children):
        new = run.makeelement(qn("w:r"), {})
        if rpr is not None:
            new.append(copy.deepcopy(rpr))
        new.append(child)
        parent.insert(at + i, new)
        out.append(new)
    parent.remove(run)
    return out


def _split_text_run(run: Any) -> list[tuple[Any, bool]]:
    """Split a one-text run at placeholders: [(run, is_placeholder), …]."""
    t = run.find(qn("w:t"))
    text = t.text if t is not None and t.text else ""
    if PLACEHOLDER_OPEN not in text:
        return [(run, False)]
    pieces: list[tuple[str, bool]] = []
    pos = 0
    for m in _PLACEHOLDER_RE.finditer(text):
        if m.start() > pos:
            pieces.append((text[pos:m.start()], False))
        pieces.append((m.group(0), True))
        pos = m.end()
    if pos < len(text):
        pieces.append((text[pos:], False))
    parent, at = run.getparent(), run.getparent().index(run)
    out = []
    for i, (piece, marked) in enumerate(pieces):
        new = copy.deepcopy(run)
        nt = new.find(qn("w:t"))
        nt.text = piece
        nt.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        parent.insert(at + i, new)
        out.append((new, marked))
    parent.remove(run)
    return out


def highlight_placeholders(doc: Any) -> int:
    """Highlight every 【请填写：…】 in the body, headers and footers in yellow; returns how
    many.  A placeholder split over several runs (a template edited by hand) is left as it
    is."""
    from docx.text.run import Run

    roots = [doc.element.body]
    for section in doc.sections:
        for part in (section.header, section.footer, section.even_page_header, section.even_page_footer,
                     section.first_page_header, section.first_page_footer):
            if not part.is_linked_to_previous:
                roots.append(part._element)
    count = 0
    for root in roots:
        for run in list(root.iter(qn("w:r"))):
            if not any(PLACEHOLDER_OPEN in (t.text or "") for t in run.iter(qn("w:t"))):
                continue
            for piece in _explode(run):
                for new, marked in _split_text_run(piece):
                    if marked:
                        Run(new, None).font.highlight_color = WD_COLOR_INDEX.YELLOW
                        count += 1
    return count
