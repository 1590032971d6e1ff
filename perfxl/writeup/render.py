"""Rendering a report: a .docx template (docxtpl's Jinja fields) filled with a context.

* **Templates are checked before anything is written** (:meth:`ReportTemplate.load`): a
  file that is not a .docx, a Jinja syntax error, or a field perfxl does not know
  (``{{ 单位地址 }}``, ``{{ 接待.人数 }}``, an attribute of a loop item) is a coded error
  naming the template and the field.
* **Workbook text stays text**: every string of the context is XML-escaped, and its braces
  and percent signs are written as character references, so a unit named ``{{ 7*7 }}`` or
  ``{%…%}`` shows exactly that and nothing downstream (docxtpl's own post-processing, a
  later render) can read it as template code.  The template runs in Jinja's sandbox with
  undefined names as errors.
* **Placeholders are highlighted**: every 【请填写：…】, from the template or from the
  context, comes out with a yellow highlight.
* **Written atomically**, and the same inputs give the same bytes (fixed zip timestamps).
"""

from __future__ import annotations

import html
import io
import re
import zipfile
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, Iterable

from perfxl.errors import PerfxlError
from perfxl.safe import atomic_write_bytes, clean_text
from perfxl.writeup.charts import Picture
from perfxl.writeup.fields import TemplateField

__all__ = [
    "ReportTemplateError",
    "TemplateFieldError",
    "ReportTemplate",
    "UNIT_TEMPLATE",
    "COUNTY_TEMPLATE",
    "escape",
    "template_fields",
    "docx_bytes",
]

UNIT_TEMPLATE = "部门整体支出绩效自评报告.docx"
COUNTY_TEMPLATE = "全县部门整体支出绩效自评情况报告.docx"
# Zip timestamps of every report (a document's own dates are in its properties).
_ZIP_TIME = (2000, 1, 1, 0, 0, 0)


class ReportTemplateError(PerfxlError):
    """A report template that cannot be used: not a .docx, or Jinja that does not parse."""

    code = "E020"


class TemplateFieldError(ReportTemplateError):
    """A report template names a field perfxl does not know."""

    code = "E021"

    def __init__(self, path: str, unknown: Iterable[str], known: Iterable[str]):
        self.unknown = sorted(set(unknown))
        names = "、".join(self.unknown)
        super().__init__(
            f"模板中有 perfxl 不认识的字段 unknown field(s): {names}。"
            f"可用的字段见 README（报告模板字段）/ known fields: {', '.join(sorted(known))[:400]}…",
            path=path,
        )


def _jinja_env() -> Any:
    """Jinja's sandbox, undefined names as errors, and each part of a template compiled
    once: docxtpl hands every render the same source, and compiling it is half the cost
    of a draft."""
    from jinja2 import StrictUndefined
    from jinja2.sandbox import SandboxedEnvironment

    class _Env(SandboxedEnvironment):
        def __init__(self) -> None:
            # autoescape is switched on by docxtpl's render(autoescape=True).
            super().__init__(undefined=StrictUndefined)
            self._compiled: dict[tuple[str, bool], Any] = {}

        def from_string(self, source: Any, globals: Any = None, template_class: Any = None) -> Any:
            if globals is not None or template_class is not None or not isinstance(source, str):
                return super().from_string(source, globals, template_class)
            key = (source, bool(self.autoescape))
            tpl = self._compiled.get(key)
            if tpl is None:
                tpl = self._compiled[key] = super().from_string(source)
            return tpl

    return _Env()


