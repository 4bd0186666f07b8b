"""The reviewer tools in a Sphinx build: 点検結果, 点検一覧, timeline, versions, diff, history, open data."""

from __future__ import annotations

import csv
import io
import shutil
from io import StringIO
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from sphinx_pia.check import check
from sphinx_pia.loader import load_content
from sphinx_pia.versions import load_versions

HERE = Path(__file__).resolve().parent
ROOT_DIR = HERE / "roots" / "test-versions"
AID = "hanamaki-kojin-juminzei"


def _build(tmp_path_factory, name, **overrides):
    from sphinx.testing.util import SphinxTestApp

    src = tmp_path_factory.mktemp(name) / "src"
    shutil.copytree(ROOT_DIR, src)
    return src, lambda: SphinxTestApp("html", srcdir=src, confoverrides=overrides, status=StringIO(), warning=StringIO())


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    _, make = _build(tmp_path_factory, "review")
    app = make()
    try:
        app.build()
        yield app
    finally:
        app.cleanup()


def _page(app, name="review.html"):
    soup = BeautifulSoup((Path(app.outdir) / name).read_text(encoding="utf-8"), "html.parser")
    return soup, soup.select_one("div.body") or soup.body


def test_clean_build(built):
    assert built._warning.getvalue().strip() == ""


def test_findings_section_links_every_finding(built):
    soup, body = _page(built)
    expected = [f for f in check(load_content(ROOT_DIR / "content"), __import__("datetime").date(2026, 12, 2)) if f.assessment == AID]
    first = body.select("table.pia-findings")[0]
    rows = first.select("tbody tr")
    assert len(rows) == len(expected) > 0
    for row in rows:
        link = row.select("a.reference")
        assert link and link[0]["href"].startswith(f"pia/{AID}/"), row
    assert "「提供を行っている (57) 件」" in first.get_text()


def test_findings_index_groups_by_rule_and_organization(built):
    _, body = _page(built)
    groups = body.select("details.pia-rule-group")
    from sphinx_pia.check import rules

    assert len(groups) == len(rules())
    c01 = next(g for g in groups if "pia-rule-pia-c01" in g["class"])
    assert "（2 件）" in c01.select_one("summary").get_text()
    orgs = body.select("details.pia-org-group")
    assert [o.select_one("summary").get_text(strip=True).split("（")[0] for o in orgs] == ["花巻市"]


def test_timeline_and_groups(built):
    _, body = _page(built)
    latest = load_versions(ROOT_DIR / "content" / AID, ROOT_DIR / "content")[-1].assessment
    year_rows = [r for t in body.select("table.pia-timeline") for r in t.select("tbody tr")]
    # every row appears once by year, plus once per group it belongs to
    groups = body.select("details.pia-timeline-group tbody tr")
    assert len(year_rows) - len(groups) == len(latest.changes.entries) == 23


def test_versions_diff_and_history(built):
    _, body = _page(built)
    assert [li.get_text(strip=True) for li in body.select("ul.pia-versions > li")] == [
        "最新版 令和2年3月29日（版のID: latest）", "令和1年5月24日（版のID: 2019-05-24）"]
    diff = body.select("table.pia-diff")[0]
    assert len(diff.select("tr.pia-diff-changed")) == 4
    changed = diff.select("tr.pia-diff-changed")
    hrefs = {a["href"] for r in changed for a in r.select("a.reference")}
    assert f"pia/{AID}/file-1.html#file-1-ent-1" in hrefs
    assert any("住民基本台帳システムの保守・運用業務における作業員として" in r.get_text() for r in changed)
    # basic-6 did not change between the two versions: its history comes from the 変更箇所
    hist = body.select("table.pia-item-history")
    assert len(hist) == 1
    assert "変更箇所より" in hist[0].find_previous("p").get_text()
    assert [r.select("td")[2].get_text(strip=True) for r in hist[0].select("tbody tr")] == ["課長 伊藤 榮一", "課長 平野 克則", "課長 佐藤 多恵子"]


