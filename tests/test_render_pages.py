"""Citizen-first pages, built through Sphinx from the test-render root: reviewer detail
marked for the theme to collapse, form labels (never keys), checkboxes in words, the
変更箇所 table, 別紙 項番 links and an old-edition law page."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from sphinx_pia.model import FieldKey

NOTES = {
    "file-1.html": ["チェック状態の推定の注記（試験用）", "根拠の記載（試験用）"],
    "index.html": ["節の注記（試験用）", "試験用データには様式の版がない"],
    "systems.html": ["システムの注記（試験用）", "原文から欠落"],
    "changes.html": ["対応付けの注記（試験用）"],
}


@pytest.fixture
def page(app):
    app.build()

    def read(name: str) -> BeautifulSoup:
        return BeautifulSoup((Path(app.outdir) / "pia/city-h" / name).read_text(encoding="utf-8"), "html.parser")

    return read


def _in_detail(node) -> bool:
    return any("pia-detail" in (p.get("class") or []) for p in [node, *node.parents] if getattr(p, "get", None))


@pytest.mark.sphinx("html", testroot="render")
def test_curator_notes_and_evidence_are_detail(app, page):
    for name, notes in NOTES.items():
        soup = page(name)
        for note in notes:
            hits = soup.find_all(string=re.compile(re.escape(note)))
            assert hits, (name, note)
            assert all(_in_detail(h.parent) for h in hits), (name, note)


@pytest.mark.sphinx("html", testroot="render")
def test_source_lines_are_detail_and_values_are_not(app, page):
    soup = page("file-1.html")
    lines = soup.find_all(string=re.compile(r"原文 \d+"))
    assert len(lines) >= 3
    assert all(_in_detail(s.parent) for s in lines)
    value = soup.find(string=re.compile("試験ファイル"))
    assert value is not None and not _in_detail(value.parent)


@pytest.mark.sphinx("html", testroot="render")
def test_no_internal_key_is_a_label(app, page):
    keys = {k.value for k in FieldKey}
    for name in ("index.html", "file-1.html", "systems.html", "changes.html"):
        for dt in page(name).select("dl.pia-fields > dt"):
            label = next(dt.stripped_strings, "")
            assert label and label not in keys, (name, label)
    soup = page("file-1.html")
    section = soup.find(id="file-1-ii-1")
    assert "特定個人情報ファイル名" in [next(dt.stripped_strings) for dt in section.select("dt")]
    # a line the form prints without a label is text, not an empty term
    unlabelled = section.select_one(".pia-unlabelled")
    assert unlabelled is not None and "※ラベルのない注記行" in unlabelled.get_text()
    choice = soup.find(id="file-1-iii-4")
    assert "見出しのチェック欄" in choice.select_one("dt").get_text()


@pytest.mark.sphinx("html", testroot="render")
def test_checkboxes_are_said_in_words(app, page):
    soup = page("file-1.html")
    checks = soup.find(id="file-1-ii-3").select_one(".pia-checks")
    assert checks.get_text().startswith("チェックあり")
    options = [li.get_text(strip=True) for li in soup.find(id="file-1-ii-3").select(".pia-options li")]
    assert options == ["☐ 未選択: 本人又は本人の代理人", "☑ 選択: 評価実施機関内の他部署", "☑ 選択: その他"]


@pytest.mark.sphinx("html", testroot="render")
def test_changes_are_table_rows_with_the_header_as_columns(app, page):
    soup = page("changes.html")
    columns = [c.get_text() for c in soup.select(".pia-header-column")]
    assert columns == ["「変更日」", "「項目」", "「変更前の記載」", "「変更後の記載」", "「提出時期」", "「提出時期に係る説明」"]
    assert "\t" not in soup.select_one(".pia-header-columns").get_text()
    rows = soup.select("table.pia-changes-table > tbody > tr")
    assert [r["id"] for r in rows] == ["chg-1"]
    row = rows[0]
    assert "令和2年3月29日" in row.get_text() and "事後" in row.select_one(".pia-timing").get_text()
    details = row.select_one("details.pia-before-after-dropdown")
    assert details is not None and "open" not in details.attrs
    assert [p.get_text() for p in details.select(".pia-cell-label")] == ["変更前の記載", "変更後の記載", "提出時期に係る説明"]
    assert row.select_one(".pia-targets a")["href"].endswith("annex-1.html#annex-1-2")


@pytest.mark.sphinx("html", testroot="render")
def test_annex_basis_cells_link_to_their_law_rows_and_history_is_filled(app, page):
    soup = page("annex-1.html")
    rows = soup.select("table.pia-annex tbody tr")
    hrefs = [r.select_one(".pia-annex-basis a")["href"] for r in rows]
    assert hrefs == ["../laws/shumu-shorei-art-2-table-row-1.html#pia-law", "../laws/shumu-shorei-art-2-table-row-2.html#pia-law"]
    history = [r.select_one(".pia-change-history").get_text(strip=True) for r in rows]
    assert history[0] == "この行への変更箇所なし" and "令和2年3月29日" in history[1]


@pytest.mark.sphinx("html", testroot="render")
def test_old_edition_page_says_egov_opens_todays_text(app):
    app.build()
    laws = Path(app.outdir) / "pia" / "laws"
    old = BeautifulSoup((laws / "bangoho-art-19-i7.html").read_text(encoding="utf-8"), "html.parser")
    note = old.select_one(".pia-egov-current-note")
    assert note is not None and "現行の条文" in note.get_text()
    new = BeautifulSoup((laws / "bangoho-art-19-i8.html").read_text(encoding="utf-8"), "html.parser")
    assert new.select_one(".pia-egov") is not None and new.select_one(".pia-egov-current-note") is None