def escape(value: Any) -> Any:
    """A context value made safe for the document XML: strings escaped (with ``{ } %`` as
    character references), containers escaped inside; other values unchanged."""
    from markupsafe import Markup
    from markupsafe import escape as xml_escape

    if isinstance(value, str):
        text = str(xml_escape(clean_text(value)))
        return Markup(text.replace("{", "&#123;").replace("}", "&#125;").replace("%", "&#37;"))
    if isinstance(value, dict):
        return {k: escape(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [escape(v) for v in value]
    return value


def _pictures(value: Any, tpl: Any) -> Any:
    """Replace :class:`Picture` values by docxtpl images of this template."""
    if isinstance(value, Picture):
        from docx.shared import Mm
        from docxtpl import InlineImage

        return InlineImage(tpl, io.BytesIO(value.png), width=Mm(value.width_mm))
    if isinstance(value, dict):
        return {k: _pictures(v, tpl) for k, v in value.items()}
    if isinstance(value, list):
        return [_pictures(v, tpl) for v in value]
    return value


def template_fields(xml: str) -> tuple[set[str], set[str]]:
    """(top-level names, dotted attribute paths) a template's Jinja source refers to, with
    loop variables resolved to the list they run over: ``{% for g in 绩效目标 %}{{ g.目标 }}``
    gives ({'绩效目标'}, {'绩效目标[].目标'})."""
    from jinja2 import meta, nodes

    env = _jinja_env()
    ast = env.parse(xml)
    top = set(meta.find_undeclared_variables(ast))
    attrs: set[str] = set()

    def path_of(node: Any, scope: dict[str, str]) -> str | None:
        if isinstance(node, nodes.Name):
            return scope.get(node.name, node.name)
        if isinstance(node, nodes.Getattr):
            base = path_of(node.node, scope)
            return f"{base}.{node.attr}" if base is not None else None
        if isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const) and isinstance(node.arg.value, str):
            base = path_of(node.node, scope)
            return f"{base}.{node.arg.value}" if base is not None else None
        return None

    def walk(node: Any, scope: dict[str, str]) -> None:
        if isinstance(node, nodes.For):
            walk(node.iter, scope)
            inner = dict(scope)
            src = path_of(node.iter, scope)
            if isinstance(node.target, nodes.Name) and src is not None:
                inner[node.target.name] = f"{src}[]"
            for child in (*node.body, *node.else_, *( [node.test] if node.test is not None else [])):
                walk(child, inner)
            return
        if isinstance(node, (nodes.Getattr, nodes.Getitem)):
            p = path_of(node, scope)
            if p is not None and "." in p:
                attrs.add(p)
        for child in node.iter_child_nodes():
            walk(child, scope)

    walk(ast, {})
    return top, attrs


def _known_paths(fields: tuple[TemplateField, ...]) -> tuple[set[str], set[str]]:
    tops = {f.name for f in fields}
    paths: set[str] = set()

    def add(prefix: str, f: TemplateField) -> None:
        base = f"{prefix}{f.name}" + ("[]" if f.kind in ("list", "texts") else "")
        for item in f.items:
            paths.add(f"{base}.{item.name}")
            add(f"{base}.", item)

    for f in fields:
        add("", f)
    return tops, paths


# Names a template may use that are not fields: Jinja's loop object and docxtpl's helpers.
_BUILTIN_NAMES = frozenset({"loop", "range", "lipsum", "dict", "cycler", "joiner", "namespace"})


# The document properties docxtpl renders as templates too.
_PROPERTIES = ("author", "comments", "identifier", "language", "subject", "title")


def _docx_xml(data: bytes, path: str) -> str:
    """The Jinja source of a template as docxtpl sees it: body, headers, footers,
    footnotes and the document properties it renders."""
    from docx import Document
    from docx.opc.exceptions import PackageNotFoundError
    from docxtpl import DocxTemplate

    try:
        doc = Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as e:
        raise ReportTemplateError(f"不是 Word 文档（.docx）/ not a .docx file: {type(e).__name__}: {e}",
                                  path=path) from None
    tpl = DocxTemplate(io.BytesIO(data))
    xml = tpl.patch_xml(tpl.xml_to_string(doc.element.body))
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.oxml import parse_xml

    for rel in doc.part.rels.values():
        if rel.reltype in (RT.HEADER, RT.FOOTER, RT.FOOTNOTES) and not rel.is_external:
            xml += tpl.patch_xml(tpl.xml_to_string(parse_xml(rel.target_part.blob)))
    for prop in _PROPERTIES:
        xml += "\n" + (getattr(doc.core_properties, prop) or "")
    return xml


@dataclass
class ReportTemplate:
    """A checked report template, loaded once and rendered many times (thread-safe)."""

    path: str  # where it came from (for messages)
    data: bytes
    fields: tuple[TemplateField, ...]
    env: Any = field(default=None, repr=False, compare=False)
    # docxtpl's clean-up of each part's XML (a pure function of it), done once per part
    patched: dict[str, str] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.env is None:
            self.env = _jinja_env()

    def __getstate__(self) -> dict[str, Any]:  # sent to worker processes without its caches
        return {"path": self.path, "data": self.data, "fields": self.fields, "env": None, "patched": {}}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self.env = _jinja_env()

    def _docx_template(self) -> Any:
        from docxtpl import DocxTemplate

        cache = self.patched

        class _Template(DocxTemplate):  # type: ignore[misc]
            def patch_xml(self, src_xml: str) -> str:
                out = cache.get(src_xml)
                if out is None:
                    out = cache[src_xml] = super().patch_xml(src_xml)
                return out

        return _Template(io.BytesIO(self.data))

    @classmethod
    def load(cls, path: str | Path | None, default: str, fields: tuple[TemplateField, ...]) -> ReportTemplate:
        """Read and check a template (``path`` None: the shipped ``default``).  Raises
        :class:`ReportTemplateError` / :class:`TemplateFieldError` naming the file."""
        from jinja2 import TemplateSyntaxError

        if path is None:
            data = resources.files("perfxl").joinpath(f"data/{default}").read_bytes()
            where = f"(perfxl) templates/{default}"
        else:
            p = Path(path)
            where = str(p)
            try:
                data = p.read_bytes()
            except FileNotFoundError:
                raise ReportTemplateError("找不到报告模板 / template not found", path=where) from None
            except OSError as e:
                raise ReportTemplateError(f"无法读取报告模板 / cannot read the template: {e.strerror}",
                                          path=where) from None
        xml = _docx_xml(data, where)
        try:
            top, attrs = template_fields(xml)
        except TemplateSyntaxError as e:
            text = re.sub(r"<[^>]+>", "", "\n".join(xml.splitlines()[max(0, (e.lineno or 1) - 2):(e.lineno or 1) + 1]))
            raise ReportTemplateError(f"模板字段写法有误 / template syntax error: {e.message}"
                                      f"（附近的文字 near: {text.strip()[:120]}）", path=where) from None
        known_top, known_paths = _known_paths(fields)
        unknown = {n for n in top if n not in known_top and n not in _BUILTIN_NAMES}
        for p in attrs:
            root = p.split(".", 1)[0].removesuffix("[]")
            if root in known_top and p not in known_paths:
                unknown.add(p.replace("[]", ""))
        if unknown:
            raise TemplateFieldError(where, unknown, known_top)
        return cls(where, data, fields)

    def render(self, context: dict[str, Any]) -> bytes:
        """The filled document as .docx bytes."""
        from jinja2 import TemplateError, UndefinedError

        from perfxl.writeup.gbt9704 import highlight_placeholders

        tpl = self._docx_template()
        ctx = _pictures(escape(context), tpl)
        try:
            tpl.render(ctx, self.env, autoescape=True)
        except UndefinedError as e:
            raise TemplateFieldError(self.path, [_undefined_name(str(e))], (f.name for f in self.fields)) from None
        except TemplateError as e:
            raise ReportTemplateError(f"模板无法填写 / template cannot be rendered: {e}", path=self.path) from None
        # Properties are plain text, not XML: undo the escaping docxtpl's render kept there.
        props = tpl.docx.core_properties
        for prop in _PROPERTIES:
            value = getattr(props, prop)
            if value and "&" in value:
                setattr(props, prop, html.unescape(value))
        highlight_placeholders(tpl.docx)
        return docx_bytes(tpl)

    def write(self, context: dict[str, Any], dest: str | Path) -> Path:
        """Render and write ``dest`` atomically."""
        return atomic_write_bytes(dest, self.render(context))


def _undefined_name(message: str) -> str:
    m = re.search(r"has no attribute '([^']+)'", message) or re.search(r"'([^']+)' is undefined", message)
    return m.group(1) if m else message


def docx_bytes(doc: Any) -> bytes:
    """A python-docx Document (or docxtpl template) saved to bytes, with fixed zip
    timestamps so that the same content always gives the same file."""
    buf = io.BytesIO()
    doc.save(buf)
    return _fixed_zip(buf.getvalue())


def _fixed_zip(data: bytes) -> bytes:
    """The same .docx with fixed member timestamps (python-docx stamps the current time)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=_ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()
