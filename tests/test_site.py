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
