"""``perfxl serve`` in process (Starlette's TestClient): links, forms, checks, downloads."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from pathlib import Path
from typing import Any, Callable, Iterator

import subprocess
import sys
import warnings

import openpyxl
import pytest

with warnings.catch_warnings():  # starlette's notice about httpx's successor
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

from perfxl.rulebook import default_rulebook, load_rulebook
from perfxl.serve import prepare
from perfxl.serve.app import Settings, create_app
from perfxl.serve.store import Store

from _serve import B001_SAMPLE, DEPT, dept_links, fixed_009, form_csrf

EVIL = '=HYPERLINK("http://x","x")'


class Site:
    """A server over a data folder, with its admin path and helpers for forms."""

    def __init__(self, client: TestClient, store: Store, admin: str):
        self.client, self.store, self.admin = client, store, admin

    def add(self, *names: str) -> dict[str, str]:
        page = self.client.get(self.admin).text
        r = self.client.post(f"{self.admin}/departments", data={
            "csrf": form_csrf(page, f"{self.admin}/departments"), "names": "\n".join(names)}, follow_redirects=False)
        assert r.status_code == 303, r.text
        return dept_links(self.client.get(self.admin).text)

    def upload(self, link: str, path: Path, name: str | None = None, **kw: Any) -> Any:
        page = self.client.get(link).text
        with open(path, "rb") as fh:
            return self.client.post(f"{link}/upload", data={"csrf": form_csrf(page, f"{link}/upload")},
                                    files={"file": (name or path.name, fh, "application/octet-stream")},
                                    follow_redirects=False, **kw)

    def submit(self, link: str, number: int, explanations: dict[str, str] | None = None) -> Any:
        page = self.client.get(f"{link}/v/{number}").text
        data = {"csrf": form_csrf(page, f"{link}/v/{number}/submit")}
        for key, text in (explanations or {}).items():
            data[f"explain:{key}"] = text
        return self.client.post(f"{link}/v/{number}/submit", data=data, follow_redirects=False)


def _site(tmp_path: Path, rulebook: Any = None) -> Iterator[Site]:
    store, token, _ = prepare(tmp_path / "data")
    assert token is not None
    app = create_app(Settings(store=store, rulebook=rulebook or default_rulebook(), jobs=2))
    with TestClient(app) as client:
        yield Site(client, store, f"/a/{token}")


@pytest.fixture
def site(tmp_path: Path) -> Iterator[Site]:
    yield from _site(tmp_path)


def _rulebook(tmp_path: Path, text: str) -> Any:
    p = tmp_path / "rb.toml"
    p.write_text(text, encoding="utf-8")
    return load_rulebook(p)


def _findings(page: str) -> list[tuple[str, str, str]]:
    return re.findall(r'data-code="(\w+)" data-cell="(\w*)" data-sheet="([^"]*)"', page)


# --- links and tokens -----------------------------------------------------------------


def test_nothing_is_reachable_without_a_token(site: Site) -> None:
    link = site.add(DEPT)[DEPT]
    dept_token = link.rsplit("/", 1)[1]
    admin_token = site.admin.rsplit("/", 1)[1]
    for path in ("/", "/static/app.css", "/d/", "/d/nope", "/a/nope", f"/a/{dept_token}", f"/d/{admin_token}",
                 "/d/nope/v/1/annotated", "/a/nope/export/汇总表.xlsx", "/a/nope/links.csv", "/favicon.ico"):
        r = site.client.get(path)
        assert r.status_code == 404, path
        assert "链接无效" in r.text and dept_token not in r.text
    r = site.client.post("/d/nope/upload", files={"file": ("a.xlsx", b"x")})
    assert r.status_code == 404
    assert site.client.get(link).status_code == 200 and site.client.get(site.admin).status_code == 200


def test_links_are_long_random_and_revocable(site: Site) -> None:
    links = site.add("甲局", "乙局", "甲局")  # a name given twice is added once
    assert sorted(links) == ["乙局", "甲局"]
    tokens = [link.rsplit("/", 1)[1] for link in links.values()]
    assert len(set(tokens)) == 2 and all(len(t) >= 43 for t in tokens)
    old = links["甲局"]
    dept_id = next(d.id for d in site.store.departments() if d.name == "甲局")
    page = site.client.get(site.admin).text
    r = site.client.post(f"{site.admin}/departments/{dept_id}/revoke",
                         data={"csrf": form_csrf(page, f"{site.admin}/departments/{dept_id}/revoke")})
    assert r.status_code == 200 and "已停用" in r.text
    assert site.client.get(old).status_code == 404
    page = site.client.get(site.admin).text
    r = site.client.post(f"{site.admin}/departments/{dept_id}/reissue",
                         data={"csrf": form_csrf(page, f"{site.admin}/departments/{dept_id}/reissue")})
    new = dept_links(r.text)["甲局"]
    assert new != old and site.client.get(new).status_code == 200 and site.client.get(old).status_code == 404
    csv_text = site.client.get(f"{site.admin}/links.csv").content.decode("utf-8-sig")
    assert new in csv_text and links["乙局"] in csv_text


def test_a_new_admin_link_replaces_the_old(tmp_path: Path) -> None:
    store, first, _ = prepare(tmp_path / "d")
    _, again, _ = prepare(tmp_path / "d")
    _, second, _ = prepare(tmp_path / "d", init=True)
    assert first and again is None and second and second != first
    assert store.is_admin(second) and not store.is_admin(first) and not store.is_admin("")


# --- forms ----------------------------------------------------------------------------


def test_every_form_needs_its_csrf_token(site: Site) -> None:
    link = site.add(DEPT)[DEPT]
    assert site.upload(link, B001_SAMPLE).status_code == 303
    page = site.client.get(link).text
    token = form_csrf(page, f"{link}/upload")
    with open(B001_SAMPLE, "rb") as fh:
        body = fh.read()
    for data in ({}, {"csrf": "0" * 64}, {"csrf": form_csrf(page, f"{link}/v/1/submit") if "submit-form" in page
                                          else "x"}):
        r = site.client.post(f"{link}/upload", data=data, files={"file": ("a.xlsx", body)})
        assert r.status_code == 403 and "页面已过期" in r.text
    r = site.client.post(f"{link}/upload", data={"csrf": token}, files={"file": ("a.xlsx", body)},
                         headers={"origin": "http://evil.example", "sec-fetch-site": "cross-site"})
    assert r.status_code == 403
    other = site.add("乙局")["乙局"]
    r = site.client.post(f"{other}/upload", data={"csrf": token}, files={"file": ("a.xlsx", body)})
    assert r.status_code == 403  # a token is bound to its link
    for path in (f"{site.admin}/departments", f"{site.admin}/departments/1/revoke", f"{link}/v/1/submit"):
        assert site.client.post(path, data={"names": "丙局", "csrf": "bad"}).status_code == 403, path
    assert site.store.count_versions() == 1 and len(site.store.departments()) == 2
    assert site.store.department_by_token(link.rsplit("/", 1)[1]) is not None


def test_pages_carry_the_security_headers(site: Site) -> None:
    link = site.add(DEPT)[DEPT]
    for r in (site.client.get(link), site.client.get(site.admin), site.client.get("/nope")):
        h = r.headers
        assert "default-src 'none'" in h["content-security-policy"] and "frame-ancestors 'none'" in h[
            "content-security-policy"]
        nonce = re.search(r"'nonce-([^']+)'", h["content-security-policy"]).group(1)
        assert f'<script nonce="{nonce}">' in r.text and "<script>" not in r.text
        assert h["x-content-type-options"] == "nosniff" and h["x-frame-options"] == "DENY"
        assert h["referrer-policy"] == "same-origin" and h["cache-control"] == "no-store"


# --- the clerk's page -----------------------------------------------------------------


def test_upload_shows_the_planted_b001_at_d4_and_its_fix(site: Site, tmp_path: Path) -> None:
    link = site.add(DEPT)[DEPT]
    r = site.upload(link, B001_SAMPLE)
    assert r.status_code == 303 and r.headers["location"] == f"{link}/v/1"
    page = site.client.get(f"{link}/v/1").text
    assert ("B001", "D4", "预算执行") in _findings(page)
    assert "需修改：1 个错误，3 个警告" in page and "还有错误" in page and 'id="submit-form"' not in page
    assert '<td class="num">76.80%</td>' in page  # B005's rate in its own terms, nothing expected
    assert "Needs changes: 1 error, 3 warnings" in site.client.get(f"{link}/v/1?lang=en").text
    r = site.client.get(f"{link}/v/1/annotated")
    assert r.status_code == 200 and "attachment" in r.headers["content-disposition"]
    wb = openpyxl.load_workbook(io.BytesIO(r.content))
    assert "B001" in wb["预算执行"]["D4"].comment.text
    assert site.client.get(f"{link}/v/1/original").content == B001_SAMPLE.read_bytes()

    r = site.upload(link, fixed_009(tmp_path / "fixed.xlsx"), name="人社局 第二稿.xlsx")
    assert r.headers["location"] == f"{link}/v/2"
    page = site.client.get(f"{link}/v/2").text
    fixed = re.search(r'id="changes-fixed">(.*?)</div>', page, re.S).group(1)
    still = re.search(r'id="changes-open">(.*?)</div>', page, re.S).group(1)
    assert "B001@预算执行!D4" in fixed and "B001" not in still and still.count("<li") == 3
    assert 'id="changes-new"' not in page
    assert "可以提交（3 个警告请在提交时说明）" in page and "人社局 第二稿.xlsx" in page

    en = site.client.get(f"{link}/v/2?lang=en").text
    assert "Ready to submit (3 warnings to explain)" in en and "Fixed" in en and "execution rate" in en


def test_submit_needs_no_error_and_every_warning_explained(site: Site, tmp_path: Path) -> None:
    link = site.add(DEPT)[DEPT]
    site.upload(link, B001_SAMPLE)
    page = site.client.get(f"{link}/v/1").text
    r = site.client.post(f"{link}/v/1/submit", data={"csrf": re.search(
        r'name="csrf" value="([^"]+)"', page).group(1)})  # not the submit form's token either
    assert r.status_code == 403
    assert site.store.submission(1) is None
    site.upload(link, fixed_009(tmp_path / "fixed.xlsx"))
    keys = ["B005@预算执行!H4", "B005@预算执行!H5", "B005@预算执行!H12"]
    r = site.submit(link, 2, {keys[0]: "项目延期", keys[1]: "无", keys[2]: " "})
    assert r.status_code == 400 and "请为每个警告填写说明" in r.text and "项目延期" in r.text
    assert site.store.submission(1) is None
    r = site.submit(link, 2, {k: f"原因 {i}" for i, k in enumerate(keys)})
    assert r.status_code == 303
    page = site.client.get(r.headers["location"]).text
    assert 'id="submitted"' in page and "原因 2" in page
    sub = site.store.submission(1)
    assert sub is not None and sub.version_number == 2 and sub.explanations[keys[1]] == "原因 1"


def test_errors_block_submission_even_when_posted_directly(site: Site) -> None:
    link = site.add(DEPT)[DEPT]
    site.upload(link, B001_SAMPLE)
    from perfxl.serve.security import csrf_token

    r = site.client.post(f"{link}/v/1/submit", data={"csrf": csrf_token(site.store.secret, link.rsplit("/", 1)[1],
                                                                        "submit:1")})
    assert r.status_code == 409 and site.store.submission(1) is None


def test_bad_uploads_get_a_clear_answer_and_no_row(site: Site, tmp_path: Path) -> None:
    link = site.add(DEPT)[DEPT]
    (tmp_path / "notes.docx").write_bytes(b"PK\x03\x04")
    r = site.upload(link, tmp_path / "notes.docx")
    assert r.status_code == 400 and "只接受" in r.text
    r = site.upload(link, B001_SAMPLE, name="~$自评表.xlsx")
    assert r.status_code == 400 and "锁定文件" in r.text
    page = site.client.get(link).text
    r = site.client.post(f"{link}/upload", data={"csrf": form_csrf(page, f"{link}/upload")})
    assert r.status_code == 400
    r = site.client.post(f"{link}/upload", content=b"--x\r\nnot a part",
                         headers={"content-type": "multipart/form-data; boundary=x"})
    assert r.status_code == 400 and "表单内容无法读取" in r.text
    assert site.store.count_versions() == 0
    # Random bytes named .xlsx are checked like any upload: a version that cannot be read.
    (tmp_path / "junk.xlsx").write_bytes(b"\x00\x01 not a workbook" * 50)
    assert site.upload(link, tmp_path / "junk.xlsx").status_code == 303
    page = site.client.get(f"{link}/v/1").text
    assert "无法读取" in page and "F003" in page and "文件无法读取，不能提交" in page
    assert 'id="download-annotated"' not in page


def test_the_client_file_name_never_touches_the_disk(site: Site) -> None:
    link = site.add(DEPT)[DEPT]
    r = site.upload(link, B001_SAMPLE, name="../../../etc/x<script>.xlsx")
    assert r.status_code == 303
    files = sorted(p.name for p in site.store.files.iterdir() if p.name != ".incoming")
    assert len(files) == 2 and all(re.fullmatch(r"[0-9a-f]{32}(\.annotated)?\.xlsx", n) for n in files)
    page = site.client.get(f"{link}/v/1").text
    assert "x&lt;script&gt;.xlsx" in page and "<script>.xlsx" not in page
    assert not any(site.store.incoming.iterdir())


def test_size_limit_from_the_rulebook(tmp_path: Path) -> None:
    for site in _site(tmp_path, _rulebook(tmp_path, "[limits]\nmax_file_mb = 0.01\n")):
        link = site.add(DEPT)[DEPT]
        r = site.upload(link, B001_SAMPLE)  # ~ 20 KB against 10 KB + the form's room
        assert B001_SAMPLE.stat().st_size > 10 * 1024
        big = tmp_path / "big.xlsx"
        big.write_bytes(B001_SAMPLE.read_bytes() + b"\0" * 200_000)
        r = site.upload(link, big)
        assert r.status_code == 413
        page = site.client.get(link).text
        chunks = (b for b in [b"--x\r\n", b"\0" * 300_000])  # no Content-Length: counted as it comes
        r = site.client.post(f"{link}/upload?csrf={form_csrf(page, f'{link}/upload')}", content=chunks,
                             headers={"content-type": "multipart/form-data; boundary=x"})
        assert r.status_code == 413
        assert all(v.status == "无法读取" and v.findings[0]["code"] == "F005" for v in site.store.versions(1))


def test_a_check_past_the_time_limit_is_f901(tmp_path: Path) -> None:
    for site in _site(tmp_path, _rulebook(tmp_path, "[limits]\ntimeout_seconds = 0.001\n")):
        link = site.add(DEPT)[DEPT]
        assert site.upload(link, B001_SAMPLE).status_code == 303
        v = site.store.version(1, 1)
        assert v is not None and v.status == "无法读取" and v.findings[0]["code"] == "F901"


def test_page_text_is_escaped(site: Site, tmp_path: Path, make_xlsx: Callable[..., Path]) -> None:
    from _serve import sample_data

    data = sample_data("003_")
    data["profile"]["name"] = "<script>alert(1)</script>"
    link = site.add("<b>局</b>")["<b>局</b>"]
    site.upload(link, make_xlsx(data, name="x.xlsx"))
    page = site.client.get(f"{link}/v/1").text
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<b>局</b>" not in page and "&lt;b&gt;局&lt;/b&gt;" in site.client.get(site.admin).text


# --- the bureau's page and its downloads ------------------------------------------------


def test_bureau_sees_each_department_and_downloads_the_batch_of_submitted_versions(
        site: Site, tmp_path: Path, make_xlsx: Callable[..., Path]) -> None:
    from _serve import sample_data

    links = site.add(DEPT, "示例县教育局", "示例县水利局")
    site.upload(links[DEPT], fixed_009(tmp_path / "fixed.xlsx"))
    keys = ["B005@预算执行!H4", "B005@预算执行!H5", "B005@预算执行!H12"]
    site.submit(links[DEPT], 1, {k: EVIL for k in keys})
    evil = sample_data("003_")
    evil["profile"]["name"] = EVIL
    evil["profile"]["staff_on_post"] = evil["profile"]["staff_quota"] + 1  # P005, a warning to explain
    site.upload(links["示例县教育局"], make_xlsx(evil, name="edu.xlsx"))
    assert site.submit(links["示例县教育局"], 1, {"P005@基本信息!B11": EVIL}).status_code == 303
    site.upload(links["示例县水利局"], B001_SAMPLE)  # uploaded, not submitted

    page = site.client.get(site.admin).text
    assert "已提交 2 个，未提交 1 个" in page
    waiting = re.search(r'id="waiting">(.*?)</p>', page, re.S).group(1)
    assert "示例县水利局" in waiting and DEPT not in waiting
    row = re.search(rf'<tr data-dept="{DEPT}".*?</tr>', page, re.S).group(0)
    assert "97.68" in row and "优" in row and "✔ 版本 1" in row

    r = site.client.get(f"{site.admin}/export/汇总表.xlsx")
    assert r.status_code == 200
    wb = openpyxl.load_workbook(io.BytesIO(r.content))
    names = [c.value for c in wb["汇总"]["B"] if c.value]
    assert DEPT in names and EVIL in names and "示例县水利局" not in names
    for ws in wb.worksheets:
        for row_ in ws.iter_rows():
            for c in row_:
                if isinstance(c.value, str) and "HYPERLINK(\"http://x" in c.value:
                    assert c.data_type == "s", (ws.title, c.coordinate)
    findings = site.client.get(f"{site.admin}/export/findings.csv").content.decode("utf-8-sig")
    fields = [f for line in csv.reader(io.StringIO(findings)) for f in line]
    assert not any(f.startswith("=") for f in fields) and "'" + EVIL in fields
    expl = list(csv.reader(io.StringIO(site.client.get(f"{site.admin}/export/explanations.csv")
                                        .content.decode("utf-8-sig"))))
    assert len(expl) == 5 and all(r_[-1] == "'" + EVIL for r_ in expl[1:])
    summary = site.client.get(f"{site.admin}/export/summary.json").json()
    assert sorted(u["name"] for u in summary["units"]) == sorted([DEPT, EVIL])
    with zipfile.ZipFile(io.BytesIO(site.client.get(f"{site.admin}/export/annotated.zip").content)) as zf:
        copies = sorted(zf.namelist())
        assert len(copies) == 2 and all(n.startswith("annotated/") for n in copies)
        wb = openpyxl.load_workbook(io.BytesIO(zf.read(copies[0])))
        assert not any(isinstance(c.value, str) and c.value.startswith("=HYPERLINK(\"http://x") and c.data_type == "f"
                       for ws in wb.worksheets if ws.title == "校验结果" for row_ in ws.iter_rows() for c in row_)
    with zipfile.ZipFile(io.BytesIO(site.client.get(f"{site.admin}/export/all.zip").content)) as zf:
        assert {"perfxl-汇总/汇总表.xlsx", "perfxl-汇总/findings.csv"} <= set(zf.namelist())
    with zipfile.ZipFile(io.BytesIO(site.client.get(f"{site.admin}/export/reports.zip").content)) as zf:
        drafts = [n for n in zf.namelist() if n.endswith("_绩效自评报告.docx")]
        assert len(drafts) == 2 and "reports/全县部门整体支出绩效自评情况报告.docx" in zf.namelist()
        assert all(n.startswith("reports/") and n.count("/") == 1 and ".." not in n for n in zf.namelist())
    assert site.client.get(f"{site.admin}/export/../perfxl.sqlite3").status_code == 404
    assert site.client.get(f"{site.admin}/export/提交").status_code == 404

    exports = site.store.root / "exports"
    before = [p.name for p in exports.iterdir()]
    site.upload(links["示例县水利局"], fixed_009(tmp_path / "f2.xlsx"))
    keys_ok = {k: "说明" for k in keys}
    assert site.submit(links["示例县水利局"], 2, keys_ok).status_code == 303
    wb = openpyxl.load_workbook(io.BytesIO(site.client.get(f"{site.admin}/export/汇总表.xlsx").content))
    assert len([c.value for c in wb["汇总"]["B"] if c.value]) == 1 + 3  # header + three units
    after = [p.name for p in exports.iterdir()]
    assert len(before) == len(after) == 1 and before != after  # rebuilt for the new set, the old removed


def test_the_bureau_views_a_department_read_only(site: Site) -> None:
    links = site.add(DEPT)
    site.upload(links[DEPT], B001_SAMPLE)
    page = site.client.get(f"{site.admin}/departments/1").text
    assert ("B001", "D4", "预算执行") in _findings(page) and "只读" in page
    assert 'id="upload"' not in page and 'id="submit-form"' not in page
    r = site.client.get(f"{site.admin}/departments/1/v/1/annotated")
    assert r.status_code == 200 and r.content[:2] == b"PK"
    assert site.client.get(f"{site.admin}/departments/9").status_code == 404


# --- the data folder ------------------------------------------------------------------


def test_a_restart_loses_nothing_and_cleans_leftovers(tmp_path: Path) -> None:
    for site in _site(tmp_path):
        link = site.add(DEPT)[DEPT]
        site.upload(link, B001_SAMPLE)
    store = Store(tmp_path / "data")
    (store.incoming / "0123").mkdir()
    (store.incoming / "0123" / "half.xlsx").write_bytes(b"PK")
    orphan = store.files / ("ab" * 16 + ".xlsx")
    orphan.write_bytes(b"PK")
    _, token, removed = prepare(tmp_path / "data")
    assert token is None and removed == 2 and not orphan.exists() and not any(store.incoming.iterdir())
    v = store.version(1, 1)
    assert v is not None and store.path_of(v.stored).exists() and store.path_of(v.annotated).exists()
    assert store.integrity() == "ok"
    assert store.setting("schema") == "1"
    assert store._db().execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_perfxl_check_imports_no_web_framework() -> None:
    code = ("import sys\nfrom perfxl.cli import main\nsys.argv = ['perfxl', 'check', sys.argv[1]]\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            "print([m for m in ('starlette', 'uvicorn', 'jinja2', 'multipart', 'perfxl.serve') if m in sys.modules],"
            " file=sys.stderr)")
    r = subprocess.run([sys.executable, "-c", code, str(B001_SAMPLE)], capture_output=True, text=True, timeout=120)
    assert "B001" in r.stdout and r.stderr.strip().splitlines()[-1] == "[]"


def test_serve_help_names_its_options() -> None:
    r = subprocess.run([sys.executable, "-m", "perfxl", "serve", "--help"], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0 and all(o in r.stdout for o in ("--data", "--host", "--port", "--init", "--jobs"))
