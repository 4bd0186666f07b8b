"""Generated pages written by the HTML builder itself (sphinx_ext/html_pages.py).

They must come out as the same HTML as when each is read as a Sphinx document, keep
their links and back-links across incremental builds, and be rendered again only
when what they show changed."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from bs4 import BeautifulSoup

ROOTS = Path(__file__).parent / "roots"


def _copy_root(tmp_path: Path) -> Path:
    src = tmp_path / "src"
    shutil.copytree(ROOTS / "test-basic", src)
    return src


def _html(outdir: Path) -> dict[str, str]:
    return {p.relative_to(outdir).as_posix(): p.read_text(encoding="utf-8")
            for p in Path(outdir).rglob("*.html") if ".doctrees" not in p.parts}


def _squash(text: str) -> str:
    # the theme's template leaves different blank runs around an empty block
    return re.sub(r"\s+", "", text)


def _warnings(app) -> list[str]:
    return [w for w in app._warning.getvalue().splitlines() if w.strip() and "is already registered" not in w]


def _status(app) -> str:
    return app._status.getvalue()


def _rendered(app) -> tuple[int, int]:
    m = re.findall(r"sphinx_pia: (\d+) generated pages, (\d+) rendered", _status(app))
    assert m, _status(app)[-2000:]
    return int(m[-1][0]), int(m[-1][1])


def _written(app) -> int:
    m = re.findall(r"sphinx_pia: (\d+) generated pages written", _status(app))
    assert m
    return int(m[-1])


def test_pages_written_directly_equal_pages_read_as_documents(make_app, tmp_path):
    # a generated page has no source to show: read as a document it links its JSON spec
    no_source = {"html_copy_source": False}
    direct = make_app("html", srcdir=_copy_root(tmp_path / "direct"), confoverrides=no_source)
    direct.build()
    read = make_app("html", srcdir=_copy_root(tmp_path / "read"), confoverrides={**no_source, "pia_direct_pages": False})
    read.build()
    a, b = _html(Path(direct.outdir)), _html(Path(read.outdir))
    assert sorted(a) == sorted(b)
    pages = [name for name in a if name.startswith("pia/") and name not in ("pia/index.html", "pia/laws/index.html")]
    assert len(pages) > 20
    for name in a:
        assert _squash(a[name]) == _squash(b[name]), name
    # and the direct ones really were not documents
    assert "pia/city-a-juki/file-1" not in direct.env.all_docs
    assert "pia/city-a-juki/file-1" in read.env.all_docs
    assert _warnings(direct) == _warnings(read) == []


def test_links_and_objects_of_direct_pages(make_app, tmp_path):
    app = make_app("html", srcdir=_copy_root(tmp_path))
    app.build()
    objects = app.env.domains["pia"].objects
    assert objects["city-a-juki/file-1"][0] == "pia/city-a-juki/file-1"
    page = BeautifulSoup((Path(app.outdir) / "pia/city-a-juki/file-1.html").read_text(encoding="utf-8"), "html.parser")
    raw = str(page)
    assert "\x1e" not in raw and "\x1f" not in raw
    hrefs = [a["href"] for a in page.select("#pia-page a.reference.internal")]
    assert len(hrefs) > 10
    for href in hrefs:
        target = href.split("#", 1)[0]
        if target:
            assert (Path(app.outdir) / "pia/city-a-juki" / target).resolve().exists(), href
    # the data-flow picture's boxes link too
    svg_links = [a.get("href") for a in page.select("svg a")]
    assert svg_links and all(h and not h.startswith("\x1e") for h in svg_links)


def test_one_edit_renders_only_what_shows_it_and_moves_back_links(make_app, tmp_path):
    src = _copy_root(tmp_path)
    app = make_app("html", srcdir=src)
    app.build()
    total, rendered = _rendered(app)
    assert rendered == total > 20

    again = make_app("html", srcdir=src)
    again.build()
    assert _rendered(again) == (total, 0)
    assert _written(again) == 0

    yaml_path = src / "content/city-a-juki/file-1.yaml"
    text = yaml_path.read_text(encoding="utf-8")
    assert "住基法第30条の6}" in text
    yaml_path.write_text(text.replace("住基法第30条の6}", "住基法第30条の7}"), encoding="utf-8")
    edited = make_app("html", srcdir=src)
    edited.build()
    _, rendered = _rendered(edited)
    assert 0 < rendered < total
    out = Path(edited.outdir)
    file_page = (out / "pia/city-a-juki/file-1.html").read_text(encoding="utf-8")
    assert "住基法第30条の7" in file_page and "住基法第30条の6" not in file_page
    laws = {p.name: p.read_text(encoding="utf-8") for p in (out / "pia/laws").glob("*.html")}
    citing = [name for name, html in laws.items() if "file-1.html" in html and "city-a-juki" in html and "30条の7" in html]
    assert citing, "the new article's page links back to the item"
    assert not any("30条の6" in html and "city-a-juki/file-1.html" in html for html in laws.values())
    assert _warnings(edited) == []


def test_link_tags_are_what_the_translator_makes(make_app, tmp_path):
    """Link start tags are written without a node per link: they equal the translator's own."""
    from docutils import nodes
    from sphinx.util.docutils import new_document

    from sphinx_pia.sphinx_ext.html_pages import link_start_tag

    app = make_app("html", srcdir=_copy_root(tmp_path), freshenv=True)
    app.build()
    translator = app.builder.create_translator(new_document("<t>", app.builder.docsettings), app.builder)
    for href, title in [("a.html#x", "題"), ("b.html", ""), ("b.html", None), ('x.html#"<&>', 'A & "B" <c>\tタブ\n改行')]:
        atts = {"class": "reference internal", "href": href}
        if title:
            atts["title"] = title
        assert link_start_tag(translator, href, title) == translator.starttag(nodes.reference(), "a", "", **atts)


