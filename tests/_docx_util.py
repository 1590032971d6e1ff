"""Reading back what the report writer made: text, highlighted runs, paragraphs."""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.oxml.ns import qn


def paragraphs(path: str | Path) -> list[str]:
    """Every paragraph's text in document order, tables included."""
    doc = Document(str(path))
    return ["".join(t.text or "" for t in p.iter(qn("w:t"))) for p in doc.element.body.iter(qn("w:p"))]


def text(path: str | Path) -> str:
    """The document's text, one paragraph a line."""
    return "\n".join(paragraphs(path))


def highlighted(path: str | Path) -> list[str]:
    """The text of every highlighted run."""
    doc = Document(str(path))
    out = []
    for r in doc.element.body.iter(qn("w:r")):
        rpr = r.find(qn("w:rPr"))
        if rpr is not None and rpr.find(qn("w:highlight")) is not None:
            out.append("".join(t.text or "" for t in r.iter(qn("w:t"))))
    return out
