"""Build a small testroot through Sphinx and check the links, both directions, on the HTML."""

from __future__ import annotations

import pytest


def _hrefs(soup, selector="a.reference.internal"):
    return [a.get("href", "") for a in soup.select(selector)]


@pytest.mark.sphinx("html", testroot="basic")
def test_build_has_no_warnings(app, warning, html):
    html("index.html")
    assert warning.getvalue().strip() == ""


@pytest.mark.sphinx("html", testroot="basic")
def test_pages_generated_for_each_assessment(app, html):
    for page in ["pia/index.html", "pia/city-a-juki/index.html", "pia/city-a-juki/file-1.html", "pia/city-a-juki/systems.html",
                 "pia/city-a-juki/changes.html", "pia/city-a-juki/annex-1.html", "pia/city-b-tax/index.html",
                 "pia/orgs/city-a.html", "pia/orgs/city-b.html", "pia/laws/index.html"]:
        assert html(page).find("main") is not None or html(page).body is not None, page


@pytest.mark.sphinx("html", testroot="basic")
def test_system_file_links_both_ways(app, html):
    systems = html("pia/city-a-juki/systems.html")
    sys1 = systems.find(id="sys-1")
    assert any(h.endswith("file-1.html#file-1") for h in _hrefs(sys1)), "system 1 must link to the file it handles"
    # connection text 「申請管理システム」 resolves to system 2, and system 2's checked option to system 1
    assert "#sys-2" in " ".join(_hrefs(sys1))
    assert "#sys-1" in " ".join(_hrefs(systems.find(id="sys-2")))
    file_page = html("pia/city-a-juki/file-1.html")
    links = " ".join(_hrefs(file_page.select_one(".pia-file-systems")))
    assert "systems.html#sys-1" in links and "systems.html#sys-2" in links


@pytest.mark.sphinx("html", testroot="basic")
def test_provision_links_to_law_page_and_back(app, html):
    file_page = html("pia/city-a-juki/file-1.html")
    prov = file_page.find(id="file-1-prov-1")
    law_links = [h for h in _hrefs(prov) if "/laws/" in h]
    assert any("bangoho-art-19-i8" in h for h in law_links)
    law = html("pia/laws/bangoho-art-19-i8.html")
    back = " ".join(_hrefs(law))
    # both assessments cite 第19条第8号 (one in full-width digits): both are listed
    assert "city-a-juki/file-1.html#file-1-prov-1" in back
    assert "city-b-tax/file-1.html#file-1-tran-1" in back
    assert "laws.e-gov.go.jp/law/425AC0000000027#Mp-At_19-Pr_1-It_8" in str(law)


@pytest.mark.sphinx("html", testroot="basic")
def test_change_entry_links_to_section_and_section_shows_history(app, html):
    changes = html("pia/city-a-juki/changes.html")
    entry = changes.find(id="chg-1")
    assert any(h.endswith("file-1.html#file-1-prov-2") for h in _hrefs(entry))
    unresolved = changes.find(id="chg-2")
    assert unresolved.select_one(".pia-unresolved") is not None
    file_page = html("pia/city-a-juki/file-1.html")
    history = file_page.find(id="file-1-prov-2").select_one(".pia-change-history")
    assert history is not None and any(h.endswith("changes.html#chg-1") for h in _hrefs(history))


@pytest.mark.sphinx("html", testroot="basic")
def test_text_is_escaped(app, html):
    page = html("pia/city-a-juki/index.html")
    assert page.find("script", string=lambda s: s and "alert(1)" in s) is None
    assert "<script>alert(1)</script>" in page.get_text()


@pytest.mark.sphinx("html", testroot="basic")
def test_declared_count_mismatch_is_visible(app, html):
    page = html("pia/city-a-juki/file-1.html")
    mismatches = [m.get_text() for m in page.select(".pia-mismatch")]
    # 委託 declares 1 but lists 2; 提供 declares 3 and has 2 annex rows + 1 entry = 3
    assert any("申告1件" in m and "記載2件" in m for m in mismatches)
    assert not any("申告3件" in m for m in mismatches)


@pytest.mark.sphinx("html", testroot="basic")
def test_gaps_and_dates_render(app, html):
    page = html("pia/city-a-juki/index.html")
    assert page.select(".pia-gap-missing"), "the missing system 3 is shown as a gap"
    assert "2026-02-05" in page.get_text()
    b = html("pia/city-b-tax/index.html")
    assert b.select(".pia-gap-empty")


@pytest.mark.sphinx("html", testroot="basic")
def test_indices(app, html):
    contractors = html("pia-contractors.html").get_text()
    assert "テスト情報株式会社" in contractors and "テスト入力株式会社" in contractors
    recipients = html("pia-recipients.html").get_text()
    assert "厚生労働大臣" in recipients and "テスト県知事" in recipients
    assert "申請管理システム" in html("pia-systems.html").get_text()
    assert "課税情報ファイル" in html("pia-files.html").get_text()
