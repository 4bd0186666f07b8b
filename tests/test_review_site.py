"""The reviewer pages of the real site (site/ + content/): every seed gets its 点検結果, each seed
with 変更箇所 texts gets an item history, the timeline lists all 166 rows, open data round-trips."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    from sphinx.application import Sphinx
    from sphinx.util.docutils import docutils_namespace

    work = tmp_path_factory.mktemp("review-site")
    src = work / "site"
    shutil.copytree(ROOT / "site", src, ignore=shutil.ignore_patterns("_build", "pia"))
    out = work / "html"
    warnings = io.StringIO()
    with docutils_namespace():
        app = Sphinx(str(src), str(src), str(out), str(work / "doctrees"), "html",
                     confoverrides={"pia_content_dir": str(ROOT / "content"), "pia_check_date": "2026-12-02"},
                     status=None, warning=warnings, warningiserror=True)
        app.build()
    return out, warnings.getvalue()


def _soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def test_clean(site):
    assert site[1] == ""


def test_every_seed_has_findings_and_history(site):
    from sphinx_pia.loader import load_content

    out, _ = site
    for a in load_content(ROOT / "content"):
        assert (out / "pia" / a.id / "findings.html").exists(), a.id
        has_texts = a.changes and any(e.targets and (e.before.text or e.after.text) for e in a.changes.entries)
        history = out / "pia" / a.id / "history.html"
        assert history.exists() == bool(has_texts), a.id
        if has_texts:
            page = _soup(history)
            assert page.select("table.pia-item-history tbody tr"), a.id
            assert "変更箇所より" in page.get_text()
            # and at least one item page links to its section there
            linked = [l for p in (out / "pia" / a.id).glob("*.html") for l in _soup(p).select("p.pia-item-history-link a")]
            assert linked, a.id
            for link in linked[:5]:
                assert page.find(id=link["href"].split("#", 1)[1]) is not None


def test_timeline_lists_every_change_entry(site):
    out, _ = site
    rows = _soup(out / "pia" / "timeline.html").select("section#pia-timeline-years table.pia-timeline tbody tr")
    assert len(rows) == 166


def test_findings_index_and_open_data(site):
    out, _ = site
    index = _soup(out / "pia" / "findings.html")
    rows = index.select("table.pia-filterable tbody tr")
    data = (out / "pia-data" / "findings.csv").read_bytes().decode("utf-8-sig")
    assert len(rows) == len(list(csv.DictReader(io.StringIO(data, newline="")))) > 50
    from sphinx_pia.opendata import from_json

    back = from_json((out / "pia-data" / "pia.json").read_text(encoding="utf-8"))
    assert len(back.assessments) == 5
