"""Search index size and browser query time on a scaled corpus (default 200 assessments).

Builds the search index straight from the site index (with the page layout the
extension generates), so a 200-assessment corpus needs no full Sphinx build, then
times the query set in headless Chromium.  ``python benchmarks/search_scale.py --n 200``."""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.bench import make_corpus  # noqa: E402
from sphinx_pia.index import SiteIndex  # noqa: E402
from sphinx_pia.loader import load_content  # noqa: E402
from sphinx_pia.search.index import write_index  # noqa: E402
from tests.browser.test_search import CHROMIUM, QUERIES  # noqa: E402


def locator(site: SiteIndex):
    def locate(gid: str):
        rec = site.objects[gid]
        aid, _, local = gid.partition("/")
        if rec.kind == "law":
            return f"pia/laws/{local}.html#pia-law", rec.title
        if rec.kind == "organization":
            return f"pia/orgs/{local}.html#pia-org", rec.title
        if rec.kind == "assessment":
            return f"pia/{gid}/index.html#pia-assessment", rec.title
        if rec.kind == "system":
            return f"pia/{aid}/systems.html#{local}", rec.title
        if rec.kind == "change":
            return f"pia/{aid}/changes.html#{local}", rec.title
        if rec.kind == "annex":
            return f"pia/{aid}/{local}.html#{local}", rec.title
        if rec.kind == "annex-row":
            return f"pia/{aid}/{rec.parent.split('/', 1)[1]}.html#{local}", rec.title
        if rec.file:
            return f"pia/{aid}/{rec.file.split('/', 1)[1]}.html#{local}", rec.title
        return f"pia/{aid}/index.html#{local}", rec.title

    return locate


def main(argv=None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=200)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        content = make_corpus(tmp, args.n)
        site = SiteIndex(load_content(content))
        out = tmp / "html"
        stats = write_index(out / "_static" / "pia-search", site, locator(site))
        shutil.copy(ROOT / "sphinx_pia" / "static" / "pia-search.js", out / "_static" / "pia-search.js")
        (out / "search.html").write_text(
            '<!doctype html><html data-content_root="./"><body><form id="pia-search-form"><input name="q">'
            '<select name="org"></select><select name="assessment"></select><select name="kind"></select></form>'
            '<div id="search-results"></div><script src="_static/pia-search.js"></script></body></html>', encoding="utf-8")
        from playwright.sync_api import sync_playwright

        times = {}
        with sync_playwright() as p:
            b = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"])
            page = b.new_page()
            for q, _ in QUERIES:
                page.goto(f"file://{out}/search.html?q={q}")
                page.wait_for_function("document.querySelector('#search-results').getAttribute('aria-busy') === 'false'", timeout=120000)
                times[q] = float(page.get_attribute("#search-results", "data-query-ms"))
            b.close()
        ms = sorted(times.values())
        print(json.dumps({
            "assessments": args.n, "records": stats["records"], "index_bytes": stats["bytes"], "index_files": stats["files"],
            "index_bytes_per_assessment": stats["bytes"] // args.n,
            "query_ms_median": ms[len(ms) // 2], "query_ms_p90": ms[int(len(ms) * 0.9)], "query_ms_max": ms[-1],
        }, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
