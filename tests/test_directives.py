"""HTML regression tests of each directive, built through Sphinx from MyST pages.

Expected fragments live in tests/regression/; after an intended change of the
rendering, regenerate them with PIA_UPDATE_REGRESSION=1 and review the diff.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

HERE = Path(__file__).resolve().parent
BASIC_CONTENT = HERE / "roots" / "test-basic" / "content"
EXPECTED = HERE / "regression"
PAGES = ["assessment", "systems", "file", "risk", "provision", "changes", "annex", "law", "law-index", "organization", "roles"]


def _fragment(path: Path) -> str:
    soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    body = soup.select_one("div.body") or soup.body
    for tag in body.select("a.headerlink"):
        tag.decompose()
    html = body.prettify()
    return re.sub(r"[ \t]+\n", "\n", html)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    import shutil
    from io import StringIO

    from sphinx.testing.util import SphinxTestApp

    src = tmp_path_factory.mktemp("directives") / "src"
    shutil.copytree(HERE / "roots" / "test-directives", src)
    app = SphinxTestApp("html", srcdir=src, confoverrides={"pia_content_dir": str(BASIC_CONTENT)}, status=StringIO(), warning=StringIO())
    try:
        app.build()
        yield app
    finally:
        app.cleanup()


def test_no_warnings(built):
    assert built._warning.getvalue().strip() == ""


@pytest.mark.parametrize("page", PAGES)
def test_directive_html(built, page):
    got = _fragment(Path(built.outdir) / f"{page}.html")
    expected = EXPECTED / f"{page}.html"
    if os.environ.get("PIA_UPDATE_REGRESSION"):
        expected.write_text(got, encoding="utf-8")
    assert expected.exists(), f"missing {expected}; run with PIA_UPDATE_REGRESSION=1"
    assert got == expected.read_text(encoding="utf-8")


def test_roles_resolve(built):
    soup = BeautifulSoup((Path(built.outdir) / "roles.html").read_text(encoding="utf-8"), "html.parser")
    hrefs = [a["href"] for a in soup.select("div.body a.reference.internal")]
    assert hrefs == [
        "file.html#file-1",
        "systems.html#sys-2",
        "file.html#file-1-prov-2",
        "provision.html#file-1-tran-1",
        "changes.html#chg-1",
        "law.html#pia-law",
        "file.html#file-1-ii-4",
    ]
