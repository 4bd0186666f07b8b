"""The site's interface: the extension's pages under other themes (basic, alabaster),
Japanese theme strings, the footer, the toggle's markup hooks and the accessibility page."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

ROOTS = Path(__file__).parent / "roots"
ROOT = Path(__file__).resolve().parents[1]


def _themes_root(tmp_path: Path) -> Path:
    src = tmp_path / "src"
    shutil.copytree(ROOTS / "test-themes", src)
    shutil.copytree(ROOTS / "test-basic" / "content", src / "content")
    return src


def _soup(outdir: Path, page: str) -> BeautifulSoup:
    return BeautifulSoup((Path(outdir) / page).read_text(encoding="utf-8"), "html.parser")


def _warnings(app) -> list[str]:
    return [w for w in app._warning.getvalue().splitlines() if w.strip() and "is already registered" not in w]


@pytest.mark.parametrize("theme", ["basic", "alabaster"])
def test_extension_pages_build_clean_and_keep_the_theme_layout(make_app, tmp_path, theme):
    pytest.importorskip(theme) if theme != "basic" else None
    app = make_app("html", srcdir=_themes_root(tmp_path), confoverrides={"html_theme": theme})
    app.build()
    assert _warnings(app) == []
    out = Path(app.outdir)
    file_page = _soup(out, "pia/city-a-juki/file-1.html")
    assert file_page.html["lang"] == "ja"
    body = file_page.select_one("div.body[role=main]")
    assert body is not None and body.find("h1") is not None
    # the theme's own frame is there: its related-links bar / sidebar and our Japanese footer
    assert file_page.select_one("div.sphinxsidebar") is not None
    footer = file_page.select_one("div.footer[role=contentinfo]")
    assert "運営：試験市" in footer.get_text() and "© 2026 試験市" in footer.get_text()
    assert "Created using" not in file_page.get_text() and "Powered by" not in file_page.get_text()
    # the search page keeps the theme's layout around sphinx_pia's search form
    search = _soup(out, "search.html")
    assert search.select_one("div.sphinxsidebar") is not None, "the search page lost the theme's sidebar"
    main = search.select_one("div.body[role=main]")
    assert main is not None and main.select_one("form#pia-search-form") is not None
    assert len(search.select("form#pia-search-form")) == 1
    # the toggle script is loaded from the site itself, in the head
    scripts = [s.get("src", "") for s in file_page.head.find_all("script")]
    assert any(s.endswith("_static/pia-ui.js") for s in scripts)
    assert (out / "_static" / "pia-ui.js").is_file()


def test_furo_strings_are_japanese(make_app, tmp_path):
    app = make_app("html", srcdir=_themes_root(tmp_path), confoverrides={"html_theme": "furo"})
    app.build()
    assert _warnings(app) == []
    page = _soup(app.outdir, "detail.html")
    text = page.get_text(" ")
    for english in ("Skip to content", "Back to top", "On this page", "Made with", "Copyright", "Next", "Previous"):
        assert english not in text, english
    labels = [el.get(attr, "") for el in page.find_all(True) for attr in ("aria-label", "title") if el.get(attr)]
    assert labels and not [lbl for lbl in labels if lbl.isascii() and any(c.isalpha() for c in lbl)], labels
    assert "本文へ移動" in text and "ページの先頭へ" in text
    footer = page.find("footer")
    assert "運営：試験市" in footer.get_text() and "© 2026 試験市" in footer.get_text()
    # furo's previous/next links, in Japanese
    assert "前のページ" in footer.get_text() or "次のページ" in footer.get_text()


def test_footer_without_owner_or_copyright_shows_neither(make_app, tmp_path):
    app = make_app("html", srcdir=_themes_root(tmp_path), confoverrides={"pia_site_owner": "", "pia_copyright": ""})
    app.build()
    footer = _soup(app.outdir, "index.html").select_one("div.footer")
    assert "運営" not in footer.get_text() and "©" not in footer.get_text()


def test_accessibility_results_page(make_app, tmp_path):
    src = _themes_root(tmp_path)
    data = {
        "date": "2026-12-02", "widths": [1280, 390], "tags": ["wcag2a", "wcag2aa"],
        "tools": {"axe": "4.10.3", "browser": "Chromium 1"},
        "pages": [{"kind": "file", "label": "ファイル<script>", "path": "pia/x.html",
                   "results": {"1280": {"violations": [], "passes": 20}, "390": {"violations": ["color-contrast"], "passes": 19}}}],
        "criteria": {"1.4.3": {"rules": ["color-contrast"], "violations": 1}, "1.1.1": {"rules": ["image-alt"], "violations": 0}},
        "keyboard": [{"name": "Tab で到達", "criteria": ["2.1.1"], "passed": True, "detail": ""}],
    }
    (src / "a11y.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    (src / "a11y.rst").write_text(":orphan:\n\n方針\n====\n\n.. pia-accessibility-results:: a11y.json\n", encoding="utf-8")
    app = make_app("html", srcdir=src)
    app.build()
    assert _warnings(app) == []
    page = _soup(app.outdir, "a11y.html")
    text = page.get_text(" ")
    headings = [h.get_text().strip().rstrip("¶") for h in page.find_all("h2")]
    assert headings == ["試験日", "対象範囲", "試験方法", "達成基準チェックリスト", "結果"]
    assert "2026-12-02" in text and "axe-core 4.10.3" in text
    assert "ファイル<script>" in text  # data reaches the page as text, not markup
    assert not [s for s in page.find_all("script") if "ファイル" in (s.string or "")]
    rows = {tr.find("td").get_text().strip(): [td.get_text().strip() for td in tr.find_all("td")]
            for tr in page.select("table tbody tr") if tr.find("td")}
    assert rows["1.4.3"][-1].startswith("不適合")
    assert rows["1.1.1"][-1] == "自動試験で問題なし"
    assert rows["2.1.1"][-1] == "自動試験で問題なし"
    assert rows["1.2.1"][-1].startswith("自動試験の対象外")
    assert "違反は合計 1 件" in text


def test_accessibility_results_missing_file_is_a_clear_warning(make_app, tmp_path):
    src = _themes_root(tmp_path)
    (src / "a11y.rst").write_text(":orphan:\n\n方針\n====\n\n.. pia-accessibility-results:: missing.json\n", encoding="utf-8")
    app = make_app("html", srcdir=src)
    app.build()
    warnings = "\n".join(_warnings(app))
    assert "a11y.rst" in warnings and "missing.json" in warnings and "PIA_A11Y_RESULTS" in warnings


def test_committed_results_cover_every_page_kind_at_both_widths():
    """site/accessibility-results.json is written by tests/browser/test_accessibility.py."""
    data = json.loads((ROOT / "site" / "accessibility-results.json").read_text(encoding="utf-8"))
    assert set(data["widths"]) == {1280, 390}
    kinds = {p["kind"] for p in data["pages"]}
    assert {"home", "organization", "assessment", "file", "systems", "changes", "annex", "law", "law-index",
            "index-systems", "index-files", "index-recipients", "index-contractors", "search"} <= kinds
    for page in data["pages"]:
        assert set(page["results"]) == {"1280", "390"}, page["kind"]
