"""Search index size, bytes fetched per query and query time in Chromium, on a scaled
corpus (``python benchmarks/search_scale.py --n 200 1000``).

The corpus of N assessments is the curated ones copied with new IDs and organization
names, as ``bench.py``'s corpus generator does, but built at the level of search
records: the seeds' records once, then one renamed copy per generated assessment,
merged as shards are (``sphinx_pia.search.records.merge``).  So 1,000 assessments
need neither a Sphinx build nor loading 1,000 YAML directories.

Each query of the browser query set is run twice on a search page opened from the file
system (as a city's staff would, offline), each time in a fresh page:

- *typed* (``query_ms_*``, ``fetched_kb_*``): the page is opened without a query and
  the query is typed into its form once the page is ready.  The page loads ``meta``
  (group table and directory) and the names for its filter lists when it opens, before
  any query (``page_kb``: what it loaded then); the query's time runs from the form's
  submit to its first results shown and covers everything the query itself waits on:
  postings, records.  ``fetched_kb_*`` is what the query loaded after the submit.
- *cold* (``cold_ms_*``, ``cold_kb_*``): the page is opened with ``?q=`` (a search
  from another page's search box): the time and the bytes include loading ``meta``.

The benchmark checks it measured searches that found something: every query must have
results (a page that cannot decode the index, say without ``<meta charset="utf-8">``,
finds nothing and fails here instead of reporting fast empty searches).

The index is written three times: from scratch (``index_write_s``), again after one
record's text is edited, given the state the first write left (``index_write_incremental_s``;
``state_pickle_s``: the state's pickle written and read back, as a Sphinx build does), and
again after a file is renamed (``index_write_retitle_s``: records are numbered by title, so
the record moves and those between shift).
"""

from __future__ import annotations

import argparse
import json
import pickle
import shutil
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sphinx_pia.index import SiteIndex  # noqa: E402
from sphinx_pia.loader import load_content  # noqa: E402
from sphinx_pia.search.index import write_corpus  # noqa: E402
from sphinx_pia.search.records import Corpus, build_corpus, merge  # noqa: E402
from tests.browser.test_search import CHROMIUM, QUERIES  # noqa: E402

PAGE = (
    '<!doctype html><html data-content_root="./"><head><meta charset="utf-8"><title>検索</title></head><body>'
    '<form id="pia-search-form"><input id="pia-q" name="q" type="search"><select name="org"></select>'
    '<select name="assessment"></select><select name="kind"></select><button type="submit">検索</button></form>'
    '<div id="search-results"></div>'
    '<script src="_static/pia-search.js"></script></body></html>'
)


def locator(site: SiteIndex):
    """Where the extension's generated pages put each object."""

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


def seed_corpora() -> list[tuple[str, str, Corpus]]:
    """(assessment id, organization id, corpus) of each curated assessment alone."""
    out = []
    for a in sorted(load_content(ROOT / "content"), key=lambda a: a.id):
        site = SiteIndex([a])
        out.append((a.id, a.doc.organization.id, build_corpus(site, locator(site))))
    return out


def copy_of(seed: tuple[str, str, Corpus], i: int) -> Corpus:
    """The i-th generated assessment: bench.make_corpus's renaming, applied to records."""
    aid, org_id, corpus = seed
    new_aid, new_org = f"{aid}-{i:04d}", f"{org_id}-{i:04d}"
    title, org_name = corpus.assessments[aid]
    new_name = f"{org_name}{i:04d}"
    recs = []
    for r in corpus.records:
        if r.kind == "law":
            recs.append(replace(r, pieces=[(o.replace(aid, new_aid, 1), t) for o, t in r.pieces]))
        elif r.kind == "organization":
            recs.append(replace(r, gid=f"org/{new_org}", title=new_name, url=f"pia/orgs/{new_org}.html#pia-org",
                                text=r.text.replace(org_name, new_name)))
        else:
            gid = new_aid + r.gid[len(aid):] if r.gid.startswith(aid) else r.gid
            recs.append(replace(r, gid=gid, aid=new_aid, url=r.url.replace(f"pia/{aid}/", f"pia/{new_aid}/", 1),
                                text=r.text.replace(org_name, new_name)))
    return Corpus(recs, {new_aid: (title, new_name)}, corpus.laws, corpus.aliases)


def scaled_corpus(n: int) -> Corpus:
    seeds = seed_corpora()
    return merge([copy_of(seeds[i % len(seeds)], i) for i in range(n)])


