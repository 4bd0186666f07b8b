"""Search quality and cost: recall@3 of the query set for sphinx_pia's search and for
Sphinx's built-in search (language = 'ja') on the same site, query times in the
browser, and index size per assessment.  ``nox -s bench -- --search`` or
``python benchmarks/search_eval.py``."""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.browser.test_search import CHROMIUM, QUERIES, _build, recall_at_3, run_query  # noqa: E402


def evaluate(site: Path, builtin: bool) -> dict:
    from playwright.sync_api import sync_playwright

    results, times = {}, {}
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"])
        page = b.new_page()
        for q, _ in QUERIES:
            try:
                results[q], times[q] = run_query(page, site, q, sphinx_builtin=builtin)
            except Exception as exc:  # noqa: BLE001 - Playwright's timeout: report it, do not hide the other figures
                b.close()
                return {"error": f"{q}: {type(exc).__name__}: {str(exc).splitlines()[0]}"}
        b.close()
    recall, misses = recall_at_3(results)
    ms = sorted(t for t in times.values() if t is not None)
    return {"recall_at_3": round(recall, 4), "misses": misses, "median_ms": ms[len(ms) // 2] if ms else None, "max_ms": ms[-1] if ms else None}


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        ours = _build(tmp / "ours", search=True)
        builtin = _build(tmp / "builtin", search=False)
        index_bytes = sum(p.stat().st_size for p in (ours / "_static" / "pia-search").glob("*.js"))
        out = {
            "sphinx_pia": evaluate(ours, builtin=False),
            "sphinx_builtin": evaluate(builtin, builtin=True),
            "queries": len(QUERIES),
            "index_bytes": index_bytes,
            "sphinx_searchindex_bytes": (builtin / "searchindex.js").stat().st_size,
        }
    print(json.dumps(out, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
