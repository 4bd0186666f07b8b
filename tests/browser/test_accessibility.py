"""Accessibility of every page kind, in Chromium: axe-core's WCAG 2.1 A/AA rules at
1280 px and 390 px, headings in order, tables with header cells and scope.

axe-core is the npm package of the project's package.json (``npm ci`` installs it into
node_modules/; no download at test time).  Missing, the test is skipped with a reason,
except under CI=true, where it fails.  ``PIA_A11Y_RESULTS=site/accessibility-results.json``
writes the results the site's accessibility page shows.
"""

from __future__ import annotations

import glob
import os
from pathlib import Path

import pytest

from sphinx_pia.sphinx_ext.accessibility import criterion_of_tag

ROOT = Path(__file__).resolve().parents[2]
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
WIDTHS = [1280, 390]

# (kind, label on the results page, candidate paths: the first that exists is tested)
KINDS: list[tuple[str, str, list[str]]] = [
    ("top", "サイトの入口", ["index.html"]),
    ("home", "ホーム（評価実施機関と評価書の案内）", ["pia/index.html"]),
    ("organization", "評価実施機関", ["pia/orgs/saitama-fujimino.html", "pia/orgs/*.html"]),
    ("assessment", "評価書", ["pia/fujimino-juki/index.html", "pia/*/index.html"]),
    ("file", "特定個人情報ファイル", ["pia/fujimino-juki/file-1.html", "pia/*/file-1.html"]),
    ("systems", "システム", ["pia/fujimino-juki/systems.html", "pia/*/systems.html"]),
    ("changes", "変更箇所", ["pia/hanamaki-kojin-juminzei/changes.html", "pia/*/changes.html"]),
    ("annex", "別紙", ["pia/fujimino-juki/annex-1.html", "pia/*/annex-1.html"]),
    ("law", "法令上の根拠（条・号）", ["pia/laws/bangoho-art-19-i8.html"]),
    ("law-index", "法令索引", ["pia/laws/index.html"]),
    ("index-systems", "システム索引", ["pia-systems.html"]),
    ("index-files", "特定個人情報ファイル索引", ["pia-files.html"]),
    ("index-recipients", "提供先・移転先索引", ["pia-recipients.html"]),
    ("index-contractors", "委託先索引", ["pia-contractors.html"]),
    ("search", "検索（結果あり）", ["search.html?q=住民票コード"]),
    ("accessibility", "ウェブアクセシビリティ方針・試験結果", ["accessibility.html"]),
]


def axe_source() -> str:
    candidates = [os.environ.get("PIA_AXE", ""), str(ROOT / "node_modules" / "axe-core" / "axe.min.js")]
    for path in candidates:
        if path and Path(path).is_file():
            return Path(path).read_text(encoding="utf-8")
    message = "axe-core is not installed: run `npm ci` at the repository root (node_modules/axe-core/axe.min.js)"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


def resolve(site: Path, candidates: list[str]) -> str:
    for candidate in candidates:
        path, _, query = candidate.partition("?")
        matches = sorted(glob.glob(str(site / path)))
        if matches:
            rel = Path(matches[0]).relative_to(site).as_posix()
            return rel + (f"?{query}" if query else "")
    raise AssertionError(f"no page for {candidates} in {site}")


def open_page(page, site: Path, rel: str) -> None:
    page.goto(f"file://{site}/{rel}")
    if rel.startswith("search.html?"):
        page.wait_for_function("document.querySelector('#search-results').getAttribute('aria-busy') === 'false'")
        assert page.locator("#search-results li").count() > 0, "the search page shows no results"


RUN_AXE = """async (tags) => {
  const r = await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
  const brief = (v) => ({id: v.id, impact: v.impact, tags: v.tags, help: v.help,
    nodes: v.nodes.slice(0, 5).map(n => ({target: n.target.join(' '), summary: n.failureSummary}))});
  return {version: axe.version, violations: r.violations.map(brief), passes: r.passes.map(p => ({id: p.id, tags: p.tags}))};
}"""

# Structure, in the main content: one h1, no skipped level; every table has header
# cells, each with a scope (or in a thead, whose cells head their columns).
STRUCTURE = """() => {
  const main = document.querySelector('article[role=main], [role=main], main') || document.body;
  const levels = [...main.querySelectorAll('h1,h2,h3,h4,h5,h6')].filter(h => h.checkVisibility()).map(h => +h.tagName[1]);
  const skips = [];
  levels.forEach((l, i) => { if (i > 0 && l > levels[i - 1] + 1) skips.push(`h${levels[i - 1]}→h${l}`); });
  const tables = [...main.querySelectorAll('table')];
  const noHeader = tables.filter(t => !t.querySelector('th')).length;
  const noScope = [...main.querySelectorAll('th')].filter(th => !th.hasAttribute('scope')).length;
  return {h1: levels.filter(l => l === 1).length, first: levels[0] || 0, skips, tables: tables.length, noHeader, noScope};
}"""


