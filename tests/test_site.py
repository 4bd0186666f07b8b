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
