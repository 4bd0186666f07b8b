"""Content is data, never markup: hostile strings in every text field stay text.

The site of tests/injection_corpus.py is built with Sphinx; every page it writes
(generated pages, domain indices, search records) is then checked: no payload ran
as a directive, role, include or raw HTML, none became an attribute, a script or a
link with a scheme other than http(s) or relative, no local file was read, and each
payload shows literally as text.  The same site is opened in Chromium by
tests/browser/test_injection_browser.py.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from injection_corpus import MARK, PAYLOADS, make_site

SAFE_SCHEMES = ("http:", "https:", "mailto:")
# attributes that hold text (escaped by the writer); ids of index groups are named after an
# organization, escaped as the issue allows
TEXT_ATTRS = {"title", "aria-label", "alt", "id"}


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def hostile_build(tmp_path_factory, make_app_module):
    src = tmp_path_factory.mktemp("hostile") / "src"
    used = make_site(src)
    app = make_app_module("html", srcdir=src)
    app.build()
    return app, used


@pytest.fixture(scope="module")
def make_app_module(request, tmp_path_factory):
    """sphinx.testing's make_app, for a module-scoped build."""
    from sphinx.testing.util import SphinxTestApp

    apps = []

    def make(*args, **kwargs):
        app = SphinxTestApp(*args, **kwargs)
        apps.append(app)
        return app

    yield make
    for app in apps:
        app.cleanup()


def _pages(outdir: Path) -> dict[str, BeautifulSoup]:
    return {str(p.relative_to(outdir)): BeautifulSoup(p.read_text(encoding="utf-8"), "html.parser") for p in sorted(outdir.rglob("*.html"))}


def test_every_payload_was_placed(hostile_build):
    app, used = hostile_build
    # the corpus really covers every payload, many times over
    assert set(used) == set(PAYLOADS)
    assert len(used) >= 3 * len(PAYLOADS)


def test_build_is_clean(hostile_build):
    app, _ = hostile_build
    warnings = [w for w in app._warning.getvalue().splitlines() if w.strip()]
    assert warnings == []


def test_no_payload_becomes_markup(hostile_build):
    app, _ = hostile_build
    pages = _pages(Path(app.outdir))
    assert len(pages) > 10
    for name, soup in pages.items():
        for tag in soup.find_all(True):
            for attr, value in tag.attrs.items():
                values = value if isinstance(value, list) else [value]
                for v in values:
                    # text may reach attributes that hold text (escaped by the writer), nothing else
                    fragment = attr == "href" and v.startswith("#")  # an in-page anchor named after text, escaped
                    assert attr in TEXT_ATTRS or fragment or MARK not in v, (name, tag.name, attr, v)
                    assert not attr.startswith("on"), (name, tag.name, attr)
                    if attr in ("href", "src", "action", "formaction", "xlink:href"):
                        scheme = re.match(r"\s*([a-zA-Z][a-zA-Z0-9+.-]*:)", v)
                        assert scheme is None or scheme.group(1).lower() in SAFE_SCHEMES, (name, tag.name, v)
            assert not tag.name.startswith("on"), (name, tag.name)
        for tag in soup.find_all(["script", "iframe", "img", "svg", "object", "embed"]):
            # scripts are the theme's and ours, by src or fixed text; no frame, image or svg comes from content
            assert MARK not in (tag.string or ""), (name, str(tag)[:200])
            if tag.name in ("iframe", "object", "embed"):
                pytest.fail(f"{name}: {tag}")
        assert not any(MARK in c for c in soup.find_all(string=lambda s: s.__class__.__name__ == "Comment")), name


def test_no_local_file_is_read(hostile_build):
    app, _ = hostile_build
    for path in Path(app.outdir).rglob("*"):
        if path.is_file() and path.suffix in (".html", ".js", ".json", ".txt"):
            assert "root:x:0:0" not in path.read_text(encoding="utf-8", errors="replace"), path


def test_payloads_show_literally(hostile_build):
    app, _ = hostile_build
    pages = _pages(Path(app.outdir))
    text = _squash(" ".join(s.get_text(" ") for s in pages.values()))
    for payload in PAYLOADS:
        assert _squash(payload) in text, payload


def test_generated_sources_carry_no_content(hostile_build):
    app, _ = hostile_build
    sources = list((Path(app.srcdir) / "pia").rglob("*.pia"))
    # only the pages in the toctree are documents; the HTML builder writes the others
    # straight from the model (html_pages.py) and they have no source at all
    assert {p.relative_to(Path(app.srcdir) / "pia").as_posix() for p in sources} >= {"index.pia", "laws/index.pia"}
    assert not list((Path(app.srcdir) / "pia").rglob("file-*.pia"))
    for path in sources:
        text = path.read_text(encoding="utf-8")
        assert MARK not in text and "<" not in text, path
    assert not list((Path(app.srcdir) / "pia").rglob("*.rst"))


def test_domain_indices_escape_names(hostile_build):
    app, _ = hostile_build
    for index in ("pia-files.html", "pia-systems.html", "pia-recipients.html", "pia-contractors.html"):
        raw = (Path(app.outdir) / index).read_text(encoding="utf-8")
        assert f"<script>window.{MARK}" not in raw, index
        assert "<img src=x" not in raw, index
        soup = BeautifulSoup(raw, "html.parser")
        assert MARK in soup.get_text(), index


def test_search_records_keep_payloads_as_data(hostile_build):
    app, _ = hostile_build
    files = list((Path(app.outdir) / "_static" / "pia-search").rglob("*"))
    blob = "".join(p.read_text(encoding="utf-8") for p in files if p.is_file())
    assert MARK in blob  # the text is searchable (the browser test checks that results show it as text)