def test_open_data_written_and_linked(built):
    out = Path(built.outdir) / "pia-data"
    data = (out / "findings.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert len(rows) == len(check(load_content(ROOT_DIR / "content"), __import__("datetime").date(2026, 12, 2)))
    _, body = _page(built)
    links = {a["href"] for a in body.select("a.reference") if "pia-data/" in a["href"]}
    assert "pia-data/pia.json" in links and "pia-data/changes.csv" in links
    for href in links:
        assert (Path(built.outdir) / href).exists()


def test_no_remote_scripts(built):
    soup, _ = _page(built)
    for tag in soup.select("script[src], link[href]"):
        assert not (tag.get("src") or tag.get("href")).startswith(("http:", "https:", "//"))


def test_warnings_option_no_bom_and_hostile_text(tmp_path_factory):
    src, make = _build(tmp_path_factory, "review-warn", pia_check_warnings=True, pia_open_data_bom=False)
    changes = src / "content" / AID / "changes.yaml"
    changes.write_text(changes.read_text(encoding="utf-8").replace("    text: 評価の再実施\n", "    text: <script>alert(1)</script>評価の再実施\n", 1), encoding="utf-8")
    app = make()
    try:
        app.build()
        warnings = app._warning.getvalue()
        assert "[PIA-C01]" in warnings and "[PIA-D01]" in warnings
        assert not (Path(app.outdir) / "pia-data" / "changes.csv").read_bytes().startswith(b"\xef\xbb\xbf")
        html = (Path(app.outdir) / "review.html").read_text(encoding="utf-8")
        assert "<script>alert(1)</script>" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;評価の再実施" in html
    finally:
        app.cleanup()


# --- generated pages (the page-kind API of pages.py) ---------------------------------------


def test_generated_review_pages(built):
    out = Path(built.outdir) / "pia"
    for name in ("findings", "timeline", "data", f"{AID}/findings", f"{AID}/versions", f"{AID}/history", f"{AID}/diff/2019-05-24--latest"):
        assert (out / f"{name}.html").exists(), name
    _, home = _page(built, "pia/index.html")
    entries = {a["href"] for a in home.select("ul.pia-entry-links a")}
    assert {"findings.html", "timeline.html", "data.html"} <= entries
    _, overview = _page(built, f"pia/{AID}/index.html")
    links = {a["href"] for a in overview.select("a.reference")}
    assert {"findings.html", "versions.html", "history.html"} <= links


def test_item_pages_link_to_their_history(built):
    _, page = _page(built, f"pia/{AID}/file-1.html")
    links = [a["href"] for a in page.select("p.pia-item-history-link a")]
    assert "history.html#h-file-1-ent-1" in links
    _, history = _page(built, f"pia/{AID}/history.html")
    for href in links:
        anchor = href.split("#", 1)[1]
        assert history.find(id=anchor) is not None, anchor
    ent = history.find(id="h-file-1-ent-1")
    assert len(ent.select("tr.pia-diff-changed")) == 2  # ⑤ and ⑥ differ between the versions
    basic6 = history.find(id="h-basic-6")
    assert "変更箇所より" in basic6.get_text()
    assert len(basic6.select("table.pia-item-history tbody tr")) == 3


def test_diff_and_findings_pages(built):
    _, diff = _page(built, f"pia/{AID}/diff/2019-05-24--latest.html")
    assert len(diff.select("tr.pia-diff-changed")) == 4
    assert len(diff.select("tr.pia-diff-added")) > 0 and not diff.select("tr.pia-diff-removed")
    _, findings = _page(built, f"pia/{AID}/findings.html")
    rows = findings.select("table.pia-findings tbody tr")
    assert len(rows) == len([f for f in check(load_content(ROOT_DIR / "content"), __import__("datetime").date(2026, 12, 2)) if f.assessment == AID])
    _, index = _page(built, "pia/findings.html")
    assert index.select("table.pia-filterable")
    _, tl = _page(built, "pia/timeline.html")
    by_year = tl.select("section#pia-timeline-years table.pia-timeline tbody tr")
    assert len(by_year) == 23


def test_incremental_build_picks_up_a_new_version(tmp_path_factory):
    src, make = _build(tmp_path_factory, "review-incremental")
    versions = src / "content" / AID / "versions"
    kept = src.parent / "kept-versions"
    shutil.move(versions, kept)
    app = make()
    try:
        app.build()
    finally:
        app.cleanup()
    _, overview = _page(app, f"pia/{AID}/index.html")
    assert "versions.html" not in {a["href"] for a in overview.select("a.reference")}
    shutil.move(kept, versions)
    app = make()
    try:
        app.build()
        assert app._warning.getvalue().strip() == ""
    finally:
        app.cleanup()
    _, overview = _page(app, f"pia/{AID}/index.html")
    assert "versions.html" in {a["href"] for a in overview.select("a.reference")}
    assert (Path(app.outdir) / "pia" / AID / "diff" / "2019-05-24--latest.html").exists()


def _build_touch_build(tmp_path, result) -> tuple[object, object]:
    """Build test-basic, touch city-b-tax's assessment.yaml (a new signature: mtime,
    size), build again: *result(app)* of each build."""
    from sphinx.testing.util import SphinxTestApp

    src = tmp_path / "src"
    shutil.copytree(HERE / "roots" / "test-basic", src)

    def build():
        app = SphinxTestApp("html", srcdir=src, confoverrides={"pia_check_date": "2026-12-02"}, status=StringIO(), warning=StringIO())
        try:
            app.build()
            return result(app)
        finally:
            app.cleanup()

    first = build()
    path = src / "content" / "city-b-tax" / "assessment.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    return first, build()


def test_findings_of_unchanged_assessments_are_kept_between_builds(tmp_path, monkeypatch):
    """An edit checks the assessment edited; the others keep their findings (same result as checking all)."""
    import sphinx_pia.sphinx_ext.review as review

    checked: list[str] = []
    real = review.check_assessment
    monkeypatch.setattr(review, "check_assessment", lambda a, today: checked.append(a.id) or real(a, today))
    first, second = _build_touch_build(tmp_path, lambda app: list(review.get_review(app.env).findings))
    assert checked == ["city-a-juki", "city-b-tax", "city-b-tax"]  # both, then the one touched
    expected = check(load_content(tmp_path / "src" / "content"), __import__("datetime").date(2026, 12, 2))
    assert second == first == expected


def test_timeline_rows_of_unchanged_assessments_are_kept_between_builds(tmp_path, monkeypatch):
    """An edit recomputes the timeline rows of the assessment edited; the timeline is the
    one computed from all the content."""
    import sphinx_pia.timeline as timeline_module
    from sphinx_pia.sphinx_ext.site import get_site

    made: list[str] = []
    real = timeline_module.assessment_rows
    monkeypatch.setattr(timeline_module, "assessment_rows", lambda a: made.append(a.id) or real(a))
    first, second = _build_touch_build(tmp_path, lambda app: get_site(app.env).timeline())
    assert made == ["city-a-juki", "city-b-tax", "city-b-tax"]  # both, then the one touched
    assert second == first == timeline_module.timeline(load_content(tmp_path / "src" / "content"), real)
    assert any(row.assessment == "city-a-juki" for row in second)
