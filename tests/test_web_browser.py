"""``exporter serve`` in a real browser: Debian's Chromium driven by Playwright (no download)."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pypdf
import pytest
from playwright.sync_api import Page, sync_playwright

from exporter.web import ServeSettings
from tests.webserver import running

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "news_xinhua_poverty_symposium_2020.txt"
#: Chromium as Debian ships it (``playwright install`` downloads browsers and cannot work here);
#: flags that keep it from calling home.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
NUMBER = "某府发〔2024〕12号"
ISSUER = "某某市人民政府文件"


def chromium() -> str:
    """The system Chromium; the test fails (never skips) without it: .ci/run installs it."""
    found = shutil.which("chromium") or (
        "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None
    )
    if found is None:
        pytest.fail("chromium is not installed (apt-get install chromium; .ci/run does it)")
    return found


def drop_file(page: Page, selector: str, path: Path) -> None:
    """Drop ``path`` on ``selector`` as a file dragged from the desktop would arrive."""
    page.evaluate(
        """([selector, name, text]) => {
            const transfer = new DataTransfer();
            transfer.items.add(new File([text], name, { type: "text/plain" }));
            const target = document.querySelector(selector);
            for (const kind of ["dragenter", "dragover", "drop"]) {
                target.dispatchEvent(new DragEvent(kind, { bubbles: true, cancelable: true, dataTransfer: transfer }));
            }
        }""",
        [selector, path.name, path.read_text("utf-8")],
    )


def test_clerk_drops_the_sample_previews_and_downloads_the_pdf(tmp_path: Path) -> None:
    executable = chromium()
    with running(ServeSettings(workers=1)) as (url, _app), sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1200, "height": 800}, accept_downloads=True)
            problems: list[str] = []
            page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: problems.append(str(e)))
            page.goto(url + "/")
            assert page.locator("html").get_attribute("lang") == "zh-CN"

            drop_file(page, "#drop", SAMPLE)
            page.wait_for_selector("#file-list li")
            assert SAMPLE.name in page.inner_text("#file-list")
            assert page.is_enabled("#convert")
            assert page.is_hidden("#gongwen-fields")  # 普通文档 first: no 公文 fields

            page.get_by_label("公文 文件格式").check()
            assert page.is_visible("#gongwen-fields")
            page.get_by_label("发文机关").fill(ISSUER)
            page.get_by_label("发文字号").fill(NUMBER)
            page.click("#convert")

            first = page.locator("#pages img").first
            first.wait_for(timeout=60_000)
            page.wait_for_function(
                "() => { const i = document.querySelector('#pages img'); return i && i.complete && i.naturalWidth > 500; }"
            )
            assert page.locator("#pages img").count() >= 2
            assert "习近平在决战决胜脱贫攻坚座谈会上讲话" in page.inner_text("#outline")
            assert "stands in" in page.inner_text("#warnings")  # the 小标宋 stand-in
            if os.environ.get("EXPORTER_SCREENSHOT"):  # for the README: docs/serve.png
                page.evaluate("window.scrollTo(0, 0)")
                page.screenshot(path=os.environ["EXPORTER_SCREENSHOT"])

            with page.expect_download() as info:
                page.get_by_role("link", name="下载 PDF").click()
            download = info.value
            assert download.suggested_filename == SAMPLE.stem + ".pdf"
            saved = tmp_path / "download.pdf"
            download.save_as(saved)
            reader = pypdf.PdfReader(saved)
            # the typesetter's half cell beside a number reads as a space in the text layer
            first_page = re.sub(r"\s", "", reader.pages[0].extract_text())
            assert NUMBER in first_page and ISSUER in first_page
            assert "习近平在决战决胜脱贫攻坚座谈会上讲话" in first_page

            # pasted text is data: markup in it is shown, never parsed
            page.click("details.paste summary")
            title = "关于加强<img src=x onerror=alert(1)>管理的通知"
            page.fill("#text", title + "\n\n　　正文内容在这里。")
            page.click("#use-paste")
            page.wait_for_function(
                "t => document.querySelector('#file-list').textContent.includes(t)", arg=title
            )
            assert page.locator("#file-list img").count() == 0
            assert problems == []  # no script error, nothing the CSP blocked
        finally:
            browser.close()
