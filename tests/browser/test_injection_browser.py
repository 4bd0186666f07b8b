"""The hostile site of tests/injection_corpus.py, opened in Chromium: no script runs.

Every page of the built site (generated pages, domain indices, search with a
payload as the query) is loaded from the file system; a payload that ran would set
``window.__pia_pwned`` or open a dialog.  Results of a search show payloads as text.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from injection_corpus import MARK, make_site  # noqa: E402


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("hostile-browser")
    src = tmp / "src"
    make_site(src)
    out = tmp / "html"
    subprocess.run([sys.executable, "-m", "sphinx", "-q", "-W", "-b", "html", "-D", "html_theme=furo", str(src), str(out)],
                   cwd=tmp, check=True, timeout=600)
    return out


def _watch(page) -> list[str]:
    events: list[str] = []
    page.on("dialog", lambda d: (events.append(f"dialog: {d.message}"), d.dismiss()))
    page.on("request", lambda r: events.append(f"request: {r.url}") if not r.url.startswith(("file://", "data:")) else None)
    return events


def test_no_script_runs_on_any_page(hostile_site, chromium):
    page = chromium.new_page()
    events = _watch(page)
    pages = sorted(hostile_site.rglob("*.html"))
    assert len(pages) > 50
    for path in pages:
        page.goto(path.as_uri())
        page.wait_for_load_state("load")
        assert page.evaluate(f"typeof window.{MARK}") == "undefined", path
        # getAttribute: an SVG link's .href is an object, not the URL
        hrefs = page.eval_on_selector_all("a[href], a[*|href]", "els => els.map(e => e.getAttribute('href') || e.getAttributeNS('http://www.w3.org/1999/xlink', 'href') || '')")
        assert not [h for h in hrefs if h.strip().lower().startswith(("javascript:", "data:", "vbscript:"))], path
    assert events == []
    page.close()


def test_search_results_show_payloads_as_text(hostile_site, chromium):
    page = chromium.new_page()
    events = _watch(page)
    for query in ("<script>", "onerror", "javascript", MARK, "名前"):
        page.goto((hostile_site / "search.html").as_uri() + "?q=" + query)
        page.wait_for_function("document.querySelector('#search-results').getAttribute('aria-busy') === 'false'", timeout=30000)
        assert page.evaluate(f"typeof window.{MARK}") == "undefined", query
        assert page.locator("#search-results script, #search-results img, #search-results iframe, #search-results svg").count() == 0
    # the marker query finds records, and their text shows the payload literally
    page.goto((hostile_site / "search.html").as_uri() + "?q=" + MARK)
    page.wait_for_function("document.querySelector('#search-results').getAttribute('aria-busy') === 'false'", timeout=30000)
    assert page.locator("#search-results li").count() > 0
    assert MARK in page.inner_text("#search-results")
    assert events == []
    page.close()
