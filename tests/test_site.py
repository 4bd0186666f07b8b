"""The real site (site/ + content/) builds with -W and no warnings."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sphinx.application import Sphinx

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def built_site(tmp_path_factory):
    work = tmp_path_factory.mktemp("site")
    src = work / "site"
    shutil.copytree(ROOT / "site", src, ignore=shutil.ignore_patterns("_build", "pia"))
    out = work / "html"
    import io

    warnings = io.StringIO()
    from sphinx.util.docutils import docutils_namespace

    with docutils_namespace():  # leave docutils' process-wide registries as they were
        app = Sphinx(str(src), str(src), str(out), str(work / "doctrees"), "html",
                     confoverrides={"pia_content_dir": str(ROOT / "content")}, status=None, warning=warnings, warningiserror=True)
        app.build()
    return out, warnings.getvalue()


def test_site_builds_without_warnings(built_site):
    out, warnings = built_site
    assert warnings == ""
    assert (out / "index.html").exists()


def test_one_page_per_assessment(built_site):
    from sphinx_pia.loader import load_content

    out, _ = built_site
    for a in load_content(ROOT / "content"):
        page = out / "pia" / a.id / "index.html"
        assert page.exists(), a.id
        for f in a.files:
            assert (out / "pia" / a.id / f"{f.id}.html").exists()


def test_no_external_resources(built_site):
    """Offline and safe to publish: no script, style or font from another host."""
    import re

    out, _ = built_site
    for page in out.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        for m in re.finditer(r'<(?:script|link|img)[^>]+(?:src|href)="(https?:)?//', html):
            raise AssertionError(f"{page.relative_to(out)} loads {m.group(0)}")
    for css in out.rglob("*.css"):
        assert not re.search(r"@import\s+url\(\s*['\"]?https?:", css.read_text(encoding="utf-8")), css
        assert not re.search(r"url\(\s*['\"]?https?://", css.read_text(encoding="utf-8")), css


def _soup(out: Path, page: str):
    from bs4 import BeautifulSoup

    return BeautifulSoup((out / page).read_text(encoding="utf-8"), "html.parser")


@pytest.fixture(scope="module")
def site_index():
    from sphinx_pia.index import SiteIndex
    from sphinx_pia.loader import load_content

    return SiteIndex(load_content(ROOT / "content"))


def _page_of(site_index, gid: str) -> str:
    """Where the generated site documents an object (mirrors sphinx_pia.sphinx_ext.pages)."""
    rec = site_index.objects[gid]
    aid = rec.assessment
    if rec.kind == "system":
        return f"pia/{aid}/systems.html"
    if rec.kind == "change":
        return f"pia/{aid}/changes.html"
    if rec.kind == "annex":
        return f"pia/{aid}/{rec.obj.id}.html"
    if rec.kind == "annex-row":
        return f"pia/{aid}/{rec.parent.split('/', 1)[1]}.html"
    if rec.file:
        return f"pia/{aid}/{rec.file.split('/', 1)[1]}.html"
    return f"pia/{aid}/index.html"


def test_every_provision_and_transfer_links_to_its_law_page_and_back(built_site, site_index):
    out, _ = built_site
    checked = 0
    for rec in site_index.objects.values():
        if rec.kind not in ("provision", "transfer"):
            continue
        local = rec.gid.split("/", 1)[1]
        card = _soup(out, _page_of(site_index, rec.gid)).find(id=local)
        assert card is not None, rec.gid
        basis = rec.obj.get("legal_basis")
        if basis is None or not basis.text:
            continue  # no basis in the source: shown as a gap, nothing to link
        law_links = [a["href"] for a in card.select(".pia-legal-links a")]
        assert law_links, f"{rec.gid} has no legal-basis link"
        for href in law_links:
            law_page = (out / _page_of(site_index, rec.gid)).parent / href.split("#")[0]
            back = _soup(out, str(law_page.resolve().relative_to(out.resolve())))
            assert any(a.get("href", "").endswith(f"{_page_of(site_index, rec.gid).rsplit('/', 1)[1]}#{local}") for a in back.select("a")), (rec.gid, href)
        checked += 1
    assert checked > 0


def test_every_system_file_pair_linked_both_ways(built_site, site_index):
    out, _ = built_site
    pairs = [(s, f) for f, systems in site_index.file_systems.items() for s in systems]
    assert pairs
    for sgid, fgid in pairs:
        aid, sys_local = sgid.split("/", 1)
        file_local = fgid.split("/", 1)[1]
        system_card = _soup(out, f"pia/{aid}/systems.html").find(id=sys_local)
        assert any(a["href"].endswith(f"{file_local}.html#{file_local}") for a in system_card.select(".pia-system-files a")), (sgid, fgid)
        file_page = _soup(out, f"pia/{aid}/{file_local}.html")
        assert any(a["href"].endswith(f"systems.html#{sys_local}") for a in file_page.select(".pia-file-systems a")), (fgid, sgid)


def test_every_resolved_change_links_to_its_section_which_lists_it(built_site, site_index):
    out, _ = built_site
    resolved = 0
    for rec in site_index.by_kind("change"):
        entry = rec.obj
        aid = rec.assessment
        changes = _soup(out, f"pia/{aid}/changes.html")
        card = changes.find(id=entry.id)
        assert card is not None, rec.gid
        if not entry.targets:
            assert card.select_one(".pia-unresolved") is not None, f"{rec.gid} unresolved but not marked"
            continue
        hrefs = [a["href"] for a in card.select(".pia-targets a")]
        for target in entry.targets:
            assert any(h.endswith(f"#{target.ref}") for h in hrefs), (rec.gid, target.ref)
            page = _page_of(site_index, f"{aid}/{target.ref}")
            section = _soup(out, page).find(id=target.ref)
            assert section is not None, (rec.gid, target.ref, page)
            history = [a["href"] for a in section.select(".pia-change-history a")]
            assert any(h.endswith(f"changes.html#{entry.id}") for h in history), (rec.gid, target.ref)
        resolved += 1
    assert resolved > 0


def test_every_internal_link_resolves(built_site):
    """Reviewers follow cross-references: no link on the site points to a missing page or anchor."""
    import re
    from urllib.parse import unquote, urlsplit

    from bs4 import BeautifulSoup

    out, _ = built_site
    ids: dict[Path, set[str]] = {}

    def anchors(page: Path) -> set[str]:
        if page not in ids:
            soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
            ids[page] = {el["id"] for el in soup.select("[id]")}
        return ids[page]

    broken = []
    checked = 0
    for page in sorted(out.rglob("*.html")):
        html = page.read_text(encoding="utf-8")
        for href in re.findall(r'<a [^>]*href="([^"]+)"', html):
            parts = urlsplit(href)
            if parts.scheme or href.startswith(("mailto:", "javascript:")):
                continue
            target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
            if target.is_dir():
                target = target / "index.html"
            checked += 1
            if not target.exists():
                broken.append(f"{page.relative_to(out)} → {href} (no such page)")
            elif parts.fragment and unquote(parts.fragment) not in anchors(target):
                broken.append(f"{page.relative_to(out)} → {href} (no such anchor)")
    assert checked > 1000
    assert not broken, "\n".join(broken[:30])


def test_every_law_page_links_to_egov_or_says_why_not(built_site, site_index):
    """Issue #4: the page of a national instrument links to e-Gov (the law, or e-Gov
    法令検索 to search it); the page of a 条例 explains that e-Gov holds national law only."""
    out, _ = built_site
    seen = {"national": 0, "search": 0, "local": 0}
    for lgid, ref in site_index.laws.items():
        law = site_index.registry.get(ref.law)
        if law is None:
            continue  # not in the registry: the page says so
        head = _soup(out, f"pia/laws/{lgid.split('/', 1)[1]}.html").find(id="pia-law")
        egov = [a["href"] for a in head.select("a[href]") if a["href"].startswith("https://laws.e-gov.go.jp/")]
        if law.is_local:
            note = head.select_one(".pia-egov-local-note")
            assert head.select_one(".pia-egov-local") is not None and note is not None, lgid
            assert "e-Gov" in note.get_text() and "国の法令" in note.get_text(), lgid
            assert not egov, (lgid, egov)
            seen["local"] += 1
        else:
            assert egov, f"{lgid}: no link to e-Gov"
            if not law.egov_id:
                assert head.select_one("a.pia-egov-search") is not None, lgid
                assert "法令IDは未確認" in head.get_text(), lgid
                seen["search"] += 1
            seen["national"] += 1
    assert all(seen.values()), seen


def _assessment_pages(out: Path, aid: str):
    from bs4 import BeautifulSoup

    for page in [*sorted((out / "pia" / aid).glob("*.html")), *sorted((out / "pia" / "orgs").glob("*.html"))]:
        yield page, BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")


def _yaml_nodes(directory: Path):
    """(yaml file, path, mapping) for every mapping of an assessment's YAML files."""
    import yaml

    def walk(node, path):
        if isinstance(node, dict):
            yield path, node
            for k, v in node.items():
                yield from walk(v, f"{path}.{k}")
        elif isinstance(node, list):
            for i, v in enumerate(node):
                yield from walk(v, f"{path}[{i}]")

    for y in sorted(directory.glob("*.yaml")):
        for path, node in walk(yaml.safe_load(y.read_text(encoding="utf-8")), ""):
            yield y.name, path, node