def measure(n: int, work: Path) -> dict:
    out = work / f"search-{n}"
    if out.exists():
        shutil.rmtree(out)
    corpus = scaled_corpus(n)
    index = out / "_static" / "pia-search"
    state: dict = {}
    t0 = time.perf_counter()
    stats = write_corpus(index, corpus, state)
    write_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    state = pickle.loads(pickle.dumps(state, protocol=pickle.HIGHEST_PROTOCOL))
    pickle_s = time.perf_counter() - t0
    edited = next(r for r in corpus.records if r.kind == "entrustment")
    edited.text += " 改訂された委託の内容"
    t0 = time.perf_counter()
    stats = write_corpus(index, corpus, state)
    incremental_s = time.perf_counter() - t0
    # a renamed file: records are numbered by title, so it moves within its kind and the
    # records between shift (the costliest edit of one value for the index)
    renamed = next(r for r in corpus.records if r.kind == "file")
    renamed.title += "（改訂試験）"
    t0 = time.perf_counter()
    stats = write_corpus(index, corpus, state)
    retitle_s = time.perf_counter() - t0
    shutil.copy(ROOT / "sphinx_pia" / "static" / "pia-search.js", out / "_static" / "pia-search.js")
    (out / "search.html").write_text(PAGE, encoding="utf-8")
    sizes = {p.stem: p.stat().st_size for p in index.glob("*.js")}
    from playwright.sync_api import sync_playwright

    done = "document.querySelector('#search-results').getAttribute('aria-busy') === 'false'"
    typed, cold = [], []
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                                                              "--disable-component-update", "--disable-sync", "--no-first-run"])
        page = b.new_page()  # one tab, as a reader's: each query in a page of its own (nothing loaded carries over)
        for q, _ in QUERIES:
            page.goto(f"file://{out}/search.html")
            page.wait_for_function("document.querySelector('#search-results').dataset.ready === 'true'", timeout=120000)
            before = page.evaluate("window.piaSearchFetched.slice()")
            page.fill("#pia-q", q)
            page.press("#pia-q", "Enter")
            page.wait_for_function(done, timeout=120000)
            typed.append(_row(page, q, sizes, len(before), sum(sizes[f] for f in before)))
            page.goto(f"file://{out}/search.html?q={q}")
            page.wait_for_function(done, timeout=120000)
            cold.append(_row(page, q, sizes, 0, 0))
        b.close()
    empty = [r["q"] for r in typed + cold if not r["total"] or r["ms"] is None]
    if empty:
        raise SystemExit(f"search_scale: {len(empty)} queries found nothing at {n} assessments (the benchmark measured empty searches): {empty}")
    pct = lambda xs, f: round(sorted(xs)[min(len(xs) - 1, int(len(xs) * f))], 1)  # noqa: E731

    def figures(prefix: str, rows: list[dict]) -> dict:
        ms, kb = [r["ms"] for r in rows], [r["bytes"] / 1024 for r in rows]
        return {f"{prefix}ms_median": pct(ms, 0.5), f"{prefix}ms_p90": pct(ms, 0.9), f"{prefix}ms_max": pct(ms, 1),
                f"{prefix}kb_median": pct(kb, 0.5), f"{prefix}kb_p90": pct(kb, 0.9), f"{prefix}kb_max": pct(kb, 1)}

    typed_figures = {k.replace("query_kb", "fetched_kb"): v for k, v in figures("query_", typed).items()}
    return {
        "assessments": n, "records": stats["records"], "index_bytes": stats["bytes"], "index_files": stats["files"],
        "index_bytes_per_assessment": stats["bytes"] // n, "index_write_s": round(write_s, 1),
        "index_write_incremental_s": round(incremental_s, 2), "index_write_retitle_s": round(retitle_s, 2), "state_pickle_s": round(pickle_s, 2), "queries": len(typed),
        **typed_figures, "page_kb": pct([r["page_bytes"] / 1024 for r in typed], 0.5),
        **figures("cold_", cold),
        "results_min": min(r["total"] for r in typed + cold),
        "per_query": [{**t, "cold": c} for t, c in zip(typed, cold)],
    }


def _row(page, q: str, sizes: dict, skip: int, page_bytes: int) -> dict:
    """One query's figures; ``skip``: the files the page loaded before the query."""
    ms = page.get_attribute("#search-results", "data-query-ms")
    total = page.get_attribute("#search-results", "data-total")
    fetched = page.evaluate("window.piaSearchFetched.slice()")[skip:]
    return {"fetched": fetched, "q": q, "ms": float(ms) if ms else None, "total": int(total) if total else 0,
            "bytes": sum(sizes[f] for f in fetched), "files": len(fetched), "page_bytes": page_bytes}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, nargs="+", default=[200, 1000])
    parser.add_argument("--work", type=Path, default=None)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        work = args.work or Path(tmp)
        for n in args.n:
            row = measure(n, work)
            print(json.dumps({k: v for k, v in row.items() if k != "per_query"}, ensure_ascii=False), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
