"""The 点検一覧 filter, in headless Chromium: choosing a rule or an organization hides the other rows."""

from __future__ import annotations

import os
import shutil
from io import StringIO
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parents[1]
CHROMIUM = os.environ.get("PIA_CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")
playwright = pytest.importorskip("playwright.sync_api")


@pytest.fixture(scope="module")
def page_url(tmp_path_factory):
    from sphinx.testing.util import SphinxTestApp

    src = tmp_path_factory.mktemp("review-browser") / "src"
    shutil.copytree(HERE / "roots" / "test-versions", src)
    app = SphinxTestApp("html", srcdir=src, status=StringIO(), warning=StringIO())
    try:
        app.build()
        yield (Path(app.outdir) / "review.html").as_uri()
    finally:
        app.cleanup()


def test_filter_by_rule_and_severity(page_url):
    if not Path(CHROMIUM).exists():
        pytest.skip("chromium not installed")
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM)
        try:
            page = browser.new_page()
            page.goto(page_url, timeout=60_000)
            table = page.locator("table.pia-filterable")
            total = table.locator("tbody tr").count()
            assert total > 10
            bar = page.locator(".pia-filter-bar")
            assert bar.locator("select").count() == 3
            assert bar.locator(".pia-filter-count").inner_text() == f"{total} / {total} 件"
            bar.locator("select").nth(0).select_option("pia-rule-pia-h03")
            visible = table.locator("tbody tr:not([hidden])")
            assert 0 < visible.count() < total
            assert all("PIA-H03" in t for t in visible.all_inner_texts())
            bar.locator("select").nth(2).select_option("pia-sev-error")  # no H03 finding is an error
            assert table.locator("tbody tr:not([hidden])").count() == 0
            bar.locator("select").nth(0).select_option("")
            assert table.locator("tbody tr:not([hidden])").count() == 2  # the two count findings of 花巻市
        finally:
            browser.close()
