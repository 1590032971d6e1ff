"""``perfxl serve`` in a real browser: Playwright driving Debian's Chromium.

A clerk uploads sample 009 (B001 planted at 预算执行!D4), sees it at D4, downloads the
annotated copy and opens it with openpyxl, drops a fixed version on the page and sees
B001 fixed, explains the warnings and submits; the bureau sees the department as
submitted and downloads 汇总表.xlsx.  The screenshots of both pages are written to
``$PERFXL_SCREENSHOTS`` when it is set (``PERFXL_SCREENSHOTS=docs`` refreshes the
README's), else to the test's temporary folder.
"""

from __future__ import annotations

import base64
import os
import shutil
import tempfile
from pathlib import Path
from typing import Iterator

import openpyxl
import pytest

from _serve import B001_SAMPLE, DEPT, Live, fixed_009, start_server

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
WARNINGS = ["B005@预算执行!H4", "B005@预算执行!H5", "B005@预算执行!H12"]


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    assert shutil.which(CHROMIUM), f"{CHROMIUM} is missing: apt-get install chromium (.ci/run does)"
    profile = tempfile.mkdtemp(prefix="perfxl-chromium-")
    with sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            profile, executable_path=CHROMIUM, headless=True, args=ARGS, accept_downloads=True,
            viewport={"width": 1280, "height": 900}, locale="zh-CN")
        try:
            yield context
        finally:
            context.close()
    shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture
def live(tmp_path: Path) -> Iterator[Live]:
    server = start_server(tmp_path / "inbox")
    try:
        yield server
    finally:
        server.stop()


def _shots(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("PERFXL_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _drop(page: object, selector: str, path: Path) -> None:
    """Drop ``path`` onto ``selector`` as a file dragged from the desktop would be."""
    data = base64.b64encode(path.read_bytes()).decode()
    page.evaluate(  # type: ignore[attr-defined]
        """([selector, name, data]) => {
            const bytes = Uint8Array.from(atob(data), c => c.charCodeAt(0));
            const dt = new DataTransfer();
            dt.items.add(new File([bytes], name));
            const target = document.querySelector(selector);
            for (const type of ["dragenter", "dragover", "drop"]) {
                target.dispatchEvent(new DragEvent(type, {dataTransfer: dt, bubbles: true, cancelable: true}));
            }
        }""", [selector, path.name, data])


def test_a_clerk_fixes_and_submits_and_the_bureau_sees_it(browser: object, live: Live, tmp_path: Path) -> None:
    page = browser.new_page()  # type: ignore[attr-defined]
    base = live.url

    # The bureau adds two departments and reads the first one's link.
    page.goto(base + live.admin)
    page.fill("#names", f"{DEPT}\n示例县教育局")
    page.click("#add-button")
    page.wait_for_selector("#notice")
    assert "已添加 2 个部门" in page.inner_text("#notice")
    link = page.input_value(f'tr[data-dept="{DEPT}"] td.link input')
    assert link.startswith(f"{base}/d/") and len(link.rsplit("/", 1)[1]) >= 43

    # The clerk chooses the workbook with the planted B001: it is reported at D4.
    page.goto(link)
    page.set_input_files("#file", str(B001_SAMPLE))  # sent on choosing, no button needed
    page.wait_for_url("**/v/1")
    row = page.locator('tr[data-code="B001"][data-sheet="预算执行"]')
    assert row.count() == 1 and row.locator("td.cell").inner_text() == "D4"
    assert "需修改：1 个错误，3 个警告" in page.inner_text("#verdict")
    assert page.locator("#submit-form").count() == 0

    with page.expect_download() as info:
        page.click("#download-annotated")
    copy = tmp_path / "annotated.xlsx"
    info.value.save_as(copy)
    assert info.value.suggested_filename.endswith("_第1版_标注.xlsx")
    wb = openpyxl.load_workbook(copy)
    assert "B001" in wb["预算执行"]["D4"].comment.text and "校验结果" in wb.sheetnames

    # A fixed version dropped on the page: B001 is fixed, the warnings are still open.
    _drop(page, "#drop", fixed_009(tmp_path / "人社局_修改后.xlsx"))
    page.wait_for_url("**/v/2")
    assert page.locator('#changes-fixed li[data-key="B001@预算执行!D4"]').count() == 1
    assert page.locator('tr[data-code="B001"]').count() == 0
    assert page.locator("#changes-open li").count() == 3
    assert "可以提交（3 个警告请在提交时说明）" in page.inner_text("#verdict")

    # Submitting asks for every warning's explanation.
    page.click("#submit-button")
    page.wait_for_selector("#missing")
    assert page.locator("label.explain.missing").count() == 3
    page.goto(link + "/v/2")
    for i, key in enumerate(WARNINGS):
        page.fill(f'textarea[name="explain:{key}"]', ["年末才下达的项目资金未能支出", "同上", "工程延期至次年"][i])
    page.screenshot(path=str(_shots(tmp_path) / "serve-clerk.png"), full_page=True)
    page.click("#submit-button")
    page.wait_for_selector("#submitted")
    assert "工程延期至次年" in page.inner_text("#submit")

    # The bureau sees the department as submitted, the other as waiting.
    page.goto(base + live.admin)
    dept_row = page.locator(f'tr[data-dept="{DEPT}"]')
    assert "submitted" in (dept_row.get_attribute("class") or "")
    assert "版本 2" in dept_row.locator("td.sub").inner_text() and "97.68" in dept_row.inner_text()
    assert "示例县教育局" in page.inner_text("#waiting") and DEPT not in page.inner_text("#waiting")
    page.screenshot(path=str(_shots(tmp_path) / "serve-bureau.png"), full_page=True)
    with page.expect_download() as info:
        page.click('a[data-name="汇总表.xlsx"]')
    summary = tmp_path / "汇总表.xlsx"
    info.value.save_as(summary)
    names = [c.value for c in openpyxl.load_workbook(summary)["汇总"]["B"]]
    assert DEPT in names and "示例县教育局" not in names

    # The clerk's page in English.
    page.goto(link + "?lang=en")
    assert "Ready to submit (3 warnings to explain)" in page.inner_text("#verdict")
    assert page.locator("#submitted").count() == 1
    for name in ("serve-clerk.png", "serve-bureau.png"):
        assert (_shots(tmp_path) / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    page.close()