@pytest.fixture(scope="module")
def axe(a11y_report):
    source = axe_source()
    a11y_report["tags"] = TAGS
    a11y_report["widths"] = WIDTHS
    return source


@pytest.fixture(scope="module")
def tested(a11y_report):
    """The (kind, width) pairs done; when all are, the report is complete."""
    done: set = set()
    yield done
    if len(done) == len(KINDS) * len(WIDTHS):
        a11y_report["complete"] = True
    # the structure checks, one line each on the results page (each test asserted its own)
    checked = a11y_report.setdefault("structure", {})
    for name, criteria, key in (("見出しの階層が飛ばず、h1 が一つ（全種類のページ）", ["1.3.1", "2.4.6"], "headings"),
                                ("表に見出しセルがあり、見出しセルに scope がある（全種類のページ）", ["1.3.1"], "tables")):
        failed = [rel for rel, res in checked.items() if not res[key]]
        if checked:
            a11y_report["keyboard"].append({"name": name, "criteria": criteria, "passed": not failed,
                                            "detail": f"問題のあるページ: {failed}" if failed else ""})


def _record(report: dict, order: int, kind: str, label: str, rel: str, width: int, result: dict) -> None:
    entry = next((p for p in report["pages"] if p["kind"] == kind), None)
    if entry is None:
        entry = {"order": order, "kind": kind, "label": label, "path": rel, "results": {}}
        report["pages"].append(entry)
    entry["results"][str(width)] = {"violations": sorted({v["id"] for v in result["violations"]}), "passes": len(result["passes"])}
    report["tools"]["axe"] = result["version"]
    report["tools"]["browser"] = result["browser"]
    for group, failed in ((result["passes"], False), (result["violations"], True)):
        for rule in group:
            for tag in rule["tags"]:
                code = criterion_of_tag(tag)
                if code:
                    crit = report["criteria"].setdefault(code, {"rules": [], "violations": 0})
                    crit["rules"].append(rule["id"])
                    crit["violations"] += int(failed)


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("kind", [k for k, _, _ in KINDS])
def test_axe_wcag21_aa(built_site, chromium, axe, a11y_report, tested, kind, width):
    order, (_, label, candidates) = next((i, k) for i, k in enumerate(KINDS) if k[0] == kind)
    rel = resolve(built_site, candidates)
    context = chromium.new_context(viewport={"width": width, "height": 900}, locale="ja-JP")
    try:
        page = context.new_page()
        open_page(page, built_site, rel)
        page.evaluate(axe)
        result = page.evaluate(RUN_AXE, TAGS)
        structure = page.evaluate(STRUCTURE) if width == WIDTHS[0] else None
    finally:
        context.close()
    result["browser"] = f"Chromium {chromium.version}"
    _record(a11y_report, order, kind, label, rel, width, result)
    tested.add((kind, width))
    if structure is not None:
        a11y_report.setdefault("structure", {})[rel] = {
            "headings": structure["h1"] == 1 and structure["first"] == 1 and not structure["skips"],
            "tables": structure["noHeader"] == 0 and structure["noScope"] == 0}
    problems = [f"{v['id']} ({v['impact']}): {v['help']}; " + "; ".join(f"{n['target']}: {n['summary']}" for n in v["nodes"])
                for v in result["violations"]]
    assert not problems, f"{rel} at {width}px:\n" + "\n".join(problems)
    if structure is not None:
        assert structure["h1"] == 1 and structure["first"] == 1, f"{rel}: {structure}"
        assert structure["skips"] == [], f"{rel}: heading levels skipped: {structure['skips']}"
        assert structure["noHeader"] == 0, f"{rel}: {structure['noHeader']} of {structure['tables']} tables have no header cell"
        assert structure["noScope"] == 0, f"{rel}: {structure['noScope']} header cells have no scope"


DARK_KINDS = ["home", "file", "law", "search"]


def test_axe_in_dark_colour_scheme(built_site, chromium, axe, a11y_report):
    """furo follows the reader's dark setting: the same rules hold in its dark colours."""
    from .conftest import record

    problems = []
    for kind in DARK_KINDS:
        rel = resolve(built_site, next(k[2] for k in KINDS if k[0] == kind))
        context = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="ja-JP", color_scheme="dark")
        try:
            page = context.new_page()
            open_page(page, built_site, rel)
            dark = page.evaluate("getComputedStyle(document.body).backgroundColor")
            page.evaluate(axe)
            result = page.evaluate(RUN_AXE, TAGS)
        finally:
            context.close()
        assert dark not in ("rgb(255, 255, 255)", "rgba(0, 0, 0, 0)"), f"{rel}: not in dark colours ({dark})"
        problems += [f"{rel}: {v['id']} " + "; ".join(n["target"] for n in v["nodes"]) for v in result["violations"]]
    record(a11y_report, "ダーク表示（利用者の設定）でも自動試験の違反がない（ホーム・ファイル・法令・検索）", ["1.4.3", "1.4.11"],
           not problems, "; ".join(problems[:5]))