def test_tables_of_contents_are_what_render_partial_makes(make_app, tmp_path):
    """render_toc gives every generated page the fragment builder.render_partial would."""
    from sphinx.environment.adapters.toctree import document_toc

    from sphinx_pia.sphinx_ext.html_pages import render_toc

    app = make_app("html", srcdir=_copy_root(tmp_path), freshenv=True)
    app.build()
    pages = app._pia_html_pages
    compared = 0
    for docname in sorted(pages.entries):
        with pages._page_file(docname).open("rb") as fh:
            toc_node = __import__("pickle").load(fh)["toc_node"]
        if toc_node is None:
            continue
        app.env.tocs[docname] = toc_node
        try:
            expected = app.builder.render_partial(document_toc(app.env, docname, app.builder.tags))["fragment"]
            assert render_toc(app.builder, document_toc(app.env, docname, app.builder.tags)) == expected, docname
        finally:
            app.env.tocs.pop(docname, None)
        compared += 1
    assert compared > 10


def test_the_object_inventory_is_written_again_only_when_an_object_changes(make_app, tmp_path):
    """objects.inv (for intersphinx) stays as it is after an edit that moves no object,
    and is written again, with the new title, after one that renames an object."""
    from sphinx.util.inventory import InventoryFile

    src = _copy_root(tmp_path)
    app = make_app("html", srcdir=src)
    app.build()
    inv = Path(app.outdir) / "objects.inv"
    first = inv.read_bytes()
    mtime = inv.stat().st_mtime_ns

    yaml_path = src / "content/city-a-juki/file-1.yaml"
    text = yaml_path.read_text(encoding="utf-8")
    yaml_path.write_text(text.replace("text: 平成27年7月}", "text: 平成27年8月}"), encoding="utf-8")
    again = make_app("html", srcdir=src)
    again.build()
    assert "平成27年8月" in (Path(again.outdir) / "pia/city-a-juki/file-1.html").read_text(encoding="utf-8")
    assert inv.stat().st_mtime_ns == mtime and inv.read_bytes() == first

    yaml_path.write_text(text.replace("name: {text: 住民基本台帳ファイル,", "name: {text: 住民基本台帳ファイル（改）,"), encoding="utf-8")
    renamed = make_app("html", srcdir=src)
    renamed.build()
    assert inv.read_bytes() != first
    with inv.open("rb") as fh:
        data = InventoryFile.load(fh, "", lambda *parts: "/".join(parts))
    titles = {item[3] if isinstance(item, tuple) else item.display_name for entries in data.values() for item in entries.values()}
    assert any("住民基本台帳ファイル（改）" in t for t in titles)
    assert _warnings(renamed) == []