def test_every_note_and_source_line_is_on_the_site_as_reviewer_detail(built_site):
    """Issue #13: curator notes, evidence and source lines stay on the site, marked
    pia-detail (collapsible, secondary); none is dropped."""
    import re

    out, _ = built_site
    ws = re.compile(r"\s+")
    notes = lines = 0
    for directory in sorted(p for p in (ROOT / "content").iterdir() if p.is_dir()):
        detail_text = []
        shown: set[tuple[int, int]] = set()
        for _, soup in _assessment_pages(out, directory.name):
            for el in soup.select(".pia-detail"):
                detail_text.append(ws.sub("", el.get_text()))
                m = re.match(r"原文 (\d+)(?:–(\d+))?行", el.get_text())
                if m:
                    shown.add((int(m.group(1)), int(m.group(2) or m.group(1))))
        corpus = "\u0000".join(detail_text)
        for name, path, node in _yaml_nodes(directory):
            for key in ("note", "evidence", "resolution_note"):
                if isinstance(node.get(key), str):
                    notes += 1
                    assert ws.sub("", node[key]) in corpus, f"{directory.name}/{name}{path}.{key} not on the site as detail"
            if isinstance(node.get("line"), int):
                lines += 1
                span = (node["line"], node.get("end_line") or node["line"])
                listed = re.search(r"(items|rows)\[\d+\]$", path)  # list entries show their own line
                assert span in shown or (not listed and any(a <= span[0] and span[1] <= b for a, b in shown)), f"{directory.name}/{name}{path}: 原文 {span} not shown"
    assert notes > 1000 and lines > 4000, (notes, lines)


