"""Search, tested in a real browser (headless Chromium driven by Playwright).

Run with ``nox -s browser``.  The site is built once from content/, opened from
the file system (as a city's staff would open it, offline), and each query of
the query set is typed into the search box.  Recall@3 over the set must be at
least 95%.  ``PIA_SEARCH_REPORT`` names a file to write the per-query results to.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("PIA_CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")

playwright = pytest.importorskip("playwright.sync_api")

# (query, acceptable targets of a top-3 result: regexes over the result URL)
QUERIES: list[tuple[str, list[str]]] = [
    # legal citations, in every notation
    ("第19条第8号", [r"file-1\.html#file-1-prov-1$", r"laws/bangoho-art-19-i8\.html"]),
    ("第１９条第８号", [r"file-1\.html#file-1-prov-1$", r"laws/bangoho-art-19-i8\.html"]),
    ("第十九条第八号", [r"file-1\.html#file-1-prov-1$", r"laws/bangoho-art-19-i8\.html"]),
    ("番号法19条8号", [r"file-1\.html#file-1-prov-1$", r"laws/bangoho-art-19-i8\.html"]),
    ("番号法第19条第8号", [r"file-1\.html#file-1-prov-1$", r"laws/bangoho-art-19-i8\.html"]),
    ("マイナンバー法第19条第8号", [r"file-1\.html#file-1-prov-1$", r"laws/bangoho-art-19-i8\.html"]),
    ("番号利用法第十九条第八号", [r"file-1\.html#file-1-prov-1$", r"laws/bangoho-art-19-i8\.html"]),
    ("住基法第30条の6", [r"sapporo-juki/file-2\.html#file-2-prov-1$", r"laws/jukiho-art-30-6\.html", r"fujimino-juki/index\.html#basic-4$"]),
    ("別表第二の27の項", [r"hanamaki-kojin-juminzei/file-1\.html#file-1-prov-13$", r"laws/bangoho-table-2-row-27\.html"]),
    ("別表第2の3の項", [r"hanamaki-kojin-juminzei/file-1\.html#file-1-prov-3$", r"laws/bangoho-table-2-row-3\.html"]),
    ("主務省令第2条の表 27", [r"fujimino-juki/annex-1\.html#annex-1-\d+$", r"laws/shumu-shorei-art-2-table-row-27\.html"]),
    ("主務省令第2条の表", [r"file-1\.html#file-1-prov-1$", r"laws/shumu-shorei-art-2-table\.html"]),
    ("番号法第9条第1項", [r"file-1\.html#file-1-tran-1$", r"laws/bangoho-art-9-p1\.html"]),
    ("番号法第19条第7号", [r"hanamaki-kojin-juminzei/file-1\.html#file-1-prov-\d+$", r"laws/bangoho-art-19-i7\.html"]),
    ("別表第一の16の項", [r"hanamaki-kojin-juminzei/index\.html#basic-4$", r"laws/bangoho-table-1-row-16\.html"]),
    ("住基法第30条の15第2項", [r"gunma-juki-net/file-\d\.html#file-\d-(prov|tran)-\d+$", r"laws/jukiho-art-30-15-p2\.html"]),
    ("住民基本台帳法第30条の7", [r"gunma-juki-net/file-1\.html#file-1-prov-1$", r"laws/jukiho-art-30-7\.html"]),
    ("個人番号カード省令第23条の2", [r"file-\d\.html#file-\d-(prov|tran)-\d+$", r"laws/kojin-bango-card-shorei-art-23-2\.html"]),
    ("番号法第7条", [r"fujimino-juki/index\.html#basic-4$", r"laws/bangoho-art-7\.html", r"sapporo-juki/index\.html#basic-5$"]),
    ("番号法第9条第2項", [r"hanamaki-kojin-juminzei/file-1\.html#file-1-tran-\d+$", r"laws/bangoho-art-9-p2\.html"]),
    # compound terms
    ("住民票コード", [r"file-\d\.html#file-\d-items$"]),
    ("委託先", [r"file-\d\.html#file-\d-ent-\d+$"]),
    ("再委託", [r"file-\d\.html#file-\d-ent-\d+$"]),
    ("個人番号カード", [r"file-\d\.html#file-\d-items$", r"laws/kojin-bango-card-shorei", r"#sys-\d+$", r"file-\d\.html#file-\d"]),
    ("中間サーバー", [r"hanamaki-kojin-juminzei/systems\.html#sys-7$"]),
    ("住基ネット", [r"systems\.html#sys-\d+$", r"file-\d\.html#file-\d$"]),
    ("送付先情報ファイル", [r"file-\d\.html#file-\d$"]),
    ("本人確認情報ファイル", [r"file-\d\.html#file-\d$"]),
    # names of organizations, systems, files, contractors and record items
    ("ふじみ野市", [r"orgs/saitama-fujimino\.html"]),
    ("札幌市", [r"orgs/hokkaido-sapporo\.html"]),
    ("群馬県", [r"orgs/gunma-pref\.html"]),
    ("花巻市", [r"orgs/iwate-hanamaki\.html"]),
    ("宛名管理サーバー", [r"hanamaki-kojin-juminzei/systems\.html#sys-6$"]),
    ("申請管理システム", [r"fujimino-juki/systems\.html#sys-5$"]),
    ("既存住基システム", [r"fujimino-juki/systems\.html#sys-1$", r"sapporo-juki/systems\.html#sys-1$"]),
    # システム2 is missing from the body; its name survives only in change entries
    ("附票連携システム", [r"gunma-juki-net/systems\.html#sys-2$", r"gunma-juki-net/changes\.html#chg-\d+$"]),
    ("個人住民税課税情報ファイル", [r"hanamaki-kojin-juminzei/file-1\.html#file-1$"]),
    ("都道府県知事保存本人確認情報ファイル", [r"gunma-juki-net/file-1\.html#file-1$"]),
    ("(株)TKC", [r"fujimino-juki/file-\d\.html#file-\d-ent-\d+$"]),
    ("日本電気株式会社岩手支店", [r"hanamaki-kojin-juminzei/file-1\.html#file-1-ent-1$"]),
    ("BIPROGY株式会社北海道支店", [r"sapporo-juki/file-\d\.html#file-\d-ent-1$"]),
    ("一般社団法人花巻地域農業管理センター", [r"hanamaki-kojin-juminzei/file-1\.html#file-1-ent-[23]$"]),
    ("課税年度", [r"hanamaki-kojin-juminzei/file-1\.html#file-1-items$"]),
    ("異動事由", [r"fujimino-juki/file-1\.html#file-1-items$"]),
    ("均等割額", [r"hanamaki-kojin-juminzei/file-1\.html#file-1-items$"]),
    ("厚生労働大臣", [r"annex-1\.html#annex-1-\d+$", r"file-1\.html#file-1-prov-\d+$"]),
]


def _build(tmp: Path, search: bool) -> Path:
    """Build as `nox -s site` does: sphinx-build with the *installed* package (run
    outside the source tree, so a file missing from the package fails here too)."""
    import subprocess
    import sys

    src = tmp / "site"
    shutil.copytree(ROOT / "site", src, ignore=shutil.ignore_patterns("_build", "pia"))
    out = tmp / "html"
    subprocess.run(
        [sys.executable, "-m", "sphinx", "-q", "-W", "-b", "html", "-D", f"pia_content_dir={ROOT / 'content'}",
         "-D", f"pia_search={int(search)}", str(src), str(out)],
        cwd=tmp, check=True,
    )
    return out


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    return _build(tmp_path_factory.mktemp("search-site"), search=True)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}; install Debian's chromium package (see .ci/run)")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync"])
        yield b
        b.close()


def run_query(page, site: Path, query: str, sphinx_builtin: bool = False) -> tuple[list[str], float | None]:
    """Type the query into the search box of the built site and read the results."""
    page.goto(f"file://{site}/index.html")
    box = page.locator("form[role=search] input[name=q]").first
    box.fill(query)
    box.press("Enter")
    page.wait_for_url(re.compile(r"search\.html\?"))
    if sphinx_builtin:
        page.wait_for_function("document.querySelector('#search-results') && !document.querySelector('#search-results').classList.contains('pending') && document.querySelector('.search-summary, #search-results p')", timeout=30000)
        page.wait_for_timeout(300)
        ms = None
    else:
        page.wait_for_function("document.querySelector('#search-results').getAttribute('aria-busy') === 'false'", timeout=30000)
        ms = float(page.get_attribute("#search-results", "data-query-ms"))
    hrefs = page.eval_on_selector_all("#search-results li a", "els => els.map(e => e.href)")
    return hrefs, ms


def recall_at_3(results: dict[str, list[str]]) -> tuple[float, list[str]]:
    misses = []
    for query, accept in QUERIES:
        top = results[query][:3]
        if not any(re.search(rx, href) for href in top for rx in accept):
            misses.append(query)
    return 1 - len(misses) / len(QUERIES), misses


def test_query_set_size():
    assert len(QUERIES) >= 40


def test_recall_at_3(site, browser):
    page = browser.new_page()
    results, times = {}, {}
    for query, _ in QUERIES:
        results[query], times[query] = run_query(page, site, query)
    recall, misses = recall_at_3(results)
    report = os.environ.get("PIA_SEARCH_REPORT")
    if report:
        Path(report).write_text(json.dumps({"recall_at_3": recall, "misses": misses, "ms": times, "top3": {q: r[:3] for q, r in results.items()}},
                                           ensure_ascii=False, indent=2), encoding="utf-8")
    assert recall >= 0.95, f"recall@3 {recall:.2%}; missed: {misses}"


def test_results_are_list_items_in_search_results_and_query_comes_from_url(site, browser):
    page = browser.new_page()
    page.goto(f"file://{site}/search.html?q=住民票コード")
    page.wait_for_function("document.querySelector('#search-results').getAttribute('aria-busy') === 'false'")
    assert page.input_value("#pia-q") == "住民票コード"
    # the page keeps the theme's layout: its own search box in the sidebar beside ours
    assert page.locator("input[name=q]").count() >= 2
    items = page.locator("#search-results li")
    assert items.count() > 0
    first = items.first
    assert "住民票コード" in first.inner_text()
    assert first.locator("mark").count() >= 1  # the snippet marks the match
    assert first.locator(".pia-context").inner_text()  # page / section context


def test_filters(site, browser):
    page = browser.new_page()
    page.goto(f"file://{site}/search.html?q=住民票コード&org=札幌市")
    page.wait_for_function("document.querySelector('#search-results').getAttribute('aria-busy') === 'false'")
    contexts = page.eval_on_selector_all("#search-results li .pia-context", "els => els.map(e => e.textContent)")
    assert contexts and all(c.startswith("札幌市") for c in contexts)
    page.goto(f"file://{site}/search.html?q=第19条第8号&kind=law")
    page.wait_for_function("document.querySelector('#search-results').getAttribute('aria-busy') === 'false'")
    kinds = page.eval_on_selector_all("#search-results li", "els => els.map(e => e.dataset.kind)")
    assert kinds and set(kinds) == {"law"}


def test_normalization_matches_python(site, browser):
    from sphinx_pia.search.index import normalize

    page = browser.new_page()
    page.goto(f"file://{site}/search.html")
    samples = ["第十九条第八号", "第１９条第８号", "番号法 第19条 第8号", "令和元年5月1日", "ＬＧＷＡＮ接続端末", "第二百二十五条第一項", "別表第二の27の項"]
    for text in samples:
        assert page.evaluate("t => window.piaSearch.normalize(t)", text) == normalize(text), text


def test_no_request_leaves_the_site(site, browser):
    page = browser.new_page()
    outside = []
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(("file://", "data:")) else None)
    page.goto(f"file://{site}/search.html?q=委託先")
    page.wait_for_function("document.querySelector('#search-results').getAttribute('aria-busy') === 'false'")
    assert outside == []


def test_html_in_data_is_not_markup(site, browser):
    """A search for text that looks like markup shows it as text."""
    page = browser.new_page()
    page.goto(f"file://{site}/search.html?q=<選択肢>")
    page.wait_for_function("document.querySelector('#search-results').getAttribute('aria-busy') === 'false'")
    assert page.locator("#search-results script").count() == 0
    assert page.locator("#search-results 選択肢").count() == 0


def _wait(page):
    page.wait_for_function("document.querySelector('#search-results').getAttribute('aria-busy') === 'false'", timeout=30000)


def test_the_count_is_true_and_more_results_are_reachable(site, browser):
    page = browser.new_page()
    page.goto(f"file://{site}/search.html?q=委託先")
    _wait(page)
    total = int(page.get_attribute("#search-results", "data-total"))
    items = page.locator("#search-results li")
    assert total > items.count() > 0  # more than one page of results
    assert f"{total}件" in page.inner_text(".pia-search-summary")
    more = page.locator("button.pia-search-more")
    clicks = 0
    while more.is_visible() and clicks < 50:
        before = items.count()
        more.click()
        _wait(page)
        assert items.count() > before
        clicks += 1
    # every result the count announces can be reached, and the count did not change on the way
    assert int(page.get_attribute("#search-results", "data-total")) == items.count() == total
    hrefs = page.eval_on_selector_all("#search-results li a", "els => els.map(e => e.href)")
    assert len(set(hrefs)) == len(hrefs) or len(hrefs) == total


def test_context_names_the_file(site, browser):
    page = browser.new_page()
    page.goto(f"file://{site}/search.html?q=委託先&assessment=fujimino-juki&kind=entrustment")
    _wait(page)
    rows = page.eval_on_selector_all(
        "#search-results li", "els => els.map(e => [e.querySelector('a').href, e.querySelector('.pia-context').textContent])")
    files = {re.search(r"/(file-\d+)\.html", href).group(1) for href, _ in rows}
    assert len(files) >= 2
    contexts = {ctx for _, ctx in rows}
    assert len(contexts) >= len(files)  # the entrustments of file-1…5 no longer look identical
    assert all("ファイル" in ctx for ctx in contexts)  # the file's title is in the context


def test_a_long_text_is_found_by_its_end_and_shown_cut(site, browser):
    from sphinx_pia.index import SiteIndex
    from sphinx_pia.loader import load_content
    from sphinx_pia.search.index import TEXT_LIMIT
    from sphinx_pia.search.records import build_corpus

    assessments = load_content(ROOT / "content")
    index = SiteIndex(assessments)
    corpus = build_corpus(index, lambda gid: ("x", ""))
    long = max((r for r in corpus.records if r.kind not in ("law", "record-item")), key=lambda r: len(r.text))
    assert len(long.text) > TEXT_LIMIT * 3
    tail = re.sub(r"\s+", "", long.text)[-10:]
    page = browser.new_page()
    page.goto(f"file://{site}/search.html")
    found = page.evaluate("q => window.piaSearch.searchAll(q).then(r => r.results.map(x => [x.title, x.cut]))", tail)
    assert [long.title, True] in found, (tail, found[:5])
    page.goto(f"file://{site}/search.html?q={tail}&kind={long.kind}")
    _wait(page)
    more = page.locator("button.pia-search-more")
    for _ in range(20):
        if not more.is_visible():
            break
        more.click()
        _wait(page)
    titles = page.eval_on_selector_all(
        "#search-results li", "els => els.map(e => [e.querySelector('a').textContent, !!e.querySelector('.pia-snippet-more')])")
    assert [long.title, True] in titles  # the cut is visible: 「（続きはページで）」


def test_a_query_typed_on_the_search_page_is_searched_in_place(site, browser):
    """The search page loads its index directory when it opens; a query typed into its
    form is searched without reloading the page, and the address follows the query."""
    page = browser.new_page()
    page.goto(f"file://{site}/search.html")
    page.wait_for_function("document.querySelector('#search-results').dataset.ready === 'true'")
    assert "meta" in page.evaluate("window.piaSearchFetched")  # loaded before any query
    page.evaluate("window.piaSamePage = true")
    for query, kind in (("住民票コード", ""), ("委託先", "entrustment")):
        page.fill("#pia-q", query)
        page.select_option("select[name=kind]", kind)
        page.press("#pia-q", "Enter")
        page.wait_for_function("q => new URLSearchParams(location.search).get('q') === q", arg=query)
        _wait(page)
        assert page.evaluate("window.piaSamePage") is True  # no navigation
        items = page.locator("#search-results li")
        assert items.count() > 0 and query in items.first.inner_text()
        assert float(page.get_attribute("#search-results", "data-query-ms")) > 0
    kinds = page.eval_on_selector_all("#search-results li", "els => els.map(e => e.dataset.kind)")
    assert set(kinds) == {"entrustment"}  # the filter chosen in the form applies
    assert "kind=entrustment" in page.url
