"""Report templates: the shipped ones are reproducible, a bureau's edited one is checked
before anything is written, unknown fields are named."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from _docx_util import text
from docx import Document
from docxtpl import DocxTemplate

from perfxl.writeup import ReportOptions, write_reports
from perfxl.writeup.fields import COUNTY_FIELDS, UNIT_FIELDS, field_names
from perfxl.writeup.render import (
    COUNTY_TEMPLATE,
    UNIT_TEMPLATE,
    ReportTemplate,
    ReportTemplateError,
    TemplateFieldError,
    _jinja_env,
)

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "samples" / "000_桃源县科学技术协会.xlsx"


def _script(name: str = "make_report_templates"):
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_the_shipped_templates_are_what_the_script_builds():
    built = _script().build()
    assert set(built) == {UNIT_TEMPLATE, COUNTY_TEMPLATE}
    for name, data in built.items():
        assert (ROOT / "templates" / name).read_bytes() == data, f"run python scripts/make_report_templates.py ({name})"
        assert (ROOT / "perfxl" / "data" / name).read_bytes() == data, f"packaged copy of {name} is stale"


@pytest.mark.parametrize(("name", "fields"), [(UNIT_TEMPLATE, UNIT_FIELDS), (COUNTY_TEMPLATE, COUNTY_FIELDS)])
def test_the_shipped_templates_name_only_known_fields(name, fields):
    # docxtpl's own list of the names a template uses, as a second opinion
    names = DocxTemplate(str(ROOT / "templates" / name)).get_undeclared_template_variables(_jinja_env())
    assert names <= field_names(fields) | {"loop"}
    ReportTemplate.load(ROOT / "templates" / name, name, fields)  # and our stricter check passes


def _template(tmp_path: Path, *lines: str, name: str = "模板.docx") -> Path:
    doc = Document()
    for line in lines:
        doc.add_paragraph(line)
    path = tmp_path / name
    doc.save(path)
    return path


def test_an_edited_template_renders_with_the_bureaus_wording(tmp_path: Path):
    tpl = _template(tmp_path, "{{ 单位名称 }}（{{ 年度 }}年度）自评得分{{ 自评得分 }}分",
                    "{%p for 目标 in 绩效目标 %}", "{{ loop.index }}. {{ 目标.目标 }}", "{%p endfor %}",
                    "接待{{ 接待.批次 }}批{{ 接待.人次 }}人次")
    result = write_reports([SEED], tmp_path / "out", ReportOptions(template=tpl))
    body = text(result.drafts[0].path)
    assert body.startswith("桃源县科学技术协会（2023年度）自评得分95分")
    assert "1. 进一步抓好重点人群的科学素质提升" in body and "4. 进一步优化科协上下级之间的关系" in body
    assert "接待26批270人次" in body


@pytest.mark.parametrize(("line", "named"), [
    ("{{ 单位地址 }}", "单位地址"),
    ("{{ 接待.人数 }}", "接待.人数"),
    ("{% for g in 绩效目标 %}{{ g.负责人 }}{% endfor %}", "绩效目标.负责人"),
    ("{% for a in 指标分析 %}{% for s in a.已完成 %}{{ s }}{% endfor %}{{ a.小计 }}{% endfor %}", "指标分析.小计"),
])
def test_a_field_perfxl_does_not_know_is_named_before_anything_is_written(tmp_path: Path, line, named):
    tpl = _template(tmp_path, "{{ 单位名称 }}", line)
    out = tmp_path / "out"
    with pytest.raises(TemplateFieldError) as e:
        write_reports([SEED], out, ReportOptions(template=tpl))
    assert e.value.code == "E021"
    assert named in str(e.value) and str(tpl) in str(e.value)
    assert not out.exists()


def test_known_fields_and_loop_variables_pass_the_check(tmp_path: Path):
    tpl = _template(tmp_path, "{% for a in 指标分析 %}{{ a.序号 }}{% for s in a.未完成 %}{{ loop.index }}{{ s }}"
                              "{% endfor %}{% endfor %}{{ 三公经费.控制率 }}{% if 需修改 %}x{% endif %}")
    ReportTemplate.load(tpl, UNIT_TEMPLATE, UNIT_FIELDS)


def test_a_syntax_error_is_a_coded_error_naming_the_template(tmp_path: Path):
    tpl = _template(tmp_path, "{{ 单位名称 }", "{% if 需修改 %}没有结束")
    with pytest.raises(ReportTemplateError) as e:
        ReportTemplate.load(tpl, UNIT_TEMPLATE, UNIT_FIELDS)
    assert e.value.code == "E020" and str(tpl) in str(e.value)


@pytest.mark.parametrize("content", [b"", b"not a zip", b"PK\x03\x04broken"])
def test_a_template_that_is_not_a_docx(tmp_path: Path, content: bytes):
    tpl = tmp_path / "模板.docx"
    tpl.write_bytes(content)
    with pytest.raises(ReportTemplateError) as e:
        ReportTemplate.load(tpl, UNIT_TEMPLATE, UNIT_FIELDS)
    assert e.value.code == "E020" and "docx" in str(e.value)


def test_a_missing_template(tmp_path: Path):
    with pytest.raises(ReportTemplateError) as e:
        ReportTemplate.load(tmp_path / "无.docx", UNIT_TEMPLATE, UNIT_FIELDS)
    assert "找不到" in str(e.value)


def test_the_sandbox_refuses_python_internals(tmp_path: Path):
    tpl = _template(tmp_path, "{{ 单位名称.__class__.__mro__ }}")
    with pytest.raises(TemplateFieldError):
        ReportTemplate.load(tpl, UNIT_TEMPLATE, UNIT_FIELDS)


def test_readme_field_tables_match_the_catalogue():
    gen = _script("gen_readme_fields")
    readme = (ROOT / "README.md").read_text("utf-8")
    assert gen.START in readme and gen.END in readme, "run python scripts/gen_readme_fields.py"
    assert gen.updated(readme) == readme, "README field tables are out of date: run python scripts/gen_readme_fields.py"
    for f in (*UNIT_FIELDS, *COUNTY_FIELDS):
        assert f"| `{f.name}` |" in readme