def test_no_note_shows_markup_and_no_label_is_a_key(built_site):
    import re

    from sphinx_pia.model import FieldKey

    out, _ = built_site
    tag = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?>")
    keys = {k.value for k in FieldKey}
    labels = 0
    for directory in sorted(p for p in (ROOT / "content").iterdir() if p.is_dir()):
        for page, soup in _assessment_pages(out, directory.name):
            for note in soup.select(".pia-note"):
                assert not tag.search(note.get_text()), f"{page.name}: {note.get_text()[:80]}"
            for dt in soup.select("dl.pia-fields > dt"):
                label = next(dt.stripped_strings, "")
                labels += 1
                assert label and label not in keys, f"{page.relative_to(out)}: label {label!r}"
    assert labels > 1000


def test_change_entries_are_rows_and_annex_rows_link_their_law_row(built_site, site_index):
    out, _ = built_site
    for aid, a in site_index.assessments.items():
        if a.changes and a.changes.entries:
            soup = _soup(out, f"pia/{aid}/changes.html")
            rows = soup.select("table.pia-changes-table > tbody > tr")
            assert [r["id"] for r in rows] == [e.id for e in a.changes.entries], aid
            assert all(r.select_one("details.pia-before-after-dropdown") is not None for r in rows)
        for annex in a.annexes:
            if annex.basis_column is None:
                continue
            soup = _soup(out, f"pia/{aid}/{annex.id}.html")
            for r in annex.rows:
                if r.cells[annex.basis_column].strip() and site_index.cited_laws.get(f"{aid}/{r.id}"):
                    link = soup.find(id=r.id).select_one(".pia-annex-basis a")
                    assert link is not None and "/laws/" in link["href"], (aid, r.id)


def test_each_file_has_its_data_flow_and_the_assessment_shows_them_all(built_site, site_index):
    out, _ = built_site
    for aid, a in site_index.assessments.items():
        for f in a.files:
            soup = _soup(out, f"pia/{aid}/{f.id}.html")
            svg = soup.select_one(f"#{f.id}-dataflow svg.pia-dataflow-svg")
            assert svg is not None and svg.find("a") is not None, (aid, f.id)
        if a.files:
            overview = _soup(out, f"pia/{aid}/index.html")
            assert len(overview.select("#dataflow svg.pia-dataflow-svg")) == len(a.files), aid
